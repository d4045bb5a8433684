/**
 * The version a team works to, on PGlite and real Postgres (issue 11): a person's teams (archived ones left out), the
 * newest version each team said it deployed (below a version, for an announcement brought up to date), audit plans
 * and runs keeping their version and team — and the audit service recording them on the database.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../src/db/store.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import type { Repositories } from '../../src/ports.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

const KEY = 'inventory-scanning';
const olga: PersonRef = { platform: 'slack', externalId: 'U0OLGA', displayName: 'Olga Owner' };
const mona: PersonRef = { platform: 'slack', externalId: 'U0MONA', displayName: 'Mona Manager' };

describe.each(databaseKinds())('the version a team works to (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;
  let releases = 0;
  const tx = <T>(work: (r: Repositories) => Promise<T>) => store.transaction(work);

  /** Teams Warehouse, Night Shift and Dock (archived later); Mona in Warehouse and Dock; the standard at v1.0. */
  async function scene() {
    return tx(async (r) => {
      const olgaId = (await r.people.identify(olga)).id;
      await r.people.setLayer(olgaId, 'coe');
      const monaId = (await r.people.identify(mona)).id;
      for (const name of ['Warehouse', 'Night Shift', 'Dock']) await r.teams.add(name);
      const id = async (name: string) => (await r.teams.byName(name))?.id as number;
      const teams = { warehouse: await id('Warehouse'), night: await id('Night Shift'), dock: await id('Dock') };
      await r.teams.setMember(teams.warehouse, monaId, true);
      await r.teams.setMember(teams.dock, monaId, false);
      await r.sops.create({ key: KEY, title: 'Inventory scanning', ownerPersonId: olgaId, baseline: true });
      return { olgaId, monaId, teams };
    });
  }

  const release = (minor: number, teamIds: number[], sopKey = KEY) =>
    tx((r) =>
      r.sops.createRelease({
        sopKey,
        major: 1,
        minor,
        notes: `v1.${minor}`,
        tags: ['clarify'],
        changes: [],
        teamIds,
        publishedByPersonId: null,
        submissionKey: `rel-${++releases}`,
      }),
    );

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
  });

  it('lists the teams a person is in, archived ones left out', async () => {
    const { monaId, olgaId, teams } = await scene();
    expect(await tx((r) => r.teams.teamsOf(monaId))).toEqual([teams.warehouse, teams.dock]);
    expect(await tx((r) => r.teams.teamsOf(olgaId))).toEqual([]);
    await tx((r) => r.teams.archive(teams.dock, new Date()));
    expect(await tx((r) => r.teams.teamsOf(monaId))).toEqual([teams.warehouse]);
  });

  it('knows the newest version each team deployed, of one standard, below a version when asked', async () => {
    const { monaId, teams } = await scene();
    await tx((r) => r.sops.create({ key: 'returns', title: 'Returns', ownerPersonId: null, baseline: false }));
    const v11 = await release(1, [teams.warehouse, teams.night]);
    const v12 = await release(2, [teams.warehouse, teams.night]);
    const v13 = await release(3, [teams.warehouse, teams.night]);
    const other = await release(5, [teams.night], 'returns');
    // Warehouse deployed v1.1 and then v1.3 (not v1.2); Night Shift v1.2; its Deployed of another standard is not it.
    await tx(async (r) => {
      await r.sops.acknowledge(v13.id, teams.warehouse, monaId);
      await r.sops.acknowledge(v11.id, teams.warehouse, monaId);
      await r.sops.acknowledge(v12.id, teams.night, monaId);
      await r.sops.acknowledge(other.id, teams.night, monaId);
    });
    expect(await tx((r) => r.sops.deployedVersions(KEY))).toEqual(
      new Map([
        [teams.warehouse, { major: 1, minor: 3 }],
        [teams.night, { major: 1, minor: 2 }],
      ]),
    );
    expect(await tx((r) => r.sops.deployedVersions(KEY, { major: 1, minor: 3 }))).toEqual(
      new Map([
        [teams.warehouse, { major: 1, minor: 1 }],
        [teams.night, { major: 1, minor: 2 }],
      ]),
    );
    expect(await tx((r) => r.sops.deployedVersions(KEY, { major: 1, minor: 1 }))).toEqual(new Map());
    expect(await tx((r) => r.sops.deployedVersions('nothing'))).toEqual(new Map());
  });

  it('keeps a plan’s version and a run’s version and team; old rows without them still read', async () => {
    const { olgaId, teams } = await scene();
    const plan = await tx((r) =>
      r.audits.createPlan({
        sopKey: KEY,
        schedule: '0 9 * * 1',
        checklist: ['a'],
        acceptableVariance: 5,
        ownerPersonId: olgaId,
        createdByPersonId: olgaId,
        sopMajor: 1,
        sopMinor: 2,
        submissionKey: 'aud-1',
      }),
    );
    expect(plan).toMatchObject({ sopMajor: 1, sopMinor: 2 });
    const legacy = await tx((r) =>
      r.audits.createPlan({
        sopKey: KEY,
        schedule: '0 9 * * 1',
        checklist: ['a'],
        acceptableVariance: 5,
        ownerPersonId: olgaId,
        createdByPersonId: olgaId,
        submissionKey: 'aud-2',
      }),
    );
    expect(legacy).toMatchObject({ sopMajor: null, sopMinor: null });
    const run = await tx((r) => r.audits.createRun(plan.number, new Date('2026-12-07T09:00:00.000Z')));
    expect(run).toMatchObject({ sopMajor: null, sopMinor: null, teamId: null });
    const recorded = await tx((r) =>
      r.audits.record(run?.id as number, {
        results: [{ item: 'a', passed: true, variance: 1 }],
        maxVariance: 1,
        breach: false,
        changeNumber: null,
        recordedByPersonId: olgaId,
        recordedAt: new Date('2026-12-07T10:00:00.000Z'),
        sopMajor: 1,
        sopMinor: 1,
        teamId: teams.warehouse,
      }),
    );
    expect(recorded).toMatchObject({ sopMajor: 1, sopMinor: 1, teamId: teams.warehouse });
    expect(await tx((r) => r.audits.run(run?.id as number))).toEqual(recorded);
  });

  it('records an audit on the database against the version the owner’s team works to', async () => {
    const clock = new ManualClock('2026-12-07T09:00:00.000Z');
    const services = buildServices(store, clock);
    const { monaId, teams } = await scene();
    const v11 = await release(1, [teams.warehouse, teams.night]);
    await release(2, [teams.warehouse, teams.night]);
    await tx((r) => r.sops.acknowledge(v11.id, teams.warehouse, monaId));
    const planned = await services.audits.plan(
      { actor: olga, key: 'plan-1' },
      { sop: KEY, schedule: '0 9 * * 1', checklist: 'Scanners on the charger', variance: '5' },
      mona,
    );
    expect(planned.ok && planned.confirmation.text).toMatch(/^Done: AUD-1 audits SOP-inventory-scanning v1\.2 on/);
    await services.audits.fire(1, clock.now(), true);
    const [run] = await tx((r) => r.audits.runs(1, 1));
    const recorded = await services.audits.record({ actor: mona, key: 'record-1' }, String(run?.id), {
      'item0.passed': 'pass',
      'item0.variance': '2',
    });
    // Mona's teams among the targets: Warehouse only (Dock is no target), which deployed v1.1 of v1.2.
    expect(recorded.ok && recorded.outcome.text).toMatch(
      /^AUD-1 of SOP-inventory-scanning, audited against v1\.1 \(the version Warehouse works to\): 1 passed/,
    );
    expect(await tx((r) => r.audits.run(run?.id as number))).toMatchObject({
      sopMajor: 1,
      sopMinor: 1,
      teamId: teams.warehouse,
    });
  });
});
