import { describe, expect, it } from 'vitest';
import { afterAcks } from '../../src/platforms/slack/listeners/after-acks.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('afterAcks', () => {
  it('lets follow-up work go one piece per turn of the event loop, in the order asked', async () => {
    const done: number[] = [];
    const all = [1, 2, 3].map((n) => afterAcks().then(() => done.push(n)));
    expect(done).toEqual([]);
    await nextTurn();
    expect(done).toEqual([1]);
    await nextTurn();
    expect(done).toEqual([1, 2]);
    await Promise.all(all);
    expect(done).toEqual([1, 2, 3]);
    // Nothing left waiting: a later call gets its own turn again.
    await afterAcks();
  });
});
