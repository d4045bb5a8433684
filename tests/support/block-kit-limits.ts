/**
 * Checks a Slack message (text + blocks) against the Block Kit limits, taking the numbers from the shared
 * slack_block_kit_limits.json where it has them. Returns the problems as `path: what` lines; empty means within limits.
 */
import { readFileSync } from 'node:fs';
import { specPath } from './adaptive-card.ts';

interface LimitEntry {
  surface: string;
  item: string;
  limit: number | string | (number | string)[];
}

const entries = (JSON.parse(readFileSync(specPath('slack_block_kit_limits.json'), 'utf8')) as { limits: LimitEntry[] })
  .limits;

/** The maximum (and minimum, for "1-3000") the JSON gives for `surface` / `item`, else the fallback. */
function limit(surface: string, item: string, fallback: number): { min: number; max: number } {
  const entry = entries.find((e) => e.surface === surface && e.item === item);
  if (typeof entry?.limit === 'number') return { min: 0, max: entry.limit };
  const range = typeof entry?.limit === 'string' ? /^(\d+)-(\d+)$/.exec(entry.limit) : null;
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  return { min: 0, max: fallback };
}

export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: limit('message', 'blocks per message', 50),
  messageText: limit('message', 'text field (chars) before truncation', 40_000),
  blockId: limit('any block', 'block_id (chars)', 255),
  sectionText: limit('section', 'text (chars)', 3000),
  sectionFields: limit('section', 'fields items', 10),
  fieldText: limit('section', 'each field text (chars)', 2000),
  headerText: limit('header', 'text (chars)', 150),
  actionsElements: limit('actions', 'elements', 25),
  contextElements: limit('context', 'elements', 10),
  textObject: limit('text object', 'plain_text / mrkdwn text (chars)', 3000),
  actionId: limit('interactive element', 'action_id (chars)', 255),
  buttonText: limit('button', 'text (chars)', 75),
  buttonValue: limit('button', 'value (chars)', 2000),
  buttonUrl: limit('button', 'url (chars)', 3000),
};

type Json = Record<string, unknown>;

export function blockKitProblems(message: { text?: string; blocks?: unknown[] }): string[] {
  const problems: string[] = [];
  const L = BLOCK_KIT_LIMITS;
  const length = (path: string, value: unknown, { min, max }: { min: number; max: number }) => {
    if (value === undefined) return;
    if (typeof value !== 'string') problems.push(`${path}: not a string`);
    else if (value.length < min || value.length > max) {
      problems.push(`${path}: ${value.length} characters, allowed ${min}-${max}`);
    }
  };
  const count = (path: string, list: unknown, { max }: { max: number }) => {
    if (Array.isArray(list) && list.length > max) problems.push(`${path}: ${list.length} items, at most ${max}`);
  };
  const textObject = (path: string, text: unknown, bounds = L.textObject) => {
    const t = text as Json | undefined;
    if (t === undefined) return;
    if (t.type !== 'plain_text' && t.type !== 'mrkdwn') problems.push(`${path}.type: ${String(t.type)}`);
    length(`${path}.text`, t.text, { min: Math.max(1, bounds.min), max: bounds.max });
  };

  length('text', message.text, L.messageText);
  const blocks = (message.blocks ?? []) as Json[];
  count('blocks', blocks, L.blocksPerMessage);
  blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    length(`${at}.block_id`, block.block_id, L.blockId);
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) problems.push(`${at}: neither text nor fields`);
        textObject(`${at}.text`, block.text, L.sectionText);
        count(`${at}.fields`, block.fields, L.sectionFields);
        ((block.fields ?? []) as Json[]).forEach((f, j) => {
          textObject(`${at}.fields[${j}]`, f, L.fieldText);
        });
        break;
      case 'header':
        if ((block.text as Json | undefined)?.type !== 'plain_text') problems.push(`${at}.text: must be plain_text`);
        textObject(`${at}.text`, block.text, L.headerText);
        break;
      case 'context':
        count(`${at}.elements`, block.elements, L.contextElements);
        ((block.elements ?? []) as Json[]).forEach((e, j) => {
          if (e.type !== 'image') textObject(`${at}.elements[${j}]`, e);
        });
        break;
      case 'actions': {
        count(`${at}.elements`, block.elements, L.actionsElements);
        // Slack refuses a block whose interactive elements share an action_id (the whole message or view fails).
        const seen = new Set<unknown>();
        ((block.elements ?? []) as Json[]).forEach((e, j) => {
          const el = `${at}.elements[${j}]`;
          if (e.action_id !== undefined && seen.has(e.action_id)) {
            problems.push(`${el}.action_id: ${String(e.action_id)} is used twice in one block`);
          }
          seen.add(e.action_id);
          length(`${el}.action_id`, e.action_id, L.actionId);
          if (e.type === 'button') {
            textObject(`${el}.text`, e.text, L.buttonText);
            length(`${el}.value`, e.value, L.buttonValue);
            length(`${el}.url`, e.url, L.buttonUrl);
          }
        });
        break;
      }
      case 'divider':
        break;
      case 'image': {
        // Either a public image_url or an uploaded file (slack_file: { id } or { url }); alt text 1–2000 characters.
        const file = block.slack_file as Json | undefined;
        if (block.image_url === undefined && (file?.id === undefined) === (file?.url === undefined)) {
          problems.push(`${at}: needs image_url or slack_file with one of id and url`);
        }
        length(`${at}.alt_text`, block.alt_text, { min: 1, max: 2000 });
        if (block.title !== undefined) {
          if ((block.title as Json).type !== 'plain_text') problems.push(`${at}.title: must be plain_text`);
          textObject(`${at}.title`, block.title, { min: 1, max: 2000 });
        }
        break;
      }
      default:
        problems.push(`${at}: block type ${String(block.type)} is not checked here`);
    }
  });
  return problems;
}
