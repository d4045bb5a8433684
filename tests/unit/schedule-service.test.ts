/**
 * Scheduled work through the services, on the in-memory store with a clock the tests move: training (assignment,
 * reminders on working days only, the cap, completion, snooze, who sees what), audits (plans, runs, results and the
 * redesign a breach opens), stale-report nudges over weeks, the jobs board, and the `/coe` words that reach them.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type CommandContext, parseCoeCommand } from '../../src/domain/coe-command.ts';
import type { CoeError } from '../../src/domain/errors.ts';
import type { Message, MessageAction } from '../../src/domain/message.ts';
import type { Layer, PersonRef } from '../../src/domain/people.ts';
import { AUDIT_ACTIONS, NUDGE_ACTIONS, TRAINING_ACTIONS } from '../../src/domain/schedule-messages.ts';
import { AuditService, type PlanResult, type RecordResult } from '../../src/services/audit.ts';
import type { AssignResult } from '../../src/services/training.ts';
import {
  carl,
  expectCoeError,
  max,
  mona,
  NIGHT_SLACK,
  olga,
  SLACK_REVIEW,
  stranger,
  TEAMS_REVIEW,
  tim,
  WAREHOUSE_SLACK,
  WAREHOUSE_TEAMS,
  wanda,
} from '../support/cast.ts';
import { ManualClock, type MemoryOutboxRow, MemoryStore } from '../support/memory.ts';
import { buildServices, type ServiceOptions } from '../support/services.ts';

const sam: PersonRef = { platform: 'slack', externalId: 'U0SAM', displayName: 'Sam Snoozer' };
const everyone = [olga, carl, mona, max, wanda, tim, sam];

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
// Monday 7 December 2026, in UTC (the calendar's time zone here).
const MONDAY = '2026-12-07';

let clock: ManualClock;
let store: MemoryStore;
let services: ReturnType<typeof buildServices>;
let keys = 0;

const key = () => `interaction-${++keys}`;
const request = (actor: PersonRef, k = key()) => ({ actor, key: k });
const idOf = (ref: PersonRef) => {
  const id = store.personByIdentity(ref.platform, ref.externalId)?.id;
  if (id === undefined) throw new Error(`${ref.externalId} is not known`);
  return id;
};
const state = () => JSON.stringify(store.snapshot());
const rowsSince = (count: number) => store.outbox.slice(count);
const keysSince = (count: number) => rowsSince(count).map((r) => r.key);
const row = (k: string): MemoryOutboxRow => {
  const found = store.outbox.find((r) => r.key === k);
  if (!found) throw new Error(`no outbox row ${k}; there are ${store.outbox.map((r) => r.key).join(', ')}`);
  return found;
};
const actionsOf = (message: Message): MessageAction[] =>
  message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
const textOf = (value: unknown) => JSON.stringify(value);

/** Sets the clock to a local (UTC) date and time: `at('2026-12-08', '09:00')`. */
function setClock(date: string, time: string) {
  clock.set(new Date(`${date}T${time}:00.000Z`));
}

async function setLayer(ref: PersonRef, layer: Layer) {
  await store.transaction(async (repos) => {
    const person = await repos.people.identify(ref);
    await repos.people.setLayer(person.id, layer);
  });
}

/** A `/coe` command as a platform hands it over. */
function coe(actor: PersonRef, text: string, context: CommandContext = {}): Promise<Message> {
  return services.commands.handle(request(actor), parseCoeCommand(text, [], { today: clock.now(), ...context }));
}

/** Refused with a CoeError, and nothing at all changed. */
async function expectRefusedAndUnchanged(work: () => Promise<unknown>, code: CoeError['code'], text?: string | RegExp) {
  const before = state();
  await expectCoeError(work(), code, text);
  expect(state()).toBe(before);
}

/** Two teams: Warehouse (a Slack and a Teams channel; Wanda, Tim, Mona, Sam) and Night Shift (Slack; Max). */
async function teams() {
  await store.transaction(async (repos) => {
    await repos.teams.add('Warehouse');
    await repos.teams.add('Night Shift');
    const warehouse = await repos.teams.byName('Warehouse');
    const night = await repos.teams.byName('Night Shift');
    if (!warehouse || !night) throw new Error('no teams');
    await repos.teams.addChannel(warehouse.id, 'slack', WAREHOUSE_SLACK);
    await repos.teams.addChannel(warehouse.id, 'teams', WAREHOUSE_TEAMS);
    await repos.teams.addChannel(night.id, 'slack', NIGHT_SLACK);
    for (const ref of [wanda, tim, mona, sam]) {
      await repos.teams.setMember(warehouse.id, (await repos.people.identify(ref)).id, ref === mona);
    }
    await repos.teams.setMember(night.id, (await repos.people.identify(max)).id, true);
  });
}

const trainingForm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Scanner charging',
  material: 'https://wiki.example.com/scanners',
  sop: 'inventory-scanning',
  teams: ['Warehouse'],
  layers: [],
  due: '2026-12-11',
  ...over,
});

async function assign(over: Record<string, unknown> = {}, actor = olga, k = key()): Promise<Message> {
  const result = await services.trainings.assign(request(actor, k), trainingForm(over));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.confirmation;
}

const errorsOf = (result: AssignResult | PlanResult | RecordResult) => {
  if (result.ok) throw new Error('accepted');
  return result.errors;
};

function setUp(options: ServiceOptions = {}) {
  store = new MemoryStore(clock);
  services = buildServices(store, clock, options);
}

beforeEach(async () => {
  clock = new ManualClock(`${MONDAY}T08:30:00.000Z`);
  setUp();
  await services.admin.bootstrapCoeMembers([olga, carl]);
  await setLayer(mona, 'manager');
  await setLayer(max, 'manager');
  for (const ref of [wanda, tim, sam]) await store.transaction((repos) => repos.people.identify(ref));
  await store.transaction(async (repos) => {
    await repos.reviewChannels.set('slack', SLACK_REVIEW);
    await repos.reviewChannels.set('teams', TEAMS_REVIEW);
  });
  await coe(olga, 'sop new inventory-scanning Inventory scanning');
  await teams();
});

