import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckFirst } from '../../src/platforms/slack/listeners/after-acks.ts';

const nextTurn = () => vi.advanceTimersToNextTimerAsync();

describe('AckFirst (afterAcks)', () => {
  let queue: AckFirst;
  let afterAcks: () => Promise<void>;
  let requestArrived: () => void;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] });
    queue = new AckFirst();
    afterAcks = () => queue.after();
    requestArrived = () => queue.requestArrived();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets follow-up work go one piece per turn of the event loop, in the order asked', async () => {
    const done: number[] = [];
    const all = [1, 2, 3].map((n) => afterAcks().then(() => done.push(n)));
    expect(done).toEqual([]);
    await nextTurn();
    expect(done).toEqual([1]);
    await nextTurn();
    expect(done).toEqual([1, 2]);
    await nextTurn();
    await Promise.all(all);
    expect(done).toEqual([1, 2, 3]);
    // Nothing left waiting: a later call gets its own turn again.
    const later = afterAcks();
    await nextTurn();
    await later;
  });

  it('waits while requests keep coming, and starts once none came for 10 ms', async () => {
    let done = false;
    requestArrived();
    void afterAcks().then(() => {
      done = true;
    });
    for (let ms = 0; ms < 20; ms++) {
      await vi.advanceTimersByTimeAsync(1);
      requestArrived();
    }
    await vi.advanceTimersByTimeAsync(9);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(done).toBe(true);
  });

  it('waits no longer than 100 ms however many requests come', async () => {
    let doneAt: number | undefined;
    const start = performance.now();
    requestArrived();
    void afterAcks().then(() => {
      doneAt = performance.now() - start;
    });
    for (let ms = 0; ms < 150 && doneAt === undefined; ms++) {
      requestArrived();
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(doneAt).toBeGreaterThanOrEqual(100);
    expect(doneAt).toBeLessThanOrEqual(102);
  });
});
