/**
 * The scorecard in the core (issue 10): windows, the minimum group size with complementary suppression, and the nine
 * figures made from hand-checked facts, with trends against the previous window.
 */
import { describe, expect, it } from 'vitest';
import { hideTeamFigures, metricsWindows, scorecard, shownCells, TOO_FEW } from '../../src/domain/metrics.ts';
import type { ScorecardFacts } from '../../src/domain/metrics-facts.ts';
import { noFacts } from '../support/memory-metrics.ts';

const facts = (overrides: Partial<ScorecardFacts> = {}): ScorecardFacts => ({
  speed: {
    reports: 2,
    total: 28.5,
    reportedToTriaged: 3,
    triagedToApproved: 14.5,
    approvedToReleased: 8.5,
    releasedToDeployed: 6,
  },
  quality: {
    releases: 3,
    clean: 1,
    mostCorrected: { sopKey: 'PICK', corrections: 2 },
    clarity: {
      versions: 3,
      clear: 2,
      mostFindings: { sopKey: 'PICK', version: 'v2.0', findings: 2, rules: ['vague'] },
    },
  },
  tools: { tools: [{ tool: 'Scanner', reports: 2, medianDaysToResolve: 28.5 }], reports: 3, alerted: ['Scanner'] },
  training: {
    trainings: 1,
    teams: [
      { teamId: 1, team: 'Dock', assigned: 6, doneByDue: 3 },
      { teamId: 2, team: 'Office', assigned: 3, doneByDue: 1 },
      { teamId: 3, team: 'Warehouse', assigned: 5, doneByDue: 5 },
    ],
    layers: [],
    auditsBefore: { runs: 4, passed: 2 },
    auditsAfter: { runs: 2, passed: 2 },
  },
  blockers: { openAtEnd: 1, newInWindow: 6 },
  consistency: {
    standards: [{ sopKey: 'SCAN', version: 'v1.1', targets: 2, deployed: 1 }],
    auditPassRates: [
      { sopKey: 'PICK', runs: 4, passed: 1 },
      { sopKey: 'SCAN', runs: 2, passed: 2 },
    ],
  },
  audits: { due: 4, onSchedule: 3, breachDrafts: 2, breachDecided: 1, breachApproved: 1 },
  constraints: {
    active: 2,
    served: 1,
    released: 4,
    servingNone: 1,
    unserved: [{ number: 3, text: 'Cut returns by 10%' }],
  },
  adoption: {
    releases: [{ sopKey: 'SCAN', version: 'v1.1', targets: 2, deployedIn14: 1, audited: 0, passed: 0, people: 11 }],
  },
  ...overrides,
});

const now = new Date('2026-12-03T10:00:00.000Z');
const organisation = { kind: 'organisation' } as const;

describe('metrics windows', () => {
  it('counts 30 and 90 days back from now, and the same length before', () => {
    const w = metricsWindows('30d', now);
    expect(w.current).toEqual({ from: new Date('2026-11-03T10:00:00.000Z'), to: now });
    expect(w.previous).toEqual({
      from: new Date('2026-10-04T10:00:00.000Z'),
      to: new Date('2026-11-03T10:00:00.000Z'),
    });
    expect(metricsWindows('90d', now).current.from).toEqual(new Date('2026-09-04T10:00:00.000Z'));
  });

  it('takes the last whole quarter and the one before, across a new year', () => {
    expect(metricsWindows('quarter', now)).toEqual({
      label: 'Q3 2026',
      current: { from: new Date('2026-07-01T00:00:00.000Z'), to: new Date('2026-10-01T00:00:00.000Z') },
      previous: { from: new Date('2026-04-01T00:00:00.000Z'), to: new Date('2026-07-01T00:00:00.000Z') },
    });
    const january = metricsWindows('quarter', new Date('2027-01-15T00:00:00.000Z'));
    expect(january.label).toBe('Q4 2026');
    expect(january.previous.from).toEqual(new Date('2026-07-01T00:00:00.000Z'));
  });
});