describe('assigning a training', () => {
  it('offers the standards, the teams and today to the CoE only', async () => {
    expect(await services.trainings.formOptions(olga)).toEqual({
      sops: [{ key: 'inventory-scanning', title: 'Inventory scanning' }],
      teams: [
        { id: 2, name: 'Night Shift' },
        { id: 1, name: 'Warehouse' },
      ],
      today: MONDAY,
    });
    for (const ref of [wanda, mona, stranger]) {
      await expectRefusedAndUnchanged(
        () => services.trainings.formOptions(ref),
        'PERMISSION.DENIED',
        'Only CoE members assign training. Nothing was changed.',
      );
    }
  });

  it('is for CoE members only: nothing changes for anyone else', async () => {
    for (const ref of [wanda, mona, stranger]) {
      await expectRefusedAndUnchanged(
        () => services.trainings.assign(request(ref), trainingForm()),
        'PERMISSION.DENIED',
        'Only CoE members assign training. Nothing was changed.',
      );
    }
    expect(store.trainings).toEqual([]);
  });

  it.each([
    ['an empty title', { title: '  ' }, { title: 'Please fill in a title.' }],
    ['an unknown team', { teams: ['Dock'] }, { teams: 'There is no team "Dock".' }],
    ['a due date passed', { due: '2026-12-06' }, { due: 'The due date has passed already.' }],
    ['neither team nor layer', { teams: [], layers: [] }, { teams: 'Pick the teams or the layers to train.' }],
    ['an unknown SOP', { sop: 'returns' }, { sop: 'There is no SOP-returns.' }],
  ])('answers %s with the field’s error and stores nothing', async (_name, over, errors) => {
    const before = state();
    const result = await services.trainings.assign(request(olga), trainingForm(over));
    expect(errorsOf(result)).toEqual(errors);
    expect(state()).toBe(before);
  });

  it('stores TR-1 and announces it once in each of its teams’ channels, on each platform', async () => {
    const before = store.outbox.length;
    const confirmation = await assign({ teams: ['Warehouse', 'Night Shift'] }, olga, 'view-tr-1');
    expect(confirmation.text).toBe(
      'Done: TR-1 "Scanner charging" is assigned, due 2026-12-11. It is announced in the teams\' channels; reminders follow on working days.',
    );
    expect(store.trainings).toEqual([
      {
        number: 1,
        title: 'Scanner charging',
        material: 'https://wiki.example.com/scanners',
        sopKey: 'inventory-scanning',
        sopMajor: 1,
        sopMinor: 0,
        teamIds: [1, 2],
        layers: [],
        dueOn: '2026-12-11',
        createdByPersonId: idOf(olga),
        createdAt: clock.now(),
        cancelledAt: null,
        submissionKey: 'view-tr-1',
      },
    ]);
    expect(store.events.filter((e) => e.subject === 'TR-1')).toEqual([
      expect.objectContaining({ actorPersonId: idOf(olga), action: 'training.assigned', to: '2026-12-11' }),
    ]);
    // The members of both teams are assigned, each through their team.
    expect(store.assignments.map((a) => [a.personId, a.teamId])).toEqual(
      expect.arrayContaining([
        [idOf(wanda), 1],
        [idOf(tim), 1],
        [idOf(mona), 1],
        [idOf(sam), 1],
        [idOf(max), 2],
      ]),
    );
    expect(store.assignments).toHaveLength(5);
    expect(rowsSince(before).map((r) => [r.key, r.platform, r.target])).toEqual([
      ['TR-1:announce:slack:C0WARE', 'slack', { kind: 'channel', channelId: WAREHOUSE_SLACK }],
      ['TR-1:announce:teams:19:warehouse@thread.tacv2', 'teams', { kind: 'channel', channelId: WAREHOUSE_TEAMS }],
      ['TR-1:announce:slack:C0NIGHT', 'slack', { kind: 'channel', channelId: NIGHT_SLACK }],
    ]);
    const announcement = row('TR-1:announce:slack:C0WARE').body;
    expect(announcement.text).toBe('New training TR-1 for Warehouse: Scanner charging, due Fri, 11 Dec 2026.');
    expect(textOf(announcement)).toContain('{"label":"Standard","value":"SOP-inventory-scanning v1.0"}');
    expect(actionsOf(announcement).map((a) => [a.id, a.value])).toEqual([[TRAINING_ACTIONS.complete, 'TR-1']]);
    expect(row('TR-1:announce:slack:C0NIGHT').body.text).toContain('for Night Shift');
  });

  it('tells the people it reaches through their layer directly, on their platform', async () => {
    const before = store.outbox.length;
    await assign({ teams: [], layers: ['manager'] });
    expect(store.assignments.map((a) => [a.personId, a.teamId])).toEqual([
      [idOf(mona), null],
      [idOf(max), null],
    ]);
    expect(rowsSince(before).map((r) => [r.key, r.platform, r.target])).toEqual([
      [`TR-1:assigned:${idOf(mona)}`, 'slack', { kind: 'dm', externalId: mona.externalId }],
      [`TR-1:assigned:${idOf(max)}`, 'teams', { kind: 'dm', externalId: max.externalId }],
    ]);
    const dm = row(`TR-1:assigned:${idOf(max)}`).body;
    expect(dm.text).toBe('You have a training to do: TR-1: Scanner charging, due Fri, 11 Dec 2026.');
    expect(actionsOf(dm).map((a) => a.id)).toEqual([TRAINING_ACTIONS.complete, TRAINING_ACTIONS.snooze]);
  });

  it('a team member reached through a layer too keeps their team; each person is assigned once', async () => {
    await assign({ teams: ['Warehouse'], layers: ['manager'] });
    expect(store.assignments.filter((a) => a.personId === idOf(mona))).toEqual([
      expect.objectContaining({ teamId: 1 }),
    ]);
    expect(store.assignments.filter((a) => a.personId === idOf(max))).toEqual([
      expect.objectContaining({ teamId: null }),
    ]);
  });

  it('the same submission twice makes one training and one announcement', async () => {
    const first = await assign({}, olga, 'view-twice');
    const after = state();
    const second = await assign({}, olga, 'view-twice');
    expect(second).toEqual(first);
    expect(state()).toBe(after);
    expect(store.trainings).toHaveLength(1);
  });
});

