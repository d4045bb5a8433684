/**
 * The next version's text from the texts approved change requests propose (issue 11): the line merge it rests on,
 * how proposals are combined or refused, the fingerprint the release form carries, what the form shows, and what an
 * announcement says about the text. Pure functions.
 */
import { describe, expect, it } from 'vitest';
import type { MessageBlock } from '../../src/domain/message.ts';
import {
  assembleText,
  type NextText,
  nextTextBlocks,
  nextTextDiff,
  nextTextSummary,
  type Proposal,
  releaseTextChange,
  textFingerprint,
} from '../../src/domain/release-text.ts';
import { mergeTexts } from '../../src/domain/text-merge.ts';
import { longStandard } from '../support/standard-texts.ts';

const V10 = { major: 1, minor: 0 };
const V11 = { major: 1, minor: 1 };
const V12 = { major: 1, minor: 2 };

const BASE = [
  '# Scanning',
  '',
  '1. Lead: charge the scanners.',
  '2. Picker: scan each item.',
  '3. Picker: file the count.',
].join('\n');
const edit = (from: string, to: string, text = BASE) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

const proposal = (change: number, text: string, base = V10, baseText = BASE): Proposal => ({
  change,
  text,
  base,
  baseText,
});

const blocksText = (blocks: MessageBlock[]) => JSON.stringify(blocks);

describe('merging two edits of one text', () => {
  it('keeps every change when they touch different lines', () => {
    const ours = edit('charge the scanners.', 'charge the scanners at every break.');
    const theirs = edit('file the count.', 'file the count in the WMS.');
    expect(mergeTexts(BASE, ours, theirs)).toEqual({
      ok: true,
      text: edit('file the count.', 'file the count in the WMS.', ours),
    });
    // Insertions at both ends, a deletion in the middle.
    const top = `Purpose: counts that add up.\n${BASE}`;
    const gone = BASE.replace('2. Picker: scan each item.\n', '');
    const end = `${BASE}\n4. Lead: sign the sheet.`;
    const first = mergeTexts(BASE, top, gone);
    expect(first).toEqual({ ok: true, text: `Purpose: counts that add up.\n${gone}` });
    expect(mergeTexts(BASE, first.ok ? first.text : '', end)).toEqual({
      ok: true,
      text: `Purpose: counts that add up.\n${gone}\n4. Lead: sign the sheet.`,
    });
    expect(mergeTexts(BASE, gone, end)).toEqual({ ok: true, text: `${gone}\n4. Lead: sign the sheet.` });
  });

  it('takes a change both sides made alike once, and names the first line both change differently', () => {
    const same = edit('scan each item.', 'scan each item and its shelf.');
    expect(mergeTexts(BASE, same, same)).toEqual({ ok: true, text: same });
    const other = edit('scan each item.', 'scan every item twice.');
    expect(mergeTexts(BASE, same, other)).toEqual({ ok: false, line: 4 });
    // An insertion inside a run the other side replaced clashes too.
    const replaced = edit('1. Lead: charge the scanners.\n2. Picker: scan each item.', '1. Lead: charge and scan.');
    const inserted = edit('2. Picker: scan each item.', '1b. Lead: test a scan.\n2. Picker: scan each item.');
    expect(mergeTexts(BASE, replaced, inserted)).toMatchObject({ ok: false });
  });

  it('merges long texts (thousands of lines) without guessing', () => {
    const long = longStandard(40_000);
    const a = long.replace('bay.1.timeout = 30s', 'bay.1.timeout = 45s');
    const b = long.replace('| Dock 9 | Receiving lead |', '| Dock 9 | Shift lead |');
    const merged = mergeTexts(long, a, b);
    expect(merged.ok && merged.text).toBe(b.replace('bay.1.timeout = 30s', 'bay.1.timeout = 45s').trimEnd());
  });
});

