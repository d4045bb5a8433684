/**
 * The core's neutral `Message` as Slack Block Kit. Pure functions: no Slack client, no state.
 */
import type { KnownBlock } from '@slack/web-api';
import type { Message, MessageBlock } from '../../domain/message.ts';

// Block Kit limits (../shared/specs/slack_block_kit_limits.json): text is cut rather than rejected by Slack.
const SECTION_TEXT_MAX = 3000;
const HEADER_TEXT_MAX = 150;
const FIELD_TEXT_MAX = 2000;
const BUTTON_TEXT_MAX = 75;
const BUTTON_VALUE_MAX = 2000;
const MESSAGE_TEXT_MAX = 4000;
const FIELDS_PER_SECTION = 10;

export type SlackBlock = KnownBlock;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Escapes what Slack treats as control characters, then maps our **bold** / [label](url) to mrkdwn. */
export function mrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<$2|$1>');
}

export function plain(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function renderMessage(message: Message): SlackMessage {
  return { text: plain(message.text, MESSAGE_TEXT_MAX), blocks: message.blocks.flatMap(renderBlock) };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: plain(mrkdwn(text), SECTION_TEXT_MAX) } };
}

function renderBlock(block: MessageBlock): SlackBlock[] {
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
      return [
        {
          type: 'actions',
          elements: block.actions.map((a) => ({
            type: 'button',
            action_id: a.id,
            text: { type: 'plain_text', text: plain(a.label, BUTTON_TEXT_MAX), emoji: true },
            value: plain(a.value, BUTTON_VALUE_MAX),
            ...(a.style ? { style: a.style } : {}),
          })),
        },
      ];
  }
}