describe('training reminders: due Friday, reminded daily at 09:00', () => {
  /** What one run of the reminder job sent: direct messages by person, and team-channel lines. */
  async function remindAt(date: string, time: string) {
    setClock(date, time);
    const before = store.outbox.length;
    const summary = await services.trainings.remind();
    const rows = rowsSince(before);
    const dmTo = (ref: PersonRef) =>
      rows.some((r) => r.target.kind === 'dm' && r.target.externalId === ref.externalId && r.platform === ref.platform);
    return {
      summary,
      rows,
      people: [wanda, tim, mona, sam].filter(dmTo).map((p) => p.displayName),
      channels: rows.filter((r) => r.target.kind === 'channel').map((r) => r.key),
    };
  }

  it('reminds on working days only, never on the day of assignment, stops at completion and at the cap, and a snooze skips a day', async () => {
    // Monday 08:30: assigned to Warehouse (Wanda and Sam on Slack, Tim on Teams, Mona its manager).
    await assign();
    const ids = [wanda, tim, mona, sam].map(idOf);
    const days: Record<string, (string | undefined)[]> = {};
    const lines: Record<string, string[]> = {};
    const run = async (date: string, time = '09:00') => {
      const sent = await remindAt(date, time);
      days[`${date} ${time}`] = sent.people;
      lines[`${date} ${time}`] = sent.channels;
      return sent;
    };

    expect((await run('2026-12-07')).summary).toBe('reminded 0 people and 0 team channels');
    await run('2026-12-08');
    // Mona and Sam snooze right after Tuesday's reminder; a second run the same day sends nothing more.
    setClock('2026-12-08', '09:30');
    expect((await services.trainings.snooze(request(mona), 'TR-1')).text).toBe(
      'Snoozed: no reminder about TR-1 before this time tomorrow.',
    );
    await services.trainings.snooze(request(sam), 'TR-1');
    expect((await run('2026-12-08', '11:00')).rows).toEqual([]);
    await run('2026-12-09');
    // Tim completes on Wednesday; a run at 20:00 is outside working hours.
    setClock('2026-12-09', '12:00');
    expect((await services.trainings.complete(request(tim), 'TR-1')).text).toBe(
      'Done: TR-1 "Scanner charging" is marked complete. No more reminders about it.',
    );
    const evening = await run('2026-12-09', '20:00');
    expect(evening.summary).toBe('outside working hours: nothing sent');
    expect(evening.rows).toEqual([]);
    await run('2026-12-10');
    setClock('2026-12-10', '09:30');
    await services.trainings.snooze(request(sam), 'TR-1');
    await run('2026-12-11');
    expect((await run('2026-12-12')).summary).toBe('outside working hours: nothing sent');
    expect((await run('2026-12-13')).summary).toBe('outside working hours: nothing sent');
    await run('2026-12-14');
    await run('2026-12-15');

    expect(days).toEqual({
      '2026-12-07 09:00': [],
      '2026-12-08 09:00': ['Wanda Worker', 'Tim Teams', 'Mona Manager', 'Sam Snoozer'],
      '2026-12-08 11:00': [],
      // Mona and Sam snoozed until Wednesday 09:30.
      '2026-12-09 09:00': ['Wanda Worker', 'Tim Teams'],
      '2026-12-09 20:00': [],
      // Wanda's third and last; Tim is done.
      '2026-12-10 09:00': ['Wanda Worker', 'Mona Manager', 'Sam Snoozer'],
      // Mona's third; Sam snoozed again.
      '2026-12-11 09:00': ['Mona Manager'],
      '2026-12-12 09:00': [],
      '2026-12-13 09:00': [],
      // Sam's third, after the weekend.
      '2026-12-14 09:00': ['Sam Snoozer'],
      '2026-12-15 09:00': [],
    });
    // Each reminder is keyed by training, person and day, and counted: three each at most.
    for (const [i, ref] of [wanda, tim, mona, sam].entries()) {
      expect(store.nudge(`TR-1:person:${ids[i]}`)?.count).toBe(ref === tim ? 2 : 3);
    }
    expect(row(`TR-1:remind:${idOf(tim)}:2026-12-09`)).toMatchObject({
      platform: 'teams',
      target: { kind: 'dm', externalId: tim.externalId },
    });
    expect(row(`TR-1:remind:${idOf(tim)}:2026-12-09`).body.text).toBe(
      'Reminder: training TR-1 is not marked complete yet: Scanner charging, due Fri, 11 Dec 2026.',
    );
    // The team's channels hear how far the team is, on each day someone was reminded, on both platforms.
    const channelLines = Object.fromEntries(Object.entries(lines).filter(([, l]) => l.length > 0));
    expect(channelLines).toEqual(
      Object.fromEntries(
        ['2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14'].map((date) => [
          `${date} 09:00`,
          [`TR-1:team:slack:${WAREHOUSE_SLACK}:${date}`, `TR-1:team:teams:${WAREHOUSE_TEAMS}:${date}`],
        ]),
      ),
    );
    // Four people are fewer than the minimum group (5): the line gives no count that could point at someone.
    for (const key of [
      `TR-1:team:slack:${WAREHOUSE_SLACK}:2026-12-09`,
      `TR-1:team:teams:${WAREHOUSE_TEAMS}:2026-12-14`,
    ]) {
      expect(row(key).body.text).toBe(
        'Training TR-1 "Scanner charging" (SOP-inventory-scanning v1.0) is due Fri, 11 Dec 2026 in Warehouse: if it is yours, mark it complete once done.',
      );
    }
    // Never a name or an identity in a team channel.
    const channelBodies = textOf(store.outbox.filter((r) => r.target.kind === 'channel').map((r) => r.body));
    for (const ref of everyone) {
      expect(channelBodies).not.toContain(ref.displayName);
      expect(channelBodies).not.toContain(ref.externalId);
    }
  });

  it('a run repeated (or caught up) the same day sends nothing more: the day is in every key', async () => {
    await assign();
    const first = await remindAt('2026-12-08', '09:00');
    expect(first.summary).toBe('reminded 4 people and 2 team channels');
    // In the order of the people's ids (Mona was known first).
    expect(first.rows.map((r) => r.key)).toEqual([
      ...[mona, wanda, tim, sam].map((ref) => `TR-1:remind:${idOf(ref)}:2026-12-08`),
      `TR-1:team:slack:${WAREHOUSE_SLACK}:2026-12-08`,
      `TR-1:team:teams:${WAREHOUSE_TEAMS}:2026-12-08`,
    ]);
    const after = state();
    for (const time of ['09:00', '09:01', '16:59']) {
      const again = await remindAt('2026-12-08', time);
      expect(again.rows).toEqual([]);
      expect(again.summary).toBe('reminded 0 people and 0 team channels');
    }
    // Only the clock moved: no row, no counter changed.
    expect(state()).toBe(after);
  });

  it('a cap set lower is kept, and a person who joins the team later is reminded from the next run', async () => {
    clock = new ManualClock(`${MONDAY}T08:30:00.000Z`);
    setUp({ maxReminders: 1 });
    await services.admin.bootstrapCoeMembers([olga]);
    await coe(olga, 'sop new inventory-scanning Inventory scanning');
    await teams();
    await assign();
    expect((await remindAt('2026-12-08', '09:00')).people).toEqual([
      'Wanda Worker',
      'Tim Teams',
      'Mona Manager',
      'Sam Snoozer',
    ]);
    const newcomer: PersonRef = { platform: 'slack', externalId: 'U0NINA', displayName: 'Nina New' };
    await store.transaction(async (repos) =>
      repos.teams.setMember(1, (await repos.people.identify(newcomer)).id, false),
    );
    const wednesday = await remindAt('2026-12-09', '09:00');
    expect(wednesday.rows.filter((r) => r.target.kind === 'dm').map((r) => r.target)).toEqual([
      { kind: 'dm', externalId: 'U0NINA' },
    ]);
    expect(row(`TR-1:team:slack:${WAREHOUSE_SLACK}:2026-12-09`).body.text).toContain('0 of 5 in Warehouse');
    expect((await remindAt('2026-12-10', '09:00')).rows).toEqual([]);
  });

  it('nobody is reminded once everyone completed, and nothing goes to a team channel', async () => {
    await assign();
    for (const ref of [wanda, tim, mona, sam]) await services.trainings.complete(request(ref), 'TR-1');
    expect(await remindAt('2026-12-08', '09:00')).toMatchObject({ rows: [] });
  });

  it('marks complete and snoozes only the person’s own assignment', async () => {
    await assign();
    await expectRefusedAndUnchanged(
      () => services.trainings.complete(request(wanda), 'TR-9'),
      'NOT_FOUND',
      'There is no TR-9.',
    );
    await expectRefusedAndUnchanged(
      () => services.trainings.complete(request(wanda), 'next one'),
      'INPUT.INVALID',
      'Give a training id, like TR-3.',
    );
    // Max is in the Night Shift: TR-1 is not his.
    for (const ref of [max, stranger]) {
      await expectRefusedAndUnchanged(
        () => services.trainings.complete(request(ref), 'TR-1'),
        'PERMISSION.DENIED',
        'TR-1 is not assigned to you, so there is nothing to mark.',
      );
      await expectRefusedAndUnchanged(
        () => services.trainings.snooze(request(ref), 'TR-1'),
        'PERMISSION.DENIED',
        'TR-1 is not assigned to you.',
      );
    }
    setClock('2026-12-08', '10:00');
    await services.trainings.complete(request(wanda), 'tr-1');
    expect(store.assignments.find((a) => a.personId === idOf(wanda))?.completedAt).toEqual(clock.now());
    expect(store.events.filter((e) => e.action === 'training.completed')).toEqual([
      expect.objectContaining({ actorPersonId: idOf(wanda), subject: 'TR-1' }),
    ]);
    const before = state();
    expect((await services.trainings.complete(request(wanda), 'TR-1')).text).toBe(
      'You completed TR-1 already. Thank you.',
    );
    expect((await services.trainings.snooze(request(wanda), 'TR-1')).text).toBe(
      'You completed TR-1 already: there are no reminders to snooze.',
    );
    expect(state()).toBe(before);
  });

  it('`training` shows a person their own status; `training status TR-1` shows team and layer totals only', async () => {
    await assign({ teams: ['Warehouse'], layers: ['coe'] });
    await assign({ title: 'Night safety', teams: ['Night Shift'], sop: undefined });
    setClock('2026-12-08', '10:00');
    await services.trainings.complete(request(tim), 'TR-1');
    await services.trainings.complete(request(carl), 'TR-1');

    const tims = await coe(tim, 'training');
    expect(textOf(tims)).toContain('{"label":"TR-1 · Completed","value":"Scanner charging"}');
    expect(textOf(tims)).not.toContain('TR-2');
    const wandas = await coe(wanda, 'training mine');
    expect(textOf(wandas)).toContain('{"label":"TR-1 · Due Fri, 11 Dec 2026","value":"Scanner charging"}');
    expect((await coe(max, 'training')).text).toBe('My training: 1');
    expect((await coe(stranger, 'training')).text).toBe('You have no training assigned.');

    for (const text of ['training status TR-1', 'training TR-1', 'trainings status tr-1']) {
      const status = await coe(wanda, text);
      // Six people in all: the total shows; Warehouse (4) and the CoE members (2) are each fewer than 5.
      expect(status.text).toBe('TR-1 Scanner charging: 2 of 6 completed.');
      expect(textOf(status)).toContain('{"label":"Warehouse","value":"too few to show"}');
      expect(textOf(status)).toContain('{"label":"CoE member","value":"too few to show"}');
      for (const ref of everyone) {
        expect(textOf(status)).not.toContain(ref.displayName);
        expect(textOf(status)).not.toContain(ref.externalId);
      }
      // Its facts are the training's and one line per team and layer, nothing per person.
      const facts = status.blocks.flatMap((b) => (b.type === 'facts' ? b.facts.map((f) => f.label) : []));
      expect(facts).toEqual(['Due', 'Standard', 'Warehouse', 'CoE member']);
    }
    await expectCoeError(coe(wanda, 'training status TR-7'), 'NOT_FOUND', 'There is no TR-7.');
  });
});

