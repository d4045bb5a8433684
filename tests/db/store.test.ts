/**
 * The Prisma implementations of the core's ports, on PGlite and on real Postgres.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaOutboxQueue, PrismaStore } from '../../src/db/store.ts';
import { laneOf, type OutboundMessage, type OutboxTarget } from '../../src/ports.ts';
import { setReviewChannel } from '../../src/services/review-channel.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';

const post = (key: string, channelId = 'C1'): OutboundMessage => ({
  key,
  platform: 'slack',
  target: { kind: 'channel', channelId },
  body: { text: key, blocks: [{ type: 'paragraph', text: key }] },
});

describe.each(databaseKinds())('the database store (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;
  let queue: PrismaOutboxQueue;

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
    queue = new PrismaOutboxQueue(db.prisma);
  });

  it('runs an interaction once per key, and forgets a key whose work failed', async () => {
    const first = await store.once('k1', (repos) => repos.people.identify({ platform: 'slack', externalId: 'U1' }));
    const again = await store.once('k1', (repos) => repos.people.identify({ platform: 'slack', externalId: 'U2' }));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ duplicate: true });
    expect(await db.prisma.person.count()).toBe(1);

    await expect(
      store.once('k2', async (repos) => {
        await repos.people.identify({ platform: 'slack', externalId: 'U3' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.prisma.person.count()).toBe(1);
    const retried = await store.once('k2', (repos) => repos.people.identify({ platform: 'slack', externalId: 'U3' }));
    expect(retried.duplicate).toBe(false);
  });

  it('keeps review channels for a few seconds, but decides on what the database holds now', async () => {
    const other = new PrismaStore(db.prisma); // another replica
    await store.transaction((r) => r.reviewChannels.set('slack', 'C1'));
    expect(await store.read((r) => r.reviewChannels.get('slack'))).toBe('C1');
    await other.transaction((r) => r.reviewChannels.set('slack', 'C2'));

    // A message on its way may go where the channel was a moment ago; a command that moves it back must not be told
    // it is already there.
    expect(await store.read((r) => r.reviewChannels.get('slack'))).toBe('C1');
    expect(await store.read((r) => r.reviewChannels.current('slack'))).toBe('C2');
    const coe = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'UCOE' }));
    const change = { actor: { platform: 'slack' as const, externalId: 'UCOE' }, key: 'k-setup', channelId: 'C1' };
    expect(await store.transaction((r) => setReviewChannel(r, coe, change))).toBe('moved');
    expect(await db.prisma.reviewChannel.findUnique({ where: { platform: 'slack' } })).toMatchObject({
      channelId: 'C1',
    });

    // Behind its back (a restore): forgotten on request.
    expect(await other.read((r) => r.reviewChannels.get('slack'))).toBe('C1');
    await db.prisma.reviewChannel.deleteMany();
    expect(await other.read((r) => r.reviewChannels.get('slack'))).toBe('C1');
    other.forgetCached();
    expect(await other.read((r) => r.reviewChannels.get('slack'))).toBeUndefined();
  });

  it('keeps one person per platform identity and remembers their latest name', async () => {
    await store.transaction((r) => r.people.identify({ platform: 'teams', externalId: 'aad-1', displayName: 'Ada' }));
    const person = await store.transaction((r) =>
      r.people.identify({ platform: 'teams', externalId: 'aad-1', displayName: 'Ada L.' }),
    );
    expect(person).toMatchObject({ layer: 'worker', displayName: 'Ada L.' });
    expect(await db.prisma.person.count()).toBe(1);
  });

  it('queues each outbox key once, and lets only the newest pending update of a message stand', async () => {
    await store.transaction(async (r) => {
      await r.outbox.enqueue(post('m1'));
      await r.outbox.enqueue(post('m1'));
      await r.outbox.enqueue({ ...post('u1'), target: { kind: 'update', of: 'm1' } });
      await r.outbox.enqueue({ ...post('u2'), target: { kind: 'update', of: 'm1' } });
    });
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.idempotencyKey, r.status])).toEqual([
      ['m1', 'pending'],
      ['u1', 'superseded'],
      ['u2', 'pending'],
    ]);
  });

  it('claims a fan-out after the other messages, and leaves the rows of a paused platform alone', async () => {
    await store.transaction(async (r) => {
      await r.outbox.enqueueMany([1, 2, 3].map((i) => ({ ...post(`ann${i}`, `C${i}`), batch: 'release:1' })));
      await r.outbox.enqueue(post('confirm'));
      await r.outbox.enqueue({ ...post('teams'), platform: 'teams', target: { kind: 'channel', channelId: '19:x' } });
    });
    expect((await queue.claim('w', 10, 60_000, { platforms: ['slack'] })).map((row) => row.key)).toEqual(['teams']);
    expect((await queue.claim('w', 2, 60_000)).map((row) => row.key)).toEqual(['confirm', 'ann1']);
  });

  it('leaves the rows of the lanes in `skip` alone, spelling each lane as laneOf does', async () => {
    const targets: [string, OutboxTarget][] = [
      ['ch', { kind: 'channel', channelId: 'C1' }],
      ['reply', { kind: 'channel', channelId: 'C1', threadOf: 'ch' }],
      ['dm', { kind: 'dm', externalId: 'U1' }],
      ['edit', { kind: 'update', of: 'ch' }],
      ['other', { kind: 'channel', channelId: 'C2' }],
    ];
    await store.transaction(async (r) => {
      for (const [key, target] of targets) await r.outbox.enqueue({ ...post(key), target });
    });
    const busy = ['ch', 'dm', 'edit'].map((key) =>
      laneOf('slack', targets.find(([k]) => k === key)?.[1] as OutboxTarget),
    );
    // The reply shares its channel's lane; the same ids on another platform are another lane.
    const claimed = await queue.claim('w', 10, 60_000, { lanes: [...busy, 'teams:C2'] });
    expect(claimed.map((row) => row.key)).toEqual(['other']);
    expect((await queue.claim('w', 10, 60_000)).map((row) => row.key)).toEqual(['ch', 'reply', 'dm', 'edit']);
  });

  it('puts a claimed row back untried: no attempt counted, and a row in doubt stays in doubt', async () => {
    await store.transaction(async (r) => {
      await r.outbox.enqueue(post('fresh'));
      await r.outbox.enqueue(post('doubt', 'C2'));
    });
    const [fresh, doubt] = await queue.claim('w1', 10, 60_000);
    if (!fresh || !doubt) throw new Error('nothing claimed');
    const soon = new Date(Date.now() + 200);
    await queue.release(fresh.id, 'w1', soon, false, 'slack is paused');
    await queue.release(doubt.id, 'w1', soon, true);
    await queue.release(doubt.id, 'other', new Date(0), false); // not its owner: nothing happens
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.idempotencyKey, r.status, r.attempts, r.lockedBy, r.lastError])).toEqual([
      ['fresh', 'pending', 0, null, 'slack is paused'],
      ['doubt', 'sending', 0, null, null],
    ]);
    expect(await queue.claim('w2', 10, 60_000)).toEqual([]); // neither is due before `soon`
    await new Promise((resolve) => setTimeout(resolve, 250));
    const again = await queue.claim('w2', 10, 60_000);
    expect(again.map((row) => [row.key, row.attempts, row.inDoubt])).toEqual([
      ['fresh', 1, false],
      ['doubt', 1, true],
    ]);
  });

  it('leases rows to one worker; a lost lease comes back in doubt and fences the old worker', async () => {
    await store.transaction(async (r) => {
      for (let i = 0; i < 5; i++) await r.outbox.enqueue(post(`m${i}`));
    });
    const a = await queue.claim('worker-a', 3, 60_000);
    const b = await queue.claim('worker-b', 10, 60_000);
    expect(a.map((r) => r.key)).toEqual(['m0', 'm1', 'm2']);
    expect(b.map((r) => r.key)).toEqual(['m3', 'm4']);
    expect(await queue.claim('worker-c', 10, 60_000)).toEqual([]);

    // worker-b vanishes; its lease runs out.
    await db.prisma.outboxMessage.updateMany({ where: { lockedBy: 'worker-b' }, data: { lockedUntil: new Date(0) } });
    const taken = await queue.claim('worker-c', 10, 60_000);
    expect(taken.map((r) => [r.key, r.inDoubt])).toEqual([
      ['m3', true],
      ['m4', true],
    ]);
    expect(await queue.markSent(b[0]?.id as string, 'worker-b', { ts: 'late' })).toBe(false);
    expect(await queue.markSent(taken[0]?.id as string, 'worker-c', { ts: '1.0' })).toBe(true);
    expect(await queue.refOf('m3')).toEqual({ ts: '1.0' });
    expect(await queue.refOf('m4')).toBeUndefined();
    expect(await queue.refOf('nope')).toBeNull();
  });

  it('never hands the same row to two concurrent claimers', async () => {
    await store.transaction(async (r) => {
      for (let i = 0; i < 60; i++) await r.outbox.enqueue(post(`c${i}`, `C${i % 7}`));
    });
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => queue.claim(`w${i}`, 15, 60_000)));
    const keys = claims.flat().map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(60);
  });

  it('retries later, fails for good, and reports the backlog', async () => {
    await store.transaction(async (r) => {
      await r.outbox.enqueue(post('r1'));
      await r.outbox.enqueue(post('f1'));
    });
    const [r1, f1] = await queue.claim('w', 10, 60_000);
    const later = new Date(Date.now() + 60_000);
    await queue.retryAt(r1?.id as string, 'w', later, 'HTTP 500');
    await queue.markFailed(f1?.id as string, 'w', 'channel_not_found');
    expect(await queue.claim('w', 10, 60_000)).toEqual([]);
    const backlog = await queue.backlog();
    expect(backlog.pending).toBe(1);
    expect(backlog.nextDueAt?.getTime()).toBe(later.getTime());
    expect(await queue.refOf('f1')).toBeNull();
  });

  it('releases rows orphaned by a crash of the only process (embedded database start-up)', async () => {
    await store.transaction((r) => r.outbox.enqueue(post('o1')));
    await queue.claim('dead-process', 10, 60_000);
    expect(await queue.claim('new-process', 10, 60_000)).toEqual([]);
    expect(await queue.releaseOrphans()).toBe(1);
    const [row] = await queue.claim('new-process', 10, 60_000);
    expect(row).toMatchObject({ key: 'o1', inDoubt: true });
  });
});
