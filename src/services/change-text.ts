/**
 * The text of its standard a change request proposes (issue 11): kept with the request (against the version current
 * then), replaced by a revision, and shown with the clarity check's advice to the requester and the reviewers. It
 * advises; nothing is blocked. Runs inside the caller's transaction; used by the change and release services.
 */

import type { ProposalView } from '../domain/change-text-messages.ts';
import { checkClarity } from '../domain/clarity.ts';
import type { SopVersion } from '../domain/sop.ts';
import { lineDiff } from '../domain/text-diff.ts';
import type { ChangeRequest, Repositories } from '../ports.ts';
import { currentVersion } from './standards.ts';

/** A standard's current version and what it says ('' and `held: false` when the bot holds no text for it). */
export interface CurrentText {
  version: SopVersion | undefined;
  text: string;
  link: string | null;
  held: boolean;
}

export async function currentText(repos: Repositories, sopKey: string): Promise<CurrentText> {
  const sop = await repos.sops.get(sopKey);
  const version = currentVersion(sop, await repos.sops.releases(sopKey));
  const row = version ? await repos.sopTexts.get(sopKey, version) : undefined;
  return { version, text: row?.text ?? '', link: row?.link ?? null, held: row !== undefined };
}

/**
 * Keeps what a request proposes, against the standard's current version: a new request's text, or a revision's
 * (which replaces the one before, or takes it away when the field was emptied).
 */
export async function keepProposal(
  repos: Repositories,
  change: Pick<ChangeRequest, 'number' | 'sopKey'>,
  text: string | undefined,
): Promise<void> {
  const base = text ? (await currentText(repos, change.sopKey)).version : undefined;
  await repos.changeTexts.put(change.number, text ?? null, base ?? null);
}

/** What a request proposes as the messages show it, or undefined when it proposes nothing (or was released). */
export async function proposalView(repos: Repositories, change: ChangeRequest): Promise<ProposalView | undefined> {
  if (change.status === 'released') return undefined;
  const proposed = await repos.changeTexts.get(change.number);
  if (!proposed) return undefined;
  const current = await currentText(repos, change.sopKey);
  return {
    current: current.version,
    characters: proposed.text.length,
    diff: lineDiff(current.text, proposed.text),
    findings: checkClarity(proposed.text, current.held ? current.text : undefined),
  };
}
