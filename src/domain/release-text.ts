/**
 * The text a release gives the next version of a standard (issue 11, seed §8), from the texts its approved change
 * requests propose. Each proposal is a whole text written against the version current then; what it changes against
 * that version is what it brings:
 * - no change of the release proposes a text: the new version keeps the text of the one before;
 * - one does, written against the current version: its text, as proposed;
 * - several do, or one was written against an older version: their changes are combined line by line onto the
 *   current text (`text-merge.ts`), when they touch different lines;
 * - two change the same lines differently (or a proposal and a release since its version): nothing is guessed. The
 *   CoE picks whose text the version takes, as proposed, and the form says what is then left out.
 * Combining rather than taking the last one approved keeps every approved change's lines, and a text written
 * against v1.0 cannot quietly undo v1.1. Pure functions.
 */
import { changeId } from './change.ts';
import { paginate } from './markdown.ts';
import { coeCommand, type MessageBlock } from './message.ts';
import type { ReleaseTextChange } from './release-messages.ts';
import { compareVersions, type SopVersion, versionText } from './sop.ts';
import { changeBlocks } from './sop-text-messages.ts';
import { type LineDiff, lineDiff } from './text-diff.ts';
import { mergeTexts } from './text-merge.ts';

/** A text an approved change request proposes, with the version it was written against and what that one says. */
export interface Proposal {
  change: number;
  text: string;
  /** Undefined: the standard had no version yet. */
  base: SopVersion | undefined;
  baseText: string;
}

/** The version a release replaces: which, and what it says ('' when the bot holds no text for it). */
export interface PreviousText {
  version: SopVersion | undefined;
  text: string;
}

export type NextText =
  /** No change of the release proposes a text: the new version keeps the previous one's. */
  | { kind: 'keep' }
  | {
      kind: 'text';
      text: string;
      /** The change requests whose lines it carries. */
      from: number[];
      /** The one the CoE picked, taken as proposed; `left` are the others, whose lines are not in it. */
      picked?: number;
      left: number[];
      /** Written against an older version: their changes went onto the current text. */
      rebased: number[];
    }
  | {
      kind: 'conflict';
      change: number;
      /** The proposals it clashes with, or `version`: the versions released since the one it was written against. */
      with: number[] | 'version';
      /** The line of the version `change` was written against. */
      line: number;
      against: SopVersion | undefined;
    };

const sameVersion = (a: SopVersion | undefined, b: SopVersion | undefined) =>
  a === undefined || b === undefined ? a === b : compareVersions(a, b) === 0;

/**
 * The next version's text from the proposals of the change requests a release ships. `pick` is a change request
 * the CoE chose to take as proposed (after a conflict, or by choice).
 */
export function assembleText(previous: PreviousText, proposals: readonly Proposal[], pick?: number): NextText {
  const ordered = [...proposals].sort((a, b) => a.change - b.change);
  if (ordered.length === 0) return { kind: 'keep' };
  const picked = ordered.find((p) => p.change === pick);
  if (picked) {
    const left = ordered.filter((p) => p !== picked).map((p) => p.change);
    return { kind: 'text', text: picked.text, from: [picked.change], picked: picked.change, left, rebased: [] };
  }
  let text = previous.text;
  const from: number[] = [];
  const rebased: number[] = [];
  for (const proposal of ordered) {
    const current = sameVersion(proposal.base, previous.version);
    if (!current) rebased.push(proposal.change);
    if (current && from.length === 0) {
      // The common case, taken as written: no line is re-read.
      text = proposal.text;
      from.push(proposal.change);
      continue;
    }
    const merged = mergeTexts(current ? previous.text : proposal.baseText, text, proposal.text);
    if (!merged.ok) {
      const alone = current || mergeTexts(proposal.baseText, previous.text, proposal.text).ok;
      return {
        kind: 'conflict',
        change: proposal.change,
        with: alone ? [...from] : 'version',
        line: merged.line,
        against: proposal.base,
      };
    }
    text = merged.text;
    from.push(proposal.change);
  }
  return { kind: 'text', text, from, left: [], rebased };
}

/**
 * A short fingerprint of what a release would write: the form carries the one it showed, and publishing goes ahead
 * only when it still matches (cyrb53, not a security measure: it tells "what you saw" from "what it is now").
 */
