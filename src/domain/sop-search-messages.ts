/**
 * What finding a standard shows (issue 11): the matches of `sop find <words>` (each with "Share in channel" where the
 * platform can post there), and the card of a standard's current version that a share posts in a channel and Teams'
 * search inserts in a conversation: its title and version, the first part of its text, and how to read the rest.
 * Pure functions.
 */
import { paginate, parseMarkdown } from './markdown.ts';
import { coeCommand, type Message, type MessageBlock, message } from './message.ts';
import { dayText } from './schedule-messages.ts';
import { releaseName, type SopVersion, sopId, versionText } from './sop.ts';
import { moreValue } from './sop-text.ts';
import { SOP_TEXT_ACTIONS } from './sop-text-messages.ts';

/**
 * How much of the text a card shows: a first part that reads at a glance, well within a Slack message and Teams'
 * 28 KB for a search result card (Slack characters, Teams bytes of card JSON, as `PAGE_LIMITS` counts them).
 */
export const FIRST_PART = { slack: 1200, teams: 3000 } as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A query as it is quoted back: one line, clipped, never read as a command token. */
const quoted = (query: string) => `“${clip(query.replace(/\s+/g, ' ').trim(), 80).replace(/\{\{/g, '{\u200b{')}”`;

export interface SearchMatch {
  key: string;
  title: string;
  version: SopVersion;
  /** Around the words found in its text, in bold (`snippet` in sop-search.ts); '' when it has no text. */
  snippet: string;
}

export interface FindOptions {
  /** "Share in channel" under each match: asked in a channel the platform can post the card to (Slack). */
  share: boolean;
  /** Say where the search that inserts a standard's card is (Teams: the message box's CoE app). */
  insertHint: boolean;
}

/** `sop find <words>`: the matches, best first, each its id, version, title and snippet. */
export function findMessage(query: string, matches: readonly SearchMatch[], options: FindOptions): Message {
  if (matches.length === 0) {
    return message(
      `No standard matches ${quoted(query)}. Try other words, or see every standard with ${coeCommand('sop list')}.`,
    );
  }
  const blocks: MessageBlock[] = [
    {
      type: 'paragraph',
      text: `**${matches.length === 1 ? 'One standard matches' : `${matches.length} standards match`} ${quoted(query)}**, current versions:`,
    },
  ];
  for (const m of matches) {
    const name = `**${releaseName(m.key, m.version)}** · ${clip(m.title, 150)}`;
    blocks.push({ type: 'paragraph', text: m.snippet ? `${name}\n${m.snippet}` : name });
    if (options.share) {
      blocks.push({
        type: 'actions',
        actions: [{ id: SOP_TEXT_ACTIONS.share, label: 'Share in channel', value: m.key }],
      });
    }
  }
  const first = matches[0] as SearchMatch;
  blocks.push({
    type: 'note',
    text: `Read one with ${coeCommand(`sop show ${first.key}`)}; it names its earlier versions too.${options.share ? ' Share in channel posts its card here, for everyone.' : ''}`,
  });
  if (options.insertHint) {
    blocks.push({
      type: 'note',
      text: 'To put a standard’s card in a chat or a channel, search for it from the message box: the CoE app’s **Find a standard**.',
    });
  }
  const names = matches.map((m) => releaseName(m.key, m.version)).join(', ');
  return { text: `Standards matching ${quoted(query)}: ${names}`, blocks };
}

export interface StandardCardView {
  key: string;
  title: string;
  version: SopVersion;
  /** Markdown; empty when the version only links to its document. */
  text: string;
  link: string | null;
  /** The day it is shown as current on (the share's, the search's). */
  asOf: Date;
}

/**
 * A standard's current version as a card: its id, version and title, the first part of its text, and how to read the
 * rest (`sop show <key>`; with `readButton`, "Read it" answers the presser privately with the whole version, page by
 * page).
 */
export function standardCard(view: StandardCardView, options: { readButton: boolean }): Message {
  const name = releaseName(view.key, view.version);
  const pages = paginate(parseMarkdown(view.text), FIRST_PART);
  const blocks: MessageBlock[] = [
    { type: 'heading', text: clip(`${name} · ${view.title}`, 150) },
    {
      type: 'note',
      text: `The current version of ${sopId(view.key)} on ${dayText(view.asOf.toISOString().slice(0, 10))}.`,
    },
  ];
  if (view.link) blocks.push({ type: 'paragraph', text: `Document: [${clip(view.link, 200)}](${view.link})` });
  const [first] = pages;
  if (first) blocks.push({ type: 'document', blocks: first });
  else if (!view.link) blocks.push({ type: 'note', text: `The bot holds no text for ${versionText(view.version)}.` });
  const read = coeCommand(`sop show ${view.key}`);
  blocks.push({
    type: 'note',
    text:
      pages.length > 1
        ? `That is the first part. Read it all with ${read}.`
        : `Its history, open changes, training and audits: ${read}.`,
  });
  if (options.readButton && pages.length > 1) {
    const value = moreValue({ kind: 'show', key: view.key, version: view.version, page: 1 });
    blocks.push({ type: 'actions', actions: [{ id: SOP_TEXT_ACTIONS.more, label: 'Read it', value }] });
  }
  return { text: `${name}: ${view.title}`, blocks };
}

/** The line a list of search results shows for a standard before its card is picked (Teams requires one). */
export function standardPreview(match: SearchMatch): { title: string; text: string } {
  const text = match.snippet.replace(/\*\*/g, '');
  return {
    title: clip(`${releaseName(match.key, match.version)} · ${match.title}`, 120),
    text: text ? clip(text, 240) : `The current version of ${sopId(match.key)}.`,
  };
}
