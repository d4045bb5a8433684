/**
 * Combining two edits of one text, line by line (a three-way merge, as `diff3` does it): each side's changes against
 * the text both started from are applied together when they touch different lines; when both change the same lines
 * differently, nothing is guessed and the first such line is named. Pure functions, on `text-diff.ts`.
 */
import { diffLines, linesOf } from './text-diff.ts';

/** Base lines [start, end) replaced by `lines` (0-based; start === end: an insertion before line `start`). */
interface Edit {
  start: number;
  end: number;
  lines: string[];
}

export type MergeResult =
  | { ok: true; text: string }
  /** Both sides change this line of the base (1-based) in different ways. */
  | { ok: false; line: number };

/** The runs of changed lines that turn `base` into `other`, in base order. */
function editsOf(base: string, other: string): Edit[] {
  const edits: Edit[] = [];
  let at = 0;
  let open: Edit | undefined;
  for (const line of diffLines(base, other).lines) {
    if (line.op === 'same') {
      open = undefined;
      at++;
      continue;
    }
    if (!open) {
      open = { start: at, end: at, lines: [] };
      edits.push(open);
    }
    if (line.op === 'removed') {
      at++;
      open.end = at;
    } else open.lines.push(line.text);
  }
  return edits;
}

const same = (a: Edit, b: Edit) =>
  a.start === b.start &&
  a.end === b.end &&
  a.lines.length === b.lines.length &&
  a.lines.every((l, i) => l === b.lines[i]);

/** Two edits that cannot both apply as they are: they overlap, or both start at the same line. */
const clash = (a: Edit, b: Edit) => a.start === b.start || (a.start < b.end && b.start < a.end);

/**
 * `ours` and `theirs`, two edits of `base`, as one text: every change either side made, or the first line both
 * change differently. A change both sides made alike is taken once. Lines compare as `text-diff.ts` reads them
 * (line endings unified, trailing spaces dropped).
 */
export function mergeTexts(base: string, ours: string, theirs: string): MergeResult {
  const lines = linesOf(base);
  const all = [
    ...editsOf(base, ours).map((edit) => ({ edit, side: 0 })),
    ...editsOf(base, theirs).map((edit) => ({ edit, side: 1 })),
  ].sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.side - b.side);
  const out: string[] = [];
  let at = 0;
  let last: { edit: Edit; side: number } | undefined;
  for (const next of all) {
    // Edits of one side never overlap, and an edit that clears the last one clears every earlier one too.
    if (last && last.side !== next.side && clash(last.edit, next.edit)) {
      if (same(last.edit, next.edit)) continue;
      return { ok: false, line: Math.min(last.edit.start, next.edit.start) + 1 };
    }
    out.push(...lines.slice(at, next.edit.start), ...next.edit.lines);
    at = next.edit.end;
    last = next;
  }
  out.push(...lines.slice(at));
  return { ok: true, text: out.join('\n') };
}
