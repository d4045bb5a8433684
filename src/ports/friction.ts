/**
 * The port of friction reports. Kept apart from `../ports.ts` (which re-exports it).
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
  get(number: number): Promise<FrictionReport | undefined>;
  /** Reads a report and locks it until the transaction ends, so two decisions on it never interleave. */
  getForUpdate(number: number): Promise<FrictionReport | undefined>;
  bySubmissionKey(key: string): Promise<FrictionReport | undefined>;
  /** Applies the changes and bumps the version. */
  update(number: number, changes: FrictionChanges): Promise<FrictionReport>;
  /** Open reports (new, triaged, analysing), oldest first, other than `except`. */
  open(options?: { limit?: number; except?: number }): Promise<FrictionReport[]>;
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

/**
 * A report just stored: what was given, and what the database set. Field by field rather than a rest-spread that drops
 * two keys: it runs twice for every report of a burst, and V8 copies a rest-spread with exclusions slowly.
 */
export function freshReport(row: NewFrictionReport & { number: number }, createdAt: Date): FrictionReport {
  return {
    number: row.number,
    kind: row.kind,
    title: row.title,
    description: row.description,
    team: row.team,
    tool: row.tool,
    toolKey: row.toolKey,
    frequency: row.frequency,
    impact: row.impact,
    relatedSop: row.relatedSop,
    sourceLink: row.sourceLink,
    status: 'new',
    reporterPersonId: row.reporterPersonId,
    ownerPersonId: null,
    rootCause: null,
    declineLane: null,
    declineReason: null,
    declineStandard: null,
    duplicateOf: null,
    plusOnes: 0,
    version: 1,
    claimToken: row.claimToken,
    createdAt,
    statusChangedAt: row.statusChangedAt,
  };
}
