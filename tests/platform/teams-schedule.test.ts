/**
 * Scheduled work in Teams (issue 5), through the real botbuilder CloudAdapter, with a clock the test moves: `training
 * assign` and its task-module form, the announcement in the team's channel, the daily reminders with "Mark complete"
 * and "Snooze 1 day", `audit plan` and its form, a due run's checklist with "Record results" and its form, the
 * redesign a breach opens, the nudges about reports left untriaged with "Snooze a week", and `jobs`. Each scheduled
 * fire is run with `bot.scheduler.execute(job, fireTime)` after the clock is moved to it; what the jobs queue reaches
 * the fake Bot Connector when the outbox is flushed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.ts';
import { dayText } from '../../src/domain/schedule-messages.ts';
import { TRAINING_FIELDS, TRAINING_LIMITS } from '../../src/domain/training.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import {
  type Card,
  cardButtons,
  cardErrors,
  cardInputs,
  cardsOfActivity,
  personalConversationId,
  TEAMS_CHANNEL_ID,
  type TeamsAccount,
  taskModuleCard,
  taskModuleText,
} from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const MANAGER = account('mona', 'Mona Manager');
/** The two members of Warehouse, both workers. */
const ADA = account('ada', 'Ada Lovelace');
const BO = account('bo', 'Bo Builder');
const PEOPLE = [COE_USER, MANAGER, ADA, BO];

/** The review channel is the support code's default channel; Warehouse has a channel of its own. */
const REVIEW_CHANNEL = TEAMS_CHANNEL_ID;
const WAREHOUSE_CHANNEL = '19:warehouse@thread.tacv2';

/** The story's week, in UTC (the bot runs with TZ=UTC): Monday 1 March 2027 to Monday 8 March. */
const MONDAY = '2027-03-01';
const FRIDAY = addDays(MONDAY, 4);
/** `day` days after the story's Monday, at `time` UTC. */
const at = (day: number, time: string) => new Date(`${addDays(MONDAY, day)}T${time}:00.000Z`);

const TRAINING = {
  title: 'Battery saver off on the scanners',
  material: 'https://learn.example.com/scanners: turn battery saver off at the start of each shift.',
  sop: '',
  layers: '',
};

const FRICTION = {
  kind: 'tool_friction',
  title: 'Inventory scanners fail after 30 minutes',
  description: 'The handheld scanner freezes after about half an hour and needs a reboot.',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  anonymous: 'false',
};

