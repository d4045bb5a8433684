/**
 * The clarity check feeds "quality of standards" (issue 11 item 3): each version's text keeps what the check found
 * when it was written (the baseline of `sop new`, and the version a release writes), and the scorecard's quality
 * figure gains its clarity part — versions released in the window that passed, against the previous window — in the
 * full scorecard, the summary at home, and the digest's standard worth a look.
 */
import { describe, expect, it } from 'vitest';
import { changeId } from '../../src/domain/change.ts';
import { textClarity } from '../../src/domain/clarity.ts';
import { hideTeamFigures, metricsWindows, scorecard } from '../../src/domain/metrics.ts';
import { standardAttention } from '../../src/domain/metrics-clarity.ts';
import type { ClarityFacts, ScorecardFacts } from '../../src/domain/metrics-facts.ts';
import { figureText, scorecardMessage, scorecardSummary } from '../../src/domain/metrics-messages.ts';
import { mona, olga } from '../support/cast.ts';
import { noFacts } from '../support/memory-metrics.ts';
import { changeForm, must, type World, world } from '../support/permission-table.ts';
import { SCANNING_KEY, SCANNING_V1 } from '../support/standard-texts.ts';

const KEY = SCANNING_KEY;
const V1 = SCANNING_V1.join('\n');
/** Against V1: longer; "as needed" and "etc." (vague), "ASAP", step 3 with no one doing it, WMS never spelled out. */
const UNCLEAR = `${V1}\n3. Scan the shelf labels as needed, ASAP, etc.\n4. Report to the WMS team.`;

describe('what a version keeps of the clarity check', () => {
  it('counts the findings and names their rules once each, in the order found; nothing for a clear text', () => {
    expect(textClarity(UNCLEAR, V1)).toEqual({
      findings: 6,
      rules: ['longer', 'vague', 'asap', 'no-actor', 'acronym'],
    });
    expect(textClarity(V1)).toEqual({ findings: 0, rules: [] });
  });

  it('keeps nothing for a version without text: the check cannot judge a link', () => {
    expect(textClarity('')).toBeNull();
    expect(textClarity('  \n ')).toBeNull();
  });
});

describe('the services record it with the text', () => {
  const clarityOf = (w: World, key: string, minor: number) =>
    w.repos(async (r) => (await r.sopTexts.get(key, { major: 1, minor }))?.clarity);

  it('at `sop new`: the baseline’s text, and none for a baseline that only links to its document', async () => {
    const w = await world('manager');
    const done = await w.services.sopTexts.submit(w.request(olga), {
      key: 'returns',
      title: 'Returns',
      text: `${V1}\n\nReport a damaged return ASAP.`,
    });
    expect(done.ok).toBe(true);
    expect(await clarityOf(w, 'returns', 0)).toEqual({ findings: 1, rules: ['asap'] });
    await w.services.sopTexts.submit(w.request(olga), {
      key: 'labels',
      title: 'Labels',
      link: 'https://docs.example.com/labels',
    });
    expect(await w.repos((r) => r.sopTexts.get('labels', { major: 1, minor: 0 }))).toMatchObject({
      text: '',
      clarity: null,
    });
  });

  it('at a release: the text it writes, judged against the version it replaces; a kept text likewise', async () => {
    const w = await world('manager');
    await w.repos((r) =>
      r.sopTexts.add({ sopKey: KEY, major: 1, minor: 0, text: V1, link: null, createdByPersonId: null }),
    );
    const raised = await w.services.changes.submit(w.request(mona), changeForm({ proposedText: UNCLEAR }));
    const number = must(raised.ok ? raised.number : undefined, 'change');
    await w.services.changes.decide(w.request(olga), 'approve', changeId(number));
    const preview = must((await w.services.releases.formOptions(olga, KEY)).prefill?.text, 'preview');
    const published = await w.services.releases.publish(
      { ...w.request(olga), previewed: preview.fingerprint },
      { changes: [changeId(number)] },
    );
    expect(published.ok).toBe(true);
    expect(await clarityOf(w, KEY, 1)).toEqual({
      findings: 6,
      rules: ['longer', 'vague', 'asap', 'no-actor', 'acronym'],
    });

    // A release whose changes propose no text keeps v1.1's: not longer than itself, the other five findings stay.
    await w.publish([await w.approved({ title: 'Name the spare charger' })]);
    expect(await clarityOf(w, KEY, 2)).toEqual({ findings: 5, rules: ['vague', 'asap', 'no-actor', 'acronym'] });
  });
});

const clarity = (versions: number, clear: number, mostFindings: ClarityFacts['mostFindings'] = null): ClarityFacts => ({
  versions,
  clear,
  mostFindings,
});
const withClarity = (c: ClarityFacts, quality: Partial<ScorecardFacts['quality']> = {}): ScorecardFacts => {
  const base = noFacts();
  return { ...base, quality: { ...base.quality, releases: 4, clean: 3, ...quality, clarity: c } };
};
const windows = metricsWindows('90d', new Date('2026-11-30T00:00:00.000Z'));
const organisation = { kind: 'organisation' } as const;
const quality = (now: ScorecardFacts, before: ScorecardFacts) =>
  must(
    scorecard(windows, organisation, now, before, 5).figures.find((f) => f.key === 'quality'),
    'quality figure',
  );

