/**
 * The next version's text, for the release service (issue 11, seed §8): assembled from the texts the approved change
 * requests of a release propose (src/domain/release-text.ts says how), shown in the release form before it
 * publishes, written with the release in its transaction, and summed up in each announcement. This and a baseline
 * are the only ways a version gets its text. Runs inside the caller's transaction.
 */
import { textClarity } from '../domain/clarity.ts';
import type { MessageBlock } from '../domain/message.ts';
import type { ReleaseTextChange, ReleaseView } from '../domain/release-messages.ts';
import {
  assembleText,
  type NextText,
  nextTextBlocks,
  nextTextDiff,
  nextTextSummary,
  type Proposal,
  releaseTextChange,
  textFingerprint,
} from '../domain/release-text.ts';
import { compareVersions, FIRST_VERSION, type SopVersion, versionText } from '../domain/sop.ts';
import type { Repositories, SopRelease } from '../ports.ts';
import { type CurrentText, currentText } from './change-text.ts';

/** What the release form shows of the next version's text, and the fingerprint it carries back when submitted. */
export interface ReleaseTextPreview {
  blocks: MessageBlock[];
  /** What it takes, in a sentence or two (a conflict's explanation, under the form's text choice). */
  summary: string;
  fingerprint: string;
}

export interface PlannedText {
  previous: CurrentText;
  outcome: NextText;
  preview: ReleaseTextPreview;
}

/** The next version's text from the proposals of `changes` (`pick`: one taken as proposed), with its preview. */
export async function planText(
  repos: Repositories,
  sopKey: string,
  changes: readonly number[],
  next: SopVersion,
  pick?: number,
): Promise<PlannedText> {
  const previous = await currentText(repos, sopKey);
  const proposals: Proposal[] = [];
  for (const proposed of await repos.changeTexts.many(changes)) {
    const base = proposed.base ?? undefined;
    const current = base && previous.version && compareVersions(base, previous.version) === 0;
    const baseText = current ? previous.text : base ? ((await repos.sopTexts.get(sopKey, base))?.text ?? '') : '';
    proposals.push({ change: proposed.changeNumber, text: proposed.text, base, baseText });
  }
  const outcome = assembleText({ version: previous.version, text: previous.text }, proposals, pick);
  const view = { key: sopKey, previous: previous.version, previousHeld: previous.held, next, outcome };
  return {
    previous,
    outcome,
    preview: {
      blocks: nextTextBlocks(view, nextTextDiff(previous.text, outcome)),
      summary: nextTextSummary(view),
      fingerprint: textFingerprint(sopKey, previous.version, outcome),
    },
  };
}

/**
 * Writes the new version's text, once, with the release: the assembled text, or the previous version's kept as it
 * was (with its document link) when no change proposed one. What the announcement says about it comes back.
 */
export async function writeText(
  repos: Repositories,
  sopKey: string,
  version: SopVersion,
  planned: PlannedText,
  byPersonId: number,
): Promise<ReleaseTextChange | undefined> {
  const { previous, outcome } = planned;
  const text = outcome.kind === 'text' ? outcome.text : previous.held ? previous.text : undefined;
  if (text === undefined) return undefined;
  // The clarity check's result is kept with the version, for "quality of standards" in the scorecard.
  const clarity = textClarity(text, previous.held ? previous.text : undefined);
  await repos.sopTexts.add({ sopKey, ...version, text, link: previous.link, createdByPersonId: byPersonId, clarity });
  return releaseTextChange(previous.version, previous.text, text);
}

/** What an announcement says about a release's text (an announcement brought up to date), read back. */
export async function announcedText(repos: Repositories, release: SopRelease): Promise<ReleaseTextChange | undefined> {
  const now = await repos.sopTexts.get(release.sopKey, release);
  if (!now) return undefined;
  const sop = await repos.sops.get(release.sopKey);
  const versions: SopVersion[] = [
    ...(sop?.baseline ? [FIRST_VERSION] : []),
    ...(await repos.sops.releases(release.sopKey)).map((r) => ({ major: r.major, minor: r.minor })),
  ];
  const before = versions
    .filter((v) => compareVersions(v, release) < 0)
    .sort(compareVersions)
    .at(-1);
  const then = before ? await repos.sopTexts.get(release.sopKey, before) : undefined;
  return releaseTextChange(before, then?.text ?? '', now.text);
}

/** What one team's announcement says beyond the release itself, for a team that skipped versions. */
export type TeamCatchUp = Required<Pick<ReleaseView, 'since'>> & Pick<ReleaseView, 'text'>;

/**
 * Per target team that skipped a version (the newest version it said it deployed is older than the one this release
 * replaces): the versions in between, and what the text changed since its version, so its announcement covers every
 * change since the version it works to. Teams that never deployed, or deployed the version before, are not in it:
 * their announcement says what changed since the previous version. `teamIds`: only these of the release's teams (the
 * one that pressed Deployed).
 */
export async function catchUps(
  repos: Repositories,
  release: SopRelease,
  teamIds: readonly number[] = release.teamIds,
): Promise<Map<number, TeamCatchUp>> {
  const found = new Map<number, TeamCatchUp>();
  const deployed = await repos.sops.deployedVersions(release.sopKey, release);
  if (deployed.size === 0) return found;
  // Newest first; a version before the oldest release (a baseline) is never one a team said it deployed.
  const older = (await repos.sops.releases(release.sopKey)).filter((r) => compareVersions(r, release) < 0);
  const [previous] = older;
  if (!previous) return found;
  const now = await repos.sopTexts.get(release.sopKey, release);
  // One text change per version teams work to, however many teams work to it.
  const changes = new Map<string, ReleaseTextChange>();
  for (const teamId of teamIds) {
    const worksTo = deployed.get(teamId);
    if (!worksTo || compareVersions(worksTo, previous) >= 0) continue;
    const skipped = older
      .filter((r) => compareVersions(r, worksTo) > 0)
      .reverse()
      .map((r) => ({ version: { major: r.major, minor: r.minor }, notes: r.notes, changes: r.changes }));
    const catchUp: TeamCatchUp = { since: { worksTo, skipped } };
    if (now) {
      const key = versionText(worksTo);
      let change = changes.get(key);
      if (!change) {
        const then = (await repos.sopTexts.get(release.sopKey, worksTo))?.text ?? '';
        change = releaseTextChange(worksTo, then, now.text);
        changes.set(key, change);
      }
      catchUp.text = change;
    }
    found.set(teamId, catchUp);
  }
  return found;
}
