/**
 * The text a change request proposes, on PGlite and real Postgres (issue 11): kept with the request against the
 * version current then (any character), replaced by a revision, taken away when emptied; and the release that
 * writes the next version's text from it in its own transaction — or writes nothing when it does not go through.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../src/db/store.ts';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import type { Repositories } from '../../src/ports.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

const olga: PersonRef = { platform: 'slack', externalId: 'U-olga', displayName: 'Olga Owner' };
const carl: PersonRef = { platform: 'slack', externalId: 'U-carl', displayName: 'Carl Coe' };
const mona: PersonRef = { platform: 'teams', externalId: 'aad-mona', displayName: 'Mona Manager' };
const wanda: PersonRef = { platform: 'slack', externalId: 'U-wanda', displayName: 'Wanda Worker' };

const V1 = '# Prüfung 検査\n\n1. Lead: charge the scanners.\n2. Picker: scan each item.';
const V2 = `${V1.replace('charge the scanners.', 'charge the scanners at every break 😀.')}\n3. Picker: "quote" \\ & <angle>`;

describe.each(databaseKinds())('proposed texts on the database (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;
  let services: ReturnType<typeof buildServices>;
  let keys = 0;
  const tx = <T>(work: (r: Repositories) => Promise<T>) => store.transaction(work);
  const request = (actor: PersonRef) => ({ actor, key: `change-text-${++keys}` });
  const coe = (actor: PersonRef, text: string) =>
    services.commands.handle(request(actor), parseCoeCommand(text, [], { today: new Date() }));
  const form = (proposedText?: string) => ({
    kind: 'standard',
    sop: 'inspection',
    title: 'Charge at every break',
    change: 'Charge the scanners at every break.',
    why: 'They die mid-shift.',
    risk: 'low',
    improvement: 'clarify',
    ...(proposedText === undefined ? {} : { proposedText }),
  });
  const raise = async (proposedText?: string) => {
    const result = await services.changes.submit(request(mona), form(proposedText));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.number;
  };

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
    services = buildServices(store, new ManualClock('2026-12-07T10:00:00.000Z'));
    await services.admin.bootstrapCoeMembers([olga, carl]);
    await tx(async (r) => {
      await r.people.setLayer((await r.people.identify(mona)).id, 'manager');
      await r.teams.add('Warehouse');
      const team = await r.teams.byName('Warehouse');
      if (team) await r.teams.addChannel(team.id, 'slack', 'C0WARE');
    });
    await services.sopTexts.submit(request(olga), { key: 'inspection', title: 'Inspection', text: V1 });
  });

  it('keeps a proposal against the current version, replaces it on a revision, and takes it away when emptied', async () => {
    const number = await raise(V2);
    expect(await tx((r) => r.changeTexts.get(number))).toEqual({
      changeNumber: number,
      text: V2,
      base: { major: 1, minor: 0 },
      updatedAt: expect.any(Date),
    });
    await services.changes.decide(request(olga), 'requestChanges', `CR-${number}`, 'Name who scans.');
    const revised = `${V2}\n4. Lead: sign the sheet.`;
    expect((await services.changes.submit(request(mona), form(revised), `CR-${number}`)).ok).toBe(true);
    expect((await tx((r) => r.changeTexts.many([number, 999]))).map((t) => t.text)).toEqual([revised]);
    await services.changes.decide(request(olga), 'requestChanges', `CR-${number}`, 'Leave the text out.');
    expect((await services.changes.submit(request(mona), form(''), `CR-${number}`)).ok).toBe(true);
    expect(await tx((r) => r.changeTexts.get(number))).toBeUndefined();
    expect(await db.prisma.changeText.count()).toBe(0);
    // A proposal is not a version: v1.0 says what it said.
    expect((await tx((r) => r.sopTexts.get('inspection', { major: 1, minor: 0 })))?.text).toBe(V1);
  });

  it('refuses a proposal for a change request that does not exist', async () => {
    await expect(tx((r) => r.changeTexts.put(999, 'x', null))).rejects.toThrow();
    expect(await db.prisma.changeText.count()).toBe(0);
  });

  it('writes the next version’s text with the release, and nothing when the form had not shown it', async () => {
    const number = await raise(V2);
    await services.changes.decide(request(carl), 'approve', `CR-${number}`);
    const unseen = await services.releases.publish(request(olga), { changes: [`CR-${number}`] });
    expect(unseen.ok).toBe(false);
    expect(await db.prisma.sopRelease.count()).toBe(0);
    expect(await db.prisma.sopText.count()).toBe(1);

    const previewed = (await services.releases.formOptions(olga, 'inspection')).prefill?.text.fingerprint;
    const done = await services.releases.publish(
      { ...request(olga), ...(previewed ? { previewed } : {}) },
      { changes: [`CR-${number}`] },
    );
    expect(done.ok).toBe(true);
    expect((await tx((r) => r.sopTexts.get('inspection', { major: 1, minor: 1 })))?.text).toBe(V2);
    expect(JSON.stringify(await coe(wanda, 'sop show inspection'))).toContain('at every break 😀');
    expect((await coe(wanda, 'sop diff inspection v1.0 v1.1')).text).toBe(
      'SOP-inspection v1.0 → v1.1: 2 lines added, 1 line removed.',
    );
    expect((await coe(wanda, 'sop diff inspection v1.1 v1.0')).text).toBe(
      'SOP-inspection v1.1 → v1.0: 1 line added, 2 lines removed.',
    );
    const announcement = await db.prisma.outboxMessage.findFirst({ where: { idempotencyKey: { contains: ':ann:' } } });
    expect(JSON.stringify(announcement?.body)).toContain('+2 lines, −1 line');
  });
});
