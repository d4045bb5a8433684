import { describe, expect, it } from 'vitest';
import { CHART_LIMITS, type Chart, HIDDEN_VALUE_TEXT } from '../../src/domain/chart.ts';
import { chartElement, chartElements, chartFallback } from '../../src/platforms/teams/cards/chart.ts';
import { card } from '../../src/platforms/teams/cards/elements.ts';
import { adaptiveCardProblems, teamsSizeProblems } from '../support/adaptive-card.ts';
import { withChartFallbacks } from '../support/adaptive-card-charts.ts';

const adoption: Chart = {
  kind: 'bar',
  title: 'Teams deployed within 14 days',
  unit: '%',
  categories: ['Warehouse', 'Inventory', 'Scanners'],
  series: [{ name: 'Adoption', values: [80, null, 62.456] }],
};

const training: Chart = {
  kind: 'bar',
  title: 'Training completed by the due date',
  unit: '%',
  categories: ['Warehouse', 'Inventory', 'Scanners'],
  series: [
    { name: 'This quarter', values: [82, null, 64] },
    { name: 'Last quarter', values: [70, 55, 60] },
  ],
};

const speed: Chart = {
  kind: 'line',
  title: 'Median days from report to release',
  unit: 'days',
  categories: ['Jan', 'Feb', 'Mar', 'Apr'],
  series: [{ name: 'Median', values: [30, 24, null, 18] }],
};

const inCard = (chart: Chart) => card(chartElements(chart), [], chart.title);

describe('a chart in a Teams card', () => {
  it.each([
    ['one bar series', 'Chart.VerticalBar', adoption],
    ['several bar series', 'Chart.VerticalBar.Grouped', training],
    ['a line', 'Chart.Line', speed],
  ])('%s: a %s with a fallback, and the card validates', (_name, type, chart) => {
    const [element] = chartElements(chart);
    expect(element).toMatchObject({ type, title: chart.title, yAxisTitle: chart.unit, fallback: chartFallback(chart) });
    expect(adaptiveCardProblems(inCard(chart))).toEqual([]);
    expect(teamsSizeProblems(inCard(chart))).toEqual([]);
  });

  it('leaves a hidden value out of the chart (never 0) and names it under the chart and in the fallback', () => {
    expect(chartElement(adoption).data).toEqual([
      { x: 'Warehouse', y: 80 },
      { x: 'Scanners', y: 62.46 },
    ]);
    expect(chartElement(training).data).toEqual([
      {
        legend: 'This quarter',
        values: [
          { x: 'Warehouse', y: 82 },
          { x: 'Scanners', y: 64 },
        ],
      },
      {
        legend: 'Last quarter',
        values: [
          { x: 'Warehouse', y: 70 },
          { x: 'Inventory', y: 55 },
          { x: 'Scanners', y: 60 },
        ],
      },
    ]);
    expect(chartElements(training)[1]).toMatchObject({
      type: 'TextBlock',
      text: `Not shown, ${HIDDEN_VALUE_TEXT}: Inventory – This quarter.`,
    });
    expect(chartElements({ ...training, series: [{ name: 'All', values: [1, 2, 3] }] })).toHaveLength(1);
  });

  it('falls back to the title and the same figures as facts, for clients that do not draw charts', () => {
    expect(chartFallback(training)).toEqual({
      type: 'Container',
      items: [
        { type: 'TextBlock', text: 'Training completed by the due date', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: 'This quarter · Last quarter', isSubtle: true, wrap: true },
        {
          type: 'FactSet',
          facts: [
            { title: 'Warehouse', value: '82% · 70%' },
            { title: 'Inventory', value: `${HIDDEN_VALUE_TEXT} · 55%` },
            { title: 'Scanners', value: '64% · 60%' },
          ],
        },
      ],
    });
    // What a 1.5 client without charts renders: the fallback in the chart's place.
    expect((withChartFallbacks(inCard(adoption)).card as { body: unknown[] }).body[0]).toEqual(chartFallback(adoption));
  });

  it('stays within the Teams message size with the most categories and series a chart may have', () => {
    const label = (prefix: string, i: number) => `${prefix} ${i} `.padEnd(CHART_LIMITS.label, 'x');
    const largest: Chart = {
      kind: 'bar',
      title: 'T'.repeat(CHART_LIMITS.title),
      unit: 'reports',
      categories: Array.from({ length: CHART_LIMITS.categories }, (_, i) => label('Team', i)),
      series: Array.from({ length: CHART_LIMITS.series }, (_, s) => ({
        name: label('Series', s),
        values: Array.from({ length: CHART_LIMITS.categories }, (_, i) => (i === s ? null : 1234.5678)),
      })),
    };
    expect(adaptiveCardProblems(inCard(largest))).toEqual([]);
    expect(teamsSizeProblems(inCard(largest))).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(inCard(largest)))).toBeLessThan(16 * 1024);
  });
});

describe('the card validator and chart elements', () => {
  const bare = { type: 'Chart.VerticalBar', data: [{ x: 'A', y: 1 }] };
  const wrap = (element: Record<string, unknown>) => card([element], [], 'chart');

  it('refuses a chart element without a fallback element', () => {
    expect(adaptiveCardProblems(wrap(bare))).toEqual([
      '/body/0: Chart.VerticalBar needs a fallback element for clients that do not draw charts',
    ]);
    expect(adaptiveCardProblems(wrap({ ...bare, fallback: 'drop' }))).toEqual([
      '/body/0: Chart.VerticalBar needs a fallback element for clients that do not draw charts',
    ]);
  });

  it('refuses chart data Teams cannot draw, such as a hidden value left as null', () => {
    const fallback = { type: 'TextBlock', text: 'A: 1' };
    expect(adaptiveCardProblems(wrap({ ...bare, fallback, data: [{ x: 'A', y: null }] }))).toEqual([
      '/body/0/data/0/y: Chart.VerticalBar must be number',
    ]);
    expect(adaptiveCardProblems(wrap({ type: 'Chart.Bubble', data: [], fallback }))).toEqual([
      '/body/0: Chart.Bubble is not a chart element Teams documents',
    ]);
  });

  it('validates the fallback where the chart stands', () => {
    const problems = adaptiveCardProblems(wrap({ ...bare, fallback: { type: 'FactSet', facts: [{ title: 'A' }] } }));
    expect(problems.length).toBeGreaterThan(0);
    expect(
      adaptiveCardProblems(wrap({ ...bare, fallback: { type: 'FactSet', facts: [{ title: 'A', value: '1' }] } })),
    ).toEqual([]);
  });
});
