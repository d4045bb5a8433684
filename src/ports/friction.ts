/**
 * The port of friction reports and of the recurring patterns they raise. Kept apart from `../ports.ts` (which
 * re-exports it).
 */
import type { Frequency, FrictionKind, FrictionStatus, Impact } from '../domain/friction.ts';
import type { DeclineLane } from '../domain/friction-decline.ts';

/** A friction report as stored. `reporterPersonId` is null for an anonymous report. */
export interface FrictionReport {
  number: number;
  kind: FrictionKind;
  title: string;
  description: string;
  team: string | null;
  tool: string;
  toolKey: string;
  frequency: Frequency;
  impact: Impact;
  relatedSop: string | null;
  sourceLink: string | null;
  status: FrictionStatus;
  reporterPersonId: number | null;
  ownerPersonId: number | null;
  rootCause: string | null;
  /** Where a declined report belongs instead (seed §3); null for one declined before lanes existed. */
  declineLane: DeclineLane | null;
  /** The CoE's note to the reporter when it declined the report. */
  declineReason: string | null;
  /** The standard that already covers a declined report, by key. */
  declineStandard: string | null;
  duplicateOf: number | null;
  plusOnes: number;
  version: number;
  claimToken: string;
  createdAt: Date;
  /** When the status last changed (set by the service, from its clock): how long a report has stayed put. */
  statusChangedAt: Date;
}

export type NewFrictionReport = Omit<
  FrictionReport,
  | 'number'
  | 'status'
  | 'ownerPersonId'
  | 'rootCause'
  | 'declineLane'
  | 'declineReason'
  | 'declineStandard'
  | 'duplicateOf'
  | 'plusOnes'
  | 'version'
  | 'createdAt'
> & {
  submissionKey: string;
  /** The title's meaningful words (`likeness`), kept so "looks similar" can ask for the reports near a new one. */
  titleWords: string[];
};

export type FrictionChanges = Partial<
  Pick<
    FrictionReport,
    | 'status'
    | 'statusChangedAt'
    | 'ownerPersonId'
    | 'rootCause'
    | 'declineLane'
    | 'declineReason'
    | 'declineStandard'
    | 'duplicateOf'
    | 'plusOnes'
  >
>;

export interface FrictionRepository {
  create(report: NewFrictionReport): Promise<FrictionReport>;
  /** Stores many reports in one statement; returns them in the order given. */
  createMany(reports: readonly NewFrictionReport[]): Promise<FrictionReport[]>;
  /**
   * Stores the reports whose submission key is new, in one statement; a key stored before is left alone. Returns, by
   * submission key, the reports made now (in the order given) and the ones stored before (a retry, a double click).
   * A key another transaction is storing at this very moment may be in neither. Each report made now gets `event`
   * recorded, in that same statement: its subject the report's id, its actor the reporter.
   */
  createNew(
    reports: readonly NewFrictionReport[],
    event: { action: string; to: string },
  ): Promise<{ created: Map<string, FrictionReport>; before: Map<string, FrictionReport> }>;
  get(number: number): Promise<FrictionReport | undefined>;
  /** Reads a report and locks it until the transaction ends, so two decisions on it never interleave. */
  getForUpdate(number: number): Promise<FrictionReport | undefined>;
  bySubmissionKey(key: string): Promise<FrictionReport | undefined>;
  /** Applies the changes and bumps the version. */
  update(number: number, changes: FrictionChanges): Promise<FrictionReport>;
  /** Open reports (new, triaged, analysing), oldest first, other than `except`. */
  open(options?: { limit?: number; except?: number }): Promise<FrictionReport[]>;
  /**
   * Of the first `limit` open reports, oldest first, the ones that may look like a report with one of these tool keys
   * or title words (as much as a "looks similar" offer needs): a superset of those `alike` finds, never fewer.
   */
  openSummaries(
    limit: number,
    near: { toolKeys: readonly string[]; words: readonly string[] },
  ): Promise<OpenReportSummary[]>;
  /** Reports about one tool or process created since a time, any status. */
  aboutTool(toolKey: string, since: Date): Promise<FrictionReport[]>;
  /** Reports in one of these statuses whose status has not changed since `before`, oldest first. */
  stuck(statuses: readonly FrictionStatus[], before: Date): Promise<FrictionReport[]>;
  byReporter(personId: number, limit: number): Promise<FrictionReport[]>;
  /** Records a "me too"; false when this person had already said it. */
  addSupporter(number: number, personId: number): Promise<boolean>;
  supporters(number: number): Promise<number[]>;
}

/** `titleWords` is empty for a report stored before its words were kept. */
export type OpenReportSummary = Pick<FrictionReport, 'number' | 'title' | 'tool' | 'plusOnes' | 'toolKey'> & {
  titleWords: string[];
};

export interface RecurringPatternRepository {
  /**
   * Of these tools or processes, the ones with at least `threshold` reports since a time and no alert since then,
   * each with its reports' numbers, oldest first. Holds a lock on each tool until the transaction ends, so reports
   * arriving together raise one alert.
   */
  due(toolKeys: readonly string[], since: Date, threshold: number): Promise<Map<string, number[]>>;
  record(pattern: { toolKey: string; tool: string; reports: number[] }): Promise<void>;
}
