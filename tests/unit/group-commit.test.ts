import { describe, expect, it } from 'vitest';
import { GroupCommit, type Outcome } from '../../src/services/group-commit.ts';

/** A commit that records each group and answers every item doubled (or as told). */
function recorder(
  answer: (items: number[]) => Promise<Outcome<number>[]> = async (items) =>
    items.map((value) => ({ value: value * 2 })),
) {
  const groups: number[][] = [];
  let release: (() => void) | undefined;
  const commit = new GroupCommit<number, number>(async (items) => {
    groups.push(items);
    if (release === undefined && groups.length === 1) await new Promise<void>((r) => (release = r));
    return answer(items);
  }, 4);
  return { groups, commit, release: () => release?.() };
}

const settled = <T>(promises: Promise<T>[]) =>
  Promise.allSettled(promises).then((all) =>
    all.map((s) => (s.status === 'fulfilled' ? s.value : `error: ${(s.reason as Error).message}`)),
  );

describe('GroupCommit', () => {
  it('commits what arrives in one turn together, and what arrives meanwhile as the next group, up to its size', async () => {
    const { groups, commit, release } = recorder();
    const first = [1, 2, 3].map((n) => commit.run(n));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    // The first group is committing: these wait, and go together (four at most) once it is done.
    const waiting = [4, 5, 6, 7, 8, 9].map((n) => commit.run(n));
    expect(groups).toEqual([[1, 2, 3]]);
    release();
    expect(await settled([...first, ...waiting])).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('answers each item with its own outcome', async () => {
    const { commit, release } = recorder(async (items) =>
      items.map((n) => (n % 2 ? { value: n } : { error: new Error(`even ${n}`) })),
    );
    const answers = settled([1, 2, 3].map((n) => commit.run(n)));
    await new Promise((r) => setImmediate(r));
    release();
    expect(await answers).toEqual([1, 'error: even 2', 3]);
  });

  it('a group whose commit throws fails each of its items, and the next group still runs', async () => {
    let calls = 0;
    let fail: () => void = () => {};
    const commit = new GroupCommit<number, number>(async (items) => {
      calls += 1;
      if (calls === 1) {
        await new Promise<void>((resolve) => (fail = resolve));
        throw new Error('connection reset');
      }
      return items.map((value) => ({ value }));
    });
    const first = settled([1, 2].map((n) => commit.run(n)));
    while (calls === 0) await new Promise((r) => setImmediate(r));
    // The first group is committing: this one waits for the next group.
    const second = settled([3].map((n) => commit.run(n)));
    fail();
    expect(await first).toEqual(['error: connection reset', 'error: connection reset']);
    expect(await second).toEqual([3]);
    // And it starts again on its own after going idle.
    expect(await commit.run(4)).toBe(4);
    expect(calls).toBe(3);
  });

  it('an outcome missing from the answer is an error for that item, not a hang', async () => {
    const commit = new GroupCommit<number, number>(async () => [{ value: 1 }]);
    expect(await settled([commit.run(1), commit.run(2)])).toEqual([1, 'error: group commit: no outcome for an item']);
  });
});
