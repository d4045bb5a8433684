/**
 * Audits (seed §7: the CoE defines how quality is measured, when audits occur, what variance is acceptable and what
 * triggers a workflow redesign): a plan per standard with a schedule, a checklist and the acceptable variance; each
 * run is recorded item by item, and a variance outside what is acceptable opens a redesign. Audits are about
 * processes and teams, never people.
 */
import { z } from 'zod';
import type { ChangeKind, Improvement, Risk } from './change.ts';
import { fieldErrors } from './form-fields.ts';
import { normaliseSopKey } from './sop.ts';

export const AUDIT_PLAN_FIELDS = ['sop', 'schedule', 'checklist', 'variance', 'owner'] as const;
export type AuditPlanField = (typeof AUDIT_PLAN_FIELDS)[number];
export type AuditPlanErrors = Partial<Record<AuditPlanField, string>>;

export const AUDIT_LIMITS = { items: 15, item: 150, schedule: 60 } as const;

/** Active plans run on their schedule; paused ones wait for `audit resume`; stopped ones are history, for good. */
export const AUDIT_PLAN_STATES = ['active', 'paused', 'stopped'] as const;
export type AuditPlanState = (typeof AUDIT_PLAN_STATES)[number];

export interface AuditPlanInput {
  sopKey: string;
  schedule: string;
  checklist: string[];
  /** Percent. */
  acceptableVariance: number;
}

const planForm = z.object({
  sop: z.string({ error: 'Pick the standard to audit.' }).trim().min(1, 'Pick the standard to audit.'),
  schedule: z
    .string({ error: 'Give the schedule as a cron expression.' })
    .trim()
    .min(1, 'Give the schedule as a cron expression, like 0 9 * * 1 (Mondays at 09:00).')
    .max(AUDIT_LIMITS.schedule, 'That schedule is too long for a cron expression.'),
  checklist: z.string({ error: 'List what is checked, one item per line.' }),
  variance: z.union([z.string(), z.number()], { error: 'Give the acceptable variance in percent, like 5.' }),
});

/**
 * Checks an audit plan form. `validSchedule` says whether the scheduler can run a cron expression (the domain does
 * not parse cron); `sops` are the registered standards.
 */
export function validateAuditPlan(
  raw: Record<string, unknown>,
  context: { sops: readonly string[]; validSchedule: (expression: string) => boolean },
): { ok: true; value: AuditPlanInput } | { ok: false; errors: AuditPlanErrors } {
  const parsed = planForm.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors<AuditPlanField>(parsed.error, raw) };
  const errors: AuditPlanErrors = {};
  const input = parsed.data;
  const sopKey = normaliseSopKey(input.sop);
  if (!context.sops.includes(sopKey)) errors.sop = `There is no SOP-${sopKey}; register it first with sop new.`;
  const schedule = input.schedule.replace(/\s+/g, ' ');
  if (!context.validSchedule(schedule)) {
    errors.schedule = `"${schedule}" is not a cron expression; write minute hour day month weekday, like 0 9 * * 1.`;
  }
  const checklist = input.checklist
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .filter(Boolean);
  if (checklist.length === 0) errors.checklist = 'List what is checked, one item per line.';
  else if (checklist.length > AUDIT_LIMITS.items) errors.checklist = `Keep it to ${AUDIT_LIMITS.items} items.`;
  else if (checklist.some((item) => item.length > AUDIT_LIMITS.item)) {
    errors.checklist = `Keep each item under ${AUDIT_LIMITS.item} characters.`;
  }
  const variance = parsePercent(input.variance);
  if (variance === undefined || variance > 100) errors.variance = 'Give the acceptable variance in percent, 0 to 100.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { sopKey, schedule, checklist, acceptableVariance: variance as number } };
}

/** `5`, `5%`, ` 12.5 % ` → the number; undefined for anything else (negative included). */
export function parsePercent(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = /^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%?\s*$/.exec(value);
  return match ? Number((match[1] as string).replace(',', '.')) : undefined;
}

export interface AuditItemResult {
  item: string;
  passed: boolean;
  /** Measured variance, percent. */
  variance: number;
}

/** The results form's inputs for checklist item `i`. */
export const resultFields = (i: number) => ({ passed: `item${i}.passed`, variance: `item${i}.variance` });

/**
 * Checks recorded results: every item pass or fail, with its measured variance in percent. Errors are keyed by the
 * input (`item2.variance`).
 */
export function validateAuditResults(
  raw: Record<string, unknown>,
  checklist: readonly string[],
): { ok: true; value: AuditItemResult[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const results: AuditItemResult[] = [];
  checklist.forEach((item, i) => {
    const fields = resultFields(i);
    const passed = raw[fields.passed];
    if (passed !== 'pass' && passed !== 'fail') errors[fields.passed] = 'Choose pass or fail.';
    const rawVariance = raw[fields.variance];
    const variance =
      typeof rawVariance === 'string' || typeof rawVariance === 'number' ? parsePercent(rawVariance) : undefined;
    if (variance === undefined) errors[fields.variance] = 'Give the measured variance in percent, like 3.5.';
    if (!errors[fields.passed] && !errors[fields.variance]) {
      results.push({ item, passed: passed === 'pass', variance: variance as number });
    }
  });
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: results };
}

/** A run breaches its plan when any item's measured variance is outside the acceptable variance. */
export function assessAudit(results: readonly AuditItemResult[], acceptable: number) {
  const maxVariance = Math.max(0, ...results.map((r) => r.variance));
  return {
    maxVariance,
    breach: maxVariance > acceptable,
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed).length,
  };
}

export const auditId = (number: number) => `AUD-${number}`;

export function parseAuditId(text: string): number | undefined {
  const match = /^\s*(?:aud-?)?(\d{1,9})\s*$/i.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The redesign a breach opens (seed §7): a draft change request of the audited standard, for the CoE to shape. */
export function redesignDraft(
  plan: { number: number; sopKey: string; acceptableVariance: number },
  run: { id: number; dueAt: Date },
  results: readonly AuditItemResult[],
): {
  kind: ChangeKind;
  sopKey: string;
  title: string;
  change: string;
  why: string;
  risk: Risk;
  improvement: Improvement;
} {
  const over = results.filter((r) => r.variance > plan.acceptableVariance);
  const worst = Math.max(...over.map((r) => r.variance));
  const lines = over.map((r) => `• ${r.item}: ${r.variance}% (${r.passed ? 'passed' : 'failed'})`).join('\n');
  return {
    kind: 'workflow',
    sopKey: plan.sopKey,
    title: `Redesign after ${auditId(plan.number)}: variance ${worst}% > ${plan.acceptableVariance}%`,
    change: `To be designed by the CoE. The audit of ${run.dueAt.toISOString().slice(0, 10)} (${auditId(plan.number)}, run ${run.id}) measured, outside the acceptable ${plan.acceptableVariance}%:\n${lines}`,
    why: 'An audit result outside the acceptable variance triggers a workflow redesign (seed §7). The cause is in the system, not in the people.',
    risk: 'medium',
    improvement: 'workflow_change',
  };
}
