/**
 * Change requests (seed §8: "Any change to workflows, templates, tools, standards, training, AI rules, handoff logic,
 * documentation must go through the CoE"): the form's fields and limits, the lifecycle, and who may decide what.
 */
import { z } from 'zod';
import { type AiRuleInput, aiRuleInput } from './ai-rules.ts';
import { choice, fieldErrors, optionalText as optional, requiredText as text } from './form-fields.ts';
import { parseFrictionId } from './friction.ts';
import { AI_RULES_SOP, type Bump, normaliseSopKey, SOP_KEY_PATTERN } from './sop.ts';
import { normaliseText, SOP_TEXT_LIMITS } from './sop-text.ts';

/** What changes (seed §8's list, word for word). */
export const CHANGE_KINDS = [
  'workflow',
  'template',
  'tool',
  'standard',
  'training',
  'ai_rule',
  'handoff_logic',
  'documentation',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export const CHANGE_KIND_LABELS: Record<ChangeKind, string> = {
  workflow: 'Workflow',
  template: 'Template',
  tool: 'Tool',
  standard: 'Standard',
  training: 'Training',
  ai_rule: 'AI rule',
  handoff_logic: 'Handoff logic',
  documentation: 'Documentation',
};

/**
 * The seed's improvement kinds (§11): a minor version clarifies, simplifies, removes ambiguity or improves
 * alignment; a major one changes the workflow.
 */
export const IMPROVEMENTS = [
  'clarify',
  'simplify',
  'remove_ambiguity',
  'improve_alignment',
  'workflow_change',
] as const;
export type Improvement = (typeof IMPROVEMENTS)[number];
export const IMPROVEMENT_LABELS: Record<Improvement, string> = {
  clarify: 'Clarify',
  simplify: 'Simplify',
  remove_ambiguity: 'Remove ambiguity',
  improve_alignment: 'Improve alignment',
  workflow_change: 'Workflow change',
};
export const bumpOf = (improvement: Improvement): Bump => (improvement === 'workflow_change' ? 'major' : 'minor');

export const RISKS = ['low', 'medium', 'high'] as const;
export type Risk = (typeof RISKS)[number];
export const RISK_LABELS: Record<Risk, string> = { low: 'Low', medium: 'Medium', high: 'High' };

export const CHANGE_STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'changes_requested',
  'approved',
  'rejected',
  'released',
  'withdrawn',
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
export const CHANGE_STATUS_LABELS: Record<ChangeStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  rejected: 'Rejected',
  released: 'Released',
  withdrawn: 'Withdrawn',
};

export const CHANGE_LIMITS = {
  title: 120,
  change: 3000,
  why: 2000,
  sop: 60,
  friction: 200,
  reason: 1000,
  linkedFriction: 10,
} as const;

/** The form's fields; platforms name their inputs after these so errors map back one to one. */
export const CHANGE_FIELDS = [
  'kind',
  'sop',
  'newSop',
  'title',
  'change',
  'why',
  'friction',
  'constraint',
  'risk',
  'improvement',
  'aiTool',
  'aiStatus',
  'aiDataClasses',
  'aiForbiddenInputs',
  'aiHumanReview',
  'aiLayers',
  'proposedText',
] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];
export type ChangeFieldErrors = Partial<Record<ChangeField, string>>;

const changeForm = z.object({
  kind: choice(CHANGE_KINDS, 'what changes'),
  sop: optional('the SOP', CHANGE_LIMITS.sop),
  newSop: optional('the new SOP', CHANGE_LIMITS.sop),
  title: text('a title', CHANGE_LIMITS.title),
  change: text('the change', CHANGE_LIMITS.change),
  why: text('why it is needed', CHANGE_LIMITS.why),
  friction: optional('the friction reports', CHANGE_LIMITS.friction),
  constraint: optional('the executive constraint', 20),
  risk: choice(RISKS, 'the risk'),
  improvement: choice(IMPROVEMENTS, 'the kind of improvement (it decides the version bump)'),
});

/** A checked change request, as the service stores it. */
export interface ChangeInput {
  kind: ChangeKind;
  sopKey: string;
  /** The SOP is not in the registry yet: the release that ships it creates it at v1.0. */
  newSop: boolean;
  title: string;
  change: string;
  why: string;
  friction: number[];
  constraint?: number;
  risk: Risk;
  improvement: Improvement;
  aiRule?: AiRuleInput;
  /** The whole text the standard would have (Markdown), if the request proposes one. */
  proposedText?: string;
}

