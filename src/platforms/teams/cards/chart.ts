/**
 * A core `Chart` as Adaptive Card elements: Teams' own chart elements (Chart.VerticalBar, Chart.VerticalBar.Grouped,
 * Chart.Line), each with a `fallback` that any Adaptive Card 1.5 client draws instead when it does not know charts —
 * the title and the same figures as a FactSet. Pure functions.
 *
 * Size: the largest chart the core allows (CHART_LIMITS) comes to about 15 KB of card JSON with its fallback; Teams
 * takes about 28 KB for the whole message.
 *
 * A chart point needs a number, so a value not shown (`null`) is left out of the chart, never drawn as 0; a note
 * under the chart names those cells, and the fallback writes "too few to show" in their place.
 */
import { type Chart, formatChartValue, gapText, hiddenCells } from '../../../domain/chart.ts';
import type { CardElement } from './element.ts';

/** Chart values keep two decimals at most: enough to read, and no float noise in the card. */
const point = (value: number) => Math.round(value * 100) / 100;

/** The chart element (with its fallback) and, when some values are not shown, a note saying which. */
export function chartElements(chart: Chart): CardElement[] {
  const hidden = hiddenCells(chart);
  const note: CardElement[] =
    hidden.length === 0
      ? []
      : [
          {
            type: 'TextBlock',
            text: `Not shown, ${gapText(chart)}: ${hidden.join(', ')}.`,
            wrap: true,
            isSubtle: true,
            size: 'Small',
            spacing: 'Small',
          },
        ];
  return [{ ...chartElement(chart), fallback: chartFallback(chart) }, ...note];
}

/** The Teams chart element for the chart, without its fallback. */
export function chartElement(chart: Chart): CardElement {
  const axis = chart.unit ? { yAxisTitle: chart.unit } : {};
  const only = chart.series.length === 1 ? chart.series[0] : undefined;
  if (chart.kind === 'bar' && only) {
    return {
      type: 'Chart.VerticalBar',
      title: chart.title,
      ...axis,
      showBarValues: true,
      color: 'categoricalBlue',
      data: chart.categories.flatMap((x, i) => {
        const y = only.values[i];
        return y === null || y === undefined ? [] : [{ x, y: point(y) }];
      }),
    };
  }
  return {
    type: chart.kind === 'bar' ? 'Chart.VerticalBar.Grouped' : 'Chart.Line',
    title: chart.title,
    ...axis,
    ...(chart.kind === 'bar' ? { showBarValues: true } : {}),
    colorSet: 'categorical',
    data: chart.series.map((series) => ({
      legend: series.name,
      values: chart.categories.flatMap((x, i) => {
        const y = series.values[i];
        return y === null || y === undefined ? [] : [{ x, y: point(y) }];
      }),
    })),
  };
}

/**
 * What a client without chart elements shows: the title, the series in order (when there are several), then one fact
 * per category with each series' value in that order — the series names once, not in every fact, for size.
 */
export function chartFallback(chart: Chart): CardElement {
  const legend: CardElement[] =
    chart.series.length > 1
      ? [{ type: 'TextBlock', text: chart.series.map((s) => s.name).join(' · '), isSubtle: true, wrap: true }]
      : [];
  return {
    type: 'Container',
    items: [
      { type: 'TextBlock', text: chart.title, weight: 'Bolder', wrap: true },
      ...legend,
      {
        type: 'FactSet',
        facts: chart.categories.map((category, i) => ({
          title: category,
          value: chart.series.map((s) => formatChartValue(s.values[i] ?? null, chart.unit, gapText(chart))).join(' · '),
        })),
      },
    ],
  };
}