describe('audits', () => {
  const planForm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    sop: 'inventory-scanning',
    schedule: '0 9 * * 1',
    checklist: 'Scanners on the charger\nCounts match the system',
    variance: '5',
    ...over,
  });

  async function plan(over: Record<string, unknown> = {}, owner?: PersonRef | { id: number }): Promise<Message> {
    const result = await services.audits.plan(request(olga), planForm(over), owner);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.confirmation;
  }

  const planOf = (number: number) => store.transaction((repos) => repos.audits.plan(number));
  const results = (variances: (number | string)[], passed: string[] = []) =>
    Object.fromEntries(
      variances.flatMap((v, i) => [
        [`item${i}.passed`, passed[i] ?? 'pass'],
        [`item${i}.variance`, v],
      ]),
    );

  async function record(actor: PersonRef, runId: number, raw: Record<string, unknown>) {
    const result = await services.audits.record(request(actor), String(runId), raw);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.outcome;
  }

  it('is planned by CoE members only', async () => {
    for (const ref of [wanda, mona, stranger]) {
      await expectRefusedAndUnchanged(
        () => services.audits.plan(request(ref), planForm()),
        'PERMISSION.DENIED',
        'Only CoE members plan audits. Nothing was changed.',
      );
      await expectRefusedAndUnchanged(() => services.audits.formOptions(ref), 'PERMISSION.DENIED');
      await expectRefusedAndUnchanged(() => services.audits.runNow(request(ref), 'AUD-1'), 'PERMISSION.DENIED');
    }
    expect(await services.audits.formOptions(olga)).toEqual({
      sops: [{ key: 'inventory-scanning', title: 'Inventory scanning' }],
      owners: [
        { id: idOf(olga), name: 'Olga Owner' },
        { id: idOf(carl), name: 'Carl Coe' },
        { id: idOf(mona), name: 'Mona Manager' },
        { id: idOf(max), name: 'Max Manager' },
      ],
    });
  });

  it.each([
    ['a bad cron expression', { schedule: 'every monday' }, 'schedule'],
    ['an empty checklist', { checklist: ' \n ' }, 'checklist'],
    ['more than 15 items', { checklist: Array.from({ length: 16 }, (_, i) => `item ${i}`).join('\n') }, 'checklist'],
    ['a variance of abc', { variance: 'abc' }, 'variance'],
    ['a variance of 150', { variance: '150' }, 'variance'],
    ['an unknown SOP', { sop: 'returns' }, 'sop'],
  ])('refuses %s with the field’s error, storing nothing', async (_name, over, field) => {
    const before = state();
    const errors = errorsOf(await services.audits.plan(request(olga), planForm(over)));
    expect(Object.keys(errors)).toEqual([field]);
    expect(state()).toBe(before);
  });

  it('stores AUD-1 owned by whoever planned it, or the owner named, and tells the scheduler', async () => {
    const changed = vi.fn();
    const audits = new AuditService(
      store,
      clock,
      services.changes,
      { isValid: () => true, next: () => undefined },
      changed,
    );
    const confirmation = await audits.plan(request(olga, 'view-aud-1'), planForm());
    expect(confirmation).toEqual({
      ok: true,
      confirmation: expect.objectContaining({
        text: 'Done: AUD-1 audits SOP-inventory-scanning v1.0 on "0 9 * * 1" (2 items, acceptable variance 5%).',
      }),
    });
    expect(changed).toHaveBeenCalledTimes(1);
    expect(await planOf(1)).toEqual({
      number: 1,
      sopKey: 'inventory-scanning',
      schedule: '0 9 * * 1',
      checklist: ['Scanners on the charger', 'Counts match the system'],
      acceptableVariance: 5,
      ownerPersonId: idOf(olga),
      createdByPersonId: idOf(olga),
      // The version current when it was planned: the baseline.
      sopMajor: 1,
      sopMinor: 0,
      state: 'active',
      runsFrom: null,
      createdAt: clock.now(),
    });
    // The same submission again: the same plan, not a second one.
    const again = await audits.plan(request(olga, 'view-aud-1'), planForm({ schedule: '0 10 * * 2' }));
    expect(again).toEqual(confirmation);
    expect(await planOf(2)).toBeUndefined();
    // An invalid plan does not bother the scheduler.
    const calls = changed.mock.calls.length;
    await audits.plan(request(olga), planForm({ variance: 'abc' }));
    expect(changed).toHaveBeenCalledTimes(calls);

    await plan({}, mona);
    expect((await planOf(2))?.ownerPersonId).toBe(idOf(mona));
    await plan({}, { id: idOf(max) });
    expect((await planOf(3))?.ownerPersonId).toBe(idOf(max));
    // Someone the bot has not met yet, named on the platform, becomes known.
    const newcomer: PersonRef = { platform: 'teams', externalId: 'aad-nina', displayName: 'Nina New' };
    await plan({}, newcomer);
    expect((await planOf(4))?.ownerPersonId).toBe(idOf(newcomer));
    const before = state();
    expect(errorsOf(await services.audits.plan(request(olga), planForm(), { id: 999 }))).toEqual({
      owner: 'Pick the owner from the list.',
    });
    expect(state()).toBe(before);
    expect(store.events.filter((e) => e.action === 'audit.planned')).toHaveLength(4);
  });

  it('opens one run per fire however often it fires, and sends the owner the checklist with "Record results"', async () => {
    await plan({}, mona);
    const due = new Date('2026-12-07T09:00:00.000Z');
    const before = store.outbox.length;
    expect(await services.audits.fire(1, due)).toBe('run 1 sent to its owner');
    expect(await services.audits.fire(1, new Date(due))).toBe('AUD-1 already has its run for 2026-12-07T09:00:00.000Z');
    expect(store.auditRuns).toEqual([expect.objectContaining({ id: 1, planNumber: 1, dueAt: due, recordedAt: null })]);
    expect(rowsSince(before).map((r) => [r.key, r.platform, r.target])).toEqual([
      ['AUD-1:run:1', 'slack', { kind: 'dm', externalId: mona.externalId }],
    ]);
    const dm = row('AUD-1:run:1').body;
    expect(dm.text).toBe('Audit AUD-1 of SOP-inventory-scanning v1.0 is due: 2 items.');
    expect(actionsOf(dm)).toEqual([
      { id: AUDIT_ACTIONS.record, label: 'Record results', value: '1', style: 'primary', opensForm: true },
    ]);
    expect(store.events.filter((e) => e.action === 'audit.due')).toEqual([
      expect.objectContaining({ actorPersonId: null, subject: 'AUD-1', data: { run: 1 } }),
    ]);
    // Another fire time is another run.
    expect(await services.audits.fire(1, new Date('2026-12-14T09:00:00.000Z'))).toBe('run 2 sent to its owner');
    expect(await services.audits.fire(9, due)).toBe('AUD-9 is not active');
  });

  it('`audit run` opens a run now for the CoE; `audit list` shows the plans', async () => {
    expect((await coe(olga, 'audit list')).text).toBe(
      'No audits planned yet. CoE members plan them with {{coe audit plan}}.',
    );
    await plan();
    await expectCoeError(coe(olga, 'audit run AUD-7'), 'NOT_FOUND', 'There is no AUD-7.');
    setClock('2026-12-08', '11:00');
    expect((await coe(carl, 'audit run AUD-1')).text).toBe('AUD-1: a run is open, and its owner has the checklist.');
    expect(store.auditRuns).toEqual([expect.objectContaining({ planNumber: 1, dueAt: clock.now() })]);
    expect(row('AUD-1:run:1').target).toEqual({ kind: 'dm', externalId: olga.externalId });
    const list = await coe(wanda, 'audits');
    expect(list.text).toBe('Audits: AUD-1');
    expect(textOf(list)).toContain(
      '{"label":"AUD-1 · SOP-inventory-scanning v1.0","value":"0 9 * * 1; 2 items; acceptable 5%"}',
    );
  });

  it('results are recorded by the plan’s owner or a CoE member, and checked item by item', async () => {
    await plan({}, mona);
    await services.audits.fire(1, new Date('2026-12-07T09:00:00.000Z'));
    expect(await services.audits.resultsForm(mona, '1')).toEqual({
      number: 1,
      sopKey: 'inventory-scanning',
      version: { major: 1, minor: 0 },
      checklist: ['Scanners on the charger', 'Counts match the system'],
      acceptableVariance: 5,
      runId: 1,
      dueAt: new Date('2026-12-07T09:00:00.000Z'),
    });
    for (const ref of [wanda, max, stranger]) {
      await expectRefusedAndUnchanged(
        () => services.audits.resultsForm(ref, '1'),
        'PERMISSION.DENIED',
        'Only the owner of AUD-1 or a CoE member records its results.',
      );
      await expectRefusedAndUnchanged(
        () => services.audits.record(request(ref), '1', results([1, 1])),
        'PERMISSION.DENIED',
      );
    }
    for (const value of ['99', 'abc', '', '1.5']) {
      await expectRefusedAndUnchanged(
        () => services.audits.record(request(mona), value, results([1, 1])),
        'INPUT.INVALID',
        'That audit run is not known. Nothing was recorded.',
      );
    }
    const before = state();
    expect(
      errorsOf(
        await services.audits.record(request(mona), '1', {
          'item0.variance': '1',
          'item1.passed': 'fail',
          'item1.variance': 'x',
        }),
      ),
    ).toEqual({
      'item0.passed': 'Choose pass or fail.',
      'item1.variance': 'Give the measured variance in percent, like 3.5.',
    });
    expect(state()).toBe(before);
    // A CoE member may record it too.
    expect((await record(carl, 1, results([1, 2]))).text).toContain('(the current version): 2 passed, 0 failed');
  });

  it('a variance of 12% against 5% opens a redesign: a draft change request of the SOP linked to the run, in the CoE channels', async () => {
    await plan({}, mona);
    await services.audits.fire(1, new Date('2026-12-07T09:00:00.000Z'));
    setClock('2026-12-07', '14:00');
    const before = store.outbox.length;
    const outcome = await record(mona, 1, results([3, '12%'], ['pass', 'fail']));
    expect(outcome.text).toBe(
      'AUD-1 of SOP-inventory-scanning, audited against v1.0 (the current version): 1 passed, 1 failed, largest variance 12% (acceptable 5%). Outside the acceptable variance: CR-1 is drafted for the CoE to redesign the workflow.',
    );
    expect(store.changes).toEqual([
      expect.objectContaining({
        number: 1,
        kind: 'workflow',
        sopKey: 'inventory-scanning',
        title: 'Redesign after AUD-1: variance 12% > 5%',
        status: 'draft',
        requesterPersonId: null,
        origin: 'audit AUD-1, run 1',
        submissionKey: 'audit:AUD-1:run:1',
      }),
    ]);
    expect(store.changes[0]?.change).toContain('Counts match the system: 12% (failed)');
    expect(store.auditRuns[0]).toEqual(
      expect.objectContaining({
        id: 1,
        maxVariance: 12,
        breach: true,
        changeNumber: 1,
        recordedByPersonId: idOf(mona),
        recordedAt: clock.now(),
        // No release has reached a team yet: the standard's current version, and no team audited.
        sopMajor: 1,
        sopMinor: 0,
        teamId: null,
        results: [
          { item: 'Scanners on the charger', passed: true, variance: 3 },
          { item: 'Counts match the system', passed: false, variance: 12 },
        ],
      }),
    );
    expect(keysSince(before)).toEqual(['CR-1:review:slack', 'CR-1:review:teams']);
    expect(row('CR-1:review:slack').target).toEqual({ kind: 'channel', channelId: SLACK_REVIEW });
    expect(row('CR-1:review:teams').target).toEqual({ kind: 'channel', channelId: TEAMS_REVIEW });
    expect(textOf(row('CR-1:review:slack').body)).toContain('Redesign after AUD-1');
    expect(store.events.filter((e) => e.subject === 'AUD-1').map((e) => e.action)).toEqual([
      'audit.planned',
      'audit.due',
      'audit.breach',
    ]);

    // Recorded once: a second recording is refused, and changes nothing.
    await expectRefusedAndUnchanged(
      () => services.audits.record(request(mona), '1', results([1, 1])),
      'INPUT.INVALID',
      'This run of AUD-1 was recorded already, on 2026-12-07.',
    );
    await expectRefusedAndUnchanged(() => services.audits.resultsForm(olga, '1'), 'INPUT.INVALID');
    // The same results from the same owner again (a retry): the first outcome, and still one redesign.
    const repeat = await record(mona, 1, results([3, '12%'], ['pass', 'fail']));
    expect(repeat.text).toBe(outcome.text);
    expect(store.changes).toHaveLength(1);
    // The same results from someone else are not theirs to repeat.
    await expectRefusedAndUnchanged(
      () => services.audits.record(request(carl), '1', results([3, '12%'], ['pass', 'fail'])),
      'INPUT.INVALID',
      'This run of AUD-1 was recorded already, on 2026-12-07.',
    );
  });

  it.each([
    ['exactly 5%', [5, 5]],
    ['within 5%', [0, 4.99]],
  ])('a variance of %s opens no redesign', async (_name, variances) => {
    await plan({}, mona);
    await services.audits.fire(1, new Date('2026-12-07T09:00:00.000Z'));
    const before = store.outbox.length;
    const outcome = await record(mona, 1, results(variances));
    expect(outcome.text).toContain('Within the acceptable variance. Thank you.');
    expect(store.changes).toEqual([]);
    expect(store.outbox.length).toBe(before);
    expect(store.auditRuns[0]).toMatchObject({
      breach: false,
      changeNumber: null,
      maxVariance: Math.max(...variances),
    });
  });

  it('`sop show` lists the standard’s audits with their runs, and its trainings', async () => {
    await plan({}, mona);
    await services.audits.fire(1, new Date('2026-12-07T09:00:00.000Z'));
    await record(mona, 1, results([1, 12]));
    await services.audits.fire(1, new Date('2026-12-14T09:00:00.000Z'));
    await assign();
    const shown = await coe(wanda, 'sop show inventory-scanning');
    const blocks = textOf(shown.blocks);
    expect(blocks).toContain('{"type":"paragraph","text":"**Audits**"}');
    expect(blocks).toContain(
      '{"label":"AUD-1 · v1.0 · 0 9 * * 1","value":"acceptable 5%; 1 recorded of the last 2 runs"}',
    );
    expect(blocks).toContain('{"label":"AUD-1 · 2026-12-07","value":"variance 12% on v1.0 — breach, redesign CR-1"}');
    expect(blocks).toContain('{"type":"paragraph","text":"**Training**"}');
    expect(blocks).toContain(
      '{"label":"TR-1 · due Fri, 11 Dec 2026","value":"Scanner charging (SOP-inventory-scanning v1.0)"}',
    );
    // The draft redesign is listed among the standard's change requests.
    expect(blocks).toContain('CR-1');
    // Audits are about processes: nobody's name in it.
    expect(blocks).not.toContain('Mona');
  });
});