describe('the next version’s text', () => {
  const previous = { version: V10, text: BASE };

  it('keeps the previous text when no change proposes one', () => {
    expect(assembleText(previous, [])).toEqual({ kind: 'keep' });
  });

  it('takes one proposal written against the current version as it is', () => {
    const text = `${edit('charge the scanners.', 'charge the scanners at every break.')}\n`;
    expect(assembleText(previous, [proposal(3, text)])).toEqual({
      kind: 'text',
      text,
      from: [3],
      left: [],
      rebased: [],
    });
  });

  it('combines several proposals that change different lines, in change order', () => {
    const a = edit('charge the scanners.', 'charge the scanners at every break.');
    const b = edit('file the count.', 'file the count in the WMS.');
    const next = assembleText(previous, [proposal(7, b), proposal(4, a)]);
    expect(next).toEqual({
      kind: 'text',
      text: edit('file the count.', 'file the count in the WMS.', a),
      from: [4, 7],
      left: [],
      rebased: [],
    });
    expect(nextTextSummary({ key: 'scan', previous: V10, previousHeld: true, next: V11, outcome: next })).toBe(
      'v1.1 combines the texts CR-4 and CR-7 propose: they change different lines.',
    );
  });

  it('applies a proposal written against an older version to the current text, or says it clashes', () => {
    const v11 = edit('charge the scanners.', 'charge the scanners at every break.');
    const late = edit('file the count.', 'file the count in the WMS.');
    const current = { version: V11, text: v11 };
    const next = assembleText(current, [proposal(5, late)]);
    expect(next).toEqual({
      kind: 'text',
      text: edit('file the count.', 'file the count in the WMS.', v11),
      from: [5],
      left: [],
      rebased: [5],
    });
    expect(nextTextSummary({ key: 'scan', previous: V11, previousHeld: true, next: V12, outcome: next })).toMatch(
      /CR-5 was written against an older version: the lines it changes are applied to v1\.1's text\./,
    );
    const clashing = edit('charge the scanners.', 'charge the scanners at lunch.');
    const refused = assembleText(current, [proposal(5, clashing)]);
    expect(refused).toEqual({ kind: 'conflict', change: 5, with: 'version', line: 3, against: V10 });
    expect(nextTextSummary({ key: 'scan', previous: V11, previousHeld: true, next: V12, outcome: refused })).toBe(
      "CR-5 was written against v1.0, and line 3 of v1.0 has changed since: its text cannot be combined with v1.1's. Pick CR-5's text as proposed (the lines changed since are then undone), or leave CR-5 out of this release.",
    );
  });

  it('refuses two proposals that change the same line differently, until the CoE picks one', () => {
    const a = edit('scan each item.', 'scan each item and its shelf.');
    const b = edit('scan each item.', 'scan every item twice.');
    const refused = assembleText(previous, [proposal(2, a), proposal(9, b)]);
    expect(refused).toEqual({ kind: 'conflict', change: 9, with: [2], line: 4, against: V10 });
    expect(nextTextSummary({ key: 'scan', previous: V10, previousHeld: true, next: V11, outcome: refused })).toBe(
      'CR-2 and CR-9 change line 4 of v1.0 in different ways, so their texts cannot be combined. Pick whose text v1.1 takes as proposed (the others’ lines are then left out), or leave one of them out of this release.',
    );
    const picked = assembleText(previous, [proposal(2, a), proposal(9, b)], 9);
    expect(picked).toEqual({ kind: 'text', text: b, from: [9], picked: 9, left: [2], rebased: [] });
    expect(nextTextSummary({ key: 'scan', previous: V10, previousHeld: true, next: V11, outcome: picked })).toBe(
      'v1.1 takes the text CR-9 proposes, as proposed. The text CR-2 proposes is left out.',
    );
  });

  it('gives a new standard its first text', () => {
    const next = assembleText({ version: undefined, text: '' }, [
      { change: 1, text: BASE, base: undefined, baseText: '' },
    ]);
    expect(next).toEqual({ kind: 'text', text: BASE, from: [1], left: [], rebased: [] });
  });

  it('fingerprints what it would write: the text, the version it replaces, the standard', () => {
    const next: NextText = { kind: 'text', text: BASE, from: [1], left: [], rebased: [] };
    const print = textFingerprint('scan', V10, next);
    expect(print).toMatch(/^[0-9a-z]{6,12}$/);
    expect(textFingerprint('scan', V10, { ...next })).toBe(print);
    expect(textFingerprint('scan', V11, next)).not.toBe(print);
    expect(textFingerprint('other', V10, next)).not.toBe(print);
    expect(textFingerprint('scan', V10, { ...next, text: `${BASE}.` })).not.toBe(print);
    expect(textFingerprint('scan', V10, { kind: 'keep' })).not.toBe(print);
  });
});

