/**
 * The friction repositories on PGlite and real Postgres: numbering, locking, lists, supporters and the pattern lock.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../src/db/store.ts';
import type { NewFrictionReport } from '../../src/ports.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';

let submissions = 0;
const report = (over: Partial<NewFrictionReport> = {}): NewFrictionReport => ({
  kind: 'tool_friction',
  title: 'Scanner dies after 30 minutes',
  description: 'It just stops.',
  team: null,
  tool: 'Inventory scanner',
  toolKey: 'inventory scanner',
  frequency: 'daily',
  impact: 'high',
  relatedSop: null,
  sourceLink: null,
  reporterPersonId: null,
  submissionKey: `sub-${++submissions}`,
  claimToken: 'token-123456',
  statusChangedAt: new Date(),
  ...over,
});

describe.each(databaseKinds())('friction repositories (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
  });

  it('numbers reports from 1, finds them by submission, and bumps the version on every update', async () => {
    const first = await store.transaction((r) => r.friction.create(report({ submissionKey: 'view-1' })));
    const second = await store.transaction((r) => r.friction.create(report()));
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(first).toMatchObject({ status: 'new', plusOnes: 0, version: 1, reporterPersonId: null });
    expect((await store.transaction((r) => r.friction.bySubmissionKey('view-1')))?.number).toBe(1);
    const triaged = await store.transaction((r) => r.friction.update(1, { status: 'triaged' }));
    expect(triaged).toMatchObject({ status: 'triaged', version: 2 });
  });

  it('refuses a second report with the same submission key', async () => {
    await store.transaction((r) => r.friction.create(report({ submissionKey: 'same' })));
    await expect(store.transaction((r) => r.friction.create(report({ submissionKey: 'same' })))).rejects.toThrow();
    expect(await db.prisma.frictionReport.count()).toBe(1);
  });

  it('lists open reports oldest first, by tool since a date, and by reporter newest first', async () => {
    const person = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'U1' }));
    await store.transaction(async (r) => {
      await r.friction.create(report({ reporterPersonId: person.id }));
      await r.friction.create(report({ toolKey: 'label printer', tool: 'Label printer' }));
      await r.friction.create(report({ reporterPersonId: person.id }));
      await r.friction.update(2, { status: 'declined' });
    });
    const open = await store.transaction((r) => r.friction.open({ except: 1 }));
    expect(open.map((r) => r.number)).toEqual([3]);
    const scanner = await store.transaction((r) =>
      r.friction.aboutTool('inventory scanner', new Date(Date.now() - 60_000)),
    );
    expect(scanner.map((r) => r.number)).toEqual([1, 3]);
    expect(
      await store.transaction((r) => r.friction.aboutTool('inventory scanner', new Date(Date.now() + 60_000))),
    ).toEqual([]);
    const mine = await store.transaction((r) => r.friction.byReporter(person.id, 10));
    expect(mine.map((r) => r.number)).toEqual([3, 1]);
  });

  it('records each supporter once', async () => {
    const person = await store.transaction((r) => r.people.identify({ platform: 'teams', externalId: 'aad-1' }));
    await store.transaction((r) => r.friction.create(report()));
    expect(await store.transaction((r) => r.friction.addSupporter(1, person.id))).toBe(true);
    expect(await store.transaction((r) => r.friction.addSupporter(1, person.id))).toBe(false);
    expect(await store.transaction((r) => r.friction.supporters(1))).toEqual([person.id]);
  });

  it('serialises two decisions on one report (row lock)', async () => {
    await store.transaction((r) => r.friction.create(report()));
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = store.transaction(async (r) => {
      await r.friction.getForUpdate(1);
      order.push('first locked');
      await held;
      await r.friction.update(1, { status: 'triaged' });
      order.push('first done');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = store.transaction(async (r) => {
      const seen = await r.friction.getForUpdate(1);
      order.push(`second saw ${seen?.status}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second saw triaged']);
  });

  it('remembers recurring-pattern alerts per tool and window', async () => {
    await store.transaction((r) =>
      r.patterns.record({ toolKey: 'inventory scanner', tool: 'Inventory scanner', reports: [1, 2, 3] }),
    );
    const hourAgo = new Date(Date.now() - 3600_000);
    expect(await store.transaction((r) => r.patterns.alertedSince('inventory scanner', hourAgo))).toBe(true);
    expect(await store.transaction((r) => r.patterns.alertedSince('label printer', hourAgo))).toBe(false);
    expect(
      await store.transaction((r) => r.patterns.alertedSince('inventory scanner', new Date(Date.now() + 1000))),
    ).toBe(false);
  });

  it('keeps team names unique whatever their case', async () => {
    expect(await store.transaction((r) => r.teams.add('Warehouse'))).toBe(true);
    expect(await store.transaction((r) => r.teams.add('warehouse'))).toBe(false);
    expect(await store.transaction((r) => r.teams.names())).toEqual(['Warehouse']);
  });

  it('remembers the team of a person who reported openly', async () => {
    const person = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'U9' }));
    await store.transaction((r) => r.people.rememberTeam(person.id, 'Warehouse'));
    expect(await store.transaction((r) => r.people.find({ platform: 'slack', externalId: 'U9' }))).toMatchObject({
      lastTeam: 'Warehouse',
    });
    expect(await store.transaction((r) => r.people.find({ platform: 'slack', externalId: 'nobody' }))).toBeUndefined();
  });
});
