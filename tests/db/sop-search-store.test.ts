/**
 * Finding standards by words, on PGlite and real Postgres (issue 11): in SQL, over the key, the title and the current
 * version's text only; every word must match, whatever its case, as a part of a word; `%` and `_` are taken
 * literally; retired standards are left out; key and title matches rank first; the snippet is cut around the first
 * word found; no words lists the most recently current. The in-memory fake the unit tests use answers the same.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../src/db/store.ts';
import { searchKey, searchWords } from '../../src/domain/sop-search.ts';
import type { Repositories, SopSearchHit, Store } from '../../src/ports.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

const SCANNING_V1 = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners before the shift.
2. Picker: write counts on **paper forms** when a scanner fails.
`;
const SCANNING_V2 = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners at every break.
2. Picker: scan each item; a failed scan goes to the spare scanner.
`;

/** Words far into a long text, so the snippet has to be cut on both sides. */
const LONG = `# Cold storage\n\n${'Keep the door shut and log the temperature. '.repeat(40)}Check the Prüfung sticker at 100% humidity and the freezer_seal daily. ${'Report anything odd to the lead. '.repeat(40)}`;

/** The same standards through the ports, in the same order, on any store: the clock moves between versions. */
async function seed(store: Store, clock: ManualClock): Promise<void> {
  const tx = <T>(work: (r: Repositories) => Promise<T>) => store.transaction(work);
  const step = () => clock.advance(60_000);
  const baseline = (key: string, title: string, text: string) =>
    tx(async (r) => {
      await r.sops.create({ key, title, ownerPersonId: null, baseline: true });
      await r.sopTexts.add({ sopKey: key, major: 1, minor: 0, text, link: null, createdByPersonId: null });
    });
  await baseline('inventory-scanning', 'Inventory scanning', SCANNING_V1);
  step();
  await baseline('cold-storage', 'Cold storage', LONG);
  step();
  await baseline('scanner-repairs', 'Scanner repairs', '1. Lead: send a broken scanner to IT with a ticket.');
  step();
  await baseline('forklift-checks', 'Forklift checks', 'Check the forks and the horn. No scanner involved.');
  step();
  await baseline('old-counts', 'Old counts with scanners', 'Count by hand.');
  await tx((r) => r.sops.retire('old-counts', clock.now()));
  step();
  // v2.0 of inventory scanning: its text no longer says "paper forms".
  await tx(async (r) => {
    await r.sops.createRelease({
      sopKey: 'inventory-scanning',
      major: 2,
      minor: 0,
      notes: 'Charge at every break.',
      tags: ['clarify'],
      changes: [],
      teamIds: [],
      publishedByPersonId: null,
      submissionKey: 'release-scanning-2.0',
    });
    await r.sopTexts.add({
      sopKey: 'inventory-scanning',
      major: 2,
      minor: 0,
      text: SCANNING_V2,
      link: null,
      createdByPersonId: null,
    });
  });
}

const search = (store: Store, query: string, limit = 10) => {
  const words = searchWords(query);
  return store.read((r) => r.sopSearch.search({ words, key: searchKey(words), limit }));
};
const keys = (hits: readonly SopSearchHit[]) => hits.map((h) => h.key);

describe.each(databaseKinds())('finding standards on the database (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;
  let memory: MemoryStore;

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
    await seed(store, new ManualClock('2026-12-07T10:00:00.000Z'));
    const clock = new ManualClock('2026-12-07T10:00:00.000Z');
    memory = new MemoryStore(clock);
    await seed(memory, clock);
  });

  it('ranks key and title matches first, then text matches, and leaves retired standards out', async () => {
    const hits = await search(store, 'scanner');
    // "Scanner repairs" holds it in its title and key; the other two only in their text; old-counts is retired.
    expect(keys(hits)).toEqual(['scanner-repairs', 'inventory-scanning', 'forklift-checks']);
    expect(hits.map((h) => h.inName)).toEqual([1, 0, 0]);
    expect(hits[1]?.version).toEqual({ major: 2, minor: 0 });
  });

  it('puts the standard whose key the words are first, and keeps to the limit', async () => {
    expect(keys(await search(store, 'SOP-inventory-scanning'))).toEqual(['inventory-scanning']);
    expect(keys(await search(store, 'inventory scanning'))).toEqual(['inventory-scanning']);
    expect(keys(await search(store, 'the', 2))).toHaveLength(2);
  });

  it('searches the current version only: what v1.0 said and v2.0 dropped is not found', async () => {
    expect(await search(store, 'paper forms')).toEqual([]);
    const [hit] = await search(store, 'every break');
    expect(hit).toMatchObject({ key: 'inventory-scanning', version: { major: 2, minor: 0 }, inName: 0 });
  });

  it('wants every word, whatever its case, as a part of a word; % and _ are taken literally', async () => {
    expect(keys(await search(store, 'SCANNERS break'))).toEqual(['inventory-scanning']);
    expect(keys(await search(store, 'scanner horn'))).toEqual(['forklift-checks']);
    expect(keys(await search(store, 'prüfung'))).toEqual(['cold-storage']);
    expect(keys(await search(store, '100%'))).toEqual(['cold-storage']);
    expect(keys(await search(store, '0%'))).toEqual(['cold-storage']);
    expect(keys(await search(store, '%'))).toEqual(['cold-storage']);
    expect(keys(await search(store, 'freezer_seal'))).toEqual(['cold-storage']);
    expect(await search(store, 'freezerXseal')).toEqual([]);
    expect(await search(store, 'scanner nothing-like-this')).toEqual([]);
  });

  it('sends a window of the text around the first word found, and where it sits in the text', async () => {
    const [hit] = await search(store, 'prüfung');
    expect(hit?.excerpt.toLowerCase()).toContain('prüfung');
    expect(hit?.excerptAt).toBeGreaterThan(1000);
    expect(hit?.excerpt.length).toBeLessThanOrEqual(450);
    expect(hit?.textLength).toBe(LONG.length);
    const [start] = await search(store, 'forklift');
    expect(start).toMatchObject({ excerptAt: 0, excerpt: 'Check the forks and the horn. No scanner involved.' });
  });

  it('lists the most recently current standards when there are no words', async () => {
    expect(keys(await search(store, ''))).toEqual([
      'inventory-scanning',
      'forklift-checks',
      'scanner-repairs',
      'cold-storage',
    ]);
  });

  it('answers as the in-memory fake does', async () => {
    const queries = ['scanner', 'inventory scanning', 'SOP-inventory-scanning', 'paper', 'prüfung', '%', '', 'the'];
    const comparable = (hits: SopSearchHit[]) => hits.map(({ since: _since, ...rest }) => rest);
    for (const query of queries) {
      expect(comparable(await search(memory, query)), query).toEqual(comparable(await search(store, query)));
    }
  });

  it('is what `sop find` answers, through the services', async () => {
    const services = buildServices(store, new ManualClock('2026-12-08T10:00:00.000Z'));
    const actor = { platform: 'slack' as const, externalId: 'U-wanda' };
    const answer = JSON.stringify(await services.sopSearch.find({ actor, channelId: 'C0GENERAL' }, 'scanner'));
    expect(answer).toContain('SOP-scanner-repairs v1.0');
    expect(answer).toContain('SOP-inventory-scanning v2.0');
    expect(answer).not.toContain('old-counts');
  });
});
