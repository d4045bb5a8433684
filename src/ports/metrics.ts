/**
 * The port of the CoE's scorecard (seed §9): the facts behind each figure for one window, aggregated where the data
 * lives (SQL on the database), never a table loaded whole.
 */
import type {
  ConstraintServing,
  MetricsScope,
  MetricsWindow,
  ScorecardFacts,
  TeamRowFacts,
} from '../domain/metrics-facts.ts';

export type * from '../domain/metrics-facts.ts';

export interface MetricsSource {
  scorecard(window: MetricsWindow, scope: MetricsScope): Promise<ScorecardFacts>;
  /** How many people are in each team now (for the minimum group size), archived teams left out. */
  teamSizes(): Promise<Map<number, { name: string; members: number }>>;
  /** One row per active team for the export, by team name. */
  teamRows(window: MetricsWindow): Promise<TeamRowFacts[]>;
  /** Constraints not ended before `since`, oldest first, each with the change requests serving it. */
  constraintServing(since: Date): Promise<ConstraintServing[]>;
}
