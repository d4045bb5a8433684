/**
 * The CoE's scorecard (seed §9, DOMAIN.md "How the CoE is judged"): windows, the minimum group size, and the nine
 * figures made from the facts the database aggregated. Never a figure about one person, never a team-level figure
 * about fewer people than the minimum group: such a cell reads "too few to show", and one more is hidden where a total
 * minus the others would give it away.
 */

import { constraintId } from './change.ts';
import { ADOPTION_HOW, adoptionLines, adoptionTotals } from './metrics-adoption.ts';
import { clarityPart, type FigurePart, standardAttention } from './metrics-clarity.ts';
import type { CompletionCell, MetricsScope, MetricsWindow, ScorecardFacts, SpeedFacts } from './metrics-facts.ts';
import { type Cell, shownCells, TOO_FEW } from './metrics-privacy.ts';
import { trendOf } from './metrics-trend.ts';
import { LAYER_LABELS, type Layer } from './people.ts';

export const WINDOW_NAMES = ['30d', '90d', 'quarter'] as const;
export type WindowName = (typeof WINDOW_NAMES)[number];
export const DEFAULT_WINDOW: WindowName = '90d';

export { type Cell, MIN_GROUP_DEFAULT, MIN_GROUP_FLOOR, shownCells, TOO_FEW } from './metrics-privacy.ts';

export interface Windows {
  label: string;
  current: MetricsWindow;
  previous: MetricsWindow;
}

const DAY = 86_400_000;

/** `30d`/`90d`: the days up to now and the same length before; `quarter`: the last whole quarter and the one before. */
export function metricsWindows(name: WindowName, now: Date): Windows {
  if (name === 'quarter') {
    const quarterStart = (year: number, q: number) => new Date(Date.UTC(year, q * 3, 1));
    const thisQuarter = Math.floor(now.getUTCMonth() / 3);
    const year = now.getUTCFullYear();
    const last = thisQuarter === 0 ? { year: year - 1, q: 3 } : { year, q: thisQuarter - 1 };
    const before = last.q === 0 ? { year: last.year - 1, q: 3 } : { year: last.year, q: last.q - 1 };
    const from = quarterStart(last.year, last.q);
    return {
      label: `Q${last.q + 1} ${last.year}`,
      current: { from, to: quarterStart(year, thisQuarter) },
      previous: { from: quarterStart(before.year, before.q), to: from },
    };
  }
  const days = name === '30d' ? 30 : 90;
  const from = new Date(now.getTime() - days * DAY);
  return {
    label: `the last ${days} days`,
    current: { from, to: now },
    previous: { from: new Date(from.getTime() - days * DAY), to: from },
  };
}

export type FigureKey =
  | 'speed'
  | 'quality'
  | 'tools'
  | 'training'
  | 'blockers'
  | 'consistency'
  | 'audits'
  | 'constraints'
  | 'adoption';

export interface Figure {
  key: FigureKey;
  title: string;
  /** The headline, e.g. "28.5 days" or "67%"; "no data yet" or "too few to show" when there is none to give. */
  value: string;
  /** The same for the previous window. */
  previous: string;
  /** Compared with the previous window, when both have a number. */
  trend?: { direction: 'up' | 'down' | 'same'; better: boolean | undefined };
  /** More lines: stages, per team, per tool. */
  details: string[];
  /** A second headline, with its own previous value and trend (quality's clarity share). */
  also?: FigurePart;
  /** One line: how it is computed. */
  how: string;
}

export interface Scorecard {
  windowLabel: string;
  /** "the organisation" or a team's name. */
  scopeLabel: string;
  figures: Figure[];
  /** Median days per stage, this window and the previous (null: none). */
  stages: { label: string; current: number | null; previous: number | null }[];
  /** Up to three things most worth the CoE's attention: a stage that stalls, a much-corrected standard, a constraint no change serves. */
  attention: string[];
  /** Set when a team's own figures are hidden because it has fewer people than the minimum group. */
  teamTooSmall?: boolean;
}

const NO_DATA = 'no data yet';

const round1 = (n: number) => Math.round(n * 10) / 10;
const days = (n: number | null) => (n === null ? NO_DATA : `${round1(n)} ${round1(n) === 1 ? 'day' : 'days'}`);
const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const percent = (r: number | null) => (r === null ? NO_DATA : `${Math.round(r * 100)}%`);

interface Measured {
  value: number | null;
  text: string;
}

/** One figure from this window's and the previous window's facts. */
function figure(
  key: FigureKey,
  title: string,
  how: string,
  higherIsBetter: boolean,
  measure: (f: ScorecardFacts) => Measured,
  details: (f: ScorecardFacts) => string[],
  now: ScorecardFacts,
  before: ScorecardFacts,
): Figure {
  const a = measure(now);
  const b = measure(before);
  const trend = trendOf(a.value, b.value, higherIsBetter);
  return { key, title, value: a.text, previous: b.text, ...(trend ? { trend } : {}), details: details(now), how };
}

