/**
 * Finding the current standard where people work (issue 11): the words a search looks for, and the snippet a match
 * shows of its current version's text, around the first word found there. Pure functions.
 */
import { normaliseSopKey } from './sop.ts';

export const SEARCH_LIMITS = {
  /** What is read of a query, and how many of its words count. */
  query: 200,
  words: 8,
  wordLength: 60,
  /** Matches one search shows. */
  results: 10,
  /** A snippet's length at most, and the part of it kept before the word found. */
  snippet: 220,
  before: 70,
} as const;

/** Punctuation around a word, as in a sentence ("scanner," or "(forms)"); `%`, `_`, `#` and the like stay. */
const EDGE = /^[.,;:!?"'“”‘’«»()[\]{}<>*]+|[.,;:!?"'“”‘’«»()[\]{}<>*]+$/g;

/**
 * What a search looks for: the query's words in lower case, without the punctuation around them and without the
 * `SOP-` of a standard's id (`SOP-inventory-scanning` finds `inventory-scanning`), each once; one-letter words only
 * when nothing longer was typed (an "a" would match every standard).
 */
export function searchWords(query: string): string[] {
  const all = query
    .slice(0, SEARCH_LIMITS.query)
    .normalize('NFC')
    .toLowerCase()
    .split(/\s+/)
    .map((w) =>
      w
        .replace(EDGE, '')
        .replace(/^sop-(?=\S)/, '')
        .slice(0, SEARCH_LIMITS.wordLength),
    )
    .filter((w) => w.length > 0);
  const long = all.filter((w) => w.length > 1);
  return [...new Set(long.length > 0 ? long : all)].slice(0, SEARCH_LIMITS.words);
}

/** The words as a standard's key: a standard of exactly this key is the best match. */
export const searchKey = (words: readonly string[]) => normaliseSopKey(words.join(' '));

/**
 * Markdown's marks out of a piece of a standard's text, in one line: headings' and lists' markers, checkboxes,
 * emphasis, links' addresses (their labels stay), quotes, fences and table bars. `{{` is broken up, as everywhere a
 * standard's text is shown, so it never reads as one of the core's command tokens.
 */
export function plainLine(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)\s]*\)?/g, '$1')
    .replace(/\]\([^)\s]*\)?/g, ' ')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/[*`~|[\]]+/g, ' ')
    .replace(/(^|\s)_+|_+(?=\s|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .replace(/\{\{/g, '{\u200b{')
    .trim();
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The words of `text` that hold one of `words` in bold, whole ("scan" bolds "**scanners**"): Slack shows bold only
 * around whole words.
 */
export function boldWords(text: string, words: readonly string[]): string {
  const usable = words.filter((w) => w.trim() !== '').sort((a, b) => b.length - a.length);
  if (usable.length === 0) return text;
  const pattern = new RegExp(`[\\p{L}\\p{N}]*(?:${usable.map(escapeRegExp).join('|')})[\\p{L}\\p{N}]*`, 'giu');
  return text.replace(pattern, (word) => `**${word}**`);
}

/** A part of `text` starting at a word boundary at or after `from`, ending at one at or before `to`. */
function between(text: string, from: number, to: number): { part: string; start: number; end: number } {
  let start = from;
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space >= 0 && space < from + 20 ? space + 1 : start;
  }
  let end = Math.min(text.length, to);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    end = space > start + (to - from) / 2 ? space : end;
  }
  return { part: text.slice(start, end).trim(), start, end };
}

/**
 * What a match shows of its text: about 200 characters around the first of the words found in `excerpt` (a window
 * of the text starting at `excerptAt`), else its first ones; "…" where it is cut, the words in bold. Empty when the
 * version has no text.
 */
export function snippet(
  excerpt: string,
  words: readonly string[],
  place: { excerptAt: number; textLength: number },
): string {
  const line = plainLine(excerpt);
  if (line === '') return '';
  const lower = line.toLowerCase();
  const found = words.map((w) => lower.indexOf(w)).filter((i) => i >= 0);
  const at = found.length > 0 ? Math.min(...found) : 0;
  const from = Math.max(0, at - SEARCH_LIMITS.before);
  const { part, start, end } = between(line, from, from + SEARCH_LIMITS.snippet);
  const cutBefore = start > 0 || place.excerptAt > 0;
  const cutAfter = end < line.length || place.excerptAt + excerpt.length < place.textLength;
  return `${cutBefore ? '…' : ''}${boldWords(part, words)}${cutAfter ? '…' : ''}`;
}
