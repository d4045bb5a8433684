import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { heapUpkeep } from '../../src/heap-upkeep.ts';

describe('heap upkeep after a busy spell', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function upkeep() {
    const collect = vi.fn();
    const favourSize = vi.fn();
    const heap = heapUpkeep({ quietMs: 10_000, busyRequests: 100, collect, favourSize, now: () => Date.now() });
    return { heap, collect, favourSize };
  }

  it('favours size from just before the collection until the next request, and only then', () => {
    const { heap, collect, favourSize } = upkeep();
    for (let i = 0; i < 150; i++) heap.request();
    expect(favourSize).not.toHaveBeenCalled();
    vi.advanceTimersByTime(15_000);
    expect(favourSize.mock.calls).toEqual([[true]]);
    expect(favourSize.mock.invocationCallOrder[0]).toBeLessThan(collect.mock.invocationCallOrder[0] ?? 0);
    heap.request();
    heap.request();
    expect(favourSize.mock.calls).toEqual([[true], [false]]);
    heap.stop();
  });

  it('collects once when a busy spell has gone quiet, and not again until the next spell', () => {
    const { heap, collect } = upkeep();
    for (let i = 0; i < 150; i++) heap.request();
    vi.advanceTimersByTime(9_000);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(6_000);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(collect).toHaveBeenCalledTimes(1);

    for (let i = 0; i < 100; i++) heap.request();
    vi.advanceTimersByTime(15_000);
    expect(collect).toHaveBeenCalledTimes(2);
    heap.stop();
  });

  it('never collects while requests keep coming, however many', () => {
    const { heap, collect } = upkeep();
    for (let second = 0; second < 120; second++) {
      for (let i = 0; i < 50; i++) heap.request();
      vi.advanceTimersByTime(1_000);
    }
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(15_000);
    expect(collect).toHaveBeenCalledTimes(1);
    heap.stop();
  });

  it('leaves a quiet bot alone: a few requests are no spell', () => {
    const { heap, collect } = upkeep();
    for (let i = 0; i < 99; i++) heap.request();
    vi.advanceTimersByTime(120_000);
    expect(collect).not.toHaveBeenCalled();
    heap.stop();
    for (let i = 0; i < 500; i++) heap.request();
    vi.advanceTimersByTime(120_000);
    expect(collect).not.toHaveBeenCalled();
  });

  it('uses V8’s own full collection when none is given: an unreachable object is gone after it', async () => {
    vi.useRealTimers();
    let weak: WeakRef<object> | undefined;
    (() => {
      weak = new WeakRef({ payload: new Array(100_000).fill('x') });
    })();
    // A new job, so the WeakRef no longer holds its target for the one that made it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const heap = heapUpkeep({ quietMs: 20, busyRequests: 1 });
    heap.request();
    await new Promise((resolve) => setTimeout(resolve, 200));
    heap.stop();
    expect(weak?.deref()).toBeUndefined();
  });
});
