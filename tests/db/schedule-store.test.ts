/**
 * The repositories of scheduled work and the scheduler's run record on PGlite and real Postgres: trainings and
 * assignments, nudge counters, audit plans and runs, job schedules and runs — with the races only a real database
 * has (one claim per fire, one run per due time, one count per day) — and the services on top of them.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobRuns } from '../../src/db/job-runs.ts';
import { PrismaStore } from '../../src/db/store.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import type { Repositories } from '../../src/ports.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

let submissions = 0;
const training = (over: Record<string, unknown> = {}) => ({
  title: 'Scanner charging',
  material: 'https://wiki.example.com/scanners',
  sopKey: 'inventory-scanning',
  sopMajor: 1,
  sopMinor: 2,
  teamIds: [2, 1],
  layers: ['manager' as const, 'coe' as const],
  dueOn: '2026-12-11',
  createdByPersonId: 1,
  submissionKey: `tr-${++submissions}`,
  ...over,
});

const auditPlan = (over: Record<string, unknown> = {}) => ({
  sopKey: 'inventory-scanning',
  schedule: '0 9 * * 1',
  checklist: ['Scanners on the charger', 'Counts match the system'],
  acceptableVariance: 5.5,
  ownerPersonId: 1,
  createdByPersonId: 1,
  submissionKey: `aud-${++submissions}`,
  ...over,
});

describe.each(databaseKinds())('scheduled-work repositories (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;
  const tx = <T>(work: (r: Repositories) => Promise<T>) => store.transaction(work);
  const person = (externalId: string) => tx((r) => r.people.identify({ platform: 'slack', externalId }));
  const originalTz = process.env.TZ;

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
    await person('U-olga');
  });
  afterEach(() => {
    // Other test files share this worker: leave its time zone as it was (unset stays unset).
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  describe('trainings', () => {
    it('numbers trainings from 1 and keeps every field, the due date as the day it is in any process time zone', async () => {
      for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC']) {
        process.env.TZ = tz;
        await db.reset();
        await person('U-olga');
        const before = Date.now();
        const created = await tx((r) => r.trainings.create(training({ submissionKey: 'view-1' })));
        expect(created).toEqual({
          number: 1,
          title: 'Scanner charging',
          material: 'https://wiki.example.com/scanners',
          sopKey: 'inventory-scanning',
          sopMajor: 1,
          sopMinor: 2,
          teamIds: [2, 1],
          layers: ['manager', 'coe'],
          dueOn: '2026-12-11',
          createdByPersonId: 1,
          createdAt: expect.any(Date),
          cancelledAt: null,
        });
        expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(await tx((r) => r.trainings.get(1))).toEqual(created);
        expect(await tx((r) => r.trainings.bySubmissionKey('view-1'))).toEqual(created);
        expect(await tx((r) => r.trainings.list())).toEqual([created]);
      }
      expect(await tx((r) => r.trainings.get(2))).toBeUndefined();
      expect(await tx((r) => r.trainings.bySubmissionKey('nope'))).toBeUndefined();
      await expect(tx((r) => r.trainings.create(training({ submissionKey: 'view-1' })))).rejects.toThrow();
    });

    it('keeps a training without a standard, teams or layers', async () => {
      const created = await tx((r) =>
        r.trainings.create(training({ sopKey: null, sopMajor: null, sopMinor: null, teamIds: [], layers: [] })),
      );
      expect(created).toMatchObject({ sopKey: null, sopMajor: null, sopMinor: null, teamIds: [], layers: [] });
    });

    it('lists the trainings due from a day on, oldest first, and those of a standard newest first', async () => {
      await tx(async (r) => {
        await r.trainings.create(training({ dueOn: '2026-12-10' }));
        await r.trainings.create(training({ dueOn: '2026-12-11', sopKey: 'returns' }));
        await r.trainings.create(training({ dueOn: '2026-12-31' }));
      });
      expect((await tx((r) => r.trainings.list('2026-12-11'))).map((t) => t.number)).toEqual([2, 3]);
      expect((await tx((r) => r.trainings.list())).map((t) => t.number)).toEqual([1, 2, 3]);
      expect((await tx((r) => r.trainings.bySop('inventory-scanning'))).map((t) => t.number)).toEqual([3, 1]);
      expect(await tx((r) => r.trainings.bySop('nothing'))).toEqual([]);
    });

    it('assigns a person once (the first team stays), and completes an assignment once', async () => {
      const wanda = await person('U-wanda');
      const mona = await person('U-mona');
      await tx((r) => r.trainings.create(training()));
      await tx((r) => r.trainings.create(training()));
      await tx(async (r) => {
        await r.trainings.assign(1, mona.id, null);
        await r.trainings.assign(1, wanda.id, 1);
        await r.trainings.assign(1, wanda.id, 2);
        await r.trainings.assign(1, wanda.id, null);
        await r.trainings.assign(2, wanda.id, null);
      });
      expect(await tx((r) => r.trainings.assignments(1))).toEqual([
        { trainingNumber: 1, personId: wanda.id, teamId: 1, completedAt: null },
        { trainingNumber: 1, personId: mona.id, teamId: null, completedAt: null },
      ]);
      expect((await tx((r) => r.trainings.assignmentsOf(wanda.id))).map((a) => [a.trainingNumber, a.teamId])).toEqual([
        [1, 1],
        [2, null],
      ]);
      const at = new Date('2026-12-08T10:00:00.123Z');
      expect(await tx((r) => r.trainings.complete(1, wanda.id, at))).toBe(true);
      expect(await tx((r) => r.trainings.complete(1, wanda.id, new Date()))).toBe(false);
      expect(await tx((r) => r.trainings.complete(1, 999, new Date()))).toBe(false);
      expect(await tx((r) => r.trainings.complete(9, wanda.id, new Date()))).toBe(false);
      expect((await tx((r) => r.trainings.assignments(1)))[0]?.completedAt).toEqual(at);
    });

    it('completes once when two clicks race', async () => {
      const wanda = await person('U-wanda');
      await tx(async (r) => {
        await r.trainings.create(training());
        await r.trainings.assign(1, wanda.id, 1);
      });
      const clicks = await Promise.all(
        Array.from({ length: 5 }, () => tx((r) => r.trainings.complete(1, wanda.id, new Date()))),
      );
      expect(clicks.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('nudges', () => {
    it('counts nudges with the day of the last, and keeps a snooze apart', async () => {
      expect(await tx((r) => r.nudges.get('TR-1:person:1'))).toBeUndefined();
      const until = new Date('2026-12-09T09:30:00.000Z');
      await tx((r) => r.nudges.snooze('TR-1:person:1', until));
      expect(await tx((r) => r.nudges.get('TR-1:person:1'))).toEqual({ count: 0, lastOn: null, snoozedUntil: until });
      await tx((r) => r.nudges.sent('TR-1:person:1', '2026-12-08'));
      await tx((r) => r.nudges.sent('TR-1:person:1', '2026-12-10'));
      expect(await tx((r) => r.nudges.get('TR-1:person:1'))).toEqual({
        count: 2,
        lastOn: '2026-12-10',
        snoozedUntil: until,
      });
      await tx((r) => r.nudges.sent('FR-1:untriaged', '2026-12-08'));
      expect(await tx((r) => r.nudges.get('FR-1:untriaged'))).toEqual({
        count: 1,
        lastOn: '2026-12-08',
        snoozedUntil: null,
      });
    });

    it('counts a day once, however many runs count it at the same time', async () => {
      await tx((r) => r.nudges.sent('TR-1:person:1', '2026-12-08'));
      await tx((r) => r.nudges.sent('TR-1:person:1', '2026-12-08'));
      await Promise.all(Array.from({ length: 5 }, () => tx((r) => r.nudges.sent('TR-1:person:1', '2026-12-09'))));
      await Promise.all(Array.from({ length: 5 }, () => tx((r) => r.nudges.sent('TR-2:person:1', '2026-12-09'))));
      expect(await tx((r) => r.nudges.get('TR-1:person:1'))).toMatchObject({ count: 2, lastOn: '2026-12-09' });
      expect(await tx((r) => r.nudges.get('TR-2:person:1'))).toMatchObject({ count: 1, lastOn: '2026-12-09' });
    });
  });

  describe('audits', () => {
    it('numbers plans, keeps every field, and finds them by submission, number and standard', async () => {
      const created = await tx((r) => r.audits.createPlan(auditPlan({ submissionKey: 'view-aud' })));
      expect(created).toEqual({
        number: 1,
        sopKey: 'inventory-scanning',
        schedule: '0 9 * * 1',
        checklist: ['Scanners on the charger', 'Counts match the system'],
        acceptableVariance: 5.5,
        ownerPersonId: 1,
        createdByPersonId: 1,
        // Not given: a plan from before versions were kept.
        sopMajor: null,
        sopMinor: null,
        state: 'active',
        runsFrom: null,
        createdAt: expect.any(Date),
      });
      expect(await tx((r) => r.audits.plan(1))).toEqual(created);
      expect(await tx((r) => r.audits.planBySubmissionKey('view-aud'))).toEqual(created);
      expect(await tx((r) => r.audits.planBySubmissionKey('nope'))).toBeUndefined();
      expect(await tx((r) => r.audits.plan(2))).toBeUndefined();
      await tx((r) => r.audits.createPlan(auditPlan({ sopKey: 'returns' })));
      expect((await tx((r) => r.audits.plans())).map((p) => p.number)).toEqual([1, 2]);
      expect((await tx((r) => r.audits.plans('returns'))).map((p) => p.number)).toEqual([2]);
      expect(await tx((r) => r.audits.plans('nothing'))).toEqual([]);
      await expect(tx((r) => r.audits.createPlan(auditPlan({ submissionKey: 'view-aud' })))).rejects.toThrow();
    });

    it('opens one run per plan and due time, even when replicas race for it', async () => {
      await tx((r) => r.audits.createPlan(auditPlan()));
      await tx((r) => r.audits.createPlan(auditPlan()));
      const due = new Date('2026-12-07T09:00:00.000Z');
      const first = await tx((r) => r.audits.createRun(1, due));
      expect(first).toEqual({
        id: 1,
        planNumber: 1,
        dueAt: due,
        results: null,
        maxVariance: null,
        breach: null,
        changeNumber: null,
        recordedByPersonId: null,
        recordedAt: null,
        sopMajor: null,
        sopMinor: null,
        teamId: null,
      });
      expect(await tx((r) => r.audits.createRun(1, new Date(due)))).toBeUndefined();
      const raced = await Promise.all(
        Array.from({ length: 5 }, () => tx((r) => r.audits.createRun(1, new Date('2026-12-14T09:00:00.000Z')))),
      );
      expect(raced.filter((run) => run !== undefined)).toHaveLength(1);
      // The other plan's run at the same time is its own.
      expect(await tx((r) => r.audits.createRun(2, due))).toMatchObject({ planNumber: 2, dueAt: due });
      expect((await tx((r) => r.audits.runs(1, 10))).map((run) => run.dueAt.toISOString())).toEqual([
        '2026-12-14T09:00:00.000Z',
        '2026-12-07T09:00:00.000Z',
      ]);
      expect(await tx((r) => r.audits.runs(1, 1))).toHaveLength(1);
      expect(await tx((r) => r.audits.run(1))).toEqual(first);
      expect(await tx((r) => r.audits.run(999))).toBeUndefined();
      expect(await tx((r) => r.audits.runForUpdate(999))).toBeUndefined();
    });

    it('records a run’s results, item by item', async () => {
      await tx((r) => r.audits.createPlan(auditPlan()));
      const run = await tx((r) => r.audits.createRun(1, new Date('2026-12-07T09:00:00.000Z')));
      const recordedAt = new Date('2026-12-07T14:00:00.456Z');
      const results = [
        { item: 'Scanners on the charger', passed: true, variance: 3.25 },
        { item: 'Counts match the system', passed: false, variance: 12 },
      ];
      const recorded = await tx((r) =>
        r.audits.record(run?.id ?? 0, {
          results,
          maxVariance: 12,
          breach: true,
          changeNumber: 4,
          recordedByPersonId: 1,
          recordedAt,
        }),
      );
      expect(recorded).toEqual({
        ...run,
        results,
        maxVariance: 12,
        breach: true,
        changeNumber: 4,
        recordedByPersonId: 1,
        recordedAt,
      });
      expect(await tx((r) => r.audits.runForUpdate(run?.id ?? 0))).toEqual(recorded);
    });

    it('locks a run: a second recorder waits and then sees it recorded', async () => {
      await tx((r) => r.audits.createPlan(auditPlan()));
      const run = await tx((r) => r.audits.createRun(1, new Date('2026-12-07T09:00:00.000Z')));
      const id = run?.id ?? 0;
      const order: string[] = [];
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = tx(async (r) => {
        await r.audits.runForUpdate(id);
        order.push('first locked');
        await held;
        await r.audits.record(id, {
          results: [],
          maxVariance: 0,
          breach: false,
          changeNumber: null,
          recordedByPersonId: 1,
          recordedAt: new Date(),
        });
        order.push('first recorded');
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      // On PGlite (one connection) the second transaction waits for the first to end; on Postgres, for its row lock.
      const second = tx(async (r) => {
        const seen = await r.audits.runForUpdate(id);
        order.push(`second saw ${seen?.recordedAt ? 'recorded' : 'open'}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(['first locked', 'first recorded', 'second saw recorded']);
    });
  });

  describe('job runs', () => {
    let runs: JobRuns;
    beforeEach(() => {
      runs = new JobRuns(db.prisma);
    });

    it('registers a job once: its first registration time stays, its expression follows', async () => {
      const first = await runs.register('training-reminders', '0 9 * * *', 'UTC');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await runs.register('training-reminders', '0 8 * * *', 'Europe/Berlin')).toEqual(first);
      expect(await db.prisma.jobSchedule.findMany()).toEqual([
        { job: 'training-reminders', expression: '0 8 * * *', timeZone: 'Europe/Berlin', registeredAt: first },
      ]);
    });

    it('claims a fire once for one instance, records how it went, and shows the latest', async () => {
      const fire = new Date('2026-12-07T09:00:00.000Z');
      expect(await runs.claim('training-reminders', fire, 'a')).toBe(true);
      expect(await runs.claim('training-reminders', new Date(fire), 'b')).toBe(false);
      expect(await runs.claim('training-reminders', fire, 'a')).toBe(false);
      // Another job, or another fire, is another claim.
      expect(await runs.claim('stale-nudges', fire, 'b')).toBe(true);
      const later = new Date('2026-12-08T09:00:00.000Z');
      expect(await runs.claim('training-reminders', later, 'b')).toBe(true);
      expect(await runs.last('training-reminders')).toMatchObject({
        fireTime: later,
        outcome: 'running',
        finishedAt: null,
        error: null,
        instance: 'b',
      });
      await runs.finish('training-reminders', fire, 'ok');
      await runs.finish('training-reminders', later, 'failed', 'database gone');
      const [newest, oldest] = await runs.runs('training-reminders');
      expect(newest).toMatchObject({ fireTime: later, outcome: 'failed', error: 'database gone', instance: 'b' });
      expect(newest?.finishedAt).toBeInstanceOf(Date);
      expect(oldest).toMatchObject({ fireTime: fire, outcome: 'ok', error: null, instance: 'a' });
      expect(await runs.runs('training-reminders', 1)).toHaveLength(1);
      expect(await runs.last('audit:AUD-1')).toBeUndefined();
    });

    it('keeps the fire time to the millisecond whatever the process time zone', async () => {
      process.env.TZ = 'Asia/Kolkata';
      const fire = new Date('2026-03-29T01:00:00.250Z');
      expect(await runs.claim('j', fire, 'a')).toBe(true);
      process.env.TZ = 'America/New_York';
      expect(await runs.claim('j', new Date('2026-03-29T01:00:00.250Z'), 'b')).toBe(false);
      expect((await runs.last('j'))?.fireTime).toEqual(fire);
      const [row] = await db.prisma.$queryRaw<{ iso: string }[]>`
        SELECT to_char(fire_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS iso FROM job_run`;
      expect(row?.iso).toBe('2026-03-29T01:00:00.250');
    });

    it('gives a fire to exactly one of many instances claiming it at once', async () => {
      const fire = new Date('2026-12-07T09:00:00.000Z');
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) => new JobRuns(db.prisma).claim('training-reminders', fire, `i${i}`)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await db.prisma.jobRun.count()).toBe(1);
    });

    it('marks the runs still running long after they started as interrupted, and only those', async () => {
      await db.prisma.jobRun.createMany({
        data: [
          { job: 'a', fireTime: new Date('2026-12-01T09:00:00Z'), startedAt: new Date('2026-12-01T09:00:00Z') },
          {
            job: 'a',
            fireTime: new Date('2026-12-02T09:00:00Z'),
            startedAt: new Date('2026-12-02T09:00:00Z'),
            outcome: 'ok',
          },
          { job: 'b', fireTime: new Date('2026-12-07T09:00:00Z'), startedAt: new Date('2026-12-07T09:00:00Z') },
        ],
      });
      expect(await runs.interrupt(new Date('2026-12-05T00:00:00Z'))).toBe(1);
      expect(await runs.interrupt(new Date('2026-12-05T00:00:00Z'))).toBe(0);
      expect(await runs.last('a')).toMatchObject({ outcome: 'ok' });
      expect((await runs.runs('a'))[1]).toMatchObject({
        outcome: 'interrupted',
        error: 'the process running it stopped',
        finishedAt: expect.any(Date),
      });
      expect(await runs.last('b')).toMatchObject({ outcome: 'running', finishedAt: null });
    });
  });

  describe('the services on the database', () => {
    const olga: PersonRef = { platform: 'slack', externalId: 'U0OLGA', displayName: 'Olga Owner' };
    const wanda: PersonRef = { platform: 'slack', externalId: 'U0WANDA', displayName: 'Wanda Worker' };
    const tim: PersonRef = { platform: 'teams', externalId: 'aad-tim', displayName: 'Tim Teams' };
    let clock: ManualClock;
    let services: ReturnType<typeof buildServices>;
    let keys = 0;
    const request = (actor: PersonRef) => ({ actor, key: `db-${++keys}` });
    const outboxKeys = async () =>
      (await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map((m) => m.idempotencyKey);

    beforeEach(async () => {
      clock = new ManualClock('2026-12-07T08:30:00.000Z');
      services = buildServices(store, clock);
      await services.admin.bootstrapCoeMembers([olga]);
      await tx(async (r) => {
        await r.reviewChannels.set('slack', 'C0REVIEW');
        await r.teams.add('Warehouse');
        await r.teams.addChannel(1, 'slack', 'C0WARE');
        await r.teams.setMember(1, (await r.people.identify(wanda)).id, false);
        await r.teams.setMember(1, (await r.people.identify(tim)).id, false);
        await r.sops.create({
          key: 'inventory-scanning',
          title: 'Inventory scanning',
          ownerPersonId: 1,
          baseline: true,
        });
      });
    });

    it('assigns a training, reminds the next working day once, and counts completion per team', async () => {
      const assigned = await services.trainings.assign(request(olga), {
        title: 'Scanner charging',
        material: 'https://wiki.example.com/scanners',
        sop: 'inventory-scanning',
        teams: ['Warehouse'],
        due: '2026-12-11',
      });
      expect(assigned.ok).toBe(true);
      expect(await outboxKeys()).toContain('TR-1:announce:slack:C0WARE');
      clock.advance(3600 * 1000); // Monday 09:30: the day of assignment
      expect(await services.trainings.remind()).toBe('reminded 0 people and 0 team channels');
      clock.advance(24 * 3600 * 1000); // Tuesday 09:30
      expect(await services.trainings.remind()).toBe('reminded 2 people and 1 team channels');
      expect(await services.trainings.remind()).toBe('reminded 0 people and 0 team channels');
      const wandaId = (await tx((r) => r.people.find(wanda)))?.id;
      const timId = (await tx((r) => r.people.find(tim)))?.id;
      expect((await outboxKeys()).filter((k) => k.includes(':2026-12-08'))).toEqual([
        `TR-1:remind:${wandaId}:2026-12-08`,
        `TR-1:remind:${timId}:2026-12-08`,
        'TR-1:team:slack:C0WARE:2026-12-08',
      ]);
      await services.trainings.complete(request(tim), 'TR-1');
      // Two people: no count (minimum group size); the status says so rather than pointing at one of them.
      expect((await services.trainings.status('TR-1')).text).toBe(
        'TR-1 Scanner charging: completion is shown for groups of 5 or more.',
      );
      expect(JSON.stringify(await services.trainings.mine(tim))).toContain('TR-1 · Completed');
    });

    it('plans an audit, opens its run once, and a breach drafts a redesign linked to it', async () => {
      const planned = await services.audits.plan(request(olga), {
        sop: 'inventory-scanning',
        schedule: '0 9 * * 1',
        checklist: 'Scanners charged\nCounts match',
        variance: '5',
      });
      expect(planned.ok).toBe(true);
      const due = new Date('2026-12-07T09:00:00.000Z');
      const fires = await Promise.all([services.audits.fire(1, due), services.audits.fire(1, due)]);
      // The loser of the race may have drawn the first id from the sequence before it lost: the run is whichever won.
      const run = await db.prisma.auditRun.findFirstOrThrow();
      expect(fires.filter((f) => f === `run ${run.id} sent to its owner`)).toHaveLength(1);
      expect(fires.filter((f) => f.includes('already has its run'))).toHaveLength(1);
      expect(await db.prisma.auditRun.count()).toBe(1);
      const recorded = await services.audits.record(request(olga), String(run.id), {
        'item0.passed': 'pass',
        'item0.variance': '2',
        'item1.passed': 'fail',
        'item1.variance': '12',
      });
      expect(recorded.ok).toBe(true);
      expect(await db.prisma.changeRequest.findMany()).toEqual([
        expect.objectContaining({
          number: 1,
          status: 'draft',
          requesterPersonId: null,
          sopKey: 'inventory-scanning',
          origin: `audit AUD-1, run ${run.id}`,
        }),
      ]);
      expect(await db.prisma.auditRun.findUnique({ where: { id: run.id } })).toMatchObject({
        breach: true,
        maxVariance: 12,
        changeNumber: 1,
      });
      expect(await outboxKeys()).toEqual([`AUD-1:run:${run.id}`, 'CR-1:review:slack']);
      const shown = JSON.stringify(await services.standards.showSop('inventory-scanning'));
      expect(shown).toContain('variance 12% on v1.0 — breach, redesign CR-1');
    });

    it('raises an untriaged report once a day in the review channel', async () => {
      const submitted = await services.friction.submit(request(wanda), {
        kind: 'tool_friction',
        title: 'Scanner dies after 30 minutes',
        description: 'The scanner switches off mid-shift.',
        tool: 'Inventory scanner',
        frequency: 'daily',
        impact: 'high',
      });
      expect(submitted.ok).toBe(true);
      clock.advance(3 * 24 * 3600 * 1000 + 1.5 * 3600 * 1000); // Thursday 10:00
      expect(await services.nudges.run()).toBe('raised 1 untriaged reports, nudged 0 owners');
      expect(await services.nudges.run()).toBe('raised 0 untriaged reports, nudged 0 owners');
      expect((await outboxKeys()).filter((k) => k.includes('untriaged'))).toEqual(['FR-1:untriaged:2026-12-10:slack']);
      expect(await tx((r) => r.nudges.get('FR-1:untriaged'))).toEqual({
        count: 1,
        lastOn: '2026-12-10',
        snoozedUntil: null,
      });
    });
  });
});