/** What the form checks against: the registry's SOPs and the executive constraints still active. */
export interface ChangeContext {
  sops: readonly string[];
  activeConstraints: readonly number[];
  /** Registered standards that are retired: no change may target them. */
  retired?: readonly string[];
}

/**
 * Checks a submitted change-request form. The SOP is one picked from the registry or a new key, not both; an AI rule
 * change always touches the AI usage rules standard and must say what the rule becomes. Linked friction reports are
 * parsed here; whether they exist is the service's question (it has the database).
 */
export function validateChange(
  raw: Record<string, unknown>,
  context: ChangeContext,
): { ok: true; value: ChangeInput } | { ok: false; errors: ChangeFieldErrors } {
  const errors: ChangeFieldErrors = {};
  const note = (field: ChangeField, message: string) => {
    errors[field] ??= message;
  };
  const parsed = changeForm.safeParse(raw);
  if (!parsed.success) {
    for (const [field, message] of Object.entries(fieldErrors<ChangeField>(parsed.error, raw))) {
      note(field as ChangeField, message as string);
    }
  }
  const form = parsed.success ? parsed.data : undefined;
  // A field's value even when another field is wrong, so one submission shows every problem at once.
  const valid = (field: 'sop' | 'newSop' | 'friction' | 'constraint') => {
    const one = changeForm.shape[field].safeParse(raw[field]);
    return one.success ? one.data : undefined;
  };

  let aiRule: AiRuleInput | undefined;
  if (raw.kind === 'ai_rule') {
    const rule = aiRuleInput.safeParse({
      tool: raw.aiTool,
      status: raw.aiStatus,
      dataClasses: raw.aiDataClasses,
      forbiddenInputs: raw.aiForbiddenInputs,
      humanReview: raw.aiHumanReview,
      layers: raw.aiLayers,
    });
    if (rule.success) aiRule = rule.data;
    else {
      const fields: Record<string, ChangeField> = {
        tool: 'aiTool',
        status: 'aiStatus',
        dataClasses: 'aiDataClasses',
        forbiddenInputs: 'aiForbiddenInputs',
        humanReview: 'aiHumanReview',
        layers: 'aiLayers',
      };
      for (const issue of rule.error.issues) note(fields[String(issue.path[0])] ?? 'aiTool', issue.message);
    }
  }

  let sopKey: string | undefined;
  let newSop = false;
  if (raw.kind === 'ai_rule') {
    sopKey = AI_RULES_SOP.key;
    newSop = !context.sops.includes(sopKey);
  } else {
    const [pickedText, freshText] = [valid('sop'), valid('newSop')];
    const picked = pickedText === undefined ? undefined : normaliseSopKey(pickedText);
    // Named, even if nothing of the name survives normalising ("!!!"): that is a bad key, not a missing one.
    const fresh = freshText === undefined ? undefined : normaliseSopKey(freshText);
    const retired = [picked, fresh].find((key) => key !== undefined && context.retired?.includes(key));
    const retiredNote = `SOP-${retired} is retired: it takes no new change requests.`;
    if (picked !== undefined && fresh !== undefined)
      note('newSop', 'Pick an existing SOP or name a new one, not both.');
    else if (retired !== undefined) note(picked === retired ? 'sop' : 'newSop', retiredNote);
    else if (picked === undefined && fresh === undefined) note('sop', 'Pick the SOP this changes, or name a new one.');
    else if (picked !== undefined && !context.sops.includes(picked)) {
      note('sop', `There is no SOP-${picked}; name it as a new SOP.`);
    } else if (fresh !== undefined && !SOP_KEY_PATTERN.test(fresh)) {
      note('newSop', 'Name the new SOP with letters, digits and dashes, like inventory-scanning.');
    } else if (fresh !== undefined && context.sops.includes(fresh)) {
      note('newSop', `SOP-${fresh} exists already; pick it instead.`);
    } else {
      sopKey = (picked ?? fresh) as string;
      newSop = fresh !== undefined;
    }
  }

  const proposedText = normaliseText(typeof raw.proposedText === 'string' ? raw.proposedText : '');
  if (proposedText.length > SOP_TEXT_LIMITS.text) {
    note(
      'proposedText',
      `The proposed text has ${proposedText.length.toLocaleString('en')} characters, more than ${SOP_TEXT_LIMITS.text.toLocaleString('en')}: keep the standard minimal, or keep the detail in its linked document.`,
    );
  }

  const friction = parseFrictionList(valid('friction') ?? '');
  if (!friction.ok) note('friction', friction.problem);

  let constraint: number | undefined;
  const constraintText = valid('constraint');
  if (constraintText) {
    constraint = parseConstraintId(constraintText);
    if (constraint === undefined) note('constraint', 'Name the constraint by its id, like EX-2.');
    else if (!context.activeConstraints.includes(constraint)) {
      note('constraint', `EX-${constraint} is not an active executive constraint.`);
    }
  }

  if (!form || !sopKey || !friction.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      kind: form.kind,
      sopKey,
      newSop,
      title: form.title,
      change: form.change,
      why: form.why,
      friction: friction.numbers,
      ...(constraint !== undefined ? { constraint } : {}),
      risk: form.risk,
      improvement: form.improvement,
      ...(aiRule ? { aiRule } : {}),
      ...(proposedText ? { proposedText } : {}),
    },
  };
}

