/**
 * The decline lanes on the database (issue 12, item 6): a report declined before lanes existed counts as declined for
 * "something else" once the migration runs, and a decline's lane, note and standard are stored and read back.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrations.ts';
import { MIGRATIONS_DIR } from '../../src/db/schema-engine.ts';
import { PrismaStore } from '../../src/db/store.ts';
import { databaseKinds, emptyScratchDatabase, testDatabase } from '../support/databases.ts';

const LANES_MIGRATION = /_friction_decline_lanes$/;

describe('friction decline lanes in the database', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  it('count an earlier decline, with its free-text reason, as "something else"', async () => {
    const all = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const lanes = all.find((name) => LANES_MIGRATION.test(name));
    expect(lanes).toBeDefined();
    const dir = await mkdtemp(path.join(tmpdir(), 'coe-decline-lanes-'));
    scratch.push(dir);
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    // The history as it stood before the lanes: everything up to (not including) their migration.
    for (const name of all.filter((n) => n >= (lanes as string))) await rm(path.join(dir, name), { recursive: true });

    const db = await emptyScratchDatabase();
    try {
      await migrate(db, dir);
      await db.prisma.$executeRaw`
        INSERT INTO friction_report (kind, title, description, tool, tool_key, frequency, impact, status,
                                     decline_reason, submission_key, claim_token)
        VALUES ('tool_friction', 'Old one', 'x', 'Scanner', 'scanner', 'daily', 'high', 'declined',
                'Replaced in May.', 'old-1', 'token-old-1'),
               ('tool_friction', 'Still open', 'x', 'Scanner', 'scanner', 'daily', 'high', 'new',
                NULL, 'old-2', 'token-old-2')`;
      for (const name of all.filter((n) => n >= (lanes as string))) {
        await cp(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
      }
      await migrate(db, dir);
      const rows = await db.prisma.$queryRaw<{ title: string; decline_lane: string | null }[]>`
        SELECT title, decline_lane::text FROM friction_report ORDER BY number`;
      expect(rows).toEqual([
        { title: 'Old one', decline_lane: 'other' },
        { title: 'Still open', decline_lane: null },
      ]);
    } finally {
      await db.close();
    }
  });

  it.each(databaseKinds())('store and read back a decline’s lane, note and standard (%s)', async (kind) => {
    const db = await testDatabase(kind);
    await db.reset();
    const store = new PrismaStore(db.prisma);
    const report = await store.transaction((repos) =>
      repos.friction.create({
        kind: 'tool_friction',
        title: 'Scanner dies',
        description: 'x',
        team: null,
        tool: 'Scanner',
        toolKey: 'scanner',
        titleWords: ['scanner', 'dies'],
        frequency: 'daily',
        impact: 'high',
        relatedSop: null,
        sourceLink: null,
        reporterPersonId: null,
        claimToken: 'token-1',
        statusChangedAt: new Date(),
        submissionKey: 'view-1',
      }),
    );
    expect(report).toMatchObject({ declineLane: null, declineStandard: null });
    const declined = await store.transaction((repos) =>
      repos.friction.update(report.number, {
        status: 'declined',
        declineLane: 'covered_by_standard',
        declineReason: 'See the battery section.',
        declineStandard: 'inventory-scanning',
      }),
    );
    expect(declined).toMatchObject({
      status: 'declined',
      declineLane: 'covered_by_standard',
      declineReason: 'See the battery section.',
      declineStandard: 'inventory-scanning',
    });
    expect(await store.transaction((repos) => repos.friction.get(report.number))).toEqual(declined);
  });
});
