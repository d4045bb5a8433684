/**
 * Teams' chart elements (Chart.VerticalBar, Chart.Line, …) in cards checked against the Adaptive Card 1.5 schema,
 * which predates them and knows none.
 *
 * The rule: a chart element is accepted only where it carries a `fallback` element (not `"drop"`), because clients
 * that do not draw charts render that fallback instead, and the chart's data must have the shape Teams documents
 * (numbers where Teams wants numbers: a `null` would be a hidden value drawn as 0 or a broken chart). Each chart is
 * then replaced by its fallback, and the card that results — what a 1.5 client without charts renders — is what the
 * official schema validates. So the schema still checks every other element, and checks the fallback in the very
 * place the chart stands, instead of being loosened to let unknown types through.
 *
 * Shapes from Microsoft's "Charts in Adaptive Cards" (Teams) page; properties not listed there are not refused.
 */
import { Ajv, type ValidateFunction } from 'ajv';

const X = { type: ['string', 'number'] };
const NUMBER = { type: 'number' };
const TEXT = { type: 'string' };
const xy = { type: 'object', required: ['x', 'y'], properties: { x: X, y: NUMBER, color: TEXT } };
const series = {
  type: 'object',
  required: ['values'],
  properties: { legend: TEXT, color: TEXT, values: { type: 'array', items: xy } },
};
const slice = {
  type: 'object',
  required: ['legend', 'value'],
  properties: { legend: TEXT, value: NUMBER, color: TEXT },
};
const common = {
  title: TEXT,
  xAxisTitle: TEXT,
  yAxisTitle: TEXT,
  color: TEXT,
  colorSet: TEXT,
  showBarValues: { type: 'boolean' },
  stacked: { type: 'boolean' },
  id: TEXT,
  spacing: TEXT,
  separator: { type: 'boolean' },
  isVisible: { type: 'boolean' },
};

const SHAPES: Record<string, object> = {
  'Chart.VerticalBar': { data: { type: 'array', items: xy } },
  'Chart.HorizontalBar': { data: { type: 'array', items: xy } },
  'Chart.VerticalBar.Grouped': { data: { type: 'array', items: { ...series, required: ['legend', 'values'] } } },
  'Chart.Line': { data: { type: 'array', items: series } },
  'Chart.HorizontalBar.Stacked': {
    data: {
      type: 'array',
      items: { type: 'object', properties: { title: TEXT, data: { type: 'array', items: slice } } },
    },
  },
  'Chart.Pie': { data: { type: 'array', items: slice } },
  'Chart.Donut': { data: { type: 'array', items: slice } },
  'Chart.Gauge': { value: NUMBER, min: NUMBER, max: NUMBER },
};

let validators: Map<string, ValidateFunction> | undefined;

function shapeOf(type: string): ValidateFunction | undefined {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    validators = new Map(
      Object.entries(SHAPES).map(([name, properties]) => {
        const required = name === 'Chart.Gauge' ? ['value'] : ['data'];
        return [name, ajv.compile({ type: 'object', required, properties: { ...common, ...properties } })];
      }),
    );
  }
  return validators.get(type);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The card as a client without chart elements sees it (each chart replaced by its fallback), and what is wrong with
 * the chart elements themselves, as `path: message` lines.
 */
export function withChartFallbacks(card: unknown): { card: unknown; problems: string[] } {
  const problems: string[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}/${i}`));
    if (!isRecord(value)) return value;
    if (typeof value.type === 'string' && value.type.startsWith('Chart.')) return fallbackOf(value, path);
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, walk(v, `${path}/${key}`)]));
  };
  const fallbackOf = (chart: Record<string, unknown>, path: string): unknown => {
    const type = String(chart.type);
    const validate = shapeOf(type);
    if (!validate) problems.push(`${path}: ${type} is not a chart element Teams documents`);
    else if (!validate(chart)) {
      for (const e of validate.errors ?? [])
        problems.push(`${path}${e.instancePath}: ${type} ${e.message ?? e.keyword}`);
    }
    if (!isRecord(chart.fallback)) {
      problems.push(`${path}: ${type} needs a fallback element for clients that do not draw charts`);
      return { type: 'TextBlock', text: `(${type} without a fallback)` };
    }
    return walk(chart.fallback, `${path}/fallback`);
  };
  return { card: walk(card, ''), problems };
}
