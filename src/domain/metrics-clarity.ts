/**
 * The clarity part of "Quality of standards" (issue 11, seed §9 "clear, minimal, unambiguous"): how many of the
 * versions released in the window passed the clarity check, against the previous window; and, for the digest, the
 * standard worth a look — the most corrected one, or else the one whose released text the check found most in.
 * Pure functions; metrics.ts puts them into the scorecard.
 */
import type { ClarityRule } from './clarity.ts';
import type { ClarityFacts, QualityFacts } from './metrics-facts.ts';
import { type Trend, trendOf } from './metrics-trend.ts';
import { sopId } from './sop.ts';

/** A second headline of a figure: its value and the previous window's, the trend, and what it counts. */
export interface FigurePart {
  label: string;
  value: string;
  previous: string;
  trend?: Trend;
  counted: string;
}

/** What each rule found, as a reader would name it. */
const RULE_WORDS: Record<ClarityRule, string> = {
  longer: 'longer than the version before',
  vague: 'vague words',
  should: '"should"',
  regularly: '"regularly" without a period',
  asap: '"ASAP"',
  'no-actor': 'steps no one is named to do',
  'long-sentence': 'long sentences',
  acronym: 'acronyms never spelled out',
};

const NO_DATA = 'no data yet';

/** Versions that passed the check, of those released in the window with text; null when there were none. */
export const clarityShare = (c: ClarityFacts): number | null => (c.versions > 0 ? c.clear / c.versions : null);

const percent = (r: number | null) => (r === null ? NO_DATA : `${Math.round(r * 100)}%`);

/** "2 of 3 versions released in the window passed the clarity check (nothing unclear): 67%", previous window beside. */
export function clarityPart(now: ClarityFacts, before: ClarityFacts): FigurePart {
  const [a, b] = [clarityShare(now), clarityShare(before)];
  const trend = trendOf(a, b, true);
  const counted =
    now.versions === 0
      ? 'no version with text was released in the window'
      : `${now.clear} of ${now.versions} ${now.versions === 1 ? 'version' : 'versions'} released in the window passed the clarity check (nothing unclear)`;
  return { label: 'Clarity', value: percent(a), previous: percent(b), ...(trend ? { trend } : {}), counted };
}

/**
 * The standard most worth a look: the one most corrected after its releases (adding what the clarity check found in
 * its last version released in the window, when that is the one it found most in); else that one.
 */
export function standardAttention(quality: QualityFacts): string | undefined {
  const { mostCorrected: corrected } = quality;
  const unclear = quality.clarity.mostFindings;
  const found = (where: string) =>
    unclear
      ? `the clarity check found ${unclear.findings} ${unclear.findings === 1 ? 'thing' : 'things'} in ${where} (${unclear.rules.map((r) => RULE_WORDS[r] ?? r).join(', ')})`
      : '';
  if (corrected) {
    const also = unclear?.sopKey === corrected.sopKey ? `, and ${found(`its ${unclear.version}`)}` : '';
    return `${sopId(corrected.sopKey)} drew ${corrected.corrections} ${corrected.corrections === 1 ? 'correction' : 'corrections'} within 30 days of a release${also}: worth a look at how clear it is.`;
  }
  if (!unclear) return undefined;
  const sentence = found(`${sopId(unclear.sopKey)} ${unclear.version}, released in the window`);
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}: worth clarifying in its next version.`;
}
