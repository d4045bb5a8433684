/**
 * The Prisma repositories of scheduled work: trainings and who completed them, nudge counters, and audit plans with
 * their runs. Each works inside the caller's transaction.
 */
import type { AuditItemResult } from '../domain/audit.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { AuditRepository, AuditRun, NudgeRepository, Training, TrainingRepository } from '../ports.ts';

type Tx = Prisma.TransactionClient;

type TrainingRow = Awaited<ReturnType<Tx['training']['findUniqueOrThrow']>>;

const dateText = (date: Date) => date.toISOString().slice(0, 10);

function toTraining(row: TrainingRow): Training {
  const { submissionKey: _key, dueOn, ...rest } = row;
  return { ...rest, dueOn: dateText(dueOn) };
}

export function trainingRepository(tx: Tx): TrainingRepository {
  return {
    async create(training) {
      const { dueOn, ...rest } = training;
      return toTraining(await tx.training.create({ data: { ...rest, dueOn: new Date(`${dueOn}T00:00:00.000Z`) } }));
    },
    async bySubmissionKey(key) {
      const row = await tx.training.findUnique({ where: { submissionKey: key } });
      return row ? toTraining(row) : undefined;
    },
    async get(number) {
      const row = await tx.training.findUnique({ where: { number } });
      return row ? toTraining(row) : undefined;
    },
    async list(since) {
      const rows = await tx.training.findMany({
        where: { cancelledAt: null, ...(since ? { dueOn: { gte: new Date(`${since}T00:00:00.000Z`) } } : {}) },
        orderBy: { number: 'asc' },
      });
      return rows.map(toTraining);
    },
    async getForUpdate(number) {
      await tx.$executeRaw`SELECT 1 FROM training WHERE number = ${number} FOR UPDATE`;
      const row = await tx.training.findUnique({ where: { number } });
      return row ? toTraining(row) : undefined;
    },
    async update(number, changes) {
      const { dueOn, ...rest } = changes;
      const data = { ...rest, ...(dueOn ? { dueOn: new Date(`${dueOn}T00:00:00.000Z`) } : {}) };
      return toTraining(await tx.training.update({ where: { number }, data }));
    },
    async assign(number, personId, teamId) {
      await tx.$executeRaw`
        INSERT INTO training_assignment (training_number, person_id, team_id) VALUES (${number}, ${personId}, ${teamId})
        ON CONFLICT DO NOTHING`;
    },
    async assignments(number) {
      return tx.trainingAssignment.findMany({
        where: { trainingNumber: number },
        orderBy: { personId: 'asc' },
        select: { trainingNumber: true, personId: true, teamId: true, completedAt: true },
      });
    },
    async assignmentsOf(personId) {
      return tx.trainingAssignment.findMany({
        where: { personId },
        orderBy: { trainingNumber: 'asc' },
        select: { trainingNumber: true, personId: true, teamId: true, completedAt: true },
      });
    },
    async complete(number, personId, at) {
      const { count } = await tx.trainingAssignment.updateMany({
        where: { trainingNumber: number, personId, completedAt: null },
        data: { completedAt: at },
      });
      return count === 1;
    },
    async bySop(sopKey) {
      return (await tx.training.findMany({ where: { sopKey }, orderBy: { number: 'desc' } })).map(toTraining);
    },
  };
}

export function nudgeRepository(tx: Tx): NudgeRepository {
  return {
    async get(key) {
      const row = await tx.nudge.findUnique({ where: { key } });
      return row ? { count: row.count, lastOn: row.lastOn, snoozedUntil: row.snoozedUntil } : undefined;
    },
    async sent(key, on) {
      // Counted once a day whatever races (two fires caught up at once): the cap counts days, not runs.
      await tx.$executeRaw`
        INSERT INTO nudge (key, count, last_on) VALUES (${key}, 1, ${on})
        ON CONFLICT (key) DO UPDATE SET count = nudge.count + 1, last_on = excluded.last_on
        WHERE nudge.last_on IS DISTINCT FROM excluded.last_on`;
    },
    async snooze(key, until) {
      await tx.nudge.upsert({ where: { key }, create: { key, snoozedUntil: until }, update: { snoozedUntil: until } });
    },
  };
}

type RunRow = Awaited<ReturnType<Tx['auditRun']['findUniqueOrThrow']>>;

function toRun(row: RunRow): AuditRun {
  return { ...row, results: (row.results as AuditItemResult[] | null) ?? null };
}

export function auditRepository(tx: Tx): AuditRepository {
  const plan = async (number: number) => {
    const row = await tx.auditPlan.findUnique({ where: { number } });
    if (!row) return undefined;
    const { submissionKey: _key, ...rest } = row;
    return rest;
  };
  return {
    async createPlan(input) {
      const { submissionKey: _key, ...rest } = await tx.auditPlan.create({ data: input });
      return rest;
    },
    async planBySubmissionKey(key) {
      const row = await tx.auditPlan.findUnique({ where: { submissionKey: key } });
      return row ? plan(row.number) : undefined;
    },
    plan,
    async planForUpdate(number) {
      await tx.$executeRaw`SELECT 1 FROM audit_plan WHERE number = ${number} FOR UPDATE`;
      return plan(number);
    },
    async plans(sopKey) {
      const rows = await tx.auditPlan.findMany({
        where: sopKey ? { sopKey } : { state: 'active' },
        orderBy: { number: 'asc' },
        omit: { submissionKey: true },
      });
      return rows;
    },
    async allPlans() {
      return tx.auditPlan.findMany({ orderBy: { number: 'asc' }, omit: { submissionKey: true } });
    },
    async updatePlan(number, changes) {
      return tx.auditPlan.update({ where: { number }, data: changes, omit: { submissionKey: true } });
    },
    async createRun(planNumber, dueAt) {
      const inserted = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO audit_run (plan_number, due_at) VALUES (${planNumber}, ${dueAt})
        ON CONFLICT (plan_number, due_at) DO NOTHING RETURNING id`;
      const id = inserted[0]?.id;
      return id === undefined ? undefined : toRun(await tx.auditRun.findUniqueOrThrow({ where: { id } }));
    },
    async run(id) {
      const row = await tx.auditRun.findUnique({ where: { id } });
      return row ? toRun(row) : undefined;
    },
    async runForUpdate(id) {
      await tx.$executeRaw`SELECT 1 FROM audit_run WHERE id = ${id} FOR UPDATE`;
      const row = await tx.auditRun.findUnique({ where: { id } });
      return row ? toRun(row) : undefined;
    },
    async runs(planNumber, limit) {
      const rows = await tx.auditRun.findMany({ where: { planNumber }, orderBy: { dueAt: 'desc' }, take: limit });
      return rows.map(toRun);
    },
    async record(id, result) {
      const { results, ...rest } = result;
      return toRun(
        await tx.auditRun.update({
          where: { id },
          data: { ...rest, results: results as unknown as Prisma.InputJsonValue },
        }),
      );
    },
  };
}
