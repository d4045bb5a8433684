/**
 * The ports of scheduled work: trainings and who completed them, nudge counters, audit plans and their runs. Kept
 * apart from `../ports.ts` (which re-exports them) so neither file grows past reading in one go.
 */
import type { AuditItemResult, AuditPlanState } from '../domain/audit.ts';
import type { NudgeState } from '../domain/nudges.ts';
import type { Layer } from '../domain/people.ts';

/** A training as stored (TR-<number>). */
export interface Training {
  number: number;
  title: string;
  material: string;
  sopKey: string | null;
  sopMajor: number | null;
  sopMinor: number | null;
  teamIds: number[];
  layers: Layer[];
  /** `YYYY-MM-DD` */
  dueOn: string;
  createdByPersonId: number;
  createdAt: Date;
  /** Cancelled: no more reminders, nothing left to complete; its history stays. */
  cancelledAt: Date | null;
}

export interface TrainingAssignment {
  trainingNumber: number;
  personId: number;
  teamId: number | null;
  completedAt: Date | null;
}

export interface TrainingRepository {
  /** `createdAt` is the core clock's (reminders count days from it); the database's now when left out. */
  create(
    training: Omit<Training, 'number' | 'createdAt' | 'cancelledAt'> & { submissionKey: string; createdAt?: Date },
  ): Promise<Training>;
  bySubmissionKey(key: string): Promise<Training | undefined>;
  get(number: number): Promise<Training | undefined>;
  /** Trainings not cancelled, due on or after `since` (`YYYY-MM-DD`), or every one when undefined; oldest first. */
  list(since?: string): Promise<Training[]>;
  /** Reads a training and locks it until the transaction ends (two decisions on it never interleave). */
  getForUpdate(number: number): Promise<Training | undefined>;
  /** Cancels it, or moves its due date. */
  update(number: number, changes: Partial<Pick<Training, 'cancelledAt' | 'dueOn'>>): Promise<Training>;
  /** Assigns a person (once; the first team it came through stays). */
  assign(number: number, personId: number, teamId: number | null): Promise<void>;
  assignments(number: number): Promise<TrainingAssignment[]>;
  assignmentsOf(personId: number): Promise<TrainingAssignment[]>;
  /** Marks a person's assignment complete; false when it was complete already (or they have none). */
  complete(number: number, personId: number, at: Date): Promise<boolean>;
  bySop(sopKey: string): Promise<Training[]>;
}

/** Nudges sent about one thing (a reminder to a person, a stale report), by key. */
export interface NudgeRepository {
  get(key: string): Promise<NudgeState | undefined>;
  /** Counts a nudge sent on `on` (a local date). */
  sent(key: string, on: string): Promise<void>;
  snooze(key: string, until: Date): Promise<void>;
}

export interface AuditPlan {
  number: number;
  sopKey: string;
  schedule: string;
  checklist: string[];
  acceptableVariance: number;
  ownerPersonId: number;
  createdByPersonId: number;
  /** The version of the standard current when the plan was made; null for plans made before versions were kept. */
  sopMajor: number | null;
  sopMinor: number | null;
  state: AuditPlanState;
  /** Fires due before this are not run (the plan was paused, or ran on another schedule, until then). */
  runsFrom: Date | null;
  createdAt: Date;
}

/** What `audit change` may change of a plan; its standard stays. */
export type AuditPlanChanges = Partial<
  Pick<AuditPlan, 'schedule' | 'checklist' | 'acceptableVariance' | 'ownerPersonId' | 'state' | 'runsFrom'>
>;

export interface AuditRun {
  id: number;
  planNumber: number;
  dueAt: Date;
  results: AuditItemResult[] | null;
  maxVariance: number | null;
  breach: boolean | null;
  changeNumber: number | null;
  recordedByPersonId: number | null;
  recordedAt: Date | null;
  /**
   * Recorded with the results: the version of the standard audited (the one the audited team works to, else the
   * standard's current one) and the team audited (the owner's one team among the standard's target teams); null for
   * runs not recorded yet, recorded before versions were kept, or (the team) when no single team is audited.
   */
  sopMajor: number | null;
  sopMinor: number | null;
  teamId: number | null;
}

export interface AuditRepository {
  /** `createdAt` is the core clock's (fires before it are not the plan's); the database's now when left out. */
  createPlan(
    plan: Omit<AuditPlan, 'number' | 'state' | 'runsFrom' | 'createdAt' | 'sopMajor' | 'sopMinor'> &
      Partial<Pick<AuditPlan, 'sopMajor' | 'sopMinor'>> & { submissionKey: string; createdAt?: Date },
  ): Promise<AuditPlan>;
  planBySubmissionKey(key: string): Promise<AuditPlan | undefined>;
  plan(number: number): Promise<AuditPlan | undefined>;
  /** Reads a plan and locks it until the transaction ends (two changes of it never interleave). */
  planForUpdate(number: number): Promise<AuditPlan | undefined>;
  /** Active plans (those the scheduler runs), or every plan of one standard whatever its state. */
  plans(sopKey?: string): Promise<AuditPlan[]>;
  /** Every plan, whatever its state, by number. */
  allPlans(): Promise<AuditPlan[]>;
  updatePlan(number: number, changes: AuditPlanChanges): Promise<AuditPlan>;
  /** The run of a plan due at a fire time; undefined when it exists already (another replica, a catch-up). */
  createRun(planNumber: number, dueAt: Date): Promise<AuditRun | undefined>;
  run(id: number): Promise<AuditRun | undefined>;
  /** Locks the run until the transaction ends (two people recording at once record once). */
  runForUpdate(id: number): Promise<AuditRun | undefined>;
  /** A plan's runs, newest first. */
  runs(planNumber: number, limit: number): Promise<AuditRun[]>;
  record(
    id: number,
    result: Pick<AuditRun, 'maxVariance' | 'breach' | 'changeNumber' | 'recordedByPersonId' | 'recordedAt'> &
      Partial<Pick<AuditRun, 'sopMajor' | 'sopMinor' | 'teamId'>> & { results: AuditItemResult[] },
  ): Promise<AuditRun>;
}
