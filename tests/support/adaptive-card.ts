/**
 * Validates Adaptive Cards against the official 1.5 JSON schema (tests/specs/adaptive-card.1.5.0.schema.json).
 *
 * How the schema is made to compile with ajv 8:
 * - it is draft-06, so the draft-06 meta-schema is added (ajv 8 knows draft-07 and later by default);
 * - it names itself with draft-04's `id`, which ajv 8 refuses outright ("NOT SUPPORTED: keyword id"), so the root
 *   `id` is renamed to `$id` (nested `id`s are property names, not keywords, and stay);
 * - it uses annotation keywords of its own (`version`, `features`, `example`): declared as known keywords, so the rest
 *   of ajv's strict mode still guards against typos in the schema;
 * - it puts `pattern` / `required` in branches without a `type` (valid JSON Schema: they only apply to strings /
 *   objects), which ajv's `strictTypes` would only warn about: turned off;
 * - formats `uri` / `uri-reference` need ajv-formats, which is not a dependency: `uri` is checked with URL.canParse,
 *   `uri-reference` (relative references allowed) accepts any string.
 * The schema does not require `type` or `version` on the root card, although the spec says a top-level card needs
 * both; the wrapper below adds that.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { withChartFallbacks } from './adaptive-card-charts.ts';

/** A spec file: from SPECS_DIR when set, else the copy vendored in tests/specs (see its README). */
export function specPath(file: string): string {
  const dirs = [process.env.SPECS_DIR, fileURLToPath(new URL('../specs', import.meta.url))];
  const dir = dirs.find((d): d is string => d !== undefined && existsSync(join(d, file)));
  if (dir === undefined) throw new Error(`${file} not found: tests/specs should hold it (or set SPECS_DIR)`);
  return join(dir, file);
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const { id, ...schema } = JSON.parse(readFileSync(specPath('adaptive-card.1.5.0.schema.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const ajv = new Ajv({
    allErrors: true,
    keywords: ['version', 'features', 'example'],
    strictTypes: false,
    formats: { uri: (s: string) => URL.canParse(s), 'uri-reference': true },
  });
  ajv.addMetaSchema(draft06);
  ajv.addSchema({ ...schema, $id: String(id) });
  compiled = ajv.compile({ $ref: String(id), required: ['type', 'version'] });
  return compiled;
}

/**
 * The card's problems as `path: message` lines; an empty list means the card is valid. Teams' chart elements, which
 * the 1.5 schema does not know, are accepted where they carry a fallback element and the fallback validates in their
 * place (see adaptive-card-charts.ts).
 */
export function adaptiveCardProblems(card: unknown): string[] {
  const validate = validator();
  const { card: withoutCharts, problems } = withChartFallbacks(card);
  if (validate(withoutCharts)) return problems;
  const lines = (validate.errors ?? []).map((e) => {
    const detail = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
    return `${e.instancePath || '/'}: ${e.message ?? e.keyword}${detail}`;
  });
  return [...problems, ...new Set(lines)];
}

/**
 * Teams refuses a bot message over about 28 KB, the card included ("Format your bot messages", Microsoft Learn); the
 * schema above says nothing about size.
 */
export const TEAMS_MESSAGE_MAX_BYTES = 28 * 1024;

/** A problem line when an activity or card, as JSON, is larger than Teams takes; empty when it fits. */
export function teamsSizeProblems(value: unknown): string[] {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  return bytes > TEAMS_MESSAGE_MAX_BYTES ? [`${bytes} bytes: Teams takes ${TEAMS_MESSAGE_MAX_BYTES} at most`] : [];
}