describe('stale reports', () => {
  const frictionForm = (over: Record<string, unknown> = {}) => ({
    kind: 'tool_friction',
    title: 'Scanner dies after 30 minutes',
    description: 'The scanner switches off mid-shift.',
    tool: 'Inventory scanner',
    frequency: 'daily',
    impact: 'high',
    ...over,
  });

  async function report(over: Record<string, unknown> = {}): Promise<number> {
    const result = await services.friction.submit(request(wanda), frictionForm(over));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.number;
  }

  const nudgeRows = (kind: 'untriaged' | 'stalled', number: number) =>
    store.outbox.filter((r) => r.key.startsWith(`FR-${number}:${kind}:`));

  /** Runs the nudge job at `time` on every day from `from` for `days` days; returns the dates something was sent. */
  async function walk(
    from: string,
    days: number,
    time = '10:00',
    act: (date: string) => Promise<void> = async () => {},
  ) {
    const summaries: Record<string, string> = {};
    for (let i = 0; i < days; i++) {
      const date = new Date(new Date(`${from}T12:00:00Z`).getTime() + i * DAY).toISOString().slice(0, 10);
      setClock(date, time);
      summaries[date] = await services.nudges.run();
      await act(date);
    }
    return summaries;
  }

  const datesOf = (rows: MemoryOutboxRow[]) => [...new Set(rows.map((r) => r.key.split(':')[2]))];

  it('raises an untriaged report in the review channels after 2 working days: daily 3 times, then weekly; never at weekends', async () => {
    setClock(MONDAY, '10:30');
    await report();
    const summaries = await walk(MONDAY, 26);
    expect(datesOf(nudgeRows('untriaged', 1))).toEqual([
      '2026-12-10',
      '2026-12-11',
      '2026-12-14',
      '2026-12-21',
      '2026-12-28',
    ]);
    expect(nudgeRows('untriaged', 1).map((r) => [r.key, r.target])).toEqual(
      expect.arrayContaining([
        ['FR-1:untriaged:2026-12-10:slack', { kind: 'channel', channelId: SLACK_REVIEW }],
        ['FR-1:untriaged:2026-12-10:teams', { kind: 'channel', channelId: TEAMS_REVIEW }],
      ]),
    );
    expect(nudgeRows('untriaged', 1)).toHaveLength(10);
    expect(row('FR-1:untriaged:2026-12-10:slack').body.text).toBe(
      'FR-1 "Scanner dies after 30 minutes" has waited 3 working days for triage.',
    );
    expect(row('FR-1:untriaged:2026-12-21:teams').body.text).toContain('has waited 10 working days');
    expect(actionsOf(row('FR-1:untriaged:2026-12-10:slack').body)).toEqual([
      { id: NUDGE_ACTIONS.snooze, label: 'Snooze a week', value: 'FR-1:untriaged' },
    ]);
    for (const date of ['2026-12-12', '2026-12-13', '2026-12-19', '2026-12-20']) {
      expect(summaries[date]).toBe('outside working hours: nothing sent');
    }
    expect(summaries['2026-12-10']).toBe('raised 1 untriaged reports, nudged 0 owners');
    expect(summaries['2026-12-15']).toBe('raised 0 untriaged reports, nudged 0 owners');
    expect(store.nudge('FR-1:untriaged')).toEqual({ count: 5, lastOn: '2026-12-28', snoozedUntil: null });
  });

  it('never outside working hours, and at most once a day however often it runs', async () => {
    setClock(MONDAY, '10:30');
    await report();
    const evenings = await walk(MONDAY, 21, '20:00');
    const mornings = await walk(MONDAY, 21, '08:59');
    for (const summary of [...Object.values(evenings), ...Object.values(mornings)]) {
      expect(summary).toBe('outside working hours: nothing sent');
    }
    expect(nudgeRows('untriaged', 1)).toEqual([]);
    setClock('2026-12-10', '09:00');
    await services.nudges.run();
    setClock('2026-12-10', '16:59');
    await services.nudges.run();
    expect(datesOf(nudgeRows('untriaged', 1))).toEqual(['2026-12-10']);
    expect(store.nudge('FR-1:untriaged')?.count).toBe(1);
  });

  it('nudges the owner of a triaged report without progress for 10 working days, the same way', async () => {
    setClock(MONDAY, '10:30');
    const number = await report();
    setClock(MONDAY, '11:00');
    await services.friction.decide(request(olga), 'triage', number);
    await walk(MONDAY, 32);
    // Untriaged for an hour only: never raised as such.
    expect(nudgeRows('untriaged', number)).toEqual([]);
    const rows = nudgeRows('stalled', number);
    expect(datesOf(rows)).toEqual(['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-30', '2027-01-06']);
    expect(rows.map((r) => [r.key, r.platform, r.target])[0]).toEqual([
      `FR-1:stalled:2026-12-21:${idOf(olga)}`,
      'slack',
      { kind: 'dm', externalId: olga.externalId },
    ]);
    expect(rows[0]?.body.text).toBe(
      'FR-1 "Scanner dies after 30 minutes", which you own, has had no progress for 10 working days.',
    );
    expect(actionsOf(rows[0]?.body as Message)[0]?.value).toBe('FR-1:stalled');
  });

  it('progress resets the wait: a root cause recorded restarts the count', async () => {
    setClock(MONDAY, '10:30');
    const number = await report();
    await services.friction.decide(request(olga), 'triage', number);
    // Root cause on Friday 18 December: ten working days from then is Friday 1 January.
    await walk(MONDAY, 11);
    setClock('2026-12-18', '11:00');
    await services.friction.decide(request(olga), 'rootCause', number, { rootCause: 'Battery firmware' });
    await walk('2026-12-18', 15);
    expect(datesOf(nudgeRows('stalled', number))).toEqual(['2027-01-01']);
  });

  it('a report triaged meanwhile is no longer raised', async () => {
    setClock(MONDAY, '10:30');
    const number = await report();
    await walk(MONDAY, 4);
    expect(datesOf(nudgeRows('untriaged', number))).toEqual(['2026-12-10']);
    setClock('2026-12-11', '09:00');
    await services.friction.decide(request(carl), 'triage', number);
    await walk('2026-12-11', 10);
    expect(datesOf(nudgeRows('untriaged', number))).toEqual(['2026-12-10']);
  });

  it('a snooze keeps it quiet for a week: the CoE for an untriaged report, the owner for a stalled one', async () => {
    setClock(MONDAY, '10:30');
    const fresh = await report();
    const owned = await report({ title: 'Label printer jams' });
    await services.friction.decide(request(olga), 'triage', owned);

    // Each snoozed from its first nudge, a couple of hours after it came.
    await walk(MONDAY, 25, '10:00', async (date) => {
      if (date === '2026-12-10') {
        setClock(date, '11:00');
        for (const ref of [wanda, mona, stranger]) {
          await expectRefusedAndUnchanged(
            () => services.nudges.snooze({ actor: ref }, `FR-${fresh}:untriaged`),
            'PERMISSION.DENIED',
            'Only the CoE (or the report’s owner) can snooze this. Nothing was changed.',
          );
        }
        expect((await services.nudges.snooze({ actor: carl }, `FR-${fresh}:untriaged`)).text).toBe(
          'Snoozed: no nudge about FR-1 for a week.',
        );
      }
      if (date === '2026-12-21') {
        setClock(date, '12:00');
        for (const ref of [wanda, mona]) {
          await expectRefusedAndUnchanged(
            () => services.nudges.snooze({ actor: ref }, `FR-${owned}:stalled`),
            'PERMISSION.DENIED',
          );
        }
        const before = store.outbox.length;
        expect((await services.nudges.snooze({ actor: olga }, `FR-${owned}:stalled`)).text).toBe(
          'Snoozed: no nudge about FR-2 for a week.',
        );
        expect(store.nudge(`FR-${owned}:stalled`)?.snoozedUntil).toEqual(new Date('2026-12-28T12:00:00.000Z'));
        expect(store.outbox.length).toBe(before);
      }
    });
    // Quiet until Thursday 17 December 11:00 (so that day's 10:00 run too); then daily again up to three, then weekly.
    expect(datesOf(nudgeRows('untriaged', fresh))).toEqual(['2026-12-10', '2026-12-18', '2026-12-21', '2026-12-28']);
    // Quiet until Monday 28 December 12:00.
    expect(datesOf(nudgeRows('stalled', owned))).toEqual(['2026-12-21', '2026-12-29', '2026-12-30']);
  });

  it('the owner of a stalled report may snooze it even when not in the CoE', async () => {
    await setLayer(mona, 'coe');
    setClock(MONDAY, '10:30');
    const number = await report();
    await services.friction.decide(request(mona), 'triage', number);
    await setLayer(mona, 'manager');
    await walk(MONDAY, 15);
    expect(datesOf(nudgeRows('stalled', number))).toEqual(['2026-12-21']);
    setClock('2026-12-21', '12:00');
    expect((await services.nudges.snooze({ actor: mona }, 'FR-1:stalled')).text).toBe(
      'Snoozed: no nudge about FR-1 for a week.',
    );
    await expectRefusedAndUnchanged(
      () => services.nudges.snooze({ actor: mona }, 'FR-1:untriaged'),
      'PERMISSION.DENIED',
    );
    await walk('2026-12-22', 10);
    expect(datesOf(nudgeRows('stalled', number))).toEqual(['2026-12-21', '2026-12-29', '2026-12-30']);
  });

  it('refuses a snooze button that names nothing known', async () => {
    for (const value of ['', 'FR-1', 'FR-1:later', 'CR-1:untriaged', 'FR-x:stalled']) {
      await expectRefusedAndUnchanged(
        () => services.nudges.snooze({ actor: olga }, value),
        'INPUT.INVALID',
        'That button is out of date. Nothing was changed.',
      );
    }
    await expectRefusedAndUnchanged(
      () => services.nudges.snooze({ actor: olga }, 'FR-9:untriaged'),
      'NOT_FOUND',
      'There is no FR-9.',
    );
  });

  it('without a review channel an untriaged report is not counted as raised', async () => {
    clock = new ManualClock(`${MONDAY}T10:30:00.000Z`);
    setUp();
    await report();
    await walk(MONDAY, 5);
    expect(nudgeRows('untriaged', 1)).toEqual([]);
    expect(store.nudge('FR-1:untriaged')).toBeUndefined();
  });
});

