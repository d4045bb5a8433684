/**
 * A long proposed text in the Slack change form's boxes (3,000 characters each, Slack's limit): cut where joining the
 * boxes again with a line break gives back the same text — never at a blank line or before an indented line.
 */
import { describe, expect, it } from 'vitest';
import { textBoxes } from '../../src/platforms/slack/views/change-form.ts';
import { longStandard } from '../support/standard-texts.ts';

/** What the form reads back: the boxes trimmed (as Slack's initial values are) and joined with a line break. */
const joined = (boxes: string[]) => boxes.map((b) => b.trim()).join('\n');

describe('the proposed text in Slack boxes', () => {
  it('keeps a short text in one box', () => {
    expect(textBoxes('1. Lead: charge the scanners.')).toEqual(['1. Lead: charge the scanners.']);
    expect(textBoxes('')).toEqual([]);
  });

  it('cuts a long standard into boxes within the limit that join back to the same text', () => {
    for (const size of [3001, 11_000, 40_000]) {
      const text = longStandard(size).trim();
      const boxes = textBoxes(text);
      expect(boxes.every((b) => b.length <= 3000)).toBe(true);
      expect(joined(boxes)).toBe(text);
    }
  });

  it('never cuts before an indented line; at a blank line only before a block that starts on its own', () => {
    const para = (n: number) => `Paragraph ${n}: ${'word '.repeat(70).trim()}.`;
    const nested = (n: number) => `- Item ${n}\n  - detail ${n}, ${'x'.repeat(40)}`;
    const text = Array.from({ length: 40 }, (_, i) => (i % 2 ? para(i) : nested(i))).join('\n\n');
    const boxes = textBoxes(text);
    expect(boxes.length).toBeGreaterThan(2);
    expect(boxes.every((b) => b.length <= 3000)).toBe(true);
    for (const box of boxes.slice(1)) expect(box).toMatch(/^- Item \d+\n {2}- detail/);
    // Only the blank lines before those list items went; every line of the text is there, in order.
    expect(joined(boxes).split('\n').filter(Boolean)).toEqual(text.split('\n').filter(Boolean));
  });

  it('cuts a single line longer than a box inside it', () => {
    const boxes = textBoxes('x'.repeat(7000));
    expect(boxes.map((b) => b.length)).toEqual([3000, 3000, 1000]);
  });
});
