import { describe, expect, it } from 'vitest';
import { type ClarityRule, checkClarity, SENTENCE_WORDS_MAX } from '../../src/domain/clarity.ts';

/** A standard written the way the check asks: who does each step, how often, by when, every acronym spelled out. */
const CLEAN = `# Inventory scanning

## Purpose

Counts stay right when every scan is recorded. The Warehouse Management System (WMS) keeps the counts.

## Steps

1. Shift lead: charge the scanners at every break.
2. Picker: scan each item before it leaves the shelf.
3. The shift lead checks the WMS totals every shift, at 14:00.
4. Supervisor: report a scanner fault within 2 hours, in the CoE channel.

## Checklist

- [ ] Scanners charged at shift start
- [x] Spare scanner on the charger

## Tool configuration

\`\`\`
scanner.sleep = 45 min
sync = every 5 min
\`\`\`
`;

const rules = (text: string, previous?: string) => checkClarity(text, previous).map((f) => f.rule);

describe('the clarity check', () => {
  it('finds nothing in a clear text', () => {
    expect(checkClarity(CLEAN)).toEqual([]);
    expect(checkClarity(CLEAN, CLEAN)).toEqual([]);
  });

  it.each<[string, string, ClarityRule, string]>([
    ['"as needed"', 'Restart the scanner as needed.', 'vague', 'as needed'],
    ['"if appropriate"', 'Tell the manager if appropriate.', 'vague', 'if appropriate'],
    ['"etc."', 'Check the charger, the cable, etc. before the shift.', 'vague', 'etc.'],
    ['"should"', 'The picker should scan every item.', 'should', 'should'],
    ['"should not"', 'The picker should not skip a shelf.', 'should', 'should not'],
    ['"regularly" without a period', 'The shift lead checks the totals regularly.', 'regularly', 'regularly'],
    ['"ASAP"', 'The supervisor reports a fault ASAP.', 'asap', 'ASAP'],
    ['"as soon as possible"', 'The supervisor reports a fault as soon as possible.', 'asap', 'as soon as possible'],
  ])('flags %s, saying why and where', (_name, sentence, rule, said) => {
    const text = `# Scanning\n\n${sentence}\n`;
    const findings = checkClarity(text).filter((f) => f.rule === rule);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule, line: 3, where: 'line 3', excerpt: said });
    expect(findings[0]?.reason).toContain(said);
    expect(findings[0]?.reason).toMatch(/^.{10,200}[.)]$/);
  });

  it('accepts "regularly" with a period, and flags it without one', () => {
    expect(rules('The lead checks the totals regularly, every Monday.')).toEqual([]);
    expect(rules('The lead checks the totals regularly, 3 times a day.')).toEqual([]);
    expect(rules('The lead checks the totals regularly. Every Monday the manager reads them.')).toEqual(['regularly']);
  });

  it('flags a step nobody is named to do, in a numbered list or under a steps heading', () => {
    const text = `## Steps\n\n1. Charge the scanners.\n2. Shift lead: scan the shelf.\n\n## How to restart\n\n- Hold the power button.\n- The picker waits ten seconds.\n`;
    const findings = checkClarity(text).filter((f) => f.rule === 'no-actor');
    expect(findings.map((f) => [f.line, f.where, f.excerpt])).toEqual([
      [3, 'step on line 3', 'Charge the scanners.'],
      [8, 'step on line 8', 'Hold the power button.'],
    ]);
    expect(findings[0]?.reason).toMatch(/No one is named/);
  });

  it('does not ask who does a checklist item or a plain list item', () => {
    expect(rules('## Checklist\n\n- [ ] Scanners charged\n\n## Tools\n\n- Zebra TC52 scanner\n')).toEqual([]);
  });

  it(`flags a sentence over ${SENTENCE_WORDS_MAX} words, with its first words`, () => {
    const long = `The picker ${'scans and '.repeat(15)}stops.`;
    const [finding] = checkClarity(`Short one. ${long}`);
    expect(finding).toMatchObject({ rule: 'long-sentence', line: 1 });
    expect(finding?.reason).toMatch(/A sentence of 33 words/);
    expect(finding?.excerpt).toBe('The picker scans and scans and scans and…');
    expect(rules(`The picker ${'scans '.repeat(SENTENCE_WORDS_MAX - 2)}.`)).toEqual([]);
  });

  it('flags an acronym never spelled out, once, and not one that is', () => {
    const text =
      'The lead checks the SKU count.\nEvery SKU is scanned.\nThe Warehouse Management System (WMS) logs it.\n';
    const findings = checkClarity(text).filter((f) => f.rule === 'acronym');
    expect(findings.map((f) => [f.excerpt, f.line])).toEqual([['SKU', 1]]);
    expect(findings[0]?.reason).toMatch(/"SKU" is never spelled out/);
    expect(rules('WMS (Warehouse Management System) logs every SKUs count.\n\n- SKU: stock keeping unit\n')).toEqual(
      [],
    );
  });

  it('leaves code, commands, ids, shouted words and well-known abbreviations alone', () => {
    const text = [
      'The lead MUST NOT skip the check. See CR-7 and SOP-inventory-scanning for the AI rules.',
      '',
      'Run `sync --force ASAP` on the PC.',
      '',
      '```',
      'mode = SKU etc. should as needed',
      '```',
    ].join('\n');
    expect(checkClarity(text)).toEqual([]);
  });

  it('says when a text is longer than the version it replaces', () => {
    const before = 'The picker scans every item.';
    const [finding] = checkClarity(`${before} The picker scans the shelf label too.`, before);
    expect(finding).toMatchObject({ rule: 'longer', where: 'the whole text' });
    expect(finding?.reason).toMatch(/^12 words, where the version it replaces has 5/);
    expect(checkClarity('The picker scans.', before)).toEqual([]);
  });

  it('reports in the order of the text, and the same input always gives the same findings', () => {
    const text = 'Do it ASAP.\n\nCheck regularly, etc.\n\nYou should scan.\n';
    const first = checkClarity(text);
    expect(first.map((f) => f.line)).toEqual([...first.map((f) => f.line)].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(checkClarity(text)).toEqual(first);
    expect(first.map((f) => f.rule)).toEqual(['asap', 'vague', 'regularly', 'should']);
  });
});
