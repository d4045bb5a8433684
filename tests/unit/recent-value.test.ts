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

  it('shares one read among those who find nothing kept, and keeps what it read', async () => {
    const kept = new RecentValue<string[]>();
    let reads = 0;
    let finish: (names: string[]) => void = () => {};
    const load = () => {
      reads++;
      return new Promise<string[]>((resolve) => {
        finish = resolve;
      });
    };
    const asking = [kept.read(load), kept.read(load), kept.read(load)];
    finish(['Ops']);
    expect(await Promise.all(asking)).toEqual([['Ops'], ['Ops'], ['Ops']]);
    expect(reads).toBe(1);
    expect(await kept.read(load)).toEqual(['Ops']);
    expect(reads).toBe(1);
  });

  it('lets a transaction read alone, and does not keep a read begun before a change', async () => {
    const kept = new RecentValue<string[]>();
    const reads: ((names: string[]) => void)[] = [];
    const load = () => new Promise<string[]>((resolve) => reads.push(resolve));
    const shared = kept.read(load);
    // Inside a transaction: neither waits for the read under way nor is waited for.
    const alone = kept.read(load, { alone: true });
    expect(reads).toHaveLength(2);
    (reads[1] as (names: string[]) => void)(['Ops', 'Sales']);
    expect(await alone).toEqual(['Ops', 'Sales']);

    kept.forget(); // a team added meanwhile: the older read must not be kept
    (reads[0] as (names: string[]) => void)(['Ops']);
    expect(await shared).toEqual(['Ops']);
    expect(kept.get()).toBeUndefined();
    const fresh = kept.read(load);
    expect(reads).toHaveLength(3);
    (reads[2] as (names: string[]) => void)(['Ops', 'Sales']);
    expect(await fresh).toEqual(['Ops', 'Sales']);
    expect(kept.get()).toEqual(['Ops', 'Sales']);
  });
});