const STAGES: { label: string; pick: (s: SpeedFacts) => number | null }[] = [
  { label: 'Reported → triaged', pick: (s) => s.reportedToTriaged },
  { label: 'Triaged → approved', pick: (s) => s.triagedToApproved },
  { label: 'Approved → released', pick: (s) => s.approvedToReleased },
  { label: 'Released → deployed', pick: (s) => s.releasedToDeployed },
];

function completionLines(f: ScorecardFacts, minGroup: number): { lines: string[]; total: Measured } {
  const cells: (Cell<CompletionCell> & { name: string })[] = [
    ...f.training.teams.map((t) => ({ name: t.team, value: t, people: t.assigned })),
    ...f.training.layers.map((l) => ({ name: `${LAYER_LABELS[l.layer as Layer]}s`, value: l, people: l.assigned })),
  ];
  const assigned = cells.reduce((n, c) => n + c.value.assigned, 0);
  const done = cells.reduce((n, c) => n + c.value.doneByDue, 0);
  const totalShown = assigned >= minGroup;
  const shown = shownCells(cells, minGroup, totalShown);
  const lines = cells.map(
    (c, i) => `${c.name}: ${shown[i] ? percent(ratio(c.value.doneByDue, c.value.assigned)) : TOO_FEW}`,
  );
  const r = ratio(done, assigned);
  return {
    lines,
    total: totalShown ? { value: r, text: percent(r) } : { value: null, text: assigned ? TOO_FEW : NO_DATA },
  };
}