describe('the quality figure’s clarity part', () => {
  it('gives the share that passed, with the previous window beside it, and says how it is computed', () => {
    // 2 of 3 passed now (67%), 1 of 2 before (50%): up, and higher is better.
    const figure = quality(withClarity(clarity(3, 2)), withClarity(clarity(2, 1)));
    expect(figure.value).toBe('75%');
    expect(figure.also).toEqual({
      label: 'Clarity',
      value: '67%',
      previous: '50%',
      trend: { direction: 'up', better: true },
      counted: '2 of 3 versions released in the window passed the clarity check (nothing unclear)',
    });
    expect(figureText(figure).split('\n')).toEqual([
      '**Quality of standards** · 75% ＝ as before',
      '3 of 4 releases needed no correction',
      'Clarity: 2 of 3 versions released in the window passed the clarity check (nothing unclear), 67% ▲ better than 50%',
      expect.stringContaining(
        'clarity: versions released in the window whose text the clarity check found nothing unclear in',
      ),
    ]);
  });

  it('says "no data yet" when no version with text was released, and compares nothing', () => {
    const figure = quality(withClarity(clarity(0, 0)), withClarity(clarity(1, 0)));
    expect(figureText(figure)).toContain(
      'Clarity: no version with text was released in the window, no data yet (before: 0%)',
    );
    expect(figure.also?.trend).toBeUndefined();
  });

  it('is in the summary at home and in the message’s text, with its arrow', () => {
    const card = scorecard(windows, organisation, withClarity(clarity(3, 2)), withClarity(clarity(2, 1)), 5);
    const summary = scorecardSummary(card, 'organisation');
    const facts = summary.blocks.find((b) => b.type === 'facts');
    expect(facts).toMatchObject({
      facts: expect.arrayContaining([{ label: 'Quality of standards', value: '75% ＝ · clarity 67% ▲' }]),
    });
    expect(summary.text).toContain('Quality of standards 75% (clarity 67%)');
    expect(scorecardMessage(card).text).toContain('Quality of standards 75% (clarity 67%)');
  });

  it('is hidden with the rest of a team too small to show its own figures', () => {
    const team = { kind: 'team', teamId: 2, teamName: 'Office' } as const;
    const hidden = hideTeamFigures(scorecard(windows, team, withClarity(clarity(3, 2)), noFacts(), 5));
    const figure = must(
      hidden.figures.find((f) => f.key === 'quality'),
      'quality',
    );
    expect(figure.also).toBeUndefined();
    expect(figureText(figure)).not.toContain('Clarity');
  });
});

describe('the digest’s standard worth a look', () => {
  const pick = { sopKey: 'PICK', version: 'v2.0', findings: 3, rules: ['no-actor', 'acronym'] } as const;
  const facts = (mostCorrected: { sopKey: string; corrections: number } | null, c: ClarityFacts) =>
    withClarity(c, { mostCorrected }).quality;

  it('adds what the check found to the most corrected standard, when its last release is the least clear', () => {
    expect(
      standardAttention(facts({ sopKey: 'PICK', corrections: 2 }, clarity(2, 1, { ...pick, rules: [...pick.rules] }))),
    ).toBe(
      'SOP-PICK drew 2 corrections within 30 days of a release, and the clarity check found 3 things in its v2.0 (steps no one is named to do, acronyms never spelled out): worth a look at how clear it is.',
    );
  });

  it('keeps to the most corrected standard when another is the least clear, and to three items in all', () => {
    const now = withClarity(clarity(2, 1, { ...pick, rules: [...pick.rules] }), {
      mostCorrected: { sopKey: 'SCAN', corrections: 1 },
    });
    now.speed = { ...now.speed, reportedToTriaged: 3 };
    now.constraints = { ...now.constraints, unserved: [{ number: 1, text: 'Cut returns by 10%' }] };
    const card = scorecard(windows, organisation, now, noFacts(), 5);
    expect(card.attention).toHaveLength(3);
    expect(card.attention[1]).toBe(
      'SOP-SCAN drew 1 correction within 30 days of a release: worth a look at how clear it is.',
    );
  });

  it('names the least clear standard when none was corrected, and nothing when none had findings', () => {
    expect(standardAttention(facts(null, clarity(1, 0, { ...pick, findings: 1, rules: ['vague'] })))).toBe(
      'The clarity check found 1 thing in SOP-PICK v2.0, released in the window (vague words): worth clarifying in its next version.',
    );
    expect(standardAttention(facts(null, clarity(2, 2)))).toBeUndefined();
  });
});
