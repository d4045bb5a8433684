/**
 * The rest of a training's life through the services, on the in-memory store (issue 12): `training cancel TR-n`
 * (reminders stop, those not done are told once) and `training due TR-n YYYY-MM-DD` (a new due date, told to those
 * not done yet) — the events kept, the notices queued, the refusals that change nothing, the repeats that are no-ops.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCoeCommand, USAGE } from '../../src/domain/coe-command.ts';
import type { Message } from '../../src/domain/message.ts';
import type { Layer, PersonRef } from '../../src/domain/people.ts';
import { TRAINING_ACTIONS } from '../../src/domain/schedule-messages.ts';
import { carl, expectCoeError, mona, olga, tim, WAREHOUSE_SLACK, WAREHOUSE_TEAMS, wanda } from '../support/cast.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { eve } from '../support/permission-table.ts';
import { buildServices } from '../support/services.ts';

let clock: ManualClock;
let store: MemoryStore;
let services: ReturnType<typeof buildServices>;
let keys = 0;

const key = () => `interaction-${++keys}`;
const request = (actor: PersonRef, k = key()) => ({ actor, key: k });
const coe = (actor: PersonRef, text: string, k = key()): Promise<Message> =>
  services.commands.handle(request(actor, k), parseCoeCommand(text, [], { today: clock.now() }));
const training = (number = 1) => store.trainings.find((t) => t.number === number);
const eventsOf = (subject: string) => store.events.filter((e) => e.subject === subject);
const dmsTo = (ref: PersonRef) =>
  store.outbox.filter((r) => r.target.kind === 'dm' && r.target.externalId === ref.externalId);
const channelRows = (channelId: string) =>
  store.outbox.filter((r) => r.target.kind === 'channel' && r.target.channelId === channelId);
const withoutProcessed = () => {
  const { tables, outbox } = store.snapshot() as { tables: Record<string, unknown>; outbox: unknown };
  const { processed: _processed, ...rest } = tables;
  return JSON.stringify({ rest, outbox });
};

async function setLayer(ref: PersonRef, layer: Layer) {
  await store.transaction(async (repos) => repos.people.setLayer((await repos.people.identify(ref)).id, layer));
}

beforeEach(async () => {
  // Monday 7 December 2026, 10:00 UTC: working hours.
  clock = new ManualClock('2026-12-07T10:00:00.000Z');
  store = new MemoryStore(clock);
  services = buildServices(store, clock);
  await services.admin.bootstrapCoeMembers([olga, carl]);
  await setLayer(mona, 'manager');
  await setLayer(eve, 'executive');
  await store.transaction(async (repos) => {
    await repos.teams.add('Warehouse');
    const warehouse = await repos.teams.byName('Warehouse');
    if (!warehouse) throw new Error('no team');
    await repos.teams.addChannel(warehouse.id, 'slack', WAREHOUSE_SLACK);
    await repos.teams.addChannel(warehouse.id, 'teams', WAREHOUSE_TEAMS);
    for (const ref of [wanda, tim, mona]) {
      await repos.teams.setMember(warehouse.id, (await repos.people.identify(ref)).id, ref === mona);
    }
  });
  // TR-1 for Warehouse (Wanda, Tim and Mona), due Friday; Tim has done it already.
  const assigned = await services.trainings.assign(request(olga), {
    title: 'Scanner charging',
    material: 'https://wiki.example.com/scanners',
    teams: ['Warehouse'],
    layers: [],
    due: '2026-12-11',
  });
  expect(assigned.ok).toBe(true);
  await services.trainings.complete(request(tim), 'TR-1');
});

describe('the words', () => {
  it.each([
    ['training cancel TR-3', { kind: 'trainingCancel', id: 'TR-3' }],
    ['Training CANCEL tr3', { kind: 'trainingCancel', id: 'tr3' }],
    ['training due TR-3 2026-12-18', { kind: 'trainingDue', id: 'TR-3', dueOn: '2026-12-18' }],
  ] as const)('reads %j', (text, command) => {
    expect(parseCoeCommand(text)).toEqual(command);
  });

  it('asks which training to cancel', () => {
    for (const text of ['training cancel', 'training cancel TR-1 TR-2']) {
      expect(parseCoeCommand(text)).toEqual({
        kind: 'invalid',
        problem: 'Which training? Name it, like TR-3.',
        usage: USAGE.training,
      });
    }
  });

  it.each([
    'training due TR-3',
    'training due 2026-12-18',
    'training due TR-3 18/12/2026',
    'training due TR-3 2026-02-30',
  ])('asks for the training and a real date: %j', (text) => {
    expect(parseCoeCommand(text)).toEqual({
      kind: 'invalid',
      problem: 'Name the training and its new due date, like TR-3 2025-03-14.',
      usage: USAGE.training,
    });
  });
});

describe('cancel', () => {
  it('stops its reminders and tells those not done, once; its history stays', async () => {
    const queued = store.outbox.length;
    expect((await coe(carl, 'training cancel TR-1')).text).toBe(
      'Cancelled: TR-1 "Scanner charging". Its reminders stop, and its history stays. Everyone who had not completed it is told.',
    );
    expect(training()?.cancelledAt).toEqual(clock.now());
    expect(eventsOf('TR-1').at(-1)).toMatchObject({
      actorPersonId: store.personByIdentity('teams', carl.externalId)?.id,
      action: 'training.cancelled',
      from: '2026-12-11',
    });
    const notice =
      'Training TR-1 "Scanner charging" is cancelled: there is nothing more to do for it, and no more reminders.';
    for (const person of [wanda, mona]) expect(dmsTo(person).at(-1)?.body.text).toBe(notice);
    // Tim had completed it: nothing for him.
    expect(dmsTo(tim).filter((r) => r.key.includes('cancelled'))).toEqual([]);
    expect(channelRows(WAREHOUSE_SLACK).at(-1)?.body.text).toBe(notice);
    expect(channelRows(WAREHOUSE_TEAMS).at(-1)?.body.text).toBe(notice);
    expect(store.outbox.length - queued).toBe(4);

    // Tuesday: the reminder run has nothing to say about it.
    clock.set(new Date('2026-12-08T10:00:00.000Z'));
    const before = store.outbox.length;
    await services.trainings.remind();
    expect(store.outbox.slice(before)).toEqual([]);
    // Its buttons, still on older messages, say there is nothing to do.
    const done = 'TR-1 "Scanner charging" is cancelled already: there is nothing left to do for it.';
    expect((await services.trainings.complete(request(wanda), 'TR-1')).text).toBe(done);
    expect((await services.trainings.snooze(request(wanda), 'TR-1')).text).toBe(done);
    expect(store.assignments.find((a) => a.completedAt === null && a.trainingNumber === 1)).toBeDefined();
    // Each person's list and the status say it is cancelled.
    expect(JSON.stringify(await coe(wanda, 'training'))).toContain('TR-1 · Cancelled');
    expect(JSON.stringify(await coe(wanda, 'training status TR-1'))).toContain('(cancelled)');
  });

  it('a second cancel says so and changes nothing; the same interaction again is done already', async () => {
    const k = key();
    await coe(carl, 'training cancel TR-1', k);
    const before = withoutProcessed();
    expect((await coe(olga, 'training cancel TR-1')).text).toBe(
      'TR-1 "Scanner charging" is cancelled already: there is nothing left to do for it.',
    );
    expect((await coe(carl, 'training cancel TR-1', k)).text).toBe('Already done.');
    expect(withoutProcessed()).toBe(before);
  });

  it('a cancelled training keeps its due date', async () => {
    await coe(carl, 'training cancel TR-1');
    const before = JSON.stringify(store.snapshot());
    await expectCoeError(
      coe(carl, 'training due TR-1 2026-12-18'),
      'INPUT.INVALID',
      'TR-1 is cancelled, so it has no due date to move.',
    );
    expect(JSON.stringify(store.snapshot())).toBe(before);
  });
});

describe('a new due date', () => {
  it('moves it and tells those not done yet the new date, with the button to mark it complete', async () => {
    expect((await coe(olga, 'training due TR-1 2026-12-18')).text).toBe(
      'Done: TR-1 "Scanner charging" is now due Fri, 18 Dec 2026 (it was Fri, 11 Dec 2026); everyone who has not completed it is told.',
    );
    expect(training()?.dueOn).toBe('2026-12-18');
    expect(eventsOf('TR-1').at(-1)).toMatchObject({
      action: 'training.due_moved',
      from: '2026-12-11',
      to: '2026-12-18',
    });
    const notice = dmsTo(wanda).at(-1)?.body;
    expect(notice?.text).toBe(
      'Training TR-1 "Scanner charging" is now due Fri, 18 Dec 2026 (it was Fri, 11 Dec 2026).',
    );
    expect(notice?.blocks).toContainEqual({
      type: 'actions',
      actions: [{ id: TRAINING_ACTIONS.complete, label: 'Mark complete', value: 'TR-1', style: 'primary' }],
    });
    expect(dmsTo(mona).at(-1)?.body.text).toBe(notice?.text);
    expect(dmsTo(tim).filter((r) => r.key.includes(':due:'))).toEqual([]);
    expect(channelRows(WAREHOUSE_SLACK).at(-1)?.body.text).toBe(notice?.text);
    // Each person sees the new date.
    expect(JSON.stringify(await coe(wanda, 'training'))).toContain('Due Fri, 18 Dec 2026');
  });

  it('moved again, even back, the people are told again', async () => {
    await coe(olga, 'training due TR-1 2026-12-18');
    await coe(olga, 'training due TR-1 2026-12-11');
    expect(dmsTo(wanda).filter((r) => r.key.includes(':due:'))).toHaveLength(2);
    expect(training()?.dueOn).toBe('2026-12-11');
  });

  it('the same date says so and changes nothing; a day gone by is refused and changes nothing', async () => {
    const before = withoutProcessed();
    expect((await coe(olga, 'training due TR-1 2026-12-11')).text).toBe(
      'TR-1 "Scanner charging" is due Fri, 11 Dec 2026 already: nothing to change.',
    );
    expect(withoutProcessed()).toBe(before);
    const snapshot = JSON.stringify(store.snapshot());
    await expectCoeError(
      coe(olga, 'training due TR-1 2026-12-04'),
      'INPUT.INVALID',
      '2026-12-04 has passed already: pick today or a later day. Nothing was changed.',
    );
    expect(JSON.stringify(store.snapshot())).toBe(snapshot);
    // Today will do.
    expect((await coe(olga, 'training due TR-1 2026-12-07')).text).toMatch(/^Done: TR-1 .* now due Mon, 7 Dec 2026/);
  });
});

describe('who may', () => {
  it.each([
    ['a manager of its team', mona],
    ['a worker it is assigned to', wanda],
    ['an executive', eve],
  ])('refuses %s, and changes nothing', async (_who, actor) => {
    const before = JSON.stringify(store.snapshot());
    const refusal = 'Only CoE members cancel a training or move its due date. Nothing was changed.';
    await expectCoeError(coe(actor, 'training cancel TR-1'), 'PERMISSION.DENIED', refusal);
    await expectCoeError(coe(actor, 'training due TR-1 2026-12-18'), 'PERMISSION.DENIED', refusal);
    expect(JSON.stringify(store.snapshot())).toBe(before);
  });

  it('says so of a training that is not there, and of an id that is not one', async () => {
    const before = JSON.stringify(store.snapshot());
    await expectCoeError(coe(carl, 'training cancel TR-9'), 'NOT_FOUND', 'There is no TR-9.');
    await expectCoeError(coe(carl, 'training due TR-9 2026-12-18'), 'NOT_FOUND', 'There is no TR-9.');
    await expectCoeError(coe(carl, 'training cancel AUD-1'), 'INPUT.INVALID', 'Give a training id, like TR-3.');
    expect(JSON.stringify(store.snapshot())).toBe(before);
  });
});
