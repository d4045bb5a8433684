/**
 * The facts behind each figure of the CoE's scorecard (seed §9) for one window, as the database aggregates them (see
 * `ports/metrics.ts`). Nothing here names or counts a person: every fact is about the organisation, a team, a layer,
 * a tool, a standard or a release.
 */
import type { ClarityRule } from './clarity.ts';
import type { Layer } from './people.ts';

/** A span of time, `from` inclusive, `to` exclusive. */
export interface MetricsWindow {
  from: Date;
  to: Date;
}

/** Whose figures: the whole organisation, or one team (its reports by team name, its releases and training by id). */
export type MetricsScope = { kind: 'organisation' } | { kind: 'team'; teamId: number; teamName: string };

/** Median days of the loop's stages for the reports resolved by releases in the window; null when none had one. */
export interface SpeedFacts {
  /** Reports resolved by a release in the window. */
  reports: number;
  /** Report to the release that resolved it. */
  total: number | null;
  reportedToTriaged: number | null;
  triagedToApproved: number | null;
  approvedToReleased: number | null;
  releasedToDeployed: number | null;
}

/** Releases whose 30 days of follow-up ended in the window, and those with no corrective change or report in them. */
export interface QualityFacts {
  releases: number;
  clean: number;
  /** The standard whose releases drew the most corrective change requests and reports in their 30 days. */
  mostCorrected: { sopKey: string; corrections: number } | null;
  clarity: ClarityFacts;
}

/** Versions released in the window whose text the clarity check judged (those without text left out). */
export interface ClarityFacts {
  versions: number;
  /** Those it found nothing in. */
  clear: number;
  /** Of each standard's last version released in the window, the one with the most findings (none: null). */
  mostFindings: { sopKey: string; version: string; findings: number; rules: ClarityRule[] } | null;
}

export interface ToolFacts {
  /** Tool-friction reports made in the window, per tool, most reported first (at most ten tools). */
  tools: { tool: string; reports: number; medianDaysToResolve: number | null }[];
  /** Tool-friction reports made in the window, every tool. */
  reports: number;
  /** Tools with a recurring-pattern alert in the window. */
  alerted: string[];
}

/** People assigned a training due in the window, and those who completed it by its due date. */
export interface CompletionCell {
  assigned: number;
  doneByDue: number;
}

export interface TrainingFacts {
  /** Trainings due in the window (not cancelled). */
  trainings: number;
  teams: (CompletionCell & { teamId: number; team: string })[];
  layers: (CompletionCell & { layer: Layer })[];
  /** Audits of trained standards in the 60 days before each due date, and in the 60 days after. */
  auditsBefore: { runs: number; passed: number };
  auditsAfter: { runs: number; passed: number };
}

export interface BlockerFacts {
  /** High-impact and blocking reports open at the window's end. */
  openAtEnd: number;
  /** High-impact and blocking reports made in the window. */
  newInWindow: number;
}

export interface ConsistencyFacts {
  /** Per standard with a release: the target teams of its current version, and those that said they deployed it. */
  standards: { sopKey: string; version: string; targets: number; deployed: number }[];
  /** Audit pass rate per standard audited in the window (audits are per standard, not per team). */
  auditPassRates: { sopKey: string; runs: number; passed: number }[];
}

export interface AuditFacts {
  /** Audit runs due in the window whose week to record them has passed, and those recorded within it. */
  due: number;
  onSchedule: number;
  /** Change requests drafted from a breach in the window: decided ones, and those approved (or released). */
  breachDrafts: number;
  breachDecided: number;
  breachApproved: number;
}

export interface ConstraintFacts {
  /** Constraints active at some point in the window, and those served by a change released in it. */
  active: number;
  served: number;
  /** Change requests released in the window, and those serving no constraint. */
  released: number;
  servingNone: number;
  /** The active constraints no released change served (the oldest three). */
  unserved: { number: number; text: string }[];
}

export interface AdoptionFacts {
  /** Releases whose 14 days ended in the window, each with its target teams and those that deployed within 14 days. */
  releases: AdoptionRelease[];
}

export interface AdoptionRelease {
  sopKey: string;
  version: string;
  targets: number;
  deployedIn14: number;
  /**
   * Of the teams that deployed within 14 days, those with an audit on this version recorded after their Deployed
   * (before the window's end), and those whose first such audit was not a breach.
   */
  audited: number;
  passed: number;
  /** The people in the target teams counted (the group the release's line describes, for the minimum group). */
  people: number;
}

export interface ScorecardFacts {
  speed: SpeedFacts;
  quality: QualityFacts;
  tools: ToolFacts;
  training: TrainingFacts;
  blockers: BlockerFacts;
  consistency: ConsistencyFacts;
  audits: AuditFacts;
  constraints: ConstraintFacts;
  adoption: AdoptionFacts;
}

/** A change request serving a constraint, and the release that shipped it, if any. */
export interface ServingChange {
  number: number;
  title: string;
  status: string;
  release: { sopKey: string; version: string; publishedAt: Date } | null;
}

/** An executive constraint active at some point since a date, with every change request that serves it. */
export interface ConstraintServing {
  number: number;
  kind: 'priority' | 'constraint' | 'target';
  text: string;
  until: Date | null;
  endedAt: Date | null;
  /** Who set it: only to send them its monthly summary, never shown. */
  createdByPersonId: number;
  changes: ServingChange[];
}

/** One team's row of the export, for one window: counts about the team, never about a person in it. */
export interface TeamRowFacts {
  team: string;
  /** People in the team now: the group size each cell describes. */
  members: number;
  reports: number;
  blockingReports: number;
  /** People assigned a training due in the window through this team, and those done by its due date. */
  trainingAssigned: number;
  trainingDoneByDue: number;
  /** Releases sent to the team whose 14 days ended in the window, and those it deployed within them. */
  releases: number;
  deployedIn14: number;
  /** Of those deployed, the ones not failed by the team's first audit on that version since (adoption, figure 9). */
  adopted: number;
}
