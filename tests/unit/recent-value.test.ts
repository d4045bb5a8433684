import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecentValue } from '../../src/db/recent-value.ts';

describe('RecentValue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a value for its time to live, then asks for a fresh read', () => {
    vi.useFakeTimers();
    const kept = new RecentValue<string[]>(5_000);
    expect(kept.get()).toBeUndefined();
    kept.set(['Ops']);
    vi.advanceTimersByTime(4_999);
    expect(kept.get()).toEqual(['Ops']);
    vi.advanceTimersByTime(1);
    expect(kept.get()).toBeUndefined();
  });

  it('forgets a value at once when this process changes it, and keeps an empty one like any other', () => {
    const kept = new RecentValue<Map<string, string>>();
    kept.set(new Map());
    expect(kept.get()).toEqual(new Map());
    kept.forget();
    expect(kept.get()).toBeUndefined();
  });
});
