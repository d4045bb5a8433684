/**
 * Change management in Teams (issue 4), through the real botbuilder CloudAdapter: `change request …` and its
 * task-module form, the review card's Approve / Request changes / Reject, "Revise and resubmit", `release` and its
 * form, the announcements in the teams' channels with "Deployed in my team", and the registry commands (`sop`,
 * `constraint`, `ai`). Replies, proactive posts and updates land on a fake Bot Connector; invoke answers come back in
 * the HTTP response.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AI_LIMITS } from '../../src/domain/ai-rules.ts';
import { CHANGE_FIELDS, CHANGE_LIMITS } from '../../src/domain/change.ts';
import { RELEASE_NOTES_MAX } from '../../src/domain/release.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import {
  type Card,
  cardButtons,
  cardErrors,
  cardInputs,
  cardsOfActivity,
  DEFAULT_TEAMS_USER,
  personalConversationId,
  TEAMS_CHANNEL_ID,
  type TeamsAccount,
  taskModuleCard,
  taskModuleText,
  taskModuleTitle,
} from '../support/teams-activity.ts';
import { account, buttonsByAction, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const OTHER_COE = account('otto', 'Otto CoE');
const MANAGER = account('mona', 'Mona Manager');
const EXECUTIVE = account('eve', 'Eve Executive');
const WORKER: Required<TeamsAccount> = DEFAULT_TEAMS_USER;
const PEOPLE = [COE_USER, OTHER_COE, MANAGER, EXECUTIVE, WORKER];

/** The review channel is the support code's default channel; each team has a channel of its own. */
const REVIEW_CHANNEL = TEAMS_CHANNEL_ID;
const WAREHOUSE_CHANNEL = '19:warehouse@thread.tacv2';
const LOGISTICS_CHANNEL = '19:logistics@thread.tacv2';

const FRICTION = {
  kind: 'tool_friction',
  title: 'Inventory scanners fail after 30 minutes',
  description: 'The handheld scanner freezes after about half an hour and needs a reboot.',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  anonymous: 'false',
};

/** The change-request form as Teams submits it: every input, untouched ones empty, the toggle as text. */
const CHANGE: Record<string, string> = {
  kind: 'tool',
  sop: '',
  newSop: 'inventory-scanning',
  title: 'Turn off battery saver on the scanners',
  change: 'Scanners run with battery saver off; the shift lead checks it at the start of each shift.',
  why: 'Battery saver drops the Wi-Fi after 30 minutes and the scanner freezes.',
  friction: 'FR-1',
  constraint: '',
  risk: 'low',
  improvement: 'clarify',
  aiTool: '',
  aiStatus: '',
  aiDataClasses: '',
  aiForbiddenInputs: '',
  aiHumanReview: 'false',
  aiLayers: '',
};