/** `FR-3, fr-7 12` → [3, 7, 12]: commas, spaces or both between ids. */
export function parseFrictionList(text: string): { ok: true; numbers: number[] } | { ok: false; problem: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const numbers: number[] = [];
  for (const part of parts) {
    const number = parseFrictionId(part);
    if (number === undefined) return { ok: false, problem: `"${part}" is not a friction report id like FR-3.` };
    if (!numbers.includes(number)) numbers.push(number);
  }
  if (numbers.length > CHANGE_LIMITS.linkedFriction) {
    return { ok: false, problem: `Link at most ${CHANGE_LIMITS.linkedFriction} friction reports.` };
  }
  return { ok: true, numbers };
}

export const changeId = (number: number) => `CR-${number}`;

/** `CR-7`, `cr7`, `7`, and a review button's `CR-7:v3` (the revision it was shown on) → 7. */
export function parseChangeId(text: string): number | undefined {
  const match = /^\s*(?:cr-?)?(\d{1,9})(?::v\d{1,9})?\s*$/i.exec(text);
  return match ? Number(match[1]) : undefined;
}

export const constraintId = (number: number) => `EX-${number}`;

/** `EX-2`, `ex2`, `2` → 2. */
export function parseConstraintId(text: string): number | undefined {
  const match = /^\s*(?:ex-?)?(\d{1,9})\s*$/i.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The CoE's decisions on a change request. */
export type ChangeDecision = 'approve' | 'requestChanges' | 'reject';
export const CHANGE_DECISIONS: readonly ChangeDecision[] = ['approve', 'requestChanges', 'reject'];

/** Decisions wait on a request that is in front of the CoE: a draft from an audit, submitted, or in review. */
const DECIDABLE: readonly ChangeStatus[] = ['draft', 'submitted', 'in_review'];
export const isDecidable = (status: ChangeStatus) => DECIDABLE.includes(status);

/** The requester may take back a request the CoE has not approved yet. */
const WITHDRAWABLE: readonly ChangeStatus[] = ['draft', 'submitted', 'in_review', 'changes_requested'];
export const isWithdrawable = (status: ChangeStatus) => WITHDRAWABLE.includes(status);

/**
 * Where an approval leaves a request: approved once `quorum` distinct CoE members approved it, in review before.
 */
export function afterApproval(approvals: number, quorum: number): ChangeStatus {
  return approvals >= quorum ? 'approved' : 'in_review';
}

/** What a form shows in each field: text, a choice, several choices, a checkbox. */
export type ChangeFormValues = Partial<Record<ChangeField, string | string[] | boolean>>;

/**
 * A stored request as form values, so a requester whose request was sent back edits what they wrote. `registered`
 * says whether its SOP is in the registry now (it is picked) or still new (it is named).
 */
export function changeFormValues(change: Omit<ChangeInput, 'newSop'>, registered: boolean): ChangeFormValues {
  const values: ChangeFormValues = {
    kind: change.kind,
    title: change.title,
    change: change.change,
    why: change.why,
    risk: change.risk,
    improvement: change.improvement,
    friction: change.friction.map((n) => `FR-${n}`).join(', '),
    ...(change.constraint !== undefined ? { constraint: constraintId(change.constraint) } : {}),
    ...(registered ? { sop: change.sopKey } : { newSop: change.sopKey }),
    ...(change.proposedText ? { proposedText: change.proposedText } : {}),
  };
  if (change.aiRule) {
    values.aiTool = change.aiRule.tool;
    values.aiStatus = change.aiRule.status;
    values.aiDataClasses = change.aiRule.dataClasses.join(', ');
    values.aiForbiddenInputs = change.aiRule.forbiddenInputs;
    values.aiHumanReview = change.aiRule.humanReview;
    values.aiLayers = [...change.aiRule.layers];
  }
  return values;
}
