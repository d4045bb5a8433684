/**
 * Submissions that arrive together are stored together (group commit), and each person still gets exactly their own
 * answer: their own number, their own form errors, their own failure.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PersonRef } from '../../src/domain/people.ts';
import type { Repositories, Store } from '../../src/ports.ts';
import { FrictionService, type SubmitResult } from '../../src/services/friction.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';

/** The memory store, counting transactions and failing the ones it is told to (a database hiccup). */
class FlakyStore implements Store {
  transactions = 0;
  fail: (n: number) => boolean = () => false;
  constructor(readonly inner: MemoryStore) {}
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    this.transactions += 1;
    if (this.fail(this.transactions)) return Promise.reject(new Error('Connection terminated unexpectedly'));
    return this.inner.transaction(work);
  }
  read<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.inner.read(work);
  }
  once<T>(key: string, work: (repos: Repositories) => Promise<T>) {
    return this.inner.once(key, work);
  }
}

const person = (i: number): PersonRef => ({ platform: 'slack', externalId: `U${i}`, displayName: `Person ${i}` });
const form = (i: number, over: Record<string, unknown> = {}) => ({
  kind: 'tool_friction',
  title: `Label printer ${i} jams`,
  description: 'It jams on every tenth label.',
  tool: `Printer ${i}`,
  frequency: 'daily',
  impact: 'high',
  ...over,
});

let memory: MemoryStore;
let store: FlakyStore;
let friction: FrictionService;

beforeEach(async () => {
  const clock = new ManualClock('2025-03-03T09:00:00.000Z');
  memory = new MemoryStore(clock);
  store = new FlakyStore(memory);
  friction = new FrictionService(
    store,
    clock,
    { recurrenceThreshold: 3, recurrenceWindowDays: 14 },
    () => 'claim-token-123456',
  );
  await memory.transaction((repos) => repos.reviewChannels.set('slack', 'C0REVIEW'));
});

const numberOf = (result: SubmitResult) => (result.ok ? result.number : `errors: ${Object.keys(result.errors)}`);

describe('submissions that arrive together', () => {
  it('50 at once: one transaction, 50 reports, each person answered with their own', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => friction.submit({ actor: person(i), key: `view-${i}` }, form(i))),
    );
    expect(store.transactions).toBe(1);
    expect(results.map(numberOf)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const reports = memory.reports;
    expect(reports.map((r) => [r.number, r.submissionKey, r.title])).toEqual(
      Array.from({ length: 50 }, (_, i) => [i + 1, `view-${i}`, `Label printer ${i} jams`]),
    );
    // Each report names its own reporter, and each review message its own report, once.
    const people = new Map(memory.people.map((p) => [p.id, p.displayName]));
    expect(reports.map((r) => people.get(r.reporterPersonId ?? -1))).toEqual(
      Array.from({ length: 50 }, (_, i) => `Person ${i}`),
    );
    expect(memory.outbox.map((r) => r.key)).toEqual(Array.from({ length: 50 }, (_, i) => `FR-${i + 1}:review:slack`));
    expect(JSON.stringify(memory.outbox[7]?.body)).toContain('Person 7');
    expect(memory.events.filter((e) => e.action === 'friction.submitted').map((e) => e.subject)).toHaveLength(50);
  });

  it('a form with errors gets its errors; the others in its group are stored', async () => {
    const results = await Promise.all([
      friction.submit({ actor: person(1), key: 'view-1' }, form(1)),
      friction.submit({ actor: person(2), key: 'view-2' }, form(2, { title: '' })),
      friction.submit({ actor: person(3), key: 'view-3' }, form(3)),
    ]);
    expect(results.map(numberOf)).toEqual([1, 'errors: title', 2]);
    expect(memory.reports.map((r) => r.submissionKey)).toEqual(['view-1', 'view-3']);
  });

  it('the same submission twice in one group makes one report, and both are answered with it', async () => {
    const results = await Promise.all([
      friction.submit({ actor: person(1), key: 'view-1' }, form(1)),
      friction.submit({ actor: person(1), key: 'view-1' }, form(1)),
    ]);
    expect(results.map(numberOf)).toEqual([1, 1]);
    expect(memory.reports).toHaveLength(1);
    expect(memory.outbox).toHaveLength(1);
  });

  it('a group whose transaction fails is tried again one by one: nothing lost, nothing doubled', async () => {
    store.fail = (n) => n === 1;
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => friction.submit({ actor: person(i), key: `view-${i}` }, form(i))),
    );
    expect(store.transactions).toBe(6);
    expect(results.map(numberOf)).toEqual([1, 2, 3, 4, 5]);
    expect(memory.reports.map((r) => r.submissionKey)).toEqual(['view-0', 'view-1', 'view-2', 'view-3', 'view-4']);
  });

  it('when the database stays down, each person gets the error and nothing is stored', async () => {
    store.fail = () => true;
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, (_, i) => friction.submit({ actor: person(i), key: `view-${i}` }, form(i))),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(memory.reports).toEqual([]);
    expect(memory.outbox).toEqual([]);
    // And it takes the next submission as soon as the database is back.
    store.fail = () => false;
    expect(numberOf(await friction.submit({ actor: person(9), key: 'view-9' }, form(9)))).toBe(1);
  });

  it('three reports about one tool in one group raise one recurring-pattern alert, and offer each other +1', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((i) => friction.submit({ actor: person(i), key: `view-${i}` }, form(i, { tool: 'Label printer' }))),
    );
    expect(results.map(numberOf)).toEqual([1, 2, 3]);
    const alerts = memory.outbox.filter((r) => r.key.startsWith('pattern:'));
    expect(alerts.map((r) => r.key)).toEqual(['pattern:label printer:3:slack']);
    expect(JSON.stringify(alerts[0]?.body)).toContain('FR-1, FR-2, FR-3');
    // The third person is offered the two reports made just before theirs, newest first.
    const third = results[2];
    expect(JSON.stringify(third?.ok && third.confirmation)).toMatch(/FR-2[\s\S]*FR-1/);
    const first = results[0];
    expect(JSON.stringify(first?.ok && first.confirmation)).not.toContain('FR-2');
  });

  it('an anonymous report in a group names nobody, while the others name theirs', async () => {
    await Promise.all([
      friction.submit({ actor: person(1), key: 'view-1' }, form(1)),
      friction.submit({ actor: person(2), key: 'view-2' }, form(2, { anonymous: true })),
    ]);
    expect(memory.reports.map((r) => r.reporterPersonId === null)).toEqual([false, true]);
    expect(memory.people.map((p) => p.displayName)).toEqual(['Person 1']);
    expect(JSON.stringify(memory.outbox[1]?.body)).not.toContain('Person 2');
  });
});
