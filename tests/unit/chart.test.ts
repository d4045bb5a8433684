import { describe, expect, it } from 'vitest';
import { echartsOption, plotMargins } from '../../src/charts/echarts-option.ts';
import {
  CHART_LIMITS,
  type Chart,
  chartAltText,
  chartProblems,
  formatChartValue,
  HIDDEN_VALUE_TEXT,
  hiddenCells,
} from '../../src/domain/chart.ts';

const training: Chart = {
  kind: 'bar',
  title: 'Training completed by the due date',
  unit: '%',
  categories: ['Warehouse', 'Inventory', 'Scanners'],
  series: [
    { name: 'This quarter', values: [82, null, 64] },
    { name: 'Last quarter', values: [70, 55, null] },
  ],
};

describe('the chart description', () => {
  it('accepts a drawable chart and names every problem of one that is not', () => {
    expect(chartProblems(training)).toEqual([]);
    const broken: Chart = {
      kind: 'line',
      title: ' ',
      categories: ['A', 'A', ''],
      series: [
        { name: 'x', values: [1, Number.NaN] },
        { name: 'x', values: [1, 2, 3] },
      ],
    };
    expect(chartProblems(broken)).toEqual([
      'the title is empty',
      'two categories have the same name',
      'two series have the same name',
      'a category or series name is empty',
      'series "x" has 2 values for 3 categories',
      'series "x" has a value that is not a finite number',
    ]);
    const tooMany: Chart = {
      ...training,
      categories: Array.from({ length: CHART_LIMITS.categories + 1 }, (_, i) => `C${i}`),
      series: [],
    };
    expect(chartProblems(tooMany)).toEqual([
      `${CHART_LIMITS.categories + 1} categories: at most ${CHART_LIMITS.categories}`,
      'there are no series',
    ]);
  });

  it('names the hidden cells, by category alone when there is one series', () => {
    expect(hiddenCells(training)).toEqual(['Inventory – This quarter', 'Scanners – Last quarter']);
    expect(hiddenCells({ ...training, series: [{ name: 'Now', values: [1, null, null] }] })).toEqual([
      'Inventory',
      'Scanners',
    ]);
  });

  it('writes values the way people read them, and a hidden value as "too few to show", never 0', () => {
    expect(formatChartValue(82, '%')).toBe('82%');
    expect(formatChartValue(4.25, 'days')).toBe('4.3 days');
    expect(formatChartValue(0, 'reports')).toBe('0 reports');
    expect(formatChartValue(null, '%')).toBe(HIDDEN_VALUE_TEXT);
    expect(formatChartValue(7)).toBe('7');
  });

  it('describes itself in one sentence for people who cannot see it', () => {
    expect(chartAltText(training)).toBe(
      'Bar chart, Training completed by the due date. This quarter: Warehouse 82%, Inventory too few to show, ' +
        'Scanners 64%. Last quarter: Warehouse 70%, Inventory 55%, Scanners too few to show.',
    );
  });
});

describe('the ECharts option', () => {
  it('keeps a hidden value as a gap (null), never 0, and never joins a line across it', () => {
    const option = echartsOption({ ...training, kind: 'line' });
    const series = option.series as { data: unknown[]; connectNulls?: boolean; type: string }[];
    expect(series.map((s) => s.data)).toEqual([
      [82, null, 64],
      [70, 55, null],
    ]);
    expect(series.every((s) => s.type === 'line' && s.connectNulls === false)).toBe(true);
    const bars = echartsOption(training).series as { data: unknown[]; type: string }[];
    expect(bars.map((s) => [s.type, s.data])).toEqual([
      ['bar', [82, null, 64]],
      ['bar', [70, 55, null]],
    ]);
  });

  it('says what a gap means under a chart that has one, and only then', () => {
    const note = (chart: Chart) => JSON.stringify(echartsOption(chart).graphic);
    expect(note(training)).toContain(`A gap means ${HIDDEN_VALUE_TEXT}.`);
    expect(note({ ...training, series: [{ name: 'All', values: [1, 2, 3] }] })).toBe('[]');
  });

  it('draws with the bundled font, no animation, a fixed plot area and a legend only for several series', () => {
    const option = echartsOption(training) as Record<string, unknown>;
    expect(option).toMatchObject({
      animation: false,
      textStyle: { fontFamily: 'Inter' },
      legend: { show: true },
      grid: { ...plotMargins(training), outerBoundsMode: 'none' },
    });
    const single = echartsOption({ ...training, series: [{ name: 'All', values: [1, 2, 3] }] });
    expect(single.legend).toEqual({ show: false });
  });

  it('starts the value axis at zero and runs a share up to 100%', () => {
    const yAxis = echartsOption(training).yAxis as {
      min: (e: { min: number }) => number;
      max: (e: { max: number }) => number;
    };
    expect(yAxis.min({ min: 40 })).toBe(0);
    expect(yAxis.min({ min: -5 })).toBe(-5);
    expect(yAxis.max({ max: 82 })).toBe(100);
  });
});
