import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, lineDiff, linesOf } from '../../src/domain/text-diff.ts';

const V1 = [
  '# Scanning',
  '',
  '1. Lead: charge the scanners.',
  '2. Picker: scan each item.',
  '3. Lead: file the count.',
].join('\n');
const V2 = [
  '# Scanning',
  '',
  '1. Lead: charge the scanners at every break.',
  '2. Picker: scan each item.',
  '3. Picker: scan the shelf label.',
  '4. Lead: file the count.',
].join('\n');

describe('the line diff', () => {
  it('gives the added and removed lines, and where each run starts in both texts', () => {
    const diff = lineDiff(V1, V2);
    expect(diff).toEqual({
      added: 3,
      removed: 2,
      approximate: false,
      hunks: [
        {
          oldLine: 3,
          newLine: 3,
          removed: ['1. Lead: charge the scanners.'],
          added: ['1. Lead: charge the scanners at every break.'],
        },
        {
          oldLine: 5,
          newLine: 5,
          removed: ['3. Lead: file the count.'],
          added: ['3. Picker: scan the shelf label.', '4. Lead: file the count.'],
        },
      ],
    });
  });

  it('reads both ways: what one adds the other removes', () => {
    const back = lineDiff(V2, V1);
    expect([back.added, back.removed]).toEqual([2, 3]);
    expect(back.hunks.map((h) => [h.removed, h.added])).toEqual([
      [['1. Lead: charge the scanners at every break.'], ['1. Lead: charge the scanners.']],
      [['3. Picker: scan the shelf label.', '4. Lead: file the count.'], ['3. Lead: file the count.']],
    ]);
  });

  it('finds nothing between equal texts, whatever their line endings and trailing spaces', () => {
    expect(lineDiff(V1, V1)).toEqual({ added: 0, removed: 0, hunks: [], approximate: false });
    expect(lineDiff(V1, `${V1.replace(/\n/g, '  \r\n')}\n`).hunks).toEqual([]);
  });

  it('handles empty texts', () => {
    expect(lineDiff('', '')).toMatchObject({ added: 0, removed: 0 });
    expect(lineDiff('', 'a\nb')).toMatchObject({ added: 2, removed: 0, hunks: [{ oldLine: 1, newLine: 1 }] });
    expect(lineDiff('a\nb', '')).toMatchObject({ added: 0, removed: 2 });
  });

  it('is a shortest edit: the kept lines are a longest common subsequence', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 14 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const { lines: script } = diffLines(a.join('\n'), b.join('\n'));
        // Replaying the script rebuilds both texts.
        expect(script.filter((l) => l.op !== 'added').map((l) => l.text)).toEqual(linesOf(a.join('\n')));
        expect(script.filter((l) => l.op !== 'removed').map((l) => l.text)).toEqual(linesOf(b.join('\n')));
        // And keeps as many lines as any common subsequence can (checked against the textbook table).
        expect(script.filter((l) => l.op === 'same')).toHaveLength(
          lcsLength(linesOf(a.join('\n')), linesOf(b.join('\n'))),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('stays quick on long texts, and says when it gave up pairing lines', () => {
    const long = Array.from({ length: 3000 }, (_, i) => `Line ${i}: the picker scans item ${i}.`);
    const edited = long.map((l, i) => (i % 100 === 0 ? `${l} Changed.` : l));
    const started = Date.now();
    const few = lineDiff(long.join('\n'), edited.join('\n'));
    expect([few.added, few.removed, few.approximate]).toEqual([30, 30, false]);
    const other = Array.from({ length: 3000 }, (_, i) => `Other ${i}`);
    const all = lineDiff(long.join('\n'), other.join('\n'));
    expect([all.added, all.removed, all.approximate]).toEqual([3000, 3000, true]);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = table[i] as number[];
      row[j] =
        a[i - 1] === b[j - 1] ? (table[i - 1]?.[j - 1] ?? 0) + 1 : Math.max(table[i - 1]?.[j] ?? 0, row[j - 1] ?? 0);
    }
  }
  return table[a.length]?.[b.length] ?? 0;
}
