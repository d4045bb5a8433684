/**
 * The core's neutral `Message` as Slack Block Kit. Pure functions: no Slack client, no state.
 */
import type { KnownBlock } from '@slack/web-api';
import { type Chart, chartAltText } from '../../domain/chart.ts';
import {
  type CommandHelp,
  type CommandRef,
  commandToken,
  type Message,
  type MessageAction,
  type MessageBlock,
  replaceCommands,
} from '../../domain/message.ts';
import { documentSections } from './document.ts';
import { SLASH_COMMANDS } from './ids.ts';

// Block Kit limits (../shared/specs/slack_block_kit_limits.json): text is cut rather than rejected by Slack.
const SECTION_TEXT_MAX = 3000;
const HEADER_TEXT_MAX = 150;
const FIELD_TEXT_MAX = 2000;
const BUTTON_TEXT_MAX = 75;
const BUTTON_VALUE_MAX = 2000;
const MESSAGE_TEXT_MAX = 4000;
const FIELDS_PER_SECTION = 10;
const BLOCKS_PER_MESSAGE = 50;
const BUTTONS_PER_ACTIONS = 25;

export type SlackBlock = KnownBlock;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const SLASH: Record<CommandRef['command'], string> = {
  coe: SLASH_COMMANDS.coe,
  friction: SLASH_COMMANDS.friction,
  'change-request': SLASH_COMMANDS.changeRequest,
};

/** A command as it is typed in Slack: `/coe status FR-12`, `/friction [what happened]`. */
export const slackCommand = (ref: CommandRef) => `${SLASH[ref.command]}${ref.words ? ` ${ref.words}` : ''}`;

/** Escapes what Slack treats as control characters, then maps our **bold** / [label](url) to mrkdwn. */
export function mrkdwn(text: string): string {
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<$2|$1>');
  // Commands in code formatting, as people type them (their words were escaped with the rest).
  return replaceCommands(escaped, (ref) => `\`${slackCommand(ref)}\``);
}

export function plain(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The core's words where Slack shows plain text (an input's error): clipped, a command written as it is typed. */
export const plainWithCommands = (text: string, max: number) => plain(replaceCommands(text, slackCommand), max);

/** The picture of each chart, once uploaded (`withCharts`); a chart without one is written out in words. */
export type ChartImages = (chart: Chart) => SlackBlock | undefined;

export function renderMessage(message: Message, images: ChartImages = () => undefined): SlackMessage {
  let blocks = message.blocks.flatMap((block) => renderBlock(block, images));
  if (blocks.length > BLOCKS_PER_MESSAGE) {
    // More blocks than Slack takes (it would refuse the whole message): keep the start and say so.
    blocks = [
      ...blocks.slice(0, BLOCKS_PER_MESSAGE - 1),
      { type: 'context', elements: [{ type: 'mrkdwn', text: '… (shortened: too long for one Slack message)' }] },
    ];
  }
  // The fallback text is mrkdwn too (notifications, clients without blocks): it needs the same escaping.
  return { text: plain(mrkdwn(message.text), MESSAGE_TEXT_MAX), blocks };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: plain(mrkdwn(text), SECTION_TEXT_MAX) } };
}

function renderBlock(block: MessageBlock, images: ChartImages): SlackBlock[] {
  switch (block.type) {
    case 'heading':
      return [{ type: 'header', text: { type: 'plain_text', text: plain(block.text, HEADER_TEXT_MAX), emoji: true } }];
    case 'paragraph':
      return [section(block.text)];
    case 'note':
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: plain(mrkdwn(block.text), SECTION_TEXT_MAX) }] }];
    case 'divider':
      return [{ type: 'divider' }];
    case 'facts': {
      const sections: SlackBlock[] = [];
      for (let i = 0; i < block.facts.length; i += FIELDS_PER_SECTION) {
        sections.push({
          type: 'section',
          fields: block.facts.slice(i, i + FIELDS_PER_SECTION).map((f) => ({
            type: 'mrkdwn',
            text: plain(`*${mrkdwn(f.label)}*\n${mrkdwn(f.value)}`, FIELD_TEXT_MAX),
          })),
        });
      }
      return sections;
    }
    case 'actions':
      return buttons(block.actions);
    case 'commands':
      // Slack cannot fold the rest into the message: a button asks for it, and the answer replaces this one.
      return [...commandSections(block.commands), ...(block.more ? buttons([block.more.button]) : [])];
    case 'document':
      return documentSections(block.blocks, mrkdwn);
    case 'chart': {
      // Drawn and uploaded by `withCharts` before sending; where that could not happen, its figures in words.
      const image = images(block.chart);
      return [image ?? section(chartAltText(block.chart))];
    }
  }
}

function buttons(actions: readonly MessageAction[]): SlackBlock[] {
  return actionRows(actions).map((row) => ({
    type: 'actions',
    elements: row.map((a) => ({
      type: 'button',
      action_id: a.id,
      text: { type: 'plain_text', text: plain(a.label, BUTTON_TEXT_MAX), emoji: true },
      // A link button opens its address; Slack still tells the app it was pressed.
      ...(a.url ? { url: a.url } : { value: plain(a.value, BUTTON_VALUE_MAX) }),
      ...(a.style ? { style: a.style } : {}),
    })),
  }));
}

/** One line per command (`/coe queue` — what it does), in as few sections as their text limit allows. */
function commandSections(commands: readonly CommandHelp[]): SlackBlock[] {
  const sections: string[] = [];
  for (const c of commands) {
    const line = plain(`${mrkdwn(commandToken(c.command))} — ${mrkdwn(c.does)}`, SECTION_TEXT_MAX);
    const last = sections.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= SECTION_TEXT_MAX)
      sections[sections.length - 1] = `${last}\n${line}`;
    else sections.push(line);
  }
  return sections.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

/**
 * Buttons in rows Slack takes: at most 25 a block, and never two with one action_id in a block (Slack refuses the
 * whole message or view). Buttons of one kind ("+1 FR-2 instead", "+1 FR-5 instead") each start a row of their own.
 */
function actionRows<A extends { id: string }>(actions: readonly A[]): A[][] {
  const rows: A[][] = [];
  let row: A[] = [];
  for (const action of actions) {
    if (row.length === BUTTONS_PER_ACTIONS || row.some((a) => a.id === action.id)) {
      rows.push(row);
      row = [];
    }
    row.push(action);
  }
  if (row.length > 0) rows.push(row);
  return rows;
}
