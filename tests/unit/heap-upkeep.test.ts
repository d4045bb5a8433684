import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { heapUpkeep } from '../../src/heap-upkeep.ts';

const MB = 1024 * 1024;

describe('heap upkeep once the bot has gone quiet', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** An upkeep on a pretend old generation of `heap.used` bytes, which a collection brings down to `heap.live`. */
  function upkeep() {
    const heap = { used: 30 * MB, live: 30 * MB };
    const collect = vi.fn(() => {
      heap.used = heap.live;
    });
    const favourSize = vi.fn();
    const upkept = heapUpkeep({
      quietMs: 3_000,
      grownBytes: 8 * MB,
      collect,
      favourSize,
      oldGeneration: () => heap.used,
      now: () => Date.now(),
    });
    /** A busy spell: `requests` requests over `seconds`, growing the old generation by `grownMb`. */
    const spell = (requests: number, grownMb: number, seconds = 1) => {
      for (let i = 0; i < requests; i++) {
        upkept.request();
        heap.used += (grownMb * MB) / requests;
        if (i % Math.max(1, Math.floor(requests / seconds)) === 0) vi.advanceTimersByTime(1_000 / seconds);
      }
    };
    return { upkept, heap, collect, favourSize, spell };
  }

  it('collects once a spell that grew the old generation has gone quiet, and not again until it grows again', () => {
    const { upkept, heap, collect, spell } = upkeep();
    spell(150, 12);
    vi.advanceTimersByTime(2_000);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(collect).toHaveBeenCalledTimes(1);
    expect(heap.used).toBe(heap.live);
    vi.advanceTimersByTime(60_000);
    expect(collect).toHaveBeenCalledTimes(1);

    heap.live += 2 * MB;
    spell(500, 10);
    vi.advanceTimersByTime(4_000);
    expect(collect).toHaveBeenCalledTimes(2);
    upkept.stop();
  });

  it('favours size from just before the collection until the next request, and only then', () => {
    const { upkept, collect, favourSize, spell } = upkeep();
    spell(150, 12);
    expect(favourSize).not.toHaveBeenCalled();
    vi.advanceTimersByTime(4_000);
    expect(favourSize.mock.calls).toEqual([[true]]);
    expect(favourSize.mock.invocationCallOrder[0]).toBeLessThan(collect.mock.invocationCallOrder[0] ?? 0);
    upkept.request();
    upkept.request();
    expect(favourSize.mock.calls).toEqual([[true], [false]]);
    upkept.stop();
  });

  it('never collects while requests keep coming, however much the heap grows', () => {
    const { upkept, collect, spell } = upkeep();
    for (let second = 0; second < 120; second++) spell(50, 1);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(4_000);
    expect(collect).toHaveBeenCalledTimes(1);
    upkept.stop();
  });

  it('leaves a heap alone that grew less than the threshold, however many requests it took', () => {
    const { upkept, collect, spell } = upkeep();
    spell(5_000, 7, 10);
    vi.advanceTimersByTime(120_000);
    expect(collect).not.toHaveBeenCalled();
    upkept.stop();
  });

  it('counts growth from V8’s own collections too: a heap V8 compacted meanwhile is not collected again', () => {
    const { upkept, heap, collect, spell } = upkeep();
    spell(200, 12);
    heap.used = heap.live - 2 * MB; // V8 marked and compacted on its own, late in the spell
    spell(100, 6);
    vi.advanceTimersByTime(120_000);
    expect(collect).not.toHaveBeenCalled();
    spell(100, 3);
    vi.advanceTimersByTime(4_000);
    expect(collect).toHaveBeenCalledTimes(1);
    upkept.stop();
  });

  it('stops checking once stopped', () => {
    const { upkept, collect, spell } = upkeep();
    upkept.stop();
    spell(500, 50);
    vi.advanceTimersByTime(120_000);
    expect(collect).not.toHaveBeenCalled();
  });

  it('uses V8’s own figures and full collection when none are given: an unreachable object is gone after it', async () => {
    vi.useRealTimers();
    let weak: WeakRef<object> | undefined;
    (() => {
      weak = new WeakRef({ payload: new Array(100_000).fill('x') });
    })();
    // A new job, so the WeakRef no longer holds its target for the one that made it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const upkept = heapUpkeep({ quietMs: 20, grownBytes: 0 });
    upkept.request();
    await new Promise((resolve) => setTimeout(resolve, 200));
    upkept.stop();
    expect(weak?.deref()).toBeUndefined();
  });
});
