/**
 * Friction intake and the CoE's triage in Teams (issue 3), through the real botbuilder CloudAdapter: `friction …`
 * said to the bot, the task-module form, the message action, the review card's buttons and their dialogs. Replies,
 * proactive posts and updates land on a fake Bot Connector; invoke answers come back in the HTTP response.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FRICTION_FIELDS, LIMITS } from '../../src/domain/friction.ts';
import { MESSAGE_ACTIONS } from '../../src/platforms/teams/ids.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import {
  type Card,
  cardButtons,
  cardErrors,
  cardInputs,
  cardsOfActivity,
  DEFAULT_TEAMS_USER,
  TEAMS_CHANNEL_ID,
  type TeamsAccount,
  taskModuleCard,
  taskModuleText,
} from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, type Where } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const WORKER: TeamsAccount = DEFAULT_TEAMS_USER;
const OTHER_WORKER = account('bob', 'Bob Builder');
/** Never says anything to the bot: reports anonymously through a card someone else asked for. */
const ANON = account('anon-7f3a', 'Quiet Person');

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

const words = (x: unknown) => JSON.stringify(x);

describe.each(databaseKinds())('friction in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE_USER], botPerTest: true });
  const { post, messageActivity, send, invokeActivity, invoke, fetchTask, submitTask, buttonActivity, flush } = story;
  // The story's database, connector and bot (set before each test), by the names the tests use.
  let { db, connector, bot } = story;
  beforeEach(() => {
    ({ db, connector, bot } = story);
  });
  afterEach(() => {
    // Every card the bot sent or answered with is a valid Adaptive Card 1.5.
    expectValidCards(story.cardsSent());
  });

  // ---- what people do -------------------------------------------------------------------------------------------

  // Said and pressed here without checking the HTTP answer; the tests that care read it.
  const say = (text: string, where: Where = {}) => post(messageActivity(text, where));
  /** A plain Action.Submit pressed on a card in a channel. */
  const press = (data: unknown, options: { from: TeamsAccount; on: { conversationId: string; activityId: string } }) =>
    post(buttonActivity(data, options.from, { channel: options.on.conversationId, activityId: options.on.activityId }));

  const openForm = (prefill: string, where: Where = {}) =>
    fetchTask({ msteams: { type: 'task/fetch' }, coeAction: 'friction.open', prefill }, where);
  const submitForm = (values: Record<string, unknown>, where: Where = {}) =>
    submitTask({ coeAction: 'friction.submit', ...values }, where);

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
    expect(cardButtons(card as Card)).toEqual([
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
    const card = taskModuleCard(await openForm('scanner dies'));
    const inputs = cardInputs(card);
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
    expect(cardButtons(card)).toEqual([
      expect.objectContaining({ type: 'Action.Submit', data: { coeAction: 'friction.submit' } }),
    ]);

    // Long text is what happened, not a title.
    const long = `The scanner dies.\n${'It froze again. '.repeat(20)}`;
    const longForm = cardInputs(taskModuleCard(await openForm(long)));
    expect(longForm.get('description')?.value).toBe(long.trim());
    expect(longForm.get('title')?.value).toBeUndefined();

    // Once teams exist, the team is a choice, and the person's last team is the default.
    await say('team add Warehouse', { from: COE_USER });
    await say('team add Logistics', { from: COE_USER });
    await submitForm({ ...VALID, team: 'warehouse' });
    const withTeams = cardInputs(taskModuleCard(await openForm('')));
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
    const confirmation = taskModuleCard(first);
    expect(words(confirmation)).toContain('your report is FR-1');
    // Teams redelivers the same activity on a retry: one report, one review message, the same answer.
    const again = await send(activity);
    expect(words(taskModuleCard(again))).toContain('your report is FR-1');
    await flush();

    const stored = await db.prisma.frictionReport.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ number: 1, title: VALID.title, tool: VALID.tool, status: 'new' });
    const posts = connector.activities(TEAMS_CHANNEL_ID);
    expect(posts).toHaveLength(1);
    const { card } = reviewCard('FR-1');
    expect(words(card)).toContain('Ada Lovelace');
    // Triage is a plain button (a message activity); the others open a dialog first.
    const buttons = Object.fromEntries(cardButtons(card).map((b) => [(b.data as { coeAction: string }).coeAction, b]));
    expect(buttons['friction.triage']).toMatchObject({ type: 'Action.Submit', data: { value: 'FR-1' } });
    expect(buttons['friction.triage']?.data).not.toHaveProperty('msteams');
    for (const action of ['friction.duplicate', 'friction.decline']) {
      expect(buttons[action]).toMatchObject({ data: { msteams: { type: 'task/fetch' }, value: 'FR-1' } });
    }
  });

  it('returns the form with errors under each bad field, values kept, and stores nothing', async () => {
    const empty = taskModuleCard(await submitForm({ ...VALID, title: '   ' }));
    expect(cardErrors(empty)).toEqual({ title: 'Please fill in a short title.' });
    expect(cardInputs(empty).get('tool')?.value).toBe(VALID.tool);
    expect(cardInputs(empty).get('kind')?.value).toBe(VALID.kind);

    const tooLong = taskModuleCard(await submitForm({ ...VALID, description: 'x'.repeat(5000) }));
    expect(cardErrors(tooLong).description).toMatch(/under 3000 characters \(it has 5000\)/);

    const missing = taskModuleCard(await submitForm({ coeAction: 'friction.submit' }));
    expect(Object.keys(cardErrors(missing)).sort()).toEqual([
      'description',
      'frequency',
      'impact',
      'kind',
      'title',
      'tool',
    ]);

    await say('team add Warehouse', { from: COE_USER });
    const unknownTeam = taskModuleCard(await submitForm({ ...VALID, team: 'Narnia' }));
    expect(cardErrors(unknownTeam).team).toContain('There is no team called "Narnia"');
    expect(cardInputs(unknownTeam).get('team')?.type).toBe('Input.ChoiceSet');

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
    const form = taskModuleCard(await invoke('composeExtension/fetchTask', common, { channel: true }));
    expect(cardInputs(form).get('title')?.value).toBe('Scanner died again & lost the count');
    expect(words(form)).toContain(link);

    const submit = cardButtons(form)[0]?.data as Record<string, unknown>;
    const answer = await invoke(
      'composeExtension/submitAction',
      { ...common, data: { ...submit, ...VALID, title: 'Scanner died again & lost the count' } },
      { channel: true },
    );
    expect(words(taskModuleCard(answer))).toContain('FR-1');
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
    expect(taskModuleText(await fetchDecision('friction.decline', 'FR-3', WORKER))).toMatch(/Only CoE members/);
    expect(
      taskModuleText(
        await submitDecision({ coeAction: 'friction.decline', value: 'FR-3', lane: 'other', reason: 'no' }, WORKER),
      ),
    ).toMatch(/Only CoE members/);

    // Decline: a required choice of lane (radio buttons), an optional standard, and a note needed for "other".
    const declineForm = taskModuleCard(await fetchDecision('friction.decline', 'FR-3', COE_USER));
    const declineInputs = cardInputs(declineForm);
    expect(declineInputs.get('lane')).toMatchObject({ type: 'Input.ChoiceSet', style: 'expanded', isRequired: true });
    expect(((declineInputs.get('lane')?.choices ?? []) as { value: string }[]).map((c) => c.value)).toEqual([
      'manager_call',
      'executive_call',
      'people_matter',
      'covered_by_standard',
      'other',
    ]);
    expect(declineInputs.get('standard')?.isRequired).toBeUndefined();
    expect(declineInputs.get('reason')).toMatchObject({ maxLength: LIMITS.reason });
    expect(declineInputs.get('reason')?.isRequired).toBeUndefined();
    const submitData = cardButtons(declineForm)[0]?.data as Record<string, string>;
    expect(cardErrors(taskModuleCard(await submitDecision({ ...submitData, lane: '', reason: 'x' })))).toEqual({
      lane: 'Please choose where this report belongs.',
    });
    const noReason = taskModuleCard(await submitDecision({ ...submitData, lane: 'other', reason: ' ' }));
    expect(cardErrors(noReason)).toEqual({ reason: 'Please say why, so the reporter understands the decision.' });
    expect(cardInputs(noReason).get('lane')?.value).toBe('other'); // what was chosen stays chosen
    expect(
      cardErrors(
        taskModuleCard(await submitDecision({ ...submitData, lane: 'covered_by_standard', standard: 'ghost' })),
      ),
    ).toEqual({ standard: 'There is no standard SOP-ghost. Check its key, or leave this empty.' });
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 3 } }))?.status).toBe('new');
    expect(
      taskModuleText(
        await submitDecision({ ...submitData, lane: 'other', reason: 'Out of labels is a supply issue.' }),
      ),
    ).toBe('FR-3 declined.');

    // Duplicate: FR-2 into FR-1; not into itself.
    const duplicateForm = taskModuleCard(await fetchDecision('friction.duplicate', 'FR-2', COE_USER));
    const duplicateData = cardButtons(duplicateForm)[0]?.data as Record<string, string>;
    expect(cardErrors(taskModuleCard(await submitDecision({ ...duplicateData, duplicateOf: 'FR-2' })))).toEqual({
      duplicateOf: 'A report cannot duplicate itself.',
    });
    expect(taskModuleText(await submitDecision({ ...duplicateData, duplicateOf: 'fr-1' }))).toBe(
      'FR-2 merged into FR-1.',
    );

    // Root cause once triaged.
    await press(
      { coeAction: 'friction.triage', value: 'FR-1' },
      { from: COE_USER, on: { conversationId: TEAMS_CHANNEL_ID, activityId: reviewCard('FR-1').activityId } },
    );
    const rootCauseForm = taskModuleCard(await fetchDecision('friction.root_cause', 'FR-1', COE_USER));
    const rootCauseData = cardButtons(rootCauseForm)[0]?.data as Record<string, string>;
    expect(
      taskModuleText(await submitDecision({ ...rootCauseData, rootCause: 'Battery saver kills the Wi-Fi.' })),
    ).toBe('Root cause recorded on FR-1.');

    await flush();
    const reports = await db.prisma.frictionReport.findMany({ orderBy: { number: 'asc' } });
    expect(reports.map((r) => r.status)).toEqual(['analysing', 'duplicate', 'declined']);
    expect(reports[0]?.plusOnes).toBe(1);
    const declined = reviewCard('FR-3').card;
    expect(words(declined)).toContain('Out of labels is a supply issue.');
    expect(cardButtons(declined)).toEqual([]); // nothing left to decide
    expect(words(reviewCard('FR-1').card)).toContain('Battery saver kills the Wi-Fi.');
  });

  it('keeps a people matter out of the review card, and passes a budget matter on to an executive', async () => {
    const EXECUTIVE = account('eve', 'Eve Executive');
    await setupReviewChannel();
    await say('help', { from: EXECUTIVE }); // so the bot can reach her later
    connector.addMember(EXECUTIVE); // so the mention below resolves to her Entra id
    await post(messageActivity('role <at>Eve Executive</at> executive', { from: COE_USER, mentioning: [EXECUTIVE] }));
    await flush();
    connector.reset();
    await say('help'); // the reporter talks to the bot in their personal chat
    const reporterChat = connector.activities()[0]?.conversationId as string;
    await submitForm({ ...VALID, title: 'Shift lead shouts at us', description: 'Dana shouts at the night shift.' });
    await submitForm({ ...VALID, title: 'Not enough scanners', tool: 'Scanner fleet' });
    await flush();
    const hiddenId = reviewCard('FR-1').activityId;
    connector.reset();
    const on = { conversationId: `${TEAMS_CHANNEL_ID};messageid=${hiddenId}`, from: COE_USER };
    const decline = (value: string, data: Record<string, string>) =>
      invoke('task/submit', { data: { coeAction: 'friction.decline', value, ...data } }, on);

    expect(taskModuleText(await decline('FR-1', { lane: 'people_matter', reason: 'Please talk to HR.' }))).toBe(
      'FR-1 declined. Its details are kept out of the review channel now.',
    );
    expect(taskModuleText(await decline('FR-2', { lane: 'executive_call', standard: '', reason: '' }))).toBe(
      'FR-2 declined and passed on to 1 executive.',
    );
    await flush();

    // The people matter: the card keeps its title and lane; the thread reply says only the lane.
    const hidden = reviewCard('FR-1').card;
    expect(words(hidden)).toContain('Shift lead shouts at us');
    expect(words(hidden)).toContain('a people matter');
    for (const gone of ['Dana', WORKER.name, 'Please talk to HR', 'Inventory scanner']) {
      expect(words(hidden)).not.toContain(gone);
    }
    const thread = connector.activities().filter((a) => a.conversationId === on.conversationId);
    expect(thread.map((a) => words(a.body))).toEqual([
      expect.stringContaining('Declined: a people matter (interpersonal or individual performance)'),
    ]);
    expect(words(thread)).not.toMatch(/Cora|Please talk to HR/);

    // The reporter, in their personal chat: where to go instead, first, and nobody named as the one who decided.
    const toReporter = connector.activities().filter((a) => a.conversationId === reporterChat);
    expect(toReporter.map((a) => words(a.body))).toEqual([
      expect.stringContaining('please talk it over privately with your manager or HR'),
      expect.stringContaining('so the CoE has passed it on to them'),
    ]);
    expect(words(toReporter)).not.toContain('Cora');
    // The executive got the budget matter, without the reporter's name.
    const toExecutive = connector
      .activities()
      .filter((a) => words(a.body).includes('it needs a decision on priority, budget or resources'));
    expect(toExecutive).toHaveLength(1);
    expect(words(toExecutive)).not.toContain(WORKER.name);
  });

  it('folds a new report into a similar one with "+1 FR-n instead"', async () => {
    await submitForm(VALID);
    const confirmation = taskModuleCard(
      await submitForm({ ...VALID, title: 'Scanner broken again' }, { from: OTHER_WORKER }),
    );
    const plusOne = cardButtons(confirmation).find((b) => b.title === '+1 FR-1 instead');
    expect(plusOne).toMatchObject({ type: 'Action.Submit', data: { coeAction: 'friction.plus_one_instead' } });
    const answer = await invoke('task/submit', { data: plusOne?.data }, { from: OTHER_WORKER });
    expect(taskModuleText(answer)).toMatch(/your \+1 is on FR-1/);
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
    const form = taskModuleCard(await openForm('', { from: ANON, channel: true }));
    expect(cardInputs(form).get('anonymous')).toBeDefined();
    const own = await send(
      invokeActivity(
        'task/submit',
        { data: { coeAction: 'friction.submit', ...VALID, anonymous: 'true' } },
        { from: ANON, channel: true },
      ),
    );
    expect(words(taskModuleCard(own))).toContain('Submitted anonymously');
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
    bot = await story.restart();
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
        commands: expect.arrayContaining([
          expect.objectContaining({
            id: MESSAGE_ACTIONS.reportFriction,
            type: 'action',
            context: ['message'],
            fetchTask: true,
          }),
        ]),
      },
    ]);
  });
});
