/**
 * What people read of a standard's text: a version's text a page at a time with "Show more" (`sop show <key>
 * [vX.Y]`), the lines one version adds and removes against another (`sop diff`), and the clarity check's advice on a
 * text. Pure functions.
 */
import type { ClarityFinding } from './clarity.ts';
import { type DocBlock, markdownPages, paginate } from './markdown.ts';
import { coeCommand, type Fact, type Message, type MessageBlock } from './message.ts';
import { compareVersions, releaseName, type SopVersion, sopId, versionText } from './sop.ts';
import { moreValue } from './sop-text.ts';
import type { LineDiff } from './text-diff.ts';

/** Neutral action ids: each platform routes these back to the standards' text service. */
export const SOP_TEXT_ACTIONS = {
  more: 'sop.more',
  /** "Share in channel" under a match of `sop find` (Slack): the current version's card, posted where it was asked. */
  share: 'sop.share',
} as const;

/** How many clarity findings a message lists; the rest are counted. */
export const CLARITY_SHOWN = 10;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface VersionTextView {
  key: string;
  title: string;
  version: SopVersion;
  /** The standard's current version: an older one is said to be older. */
  current: SopVersion | undefined;
  /** Markdown; empty when the version only links to its document. */
  text: string;
  link: string | null;
}

/** A page of a document, its place among the pages, and the button to the next one. */
function pageBlocks(pages: readonly DocBlock[][], page: number, next: (page: number) => string): MessageBlock[] {
  const blocks: MessageBlock[] = [{ type: 'document', blocks: [...(pages[page - 1] ?? [])] }];
  if (pages.length > 1) blocks.push({ type: 'note', text: `Page ${page} of ${pages.length}.` });
  if (page < pages.length) {
    blocks.push({
      type: 'actions',
      actions: [{ id: SOP_TEXT_ACTIONS.more, label: 'Show more', value: next(page + 1) }],
    });
  }
  return blocks;
}

/** How many pages a version's text takes (none when it has no text). */
export const pageCount = (text: string) => markdownPages(text).length;

/**
 * A version's text, page `page` (1-based), with its document's link on the first page and "Show more" while pages
 * are left: what `sop show` adds under a standard's facts, and what `sop show <key> vX.Y` is made of.
 */
export function textBlocks(view: VersionTextView, page = 1): MessageBlock[] {
  const blocks: MessageBlock[] = [];
  if (page === 1 && view.link)
    blocks.push({ type: 'paragraph', text: `Document: [${clip(view.link, 200)}](${view.link})` });
  const pages = markdownPages(view.text);
  if (pages.length === 0) {
    if (!view.link) blocks.push({ type: 'note', text: `The bot holds no text for ${versionText(view.version)}.` });
    return blocks;
  }
  return [
    ...blocks,
    ...pageBlocks(pages, page, (p) => moreValue({ kind: 'show', key: view.key, version: view.version, page: p })),
  ];
}

/** `sop show <key> vX.Y`, and each "Show more" of a version's text. */
export function versionTextMessage(view: VersionTextView, page = 1): Message {
  const name = releaseName(view.key, view.version);
  const pages = pageCount(view.text);
  const where = pages > 1 ? ` (page ${page} of ${pages})` : '';
  const blocks: MessageBlock[] = [{ type: 'heading', text: clip(`${name} · ${view.title}`, 150) }];
  if (page === 1) {
    const older = view.current && compareVersions(view.version, view.current) < 0;
    blocks.push({
      type: 'note',
      text: older
        ? `An earlier version: the current one is ${versionText(view.current as SopVersion)}, shown with ${coeCommand(`sop show ${view.key}`)}.`
        : `The current version of ${sopId(view.key)}.`,
    });
  }
  blocks.push(...textBlocks(view, page));
  return { text: `${name}: ${view.title}${where}`, blocks };
}

export interface DiffView {
  key: string;
  title: string;
  from: SopVersion;
  to: SopVersion;
  diff: LineDiff;
  links: { from: string | null; to: string | null };
}

/**
 * The changed lines as blocks, blank lines left out, each run under where it is: "Line 12 of v1.1" (`labels` name
 * the old text and the new one).
 */
