/**
 * A standard's Markdown read into neutral blocks, cut into pages, and each page as Slack and Teams show it: within
 * Block Kit's limits and the Adaptive Card schema and size, headings, lists and checkboxes readable on both.
 */
import { describe, expect, it } from 'vitest';
import {
  blockCost,
  type DocBlock,
  inline,
  markdownPages,
  PAGE_LIMITS,
  parseMarkdown,
} from '../../src/domain/markdown.ts';
import type { Message } from '../../src/domain/message.ts';
import { parseMoreValue } from '../../src/domain/sop-text.ts';
import { SOP_TEXT_ACTIONS, versionTextMessage } from '../../src/domain/sop-text-messages.ts';
import { renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard } from '../../src/platforms/teams/cards.ts';
import { adaptiveCardProblems, teamsSizeProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { longStandard } from '../support/standard-texts.ts';

const SAMPLE = `Inventory scanning
==================

Counts stay right when every scan
is recorded, **every time**.

## Steps

1. Shift lead: charge the scanners.
2. Picker: scan each item.
   The picker waits for the beep.
   - Picker: a nested note
10. Lead: file the count.

## Checklist

- [ ] Scanners charged
- [x] Spare on the charger
* Plain bullet

> Quoted *advice* here
> on two lines.

---

| Shift | Who |
|-------|-----|
| Day   | Ana |

\`\`\`
sleep = 45 min
  indented = yes
\`\`\`
`;

describe('reading Markdown', () => {
  it('turns headings, paragraphs, lists, checkboxes, quotes, rules, tables and code into blocks', () => {
    expect(parseMarkdown(SAMPLE)).toEqual<DocBlock[]>([
      { kind: 'heading', level: 1, text: 'Inventory scanning' },
      { kind: 'paragraph', text: 'Counts stay right when every scan is recorded, **every time**.' },
      { kind: 'heading', level: 2, text: 'Steps' },
      { kind: 'item', marker: 1, depth: 0, text: 'Shift lead: charge the scanners.' },
      { kind: 'item', marker: 2, depth: 0, text: 'Picker: scan each item. The picker waits for the beep.' },
      { kind: 'item', marker: 'bullet', depth: 1, text: 'Picker: a nested note' },
      { kind: 'item', marker: 10, depth: 0, text: 'Lead: file the count.' },
      { kind: 'heading', level: 2, text: 'Checklist' },
      { kind: 'item', marker: 'todo', depth: 0, text: 'Scanners charged' },
      { kind: 'item', marker: 'done', depth: 0, text: 'Spare on the charger' },
      { kind: 'item', marker: 'bullet', depth: 0, text: 'Plain bullet' },
      { kind: 'quote', text: 'Quoted _advice_ here on two lines.' },
      { kind: 'rule' },
      { kind: 'paragraph', text: '**Shift · Who**' },
      { kind: 'paragraph', text: 'Day · Ana' },
      { kind: 'code', text: 'sleep = 45 min' },
      { kind: 'code', text: '  indented = yes' },
    ]);
  });

  it('writes inline Markdown the way the core does, and never lets text pass for a command', () => {
    expect(inline('__b__ and *i* and **kept** and `*code*` ~~gone~~ \\*star\\*')).toBe(
      '**b** and _i_ and **kept** and `*code*` gone *star*',
    );
    expect(inline('![plan](https://x.test/p.png) <https://x.test>')).toBe(
      '[plan](https://x.test/p.png) [https://x.test](https://x.test)',
    );
    expect(inline('{{coe role @x coe}}')).not.toMatch(/\{\{coe/);
  });

  it('keeps every word of a long text, in order, across its pages', () => {
    const text = longStandard(20_000);
    const pages = markdownPages(text);
    expect(pages.length).toBeGreaterThan(3);
    const words = (s: string) => s.match(/[A-Za-z]+\d*/g) ?? [];
    const shown = pages.flat().map((b) => (b.kind === 'rule' ? '' : b.text));
    expect(words(shown.join(' '))).toEqual(
      words(
        parseMarkdown(text)
          .map((b) => (b.kind === 'rule' ? '' : b.text))
          .join(' '),
      ),
    );
    for (const page of pages) {
      const cost = page.reduce(
        (sum, b) => ({ slack: sum.slack + blockCost(b).slack, teams: sum.teams + blockCost(b).teams }),
        {
          slack: 0,
          teams: 0,
        },
      );
      expect(cost.slack).toBeLessThanOrEqual(PAGE_LIMITS.slack);
      expect(cost.teams).toBeLessThanOrEqual(PAGE_LIMITS.teams);
      // A heading goes over with what it heads.
      expect(page.at(-1)?.kind).not.toBe('heading');
    }
  });

  it('cuts a paragraph too long for one piece at spaces', () => {
    const long = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const blocks = markdownPages(long).flat();
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.every((b) => b.kind === 'paragraph' && b.text.length <= 2000 && !b.text.startsWith(' '))).toBe(true);
    expect(blocks.map((b) => (b.kind === 'paragraph' ? b.text : '')).join(' ')).toBe(long);
  });
});

describe('a page on each platform', () => {
  const view = (text: string) => ({
    key: 'inventory-scanning',
    title: 'Inventory scanning',
    version: { major: 1, minor: 0 },
    current: { major: 1, minor: 0 },
    text,
    link: 'https://docs.example.com/sops/inventory-scanning?a=1&b=2',
  });

  /** Every page of the text through "Show more", as the button's value asks for it. */
  function allPages(text: string): Message[] {
    const pages = [versionTextMessage(view(text))];
    for (;;) {
      const button = pages
        .at(-1)
        ?.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []))
        .find((a) => a.id === SOP_TEXT_ACTIONS.more);
      if (!button) return pages;
      const next = parseMoreValue(button.value);
      if (next?.kind !== 'show') throw new Error(`not a page of the text: ${button.value}`);
      pages.push(versionTextMessage(view(text), next.page));
    }
  }

  it('shows a 20,000-character standard in pages within Block Kit limits, with "Show more" to the end', () => {
    const pages = allPages(longStandard(20_000));
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((page, i) => {
      const slack = renderMessage(page);
      expect(blockKitProblems(slack)).toEqual([]);
      // Slack refuses messages whose blocks add up to about 12,000 characters (msg_blocks_too_long).
      expect(JSON.stringify(slack.blocks).length).toBeLessThan(11_000);
      expect(page.text).toContain(`(page ${i + 1} of ${pages.length})`);
    });
    const last = JSON.stringify(pages.at(-1));
    expect(last).not.toContain(SOP_TEXT_ACTIONS.more);
  });

  it('shows the same pages as valid Adaptive Cards 1.5 within Teams’ message size', () => {
    for (const page of allPages(longStandard(20_000))) {
      const card = renderCard(page);
      expect(adaptiveCardProblems(card)).toEqual([]);
      expect(teamsSizeProblems(card)).toEqual([]);
    }
  });

  it('keeps even a text of escapes and wide characters within limits', () => {
    const nasty = Array.from({ length: 400 }, (_, i) => `- <&> "${'é漢😀'.repeat(8)}" \\ & ${i}`).join('\n');
    for (const page of allPages(nasty)) {
      expect(blockKitProblems(renderMessage(page))).toEqual([]);
      expect(JSON.stringify(renderMessage(page).blocks).length).toBeLessThan(11_000);
      expect(adaptiveCardProblems(renderCard(page))).toEqual([]);
      expect(teamsSizeProblems(renderCard(page))).toEqual([]);
    }
  });

  it('makes headings, lists and checkboxes readable in Slack mrkdwn', () => {
    const slack = renderMessage(versionTextMessage(view(SAMPLE)));
    const text = slack.blocks
      .map((b) => ('text' in b && typeof b.text === 'object' && b.text ? b.text.text : ''))
      .join('\n');
    expect(text).toContain('*Inventory scanning*');
    expect(text).toContain('*Steps*');
    expect(text).toContain('1. Shift lead: charge the scanners.');
    expect(text).toContain('\u2003◦ Picker: a nested note');
    expect(text).toContain('10. Lead: file the count.');
    expect(text).toContain('☐ Scanners charged');
    expect(text).toContain('☑ Spare on the charger');
    expect(text).toContain('• Plain bullet');
    expect(text).toContain('*every time*');
    expect(text).toContain('>Quoted _advice_ here on two lines.');
    expect(text).toContain('```\nsleep = 45 min\n  indented = yes\n```');
    expect(text).toContain('<https://docs.example.com/sops/inventory-scanning?a=1&amp;b=2|');
  });

  it('makes headings, lists and checkboxes readable in a Teams card', () => {
    const card = renderCard(versionTextMessage(view(SAMPLE)));
    expect(adaptiveCardProblems(card)).toEqual([]);
    const elements = JSON.stringify(card.body);
    const blocks = flatten(card.body);
    expect(blocks).toContainEqual(expect.objectContaining({ text: 'Steps', weight: 'Bolder', size: 'Medium' }));
    expect(blocks).toContainEqual(
      expect.objectContaining({ text: 'Inventory scanning', weight: 'Bolder', size: 'Large' }),
    );
    // Lists as TextBlock markdown lists, one item a line.
    expect(blocks).toContainEqual(
      expect.objectContaining({
        text: '1. Shift lead: charge the scanners.\r2. Picker: scan each item. The picker waits for the beep.',
      }),
    );
    expect(blocks).toContainEqual(expect.objectContaining({ text: '☐\u00a0Scanners charged' }));
    expect(blocks).toContainEqual(expect.objectContaining({ text: '☑\u00a0Spare on the charger' }));
    expect(blocks).toContainEqual(expect.objectContaining({ text: '- Plain bullet' }));
    expect(elements).toContain('"fontType":"Monospace"');
    expect(elements).toContain('"style":"emphasis"');
  });
});

/** Every element of a card body, containers opened. */
function flatten(elements: readonly unknown[]): Record<string, unknown>[] {
  return elements.flatMap((e) => {
    const element = e as Record<string, unknown>;
    return [element, ...flatten((element.items as unknown[] | undefined) ?? [])];
  });
}
