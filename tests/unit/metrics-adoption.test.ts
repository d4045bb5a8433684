/**
 * Figure 9, the adoption success rate (issues 10 and 11): a team adopted a release when it pressed Deployed within 14
 * days and passed its next audit on that version, where one exists; a release's line, which says how its teams'
 * audits went, follows the minimum group, with complementary suppression against the headline.
 */
import { describe, expect, it } from 'vitest';
import { metricsWindows, scorecard, TOO_FEW } from '../../src/domain/metrics.ts';
import { adoptedTeams, adoptionLines, adoptionTotals } from '../../src/domain/metrics-adoption.ts';
import type { AdoptionRelease, ScorecardFacts } from '../../src/domain/metrics-facts.ts';
import { noFacts } from '../support/memory-metrics.ts';

const release = (fields: Partial<AdoptionRelease> & Pick<AdoptionRelease, 'sopKey'>): AdoptionRelease => ({
  version: 'v1.1',
  targets: 2,
  deployedIn14: 2,
  audited: 0,
  passed: 0,
  people: 12,
  ...fields,
});

const withAdoption = (releases: AdoptionRelease[]): ScorecardFacts => ({ ...noFacts(), adoption: { releases } });
const windows = metricsWindows('90d', new Date('2026-11-30T00:00:00.000Z'));
const organisation = { kind: 'organisation' } as const;
const adoptionOf = (now: AdoptionRelease[], before: AdoptionRelease[] = [], minGroup = 5) =>
  scorecard(windows, organisation, withAdoption(now), withAdoption(before), minGroup).figures.find(
    (f) => f.key === 'adoption',
  );

describe('the adoption success rate', () => {
  it('counts a deployed team as adopted unless it failed its next audit on the version', () => {
    // 3 deployed within 14 days; 2 audited since, 1 passed: 3 − (2 − 1) = 2 adopted.
    expect(adoptedTeams(release({ sopKey: 'SCAN', targets: 4, deployedIn14: 3, audited: 2, passed: 1 }))).toBe(2);
    // No audit on it yet: the Deployed counts alone.
    expect(adoptedTeams(release({ sopKey: 'DOCK', targets: 1, deployedIn14: 1 }))).toBe(1);
  });

  it('gives the headline over every release, with a trend, and says how it is computed', () => {
    const figure = adoptionOf(
      [
        release({ sopKey: 'SCAN', targets: 2, deployedIn14: 1, audited: 1, passed: 0, people: 11 }),
        release({ sopKey: 'DOCK', targets: 1, deployedIn14: 1, audited: 1, passed: 1, people: 6 }),
      ],
      [release({ sopKey: 'SCAN', version: 'v1.0', targets: 1, deployedIn14: 1, people: 5 })],
    );
    // Now: SCAN 0 of 2 adopted (its one deployed team failed its audit), DOCK 1 of 1: 1 of 3. Before: 1 of 1.
    expect(figure?.value).toBe('33%');
    expect(figure?.previous).toBe('100%');
    expect(figure?.trend).toEqual({ direction: 'down', better: false });
    expect(figure?.details).toEqual([
      'SCAN v1.1: 0 of 2 teams adopted (1 deployed within 14 days; 0 of 1 passed their next audit on it)',
      'DOCK v1.1: 1 of 1 team adopted (1 deployed within 14 days; 1 of 1 passed their next audit on it)',
    ]);
    expect(figure?.how).toContain('passed their next audit on that version where one exists');
  });

  it('says when no team deployed, and when no audit came yet', () => {
    expect(
      adoptionLines(
        withAdoption([
          release({ sopKey: 'PICK', version: 'v2.0', targets: 1, deployedIn14: 0, people: 6 }),
          release({ sopKey: 'SCAN', targets: 2, deployedIn14: 2, people: 11 }),
        ]).adoption,
        5,
      ),
    ).toEqual([
      'PICK v2.0: 0 of 1 team adopted (none deployed within 14 days)',
      'SCAN v1.1: 2 of 2 teams adopted (2 deployed within 14 days; no audit on it yet)',
    ]);
  });

  it('hides a release whose teams are too few, and one more so that the headline does not give it away', () => {
    const facts = withAdoption([
      release({ sopKey: 'DOCK', targets: 1, deployedIn14: 1, audited: 1, passed: 1, people: 6 }),
      release({ sopKey: 'SCAN', targets: 2, deployedIn14: 1, audited: 1, passed: 0, people: 11 }),
      // Office alone, three people: how its audit went is not shown.
      release({ sopKey: 'PICK', version: 'v2.0', targets: 1, deployedIn14: 1, audited: 1, passed: 0, people: 3 }),
    ]).adoption;
    expect(adoptionLines(facts, 5)).toEqual([
      `DOCK v1.1: ${TOO_FEW}`,
      'SCAN v1.1: 0 of 2 teams adopted (1 deployed within 14 days; 0 of 1 passed their next audit on it)',
      `PICK v2.0: ${TOO_FEW}`,
    ]);
    // The headline (1 of 4) stays: the two hidden lines together describe 9 people.
    expect(adoptionTotals(facts, 5)).toEqual({ adopted: 1, targets: 4, hidden: false });
  });

  it('hides the headline when all the releases together describe fewer people than the minimum group', () => {
    const figure = adoptionOf([release({ sopKey: 'PICK', targets: 1, deployedIn14: 1, people: 3 })]);
    expect(figure?.value).toBe(TOO_FEW);
    expect(figure?.trend).toBeUndefined();
    expect(figure?.details).toEqual([`PICK v1.1: ${TOO_FEW}`]);
    expect(adoptionOf([])?.value).toBe('no data yet');
  });
});
