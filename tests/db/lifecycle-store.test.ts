/**
 * The ends of lifecycles on PGlite and real Postgres (issue 12): audit plan states and changes, cancelled trainings
 * and moved due dates, retired standards, renamed and archived teams and ended constraints in the repositories; the
 * services on the real store, with the scheduler's audit jobs following pause, resume, change and stop; and the races
 * only a real database has (two people pausing, cancelling or retiring the same thing at once: one change, one event,
 * one notice).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobRuns } from '../../src/db/job-runs.ts';
import { PrismaStore } from '../../src/db/store.ts';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import { syncAuditJobs } from '../../src/jobs/index.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import type { Repositories } from '../../src/ports.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

const olga: PersonRef = { platform: 'slack', externalId: 'U-olga', displayName: 'Olga Owner' };
const carl: PersonRef = { platform: 'teams', externalId: 'aad-carl', displayName: 'Carl Coe' };
const mona: PersonRef = { platform: 'slack', externalId: 'U-mona', displayName: 'Mona Manager' };

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe.each(databaseKinds())('lifecycles on the database (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;
  let clock: ManualClock;
  let services: ReturnType<typeof buildServices>;
  let keys = 0;
  const tx = <T>(work: (r: Repositories) => Promise<T>) => store.transaction(work);
  const request = (actor: PersonRef) => ({ actor, key: `lifecycle-${++keys}` });
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
    await services.admin.bootstrapCoeMembers([olga, carl]);
    await tx(async (r) => {
      await r.people.setLayer((await r.people.identify(mona)).id, 'manager');
      await r.teams.add('Warehouse');
      const team = await r.teams.byName('Warehouse');
      if (!team) throw new Error('no team');
      await r.teams.addChannel(team.id, 'slack', 'C0WARE');
      await r.teams.setMember(team.id, (await r.people.identify(mona)).id, true);
    });
    await coe(olga, 'sop new inventory-scanning Inventory scanning');
  });

  const planAudit = async (schedule = '0 9 * * 1') => {
    const result = await services.audits.plan(request(olga), {
      sop: 'inventory-scanning',
      schedule,
      checklist: 'Scanners on the charger',
      variance: '5',
    });
    expect(result.ok).toBe(true);
  };

  describe('the repositories', () => {
    it('keep an audit plan’s state and changes; only running plans are the scheduler’s', async () => {
      await planAudit();
      await planAudit('0 9 * * 2');
      expect(await tx((r) => r.audits.plan(1))).toMatchObject({ state: 'active', runsFrom: null });
      const runsFrom = new Date('2026-12-08T07:30:00.123Z');
      const changed = await tx((r) =>
        r.audits.updatePlan(1, { state: 'paused', schedule: '0 8 * * 1', checklist: ['A', 'B'], runsFrom }),
      );
      expect(changed).toMatchObject({ number: 1, state: 'paused', schedule: '0 8 * * 1', checklist: ['A', 'B'] });
      expect(changed.runsFrom).toEqual(runsFrom);
      expect(changed).not.toHaveProperty('submissionKey');
      expect(await tx((r) => r.audits.planForUpdate(1))).toEqual(changed);
      expect(await tx((r) => r.audits.planForUpdate(9))).toBeUndefined();
      expect((await tx((r) => r.audits.plans())).map((p) => p.number)).toEqual([2]);
      expect((await tx((r) => r.audits.plans('inventory-scanning'))).map((p) => p.number)).toEqual([1, 2]);
      await tx((r) => r.audits.updatePlan(2, { state: 'stopped' }));
      expect((await tx((r) => r.audits.allPlans())).map((p) => [p.number, p.state])).toEqual([
        [1, 'paused'],
        [2, 'stopped'],
      ]);
      expect(await tx((r) => r.audits.plans())).toEqual([]);
    });

    it('keep a cancelled training out of the reminders’ list, and a moved due date', async () => {
      const assigned = await services.trainings.assign(request(olga), {
        title: 'Scanner charging',
        material: 'https://wiki.example.com/scanners',
        teams: ['Warehouse'],
        layers: [],
        due: '2026-12-11',
      });
      expect(assigned.ok).toBe(true);
      const moved = await tx((r) => r.trainings.update(1, { dueOn: '2026-12-18' }));
      expect(moved).toMatchObject({ number: 1, dueOn: '2026-12-18', cancelledAt: null });
      expect(await tx((r) => r.trainings.getForUpdate(1))).toEqual(moved);
      expect(await tx((r) => r.trainings.getForUpdate(2))).toBeUndefined();
      const at = new Date('2026-12-08T11:00:00.000Z');
      await tx((r) => r.trainings.update(1, { cancelledAt: at }));
      expect((await tx((r) => r.trainings.get(1)))?.cancelledAt).toEqual(at);
      expect(await tx((r) => r.trainings.list())).toEqual([]);
      expect(await tx((r) => r.trainings.bySop('inventory-scanning'))).toEqual([]);
    });

    it('retire a standard once', async () => {
      const at = new Date('2026-12-08T11:00:00.000Z');
      expect(await tx((r) => r.sops.retire('inventory-scanning', at))).toBe(true);
      expect(await tx((r) => r.sops.retire('inventory-scanning', new Date()))).toBe(false);
      expect(await tx((r) => r.sops.retire('nothing', at))).toBe(false);
      expect((await tx((r) => r.sops.get('inventory-scanning')))?.retiredAt).toEqual(at);
      expect((await tx((r) => r.sops.list())).map((s) => s.retiredAt)).toEqual([at]);
    });

    it('rename a team, archive it once (offered nowhere after, its members kept), take a member out', async () => {
      const at = new Date('2026-12-08T11:00:00.000Z');
      await tx((r) => r.teams.add('Night Shift'));
      const id = (await tx((r) => r.teams.byName('Warehouse')))?.id ?? 0;
      expect(await tx((r) => r.teams.rename(id, 'night shift'))).toBe(false);
      expect(await tx((r) => r.teams.rename(id, 'Stores'))).toBe(true);
      expect(await tx((r) => r.teams.archive(id, at))).toBe(true);
      expect(await tx((r) => r.teams.archive(id, new Date()))).toBe(false);
      expect(await tx((r) => r.teams.byName('stores'))).toEqual({ id, name: 'Stores', archivedAt: at });
      expect(await tx((r) => r.teams.names())).toEqual(['Night Shift']);
      expect((await tx((r) => r.teams.list())).map((t) => t.name)).toEqual(['Night Shift']);
      expect(await tx((r) => r.teams.channels())).toEqual([]);
      expect(await tx((r) => r.teams.members(id))).toHaveLength(1);
      const monaId = (await tx((r) => r.people.identify(mona))).id;
      expect(await tx((r) => r.teams.removeMember(id, monaId))).toBe(true);
      expect(await tx((r) => r.teams.removeMember(id, monaId))).toBe(false);
      expect(await tx((r) => r.teams.manages(monaId, id))).toBe(false);
    });

    it('end an executive constraint once', async () => {
      const at = new Date('2026-12-08T11:00:00.000Z');
      const by = (await tx((r) => r.people.identify(mona))).id;
      await tx((r) => r.constraints.create({ kind: 'priority', text: 'Quality', until: null, createdByPersonId: by }));
      expect((await tx((r) => r.constraints.get(1)))?.endedAt).toBeNull();
      expect(await tx((r) => r.constraints.end(1, at))).toBe(true);
      expect(await tx((r) => r.constraints.end(1, new Date()))).toBe(false);
      expect(await tx((r) => r.constraints.end(9, at))).toBe(false);
      expect((await tx((r) => r.constraints.list())).map((c) => c.endedAt)).toEqual([at]);
    });
  });

  it('the scheduler’s audit jobs follow pause, resume, change and stop', async () => {
    const scheduler = new Scheduler({ runs: new JobRuns(db.prisma), timeZone: 'UTC', instance: 'test', logger: quiet });
    const sync = () => syncAuditJobs(scheduler, services.audits);
    const jobs = async () =>
      Object.fromEntries(
        (await scheduler.board()).filter((j) => j.name.startsWith('audit:')).map((j) => [j.name, j.schedule]),
      );
    try {
      await planAudit();
      await sync();
      expect(await jobs()).toEqual({ 'audit:AUD-1': '0 9 * * 1' });
      await coe(carl, 'audit pause AUD-1');
      await sync();
      expect(await jobs()).toEqual({});
      await coe(carl, 'audit resume AUD-1');
      await sync();
      expect(await jobs()).toEqual({ 'audit:AUD-1': '0 9 * * 1' });
      const changed = await services.auditLifecycle.change(request(carl), 'AUD-1', {
        schedule: '0 7 * * 3',
        checklist: 'Scanners on the charger',
        variance: '5',
      });
      expect(changed.ok).toBe(true);
      await sync();
      expect(await jobs()).toEqual({ 'audit:AUD-1': '0 7 * * 3' });
      await coe(carl, 'audit stop AUD-1');
      await sync();
      expect(await jobs()).toEqual({});
      // Its history stays in the database.
      expect(await db.prisma.auditPlan.count()).toBe(1);
      expect(await db.prisma.event.count({ where: { subject: 'AUD-1' } })).toBe(5);
    } finally {
      await scheduler.stop();
    }
  });

  it('two people pausing at once: one pause, one event, one notice', async () => {
    await planAudit();
    await tx(async (r) => r.audits.updatePlan(1, { ownerPersonId: (await r.people.identify(mona)).id }));
    const answers = await Promise.all([coe(carl, 'audit pause AUD-1'), coe(olga, 'audit pause AUD-1')]);
    expect(answers.map((a) => a.text).sort()).toEqual([
      'AUD-1 is paused already. Resume it with {{coe audit resume AUD-1}}.',
      'Paused: AUD-1 (SOP-inventory-scanning v1.0) does not run until it is resumed with {{coe audit resume AUD-1}}.',
    ]);
    expect(await db.prisma.event.count({ where: { subject: 'AUD-1', action: 'audit.paused' } })).toBe(1);
    expect(await db.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: 'AUD-1:paused:' } } })).toBe(1);
  });

  it('two people cancelling or retiring at once: each happens once, told once', async () => {
    await services.trainings.assign(request(olga), {
      title: 'Scanner charging',
      material: 'https://wiki.example.com/scanners',
      teams: ['Warehouse'],
      layers: [],
      due: '2026-12-11',
    });
    await Promise.all([coe(carl, 'training cancel TR-1'), coe(olga, 'training cancel TR-1')]);
    expect(await db.prisma.event.count({ where: { subject: 'TR-1', action: 'training.cancelled' } })).toBe(1);
    expect(await db.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: 'TR-1:cancelled:' } } })).toBe(
      2,
    );

    await Promise.all([coe(carl, 'sop retire inventory-scanning'), coe(olga, 'sop retire inventory-scanning')]);
    expect(await db.prisma.event.count({ where: { action: 'sop.retired' } })).toBe(1);
    expect(
      await db.prisma.outboxMessage.count({
        where: { idempotencyKey: { startsWith: 'SOP-inventory-scanning:retired:' } },
      }),
    ).toBe(1);
  });
});