describe('the jobs board', () => {
  const board = [
    {
      name: 'stale-nudges',
      schedule: '0 10 * * *',
      timeZone: 'UTC',
      last: { fireTime: new Date('2026-12-07T10:00:00Z'), outcome: 'failed', error: 'database gone' },
      next: new Date('2026-12-08T10:00:00Z'),
    },
    {
      name: 'training-reminders',
      schedule: '0 9 * * *',
      timeZone: 'UTC',
      last: { fireTime: new Date('2026-12-07T09:00:00Z'), outcome: 'ok', error: null },
      next: new Date('2026-12-08T09:00:00Z'),
    },
  ];

  it('shows CoE members each job’s schedule, last outcome and next run; nobody else', async () => {
    setUp({ jobs: board });
    await services.admin.bootstrapCoeMembers([olga]);
    await setLayer(mona, 'manager');
    const shown = await coe(olga, 'jobs');
    expect(shown.text).toBe('Scheduled jobs: stale-nudges (failed), training-reminders (ok)');
    expect(textOf(shown)).toContain(
      '{"label":"stale-nudges · 0 10 * * * (UTC)","value":"last 2026-12-07 10:00 UTC: failed (database gone); next 2026-12-08 10:00 UTC"}',
    );
    expect(textOf(shown)).toContain(
      '{"label":"training-reminders · 0 9 * * * (UTC)","value":"last 2026-12-07 09:00 UTC: ok; next 2026-12-08 09:00 UTC"}',
    );
    for (const ref of [mona, wanda, stranger]) {
      await expectRefusedAndUnchanged(
        () => coe(ref, 'jobs'),
        'PERMISSION.DENIED',
        'Only CoE members see the scheduled jobs.',
      );
    }
  });
});

