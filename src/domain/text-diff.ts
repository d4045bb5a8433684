/**
 * What changed between two versions of a text, line by line: Myers' O((N+M)·D) shortest edit script (E. Myers, "An
 * O(ND) Difference Algorithm and Its Variations", 1986) over the lines that differ once the common start and end are
 * set aside. Lines compare after trailing spaces are dropped and line endings unified. Pure functions.
 *
 * Written here rather than taken from npm: it is some sixty lines, the diff of one standard's two versions needs no
 * more, and it keeps the domain free of dependencies.
 */

export type DiffOp = 'same' | 'added' | 'removed';

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line in the old text (same, removed) or the new one (added). */
  line: number;
}

/** A run of changed lines: what went (in the old text from `oldLine`) and what came (in the new one from `newLine`). */
export interface Hunk {
  oldLine: number;
  newLine: number;
  removed: string[];
  added: string[];
}

export interface LineDiff {
  added: number;
  removed: number;
  hunks: Hunk[];
  /** Too many changes to pair lines up: everything between the common start and end counts as replaced. */
  approximate: boolean;
}

/** Beyond this many edits the texts are simply different: the middle is reported as replaced in full. */
const MAX_EDITS = 1000;

export const linesOf = (text: string) =>
  text.length === 0
    ? []
    : text
        .replace(/\r\n?/g, '\n')
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => l.trimEnd());

/** Myers' forward search; the edit script as (op, index) pairs, or undefined past `MAX_EDITS`. */
function editScript(a: readonly string[], b: readonly string[]): DiffLine[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, offset, a, b, d, k);
    }
  }
  return undefined;
}

/** Walks the saved frontiers back from the end: which lines stayed, went and came. */
function backtrack(
  trace: Int32Array[],
  offset: number,
  a: readonly string[],
  b: readonly string[],
  last: number,
  lastK: number,
): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  let k = lastK;
  for (let d = last; d > 0; d--) {
    const v = trace[d] as Int32Array;
    const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK] as number;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      out.push({ op: 'same', text: a[x] as string, line: x + 1 });
    }
    if (down) out.push({ op: 'added', text: b[--y] as string, line: y + 1 });
    else out.push({ op: 'removed', text: a[--x] as string, line: x + 1 });
    k = prevK;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    out.push({ op: 'same', text: a[x] as string, line: x + 1 });
  }
  return out.reverse();
}

/** Every line of both texts, in order, each kept, removed or added. */
export function diffLines(before: string, after: string): { lines: DiffLine[]; approximate: boolean } {
  const a = linesOf(before);
  const b = linesOf(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const head: DiffLine[] = a.slice(0, start).map((text, i) => ({ op: 'same', text, line: i + 1 }));
  const tail: DiffLine[] = a
    .slice(a.length - end)
    .map((text, i) => ({ op: 'same', text, line: a.length - end + i + 1 }));
  const midA = a.slice(start, a.length - end);
  const midB = b.slice(start, b.length - end);
  const script = editScript(midA, midB);
  const shift = (l: DiffLine): DiffLine => ({ ...l, line: l.line + start });
  const middle: DiffLine[] = script
    ? script.map(shift)
    : [
        ...midA.map((text, i): DiffLine => ({ op: 'removed', text, line: start + i + 1 })),
        ...midB.map((text, i): DiffLine => ({ op: 'added', text, line: start + i + 1 })),
      ];
  return { lines: [...head, ...middle, ...tail], approximate: script === undefined };
}

/** What changed, as counts and runs of changed lines, with where each run starts in both texts. */
export function lineDiff(before: string, after: string): LineDiff {
  const { lines, approximate } = diffLines(before, after);
  const hunks: Hunk[] = [];
  let oldLine = 1;
  let newLine = 1;
  let open: Hunk | undefined;
  for (const line of lines) {
    if (line.op === 'same') {
      open = undefined;
      oldLine++;
      newLine++;
      continue;
    }
    if (!open) {
      open = { oldLine, newLine, removed: [], added: [] };
      hunks.push(open);
    }
    if (line.op === 'removed') {
      open.removed.push(line.text);
      oldLine++;
    } else {
      open.added.push(line.text);
      newLine++;
    }
  }
  return {
    added: hunks.reduce((n, h) => n + h.added.length, 0),
    removed: hunks.reduce((n, h) => n + h.removed.length, 0),
    hunks,
    approximate,
  };
}
