/**
 * What people see of the text a change request proposes for its standard (issue 11): how much it changes against
 * the current version, the lines it changes, and the clarity check's advice — the whole advice for the requester,
 * a few findings for the reviewers on the review message, the changed lines page for `status CR-7`. Pure functions.
 */
import type { ClarityFinding } from './clarity.ts';
import { paginate } from './markdown.ts';
import type { MessageBlock } from './message.ts';
import { type SopVersion, versionText } from './sop.ts';
import { changeBlocks, clarityBlocks } from './sop-text-messages.ts';
import type { LineDiff } from './text-diff.ts';

/** The proposed text as the messages need it. */
export interface ProposalView {
  /** The standard's current version, the text is compared with; undefined for a standard with no version yet. */
  current: SopVersion | undefined;
  characters: number;
  /** Current version's text → proposed text. */
  diff: LineDiff;
  /** The clarity check of the proposed text against the current version's. */
  findings: ClarityFinding[];
}

/** Where the proposal is shown, and so how much of it. */
export type ProposalDetail = 'confirmation' | 'review' | 'status';

/** Findings the review message lists before "…and N more". */
const REVIEW_FINDINGS = 3;
/** Room for changed lines: a few on the review message (one Slack section), a page's worth in `status`. */
const LINE_LIMITS = {
  review: { slack: 1200, teams: 4000 },
  status: { slack: 3500, teams: 12_000 },
} as const;

const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;

export function proposalBlocks(view: ProposalView, detail: ProposalDetail): MessageBlock[] {
  const against = view.current ? versionText(view.current) : 'no text yet';
  const to = view.current ? ` against ${against}` : ' (the standard has no text yet)';
  const changed = changeBlocks(view.diff, { from: against, to: 'the proposal' });
  const size = `${view.characters.toLocaleString('en')} characters`;
  const summary =
    changed.added + changed.removed === 0
      ? `**Proposed text of the standard** (${size}): the same lines as ${against}.`
      : `**Proposed text of the standard** (${size})${to}: ${lines(changed.added)} added, ${lines(changed.removed)} removed.`;
  const blocks: MessageBlock[] = [{ type: 'paragraph', text: summary }];
  if (detail !== 'confirmation' && changed.blocks.length > 0) {
    const [first = []] = paginate(changed.blocks, LINE_LIMITS[detail]);
    blocks.push({ type: 'document', blocks: first });
    const rest = changed.added + changed.removed - first.filter((b) => b.kind === 'change').length;
    if (rest > 0) blocks.push({ type: 'note', text: `…and ${lines(rest)} more changed.` });
  }
  blocks.push(...clarityBlocks(view.findings, detail === 'review' ? REVIEW_FINDINGS : undefined));
  return blocks;
}
