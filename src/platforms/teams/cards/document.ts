/**
 * A page of a standard's text (or of a diff) as Adaptive Card 1.5 elements Teams shows readably: headings as bold
 * TextBlocks (TextBlock markdown has no headings), lists as TextBlock markdown lists ("- a\r- b", "1. a\r2. b"),
 * checkboxes as ☐ / ☑ lines, quotes in an emphasis container, code and changed lines as RichTextBlocks (no markdown,
 * so they show as typed). The page itself was cut to fit one card by the core (src/domain/markdown.ts). Pure.
 */
import type { DocBlock, ItemMarker } from '../../../domain/markdown.ts';

type Element = Record<string, unknown>;

const INDENT = '\u2003';
const HEADING_SIZES = ['Large', 'Medium'] as const;

/** A line that must not read as a markdown list: its marker is followed by a no-break space. */
function markedLine(marker: ItemMarker, depth: number, text: string): string {
  const sign =
    marker === 'todo' ? '☐' : marker === 'done' ? '☑' : marker === 'bullet' ? (depth === 0 ? '•' : '◦') : `${marker}.`;
  return `${INDENT.repeat(depth)}${sign}\u00a0${text}`;
}

const run = (text: string, extra: Element = {}): Element => ({
  type: 'RichTextBlock',
  spacing: 'None',
  inlines: [{ type: 'TextRun', text: text === '' ? '\u00a0' : text, fontType: 'Monospace', ...extra }],
});

/** The page's elements; `format` is the renderer's (commands as words, backticks dropped). */
export function documentElements(blocks: readonly DocBlock[], format: (text: string) => string): Element[] {
  const out: Element[] = [];
  let list: { numbered: boolean; lines: string[] } | undefined;
  let ruled = false;
  const add = (element: Element) => {
    out.push(ruled ? { ...element, separator: true } : element);
    ruled = false;
  };
  const endList = () => {
    if (list) add({ type: 'TextBlock', text: list.lines.join('\r'), wrap: true, spacing: 'Small' });
    list = undefined;
  };
  for (const block of blocks) {
    const listable = block.kind === 'item' && block.depth === 0 && block.marker !== 'todo' && block.marker !== 'done';
    if (listable) {
      const numbered = typeof block.marker === 'number';
      if (list && list.numbered !== numbered) endList();
      list ??= { numbered, lines: [] };
      list.lines.push(`${numbered ? `${block.marker}.` : '-'} ${format(block.text)}`);
      continue;
    }
    endList();
    switch (block.kind) {
      case 'heading':
        add({
          type: 'TextBlock',
          text: format(block.text),
          weight: 'Bolder',
          size: HEADING_SIZES[block.level - 1] ?? 'Default',
          wrap: true,
          spacing: 'Medium',
        });
        break;
      case 'paragraph':
        add({ type: 'TextBlock', text: format(block.text), wrap: true });
        break;
      case 'item':
        add({
          type: 'TextBlock',
          text: markedLine(block.marker, block.depth, format(block.text)),
          wrap: true,
          spacing: 'Small',
        });
        break;
      case 'quote':
        add({
          type: 'Container',
          style: 'emphasis',
          items: [{ type: 'TextBlock', text: format(block.text), wrap: true }],
        });
        break;
      case 'code':
        add(run(block.text));
        break;
      case 'change':
        add(
          block.op === 'added'
            ? run(`+ ${block.text}`, { color: 'Good' })
            : run(`- ${block.text}`, { color: 'Attention' }),
        );
        break;
      case 'rule':
        ruled = true;
        break;
    }
  }
  endList();
  return out;
}
