import { describe, expect, it } from 'vitest';
import type { Repositories, Store } from '../../src/ports.ts';
import { PeopleService } from '../../src/services/people.ts';
import { MemoryStore } from '../support/memory.ts';

/** Counts the transactions a service opens. */
function counting(inner: MemoryStore): Store & { transactions: number } {
  const store = {
    transactions: 0,
    transaction<T>(work: (repos: Repositories) => Promise<T>) {
      store.transactions += 1;
      return inner.transaction(work);
    },
    read: <T>(work: (repos: Repositories) => Promise<T>) => inner.read(work),
    once: <T>(key: string, work: (repos: Repositories) => Promise<T>) => inner.once(key, work),
  };
  return store;
}

describe('PeopleService.noteName', () => {
  it('names someone the bot knows, once per name, and creates nobody', async () => {
    const memory = new MemoryStore();
    const store = counting(memory);
    const people = new PeopleService(store);
    await memory.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'U1', handle: 'casey.m' }));
    expect(memory.people.map((p) => p.displayName)).toEqual(['casey.m']);

    await people.noteName({ platform: 'slack', externalId: 'U1', displayName: 'Casey Morgan' });
    await people.noteName({ platform: 'slack', externalId: 'U1', displayName: 'Casey Morgan' });
    expect(memory.people.map((p) => p.displayName)).toEqual(['Casey Morgan']);
    expect(store.transactions).toBe(1);

    await people.noteName({ platform: 'slack', externalId: 'U2', displayName: 'Nobody Known' });
    await people.noteName({ platform: 'slack', externalId: 'U1' });
    expect(memory.people).toHaveLength(1);
  });

  it('asks about someone it does not know once in 30 s, not on every request; names them once they are known', async () => {
    const memory = new MemoryStore();
    const store = counting(memory);
    let now = 0;
    const people = new PeopleService(store, () => now);
    const ref = { platform: 'slack' as const, externalId: 'U9', displayName: 'Robin Vale' };

    await people.noteName(ref);
    now = 29_000;
    await people.noteName(ref);
    expect(store.transactions).toBe(1);
    expect(memory.people).toEqual([]);

    // Known now (a report made them), under another name: after the window the platform's name is written.
    await memory.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'U9', handle: 'robin' }));
    now = 30_000;
    await people.noteName(ref);
    expect(store.transactions).toBe(2);
    expect(memory.people.map((p) => p.displayName)).toEqual(['Robin Vale']);
  });

  it('a handle names only someone with no name yet; a display name always wins', async () => {
    const memory = new MemoryStore();
    const ref = { platform: 'slack' as const, externalId: 'U1' };
    await memory.transaction((r) => r.people.identify({ ...ref, displayName: 'Casey Morgan' }));
    await memory.transaction((r) => r.people.identify({ ...ref, handle: 'casey.m' }));
    expect(memory.people.map((p) => p.displayName)).toEqual(['Casey Morgan']);
    await memory.transaction((r) => r.people.identify({ ...ref, displayName: 'Casey Morgan-Lee', handle: 'casey.m' }));
    expect(memory.people.map((p) => p.displayName)).toEqual(['Casey Morgan-Lee']);
  });
});
