import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { message } from '../../src/domain/message.ts';
import type { Platform } from '../../src/domain/people.ts';
import {
  type Clock,
  DeliveryError,
  type MessageRef,
  type MessageSender,
  type OutboundMessage,
  type OutboxRow,
  type OutboxTarget,
} from '../../src/ports.ts';
import { type DelivererOptions, OutboxDeliverer } from '../../src/services/outbox-delivery.ts';
import { ManualClock, MemoryOutboxQueue, MemoryStore } from '../support/memory.ts';

/** A step of a sender's script for one key: fail with an error, or reach the platform but answer only later. */
type Step = Error | { answerAfter: Promise<void> };

/** A platform that records what reached it and fails as scripted per outbox key. */
class ScriptedSender implements MessageSender {
  /** Every message that reached the platform. */
  readonly delivered: { key: string; parent: MessageRef | undefined; ref: MessageRef }[] = [];
  /** Every call to `send`, by key. */
  readonly attempts: string[] = [];
  readonly lookups: string[] = [];
  private readonly script = new Map<string, Step[]>();

  constructor(
    private readonly name: Platform,
    readonly perChannelIntervalMs?: number,
  ) {}

  on(key: string, ...steps: Step[]): this {
    this.script.set(key, [...(this.script.get(key) ?? []), ...steps]);
    return this;
  }

  async send(row: OutboxRow, parent: MessageRef | undefined): Promise<MessageRef> {
    this.attempts.push(row.key);
    await new Promise((resolve) => setImmediate(resolve)); // a network round trip: other workers run meanwhile
    const step = this.script.get(row.key)?.shift();
    if (step instanceof Error) throw step;
    const ref = { platform: this.name, id: `m${this.delivered.length + 1}` };
    this.delivered.push({ key: row.key, parent, ref });
    if (step) await step.answerAfter;
    return ref;
  }

  async findDelivered(row: OutboxRow): Promise<MessageRef | undefined> {
    this.lookups.push(row.key);
    return this.delivered.find((d) => d.key === row.key)?.ref;
  }

  countOf(key: string): number {
    return this.delivered.filter((d) => d.key === key).length;
  }
}

const rateLimited = (ms: number) => new DeliveryError('rate-limited', 'ratelimited', ms);
const transient = () => new DeliveryError('transient', 'service_unavailable');
const permanent = () => new DeliveryError('permanent', 'channel_not_found');

const toChannel = (channelId: string, threadOf?: string): OutboxTarget => ({
  kind: 'channel',
  channelId,
  ...(threadOf ? { threadOf } : {}),
});

let clock: ManualClock;
let store: MemoryStore;
let queue: MemoryOutboxQueue;
let slack: ScriptedSender;
let teams: ScriptedSender;
const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };

