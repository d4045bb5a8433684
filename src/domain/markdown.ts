/**
 * A standard's text as it is written (Markdown: headings, paragraphs, lists, checkboxes, quotes, code, rules, tables),
 * read into neutral blocks each platform can show, and cut into pages that fit one Slack message and one Teams card
 * with room to spare. Inline text keeps the core's tiny markdown (**bold**, _italic_, `code`, [label](https://…)).
 * Pure functions.
 */

/** A list item's marker: a bullet, its number, or a checkbox ("- [ ]" open, "- [x]" done). */
export type ItemMarker = 'bullet' | 'todo' | 'done' | number;

export type DocBlock =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'item'; marker: ItemMarker; depth: number; text: string }
  | { kind: 'quote'; text: string }
  /** One line of code or configuration, shown as typed. */
  | { kind: 'code'; text: string }
  | { kind: 'rule' }
  /** One line a new version adds or removes, shown as typed (`sop diff`). */
  | { kind: 'change'; op: 'added' | 'removed'; text: string };

/**
 * What one page may hold, measured two ways, each with room for the rest of the message around it:
 * - `slack`: characters once Slack's escaping is done (Slack refuses messages whose blocks add up to about 12,000);
 * - `teams`: bytes of card JSON (Teams refuses messages over about 28 KB).
 */
export const PAGE_LIMITS = { slack: 4500, teams: 16_000 } as const;
/** Longest piece of one block (a section of Slack text is at most 3,000 characters). */
const PIECE_MAX = 2000;
/** Room each block takes besides its text: a marker and a line break in Slack, an element's JSON in Teams. */
const SLACK_PER_BLOCK = 12;
const TEAMS_PER_BLOCK = 160;
const MAX_DEPTH = 3;

const textOf = (block: DocBlock) => (block.kind === 'rule' ? '' : block.text);

/** Characters the text takes in Slack once `&`, `<` and `>` are escaped. */
export function slackCost(text: string): number {
  let cost = 0;
  for (const ch of text) cost += ch === '&' ? 5 : ch === '<' || ch === '>' ? 4 : 1;
  return cost;
}

/** Bytes the text takes in card JSON: UTF-8, with `"`, `\` and line breaks escaped. */
export function teamsCost(text: string): number {
  let cost = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\' || ch === '\n' || ch === '\r' || ch === '\t') cost += 2;
    else if (code < 0x20) cost += 6;
    else cost += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return cost;
}

export const blockCost = (block: DocBlock) => ({
  slack: slackCost(textOf(block)) + SLACK_PER_BLOCK,
  teams: teamsCost(textOf(block)) + TEAMS_PER_BLOCK,
});

/** Marks an escaped character set aside while emphasis is read (a private-use character, taken out of any text). */
const SET_ASIDE = '\ue000';
const SET_ASIDE_AGAIN = /\ue000(\d+)\ue000/g;

/**
 * Inline Markdown as the core writes it: `__bold__` → `**bold**`, `*italic*` → `_italic_`, images as links, autolinks
 * as links, backslash escapes and strikethrough dropped. Code spans are left as they are. `{{` is broken up so a
 * standard's text can never read as one of the core's command tokens.
 */
export function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      // Escaped characters are set aside first, so `\*` never starts emphasis.
      const escaped: string[] = [];
      return part
        .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, (_m, ch: string) => `${SET_ASIDE}${escaped.push(ch) - 1}${SET_ASIDE}`)
        .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, alt: string, url: string) => `[${alt || url}](${url})`)
        .replace(/<(https?:\/\/[^>\s]+)>/g, '[$1]($1)')
        .replace(/__(?=\S)(.+?)(?<=\S)__/g, '**$1**')
        .replace(/(^|[^*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)/g, '$1_$2_')
        .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
        .replace(SET_ASIDE_AGAIN, (_m, n: string) => escaped[Number(n)] ?? '');
    })
    .join('')
    .replace(/\{\{/g, '{\u200b{');
}

/** Control characters out (tabs become spaces), line endings unified. */
function clean(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, '    ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: taking control characters out is the point.
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\ue000]/g, '')
  );
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const ATX = /^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const RULE = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function itemOf(match: RegExpExecArray): DocBlock {
  const depth = Math.min(MAX_DEPTH, Math.floor((match[1] ?? '').length / 2));
  const bullet = match[2] ?? '-';
  let text = match[3] ?? '';
  let marker: ItemMarker = /^\d/.test(bullet) ? Number.parseInt(bullet, 10) : 'bullet';
  const box = /^\[([ xX])\]\s+(.*)$/.exec(text);
  if (box && marker === 'bullet') {
    marker = box[1] === ' ' ? 'todo' : 'done';
    text = box[2] ?? '';
  }
  return { kind: 'item', marker, depth, text: inline(text.trim()) };
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => inline(c.trim()));

