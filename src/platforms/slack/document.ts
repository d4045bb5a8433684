/**
 * A page of a standard's text (or of a diff) as Slack mrkdwn sections: headings in bold, lists with their bullets,
 * numbers and checkboxes, quotes, code and changed lines in code blocks, each section within Block Kit's 3,000
 * characters. The page itself was cut to fit one message by the core (src/domain/markdown.ts). Pure functions.
 */
import type { KnownBlock } from '@slack/web-api';
import type { DocBlock, ItemMarker } from '../../domain/markdown.ts';

const SECTION_MAX = 3000;
/** Slack keeps an em space where it drops leading spaces: nested items stay indented. */
const INDENT = '\u2003';
const FENCE = '```';

/** For text shown as typed (code, changed lines): only Slack's three control characters escaped. */
const asTyped = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/```/g, 'ˋˋˋ') || ' ';

function markerOf(marker: ItemMarker, depth: number): string {
  if (marker === 'todo') return '☐';
  if (marker === 'done') return '☑';
  if (marker === 'bullet') return depth === 0 ? '•' : '◦';
  return `${marker}.`;
}

/** One block as a line of mrkdwn (`format` is the renderer's: escaping, bold, links, commands). */
function lineOf(block: Exclude<DocBlock, { kind: 'code' | 'change' }>, format: (text: string) => string): string {
  switch (block.kind) {
    case 'heading':
      // Bold inside bold would close it early.
      return `*${format(block.text.replace(/\*\*/g, ''))}*`;
    case 'paragraph':
      return format(block.text);
    case 'item':
      return `${INDENT.repeat(block.depth)}${markerOf(block.marker, block.depth)} ${format(block.text)}`;
    case 'quote':
      return `>${format(block.text)}`;
    case 'rule':
      return '───────────';
  }
}

/** The page as sections: lines packed up to Slack's limit, code and changes fenced (and re-fenced across sections). */
export function documentSections(blocks: readonly DocBlock[], format: (text: string) => string): KnownBlock[] {
  const sections: string[] = [];
  let current = '';
  const push = (text: string) => {
    if (current !== '' && current.length + 1 + text.length > SECTION_MAX) {
      sections.push(current);
      current = '';
    }
    current = current === '' ? text : `${current}\n${text}`;
  };
  let fenced: string[] = [];
  const closeFence = () => {
    if (fenced.length > 0) push(`${FENCE}\n${fenced.join('\n')}\n${FENCE}`);
    fenced = [];
  };
  const room = SECTION_MAX - 2 * FENCE.length - 2;
  blocks.forEach((block, i) => {
    if (block.kind === 'code' || block.kind === 'change') {
      const text =
        block.kind === 'code' ? asTyped(block.text) : `${block.op === 'added' ? '+' : '-'} ${asTyped(block.text)}`;
      const line = text.slice(0, room);
      if (fenced.join('\n').length + 1 + line.length > room) closeFence();
      fenced.push(line);
      return;
    }
    closeFence();
    if (block.kind === 'heading' && i > 0) push('');
    push(lineOf(block, format).slice(0, SECTION_MAX));
  });
  closeFence();
  if (current.trim() !== '') sections.push(current);
  return sections.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}
