/**
 * The field kinds every form of the core is checked with (friction, change requests, releases, training, audits), and
 * how their problems become one sentence per field. Messages speak to the person filling the form in.
 */
import { z } from 'zod';

/** Required text, trimmed; an over-long value is told its length (`{length}` is filled in by `fieldErrors`). */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `Please fill in ${label}.` })
    .trim()
    .min(1, `Please fill in ${label}.`)
    .max(max, `Keep ${label} under ${max} characters (it has {length}).`);

/**
 * Optional text, trimmed; empty is not given. `null` too: an optional input left empty (Slack sends `value: null`
 * for it) is simply not given.
 */
export const optionalText = (label: string, max: number) =>
  z
    .string({ error: `Please write ${label} as text.` })
    .trim()
    .max(max, `Keep ${label} under ${max} characters (it has {length}).`)
    .nullish()
    .transform((s) => (s ? s : undefined));

export const choice = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, { error: `Please choose ${label}.` });

/** The choices of a multi-select: a list (Slack), or Teams' comma-joined "a,b"; empty items dropped. */
export const choices = z
  .union([z.array(z.string()), z.string()])
  .nullish()
  .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter(Boolean));

/** A failed parse as the first problem of each field, the lengths filled in from what was typed. */
export function fieldErrors<F extends string>(
  error: z.ZodError,
  raw: Record<string, unknown>,
): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as F;
    const value = raw[field];
    const length = typeof value === 'string' ? value.trim().length : 0;
    errors[field] ??= issue.message.replace('{length}', String(length));
  }
  return errors;
}