/** Reads Markdown into blocks, in order. Anything it does not know is a paragraph; nothing is dropped. */
export function parseMarkdown(markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = clean(markdown).split('\n');
  let paragraph: string[] = [];
  /** The item or quote the next line may continue (a line right under it, not after a blank line). */
  let open: DocBlock | undefined;
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: inline(paragraph.join(' ')) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph();
      open = undefined;
      const closing = new RegExp(`^\\s{0,3}${(fence[1] as string)[0] === '`' ? '`' : '~'}{${fence[1]?.length},}\\s*$`);
      for (i++; i < lines.length && !closing.test(lines[i] as string); i++) {
        blocks.push({ kind: 'code', text: (lines[i] as string).trimEnd() });
      }
      continue;
    }
    if (line.trim() === '') {
      endParagraph();
      open = undefined;
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && paragraph.length > 0) {
      blocks.push({ kind: 'heading', level: setext[1]?.startsWith('=') ? 1 : 2, text: inline(paragraph.join(' ')) });
      paragraph = [];
      continue;
    }
    const atx = ATX.exec(line);
    const rule = RULE.test(line);
    const item = ITEM.exec(line);
    const quote = QUOTE.exec(line);
    const table = TABLE_ROW.test(line);
    const startsBlock = atx || rule || item || quote || table;
    if (!startsBlock && open && paragraph.length === 0) {
      // A line right under an item or a quote carries on its text.
      if (open.kind === 'item' || open.kind === 'quote') open.text = `${open.text} ${inline(line.trim())}`;
      continue;
    }
    if (!startsBlock) {
      paragraph.push(line.trim());
      continue;
    }
    endParagraph();
    open = undefined;
    if (atx) {
      blocks.push({ kind: 'heading', level: atx[1]?.length ?? 1, text: inline(atx[2] ?? '') });
    } else if (rule) {
      blocks.push({ kind: 'rule' });
    } else if (item) {
      open = itemOf(item);
      blocks.push(open);
    } else if (quote) {
      const last = blocks.at(-1);
      if (last?.kind === 'quote' && lines[i - 1]?.trim() !== '') last.text = `${last.text} ${inline(quote[1] ?? '')}`;
      else blocks.push({ kind: 'quote', text: inline(quote[1] ?? '') });
      open = blocks.at(-1);
    } else if (!TABLE_RULE.test(line)) {
      // A table row reads as its cells in a line; the header row (the one above the |---| rule) in bold.
      const header = TABLE_RULE.test(lines[i + 1] ?? '');
      const row = cells(line).join(' · ');
      blocks.push({ kind: 'paragraph', text: header ? `**${row}**` : row });
    }
  }
  endParagraph();
  return blocks.filter((b) => b.kind !== 'heading' || b.text !== '');
}

/** Cuts text at the last space before `max` (or at `max` when there is none), so each piece stays readable. */
function splitText(text: string, fits: (piece: string) => boolean): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (!fits(rest)) {
    let end = Math.min(rest.length, PIECE_MAX);
    while (end > 1 && !fits(rest.slice(0, end))) end = Math.floor(end * 0.8);
    const space = rest.lastIndexOf(' ', end);
    const cut = space > end / 2 ? space : end;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

/** A block too long for one piece, as several: the first keeps its kind, the rest go on as paragraphs. */
function pieces(block: DocBlock): DocBlock[] {
  if (block.kind === 'rule') return [block];
  const fits = (piece: string) => piece.length <= PIECE_MAX && slackCost(piece) <= PIECE_MAX;
  if (fits(block.text)) return [block];
  return splitText(block.text, fits).map((text, i) => {
    if (i === 0 || block.kind === 'code' || block.kind === 'change' || block.kind === 'quote') {
      return { ...block, text };
    }
    return { kind: 'paragraph', text };
  });
}

/**
 * The blocks in pages, in order: each page within `PAGE_LIMITS` on both platforms. A heading never ends a page: it
 * moves to the next one with what it heads.
 */
export function paginate(
  blocks: readonly DocBlock[],
  limits: { slack: number; teams: number } = PAGE_LIMITS,
): DocBlock[][] {
  const pages: DocBlock[][] = [];
  let page: DocBlock[] = [];
  let used = { slack: 0, teams: 0 };
  for (const block of blocks.flatMap(pieces)) {
    const cost = blockCost(block);
    if (page.length > 0 && (used.slack + cost.slack > limits.slack || used.teams + cost.teams > limits.teams)) {
      // Headings at the end of a full page go over with what follows them.
      const carried: DocBlock[] = [];
      while (page.length > 1 && page.at(-1)?.kind === 'heading') carried.unshift(page.pop() as DocBlock);
      pages.push(page);
      page = carried;
      used = carried.reduce(
        (sum, b) => ({ slack: sum.slack + blockCost(b).slack, teams: sum.teams + blockCost(b).teams }),
        { slack: 0, teams: 0 },
      );
    }
    page.push(block);
    used = { slack: used.slack + cost.slack, teams: used.teams + cost.teams };
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** The text's pages, from its Markdown. An empty text has no page. */
export const markdownPages = (markdown: string) => paginate(parseMarkdown(markdown));
