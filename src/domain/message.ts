/**
 * A chat message as the core sees it, before any platform renders it: Slack turns it into Block Kit, Teams into an
 * Adaptive Card. Text uses a tiny markdown both can show: **bold**, _italic_, `code` and [label](https://link).
 */
export type MessageBlock =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'facts'; facts: Fact[] }
  | { type: 'note'; text: string }
  | { type: 'actions'; actions: MessageAction[] }
  | { type: 'divider' };

export interface Fact {
  label: string;
  value: string;
}

export interface MessageAction {
  /** Stable action id the platform routes back to the core (see each platform's ids). */
  id: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
  /** The action asks for more input (a reason, a report id) in a form before anything happens. */
  opensForm?: boolean;
}

export interface Message {
  /** Plain-text summary: notifications, screen readers, and clients that cannot show the blocks. */
  text: string;
  blocks: MessageBlock[];
}

/**
 * A `/coe` command as the reader types it on their platform: `/coe status FR-12` in Slack, `status FR-12` said to the
 * bot in Teams. The core writes this token; each platform's renderer turns it into its own words.
 */
export const coeCommand = (words: string) => `{{coe ${words}}}`;

/** Finds the tokens `coeCommand` writes (renderers use it). */
export const COE_COMMAND_TOKEN = /\{\{coe ([^{}]+)\}\}/g;

export function message(text: string, ...blocks: MessageBlock[]): Message {
  return { text, blocks: blocks.length > 0 ? blocks : [{ type: 'paragraph', text }] };
}