describe('what the release form shows of it', () => {
  it('the lines it adds and removes against the version it replaces, clipped with a count of the rest', () => {
    const text = edit('charge the scanners.', 'charge the scanners at every break.');
    const outcome = assembleText({ version: V10, text: BASE }, [proposal(3, text)]);
    const view = { key: 'scan', previous: V10, previousHeld: true, next: V11, outcome };
    const blocks = nextTextBlocks(view, nextTextDiff(BASE, outcome));
    const shown = blocksText(blocks);
    expect(shown).toContain('**The text of v1.1**');
    expect(shown).toContain('v1.1 takes the text CR-3 proposes.');
    expect(shown).toContain('Against v1.0: 1 line added, 1 line removed.');
    expect(blocks).toContainEqual({
      type: 'document',
      blocks: [
        { kind: 'heading', level: 4, text: 'Line 3 of v1.1' },
        { kind: 'change', op: 'removed', text: '1. Lead: charge the scanners.' },
        { kind: 'change', op: 'added', text: '1. Lead: charge the scanners at every break.' },
      ],
    });
    // A whole new long text: a first part, and how many more lines there are.
    const long = longStandard(20_000);
    const big = assembleText({ version: V10, text: BASE }, [proposal(4, long)]);
    const many = nextTextBlocks({ ...view, outcome: big }, nextTextDiff(BASE, big));
    const note = many.at(-1);
    expect(note).toMatchObject({
      type: 'note',
      text: expect.stringMatching(
        /^…and \d+ lines more\. Once published, \{\{coe sop diff scan v1\.0 v1\.1\}\} shows every one\.$/,
      ),
    });
    const document = many.find((b) => b.type === 'document');
    expect(JSON.stringify(document).length).toBeLessThan(4000);
  });

  it('says when the version keeps its text, and when there is none', () => {
    const keep = { key: 'scan', previous: V10, previousHeld: true, next: V11, outcome: { kind: 'keep' } as const };
    expect(blocksText(nextTextBlocks(keep, undefined))).toContain(
      'No change in this release proposes a text: v1.1 keeps the text of v1.0 as it is.',
    );
    expect(blocksText(nextTextBlocks({ ...keep, previousHeld: false }, undefined))).toContain(
      'the bot holds none for v1.0: v1.1 has none either.',
    );
  });
});

describe('what an announcement says about the text', () => {
  it('counts the lines and shows the first ones changed, clipped', () => {
    const after = edit('charge the scanners.', `charge the scanners ${'and check them '.repeat(20)}.`);
    const change = releaseTextChange(
      V10,
      BASE,
      `${after}\n4. Lead: sign the sheet.\n5. Lead: file it.\n6. Lead: tell the CoE.`,
    );
    expect(change).toMatchObject({ from: V10, added: 4, removed: 1 });
    expect(change.lines).toHaveLength(4);
    expect(change.lines[0]).toEqual({ op: 'removed', text: '1. Lead: charge the scanners.' });
    expect(change.lines[1]?.text.length).toBe(160);
    expect(change.lines[1]?.text.endsWith('…')).toBe(true);
    expect(releaseTextChange(undefined, '', BASE)).toMatchObject({ from: undefined, added: 4, removed: 0 });
  });
});