export function changeBlocks(
  diff: LineDiff,
  labels: { from: string; to: string },
): { blocks: DocBlock[]; added: number; removed: number } {
  const blocks: DocBlock[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of diff.hunks) {
    const gone = hunk.removed.filter((l) => l.trim() !== '');
    const came = hunk.added.filter((l) => l.trim() !== '');
    if (gone.length + came.length === 0) continue;
    added += came.length;
    removed += gone.length;
    const at = came.length > 0 ? `Line ${hunk.newLine} of ${labels.to}` : `Line ${hunk.oldLine} of ${labels.from}`;
    blocks.push({ kind: 'heading', level: 4, text: at });
    for (const text of gone) blocks.push({ kind: 'change', op: 'removed', text });
    for (const text of came) blocks.push({ kind: 'change', op: 'added', text });
  }
  return { blocks, added, removed };
}

/** A diff view's changed lines, under the versions' names. */
const diffBlocks = (view: DiffView) =>
  changeBlocks(view.diff, { from: versionText(view.from), to: versionText(view.to) });

const lines = (n: number) => `${n} line${n === 1 ? '' : 's'}`;

/** `sop diff <key> vA vB`: the lines vB adds and removes against vA, a page at a time. */
export function diffMessage(view: DiffView, page = 1): Message {
  const title = `${sopId(view.key)} ${versionText(view.from)} → ${versionText(view.to)}`;
  const { blocks: changes, added, removed } = diffBlocks(view);
  const pages = paginate(changes);
  const summary =
    added + removed === 0
      ? 'No line of the text changed.'
      : `${lines(added)} added, ${lines(removed)} removed${view.diff.approximate ? ' (too many changes to pair lines up: the changed part is shown whole)' : ''}.`;
  const blocks: MessageBlock[] = [{ type: 'heading', text: clip(`${title} · ${view.title}`, 150) }];
  if (page === 1) {
    blocks.push({ type: 'paragraph', text: `**${summary}**` });
    if (view.links.from !== view.links.to) {
      const facts: Fact[] = [
        { label: `Document in ${versionText(view.from)}`, value: view.links.from ?? 'none' },
        { label: `Document in ${versionText(view.to)}`, value: view.links.to ?? 'none' },
      ];
      blocks.push({ type: 'facts', facts: facts.map((f) => ({ ...f, value: clip(f.value, 300) })) });
    }
  }
  if (pages.length > 0) {
    blocks.push(
      ...pageBlocks(pages, page, (p) =>
        moreValue({ kind: 'diff', key: view.key, from: view.from, to: view.to, page: p }),
      ),
    );
  }
  if (page === 1 && pages.length > 0) {
    blocks.push({ type: 'note', text: 'Lines starting with + are added, lines starting with - are removed.' });
  }
  const where = pages.length > 1 ? ` (page ${page} of ${pages.length})` : '';
  return { text: `${title}: ${summary}${where}`, blocks };
}

/** How many pages a diff takes, for checking a "Show more" button's page. */
export const diffPageCount = (view: DiffView) => paginate(diffBlocks(view).blocks).length;

/** The clarity check's advice on a text: what it found and where, or that it found nothing. */
export function clarityBlocks(findings: readonly ClarityFinding[], shown = CLARITY_SHOWN): MessageBlock[] {
  if (findings.length === 0) {
    return [{ type: 'note', text: 'Clarity check: nothing unclear found.' }];
  }
  const n = findings.length;
  const blocks: MessageBlock[] = [
    {
      type: 'paragraph',
      text: `**Clarity check** (advice; the CoE decides): ${n === 1 ? 'one thing' : `${n} things`} a reader could stumble on.`,
    },
    {
      type: 'facts',
      facts: findings.slice(0, shown).map((f) => ({
        label: clip(`${f.where}${f.excerpt ? `: “${f.excerpt}”` : ''}`, 120),
        value: clip(f.reason, 300),
      })),
    },
  ];
  if (n > shown) blocks.push({ type: 'note', text: `…and ${n - shown} more.` });
  return blocks;
}