export function textFingerprint(sopKey: string, previous: SopVersion | undefined, next: NextText): string {
  const what = next.kind === 'text' ? next.text : next.kind;
  const input = `${sopKey}\u0000${previous ? versionText(previous) : '-'}\u0000${what}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < input.length; i++) {
    const ch = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** What the release form shows of the next version's text: within a form's room on both platforms. */
const PREVIEW_LIMITS = { slack: 2400, teams: 8000 } as const;

const list = (numbers: readonly number[]) => {
  const ids = numbers.map(changeId);
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
};
const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;
const of = (v: SopVersion | undefined) => (v ? versionText(v) : 'the empty text');

export interface NextTextView {
  key: string;
  /** The version it replaces, if any, and whether the bot holds a text for it. */
  previous: SopVersion | undefined;
  previousHeld: boolean;
  next: SopVersion;
  outcome: NextText;
}

/** What the outcome means, in a sentence or two. */
export function nextTextSummary(view: NextTextView): string {
  const { outcome, next, previous } = view;
  const to = versionText(next);
  switch (outcome.kind) {
    case 'keep':
      return view.previousHeld
        ? `No change in this release proposes a text: ${to} keeps the text of ${of(previous)} as it is.`
        : `No change in this release proposes a text, and the bot holds none for ${of(previous)}: ${to} has none either.`;
    case 'conflict': {
      const id = changeId(outcome.change);
      const where = `line ${outcome.line} of ${of(outcome.against)}`;
      return outcome.with === 'version'
        ? `${id} was written against ${of(outcome.against)}, and ${where} has changed since: its text cannot be combined with ${of(previous)}'s. Pick ${id}'s text as proposed (the lines changed since are then undone), or leave ${id} out of this release.`
        : `${list(outcome.with)} and ${id} change ${where} in different ways, so their texts cannot be combined. Pick whose text ${to} takes as proposed (the others’ lines are then left out), or leave one of them out of this release.`;
    }
    case 'text': {
      if (outcome.picked !== undefined) {
        const left = outcome.left.length > 0 ? ` The text ${list(outcome.left)} proposes is left out.` : '';
        return `${to} takes the text ${changeId(outcome.picked)} proposes, as proposed.${left}`;
      }
      const taken =
        outcome.from.length === 1
          ? `${to} takes the text ${list(outcome.from)} proposes.`
          : `${to} combines the texts ${list(outcome.from)} propose: they change different lines.`;
      const rebased =
        outcome.rebased.length > 0
          ? ` ${list(outcome.rebased)} ${outcome.rebased.length === 1 ? 'was' : 'were'} written against an older version: the lines ${outcome.rebased.length === 1 ? 'it changes' : 'they change'} are applied to ${of(previous)}'s text.`
          : '';
      return `${taken}${rebased}`;
    }
  }
}

/**
 * The release form's view of the next version's text: what it takes and why, then the lines it adds and removes
 * against the version it replaces (as many as fit, and how many more), so the CoE sees the difference before it
 * publishes.
 */
export function nextTextBlocks(view: NextTextView, diff: LineDiff | undefined): MessageBlock[] {
  const blocks: MessageBlock[] = [
    { type: 'paragraph', text: `**The text of ${versionText(view.next)}**` },
    { type: 'paragraph', text: nextTextSummary(view) },
  ];
  if (view.outcome.kind !== 'text' || !diff) return blocks;
  const changed = changeBlocks(diff, { from: of(view.previous), to: versionText(view.next) });
  if (changed.added + changed.removed === 0) {
    blocks.push({ type: 'note', text: `No line differs from ${of(view.previous)}.` });
    return blocks;
  }
  blocks.push({
    type: 'paragraph',
    text: `Against ${of(view.previous)}: ${lines(changed.added)} added, ${lines(changed.removed)} removed.`,
  });
  const [first = []] = paginate(changed.blocks, PREVIEW_LIMITS);
  blocks.push({ type: 'document', blocks: first });
  const shown = first.filter((b) => b.kind === 'change').length;
  const rest = changed.added + changed.removed - shown;
  blocks.push({
    type: 'note',
    text:
      rest > 0
        ? `…and ${lines(rest)} more. Once published, ${coeCommand(view.previous ? `sop diff ${view.key} ${versionText(view.previous)} ${versionText(view.next)}` : `sop show ${view.key} ${versionText(view.next)}`)} shows every one.`
        : 'Lines starting with + are added, lines starting with - are removed.',
  });
  return blocks;
}

/** The line diff the preview and the announcement show: the previous version's text against the next one's. */
export const nextTextDiff = (previous: string, next: NextText) =>
  next.kind === 'text' ? lineDiff(previous, next.text) : undefined;

/** How many changed lines an announcement shows, and how long each may be. */
const ANNOUNCED_LINES = 4;
const ANNOUNCED_LINE_MAX = 160;

/** What a release changed in the text, since `from` (undefined: the standard's first version), as announced. */
export function releaseTextChange(from: SopVersion | undefined, before: string, after: string): ReleaseTextChange {
  const changed = changeBlocks(lineDiff(before, after), { from: '', to: '' });
  const lines: ReleaseTextChange['lines'] = [];
  for (const block of changed.blocks) {
    if (block.kind !== 'change' || lines.length === ANNOUNCED_LINES) continue;
    const text =
      block.text.length <= ANNOUNCED_LINE_MAX ? block.text : `${block.text.slice(0, ANNOUNCED_LINE_MAX - 1)}…`;
    lines.push({ op: block.op, text });
  }
  return { from, added: changed.added, removed: changed.removed, lines };
}
