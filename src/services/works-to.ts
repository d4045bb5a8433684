/**
 * The version of a standard a team works to (issue 11): the newest version that team said it deployed ("Deployed in
 * my team"), else the standard's baseline. An audit records it for the team it audits, so a result says which version
 * was checked and the scorecard can tell whether a team passed its audit on the version it deployed. Runs inside the
 * caller's transaction.
 */
import { FIRST_VERSION, type SopVersion } from '../domain/sop.ts';
import type { AuditPlan, Repositories } from '../ports.ts';
import { currentVersion } from './standards.ts';

/** What an audit run is recorded against. */
export interface AuditedVersion {
  /** The version audited; undefined only for a standard with no version at all. */
  version: SopVersion | undefined;
  /** The team audited, when there is one team to audit; null otherwise. */
  teamId: number | null;
}

/**
 * Audits have an owner but no team: the team audited is the owner's one team among the standard's target teams (any
 * team one of its releases was sent to), and the version is the one that team works to: its last Deployed, else the
 * baseline, else (no baseline, never deployed) the standard's current version. An owner in no such team, or in
 * several, audits no single team: the run is recorded against the standard's current version, with no team.
 */
export async function auditedVersion(
  repos: Repositories,
  plan: Pick<AuditPlan, 'sopKey' | 'ownerPersonId'>,
): Promise<AuditedVersion> {
  const sop = await repos.sops.get(plan.sopKey);
  const releases = await repos.sops.releases(plan.sopKey);
  const current = currentVersion(sop, releases);
  const targets = new Set(releases.flatMap((r) => r.teamIds));
  const teams = (await repos.teams.teamsOf(plan.ownerPersonId)).filter((id) => targets.has(id));
  const [teamId] = teams;
  if (teams.length !== 1 || teamId === undefined) return { version: current, teamId: null };
  const deployed = (await repos.sops.deployedVersions(plan.sopKey)).get(teamId);
  return { version: deployed ?? (sop?.baseline ? FIRST_VERSION : current), teamId };
}

/** The name of a team not archived, for a message that says whose version was audited. */
export async function teamName(repos: Repositories, teamId: number | null): Promise<string | undefined> {
  if (teamId === null) return undefined;
  const team = await repos.teams.byId(teamId);
  return team && !team.archivedAt ? team.name : undefined;
}
