/**
 * Friction intake and the CoE's triage in Teams (issue 3), through the real botbuilder CloudAdapter: `friction …`
 * said to the bot, the task-module form, the message action, the review card's buttons and their dialogs. Replies,
 * proactive posts and updates land on a fake Bot Connector; invoke answers come back in the HTTP response.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FRICTION_FIELDS, LIMITS } from '../../src/domain/friction.ts';
import { MESSAGE_ACTIONS } from '../../src/platforms/teams/ids.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeBotConnector, uuidFrom } from '../support/fake-bot-connector.ts';
import {
  DEFAULT_TEAMS_USER,
  postActivity,
  TEAMS_CHANNEL_ID,
  type TeamsAccount,
  type TeamsActivity,
  teamsInvoke,
  teamsMessage,
} from '../support/teams-activity.ts';

const COE_USER: TeamsAccount = { id: '29:user-coe', name: 'Cora CoE', aadObjectId: uuidFrom('user-coe') };
const WORKER: TeamsAccount = DEFAULT_TEAMS_USER;
const OTHER_WORKER: TeamsAccount = { id: '29:user-bob', name: 'Bob Builder', aadObjectId: uuidFrom('user-bob') };
/** Never says anything to the bot: reports anonymously through a card someone else asked for. */
const ANON: TeamsAccount = { id: '29:user-anon-7f3a', name: 'Quiet Person', aadObjectId: uuidFrom('user-anon-7f3a') };

const VALID = {
  kind: 'tool_friction',
  title: 'Inventory scanners fail after 30 minutes',
  description: 'The handheld scanner freezes after about half an hour and needs a reboot.',
  team: '',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  relatedSop: '',
  anonymous: 'false',
};

type Card = { type: string; version: string; body: CardElement[]; actions?: CardElement[] };
type CardElement = Record<string, unknown> & { type: string; id?: string; text?: string };
interface TaskResponse {
  task?: {
    type: 'continue' | 'message';
    value: string | { title: string; card: { contentType: string; content: Card } };
  };
}

/** The adaptive cards an activity (or conversation creation) carries. */
function cardsOfActivity(body: unknown): Card[] {
  const b = body as { attachments?: { contentType: string; content: Card }[]; activity?: unknown } | undefined;
  const attachments = [...(b?.attachments ?? []), ...((b?.activity as typeof b)?.attachments ?? [])];
  return attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content);
}