/** The nine figures for a scope, from this window's facts and the previous window's. */
export function scorecard(
  windows: Windows,
  scope: MetricsScope,
  now: ScorecardFacts,
  before: ScorecardFacts,
  minGroup: number,
): Scorecard {
  const windowDays = (w: MetricsWindow) => (w.to.getTime() - w.from.getTime()) / DAY;
  const per28 = (count: number, w: MetricsWindow) => (count * 28) / Math.max(1, windowDays(w));
  const sum = <T>(items: readonly T[], pick: (t: T) => number) => items.reduce((n, t) => n + pick(t), 0);
  const measured = (value: number | null, text: (v: number) => string): Measured => ({
    value,
    text: value === null ? NO_DATA : text(value),
  });
  const rate = (part: number, whole: number) => measured(ratio(part, whole), (r) => percent(r));
  const passRate = (a: { runs: number; passed: number }) => percent(ratio(a.passed, a.runs));

  const figures: Figure[] = [
    figure(
      'speed',
      'Speed of iteration',
      'Median days from a report to the release that resolved it, for releases in the window; stages likewise, open items left out.',
      false,
      (f) => measured(f.speed.total, (v) => days(v)),
      (f) => [STAGES.map((s) => `${s.label} ${days(s.pick(f.speed))}`).join(' · ')],
      now,
      before,
    ),
    {
      ...figure(
        'quality',
        'Quality of standards',
        'Releases not followed within 30 days by a change request or a report about the same standard, of those whose 30 days ended in the window; clarity: versions released in the window whose text the clarity check found nothing unclear in (growing longer alone does not count), of those with text.',
        true,
        (f) => rate(f.quality.clean, f.quality.releases),
        (f) => [`${f.quality.clean} of ${f.quality.releases} releases needed no correction`],
        now,
        before,
      ),
      also: clarityPart(now.quality.clarity, before.quality.clarity),
    },
    figure(
      'tools',
      'Tool reliability',
      'Tool-friction reports made in the window, per tool, with the median days to resolve them; tools with a recurring-pattern alert.',
      false,
      (f) => measured(f.tools.reports, (v) => `${v} tool ${v === 1 ? 'report' : 'reports'}`),
      (f) => [
        ...f.tools.tools
          .slice(0, 5)
          .map(
            (t) =>
              `${t.tool}: ${t.reports}, ${t.medianDaysToResolve === null ? 'none resolved yet' : `resolved in ${days(t.medianDaysToResolve)}`}`,
          ),
        ...(f.tools.alerted.length > 0 ? [`Recurring: ${f.tools.alerted.join(', ')}`] : []),
      ],
      now,
      before,
    ),
    figure(
      'training',
      'Training effectiveness',
      'People who completed a training by its due date, of those assigned one due in the window; audit pass rate of the trained standard 60 days before and after.',
      true,
      (f) => completionLines(f, minGroup).total,
      (f) => [
        ...completionLines(f, minGroup).lines,
        `Audits of trained standards: ${passRate(f.training.auditsBefore)} passed before, ${passRate(f.training.auditsAfter)} after`,
      ],
      now,
      before,
    ),
    figure(
      'blockers',
      'Reduction in blockers',
      'High-impact and blocking reports open at the end of the window; new ones per 28 days.',
      false,
      (f) => measured(f.blockers.openAtEnd, (v) => `${v} open`),
      (f) => [`${round1(per28(f.blockers.newInWindow, windows.current))} new per 28 days`],
      now,
      before,
    ),
    figure(
      'consistency',
      'Cross-department consistency',
      'Target teams that deployed the current version of each standard; the spread of audit pass rates across standards.',
      true,
      (f) =>
        rate(
          sum(f.consistency.standards, (s) => s.deployed),
          sum(f.consistency.standards, (s) => s.targets),
        ),
      (f) => {
        const rates = f.consistency.auditPassRates.map((a) => a.passed / a.runs);
        const spread = rates.length > 1 ? Math.round((Math.max(...rates) - Math.min(...rates)) * 100) : null;
        return [
          ...f.consistency.standards
            .slice(0, 5)
            .map((s) => `${s.sopKey} ${s.version}: ${s.deployed} of ${s.targets} teams`),
          spread === null
            ? 'Audit spread: needs two audited standards'
            : `Audit pass rates spread over ${spread} points`,
        ];
      },
      now,
      before,
    ),
    figure(
      'audits',
      'Audit accuracy',
      'Audits recorded within 7 days of being due, of those due in the window; breach drafts approved, of those decided.',
      true,
      (f) => rate(f.audits.onSchedule, f.audits.due),
      (f) => [
        `${f.audits.onSchedule} of ${f.audits.due} on schedule`,
        `Breach drafts: ${f.audits.breachApproved} of ${f.audits.breachDecided} decided were approved (${f.audits.breachDrafts - f.audits.breachDecided} open)`,
      ],
      now,
      before,
    ),
    figure(
      'constraints',
      'Alignment with executive constraints',
      'Constraints active in the window served by a change released in it; released changes serving none.',
      true,
      (f) => rate(f.constraints.served, f.constraints.active),
      (f) => [
        `${f.constraints.served} of ${f.constraints.active} constraints served`,
        `${f.constraints.servingNone} of ${f.constraints.released} released changes serve none`,
      ],
      now,
      before,
    ),
    figure(
      'adoption',
      'Adoption success rate',
      ADOPTION_HOW,
      true,
      (f) => {
        const totals = adoptionTotals(f.adoption, minGroup);
        return totals.hidden ? { value: null, text: TOO_FEW } : rate(totals.adopted, totals.targets);
      },
      (f) => adoptionLines(f.adoption, minGroup),
      now,
      before,
    ),
  ];
  const stages = STAGES.map((s) => ({ label: s.label, current: s.pick(now.speed), previous: s.pick(before.speed) }));
  return {
    windowLabel: windows.label,
    scopeLabel: scope.kind === 'team' ? scope.teamName : 'the organisation',
    figures,
    stages,
    attention: attention(stages, now),
  };
}

/**
 * The slowest stage, the standard most corrected after its releases (else the one whose released text is least
 * clear), the oldest constraint no change served.
 */
function attention(stages: Scorecard['stages'], now: ScorecardFacts): string[] {
  const items: string[] = [];
  const slowest = stages
    .filter((s): s is { label: string; current: number; previous: number | null } => s.current !== null)
    .sort((a, b) => b.current - a.current)[0];
  if (slowest) {
    const was = slowest.previous === null ? '' : ` (${days(slowest.previous)} the window before)`;
    items.push(`${slowest.label} is the slowest stage: ${days(slowest.current)}${was}.`);
  }
  const standard = standardAttention(now.quality);
  if (standard) items.push(standard);
  const [unserved] = now.constraints.unserved;
  if (unserved)
    items.push(
      `${constraintId(unserved.number)} "${clipText(unserved.text, 80)}" is served by no released change yet.`,
    );
  return items;
}

const clipText = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Figures about the whole organisation whatever the scope: audits and constraints have no team. */
const ORGANISATION_WIDE: readonly FigureKey[] = ['audits', 'constraints'];

/** A team smaller than the minimum group: every figure about it reads "too few to show". */
export function hideTeamFigures(card: Scorecard): Scorecard {
  return {
    ...card,
    teamTooSmall: true,
    attention: [],
    stages: card.stages.map((s) => ({ ...s, current: null, previous: null })),
    figures: card.figures.map((f) => {
      if (ORGANISATION_WIDE.includes(f.key)) return f;
      const { trend: _trend, also: _also, ...rest } = f;
      return { ...rest, value: TOO_FEW, previous: TOO_FEW, details: [] };
    }),
  };
}