describe.each(databaseKinds())('scheduled work in Teams (%s)', (kind: DatabaseKind) => {
  const clock = new ManualClock(at(0, '08:30'));
  const story = teamsStory(kind, { coe: [COE_USER], people: PEOPLE, clock, env: { TZ: 'UTC' } });
  const { say, press, flush, chatOf, lastInChat, postsIn, buttonData, resetConnector } = story;
  // The story's database, connector and bot (set before each test), by the names the tests use.
  let { db, connector, bot } = story;
  beforeEach(() => {
    ({ db, connector, bot } = story);
    clock.set(at(0, '08:30'));
  });
  afterEach(() => {
    // Every card the bot sent or answered with is a valid Adaptive Card 1.5.
    const cards = story.cardsSent();
    expect(cards.length).toBeGreaterThan(0);
    expectValidCards(cards);
    // Refusals and mistakes are answered, not crashed on; every job run went through: nothing logged as an error.
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  // ---- what people do -------------------------------------------------------------------------------------------

  // Everyone here opens dialogs from their personal chat.
  const fetchTask = (data: unknown, from: TeamsAccount) => story.fetchTask(data, { from });
  const submitTask = (data: unknown, from: TeamsAccount) => story.submitTask(data, { from });

  /** Moves the clock to a fire and runs it, as node-cron would, then delivers what it queued. */
  const fire = async (job: string, time: Date) => {
    clock.set(time);
    const ran = await bot.scheduler.execute(job, time);
    await flush();
    return ran;
  };

  /** Everyone says hello in a personal chat (so the bot can reach them later); the CoE sets up the review channel. */
  const setUp = async () => {
    for (const person of PEOPLE) await say('help', { from: person });
    await say('setup review-channel', { from: COE_USER, channel: true });
    await say(`role <at>${MANAGER.name}</at> manager`, { from: COE_USER, mentioning: [MANAGER] });
    await flush();
    resetConnector();
  };

  /** Warehouse, with its Teams channel (linked by `team channel …` said in it) and Ada and Bo as its members. */
  const warehouse = async () => {
    await say('team add Warehouse', { from: COE_USER });
    await say('team channel Warehouse', { from: COE_USER, channel: WAREHOUSE_CHANNEL });
    for (const member of [ADA, BO]) {
      await say(`team member <at>${member.name}</at> Warehouse`, { from: COE_USER, mentioning: [member] });
      expect(words(lastInChat(COE_USER))).toContain(member.name);
    }
    const team = await db.prisma.team.findFirst({ where: { name: 'Warehouse' }, include: { channels: true } });
    expect(team?.channels.map((c) => c.channelId)).toEqual([WAREHOUSE_CHANNEL]);
    expect(await db.prisma.teamMember.count({ where: { teamId: team?.id } })).toBe(2);
    await flush();
    resetConnector();
    return String(team?.id);
  };

  /** `training assign` and its opener's button: the form. */
  const openTrainingForm = async (from: TeamsAccount = COE_USER) => {
    await say('training assign', { from });
    const button = buttonData(from);
    expect(button).toEqual({ msteams: { type: 'task/fetch' }, coeAction: 'training.open' });
    return fetchTask(button, from);
  };

  const submitTraining = (values: Record<string, string>, from: TeamsAccount = COE_USER) =>
    submitTask({ coeAction: 'training.submit', ...TRAINING, ...values }, from);

  // ---- training -------------------------------------------------------------------------------------------------

  it('assigns TR-1 on Monday to Warehouse: one announcement in its channel; reminders on working days until done, capped, snoozable', async () => {
    await setUp();
    const teamId = await warehouse();

    const form = taskModuleCard(await openTrainingForm());
    const inputs = cardInputs(form);
    // No standard is registered: that choice is left out, not shown empty.
    expect([...inputs.keys()]).toEqual(TRAINING_FIELDS.filter((f) => f !== 'sop'));
    expect(inputs.get('title')).toMatchObject({
      type: 'Input.Text',
      maxLength: TRAINING_LIMITS.title,
      isRequired: true,
    });
    expect(inputs.get('material')).toMatchObject({ isMultiline: true, maxLength: TRAINING_LIMITS.material });
    expect(inputs.get('teams')).toMatchObject({
      type: 'Input.ChoiceSet',
      isMultiSelect: true,
      choices: [{ title: 'Warehouse', value: teamId }],
    });
    expect(((inputs.get('layers')?.choices ?? []) as { value: string }[]).map((c) => c.value)).toEqual([
      'worker',
      'manager',
      'executive',
      'coe',
    ]);
    expect(inputs.get('due')).toMatchObject({ type: 'Input.Date', min: MONDAY, value: addDays(MONDAY, 7) });

    const answer = await submitTraining({ teams: teamId, due: FRIDAY });
    expect(words(taskModuleCard(answer))).toContain(`Done: TR-1 "${TRAINING.title}" is assigned, due ${FRIDAY}`);
    await flush();
    const stored = await db.prisma.training.findMany();
    expect(stored).toEqual([expect.objectContaining({ number: 1, title: TRAINING.title, teamIds: [Number(teamId)] })]);
    expect(await db.prisma.trainingAssignment.count({ where: { trainingNumber: 1 } })).toBe(2);

    // One announcement, posted proactively as a new message in Warehouse's channel; nobody is messaged directly.
    const announcements = connector.activities(WAREHOUSE_CHANNEL);
    expect(announcements).toHaveLength(1);
    expect(words(announcements[0]?.body)).toContain(`New training TR-1 for Warehouse: ${TRAINING.title}`);
    expect(words(announcements[0]?.body)).toContain(`Due: ${dayText(FRIDAY)}`);
    const announcementId = announcements[0]?.activityId as string;
    const [announcement] = cardsOfActivity(announcements[0]?.body);
    expect(cardButtons(announcement as Card).map((b) => [b.title, b.data])).toEqual([
      ['Mark complete', { coeAction: 'training.complete', value: 'TR-1' }],
    ]);
    expect(chatOf(ADA)).toEqual([]);
    expect(chatOf(BO)).toEqual([]);

    const reminders = (person: TeamsAccount) =>
      chatOf(person).filter((b) => words(b).includes('Reminder: training TR-1 is not marked complete yet'));
    const teamLines = () =>
      postsIn(WAREHOUSE_CHANNEL)
        .map(words)
        .filter((t) => t.includes('Training TR-1 "'));
    /** One day's fire (09:00, as scheduled): how many reminders each member got, and the lines in the channel. */
    const remindOn = async (day: number, time = '09:00') => {
      const before = { ada: reminders(ADA).length, bo: reminders(BO).length, lines: teamLines().length };
      expect(await fire('training-reminders', at(day, time))).toBe(true);
      return {
        ada: reminders(ADA).length - before.ada,
        bo: reminders(BO).length - before.bo,
        lines: teamLines().slice(before.lines),
      };
    };
    // Two people: the line never counts who is done (minimum group size), whatever `done` is.
    const line = (_done: number) => [expect.stringMatching(/is due .* in Warehouse: if it is yours, mark it complete/)];

    // Monday, the day it was assigned: the announcement was the day's word.
    expect(await remindOn(0)).toEqual({ ada: 0, bo: 0, lines: [] });

    // Tuesday: both are reminded in their personal chat; the channel hears how far the team is, not who.
    expect(await remindOn(1)).toEqual({ ada: 1, bo: 1, lines: line(0) });
    expect(cardButtons(cardsOfActivity(lastInChat(BO))[0] as Card).map((b) => [b.title, b.data])).toEqual([
      ['Mark complete', { coeAction: 'training.complete', value: 'TR-1' }],
      ['Snooze 1 day', { coeAction: 'training.snooze', value: 'TR-1' }],
    ]);
    // The same fire again is not run twice; a later fire the same day sends nobody anything more.
    expect(await bot.scheduler.execute('training-reminders', at(1, '09:00'))).toBe(false);
    expect(await remindOn(1, '11:00')).toEqual({ ada: 0, bo: 0, lines: [] });
    // Bo snoozes from his reminder: the answer comes to him, in his chat.
    clock.set(at(1, '09:10'));
    await press(buttonData(BO, 'Snooze 1 day'), BO);
    expect(words(lastInChat(BO))).toContain('Snoozed: no reminder about TR-1 before this time tomorrow.');

    // Wednesday: Bo's snooze skips his day.
    expect(await remindOn(2)).toEqual({ ada: 1, bo: 0, lines: line(0) });
    // Ada marks it complete from the announcement in the channel: told privately; nothing new in the channel.
    clock.set(at(2, '09:15'));
    const channelBefore = connector.activities(WAREHOUSE_CHANNEL).length;
    const onAnnouncement = { channel: WAREHOUSE_CHANNEL, activityId: announcementId };
    await press({ coeAction: 'training.complete', value: 'TR-1' }, ADA, onAnnouncement);
    expect(words(lastInChat(ADA))).toContain(`Done: TR-1 "${TRAINING.title}" is marked complete. No more reminders`);
    await press({ coeAction: 'training.complete', value: 'TR-1' }, ADA, onAnnouncement);
    expect(words(lastInChat(ADA))).toContain('You completed TR-1 already.');
    // Someone it is not assigned to has nothing to mark; a button naming no training is out of date.
    await press({ coeAction: 'training.complete', value: 'TR-1' }, COE_USER, onAnnouncement);
    expect(words(lastInChat(COE_USER))).toContain('TR-1 is not assigned to you, so there is nothing to mark.');
    await press({ coeAction: 'training.complete', value: 'nonsense' }, COE_USER, onAnnouncement);
    expect(words(lastInChat(COE_USER))).toContain('Give a training id, like TR-3.');
    expect(connector.activities(WAREHOUSE_CHANNEL)).toHaveLength(channelBefore);

    // Thursday and Friday: only Bo, who is not done, is reminded; Friday's is his third.
    expect(await remindOn(3)).toEqual({ ada: 0, bo: 1, lines: line(1) });
    expect(await remindOn(4)).toEqual({ ada: 0, bo: 1, lines: line(1) });
    // The weekend is quiet.
    expect(await remindOn(5)).toEqual({ ada: 0, bo: 0, lines: [] });
    expect(await remindOn(6)).toEqual({ ada: 0, bo: 0, lines: [] });
    // Monday: Bo has had the three reminders a person gets at most.
    expect(await remindOn(7)).toEqual({ ada: 0, bo: 0, lines: [] });

    expect(reminders(ADA)).toHaveLength(2);
    expect(reminders(BO)).toHaveLength(3);
    // The channel never names a member.
    const channel = words(postsIn(WAREHOUSE_CHANNEL));
    for (const person of [ADA, BO]) {
      expect(channel).not.toContain(person.name);
      expect(channel).not.toContain(person.name.split(' ')[0]);
    }
    const ada = await db.prisma.trainingAssignment.findMany({ orderBy: { personId: 'asc' } });
    expect(ada.map((a) => a.completedAt?.toISOString() ?? null).sort()).toEqual([at(2, '09:15').toISOString(), null]);
    const runs = await db.prisma.jobRun.findMany({ where: { job: 'training-reminders' } });
    expect(runs).toHaveLength(9);
    expect(runs.every((r) => r.outcome === 'ok')).toBe(true);

    // Each person sees their own status; `training status` shows the team's total, never who.
    await say('training', { from: ADA });
    expect(words(lastInChat(ADA))).toContain(`TR-1 · Completed: ${TRAINING.title}`);
    await say('training', { from: BO });
    expect(words(lastInChat(BO))).toContain(`TR-1 · Due ${dayText(FRIDAY)}: ${TRAINING.title}`);
    await say('training status TR-1', { from: BO });
    const status = words(lastInChat(BO));
    expect(status).toContain('Warehouse: too few to show');
    expect(status).not.toMatch(/\d of 2/);
    expect(status).not.toContain(ADA.name);
  });

  it('refuses `training assign` to a worker without a form, and keeps a bad submission with errors under its fields', async () => {
    await setUp();
    const teamId = await warehouse();

    await say('training assign', { from: ADA });
    const refusal = lastInChat(ADA);
    expect(words(refusal)).toContain('Only CoE members assign training. Nothing was changed.');
    expect(cardsOfActivity(refusal).flatMap(cardButtons)).toEqual([]);
    // Asked in a channel, the refusal still goes privately: nothing is said in the channel.
    await say('training assign', { from: ADA, channel: WAREHOUSE_CHANNEL });
    expect(chatOf(ADA)).toHaveLength(2);
    expect(connector.activities().every((r) => r.conversationId === personalConversationId(ADA))).toBe(true);
    // The form's buttons refuse too, should a worker get hold of them.
    expect(taskModuleText(await fetchTask({ coeAction: 'training.open' }, ADA))).toBe(
      'Only CoE members assign training. Nothing was changed.',
    );
    expect(taskModuleText(await submitTraining({ title: 'Mine', teams: teamId, due: FRIDAY }, ADA))).toBe(
      'Only CoE members assign training. Nothing was changed.',
    );

    taskModuleCard(await openTrainingForm());
    const empty = taskModuleCard(await submitTraining({ title: '  ', teams: teamId, due: FRIDAY }));
    expect(cardErrors(empty)).toEqual({ title: 'Please fill in a title.' });
    expect(cardInputs(empty).get('material')?.value).toBe(TRAINING.material);
    expect(cardInputs(empty).get('teams')?.value).toBe(teamId);

    const past = taskModuleCard(await submitTraining({ title: 'Late', teams: teamId, due: addDays(MONDAY, -1) }));
    expect(cardErrors(past)).toEqual({ due: 'The due date has passed already.' });
    expect(cardInputs(past).get('due')?.value).toBe(addDays(MONDAY, -1));

    const nobody = taskModuleCard(await submitTraining({ title: 'For nobody', teams: '', due: FRIDAY }));
    expect(cardErrors(nobody)).toEqual({ teams: 'Pick the teams or the layers to train.' });
    expect(cardInputs(nobody).get('title')?.value).toBe('For nobody');

    // Malformed data is an out-of-date form.
    expect(taskModuleText(await submitTraining({ title: 42 } as never))).toContain('That form is out of date');
    expect(await db.prisma.training.count()).toBe(0);
    await flush();
    expect(connector.activities(WAREHOUSE_CHANNEL)).toEqual([]);
  });

  // ---- audits ---------------------------------------------------------------------------------------------------

  /** The audit job's name, once the scheduler has picked the plan up (it follows the plans in the background). */
  const auditJob = async (id: string) => {
    const name = `audit:${id}`;
    const deadline = Date.now() + 5000;
    while (!(await bot.scheduler.board()).some((j) => j.name === name)) {
      if (Date.now() > deadline) throw new Error(`the scheduler never picked up ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return name;
  };

  const CHECKLIST = 'Battery saver is off on every scanner\nScanners are docked at the end of each shift';

  it('plans AUD-1 from the form; a due run sends its owner the checklist, and 12% against 5% drafts a redesign', async () => {
    await setUp();
    await say('audit plan', { from: COE_USER });
    expect(words(lastInChat(COE_USER))).toContain('An audit checks a standard, and none is registered yet');
    await say('sop new inventory-scanning Inventory scanning', { from: COE_USER });
    await say('audit plan', { from: ADA });
    expect(words(lastInChat(ADA))).toContain('Only CoE members plan audits. Nothing was changed.');
    expect(cardsOfActivity(lastInChat(ADA)).flatMap(cardButtons)).toEqual([]);

    // Said in the review channel, the opener is answered in the thread.
    const id = String(Date.now() + 1_000_000);
    await say('audit plan', { from: COE_USER, channel: true, id });
    const thread = connector.activities(`${REVIEW_CHANNEL};messageid=${id}`);
    expect(thread).toHaveLength(1);
    const opener = cardButtons(cardsOfActivity(thread[0]?.body)[0] as Card)[0]?.data;
    expect(opener).toEqual({ msteams: { type: 'task/fetch' }, coeAction: 'audit.open' });

    const form = taskModuleCard(await fetchTask(opener, COE_USER));
    const inputs = cardInputs(form);
    expect([...inputs.keys()]).toEqual(['sop', 'schedule', 'checklist', 'variance', 'owner']);
    expect(inputs.get('sop')).toMatchObject({
      type: 'Input.ChoiceSet',
      isRequired: true,
      value: 'inventory-scanning',
      choices: [{ title: 'SOP-inventory-scanning · Inventory scanning', value: 'inventory-scanning' }],
    });
    expect(inputs.get('schedule')?.placeholder).toContain('0 9 * * 1');
    expect(inputs.get('checklist')).toMatchObject({ isMultiline: true, isRequired: true });
    const owners = (inputs.get('owner')?.choices ?? []) as { title: string; value: string }[];
    expect(owners.map((o) => o.title).sort()).toEqual([COE_USER.name, MANAGER.name]);
    expect(inputs.get('owner')?.isRequired).toBeUndefined();
    const mona = owners.find((o) => o.title === MANAGER.name)?.value as string;

    const plan = { coeAction: 'audit.submit', sop: 'inventory-scanning', checklist: CHECKLIST, variance: '5' };
    const badCron = taskModuleCard(await submitTask({ ...plan, schedule: 'every monday', owner: mona }, COE_USER));
    expect(cardErrors(badCron)).toEqual({
      schedule: '"every monday" is not a cron expression; write minute hour day month weekday, like 0 9 * * 1.',
    });
    expect(cardInputs(badCron).get('checklist')?.value).toBe(CHECKLIST);
    expect(cardInputs(badCron).get('owner')?.value).toBe(mona);
    expect(await db.prisma.auditPlan.count()).toBe(0);

    const planned = await submitTask({ ...plan, schedule: '0 9 * * 1', owner: mona }, COE_USER);
    expect(words(taskModuleCard(planned))).toContain(
      'Done: AUD-1 audits SOP-inventory-scanning v1.0 on "0 9 * * 1" (2 items, acceptable variance 5%)',
    );
    const monaId = (await db.prisma.platformIdentity.findFirst({ where: { externalId: MANAGER.aadObjectId } }))
      ?.personId;
    expect(mona).toBe(String(monaId));
    expect(await db.prisma.auditPlan.findMany()).toEqual([
      expect.objectContaining({
        number: 1,
        sopKey: 'inventory-scanning',
        acceptableVariance: 5,
        ownerPersonId: monaId,
      }),
    ]);

    // Monday 09:00: the run is due; its owner gets the checklist in her personal chat.
    const job = await auditJob('AUD-1');
    resetConnector();
    expect(await fire(job, at(0, '09:00'))).toBe(true);
    expect(chatOf(MANAGER)).toHaveLength(1);
    const due = words(lastInChat(MANAGER));
    expect(due).toContain('Audit AUD-1 of SOP-inventory-scanning v1.0 is due: 2 items.');
    expect(due).toContain('1. Battery saver is off on every scanner');
    const [run] = await db.prisma.auditRun.findMany();
    const record = buttonData(MANAGER, 'Record results');
    expect(record).toEqual({ msteams: { type: 'task/fetch' }, coeAction: 'audit.record', value: String(run?.id) });

    // Only the owner (or the CoE) records it.
    expect(taskModuleText(await fetchTask(record, ADA))).toBe(
      'Only the owner of AUD-1 or a CoE member records its results.',
    );
    expect(taskModuleText(await fetchTask({ ...record, value: '999' }, MANAGER))).toBe(
      'That audit run is not known. Nothing was recorded.',
    );
    const results = taskModuleCard(await fetchTask(record, MANAGER));
    const resultInputs = cardInputs(results);
    expect([...resultInputs.keys()]).toEqual(['item0.passed', 'item0.variance', 'item1.passed', 'item1.variance']);
    expect(resultInputs.get('item0.passed')).toMatchObject({
      type: 'Input.ChoiceSet',
      choices: [
        { title: 'Pass', value: 'pass' },
        { title: 'Fail', value: 'fail' },
      ],
    });
    const submit = cardButtons(results)[0]?.data as Record<string, string>;
    expect(submit).toEqual({ coeAction: 'audit.record', value: String(run?.id) });
    expect(taskModuleText(await submitTask({ ...submit, 'item0.passed': 'pass' }, ADA))).toBe(
      'Only the owner of AUD-1 or a CoE member records its results.',
    );

    // What is wrong comes back under its input, with what was typed; nothing is recorded.
    const wrong = taskModuleCard(
      await submitTask(
        { ...submit, 'item0.passed': 'maybe', 'item0.variance': '2', 'item1.passed': 'fail', 'item1.variance': '' },
        MANAGER,
      ),
    );
    expect(cardErrors(wrong)).toEqual({
      'item0.passed': 'Choose pass or fail.',
      'item1.variance': 'Give the measured variance in percent, like 3.5.',
    });
    expect(cardInputs(wrong).get('item0.variance')?.value).toBe('2');
    expect((await db.prisma.auditRun.findFirst())?.recordedAt).toBeNull();

    const breach = { 'item0.passed': 'pass', 'item0.variance': '2', 'item1.passed': 'fail', 'item1.variance': '12' };
    expect(taskModuleText(await submitTask({ ...submit, ...breach }, MANAGER))).toBe(
      'AUD-1 of SOP-inventory-scanning, audited against v1.0 (the current version): 1 passed, 1 failed, largest variance 12% (acceptable 5%). Outside the acceptable variance: CR-1 is drafted for the CoE to redesign the workflow.',
    );
    await flush();
    expect(await db.prisma.changeRequest.findMany()).toEqual([
      expect.objectContaining({
        number: 1,
        status: 'draft',
        sopKey: 'inventory-scanning',
        origin: `audit AUD-1, run ${run?.id}`,
      }),
    ]);
    expect(await db.prisma.auditRun.findFirst()).toMatchObject({ maxVariance: 12, breach: true, changeNumber: 1 });
    // The redesign's review card, in the review channel, for the CoE to shape.
    const reviews = postsIn(REVIEW_CHANNEL).filter((b) => words(b).includes('CR-1 · '));
    expect(reviews).toHaveLength(1);
    const review = words(reviews[0]);
    expect(review).toContain('CR-1 · Redesign after AUD-1: variance 12% > 5%');
    expect(review).toContain('Status: Draft');
    expect(review).toContain(`Raised by: audit AUD-1, run ${run?.id}`);
    expect(review).toContain('Scanners are docked at the end of each shift: 12% (failed)');
    expect(cardButtons(cardsOfActivity(reviews[0])[0] as Card).map((b) => b.title)).toEqual(['Approve', 'Reject']);
    // A run is recorded once.
    expect(taskModuleText(await fetchTask(record, MANAGER))).toBe(
      `This run of AUD-1 was recorded already, on ${MONDAY}.`,
    );

    // The standard shows its audit history.
    await say('sop show inventory-scanning', { from: ADA });
    const sop = words(lastInChat(ADA));
    expect(sop).toContain('AUD-1 · v1.0 · 0 9 * * 1: acceptable 5%; 1 recorded of the last 1 runs');
    expect(sop).toContain(`AUD-1 · ${MONDAY}: variance 12% on v1.0 — breach, redesign CR-1`);

    // The next Monday's run, within 5%: recorded, and no redesign.
    resetConnector();
    expect(await fire(job, at(7, '09:00'))).toBe(true);
    const next = buttonData(MANAGER, 'Record results');
    expect(next.value).not.toBe(record.value);
    const within = { 'item0.passed': 'pass', 'item0.variance': '3', 'item1.passed': 'pass', 'item1.variance': '4.5' };
    expect(taskModuleText(await submitTask({ ...next, ...within }, MANAGER))).toBe(
      'AUD-1 of SOP-inventory-scanning, audited against v1.0 (the current version): 2 passed, 0 failed, largest variance 4.5% (acceptable 5%). Within the acceptable variance. Thank you.',
    );
    await flush();
    expect(await db.prisma.changeRequest.count()).toBe(1);
    expect(postsIn(REVIEW_CHANNEL)).toEqual([]);
  });

  // ---- stale nudges ---------------------------------------------------------------------------------------------

  /** FR-1, reported by Ada on Monday at 09:30 and left untriaged. */
  const untriagedReport = async () => {
    await setUp();
    clock.set(at(0, '09:30'));
    const answer = await submitTask({ coeAction: 'friction.submit', ...FRICTION }, ADA);
    expect(words(taskModuleCard(answer))).toContain('your report is FR-1');
    await flush();
    resetConnector();
  };
  const nudgesIn = () => postsIn(REVIEW_CHANNEL).filter((b) => words(b).includes('for triage'));
  /** One day's fire (10:00, as scheduled): how many nudges reached the review channel. */
  const nudgeOn = async (day: number, time = '10:00') => {
    const before = nudgesIn().length;
    expect(await fire('stale-nudges', at(day, time))).toBe(true);
    return nudgesIn().length - before;
  };

  it('raises a report untriaged for more than 2 working days in the review channel once a day, 3 times, never at the weekend', async () => {
    await untriagedReport();
    // Monday to Wednesday it has waited 2 working days at most.
    expect([await nudgeOn(0), await nudgeOn(1), await nudgeOn(2)]).toEqual([0, 0, 0]);
    expect(await nudgeOn(3)).toBe(1);
    expect(words(nudgesIn()[0])).toContain(`FR-1 "${FRICTION.title}" has waited 3 working days for triage.`);
    expect(cardButtons(cardsOfActivity(nudgesIn()[0])[0] as Card).map((b) => [b.title, b.data])).toEqual([
      ['Snooze a week', { coeAction: 'nudge.snooze', value: 'FR-1:untriaged' }],
    ]);
    // Once a day: a later fire the same day raises nothing.
    expect(await nudgeOn(3, '15:00')).toBe(0);
    expect(await nudgeOn(4)).toBe(1);
    expect([await nudgeOn(5), await nudgeOn(6)]).toEqual([0, 0]);
    expect(await nudgeOn(7)).toBe(1);
    // Three daily nudges, then it slows down to weekly.
    expect([await nudgeOn(8), await nudgeOn(9), await nudgeOn(10)]).toEqual([0, 0, 0]);
    expect(nudgesIn().map((b) => /waited (\d+) working days/.exec(words(b))?.[1])).toEqual(['3', '4', '5']);
    // Each went to the review channel as a new post, and to nobody's personal chat.
    expect(connector.activities().every((r) => r.conversationId === REVIEW_CHANNEL)).toBe(true);
    expect(await db.prisma.nudge.findUnique({ where: { key: 'FR-1:untriaged' } })).toMatchObject({
      count: 3,
      lastOn: addDays(MONDAY, 7),
    });
  });

  it('lets a CoE member snooze a nudge for a week; a worker is refused', async () => {
    await untriagedReport();
    expect(await nudgeOn(3)).toBe(1);
    const nudge = connector.activities(REVIEW_CHANNEL).at(-1);
    const on = { channel: REVIEW_CHANNEL, activityId: nudge?.activityId as string };
    const snooze = { coeAction: 'nudge.snooze', value: 'FR-1:untriaged' };
    clock.set(at(3, '10:05'));

    await press(snooze, ADA, on);
    expect(words(lastInChat(ADA))).toContain(
      'Only the CoE (or the report’s owner) can snooze this. Nothing was changed.',
    );
    expect((await db.prisma.nudge.findUnique({ where: { key: 'FR-1:untriaged' } }))?.snoozedUntil).toBeNull();
    await press({ ...snooze, value: 'FR-1:whatever' }, COE_USER, on);
    expect(words(lastInChat(COE_USER))).toContain('That button is out of date. Nothing was changed.');

    await press(snooze, COE_USER, on);
    expect(words(lastInChat(COE_USER))).toContain('Snoozed: no nudge about FR-1 for a week.');
    // Answered privately: nothing new in the channel.
    expect(connector.activities(REVIEW_CHANNEL)).toHaveLength(1);

    // A week of quiet, then the daily nudges resume.
    const week = [];
    for (const day of [4, 7, 8, 9, 10]) week.push(await nudgeOn(day));
    expect(week).toEqual([0, 0, 0, 0, 0]);
    expect(await nudgeOn(11)).toBe(1);
    expect(words(nudgesIn().at(-1))).toContain('has waited 9 working days for triage.');
  });

  // ---- jobs -----------------------------------------------------------------------------------------------------

  it('shows a CoE member each job with its schedule and last outcome, and refuses a worker', async () => {
    await setUp();
    expect(await fire('training-reminders', at(1, '09:00'))).toBe(true);

    await say('jobs', { from: COE_USER });
    const board = words(lastInChat(COE_USER));
    expect(board).toContain('training-reminders · 0 9 * * * (UTC): last 2027-03-02 09:00 UTC: ok');
    expect(board).toContain('stale-nudges · 0 10 * * * (UTC): not run yet');

    await say('jobs', { from: ADA });
    expect(words(lastInChat(ADA))).toContain('Only CoE members see the scheduled jobs.');
    expect(words(lastInChat(ADA))).not.toContain('training-reminders');
  });
});
