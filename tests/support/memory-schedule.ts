/**
 * The in-memory repositories of scheduled work (trainings, nudges, audit plans and runs), for `MemoryStore`
 * (memory.ts): each mirrors its Prisma twin in src/db/schedule-repositories.ts over the store's tables.
 */
import type { NudgeState } from '../../src/domain/nudges.ts';
import type {
  AuditPlan,
  AuditRepository,
  AuditRun,
  Clock,
  NudgeRepository,
  Training,
  TrainingAssignment,
  TrainingRepository,
} from '../../src/ports.ts';

/** The store's tables these repositories read and write. */
export interface ScheduleTables {
  trainings: (Training & { submissionKey: string })[];
  assignments: TrainingAssignment[];
  nudges: Map<string, NudgeState>;
  auditPlans: (AuditPlan & { submissionKey: string })[];
  auditRuns: AuditRun[];
}

/** Their sequences (outside the transactions, as in Postgres). */
export interface ScheduleSequences {
  training: number;
  auditPlan: number;
  auditRun: number;
}

/** `trainingRepository` of src/db/schedule-repositories.ts over the in-memory tables. */
export function trainingRepository(t: ScheduleTables, seq: ScheduleSequences, clock: Clock): TrainingRepository {
  const strip = ({ submissionKey: _key, ...training }: Training & { submissionKey: string }): Training =>
    structuredClone(training);
  const byPerson = (a: TrainingAssignment, b: TrainingAssignment) => a.personId - b.personId;
  return {
    async create(training) {
      if (t.trainings.some((x) => x.submissionKey === training.submissionKey)) {
        throw new Error('Unique constraint failed on the fields: (`submission_key`)');
      }
      const row = { ...structuredClone(training), number: seq.training++, createdAt: clock.now(), cancelledAt: null };
      t.trainings.push(row);
      return strip(row);
    },
    async bySubmissionKey(key) {
      const row = t.trainings.find((x) => x.submissionKey === key);
      return row && strip(row);
    },
    async get(number) {
      const row = t.trainings.find((x) => x.number === number);
      return row && strip(row);
    },
    async list(since) {
      return t.trainings.filter((x) => x.cancelledAt === null && (!since || x.dueOn >= since)).map(strip);
    },
    // Transactions here run one at a time, so there is nothing to lock.
    async getForUpdate(number) {
      const row = t.trainings.find((x) => x.number === number);
      return row && strip(row);
    },
    async update(number, changes) {
      const row = t.trainings.find((x) => x.number === number);
      if (!row) throw new Error(`No record was found for an update (training ${number}).`);
      Object.assign(row, structuredClone(changes));
      return strip(row);
    },
    async assign(number, personId, teamId) {
      if (t.assignments.some((a) => a.trainingNumber === number && a.personId === personId)) return;
      t.assignments.push({ trainingNumber: number, personId, teamId, completedAt: null });
    },
    async assignments(number) {
      return structuredClone(t.assignments.filter((a) => a.trainingNumber === number).sort(byPerson));
    },
    async assignmentsOf(personId) {
      return structuredClone(
        t.assignments.filter((a) => a.personId === personId).sort((a, b) => a.trainingNumber - b.trainingNumber),
      );
    },
    async complete(number, personId, at) {
      const row = t.assignments.find((a) => a.trainingNumber === number && a.personId === personId);
      if (!row || row.completedAt) return false;
      row.completedAt = at;
      return true;
    },
    async bySop(sopKey) {
      return t.trainings
        .filter((x) => x.sopKey === sopKey)
        .sort((a, b) => b.number - a.number)
        .map(strip);
    },
  };
}

/** `nudgeRepository` of src/db/schedule-repositories.ts over the in-memory tables. */
export function nudgeRepository(t: ScheduleTables): NudgeRepository {
  return {
    async get(key) {
      const state = t.nudges.get(key);
      return state && structuredClone(state);
    },
    async sent(key, on) {
      const state = t.nudges.get(key) ?? { count: 0, lastOn: null, snoozedUntil: null };
      // As in the database: counted once a day.
      if (state.lastOn === on) return;
      t.nudges.set(key, { ...state, count: state.count + 1, lastOn: on });
    },
    async snooze(key, until) {
      const state = t.nudges.get(key) ?? { count: 0, lastOn: null, snoozedUntil: null };
      t.nudges.set(key, { ...state, snoozedUntil: until });
    },
  };
}

/** `auditRepository` of src/db/schedule-repositories.ts over the in-memory tables. */
export function auditRepository(t: ScheduleTables, seq: ScheduleSequences, clock: Clock): AuditRepository {
  const strip = ({ submissionKey: _key, ...plan }: AuditPlan & { submissionKey: string }): AuditPlan =>
    structuredClone(plan);
  const run = (id: number) => {
    const row = t.auditRuns.find((r) => r.id === id);
    return row && structuredClone(row);
  };
  return {
    async createPlan(plan) {
      if (t.auditPlans.some((p) => p.submissionKey === plan.submissionKey)) {
        throw new Error('Unique constraint failed on the fields: (`submission_key`)');
      }
      const row = {
        sopMajor: null,
        sopMinor: null,
        ...structuredClone(plan),
        number: seq.auditPlan++,
        state: 'active' as const,
        runsFrom: null,
        createdAt: clock.now(),
      };
      t.auditPlans.push(row);
      return strip(row);
    },
    async planBySubmissionKey(key) {
      const row = t.auditPlans.find((p) => p.submissionKey === key);
      return row && strip(row);
    },
    async plan(number) {
      const row = t.auditPlans.find((p) => p.number === number);
      return row && strip(row);
    },
    planForUpdate: async (number) => {
      const row = t.auditPlans.find((p) => p.number === number);
      return row && strip(row);
    },
    async plans(sopKey) {
      return t.auditPlans.filter((p) => (sopKey ? p.sopKey === sopKey : p.state === 'active')).map(strip);
    },
    async allPlans() {
      return [...t.auditPlans].sort((a, b) => a.number - b.number).map(strip);
    },
    async updatePlan(number, changes) {
      const row = t.auditPlans.find((p) => p.number === number);
      if (!row) throw new Error(`No record was found for an update (audit plan ${number}).`);
      Object.assign(row, structuredClone(changes));
      return strip(row);
    },
    async createRun(planNumber, dueAt) {
      if (t.auditRuns.some((r) => r.planNumber === planNumber && r.dueAt.getTime() === dueAt.getTime()))
        return undefined;
      const row: AuditRun = {
        id: seq.auditRun++,
        planNumber,
        dueAt,
        results: null,
        maxVariance: null,
        breach: null,
        changeNumber: null,
        recordedByPersonId: null,
        recordedAt: null,
        sopMajor: null,
        sopMinor: null,
        teamId: null,
      };
      t.auditRuns.push(row);
      return structuredClone(row);
    },
    run: async (id) => run(id),
    runForUpdate: async (id) => run(id),
    async runs(planNumber, limit) {
      return structuredClone(
        t.auditRuns
          .filter((r) => r.planNumber === planNumber)
          .sort((a, b) => b.dueAt.getTime() - a.dueAt.getTime())
          .slice(0, limit),
      );
    },
    async record(id, result) {
      const row = t.auditRuns.find((r) => r.id === id);
      if (!row) throw new Error(`No record was found for an update (audit run ${id}).`);
      Object.assign(row, structuredClone(result));
      return structuredClone(row);
    },
  };
}
