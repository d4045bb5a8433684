/**
 * The scorecard as people read it: each figure's headline with the previous window beside it and a trend arrow, the
 * details, and one line on how it is computed; the stage chart. Both platforms render the same message.
 */
import type { Chart } from './chart.ts';
import { coeCommand, type Message, type MessageBlock } from './message.ts';
import type { Figure, Scorecard } from './metrics.ts';

const ARROWS = { up: '▲', down: '▼', same: '＝' } as const;

/** "▲ better than 40%", "＝ as before", or "(before: no data yet)" when there is nothing to compare. */
export function trendText(f: Pick<Figure, 'trend' | 'previous'>): string {
  if (!f.trend) return `(before: ${f.previous})`;
  if (f.trend.better === undefined) return `${ARROWS[f.trend.direction]} as before`;
  return `${ARROWS[f.trend.direction]} ${f.trend.better ? 'better' : 'worse'} than ${f.previous}`;
}

/** One figure: "**Speed of iteration** · 28.5 days ▼ better than 40 days", its details, how it is computed. */
export function figureText(f: Figure): string {
  const also = f.also ? [`${f.also.label}: ${f.also.counted}, ${f.also.value} ${trendText(f.also)}`] : [];
  return [`**${f.title}** · ${f.value} ${trendText(f)}`, ...f.details, ...also, `_${f.how}_`].join('\n');
}

/** A figure's headline in a line of text: "Quality of standards 67% (clarity 50%)". */
const headline = (f: Figure) =>
  `${f.title} ${f.value}${f.also ? ` (${f.also.label.toLowerCase()} ${f.also.value})` : ''}`;

/** The loop's stages, this window against the previous one: where the time goes. */
export function stageChart(card: Scorecard): Chart {
  return {
    kind: 'bar',
    title: 'Median days per stage of the loop',
    unit: 'days',
    gap: 'no data yet',
    categories: card.stages.map((s) => s.label),
    series: [
      { name: 'This window', values: card.stages.map((s) => round1(s.current)) },
      { name: 'Previous window', values: card.stages.map((s) => round1(s.previous)) },
    ],
  };
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

export function scorecardHeading(card: Scorecard): string {
  return `CoE scorecard · ${card.scopeLabel} · ${card.windowLabel}`;
}

/** The stage chart, when there is something to draw (never for a team too small to show its own figures). */
function chartBlocks(card: Scorecard): MessageBlock[] {
  if (card.teamTooSmall || card.stages.every((s) => s.current === null && s.previous === null)) return [];
  return [{ type: 'chart', chart: stageChart(card) }];
}

export function scorecardMessage(card: Scorecard): Message {
  const heading = scorecardHeading(card);
  const tooSmall: MessageBlock[] = card.teamTooSmall
    ? [
        {
          type: 'note',
          text: `${card.scopeLabel} has too few people for figures of its own; only organisation-wide ones are shown.`,
        },
      ]
    : [];
  return {
    text: `${heading}: ${card.figures.map(headline).join('; ')}.`,
    blocks: [
      { type: 'heading', text: heading },
      ...tooSmall,
      ...card.figures.map((f): MessageBlock => ({ type: 'paragraph', text: figureText(f) })),
      ...chartBlocks(card),
      {
        type: 'note',
        text: 'Team-level figures only: nothing here is about one person, and groups too small to stay anonymous read "too few to show".',
      },
    ],
  };
}

/** The weekly digest in the CoE review channel: what most needs attention, then the scorecard and its chart. */
export function digestMessage(card: Scorecard): Message {
  const attention: MessageBlock[] =
    card.attention.length > 0
      ? [{ type: 'paragraph', text: `**Worth your attention**\n${card.attention.map((a) => `• ${a}`).join('\n')}` }]
      : [];
  const scorecard = scorecardMessage(card);
  const [heading, ...rest] = scorecard.blocks;
  return {
    text: `Weekly CoE digest: ${card.attention[0] ?? scorecard.text}`,
    blocks: [
      {
        type: 'heading',
        text: `Weekly digest · ${heading && heading.type === 'heading' ? heading.text : scorecardHeading(card)}`,
      },
      ...attention,
      ...rest,
    ],
  };
}

/** The figures shown at home: all nine for the organisation; a team's own training and adoption for its manager. */
const HOME_FIGURES: Record<'organisation' | 'team', readonly Figure['key'][]> = {
  organisation: [
    'speed',
    'quality',
    'tools',
    'training',
    'blockers',
    'consistency',
    'audits',
    'constraints',
    'adoption',
  ],
  team: ['training', 'adoption'],
};

const arrowed = (value: string, trend: Figure['trend']) => (trend ? `${value} ${ARROWS[trend.direction]}` : value);

/** The scorecard in a few lines, for the App Home and `my reports`: each headline with its trend. */
export function scorecardSummary(card: Scorecard, scope: 'organisation' | 'team'): Message {
  const figures = card.figures.filter((f) => HOME_FIGURES[scope].includes(f.key));
  const heading = scorecardHeading(card);
  return {
    text: `${heading}: ${figures.map(headline).join('; ')}.`,
    blocks: [
      { type: 'heading', text: heading },
      {
        type: 'facts',
        facts: figures.map((f) => ({
          label: f.title,
          value: [
            arrowed(f.value, f.trend),
            ...(f.also ? [arrowed(`${f.also.label.toLowerCase()} ${f.also.value}`, f.also.trend)] : []),
          ].join(' · '),
        })),
      },
      { type: 'note', text: `The whole scorecard, with how each figure is computed: ${coeCommand('metrics')}.` },
    ],
  };
}