describe('minimum group size', () => {
  const cells = (...people: number[]) => people.map((n) => ({ value: n, people: n }));

  it('hides every cell about fewer people than the minimum', () => {
    expect(shownCells(cells(6, 3, 5, 2), 5, false)).toEqual([true, false, true, false]);
  });

  it('hides one more cell, the smallest, where the total would give one hidden cell away', () => {
    expect(shownCells(cells(6, 3, 5), 5, true)).toEqual([true, false, false]);
  });

  it('keeps hiding until the hidden cells describe at least the minimum together', () => {
    // 2 and 1 hidden (3 people): subtracting would give those 3; the 5 goes too.
    expect(shownCells(cells(9, 2, 1, 5), 5, true)).toEqual([true, false, false, false]);
  });

  it('needs nothing more when nothing is hidden, or when no total is shown', () => {
    expect(shownCells(cells(5, 7), 5, true)).toEqual([true, true]);
    expect(shownCells(cells(5, 2), 5, false)).toEqual([true, false]);
  });
});

describe('the scorecard', () => {
  const windows = metricsWindows('90d', now);
  const card = scorecard(windows, organisation, facts(), facts({ speed: { ...facts().speed, total: 40 } }), 5);
  const byKey = Object.fromEntries(card.figures.map((f) => [f.key, f]));

  it('has the nine figures of seed §9, each with a line on how it is computed', () => {
    expect(card.figures.map((f) => f.key)).toEqual([
      'speed',
      'quality',
      'tools',
      'training',
      'blockers',
      'consistency',
      'audits',
      'constraints',
      'adoption',
    ]);
    for (const f of card.figures) expect(f.how.length).toBeGreaterThan(20);
  });

  it('writes each headline from the facts', () => {
    expect(byKey.speed?.value).toBe('28.5 days');
    expect(byKey.speed?.details[0]).toBe(
      'Reported → triaged 3 days · Triaged → approved 14.5 days · Approved → released 8.5 days · Released → deployed 6 days',
    );
    expect(byKey.quality?.value).toBe('33%');
    expect(byKey.tools?.value).toBe('3 tool reports');
    expect(byKey.blockers?.value).toBe('1 open');
    expect(byKey.blockers?.details).toEqual(['1.9 new per 28 days']);
    expect(byKey.consistency?.value).toBe('50%');
    expect(byKey.consistency?.details).toContain('Audit pass rates spread over 75 points');
    expect(byKey.audits?.value).toBe('75%');
    expect(byKey.constraints?.value).toBe('50%');
    expect(byKey.adoption?.value).toBe('50%');
  });

  it('compares with the previous window: fewer days is better', () => {
    expect(byKey.speed?.previous).toBe('40 days');
    expect(byKey.speed?.trend).toEqual({ direction: 'down', better: true });
    expect(byKey.quality?.trend).toEqual({ direction: 'same', better: undefined });
  });

  it('hides a team of three in training completion, and one more so the total gives nothing away', () => {
    // Office (3) is too few; Warehouse (5) is the smallest other cell, so it goes too; Dock (6) stays.
    expect(byKey.training?.details.slice(0, 3)).toEqual(['Dock: 50%', `Office: ${TOO_FEW}`, `Warehouse: ${TOO_FEW}`]);
    expect(byKey.training?.value).toBe('64%');
  });

  it('says "no data yet" rather than a zero where nothing happened', () => {
    const blank = scorecard(windows, organisation, noFacts(), noFacts(), 5);
    const speed = blank.figures.find((f) => f.key === 'speed');
    expect(speed?.value).toBe('no data yet');
    expect(speed?.trend).toBeUndefined();
    expect(blank.figures.find((f) => f.key === 'training')?.value).toBe('no data yet');
  });

  it('hides every team figure of a team smaller than the minimum, keeping the organisation-wide ones', () => {
    const team = { kind: 'team', teamId: 2, teamName: 'Office' } as const;
    const hidden = hideTeamFigures(scorecard(windows, team, facts(), facts(), 5));
    expect(hidden.scopeLabel).toBe('Office');
    for (const f of hidden.figures) {
      if (f.key === 'audits' || f.key === 'constraints') expect(f.value).not.toBe(TOO_FEW);
      else expect([f.value, f.previous, f.details.length]).toEqual([TOO_FEW, TOO_FEW, 0]);
    }
    expect(hidden.stages.every((s) => s.current === null && s.previous === null)).toBe(true);
  });
});
