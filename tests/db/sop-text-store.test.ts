/**
 * What each version of a standard says, on PGlite and real Postgres (issue 11): the baseline's text and link written
 * with it, read back as written (any character), never rewritten, and `sop show` / `sop diff` on the real store.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../src/db/store.ts';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import type { Repositories } from '../../src/ports.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';
import { longStandard } from '../support/standard-texts.ts';

const olga: PersonRef = { platform: 'slack', externalId: 'U-olga', displayName: 'Olga Owner' };
const wanda: PersonRef = { platform: 'slack', externalId: 'U-wanda', displayName: 'Wanda Worker' };

/** Every kind of character a standard may hold: accents, CJK, emoji, quotes, backslashes, tabs, NUL-free. */
const ODD = `# Prüfung 検査 😀\n\n1. Lead: "quote" \\ backslash\ttab & <angle>\n2. Picker: ${'x'.repeat(5000)}\n`;

describe.each(databaseKinds())('standards’ texts on the database (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;
  let clock: ManualClock;
  let services: ReturnType<typeof buildServices>;
  let keys = 0;
  const tx = <T>(work: (r: Repositories) => Promise<T>) => store.transaction(work);
  const request = (actor: PersonRef) => ({ actor, key: `sop-text-${++keys}` });
  const coe = (actor: PersonRef, text: string) =>
    services.commands.handle(request(actor), parseCoeCommand(text, [], { today: clock.now() }));

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
    clock = new ManualClock('2026-12-07T10:00:00.000Z');
    services = buildServices(store, clock);
    await services.admin.bootstrapCoeMembers([olga]);
  });

  it('keeps the baseline’s text and link as written, and reads them back', async () => {
    const result = await services.sopTexts.submit(request(olga), {
      key: 'inspection',
      title: 'Inspection',
      text: ODD,
      link: 'https://docs.example.com/inspection?x=1&y=2',
    });
    expect(result.ok).toBe(true);
    const row = await tx((r) => r.sopTexts.get('inspection', { major: 1, minor: 0 }));
    expect(row).toEqual({
      sopKey: 'inspection',
      major: 1,
      minor: 0,
      text: ODD.trim(),
      link: 'https://docs.example.com/inspection?x=1&y=2',
      createdByPersonId: expect.any(Number),
      createdAt: expect.any(Date),
      // The clarity check found nothing in it (a lead and a picker do the steps), and the version keeps that.
      clarity: { findings: 0, rules: [] },
    });
    expect(await tx((r) => r.sopTexts.get('inspection', { major: 1, minor: 1 }))).toBeUndefined();
    const shown = JSON.stringify(await coe(wanda, 'sop show inspection'));
    expect(shown).toContain('Prüfung 検査 😀');
  });

  it('never rewrites a version’s text: a second write of v1.0 is refused and the first stays', async () => {
    await services.sopTexts.submit(request(olga), { key: 'inspection', title: 'Inspection', text: 'First text.' });
    const again = await tx((r) =>
      r.sopTexts.add({
        sopKey: 'inspection',
        major: 1,
        minor: 0,
        text: 'Second text.',
        link: null,
        createdByPersonId: null,
      }),
    );
    expect(again).toBe(false);
    expect((await tx((r) => r.sopTexts.get('inspection', { major: 1, minor: 0 })))?.text).toBe('First text.');
    expect(await db.prisma.sopText.count()).toBe(1);
  });

  it('keeps what the clarity check found with the version: its count and rules, or nothing', async () => {
    await services.sopTexts.submit(request(olga), {
      key: 'inspection',
      title: 'Inspection',
      text: 'Lead: check it ASAP, etc.',
    });
    expect((await tx((r) => r.sopTexts.get('inspection', { major: 1, minor: 0 })))?.clarity).toEqual({
      findings: 2,
      rules: ['vague', 'asap'],
    });
    await tx(async (r) => {
      await r.sops.create({ key: 'labels', title: 'Labels', ownerPersonId: null, baseline: true });
      await r.sopTexts.add({
        sopKey: 'labels',
        major: 1,
        minor: 0,
        text: '',
        link: 'https://x',
        createdByPersonId: null,
      });
    });
    expect((await tx((r) => r.sopTexts.get('labels', { major: 1, minor: 0 })))?.clarity).toBeNull();
  });

  it('refuses a text for a standard that is not registered', async () => {
    await expect(
      tx((r) =>
        r.sopTexts.add({ sopKey: 'nowhere', major: 1, minor: 0, text: 'x', link: null, createdByPersonId: null }),
      ),
    ).rejects.toThrow();
    expect(await db.prisma.sopText.count()).toBe(0);
  });

  it('pages a long text and compares two versions on the real store', async () => {
    const text = longStandard(20_000);
    await services.sopTexts.submit(request(olga), { key: 'inspection', title: 'Inspection', text });
    // A release made v1.1; its text is written with it (the seam change requests will use).
    await tx(async (r) => {
      await r.sops.createRelease({
        sopKey: 'inspection',
        major: 1,
        minor: 1,
        notes: 'Clearer labels.',
        tags: ['clarify'],
        changes: [],
        teamIds: [],
        publishedByPersonId: null,
        submissionKey: 'release-1',
      });
      await r.sopTexts.add({
        sopKey: 'inspection',
        major: 1,
        minor: 1,
        text: text.replace('pallet label 1.1,', 'pallet label 1.1 and the shelf,'),
        link: null,
        createdByPersonId: null,
      });
    });
    const diff = await coe(wanda, 'sop diff inspection v1.0 v1.1');
    expect(diff.text).toBe('SOP-inspection v1.0 → v1.1: 1 line added, 1 line removed.');
    const first = await coe(wanda, 'sop show inspection v1.0');
    expect(first.text).toMatch(/^SOP-inspection v1\.0: Inspection \(page 1 of \d+\)$/);
    const last = await services.sopTexts.more(`show:inspection:v1.0:${first.text.match(/of (\d+)/)?.[1]}`);
    expect(last.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});
