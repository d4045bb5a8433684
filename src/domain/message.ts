/**
 * A chat message as the core sees it, before any platform renders it: Slack turns it into Block Kit, Teams into an
 * Adaptive Card. Text uses a tiny markdown both can show: **bold**, _italic_, `code` and [label](https://link).
 */
import type { Chart } from './chart.ts';
import type { DocBlock } from './markdown.ts';

export type MessageBlock =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'facts'; facts: Fact[] }
  | { type: 'note'; text: string }
  | { type: 'actions'; actions: MessageAction[] }
  | { type: 'commands'; commands: CommandHelp[]; more?: MoreCommands }
  /** A page of a standard's text (or of a diff), already cut to fit one message on every platform (markdown.ts). */
  | { type: 'document'; blocks: DocBlock[] }
  /** A chart: Slack shows it as a picture (drawn and uploaded before sending), Teams as its chart elements. */
  | { type: 'chart'; chart: Chart }
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
  /** The button opens this address in the browser (a download) instead of coming back to the bot. */
  url?: string;
}

/**
 * A command a person types, as the core names it; each platform writes it its own way: `/coe queue` in Slack, `queue`
 * said to the bot in Teams.
 */
export interface CommandRef {
  /** `coe`: words after `/coe` in Slack; `friction` and `change-request` are commands of their own there. */
  command: 'coe' | 'friction' | 'change-request';
  /** What follows the command: `status FR-12`, `[what happened]`. */
  words?: string;
}

/** One line of a command list: the command, and what it does in a sentence that stands on its own. */
export interface CommandHelp {
  command: CommandRef;
  does: string;
}

/**
 * The rest of a command list, one tap away. Teams folds it into the card (it opens in place); Slack shows `button`,
 * whose press asks the core for the whole list again.
 */
export interface MoreCommands {
  commands: CommandHelp[];
  button: MessageAction;
}

export interface Message {
  /** Plain-text summary: notifications, screen readers, and clients that cannot show the blocks. */
  text: string;
  blocks: MessageBlock[];
}

/**
 * A command inside the core's text, as the reader types it on their platform: `/coe status FR-12` in Slack,
 * `status FR-12` said to the bot in Teams. The core writes this token; each platform's renderer turns it into its own
 * words and style.
 */
export const commandToken = (ref: CommandRef) => `{{${ref.command}${ref.words ? ` ${ref.words}` : ''}}}`;

/** `commandToken` for one of the `/coe` words. */
export const coeCommand = (words: string) => commandToken({ command: 'coe', words });

/** Finds the tokens `commandToken` writes: the command, then its words if any (renderers use it). */
export const COMMAND_TOKEN = /\{\{(coe|friction|change-request)(?: ([^{}]+))?\}\}/g;

/** Replaces every command token in `text` with what `write` makes of its command. */
export function replaceCommands(text: string, write: (ref: CommandRef) => string): string {
  return text.replace(COMMAND_TOKEN, (_token, command: CommandRef['command'], words: string | undefined) =>
    write(words ? { command, words } : { command }),
  );
}

export function message(text: string, ...blocks: MessageBlock[]): Message {
  return { text, blocks: blocks.length > 0 ? blocks : [{ type: 'paragraph', text }] };
}
