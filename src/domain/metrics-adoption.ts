/**
 * Figure 9, the adoption success rate (seed §9, issue 10): per release, the target teams that pressed Deployed within
 * 14 days and passed their next audit on that version, where one exists (no audit on it yet: the Deployed counts
 * alone), of its target teams. A release's line says how its teams' audits went, so it describes the people of its
 * target teams: under the minimum group it reads "too few to show", and one more line is hidden where the headline
 * would give it away (DOMAIN.md privacy rules). Pure functions; metrics.ts puts them into the scorecard.
 */
import type { AdoptionFacts, AdoptionRelease } from './metrics-facts.ts';
import { shownCells, TOO_FEW } from './metrics-privacy.ts';

export const ADOPTION_HOW =
  'Target teams that pressed Deployed within 14 days and passed their next audit on that version where one exists (no audit yet: Deployed alone), of the target teams of releases whose 14 days ended in the window.';

/** The teams that adopted a release: deployed within 14 days, and did not fail their next audit on it. */
export const adoptedTeams = (r: AdoptionRelease) => r.deployedIn14 - (r.audited - r.passed);

const sum = (releases: readonly AdoptionRelease[], pick: (r: AdoptionRelease) => number) =>
  releases.reduce((n, r) => n + pick(r), 0);

/** The headline's parts; hidden when every release together describes fewer people than the minimum group. */
export function adoptionTotals(f: AdoptionFacts, minGroup: number) {
  const people = sum(f.releases, (r) => r.people);
  return {
    adopted: sum(f.releases, adoptedTeams),
    targets: sum(f.releases, (r) => r.targets),
    hidden: people > 0 && people < minGroup,
  };
}

/** "SCAN v1.1: 1 of 2 teams adopted (2 deployed within 14 days; 1 of 2 passed their next audit on it)". */
function line(r: AdoptionRelease): string {
  const teams = `${adoptedTeams(r)} of ${r.targets} ${r.targets === 1 ? 'team' : 'teams'} adopted`;
  if (r.deployedIn14 === 0) return `${teams} (none deployed within 14 days)`;
  const audits = r.audited === 0 ? 'no audit on it yet' : `${r.passed} of ${r.audited} passed their next audit on it`;
  return `${teams} (${r.deployedIn14} deployed within 14 days; ${audits})`;
}

/** The last five releases' lines, each shown only where its teams' people make a group large enough. */
export function adoptionLines(f: AdoptionFacts, minGroup: number): string[] {
  const totalShown = !adoptionTotals(f, minGroup).hidden;
  const shown = shownCells(
    f.releases.map((r) => ({ value: r, people: r.people })),
    minGroup,
    totalShown,
  );
  return f.releases.map((r, i) => `${r.sopKey} ${r.version}: ${shown[i] ? line(r) : TOO_FEW}`).slice(-5);
}
