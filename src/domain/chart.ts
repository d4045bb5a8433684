/**
 * A chart as the core describes it, for any platform to draw: a bar or line chart over named categories (teams,
 * weeks, standards), with one or more series. A `null` value is a cell that is not shown — too few people behind it
 * (the metrics suppression rule) or nothing to measure — and every renderer leaves a gap there, never a zero.
 * Pure data and pure functions.
 */

export type ChartKind = 'bar' | 'line';

export interface ChartSeries {
  name: string;
  /** One value per category, in the categories' order; `null` = not shown. */
  values: (number | null)[];
}

export interface Chart {
  kind: ChartKind;
  title: string;
  /** What the values count, as people read it after a number: `%`, `days`, `reports`. */
  unit?: string;
  categories: string[];
  series: ChartSeries[];
  /** What a missing value means, when it is not a hidden cell: "no data yet". */
  gap?: string;
}

/** What a renderer writes where a value is not shown (the metrics wording for a suppressed cell). */
export const HIDDEN_VALUE_TEXT = 'too few to show';

/** What a `null` value of this chart means, as people read it. */
export const gapText = (chart: Pick<Chart, 'gap'>) => chart.gap ?? HIDDEN_VALUE_TEXT;

/** Bounds that keep a chart readable and every platform's rendering within its size limits. */
export const CHART_LIMITS = { categories: 24, series: 6, title: 120, label: 40 } as const;

/** What is wrong with a chart description, one line each; empty when every renderer can draw it. */
export function chartProblems(chart: Chart): string[] {
  const problems: string[] = [];
  if (chart.title.trim() === '') problems.push('the title is empty');
  if (chart.title.length > CHART_LIMITS.title) problems.push(`the title is over ${CHART_LIMITS.title} characters`);
  if (chart.categories.length === 0) problems.push('there are no categories');
  if (chart.categories.length > CHART_LIMITS.categories) {
    problems.push(`${chart.categories.length} categories: at most ${CHART_LIMITS.categories}`);
  }
  if (new Set(chart.categories).size !== chart.categories.length) problems.push('two categories have the same name');
  if (chart.series.length === 0) problems.push('there are no series');
  if (chart.series.length > CHART_LIMITS.series) {
    problems.push(`${chart.series.length} series: at most ${CHART_LIMITS.series}`);
  }
  if (new Set(chart.series.map((s) => s.name)).size !== chart.series.length) {
    problems.push('two series have the same name');
  }
  for (const label of [...chart.categories, ...chart.series.map((s) => s.name)]) {
    if (label.trim() === '') problems.push('a category or series name is empty');
    else if (label.length > CHART_LIMITS.label) problems.push(`"${label}" is over ${CHART_LIMITS.label} characters`);
  }
  for (const series of chart.series) {
    if (series.values.length !== chart.categories.length) {
      problems.push(
        `series "${series.name}" has ${series.values.length} values for ${chart.categories.length} categories`,
      );
    }
    if (series.values.some((v) => v !== null && !Number.isFinite(v))) {
      problems.push(`series "${series.name}" has a value that is not a finite number`);
    }
  }
  return problems;
}

/** Throws with every problem when the chart cannot be drawn; renderers call it first. */
export function assertDrawable(chart: Chart): void {
  const problems = chartProblems(chart);
  if (problems.length > 0) throw new Error(`Chart "${chart.title}" cannot be drawn: ${problems.join('; ')}`);
}

/** The cells not shown, as "category" (one series) or "category – series" labels, in reading order. */
export function hiddenCells(chart: Chart): string[] {
  const single = chart.series.length === 1;
  return chart.categories.flatMap((category, i) =>
    chart.series
      .filter((series) => series.values[i] === null)
      .map((series) => (single ? category : `${category} – ${series.name}`)),
  );
}

/** A value as people read it: at most one decimal, the unit after it (`85%`, `4.5 days`), or the hidden text. */
export function formatChartValue(value: number | null, unit?: string, gap: string = HIDDEN_VALUE_TEXT): string {
  if (value === null) return gap;
  const number = Number.isInteger(value) ? String(value) : String(Math.round(value * 10) / 10);
  if (!unit) return number;
  return unit === '%' ? `${number}%` : `${number} ${unit}`;
}

/** One sentence describing the chart for people who cannot see it (Slack alt text, a card's fallback text). */
export function chartAltText(chart: Chart): string {
  const parts = chart.series.map((series) => {
    const cells = chart.categories.map(
      (c, i) => `${c} ${formatChartValue(series.values[i] ?? null, chart.unit, gapText(chart))}`,
    );
    return chart.series.length === 1 ? cells.join(', ') : `${series.name}: ${cells.join(', ')}`;
  });
  return `${chart.kind === 'bar' ? 'Bar' : 'Line'} chart, ${chart.title}. ${parts.join('. ')}.`;
}