beforeEach(() => {
  clock = new ManualClock();
  store = new MemoryStore(clock);
  queue = new MemoryOutboxQueue(store.outbox, clock);
  slack = new ScriptedSender('slack');
  teams = new ScriptedSender('teams');
  vi.clearAllMocks();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function deliverer(options: Partial<DelivererOptions> = {}): OutboxDeliverer {
  return new OutboxDeliverer({ queue, senders: { slack, teams }, clock, worker: 'w1', logger, ...options });
}

/** Queues messages the way services do: through the store, in one transaction. */
async function enqueue(...messages: [key: string, target: OutboxTarget, platform?: Platform][]): Promise<void> {
  await store.transaction(async (repos) => {
    for (const [key, target, platform = 'slack'] of messages) {
      const m: OutboundMessage = { key, platform, target, body: message(`message ${key}`) };
      await repos.outbox.enqueue(m);
    }
  });
}

/** Passes of the deliverer, moving the clock to the next due row in between, until nothing is left. */
async function settle(d: OutboxDeliverer, passes = 20): Promise<void> {
  for (let i = 0; i < passes; i++) {
    await d.deliverDue();
    const { pending, nextDueAt } = await queue.backlog();
    if (pending === 0) return;
    if (nextDueAt && nextDueAt > clock.now()) clock.advance(nextDueAt.getTime() - clock.now().getTime());
  }
  throw new Error('the outbox did not settle');
}

const at = (offsetMs: number, from: Date) => new Date(from.getTime() + offsetMs);

describe('OutboxDeliverer', () => {
  it('delivers each row once and records where it landed', async () => {
    await enqueue(['a', toChannel('C1')], ['b', { kind: 'dm', externalId: 'U1' }], ['c', toChannel('19:x'), 'teams']);
    const d = deliverer();
    expect(await d.deliverDue()).toBe(3);
    expect(await d.deliverDue()).toBe(0);
    expect(slack.attempts.sort()).toEqual(['a', 'b']);
    expect(teams.attempts).toEqual(['c']);
    for (const key of ['a', 'b', 'c']) {
      const row = queue.row(key);
      expect(row.status).toBe('sent');
      expect(row.sentAt).toEqual(clock.now());
      expect(row.ref).toEqual([...slack.delivered, ...teams.delivered].find((x) => x.key === key)?.ref);
      expect(await queue.refOf(key)).toEqual(row.ref);
    }
    expect(await queue.backlog()).toEqual({ pending: 0, nextDueAt: undefined });
  });

  it('keeps the order of messages to one channel', async () => {
    slack = new ScriptedSender('slack', 2); // spacing between messages to one channel (real timers: keep it tiny)
    await enqueue(['1', toChannel('C1')], ['2', toChannel('C1')], ['x', toChannel('C2')], ['3', toChannel('C1')]);
    await deliverer().deliverDue();
    expect(slack.delivered.map((s) => s.key).filter((k) => k !== 'x')).toEqual(['1', '2', '3']);
    expect(slack.delivered).toHaveLength(4);
  });

  describe('while running', () => {
    const realClock: Clock = { now: () => new Date() };
    beforeEach(() => {
      store = new MemoryStore(realClock);
      queue = new MemoryOutboxQueue(store.outbox, realClock);
    });

    it('sends on in other channels while one waits out its spacing', async () => {
      slack = new ScriptedSender('slack', 600); // a progress message edited once a second, say
      await enqueue(['p1', toChannel('C0')]);
      const d = deliverer({ clock: realClock, batchSize: 2, pollMs: 10_000 });
      await d.deliverDue();
      // The second edit must wait; announcements to other channels come in behind it, more than one claim's worth.
      await enqueue(
        ['p2', toChannel('C0')],
        ...['a', 'b', 'c', 'd'].map((k, i): [string, OutboxTarget] => [k, toChannel(`C${i + 1}`)]),
      );
      d.start();
      try {
        await vi.waitFor(() => expect(slack.delivered.map((s) => s.key)).toContain('d'), { timeout: 5_000 });
        expect(slack.attempts).not.toContain('p2');
        await vi.waitFor(() => expect(queue.row('p2').status).toBe('sent'), { timeout: 5_000 });
      } finally {
        await d.stop();
      }
      expect(slack.attempts).toEqual(['p1', 'a', 'b', 'c', 'd', 'p2']);
    });

    it('leaves room for everybody else while a burst goes to one channel a second apart', async () => {
      slack = new ScriptedSender('slack', 300);
      const burst = Array.from({ length: 12 }, (_, i): [string, OutboxTarget] => [`r${i}`, toChannel('C-review')]);
      await enqueue(...burst, ['confirm', { kind: 'dm', externalId: 'U1' }], ['ann', toChannel('C-team')]);
      const d = deliverer({ clock: realClock, batchSize: 4, pollMs: 10_000 });
      d.start();
      try {
        await vi.waitFor(
          () => expect(slack.delivered.map((s) => s.key)).toEqual(expect.arrayContaining(['confirm', 'ann'])),
          {
            timeout: 5_000,
          },
        );
      } finally {
        await d.stop();
      }
      // The first claim was the burst's four; the others did not wait for those four to go out, 0.3 s apart.
      const sent = slack.delivered.map((s) => s.key);
      expect(sent.slice(0, sent.indexOf('ann') + 1).filter((k) => k.startsWith('r'))).toEqual(['r0']);
    });

    it('looks for rows queued while a lane is at work when the lane ends or at the poll, not at every poke', async () => {
      slack = new ScriptedSender('slack', 400);
      await enqueue(...Array.from({ length: 6 }, (_, i): [string, OutboxTarget] => [`r${i}`, toChannel('C-review')]));
      const claims = vi.spyOn(queue, 'claim');
      const d = deliverer({ clock: realClock, pollMs: 300 });
      d.start();
      try {
        await vi.waitFor(() => expect(slack.attempts).toContain('r1'), { timeout: 5_000 });
        const before = claims.mock.calls.length;
        // A storm of commits, each poking: they are not each a claim while the review lane is at work.
        for (let i = 0; i < 20; i++) {
          await enqueue([`n${i}`, { kind: 'dm', externalId: `U${i}` }]);
          d.poke();
        }
        expect(claims.mock.calls.length - before).toBeLessThanOrEqual(1);
        // The poll still finds them, long before the review lane is done (six messages 0.4 s apart).
        await vi.waitFor(() => expect(queue.row('n19').status).toBe('sent'), { timeout: 1_000 });
        expect(slack.attempts.filter((k) => k.startsWith('r')).length).toBeLessThan(6);
      } finally {
        await d.stop();
      }
    });

    it("claims none of a channel's rows while it is still sending to it, so its order holds across claims", async () => {
      slack = new ScriptedSender('slack', 5);
      const sending = new Set<string>();
      const send = slack.send.bind(slack);
      vi.spyOn(slack, 'send').mockImplementation(async (row, parent) => {
        const lane = row.target.kind === 'channel' ? row.target.channelId : row.key;
        expect(sending.has(lane)).toBe(false); // one message at a time per channel
        sending.add(lane);
        try {
          return await send(row, parent);
        } finally {
          sending.delete(lane);
        }
      });
      const keys = Array.from({ length: 12 }, (_, i) => `m${i}`);
      await enqueue(...keys.map((k, i): [string, OutboxTarget] => [k, toChannel(i % 3 ? 'C1' : 'C2')]));
      const d = deliverer({ clock: realClock, batchSize: 4, concurrency: 2, pollMs: 10_000 });
      d.start();
      try {
        await vi.waitFor(() => expect(slack.delivered).toHaveLength(12), { timeout: 5_000 });
      } finally {
        await d.stop();
      }
      const order = (channel: string) =>
        slack.delivered.map((s) => s.key).filter((k) => (Number(k.slice(1)) % 3 ? 'C1' : 'C2') === channel);
      expect(order('C1')).toEqual(keys.filter((_, i) => i % 3));
      expect(order('C2')).toEqual(keys.filter((_, i) => i % 3 === 0));
      expect(keys.map((k) => queue.row(k).status)).toEqual(keys.map(() => 'sent'));
    });
  });

  it('honours Retry-After and holds the whole platform meanwhile', async () => {
    const t0 = clock.now();
    slack.on('s1', rateLimited(1000));
    await enqueue(['s1', toChannel('C1')], ['s2', toChannel('C2')], ['t1', toChannel('19:x'), 'teams']);
    const d = deliverer({ concurrency: 1 });
    await d.deliverDue();
    expect(queue.row('s1')).toMatchObject({ status: 'pending', nextAttemptAt: at(1000, t0), lastError: 'ratelimited' });
    expect(queue.row('s2')).toMatchObject({ status: 'pending', nextAttemptAt: at(1000, t0) });
    expect(slack.attempts).toEqual(['s1']); // s2 waited without trying
    expect(queue.row('t1').status).toBe('sent'); // the other platform is not held

    clock.advance(999);
    await enqueue(['s3', { kind: 'dm', externalId: 'U1' }]);
    // The new row is due, but its platform is held: it is not even claimed, and nothing is tried.
    expect(await d.deliverDue()).toBe(0);
    expect(queue.row('s3')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(slack.attempts).toEqual(['s1']);
    // Held rows were put back untried: s2's claim did not count as an attempt.
    expect(queue.row('s2').attempts).toBe(0);

    clock.advance(1);
    expect(await d.deliverDue()).toBe(3);
    expect(slack.attempts.sort()).toEqual(['s1', 's1', 's2', 's3']);
    expect(['s1', 's2', 's3'].map((k) => queue.row(k).status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('goes on at once when a pause ends while a claim that skipped its platform was still running', async () => {
    const realClock: Clock = { now: () => new Date() };
    store = new MemoryStore(realClock);
    queue = new MemoryOutboxQueue(store.outbox, realClock);
    slack.on('s1', rateLimited(200));
    await enqueue(['s1', toChannel('C1')], ['s2', toChannel('C2')]);
    const claim = queue.claim.bind(queue);
    vi.spyOn(queue, 'claim').mockImplementation(async (worker, limit, leaseMs, skip = {}) => {
      const rows = await claim(worker, limit, leaseMs, skip);
      // A slow claim (a busy database) while Slack is held: the pause ends before it answers.
      if (skip.platforms?.includes('slack')) await new Promise((resolve) => setTimeout(resolve, 300));
      return rows;
    });
    const d = deliverer({ clock: realClock, concurrency: 1, pollMs: 10_000 });
    const started = Date.now();
    d.start();
    try {
      await vi.waitFor(() => expect(queue.row('s2').status).toBe('sent'), { timeout: 5_000 });
      // Not a whole poll later.
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await d.stop();
    }
  });

  it('tries a failed row again when its backoff ends, not at the next poll', async () => {
    const realClock: Clock = { now: () => new Date() };
    store = new MemoryStore(realClock);
    queue = new MemoryOutboxQueue(store.outbox, realClock);
    slack.on('k', transient());
    await enqueue(['k', toChannel('C1')]);
    const d = deliverer({ clock: realClock, pollMs: 60_000 });
    d.start();
    try {
      await vi.waitFor(() => expect(queue.row('k').status).toBe('sent'), { timeout: 5_000 });
    } finally {
      await d.stop();
    }
    expect(slack.attempts).toEqual(['k', 'k']);
  });

  it('backs off exponentially on transient errors, with jitter in the upper half', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    slack.on('k', transient(), transient(), new Error('socket hang up'), transient());
    await enqueue(['k', toChannel('C1')]);
    const d = deliverer();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await d.deliverDue();
      const row = queue.row('k');
      expect(row.status).toBe('pending');
      const delay = row.nextAttemptAt.getTime() - clock.now().getTime();
      delays.push(delay);
      clock.advance(delay - 1);
      expect(await d.deliverDue()).toBe(0); // not a millisecond early
      clock.advance(1);
    }
    expect(delays).toEqual([188, 375, 750, 1500]); // 0.25 s, 0.5 s, 1 s, 2 s, each at 3/4 with this jitter
    expect(queue.row('k').lastError).toBe('service_unavailable');
    await d.deliverDue();
    expect(queue.row('k')).toMatchObject({ status: 'sent', attempts: 5, lastError: null });
    expect(slack.countOf('k')).toBe(1);
  });

  it('keeps jittered backoff within [half, full] of the step', async () => {
    for (let i = 0; i < 5; i++) slack.on(`k${i}`, transient());
    await enqueue(...Array.from({ length: 5 }, (_, i): [string, OutboxTarget] => [`k${i}`, toChannel(`C${i}`)]));
    await deliverer().deliverDue();
    for (let i = 0; i < 5; i++) {
      const delay = queue.row(`k${i}`).nextAttemptAt.getTime() - clock.now().getTime();
      expect(delay).toBeGreaterThanOrEqual(125);
      expect(delay).toBeLessThanOrEqual(250);
    }
  });

  it('waits five minutes at most between tries, however many failed', async () => {
    slack.on('k', transient());
    await enqueue(['k', toChannel('C1')]);
    queue.row('k').attempts = 40; // the claim makes it the 41st
    await deliverer().deliverDue();
    const delay = queue.row('k').nextAttemptAt.getTime() - clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(150_000);
    expect(delay).toBeLessThanOrEqual(300_000);
  });

  it('gives a transiently failing row up after giveUpAfterMs', async () => {
    slack.on('k', transient(), transient());
    await enqueue(['k', toChannel('C1')]);
    const d = deliverer({ giveUpAfterMs: 10_000 });
    await d.deliverDue();
    clock.advance(10_001);
    await d.deliverDue();
    expect(queue.row('k')).toMatchObject({
      status: 'failed',
      lastError: 'gave up after 2 attempts: service_unavailable',
    });
  });

  it('fails a permanently refused row at once and never retries it', async () => {
    slack.on('bad', permanent());
    await enqueue(['bad', toChannel('C404')], ['good', toChannel('C1')]);
    const d = deliverer();
    await d.deliverDue();
    expect(queue.row('bad')).toMatchObject({ status: 'failed', lastError: 'channel_not_found', attempts: 1 });
    expect(await queue.refOf('bad')).toBeNull();
    clock.advance(24 * 3600 * 1000);
    expect(await d.deliverDue()).toBe(0);
    expect(slack.attempts.filter((k) => k === 'bad')).toHaveLength(1);
    expect(logger.error).toHaveBeenCalled();
    expect(await d.flush(clock.now().getTime() + 1000)).toBe(0);
  });

  it('leaves rows of a platform this process does not serve for another replica', async () => {
    await enqueue(['t', toChannel('19:x'), 'teams']);
    await deliverer({ senders: { slack } }).deliverDue();
    expect(queue.row('t')).toMatchObject({
      status: 'pending',
      nextAttemptAt: at(60_000, clock.now()),
      lastError: 'teams is not configured',
    });
  });

  describe('in-doubt rows (the sender vanished mid-send)', () => {
    it('marks a row that did reach the platform as sent, without sending it again', async () => {
      await enqueue(['k', toChannel('C1')]);
      const [claimed] = await queue.claim('crashed', 10, 30_000);
      if (!claimed) throw new Error('nothing claimed');
      const ref = await slack.send(claimed, undefined); // reached Slack; then the process died before markSent
      const d = deliverer();
      expect(await d.deliverDue()).toBe(0); // the lease still holds
      clock.advance(30_001);
      expect(await d.deliverDue()).toBe(1);
      expect(slack.lookups).toEqual(['k']);
      expect(slack.countOf('k')).toBe(1);
      expect(queue.row('k')).toMatchObject({ status: 'sent', ref, lockedBy: 'w1', attempts: 2 });
      expect(await queue.markSent(claimed.id, 'crashed', { id: 'late' })).toBe(false); // the old owner is fenced off
      expect(queue.row('k').ref).toEqual(ref);
    });

    it('sends a row that did not reach the platform, once', async () => {
      await enqueue(['k', toChannel('C1')]);
      await queue.claim('crashed', 10, 30_000);
      clock.advance(30_001);
      await deliverer().deliverDue();
      expect(slack.lookups).toEqual(['k']);
      expect(slack.attempts).toEqual(['k']);
      expect(queue.row('k').status).toBe('sent');
    });

    it('stays in doubt when a pause puts it back untried, so it is still looked for before it is sent', async () => {
      await enqueue(['first', toChannel('C1')], ['held', toChannel('C2')]);
      await queue.claim('crashed', 10, 30_000); // both in flight when the process died
      slack.on('first', rateLimited(5000));
      clock.advance(30_001);
      const d = deliverer({ concurrency: 1 });
      await d.deliverDue(); // 'first' gets a 429 and pauses Slack; 'held' is put back untried
      expect(queue.row('held')).toMatchObject({ status: 'sending', lockedBy: null, attempts: 1 });
      expect(slack.lookups).toEqual(['first']);
      clock.advance(5001);
      await d.deliverDue();
      // 'first' was tried (and looked for) already; 'held' is still in doubt, so it is looked for before it is sent.
      expect(slack.lookups).toEqual(['first', 'held']);
      expect(['first', 'held'].map((k) => [slack.countOf(k), queue.row(k).status])).toEqual([
        [1, 'sent'],
        [1, 'sent'],
      ]);
    });

    it('looks for nothing when the row is not in doubt', async () => {
      await enqueue(['k', toChannel('C1')]);
      await deliverer().deliverDue();
      expect(slack.lookups).toEqual([]);
    });
  });

  describe('threads and updates', () => {
    it('wait until the message they refer to is sent, then go to it', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      slack.on('parent', transient());
      await enqueue(
        ['parent', toChannel('C1')],
        ['reply', toChannel('C1', 'parent')],
        ['edit', { kind: 'update', of: 'parent' }],
      );
      const d = deliverer();
      await d.deliverDue();
      expect(slack.attempts).toEqual(['parent']);
      for (const key of ['reply', 'edit']) {
        expect(queue.row(key)).toMatchObject({ status: 'pending', lastError: 'waiting for the message it refers to' });
      }
      await settle(d);
      const parentRef = queue.row('parent').ref;
      expect(parentRef).not.toBeNull();
      expect(slack.delivered.find((s) => s.key === 'reply')?.parent).toEqual(parentRef);
      expect(slack.delivered.find((s) => s.key === 'edit')?.parent).toEqual(parentRef);
      expect(slack.delivered.map((s) => s.key).indexOf('parent')).toBe(0);
    });

    it('fail when the message they refer to failed, or never existed', async () => {
      slack.on('parent', permanent());
      await enqueue(
        ['parent', toChannel('C1')],
        ['reply', toChannel('C1', 'parent')],
        ['edit', { kind: 'update', of: 'parent' }],
        ['orphan', toChannel('C2', 'no-such-key')],
      );
      await settle(deliverer());
      expect(slack.attempts).toEqual(['parent']);
      expect(queue.row('reply')).toMatchObject({
        status: 'failed',
        lastError: 'the message it refers to (parent) was never delivered',
      });
      expect(queue.row('edit').status).toBe('failed');
      expect(queue.row('orphan').status).toBe('failed');
    });
  });

  describe('several workers on one queue', () => {
    it('never send a row twice', async () => {
      const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
      await enqueue(
        ...keys.map((key, i): [string, OutboxTarget, Platform] => [
          key,
          i % 4 === 3 ? { kind: 'dm', externalId: `U${i % 5}` } : toChannel(`C${i % 3}`),
          i % 2 ? 'teams' : 'slack',
        ]),
      );
      const a = deliverer({ worker: 'a', batchSize: 4, concurrency: 3 });
      const b = deliverer({ worker: 'b', batchSize: 4, concurrency: 3 });
      const deadline = clock.now().getTime() + 60_000;
      expect(await Promise.all([a.flush(deadline), b.flush(deadline)])).toEqual([0, 0]);
      for (const key of keys) expect(slack.countOf(key) + teams.countOf(key)).toBe(1);
      expect([...slack.attempts, ...teams.attempts]).toHaveLength(40);
      expect(new Set(store.outbox.map((r) => r.lockedBy))).toEqual(new Set(['a', 'b']));
    });

    it('never send a row twice when a lease runs out mid-send', async () => {
      let answer = () => {};
      slack.on('slow', { answerAfter: new Promise<void>((resolve) => (answer = resolve)) });
      await enqueue(['slow', toChannel('C1')]);
      const a = deliverer({ worker: 'a', leaseMs: 5_000 });
      const b = deliverer({ worker: 'b', leaseMs: 5_000 });
      const passA = a.deliverDue();
      await vi.waitFor(() => expect(slack.delivered).toHaveLength(1)); // reached Slack; a waits for the answer
      clock.advance(5_001);
      expect(await b.deliverDue()).toBe(1); // b takes the row over, in doubt, and finds it delivered
      expect(queue.row('slow')).toMatchObject({ status: 'sent', lockedBy: 'b' });
      answer();
      await passA;
      expect(slack.countOf('slow')).toBe(1);
      expect(slack.attempts).toEqual(['slow']);
      expect(logger.warn).toHaveBeenCalledWith({ key: 'slow' }, expect.stringContaining('lease lost'));
    });
  });

  describe('flush', () => {
    const realClock: Clock = { now: () => new Date() };

    it('returns 0 once everything is delivered, retries included', async () => {
      // Real time here, because flush sleeps with real timers while it waits for a due row; Retry-After is tiny.
      store = new MemoryStore(realClock);
      queue = new MemoryOutboxQueue(store.outbox, realClock);
      slack.on('a', rateLimited(15));
      teams.on('t', permanent());
      await enqueue(['a', toChannel('C1')], ['b', toChannel('C2')], ['t', toChannel('19:x'), 'teams']);
      const d = deliverer({ clock: realClock });
      expect(await d.flush(Date.now() + 5_000)).toBe(0);
      expect(['a', 'b', 't'].map((k) => queue.row(k).status)).toEqual(['sent', 'sent', 'failed']);
      expect(slack.countOf('a')).toBe(1);
    });

    it('returns how many rows still wait when the deadline passes', async () => {
      store = new MemoryStore(realClock);
      queue = new MemoryOutboxQueue(store.outbox, realClock);
      slack.on('a', rateLimited(60_000));
      await enqueue(['a', toChannel('C1')], ['b', toChannel('C2')]);
      const d = deliverer({ clock: realClock, concurrency: 1 });
      expect(await d.flush(Date.now() + 30)).toBe(2);
      expect(slack.attempts).toEqual(['a']);
    });

    it('puts back the rest of a batch to one channel once the deadline passes, instead of holding the stop', async () => {
      store = new MemoryStore(realClock);
      queue = new MemoryOutboxQueue(store.outbox, realClock);
      slack = new ScriptedSender('slack', 300); // one message every 0.3 s to one channel: the batch needs 2.1 s
      const keys = Array.from({ length: 8 }, (_, i) => `r${i}`);
      await enqueue(...keys.map((k): [string, OutboxTarget] => [k, toChannel('C1')]));
      const d = deliverer({ clock: realClock });
      const started = Date.now();
      const left = await d.flush(Date.now() + 400);
      expect(Date.now() - started).toBeLessThan(1500);
      // Sent in order until the deadline; the rest back to pending at once (claimable now, not in doubt later).
      const sent = slack.attempts.length;
      expect(left).toBe(keys.length - sent);
      expect(left).toBeGreaterThan(0);
      expect(slack.attempts).toEqual(keys.slice(0, sent));
      expect(keys.map((k) => queue.row(k).status)).toEqual(keys.map((_, i) => (i < sent ? 'sent' : 'pending')));
      expect(await queue.claim('w2', 10, 1000)).toHaveLength(left);
    });
  });

  it('stops within a send when the batch in flight holds many rows to one channel', async () => {
    const realClock: Clock = { now: () => new Date() };
    store = new MemoryStore(realClock);
    queue = new MemoryOutboxQueue(store.outbox, realClock);
    slack = new ScriptedSender('slack', 400); // the batch would hold the stop for 3.6 s
    await enqueue(...Array.from({ length: 10 }, (_, i): [string, OutboxTarget] => [`s${i}`, toChannel('C1')]));
    const d = deliverer({ clock: realClock });
    d.start();
    await vi.waitFor(() => expect(slack.attempts.length).toBeGreaterThan(0));
    const stopping = Date.now();
    await d.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    const statuses = store.outbox.map((r) => r.status);
    expect(statuses.filter((s) => s === 'sending')).toEqual([]);
    expect(statuses.filter((s) => s === 'pending').length).toBeGreaterThanOrEqual(8);
  });
});
