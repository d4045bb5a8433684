/**
 * A core `Chart` as an Apache ECharts option: the layout decisions (sizes, margins, colours, labels, gaps) in one pure
 * function, so they are testable without loading ECharts. Only types are imported from ECharts here.
 */
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  GraphicComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { type Chart, formatChartValue, gapText } from '../domain/chart.ts';
import { CHART_FONT_FAMILY } from './font.ts';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | TitleComponentOption
  | LegendComponentOption
  | GraphicComponentOption
>;

/** The Okabe–Ito palette: told apart with the common colour-vision deficiencies too. */
export const CHART_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'] as const;

const TEXT = '#1f2937';
const SUBTLE = '#6b7280';
const RULE = '#e5e7eb';

/** The chart's size in SVG units; the PNG is this times the scale. */
export interface ChartSize {
  width: number;
  height: number;
}

export const DEFAULT_CHART_SIZE: ChartSize = { width: 800, height: 420 };

/**
 * Where the plot area sits (pixels from each edge). Fixed rather than measured, so that long labels never move the
 * bars and a test can find each category's column.
 */
export function plotMargins(
  chart: Chart,
  size: ChartSize = DEFAULT_CHART_SIZE,
): { left: number; right: number; top: number; bottom: number } {
  const rotated = labelsRotated(chart, size);
  const hidden = hasHiddenValues(chart);
  return { left: 64, right: 32, top: 88, bottom: (rotated ? 96 : 48) + (hidden ? 24 : 0) };
}

/** Category labels turn when the longest would not fit its slot (about 7 px a character at 12 px). */
const labelsRotated = (chart: Chart, size: ChartSize = DEFAULT_CHART_SIZE) => {
  const slot = (size.width - 96) / chart.categories.length;
  return Math.max(...chart.categories.map((c) => c.length)) * 7 > slot - 8;
};
const hasHiddenValues = (chart: Chart) => chart.series.some((s) => s.values.some((v) => v === null));

export function echartsOption(chart: Chart, size: ChartSize = DEFAULT_CHART_SIZE): ChartOption {
  const margins = plotMargins(chart, size);
  const rotated = labelsRotated(chart, size);
  const multi = chart.series.length > 1;
  const cells = chart.categories.length * chart.series.length;
  const percent = chart.unit === '%';
  // On the bars and points the number alone (a percentage keeps its sign): the axis names the unit once.
  const valueText = (value: unknown) =>
    typeof value === 'number' ? formatChartValue(value, percent ? '%' : undefined) : '';

  const series = chart.series.map((s): BarSeriesOption | LineSeriesOption => {
    // A null stays null: ECharts then draws no bar, and breaks the line (connectNulls is off).
    const data = [...s.values];
    const label = {
      show: cells <= 24,
      color: TEXT,
      fontSize: 12,
      formatter: (p: { value?: unknown }) => valueText(p.value),
    };
    if (chart.kind === 'bar') {
      return { type: 'bar', name: s.name, data, barMaxWidth: 56, label: { ...label, position: 'top' } };
    }
    return {
      type: 'line',
      name: s.name,
      data,
      connectNulls: false,
      // Every point drawn, so a value between two hidden ones still shows as a dot.
      showSymbol: true,
      showAllSymbol: true,
      symbol: 'circle',
      symbolSize: 8,
      lineStyle: { width: 3 },
      label: { ...label, position: 'top' },
    };
  });

  const graphic: GraphicComponentOption[] = hasHiddenValues(chart)
    ? [
        {
          type: 'text',
          left: margins.left,
          bottom: 12,
          style: {
            text: `A gap means ${gapText(chart)}.`,
            fill: SUBTLE,
            fontSize: 13,
            fontFamily: CHART_FONT_FAMILY,
          },
        },
      ]
    : [];

  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: [...CHART_COLOURS],
    textStyle: { fontFamily: CHART_FONT_FAMILY, color: TEXT },
    title: {
      text: chart.title,
      left: margins.left - 8,
      top: 16,
      textStyle: {
        fontSize: 18,
        fontWeight: 'bold',
        color: TEXT,
        width: size.width - margins.left - 24,
        overflow: 'truncate',
      },
    },
    legend: multi
      ? { show: true, top: 44, right: margins.right, itemGap: 16, textStyle: { fontSize: 13, color: TEXT } }
      : { show: false },
    grid: { ...margins, outerBoundsMode: 'none' },
    xAxis: {
      type: 'category',
      data: chart.categories,
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: SUBTLE } },
      axisLabel: {
        interval: 0,
        fontSize: 12,
        color: TEXT,
        rotate: rotated ? 35 : 0,
        width: rotated ? 110 : Math.max(40, (size.width - margins.left - margins.right) / chart.categories.length - 4),
        overflow: 'truncate',
      },
    },
    yAxis: {
      type: 'value',
      // From zero (bars that start elsewhere mislead), and a share's axis up to 100%.
      min: (extent: { min: number }) => Math.min(0, extent.min),
      ...(percent ? { max: (extent: { max: number }) => Math.max(100, extent.max) } : {}),
      splitLine: { lineStyle: { color: RULE } },
      axisLabel: { fontSize: 12, color: SUBTLE, formatter: (v: number) => (percent ? `${v}%` : String(v)) },
      ...(chart.unit && !percent
        ? { name: chart.unit, nameGap: 20, nameTextStyle: { color: SUBTLE, fontSize: 12, align: 'right' } }
        : {}),
    },
    series,
    graphic,
  };
}