describe('the /coe words of scheduled work', () => {
  it.each([
    ['slack', olga],
    ['teams', carl],
  ] as const)('forms are opened by the platform (%s): a command that reaches the router says how', async (_p, ref) => {
    // The command as a token: each platform writes it its own way (`/coe training assign`, **training assign**).
    await expectCoeError(
      coe(ref, 'training assign'),
      'SETUP.WRONG_PLACE',
      'That opens a form: send {{coe training assign}} again.',
    );
    await expectCoeError(
      coe(ref, 'audit plan'),
      'SETUP.WRONG_PLACE',
      'That opens a form: send {{coe audit plan}} again.',
    );
  });

  it('routes training, audit and jobs words to their services', async () => {
    await assign();
    expect((await coe(wanda, 'training')).text).toBe('My training: 1');
    expect((await coe(wanda, 'training status TR-1')).text).toBe(
      'TR-1 Scanner charging: completion is shown for groups of 5 or more.',
    );
    expect((await coe(wanda, 'audit list')).text).toBe(
      'No audits planned yet. CoE members plan them with {{coe audit plan}}.',
    );
    await expectCoeError(coe(wanda, 'audit run AUD-1'), 'PERMISSION.DENIED');
    await expectCoeError(coe(wanda, 'jobs'), 'PERMISSION.DENIED');
    expect((await coe(olga, 'jobs')).text).toBe('Scheduled jobs: ');
  });
});
