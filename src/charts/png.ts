/**
 * Draws a core `Chart` as a PNG on the server, without a browser: Apache ECharts renders SVG text in server-side mode
 * and resvg (a Rust SVG renderer, prebuilt for each platform in npm) turns it into pixels with the bundled font.
 * About 0.3 s for the first chart (loading both), 60–100 ms each after that.
 *
 * Both libraries are imported on the first chart only, so a bot that never draws one does not load them. Used by the
 * Slack platform (image blocks) and by scripts that write a chart to a file; the core never calls it.
 */
import { createRequire } from 'node:module';
import type { Chart } from '../domain/chart.ts';
import { assertDrawable } from '../domain/chart.ts';
import { type ChartSize, DEFAULT_CHART_SIZE, echartsOption } from './echarts-option.ts';
import { CHART_FONT_FAMILY, chartFontFiles } from './font.ts';

export interface ChartPng {
  png: Buffer;
  /** Pixel size of the PNG (the chart size times the scale). */
  width: number;
  height: number;
}

export interface ChartRenderOptions {
  size?: ChartSize;
  /** Pixels per SVG unit: 2 keeps text sharp on high-density screens. */
  scale?: number;
}

type EChartsCore = typeof import('echarts/core');
type Resvg = typeof import('@resvg/resvg-js');

let echartsReady: Promise<EChartsCore> | undefined;
let resvgReady: Promise<Resvg> | undefined;

/**
 * ECharts' "common" build: one pre-bundled file with the SVG renderer, bar and line charts, grid, title, legend and
 * graphic. Loading it takes about 0.2 s; importing the same from ECharts' ES modules (hundreds of files) took 1 s.
 */
function loadECharts(): Promise<EChartsCore> {
  echartsReady ??= Promise.resolve().then(
    () => createRequire(import.meta.url)('echarts/dist/echarts.common.min') as EChartsCore,
  );
  echartsReady.catch(() => {
    echartsReady = undefined;
  });
  return echartsReady;
}

function loadResvg(): Promise<Resvg> {
  resvgReady ??= import('@resvg/resvg-js');
  resvgReady.catch(() => {
    resvgReady = undefined;
  });
  return resvgReady;
}

/** The chart as SVG text (no fonts embedded: text stays text, drawn later with the bundled font). */
export async function renderChartSvg(chart: Chart, size: ChartSize = DEFAULT_CHART_SIZE): Promise<string> {
  assertDrawable(chart);
  const echarts = await loadECharts();
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    instance.setOption(echartsOption(chart, size));
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}

/** Options for resvg that draw text with the bundled font only, whatever the host has installed. */
export function bundledFontOptions() {
  return {
    fontFiles: chartFontFiles(),
    loadSystemFonts: false,
    defaultFontFamily: CHART_FONT_FAMILY,
    sansSerifFamily: CHART_FONT_FAMILY,
  };
}

/**
 * Turns chart SVG into PNG bytes. On the calling thread, on purpose (about 50–100 ms a chart at 2×): measured here,
 * resvg's async render (in the libuv pool) left the process 40 MB larger after one chart and 80–110 MB after thirty;
 * this way 24 MB and 55–70 MB.
 */
export async function svgToPng(svg: string, scale = 2): Promise<ChartPng> {
  const { Resvg } = await loadResvg();
  const image = new Resvg(svg, {
    font: bundledFontOptions(),
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    logLevel: 'off',
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

/** The chart as a PNG: `size` times `scale` pixels (800×420 at 2× = 1600×840 by default). */
export async function renderChartPng(chart: Chart, options: ChartRenderOptions = {}): Promise<ChartPng> {
  const svg = await renderChartSvg(chart, options.size ?? DEFAULT_CHART_SIZE);
  return svgToPng(svg, options.scale ?? 2);
}
