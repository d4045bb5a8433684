/**
 * AI usage rules (seed §6: "The CoE defines AI usage across the entire organization"): per tool, whether it is
 * approved, restricted or prohibited, which data may go in, what must never go in, whether a human reviews its output,
 * and which layers may use it. Looking a rule up is fuzzy on the tool's name; changing one is a release.
 */
import { z } from 'zod';
import { LAYERS, type Layer } from './people.ts';

export const AI_STATUSES = ['approved', 'restricted', 'prohibited'] as const;
export type AiStatus = (typeof AI_STATUSES)[number];
export const AI_STATUS_LABELS: Record<AiStatus, string> = {
  approved: 'Approved',
  restricted: 'Restricted',
  prohibited: 'Prohibited',
};

export const AI_LIMITS = { tool: 80, dataClasses: 500, forbiddenInputs: 1000 } as const;

/** A comma-separated list ("public, internal") or a list from a multi-select. */
const list = (label: string, max: number) =>
  z
    .union([z.string(), z.array(z.string())], { error: `Please write ${label} as text.` })
    .nullish()
    .transform((value, ctx) => {
      const items = (Array.isArray(value) ? value : (value ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
      if (items.join(', ').length > max) {
        ctx.addIssue({ code: 'custom', message: `Keep ${label} under ${max} characters.` });
        return z.NEVER;
      }
      return [...new Set(items)];
    });

export const aiRuleInput = z.object({
  tool: z
    .string({ error: 'Name the AI tool this rule is about.' })
    .trim()
    .min(1, 'Name the AI tool this rule is about.')
    .max(AI_LIMITS.tool, `Keep the tool's name under ${AI_LIMITS.tool} characters.`),
  status: z.enum(AI_STATUSES, { error: 'Choose whether the tool is approved, restricted or prohibited.' }),
  dataClasses: list('the allowed data classes', AI_LIMITS.dataClasses),
  forbiddenInputs: z
    .string({ error: 'Please write the forbidden inputs as text.' })
    .trim()
    .max(AI_LIMITS.forbiddenInputs, `Keep the forbidden inputs under ${AI_LIMITS.forbiddenInputs} characters.`)
    .nullish()
    .transform((s) => s ?? ''),
  humanReview: z
    .union([z.boolean(), z.literal('true'), z.literal('false')])
    .nullish()
    .transform((v) => v === true || v === 'true'),
  layers: z
    .union([z.array(z.string()), z.string()])
    .nullish()
    .transform((value, ctx) => {
      const items = (Array.isArray(value) ? value : (value ?? '').split(','))
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const unknown = items.find((l) => !(LAYERS as readonly string[]).includes(l));
      if (unknown) {
        ctx.addIssue({ code: 'custom', message: `"${unknown}" is not a layer: use worker, manager, executive, coe.` });
        return z.NEVER;
      }
      return LAYERS.filter((l) => items.includes(l));
    }),
});

/** What a change request proposes a rule becomes. */
export type AiRuleInput = z.infer<typeof aiRuleInput>;

/** A rule in the registry: the proposal, as released, and where it came from. */
export interface AiRule extends AiRuleInput {
  toolKey: string;
  /** The change request and the release that made the rule what it is. */
  changeNumber: number;
  release: string;
  updatedAt: Date;
}

/** "Chat GPT", "chatgpt", "ChatGPT-4o " all look the same to a lookup: lower case, letters and digits only. */
export function aiToolKey(tool: string): string {
  return tool
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Edit distance between two short strings (insertions, deletions, substitutions, two neighbours swapped). */
function distance(a: string, b: string): number {
  let older: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      // "chatgtp" for "chatgpt" is one slip of the fingers, not two substitutions.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (older[j - 2] as number) + 1);
      }
      current[j] = best;
    }
    older = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The rules a person most likely meant, best first: the same key; else a key that starts with what they typed or
 * the other way round ("chatgpt" for "ChatGPT Enterprise"); else a typo away (about one edit per four letters).
 */
export function findAiRules<T extends { toolKey: string }>(rules: readonly T[], query: string): T[] {
  const key = aiToolKey(query);
  if (key.length === 0) return [];
  const exact = rules.filter((r) => r.toolKey === key);
  if (exact.length > 0) return exact;
  const scored = rules
    .map((rule) => {
      const k = rule.toolKey;
      if (key.length >= 3 && (k.startsWith(key) || key.startsWith(k)))
        return { rule, score: Math.abs(k.length - key.length) / 100 };
      const d = distance(k, key);
      return {
        rule,
        score: d <= Math.max(1, Math.floor(Math.max(k.length, key.length) / 4)) ? 1 + d : Number.POSITIVE_INFINITY,
      };
    })
    .filter((s) => Number.isFinite(s.score))
    .sort((a, b) => a.score - b.score);
  return scored.map((s) => s.rule);
}

export function mayUse(rule: Pick<AiRuleInput, 'status' | 'layers'>, layer: Layer): boolean {
  return rule.status !== 'prohibited' && (rule.layers.length === 0 || rule.layers.includes(layer));
}