describe.each(databaseKinds())('change management in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE_USER, OTHER_COE], people: PEOPLE, botPerTest: true });
  const { say, send, taskActivity, fetchTask, submitTask, press, mark, flush, chatOf, lastInChat } = story;
  const { buttonData, cardIn, updatesOf, resetConnector } = story;
  // The story's database, connector and bot (set before each test), by the names the tests use.
  let { db, connector, bot } = story;
  beforeEach(() => {
    ({ db, connector, bot } = story);
  });
  afterEach(() => {
    // Every card the bot sent or answered with is a valid Adaptive Card 1.5.
    const cards = story.cardsSent();
    expect(cards.length).toBeGreaterThan(0);
    expectValidCards(cards);
    // Refusals and mistakes are answered, not crashed on: nothing was logged as an error.
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  // ---- what people do -------------------------------------------------------------------------------------------

  /** Everyone says hello in a personal chat (so the bot can reach them later); the CoE sets up the review channel. */
  const setUp = async (layers: [TeamsAccount, string][] = [[MANAGER, 'manager']]) => {
    for (const person of PEOPLE) await say('help', { from: person });
    await say('setup review-channel', { from: COE_USER, channel: true });
    // Otto is a CoE member from COE_MEMBERS, known by id only: a role command teaches the bot his name.
    for (const [person, layer] of [[OTHER_COE, 'coe'] as const, ...layers]) {
      await say(`role <at>${person.name}</at> ${layer}`, { from: COE_USER, mentioning: [person] });
    }
    await flush();
    resetConnector();
  };

  /** The button data of the opener card the bot answered a command with, in the asker's personal chat. */
  const openerButton = (person: TeamsAccount) => buttonData(person);

  /** The friction form, submitted by the worker: FR-n. */
  const reportFriction = async () => {
    const answer = await submitTask({ coeAction: 'friction.submit', ...FRICTION });
    expect(words(taskModuleCard(answer))).toMatch(/your report is FR-\d/);
  };

  /** `change request`, its opener's button, and the form it opens. */
  const openChangeForm = async (from: TeamsAccount, text = '') => {
    await say(`change request ${text}`.trim(), { from });
    return fetchTask(openerButton(from), { from });
  };

  const submitChange = (values: Record<string, string>, from: TeamsAccount = MANAGER, revise?: string) =>
    submitTask({ coeAction: 'change.submit', ...(revise ? { revise } : {}), ...CHANGE, ...values }, { from });

  /** A change request raised through the form: CR-n. */
  const raiseChange = async (values: Record<string, string> = {}, from: TeamsAccount = MANAGER) => {
    taskModuleCard(await openChangeForm(from));
    const answer = await submitChange(values, from);
    const match = /your change request is (CR-\d+)/.exec(words(taskModuleCard(answer)));
    expect(match, words(answer)).not.toBeNull();
    await flush();
    return match?.[1] as string;
  };

  const reviewCard = (id: string) => cardIn(REVIEW_CHANNEL, `${id} · `);

  const approve = async (id: string, from: TeamsAccount) => {
    await press({ coeAction: 'change.approve', value: id }, from, {
      channel: REVIEW_CHANNEL,
      activityId: reviewCard(id).activityId,
    });
    await flush();
  };

  const changeRow = (number: number) => db.prisma.changeRequest.findFirst({ where: { number } });
  const frictionRow = (number: number) => db.prisma.frictionReport.findFirst({ where: { number } });

  // ---- raising a change request ---------------------------------------------------------------------------------

  it('lets a manager raise CR-1 linked to FR-1 through the form; the review card offers Approve, Request changes, Reject', async () => {
    await setUp();
    await reportFriction();

    await say('change request Turn off battery saver on the scanners', { from: MANAGER });
    expect(openerButton(MANAGER)).toEqual({
      msteams: { type: 'task/fetch' },
      coeAction: 'change.open',
      prefill: 'Turn off battery saver on the scanners',
    });
    const form = taskModuleCard(await fetchTask(openerButton(MANAGER), { from: MANAGER }));
    const inputs = cardInputs(form);
    // No SOP registered and no executive constraint yet: those two choices are left out, not shown empty.
    expect([...inputs.keys()].sort()).toEqual(CHANGE_FIELDS.filter((f) => f !== 'sop' && f !== 'constraint').sort());
    expect(inputs.get('title')).toMatchObject({
      type: 'Input.Text',
      value: 'Turn off battery saver on the scanners',
      maxLength: CHANGE_LIMITS.title,
      isRequired: true,
    });
    expect(inputs.get('change')).toMatchObject({
      isMultiline: true,
      maxLength: CHANGE_LIMITS.change,
      isRequired: true,
    });
    expect(inputs.get('why')).toMatchObject({ isMultiline: true, maxLength: CHANGE_LIMITS.why, isRequired: true });
    for (const input of ['title', 'change', 'why', 'kind', 'risk', 'improvement']) {
      expect(inputs.get(input)?.errorMessage, input).toBeTruthy();
    }
    for (const choice of ['kind', 'risk', 'improvement']) {
      expect(inputs.get(choice)).toMatchObject({ type: 'Input.ChoiceSet', isRequired: true });
    }
    expect(inputs.get('friction')).toMatchObject({ maxLength: CHANGE_LIMITS.friction, placeholder: 'FR-3, FR-7' });
    expect(inputs.get('friction')?.isRequired).toBeUndefined();
    expect(inputs.get('newSop')).toMatchObject({ maxLength: CHANGE_LIMITS.sop });
    expect(inputs.get('aiTool')).toMatchObject({ maxLength: AI_LIMITS.tool });
    expect(inputs.get('aiForbiddenInputs')).toMatchObject({ maxLength: AI_LIMITS.forbiddenInputs });
    expect(inputs.get('aiHumanReview')).toMatchObject({ type: 'Input.Toggle', value: 'false' });
    expect(inputs.get('aiLayers')).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true });
    expect(words(form)).toContain('Only for AI rule changes');
    expect(cardButtons(form)).toEqual([
      expect.objectContaining({ type: 'Action.Submit', data: { coeAction: 'change.submit' } }),
    ]);

    const submit = taskActivity('task/submit', { coeAction: 'change.submit', ...CHANGE }, { from: MANAGER });
    expect(words(taskModuleCard(await send(submit)))).toContain('your change request is CR-1');
    // Teams redelivers the same activity on a retry: one request, one review card, the same answer.
    expect(words(taskModuleCard(await send(submit)))).toContain('your change request is CR-1');
    await flush();

    const stored = await db.prisma.changeRequest.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      number: 1,
      status: 'submitted',
      sopKey: 'inventory-scanning',
      friction: [1],
      improvement: 'clarify',
    });
    const requester = await db.prisma.person.findUnique({ where: { id: stored[0]?.requesterPersonId ?? -1 } });
    expect(requester?.displayName).toBe(MANAGER.name);
    // One review card for FR-1, one for CR-1.
    expect(connector.activities(REVIEW_CHANNEL).map((r) => words(r.body).slice(0, 6))).toEqual(['FR-1 n', 'CR-1 s']);
    const { card } = reviewCard('CR-1');
    expect(words(card)).toContain('Mona Manager');
    expect(words(card)).toContain('FR-1');
    const buttons = buttonsByAction(card);
    expect(Object.keys(buttons).sort()).toEqual(['change.approve', 'change.reject', 'change.request_changes']);
    // Approve is a plain button (a message activity); the other two ask for a reason in a dialog first.
    expect(buttons['change.approve']).toMatchObject({ type: 'Action.Submit', data: { value: 'CR-1:v1' } });
    expect(buttons['change.approve']?.data).not.toHaveProperty('msteams');
    for (const action of ['change.request_changes', 'change.reject']) {
      expect(buttons[action]).toMatchObject({ data: { msteams: { type: 'task/fetch' }, value: 'CR-1:v1' } });
    }

    // Once the registry has a standard and an executive a constraint, the form offers them as choices.
    await say('sop new inventory-scanning Inventory scanning', { from: COE_USER });
    await say('role <at>Eve Executive</at> executive', { from: COE_USER, mentioning: [EXECUTIVE] });
    await say('constraint add priority Improve quality', { from: EXECUTIVE });
    await say('change-request', { from: MANAGER }); // spelled as the Slack command too
    const later = cardInputs(taskModuleCard(await fetchTask(openerButton(MANAGER), { from: MANAGER })));
    expect(later.get('sop')).toMatchObject({
      type: 'Input.ChoiceSet',
      choices: [{ title: 'SOP-inventory-scanning · Inventory scanning', value: 'inventory-scanning' }],
    });
    expect(later.get('sop')?.isRequired).toBeUndefined();
    expect(later.get('constraint')).toMatchObject({
      type: 'Input.ChoiceSet',
      choices: [{ title: 'EX-1 Improve quality', value: 'EX-1' }],
    });
  });

  it('points a worker kindly to `friction`, with no form, wherever they ask', async () => {
    await setUp();
    await say('change request make scanners better');
    const reply = lastInChat(WORKER);
    expect(words(reply)).toContain('Change requests come from managers, executives and the CoE');
    expect(words(reply)).toContain('friction');
    expect(cardsOfActivity(reply).flatMap(cardButtons)).toEqual([]);

    // In a channel the refusal is about the person: it goes to their personal chat, not the thread.
    resetConnector();
    await say('change request', { channel: true });
    await connector.waitForActivities(1);
    expect(connector.activities().map((r) => r.conversationId)).toEqual([personalConversationId(WORKER)]);
    expect(words(lastInChat(WORKER))).toContain('Change requests come from managers');

    // The button of someone else's opener card, or a forged submit, is refused too.
    expect(taskModuleText(await fetchTask({ coeAction: 'change.open', prefill: '' }, { channel: true }))).toContain(
      'Change requests come from managers',
    );
    expect(taskModuleText(await submitChange({}, WORKER))).toContain('Change requests come from managers');
    expect(await db.prisma.changeRequest.count()).toBe(0);
  });

  it('returns the form with errors under each bad field, the values kept, and stores nothing', async () => {
    await setUp();
    taskModuleCard(await openChangeForm(MANAGER));

    const empty = taskModuleCard(await submitChange({ title: '   ', friction: '' }));
    expect(cardErrors(empty)).toEqual({ title: 'Please fill in a title.' });
    expect(words(empty)).toContain('nothing was stored yet');
    const kept = cardInputs(empty);
    expect(kept.get('why')?.value).toBe(CHANGE.why);
    expect(kept.get('kind')?.value).toBe('tool');
    expect(kept.get('newSop')?.value).toBe('inventory-scanning');

    const tooLong = taskModuleCard(await submitChange({ change: 'x'.repeat(5000), friction: '' }));
    expect(cardErrors(tooLong).change).toMatch(/under 3000 characters \(it has 5000\)/);
    expect(cardInputs(tooLong).get('change')?.value).toHaveLength(5000);

    const unknownReport = taskModuleCard(await submitChange({ friction: 'FR-99' }));
    expect(cardErrors(unknownReport)).toEqual({ friction: 'There is no FR-99.' });
    expect(cardInputs(unknownReport).get('friction')?.value).toBe('FR-99');

    const nothing = taskModuleCard(await submitTask({ coeAction: 'change.submit' }, { from: MANAGER }));
    expect(Object.keys(cardErrors(nothing)).sort()).toEqual([
      'change',
      'improvement',
      'kind',
      'risk',
      'sop',
      'title',
      'why',
    ]);

    // A malformed submit (a number where text goes) is an out-of-date form, not a crash.
    expect(taskModuleText(await submitChange({ title: 7 as unknown as string }))).toContain('out of date');

    expect(await db.prisma.changeRequest.count()).toBe(0);
    expect(await db.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: 'CR-' } } })).toBe(0);
  });

  // ---- the CoE's decisions --------------------------------------------------------------------------------------

  it('refuses Approve to the requester and an executive privately; another CoE member approves it in place', async () => {
    await setUp([
      [MANAGER, 'manager'],
      [EXECUTIVE, 'executive'],
    ]);
    await reportFriction();
    const id = await raiseChange();
    const review = reviewCard(id);
    const sinceCard = mark();

    for (const [who, refusal] of [
      [MANAGER, 'Only CoE members approve, send back or reject change requests'],
      [EXECUTIVE, 'Only CoE members approve, send back or reject change requests'],
    ] as const) {
      await press({ coeAction: 'change.approve', value: id }, who, { channel: REVIEW_CHANNEL, ...review });
      await connector.waitFor(() => words(chatOf(who)).includes(refusal));
    }
    // Privately: nothing in the review channel or its thread, and the card is as it was.
    await flush();
    expect(sinceCard().filter((r) => r.conversationId?.startsWith(REVIEW_CHANNEL))).toEqual([]);
    expect((await changeRow(1))?.status).toBe('submitted');

    // A CoE member never decides a request of their own.
    const own = await raiseChange({ title: 'Label the scanner chargers', friction: '' }, COE_USER);
    await approve(own, COE_USER);
    expect(words(lastInChat(COE_USER))).toContain(`You raised ${own}, so another CoE member decides it`);
    expect((await changeRow(2))?.status).toBe('submitted');

    await approve(id, OTHER_COE);
    expect(words(lastInChat(OTHER_COE))).toContain('CR-1 is approved.');
    expect(updatesOf(review.activityId)).toHaveLength(1);
    const updated = reviewCard(id).card;
    expect(words(updated)).toContain('Approved');
    expect(words(updated)).toContain('1/1 (Otto CoE)');
    expect(cardButtons(updated)).toEqual([]);
    const thread = connector.activities(`${REVIEW_CHANNEL};messageid=${review.activityId}`);
    expect(thread.map((r) => words(r.body))).toEqual([expect.stringContaining('Otto CoE approved it.')]);
    expect(words(lastInChat(MANAGER))).toContain('is now **approved**');
    expect((await changeRow(1))?.status).toBe('approved');
    // FR-1 is in change now, and its reporter is told.
    expect((await frictionRow(1))?.status).toBe('in_change');
    expect(words(chatOf(WORKER))).toContain('was approved: the CoE is changing what caused it');

    // A second press is too late, and says so privately.
    await approve(id, COE_USER);
    expect(words(lastInChat(COE_USER))).toContain('CR-1 is approved now, so that no longer applies');
  });

  it('sends a request back for changes with a required reason; the requester revises it from their chat', async () => {
    await setUp();
    await reportFriction();
    const id = await raiseChange();
    const on = { conversationId: `${REVIEW_CHANNEL};messageid=${reviewCard(id).activityId}` };
    const openDecision = (from: TeamsAccount) =>
      fetchTask({ msteams: { type: 'task/fetch' }, coeAction: 'change.request_changes', value: id }, { ...on, from });

    // Anyone but a CoE member is refused before the dialog asks for anything.
    expect(taskModuleText(await openDecision(MANAGER))).toContain('Only CoE members approve, send back or reject');
    const form = taskModuleCard(await openDecision(OTHER_COE));
    expect(cardInputs(form).get('reason')).toMatchObject({
      type: 'Input.Text',
      isMultiline: true,
      isRequired: true,
      maxLength: CHANGE_LIMITS.reason,
    });
    const data = cardButtons(form)[0]?.data as Record<string, string>;
    expect(data).toEqual({ coeAction: 'change.request_changes', value: 'CR-1' });
    expect(taskModuleText(await submitTask({ ...data, reason: 'no' }, { ...on, from: MANAGER }))).toContain(
      'Only CoE members',
    );

    const blank = taskModuleCard(await submitTask({ ...data, reason: '  ' }, { ...on, from: OTHER_COE }));
    expect(cardErrors(blank)).toEqual({ reason: 'Please say why, so the requester knows what to do next.' });
    expect((await changeRow(1))?.status).toBe('submitted');
    const reason = 'Say which scanner models, and who checks it on the night shift.';
    expect(taskModuleText(await submitTask({ ...data, reason }, { ...on, from: OTHER_COE }))).toBe(
      'CR-1 went back to its requester for changes.',
    );
    await flush();
    expect((await changeRow(1))?.status).toBe('changes_requested');
    expect(cardButtons(reviewCard(id).card)).toEqual([]);

    // The requester's personal chat: the reason, and the button to revise.
    const told = lastInChat(MANAGER);
    expect(words(told)).toContain(reason);
    const [revise] = cardsOfActivity(told).flatMap(cardButtons);
    expect(revise).toMatchObject({
      title: 'Revise and resubmit',
      data: { msteams: { type: 'task/fetch' }, coeAction: 'change.revise', value: 'CR-1' },
    });
    expect(taskModuleText(await fetchTask(revise?.data, { from: OTHER_COE }))).toContain(
      'Only the person who raised CR-1 can revise it',
    );
    const revising = await fetchTask(revise?.data, { from: MANAGER });
    expect(taskModuleTitle(revising)).toBe('Revise CR-1');
    const prefilled = cardInputs(taskModuleCard(revising));
    for (const field of ['kind', 'title', 'change', 'why', 'risk', 'improvement', 'newSop', 'friction']) {
      expect(prefilled.get(field)?.value, field).toBe(CHANGE[field]);
    }
    const resubmit = cardButtons(taskModuleCard(revising))[0]?.data as Record<string, string>;
    expect(resubmit).toEqual({ coeAction: 'change.submit', revise: 'CR-1' });

    const fields = Object.fromEntries([...prefilled].map(([input, e]) => [input, String(e.value ?? '')]));
    const better = `${CHANGE.change} Models: Zebra TC52. The night-shift lead checks it.`;
    const answer = await submitTask({ ...resubmit, ...fields, change: better }, { from: MANAGER });
    expect(words(taskModuleCard(answer))).toContain('your change request is CR-1');
    await flush();
    expect(await db.prisma.changeRequest.count()).toBe(1);
    expect(await changeRow(1)).toMatchObject({ status: 'submitted', change: better, decisionReason: null });
    const again = reviewCard(id);
    expect(words(again.card)).toContain('Submitted');
    expect(Object.keys(buttonsByAction(again.card))).toContain('change.approve');
    const thread = connector.activities(`${REVIEW_CHANNEL};messageid=${again.activityId}`).map((r) => words(r.body));
    expect(thread).toEqual([
      expect.stringContaining(`Otto CoE asked for changes: ${reason}`),
      expect.stringContaining('Mona Manager revised and resubmitted it.'),
    ]);
  });

  it('rejects with a reason, tells the requester without a way to revise, and lets a requester withdraw', async () => {
    await setUp();
    const id = await raiseChange({ friction: '' });
    const on = { conversationId: `${REVIEW_CHANNEL};messageid=${reviewCard(id).activityId}`, from: COE_USER };
    const form = taskModuleCard(
      await fetchTask({ msteams: { type: 'task/fetch' }, coeAction: 'change.reject', value: id }, on),
    );
    const [button] = cardButtons(form);
    expect(button).toMatchObject({ style: 'destructive', data: { coeAction: 'change.reject', value: 'CR-1' } });
    const data = button?.data as Record<string, string>;
    expect(taskModuleText(await submitTask({ ...data, reason: 'The vendor fixes it in the next firmware.' }, on))).toBe(
      'CR-1 is rejected.',
    );
    await flush();
    expect((await changeRow(1))?.status).toBe('rejected');
    expect(words(lastInChat(MANAGER))).toContain('The vendor fixes it in the next firmware.');
    expect(cardsOfActivity(lastInChat(MANAGER)).flatMap(cardButtons)).toEqual([]);

    // `withdraw` and `status` are text commands.
    const second = await raiseChange({ friction: '', title: 'Charge scanners between shifts' });
    await say(`withdraw ${second}`, { from: OTHER_COE });
    expect(words(lastInChat(OTHER_COE))).toContain(`Only the person who raised ${second} can withdraw it`);
    await say(`withdraw ${second}`, { from: MANAGER });
    expect(words(lastInChat(MANAGER))).toContain(`${second} is withdrawn.`);
    await say(`status ${second}`, { from: WORKER });
    expect(words(lastInChat(WORKER))).toContain(`${second} is withdrawn: Charge scanners between shifts`);
  });

  // ---- releases -------------------------------------------------------------------------------------------------

  /**
   * A registered standard, two teams each with a Teams channel (linked by `team channel …` said in it), and CR-1
   * (linked to FR-1) approved: ready to release.
   */
  const readyToRelease = async () => {
    await setUp();
    await say('sop new inventory-scanning Inventory scanning', { from: COE_USER });
    expect(words(lastInChat(COE_USER))).toContain('SOP-inventory-scanning v1.0 "Inventory scanning" is registered');
    await say('team add Warehouse', { from: COE_USER });
    await say('team add Logistics', { from: COE_USER });
    await say('team channel Warehouse', { from: COE_USER, channel: WAREHOUSE_CHANNEL });
    await say('team channel Logistics', { from: COE_USER, channel: LOGISTICS_CHANNEL });
    expect(words(lastInChat(COE_USER))).toContain('releases and reminders for Logistics go to that channel');
    expect(
      (await db.prisma.teamChannel.findMany({ include: { team: true } })).map((c) => [c.team.name, c.channelId]).sort(),
    ).toEqual([
      ['Logistics', LOGISTICS_CHANNEL],
      ['Warehouse', WAREHOUSE_CHANNEL],
    ]);
    await reportFriction();
    const id = await raiseChange({ sop: 'inventory-scanning', newSop: '' });
    await approve(id, OTHER_COE);
    resetConnector();
  };

  /** `release`, its opener's button, and the form it opens. */
  const openReleaseForm = async (text = 'release') => {
    await say(text, { from: COE_USER });
    const button = openerButton(COE_USER);
    expect(button).toMatchObject({ msteams: { type: 'task/fetch' }, coeAction: 'release.open' });
    return fetchTask(button, { from: COE_USER });
  };

  const publish = async () => {
    const form = taskModuleCard(await openReleaseForm());
    const submit = cardButtons(form)[0]?.data as Record<string, string>;
    const values = Object.fromEntries([...cardInputs(form)].map(([input, e]) => [input, String(e.value ?? '')]));
    const answer = await submitTask({ ...submit, ...values }, { from: COE_USER });
    await flush();
    return answer;
  };

  const announcementIn = (channel: string) => cardIn(channel, 'New standard: SOP-inventory-scanning v1.1');

  it('publishes v1.1 from the release form: one announcement in each team channel, CR-1 released, FR-1 resolved', async () => {
    await readyToRelease();

    const form = taskModuleCard(await openReleaseForm());
    const inputs = cardInputs(form);
    expect([...inputs.keys()]).toEqual(['changes', 'notes', 'tags', 'teams']);
    expect(inputs.get('changes')).toMatchObject({
      type: 'Input.ChoiceSet',
      isMultiSelect: true,
      isRequired: true,
      choices: [{ title: 'SOP-inventory-scanning · CR-1 Turn off battery saver on the scanners', value: 'CR-1' }],
      value: 'CR-1', // the only standard on offer: its changes are picked already
    });
    expect(inputs.get('notes')).toMatchObject({
      isMultiline: true,
      maxLength: RELEASE_NOTES_MAX,
      value: '• CR-1 Turn off battery saver on the scanners (Clarify)',
    });
    expect(inputs.get('tags')).toMatchObject({ isMultiSelect: true, value: 'clarify' });
    expect(inputs.get('teams')).toMatchObject({ isMultiSelect: true, label: expect.stringContaining('leave empty') });
    expect(((inputs.get('teams')?.choices ?? []) as { title: string }[]).map((c) => c.title).sort()).toEqual([
      'Logistics',
      'Warehouse',
    ]);
    expect(inputs.get('teams')?.isRequired).toBeUndefined();

    // What is wrong comes back under its field, and nothing is published.
    const submit = cardButtons(form)[0]?.data as Record<string, string>;
    const none = taskModuleCard(await submitTask({ ...submit, changes: '', teams: '' }, { from: COE_USER }));
    expect(cardErrors(none)).toEqual({
      changes: 'Pick at least one approved change request: a release ships approved changes only.',
    });
    const badTeam = taskModuleCard(await submitTask({ ...submit, changes: 'CR-1', teams: '999' }, { from: COE_USER }));
    expect(cardErrors(badTeam)).toEqual({ teams: 'There is no team "999".' });
    expect(cardInputs(badTeam).get('changes')?.value).toBe('CR-1');
    expect(await db.prisma.sopRelease.count()).toBe(0);
    resetConnector();

    const answer = await publish();
    expect(words(taskModuleCard(answer))).toContain(
      'Published SOP-inventory-scanning v1.1: announcing it in 2 team channels',
    );
    expect(await db.prisma.sopRelease.findMany()).toEqual([
      expect.objectContaining({ sopKey: 'inventory-scanning', major: 1, minor: 1, changes: [1] }),
    ]);
    expect((await changeRow(1))?.status).toBe('released');
    expect((await frictionRow(1))?.status).toBe('resolved');
    expect(words(chatOf(WORKER))).toContain('Resolved by SOP-inventory-scanning v1.1');

    // Exactly one announcement, posted proactively as a new message in each team's channel.
    for (const channel of [WAREHOUSE_CHANNEL, LOGISTICS_CHANNEL]) {
      const posts = connector.activities(channel);
      expect(posts, channel).toHaveLength(1);
      expect(posts[0]?.conversationId).toBe(channel); // a new post, not a reply in someone's thread
      const { card } = announcementIn(channel);
      expect(words(card)).toContain(channel === WAREHOUSE_CHANNEL ? 'for Warehouse' : 'for Logistics');
      expect(buttonsByAction(card)['release.deployed']).toMatchObject({ type: 'Action.Submit' });
    }

    // The CoE's progress card catches up ("sent 2/2") and the thread gets one summary.
    const progressMarker = 'Published: SOP-inventory-scanning v1.1';
    await connector.waitFor(() => words(connector.messages(REVIEW_CHANNEL)).includes('Announced: sent 2/2'));
    await flush();
    const progress = cardIn(REVIEW_CHANNEL, progressMarker);
    expect(words(progress.card)).toContain('Announced: sent 2/2.');
    const summaryThread = `${REVIEW_CHANNEL};messageid=${progress.activityId}`;
    await connector.waitFor(() => connector.activities(summaryThread).length > 0);
    await flush();
    const summaries = connector.activities(summaryThread).filter((r) => words(r.body).includes('announced in both'));
    expect(summaries.map((r) => words(r.body))).toEqual([
      expect.stringContaining('SOP-inventory-scanning v1.1: announced in both channels.'),
    ]);
    expect(await db.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);

    // Nothing approved is left: `release` is refused with the reason, and no form opens.
    resetConnector();
    await say('release', { from: COE_USER });
    const refusal = lastInChat(COE_USER);
    expect(words(refusal)).toContain('No approved change request waits for a release');
    expect(cardsOfActivity(refusal).flatMap(cardButtons)).toEqual([]);
    expect(taskModuleText(await fetchTask({ coeAction: 'release.open' }, { from: COE_USER }))).toContain(
      'No approved change request waits for a release',
    );
    // Asked in a channel, the refusal still goes privately.
    await say('release inventory-scanning', { from: COE_USER, channel: true });
    await connector.waitFor(() => chatOf(COE_USER).length === 2);
    expect(connector.activities().every((r) => r.conversationId === personalConversationId(COE_USER))).toBe(true);
    expect(words(lastInChat(COE_USER))).toContain('of SOP-inventory-scanning');
    // And only the CoE publishes.
    await say('release', { from: MANAGER });
    expect(words(lastInChat(MANAGER))).toContain('Only CoE members publish releases');
    expect(await db.prisma.sopRelease.count()).toBe(1);
  });

  it("records Deployed for a manager's own team only, once, and updates that announcement in place", async () => {
    await readyToRelease();
    await say('team member <at>Mona Manager</at> Warehouse manager', { from: COE_USER, mentioning: [MANAGER] });
    expect(words(lastInChat(COE_USER))).toContain('Mona Manager manages Warehouse');
    await publish();
    const warehouse = announcementIn(WAREHOUSE_CHANNEL);
    const logistics = announcementIn(LOGISTICS_CHANNEL);
    const deployedOf = (card: Card) => buttonsByAction(card)['release.deployed']?.data;
    const sincePublished = mark();
    const chatBefore = chatOf(MANAGER).length;

    // Logistics' announcement: not hers to confirm. Refused privately; nothing changes.
    await press(deployedOf(logistics.card), MANAGER, { channel: LOGISTICS_CHANNEL, ...logistics });
    await connector.waitFor(() => chatOf(MANAGER).length === chatBefore + 1);
    expect(words(lastInChat(MANAGER))).toContain(
      "Only Logistics's managers (or the CoE) can say SOP-inventory-scanning v1.1 is deployed there",
    );
    await flush();
    expect(sincePublished().filter((r) => r.conversationId?.startsWith(LOGISTICS_CHANNEL))).toEqual([]);
    expect(await db.prisma.releaseAck.count()).toBe(0);

    await press(deployedOf(warehouse.card), MANAGER, { channel: WAREHOUSE_CHANNEL, ...warehouse });
    await flush();
    expect(words(lastInChat(MANAGER))).toContain('Recorded: Warehouse works to SOP-inventory-scanning v1.1');
    expect(updatesOf(warehouse.activityId)).toHaveLength(1);
    const updated = announcementIn(WAREHOUSE_CHANNEL).card;
    expect(words(updated)).toContain('Deployed in Warehouse by Mona Manager');
    expect(cardButtons(updated)).toEqual([]);
    expect(cardButtons(announcementIn(LOGISTICS_CHANNEL).card)).toHaveLength(1);

    // Pressed again (a new click, before the card updated on her screen): counted once.
    await press(deployedOf(warehouse.card), MANAGER, { channel: WAREHOUSE_CHANNEL, ...warehouse });
    await flush();
    expect(words(lastInChat(MANAGER))).toContain('Already recorded: Warehouse works to SOP-inventory-scanning v1.1');
    expect(updatesOf(warehouse.activityId)).toHaveLength(1);
    const acks = await db.prisma.releaseAck.findMany();
    const warehouseTeam = await db.prisma.team.findFirst({ where: { name: 'Warehouse' } });
    expect(acks.map((a) => a.teamId)).toEqual([warehouseTeam?.id]);
    // A button that names no release is out of date, and says so.
    await press({ coeAction: 'release.deployed', value: 'nonsense' }, MANAGER, {
      channel: WAREHOUSE_CHANNEL,
      ...warehouse,
    });
    await connector.waitFor(() => words(lastInChat(MANAGER)).includes('That button is out of date'));
  });

  // ---- the registry: AI usage rules, executive constraints --------------------------------------------------------

  it('answers `ai chatgpt` from the registry once an AI-rule change is approved and released, not before', async () => {
    await setUp();
    await say('ai chatgpt');
    expect(words(lastInChat(WORKER))).toContain('"chatgpt" is not listed in the AI usage rules: ask the CoE');
    await say('team add Warehouse', { from: COE_USER });

    const id = await raiseChange({
      kind: 'ai_rule',
      newSop: '',
      friction: '',
      title: 'Allow ChatGPT for drafting, with review',
      aiTool: 'ChatGPT',
      aiStatus: 'restricted',
      aiDataClasses: 'public, internal',
      aiForbiddenInputs: 'Customer personal data, credentials',
      aiHumanReview: 'true',
      aiLayers: 'manager,coe',
    });
    expect((await changeRow(1))?.sopKey).toBe('ai-usage-rules');
    // Proposed is not in force: the rule changes only through an approved change request and its release.
    await say('ai chatgpt');
    expect(words(lastInChat(WORKER))).toContain('is not listed in the AI usage rules');
    await say('release', { from: COE_USER });
    expect(words(lastInChat(COE_USER))).toContain('No approved change request waits for a release');

    await approve(id, OTHER_COE);
    const form = taskModuleCard(await openReleaseForm('release ai-usage-rules'));
    expect(cardInputs(form).get('changes')?.choices).toEqual([
      { title: 'SOP-ai-usage-rules · CR-1 Allow ChatGPT for drafting, with review', value: 'CR-1' },
    ]);
    const values = Object.fromEntries([...cardInputs(form)].map(([input, e]) => [input, String(e.value ?? '')]));
    const answer = await submitTask({ ...(cardButtons(form)[0]?.data as object), ...values }, { from: COE_USER });
    expect(words(taskModuleCard(answer))).toContain('Published SOP-ai-usage-rules v1.0');
    await flush();
    expect(await db.prisma.aiRule.findMany()).toEqual([
      expect.objectContaining({ tool: 'ChatGPT', status: 'restricted', humanReview: true, layers: ['manager', 'coe'] }),
    ]);

    await say('ai chatgpt', { from: MANAGER });
    const rule = words(lastInChat(MANAGER));
    expect(rule).toContain('ChatGPT is restricted: as a manager you may use it within the rule below.');
    expect(rule).toContain('Customer personal data, credentials');
    expect(rule).toContain('Set by CR-1, released in SOP-ai-usage-rules v1.0.');
    await say('ai Chat GPT');
    expect(words(lastInChat(WORKER))).toContain('ChatGPT is not for your layer (worker)');
  });

  it('lets an executive add EX-1 with `constraint add priority …`, and refuses a CoE member', async () => {
    await setUp([[EXECUTIVE, 'executive']]);
    await say('constraint add priority Improve quality', { from: EXECUTIVE });
    expect(words(lastInChat(EXECUTIVE))).toContain('Done: EX-1 (priority) "Improve quality"');
    await say('constraint add priority Ship faster', { from: COE_USER });
    expect(words(lastInChat(COE_USER))).toContain('Only executives set priorities, constraints and outcome targets');
    // The date an end date is checked against is today's.
    await say('constraint add target Reduce cycle time by 15% until 2020-01-31', { from: EXECUTIVE });
    expect(words(lastInChat(EXECUTIVE))).toContain('2020-01-31 has passed already.');
    await say('constraint list', { from: WORKER });
    expect(words(lastInChat(WORKER))).toContain('EX-1 · Priority');
    expect(await db.prisma.executiveConstraint.findMany()).toEqual([
      expect.objectContaining({ number: 1, kind: 'priority', text: 'Improve quality' }),
    ]);
  });

  it('names a CoE member from COE_MEMBERS who never wrote to the bot on the approval he presses', async () => {
    // Otto is known by his id only: he never says a word and no command mentions him.
    for (const person of [COE_USER, MANAGER, WORKER]) await say('help', { from: person });
    await say('setup review-channel', { from: COE_USER, channel: true });
    await say(`role <at>${MANAGER.name}</at> manager`, { from: COE_USER, mentioning: [MANAGER] });
    await flush();
    resetConnector();
    const id = await raiseChange({ friction: '' });
    const review = reviewCard(id);

    await approve(id, OTHER_COE);
    expect(words(reviewCard(id).card)).toContain('1/1 (Otto CoE)');
    const thread = connector.activities(`${REVIEW_CHANNEL};messageid=${review.activityId}`);
    expect(thread.map((r) => words(r.body))).toEqual([expect.stringContaining('Otto CoE approved it.')]);
    const otto = await db.prisma.platformIdentity.findFirst({
      where: { externalId: OTHER_COE.aadObjectId },
      include: { person: true },
    });
    expect(otto?.person.displayName).toBe('Otto CoE');
  });
});
