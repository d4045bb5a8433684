import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { CHART_COLOURS, plotMargins } from '../../src/charts/echarts-option.ts';
import { bundledFontOptions, renderChartPng, renderChartSvg } from '../../src/charts/png.ts';
import type { Chart } from '../../src/domain/chart.ts';
import { type DecodedPng, decodePng, inkIn, PNG_SIGNATURE, pixelsNear, pngHeader } from '../support/png.ts';

const SCALE = 2;
const WIDTH = 800;

const bar: Chart = {
  kind: 'bar',
  title: 'Reports resolved per team',
  unit: 'reports',
  categories: ['Warehouse', 'Inventory', 'Scanners'],
  series: [{ name: 'Resolved', values: [5, null, 5] }],
};

const line: Chart = {
  kind: 'line',
  title: 'Median days to release',
  unit: 'days',
  categories: ['W1', 'W2', 'W3', 'W4', 'W5'],
  series: [{ name: 'Median', values: [4, 4, null, 4, 4] }],
};

/** A vertical strip through the middle of category `i` of the plot area, in PNG pixels. */
function column(chart: Chart, i: number) {
  const m = plotMargins(chart);
  const slot = (WIDTH - m.left - m.right) / chart.categories.length;
  const centre = (m.left + (i + 0.5) * slot) * SCALE;
  return { x: Math.round(centre - 8), y: m.top * SCALE, width: 16, height: (420 - m.top - m.bottom) * SCALE };
}

const seriesPixels = (image: DecodedPng, chart: Chart, i: number) =>
  pixelsNear(image, CHART_COLOURS[0], column(chart, i));

describe('a chart as a PNG', () => {
  it('is a PNG of the expected size that decodes, with more than a background in it', async () => {
    const { png, width, height } = await renderChartPng(bar);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngHeader(png)).toMatchObject({ width: 1600, height: 840 });
    expect([width, height]).toEqual([1600, 840]);

    const image = decodePng(png);
    const colours = new Set<string>();
    for (let i = 0; i < image.rgba.length; i += 4 * 97) colours.add(image.rgba.toString('hex', i, i + 3));
    expect(colours.size).toBeGreaterThan(10);
    expect(seriesPixels(image, bar, 0)).toBeGreaterThan(1000);

    const small = await renderChartPng(bar, { size: { width: 600, height: 300 }, scale: 1 });
    expect(pngHeader(small.png)).toMatchObject({ width: 600, height: 300 });
  });

  it('draws its text with the bundled font, with the system fonts off', async () => {
    const svg = await renderChartSvg(bar);
    expect(bundledFontOptions()).toMatchObject({ loadSystemFonts: false, defaultFontFamily: 'Inter' });
    const titleBand = { x: 0, y: 0, width: 1600, height: 70 * SCALE };
    const withFont = decodePng((await renderChartPng(bar)).png);
    const withoutFont = decodePng(
      new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [] }, fitTo: { mode: 'zoom', value: SCALE } })
        .render()
        .asPng(),
    );
    // The title is the only thing in that band: text there means the bundled font drew it.
    expect(inkIn(withFont, titleBand)).toBeGreaterThan(2000);
    expect(inkIn(withoutFont, titleBand)).toBe(0);
  });

  it('leaves a gap where a bar is not shown: no bar and no label, where a 0 would have its "0"', async () => {
    const image = decodePng((await renderChartPng(bar)).png);
    // The column above the axis line: a bar of 0 has no height but is labelled "0" just above it.
    const aboveAxis = (chart: Chart, i: number) => ({ ...column(chart, i), height: column(chart, i).height - 4 });
    expect(seriesPixels(image, bar, 0)).toBeGreaterThan(1000);
    expect(seriesPixels(image, bar, 1)).toBe(0);
    expect(inkIn(image, aboveAxis(bar, 1))).toBe(0);
    expect(seriesPixels(image, bar, 2)).toBeGreaterThan(1000);

    const zeroChart: Chart = { ...bar, series: [{ name: 'Resolved', values: [5, 0, 5] }] };
    const zero = decodePng((await renderChartPng(zeroChart)).png);
    expect(inkIn(zero, aboveAxis(zeroChart, 1))).toBeGreaterThan(20);
  });

  it('breaks a line where a value is not shown instead of joining across it or dropping to 0', async () => {
    const image = decodePng((await renderChartPng(line)).png);
    expect(seriesPixels(image, line, 1)).toBeGreaterThan(50);
    expect(seriesPixels(image, line, 2)).toBe(0);
    expect(seriesPixels(image, line, 3)).toBeGreaterThan(50);

    const zeroLine: Chart = { ...line, series: [{ name: 'Median', values: [4, 4, 0, 4, 4] }] };
    expect(seriesPixels(decodePng((await renderChartPng(zeroLine)).png), zeroLine, 2)).toBeGreaterThan(50);
  });

  it('refuses a chart it cannot draw, saying why', async () => {
    await expect(renderChartPng({ ...bar, categories: [] })).rejects.toThrow(/there are no categories/);
  });
});
