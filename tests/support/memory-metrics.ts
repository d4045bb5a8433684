/**
 * A scorecard source for unit tests: the facts each window should have, given by the test (the SQL that computes
 * them is tested on both databases in tests/db/metrics-store.test.ts), and team sizes read from the store.
 */
import type {
  ConstraintServing,
  MetricsScope,
  MetricsWindow,
  ScorecardFacts,
  TeamRowFacts,
} from '../../src/domain/metrics-facts.ts';
import type { MetricsSource } from '../../src/ports/metrics.ts';
import type { Store } from '../../src/ports.ts';

export function noFacts(): ScorecardFacts {
  return {
    speed: {
      reports: 0,
      total: null,
      reportedToTriaged: null,
      triagedToApproved: null,
      approvedToReleased: null,
      releasedToDeployed: null,
    },
    quality: { releases: 0, clean: 0, mostCorrected: null, clarity: { versions: 0, clear: 0, mostFindings: null } },
    tools: { tools: [], reports: 0, alerted: [] },
    training: {
      trainings: 0,
      teams: [],
      layers: [],
      auditsBefore: { runs: 0, passed: 0 },
      auditsAfter: { runs: 0, passed: 0 },
    },
    blockers: { openAtEnd: 0, newInWindow: 0 },
    consistency: { standards: [], auditPassRates: [] },
    audits: { due: 0, onSchedule: 0, breachDrafts: 0, breachDecided: 0, breachApproved: 0 },
    constraints: { active: 0, served: 0, released: 0, servingNone: 0, unserved: [] },
    adoption: { releases: [] },
  };
}

export interface MemoryMetrics extends MetricsSource {
  /** Every question asked, in order: which window, for whom. */
  asked: { window: MetricsWindow; scope: MetricsScope }[];
}

/** `facts` answers each question (the first call of a scorecard is the current window, the second the previous). */
export function memoryMetrics(
  store: Store,
  facts: (window: MetricsWindow, scope: MetricsScope) => ScorecardFacts = () => noFacts(),
  serving: (since: Date) => ConstraintServing[] = () => [],
  rows: (window: MetricsWindow) => TeamRowFacts[] = () => [],
): MemoryMetrics {
  const asked: MemoryMetrics['asked'] = [];
  return {
    asked,
    async scorecard(window, scope) {
      asked.push({ window, scope });
      return facts(window, scope);
    },
    async teamRows(window) {
      return rows(window);
    },
    async constraintServing(since) {
      return serving(since);
    },
    async teamSizes() {
      const teams = await store.read((repos) => repos.teams.list());
      return new Map(teams.map((t) => [t.id, { name: t.name, members: t.members }]));
    },
  };
}