function taskCard(response: unknown): Card {
  const task = (response as TaskResponse).task;
  expect(task?.type, JSON.stringify(response)).toBe('continue');
  const value = task?.value as { card: { contentType: string; content: Card } };
  expect(value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return value.card.content;
}

function taskText(response: unknown): string {
  const task = (response as TaskResponse).task;
  expect(task?.type, JSON.stringify(response)).toBe('message');
  return task?.value as string;
}

/** Every element of a card, nested containers and action sets included. */
function elements(card: Card): CardElement[] {
  const out: CardElement[] = [];
  const walk = (list: unknown) => {
    for (const e of (list as CardElement[] | undefined) ?? []) {
      out.push(e);
      walk(e.items);
      walk(e.actions);
      walk(e.columns);
    }
  };
  walk(card.body);
  walk(card.actions);
  return out;
}

const inputsOf = (card: Card) =>
  new Map(
    elements(card)
      .filter((e) => e.type.startsWith('Input.'))
      .map((e) => [e.id as string, e]),
  );
const buttonsOf = (card: Card) => elements(card).filter((e) => e.type.startsWith('Action.'));
const errorsOf = (card: Card) =>
  Object.fromEntries(
    elements(card)
      .filter((e) => e.type === 'TextBlock' && e.color === 'Attention' && e.id !== 'form.error')
      .map((e) => [String(e.id).replace(/\.error$/, ''), e.text]),
  );
const words = (x: unknown) => JSON.stringify(x);

describe.each(databaseKinds())('friction in Teams (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let connector: FakeBotConnector;
  let bot: TestBot;
  /** Every invoke answer of the current test, to check its cards too. */
  let answers: unknown[];

  const start = () => startTestBot({ database: db, env: { COE_MEMBERS: `teams:${COE_USER.aadObjectId}` } });

  beforeAll(async () => {
    db = await testDatabase(kind);
    connector = await FakeBotConnector.start();
  });
  afterAll(async () => {
    await bot?.stop({ flushMs: 0 });
    await connector?.close();
  });
  beforeEach(async () => {
    await bot?.stop({ flushMs: 0 });
    await db.reset();
    connector.reset();
    answers = [];
    bot = await start();
  });
  afterEach(() => {
    // Every card the bot sent or answered with is a valid Adaptive Card 1.5.
    const cards = [
      ...connector.requests().flatMap((r) => cardsOfActivity(r.body)),
      ...answers.flatMap((a) => {
        const value = (a as TaskResponse).task?.value;
        return typeof value === 'object' ? [value.card.content] : [];
      }),
    ];
    for (const card of cards) {
      expect(card.version).toBe('1.5');
      expect(adaptiveCardProblems(card), JSON.stringify(card).slice(0, 300)).toEqual([]);
    }
  });

  // ---- what people do -------------------------------------------------------------------------------------------

  const say = (text: string, options: { from?: TeamsAccount; channel?: boolean } = {}) =>
    postActivity(
      bot.url,
      teamsMessage({
        serviceUrl: connector.serviceUrl,
        text,
        from: options.from ?? WORKER,
        conversation: { conversationType: options.channel ? 'channel' : 'personal' },
      }),
    );

  interface InvokeOptions {
    from?: TeamsAccount;
    channel?: boolean;
    id?: string;
    conversationId?: string;
  }

  const invokeActivity = (name: string, value: unknown, options: InvokeOptions = {}): TeamsActivity =>
    teamsInvoke({
      serviceUrl: connector.serviceUrl,
      name,
      value,
      from: options.from ?? WORKER,
      conversation: {
        conversationType: options.channel || options.conversationId ? 'channel' : 'personal',
        ...(options.conversationId ? { id: options.conversationId } : {}),
      },
      ...(options.id ? { id: options.id } : {}),
    });

  const send = async (activity: TeamsActivity) => {
    const res = await postActivity(bot.url, activity);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    answers.push(res.body);
    return res.body;
  };

  const invoke = (name: string, value: unknown, options: InvokeOptions = {}) =>
    send(invokeActivity(name, value, options));

  const openForm = (prefill: string, options: InvokeOptions = {}) =>
    invoke(
      'task/fetch',
      { data: { msteams: { type: 'task/fetch' }, coeAction: 'friction.open', prefill }, context: { theme: 'default' } },
      options,
    );

  const submitForm = (values: Record<string, unknown>, options: InvokeOptions = {}) =>
    invoke(
      'task/submit',
      { data: { coeAction: 'friction.submit', ...values }, context: { theme: 'default' } },
      options,
    );

  /** A plain Action.Submit pressed on a card in a channel: a message activity with the button's data as its value. */
  const press = (
    data: unknown,
    options: { from: TeamsAccount; on: { conversationId: string; activityId: string } },
  ) => {
    const activity = teamsMessage({
      serviceUrl: connector.serviceUrl,
      text: '',
      from: options.from,
      conversation: {
        conversationType: 'channel',
        id: `${options.on.conversationId};messageid=${options.on.activityId}`,
      },
      replyToId: options.on.activityId,
      value: data,
    });
    delete activity.text;
    activity.entities = activity.entities.filter((e) => e.type !== 'mention');
    return postActivity(bot.url, activity);
  };

  const flush = async () => expect(await bot.deliverer.flush(Date.now() + 3000)).toBe(0);

  const setupReviewChannel = async () => {
    await say('setup review-channel', { from: COE_USER, channel: true });
    await flush();
    connector.reset();
  };

  /** The review message as the channel shows it now (after updates), with its id. */
  const reviewCard = (id: string) => {
    const messages = connector.messages(TEAMS_CHANNEL_ID).filter((m) => words(m).includes(`${id} · `));
    expect(messages, `review messages for ${id}`).toHaveLength(1);
    const [message] = messages;
    return { activityId: message?.id as string, card: cardsOfActivity(message)[0] as Card };
  };

  const reportCount = () => db.prisma.frictionReport.count();

  // ---- intake -----------------------------------------------------------------------------------------------------

  it('answers `friction …` with a card whose button opens the form; in a channel, in the thread', async () => {
    await say('friction scanner dies');
    const [reply] = await connector.waitForActivities(1);
    const [card] = cardsOfActivity(reply?.body);
    expect(card).toBeDefined();
    expect(buttonsOf(card as Card)).toEqual([
      expect.objectContaining({
        type: 'Action.Submit',
        data: { msteams: { type: 'task/fetch' }, coeAction: 'friction.open', prefill: 'scanner dies' },
      }),
    ]);

    connector.reset();
    await say('friction the label printer jams', { from: OTHER_WORKER, channel: true });
    const [inThread] = await connector.waitForActivities(1);
    expect(inThread?.conversationId).toMatch(new RegExp(`^${TEAMS_CHANNEL_ID};messageid=`));
    expect(words(inThread?.body)).toContain('the label printer jams');
    expect(await reportCount()).toBe(0);
  });

  it('opens the form in a task module, pre-filled, with Teams-side validation on every field', async () => {
    const card = taskCard(await openForm('scanner dies'));
    const inputs = inputsOf(card);
    expect([...inputs.keys()].sort()).toEqual([...FRICTION_FIELDS].sort());
    expect(inputs.get('title')).toMatchObject({ type: 'Input.Text', value: 'scanner dies', isRequired: true });
    expect(inputs.get('title')?.maxLength).toBe(LIMITS.title);
    expect(inputs.get('description')).toMatchObject({
      type: 'Input.Text',
      isMultiline: true,
      maxLength: LIMITS.description,
      isRequired: true,
    });
    expect(inputs.get('description')?.errorMessage).toBeTruthy();
    for (const choice of ['kind', 'frequency', 'impact']) {
      expect(inputs.get(choice)).toMatchObject({ type: 'Input.ChoiceSet', isRequired: true });
    }
    expect(inputs.get('team')).toMatchObject({ type: 'Input.Text' }); // no teams yet: free text, optional
    expect(inputs.get('team')?.isRequired).toBeUndefined();
    expect(inputs.get('anonymous')).toMatchObject({ type: 'Input.Toggle', value: 'false' });
    expect(buttonsOf(card)).toEqual([
      expect.objectContaining({ type: 'Action.Submit', data: { coeAction: 'friction.submit' } }),
    ]);

    // Long text is what happened, not a title.
    const long = `The scanner dies.\n${'It froze again. '.repeat(20)}`;
    const longForm = inputsOf(taskCard(await openForm(long)));
    expect(longForm.get('description')?.value).toBe(long.trim());
    expect(longForm.get('title')?.value).toBeUndefined();

    // Once teams exist, the team is a choice, and the person's last team is the default.
    await say('team add Warehouse', { from: COE_USER });
    await say('team add Logistics', { from: COE_USER });
    await submitForm({ ...VALID, team: 'warehouse' });
    const withTeams = inputsOf(taskCard(await openForm('')));
    expect(withTeams.get('team')).toMatchObject({
      type: 'Input.ChoiceSet',
      value: 'Warehouse',
      choices: expect.arrayContaining([{ title: 'Logistics', value: 'Logistics' }]),
    });
  });

  it('stores a valid report as FR-1, posts the review card to the review channel and confirms in the dialog', async () => {
    await setupReviewChannel();
    const activity = invokeActivity('task/submit', { data: { coeAction: 'friction.submit', ...VALID } });
    const first = await send(activity);
    const confirmation = taskCard(first);
    expect(words(confirmation)).toContain('your report is FR-1');
    // Teams redelivers the same activity on a retry: one report, one review message, the same answer.
    const again = await send(activity);
    expect(words(taskCard(again))).toContain('your report is FR-1');
    await flush();

    const stored = await db.prisma.frictionReport.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ number: 1, title: VALID.title, tool: VALID.tool, status: 'new' });
    const posts = connector.activities(TEAMS_CHANNEL_ID);
    expect(posts).toHaveLength(1);
    const { card } = reviewCard('FR-1');
    expect(words(card)).toContain('Ada Lovelace');
    // Triage is a plain button (a message activity); the others open a dialog first.
    const buttons = Object.fromEntries(buttonsOf(card).map((b) => [(b.data as { coeAction: string }).coeAction, b]));
    expect(buttons['friction.triage']).toMatchObject({ type: 'Action.Submit', data: { value: 'FR-1' } });
    expect(buttons['friction.triage']?.data).not.toHaveProperty('msteams');
    for (const action of ['friction.duplicate', 'friction.decline']) {
      expect(buttons[action]).toMatchObject({ data: { msteams: { type: 'task/fetch' }, value: 'FR-1' } });
    }
  });

  it('returns the form with errors under each bad field, values kept, and stores nothing', async () => {
    const empty = taskCard(await submitForm({ ...VALID, title: '   ' }));
    expect(errorsOf(empty)).toEqual({ title: 'Please fill in a short title.' });
    expect(inputsOf(empty).get('tool')?.value).toBe(VALID.tool);
    expect(inputsOf(empty).get('kind')?.value).toBe(VALID.kind);

    const tooLong = taskCard(await submitForm({ ...VALID, description: 'x'.repeat(5000) }));
    expect(errorsOf(tooLong).description).toMatch(/under 3000 characters \(it has 5000\)/);

    const missing = taskCard(await submitForm({ coeAction: 'friction.submit' }));
    expect(Object.keys(errorsOf(missing)).sort()).toEqual([
      'description',
      'frequency',
      'impact',
      'kind',
      'title',
      'tool',
    ]);

    await say('team add Warehouse', { from: COE_USER });
    const unknownTeam = taskCard(await submitForm({ ...VALID, team: 'Narnia' }));
    expect(errorsOf(unknownTeam).team).toContain('There is no team called "Narnia"');
    expect(inputsOf(unknownTeam).get('team')?.type).toBe('Input.ChoiceSet');

    expect(await reportCount()).toBe(0);
    expect(await db.prisma.outboxMessage.count()).toBe(0);
  });

  it('opens the form from a message action, pre-filled with the message and its link, and submits it', async () => {
    await setupReviewChannel();
    const link = 'https://teams.microsoft.com/l/message/19:channel-1@thread.tacv2/1700000000000';
    const messagePayload = {
      id: '1700000000000',
      messageType: 'message',
      body: { contentType: 'html', content: '<p>Scanner <b>died</b> again &amp; lost the count</p>' },
      linkToMessage: link,
      from: { user: { id: OTHER_WORKER.id, displayName: OTHER_WORKER.name } },
    };
    const common = { commandId: MESSAGE_ACTIONS.reportFriction, commandContext: 'message', messagePayload };
    const form = taskCard(await invoke('composeExtension/fetchTask', common, { channel: true }));
    expect(inputsOf(form).get('title')?.value).toBe('Scanner died again & lost the count');
    expect(words(form)).toContain(link);

    const submit = buttonsOf(form)[0]?.data as Record<string, unknown>;
    const answer = await invoke(
      'composeExtension/submitAction',
      { ...common, data: { ...submit, ...VALID, title: 'Scanner died again & lost the count' } },
      { channel: true },
    );
    expect(words(taskCard(answer))).toContain('FR-1');
    expect((await db.prisma.frictionReport.findFirst())?.sourceLink).toBe(link);
    await flush();
    expect(words(reviewCard('FR-1').card)).toContain(link);
  });

  // ---- triage -----------------------------------------------------------------------------------------------------

  it('refuses Triage to a worker privately; a CoE member updates the card in place, replies in the thread, DMs the reporter', async () => {
    await setupReviewChannel();
    await say('help'); // the reporter talks to the bot in their personal chat
    const reporterChat = connector.activities()[0]?.conversationId as string;
    await submitForm(VALID);
    await flush();
    const review = reviewCard('FR-1');
    connector.reset();

    const refused = await press(
      { coeAction: 'friction.triage', value: 'FR-1' },
      { from: OTHER_WORKER, on: { conversationId: TEAMS_CHANNEL_ID, activityId: review.activityId } },
    );
    expect(refused.status).toBe(200);
    const [refusal] = await connector.waitForActivities(1);
    expect(words(refusal?.body)).toMatch(/Only CoE members can triage/);
    expect(refusal?.conversationId?.startsWith(TEAMS_CHANNEL_ID)).toBe(false);
    await flush();
    expect(connector.requests().filter((r) => r.kind === 'update')).toEqual([]);
    expect((await db.prisma.frictionReport.findFirst())?.status).toBe('new');

    connector.reset();
    await press(
      { coeAction: 'friction.triage', value: 'FR-1' },
      { from: COE_USER, on: { conversationId: TEAMS_CHANNEL_ID, activityId: review.activityId } },
    );
    await flush();
    const updates = connector.requests().filter((r) => r.kind === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.activityId).toBe(review.activityId);
    const updated = reviewCard('FR-1').card;
    expect(words(updated)).toContain('Triaged');
    expect(words(updated)).toContain('Cora CoE');
    expect(words(updated)).not.toContain('friction.triage');
    const sent = connector.activities();
    const threadReply = sent.find((r) => r.conversationId === `${TEAMS_CHANNEL_ID};messageid=${review.activityId}`);
    expect(words(threadReply?.body)).toContain('Cora CoE triaged it');
    const dm = sent.find((r) => r.conversationId === reporterChat);
    expect(words(dm?.body)).toContain('is now **triaged**');
    const told = sent.find((r) => words(r.body).includes('You own FR-1 now'));
    expect(told?.conversationId?.startsWith(TEAMS_CHANNEL_ID)).toBe(false);
    expect((await db.prisma.frictionReport.findFirst())?.status).toBe('triaged');
  });

  it('declines, merges duplicates and records root causes through their dialogs, CoE only', async () => {
    await setupReviewChannel();
    await submitForm(VALID);
    await submitForm({ ...VALID, title: 'Scanner freezes mid-shift', tool: 'Handheld scanner' });
    await submitForm({ ...VALID, title: 'Printer out of labels', tool: 'Label printer' });
    await flush();
    const on = { conversationId: `${TEAMS_CHANNEL_ID};messageid=${reviewCard('FR-1').activityId}` };
    const fetchDecision = (coeAction: string, value: string, from: TeamsAccount) =>
      invoke('task/fetch', { data: { msteams: { type: 'task/fetch' }, coeAction, value } }, { ...on, from });
    const submitDecision = (data: Record<string, string>, from: TeamsAccount = COE_USER) =>
      invoke('task/submit', { data }, { ...on, from });

    // A worker is refused before any form opens, and nothing changes.
    expect(taskText(await fetchDecision('friction.decline', 'FR-3', WORKER))).toMatch(/Only CoE members/);
    expect(
      taskText(await submitDecision({ coeAction: 'friction.decline', value: 'FR-3', reason: 'no' }, WORKER)),
    ).toMatch(/Only CoE members/);

    // Decline: the reason is required.
    const declineForm = taskCard(await fetchDecision('friction.decline', 'FR-3', COE_USER));
    expect(inputsOf(declineForm).get('reason')).toMatchObject({ isRequired: true, maxLength: LIMITS.reason });
    const submitData = buttonsOf(declineForm)[0]?.data as Record<string, string>;
    expect(errorsOf(taskCard(await submitDecision({ ...submitData, reason: ' ' })))).toEqual({
      reason: 'Please say why, so the reporter understands the decision.',
    });
    expect(taskText(await submitDecision({ ...submitData, reason: 'Out of labels is a supply issue.' }))).toBe(
      'FR-3 declined.',
    );

    // Duplicate: FR-2 into FR-1; not into itself.
    const duplicateForm = taskCard(await fetchDecision('friction.duplicate', 'FR-2', COE_USER));
    const duplicateData = buttonsOf(duplicateForm)[0]?.data as Record<string, string>;
    expect(errorsOf(taskCard(await submitDecision({ ...duplicateData, duplicateOf: 'FR-2' })))).toEqual({
      duplicateOf: 'A report cannot duplicate itself.',
    });
    expect(taskText(await submitDecision({ ...duplicateData, duplicateOf: 'fr-1' }))).toBe('FR-2 merged into FR-1.');

    // Root cause once triaged.
    await press(
      { coeAction: 'friction.triage', value: 'FR-1' },
      { from: COE_USER, on: { conversationId: TEAMS_CHANNEL_ID, activityId: reviewCard('FR-1').activityId } },
    );
    const rootCauseForm = taskCard(await fetchDecision('friction.root_cause', 'FR-1', COE_USER));
    const rootCauseData = buttonsOf(rootCauseForm)[0]?.data as Record<string, string>;
    expect(taskText(await submitDecision({ ...rootCauseData, rootCause: 'Battery saver kills the Wi-Fi.' }))).toBe(
      'Root cause recorded on FR-1.',
    );

    await flush();
    const reports = await db.prisma.frictionReport.findMany({ orderBy: { number: 'asc' } });
    expect(reports.map((r) => r.status)).toEqual(['analysing', 'duplicate', 'declined']);
    expect(reports[0]?.plusOnes).toBe(1);
    const declined = reviewCard('FR-3').card;
    expect(words(declined)).toContain('Out of labels is a supply issue.');
    expect(buttonsOf(declined)).toEqual([]); // nothing left to decide
    expect(words(reviewCard('FR-1').card)).toContain('Battery saver kills the Wi-Fi.');
  });

  it('folds a new report into a similar one with "+1 FR-n instead"', async () => {
    await submitForm(VALID);
    const confirmation = taskCard(
      await submitForm({ ...VALID, title: 'Scanner broken again' }, { from: OTHER_WORKER }),
    );
    const plusOne = buttonsOf(confirmation).find((b) => b.title === '+1 FR-1 instead');
    expect(plusOne).toMatchObject({ type: 'Action.Submit', data: { coeAction: 'friction.plus_one_instead' } });
    const answer = await invoke('task/submit', { data: plusOne?.data }, { from: OTHER_WORKER });
    expect(taskText(answer)).toMatch(/your \+1 is on FR-1/);
    const reports = await db.prisma.frictionReport.findMany({ orderBy: { number: 'asc' } });
    expect(reports.map((r) => [r.status, r.plusOnes])).toEqual([
      ['new', 1],
      ['duplicate', 0],
    ]);
  });

  it('raises exactly one recurring-pattern alert for three reports about the same tool', async () => {
    await setupReviewChannel();
    for (const [i, from] of [WORKER, OTHER_WORKER, COE_USER, WORKER].entries()) {
      await submitForm(
        { ...VALID, title: `Scanner problem ${i}`, tool: i % 2 ? 'inventory  SCANNER' : VALID.tool },
        { from },
      );
    }
    await flush();
    const alerts = connector.activities(TEAMS_CHANNEL_ID).filter((r) => words(r.body).includes('Recurring pattern'));
    expect(alerts).toHaveLength(1);
    expect(words(alerts[0]?.body)).toContain('FR-1, FR-2, FR-3');
  });

  // ---- privacy, lookups, restarts ---------------------------------------------------------------------------------

  it('keeps an anonymous reporter out of every table, message and log line', async () => {
    await setupReviewChannel();
    // Someone else asked for the "Report friction" card in a channel; the anonymous reporter presses its button.
    await say('friction', { from: OTHER_WORKER, channel: true });
    const form = taskCard(await openForm('', { from: ANON, channel: true }));
    expect(inputsOf(form).get('anonymous')).toBeDefined();
    const own = await send(
      invokeActivity(
        'task/submit',
        { data: { coeAction: 'friction.submit', ...VALID, anonymous: 'true' } },
        { from: ANON, channel: true },
      ),
    );
    expect(words(taskCard(own))).toContain('Submitted anonymously');
    await flush();
    // The CoE works on it: a status change, a thread reply, no direct message to anybody.
    await press(
      { coeAction: 'friction.triage', value: 'FR-1' },
      { from: COE_USER, on: { conversationId: TEAMS_CHANNEL_ID, activityId: reviewCard('FR-1').activityId } },
    );
    await flush();
    expect(words(reviewCard('FR-1').card)).toContain('anonymous');
    expect((await db.prisma.frictionReport.findFirst())?.reporterPersonId).toBeNull();

    const secrets = [ANON.id, ANON.aadObjectId as string, ANON.name];
    const tables = await db.prisma.$queryRaw<{ tablename: string }[]>`
      SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
    expect(tables.length).toBeGreaterThan(5);
    for (const { tablename } of tables) {
      const rows = await db.prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${tablename}"`);
      const dump = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
      for (const secret of secrets) expect(dump, `table ${tablename}`).not.toContain(secret);
    }
    const sent = JSON.stringify(connector.requests());
    const logs = JSON.stringify(bot.logs);
    for (const secret of secrets) {
      expect(sent).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(bot.logs.length).toBeGreaterThan(0);
  });

  it('answers `my reports` with a card, with the triage queue for CoE members', async () => {
    await submitForm(VALID);
    await say('my reports');
    const [mine] = await connector.waitForActivities(1);
    expect(cardsOfActivity(mine?.body)).toHaveLength(1);
    expect(words(mine?.body)).toContain('My reports');
    expect(words(mine?.body)).toContain('FR-1');
    expect(words(mine?.body)).not.toContain('Triage queue');

    connector.reset();
    await say('my reports', { from: COE_USER, channel: true });
    const [coe] = await connector.waitForActivities(1);
    expect(coe?.conversationId?.startsWith(TEAMS_CHANNEL_ID)).toBe(false); // about the person: privately
    expect(words(coe?.body)).toContain('Triage queue');
    expect(words(coe?.body)).toContain('Inventory scanners fail after 30 minutes');
  });

  it('still answers `status FR-1` after a restart on the same database', async () => {
    await submitForm(VALID);
    await bot.stop({ flushMs: 0 });
    bot = await start();
    await say('status FR-1', { from: OTHER_WORKER });
    const [reply] = await connector.waitForActivities(1);
    expect(words(reply?.body)).toContain('FR-1 · Inventory scanners fail after 30 minutes');
    expect(words(reply?.body)).not.toContain('Ada Lovelace'); // status never names the reporter
  });

  it('declares the message action it answers to in the Teams manifest', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../manifests/teams/manifest.json', import.meta.url), 'utf8'));
    expect(manifest.composeExtensions).toEqual([
      {
        botId: manifest.bots[0].botId,
        commands: [
          expect.objectContaining({
            id: MESSAGE_ACTIONS.reportFriction,
            type: 'action',
            context: ['message'],
            fetchTask: true,
          }),
        ],
      },
    ]);
  });
});
