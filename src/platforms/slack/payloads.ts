/**
 * What Slack sends us, checked with zod before anything is believed: the parts of interaction payloads the listeners
 * read, and the values typed into our modals. Unknown keys are dropped; a malformed input reads as empty.
 */
import { z } from 'zod';
import type { AuditPlanField } from '../../domain/audit.ts';
import { CHANGE_FIELDS, type ChangeField } from '../../domain/change.ts';
import type { FrictionField } from '../../domain/friction.ts';
import type { PersonRef } from '../../domain/people.ts';
import type { ReleaseField } from '../../domain/release.ts';
import type { TrainingField } from '../../domain/training.ts';
import {
  ANONYMOUS_OPTION,
  AUDIT_PLAN_BLOCKS,
  CHANGE_FORM_BLOCKS,
  CHANGE_TEXT_PART,
  FRICTION_FORM_BLOCKS,
  HUMAN_REVIEW_OPTION,
  INPUT_ACTION,
  RELEASE_FORM_BLOCKS,
  TRAINING_FORM_BLOCKS,
} from './ids.ts';

const id = z.string().min(1).max(255);

export const slashCommand = z.object({
  user_id: id,
  user_name: z.string().max(255).optional(),
  channel_id: id,
  channel_name: z.string().optional(),
  trigger_id: id,
  response_url: z.string().optional(),
  text: z.string().max(4000).default(''),
});

const user = z.object({
  id,
  name: z.string().max(255).optional(),
  username: z.string().max(255).optional(),
});

/** The person who acted: their name as Slack shows it where it is known (`names`), and their username. */
export function actorOf(u: z.infer<typeof user>, names: { nameOf(id: string): string | undefined }): PersonRef {
  const handle = u.username ?? u.name;
  const displayName = names.nameOf(u.id);
  return {
    platform: 'slack',
    externalId: u.id,
    ...(displayName ? { displayName } : {}),
    ...(handle ? { handle } : {}),
  };
}

/** `view.state.values`: block id → action id → element state, each element checked on its own when read. */
const stateValues = z.record(z.string(), z.record(z.string(), z.unknown()));
export type FormState = z.infer<typeof stateValues>;

export const viewSubmission = z.object({
  user,
  view: z.object({
    id,
    hash: z.string().min(1).max(255),
    callback_id: z.string(),
    private_metadata: z.string().max(3000).default(''),
    state: z.object({ values: stateValues }),
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmission>;

export const blockAction = z.object({
  user,
  trigger_id: id,
  response_url: z.string().optional(),
  container: z
    .object({
      type: z.string(),
      message_ts: z.string().optional(),
      channel_id: z.string().optional(),
      view_id: z.string().optional(),
    })
    .optional(),
  channel: z.object({ id }).optional(),
  view: z.object({ id, hash: z.string().min(1).max(255) }).optional(),
  actions: z
    .array(z.object({ action_id: id, value: z.string().max(2000).default(''), action_ts: z.string().optional() }))
    .min(1),
});
export type BlockActionPayload = z.infer<typeof blockAction>;

export const messageShortcut = z.object({
  user,
  trigger_id: id,
  response_url: z.string().optional(),
  channel: z.object({ id }),
  message_ts: id,
  message: z.object({ text: z.string().max(40_000).default('') }).default({ text: '' }),
});

export const appHomeOpened = z.object({
  type: z.literal('app_home_opened'),
  user: id,
  tab: z.string().optional(),
});

const elementState = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
  /** A datepicker's `YYYY-MM-DD`. */
  selected_date: z.string().max(10).nullish(),
  /** A users_select's user id. */
  selected_user: z.string().max(255).nullish(),
});

function element(values: FormState, blockId: string) {
  const parsed = elementState.safeParse(values[blockId]?.[INPUT_ACTION]);
  return parsed.success ? parsed.data : undefined;
}

/** What was typed or picked in one input: its text, its one chosen option's value, its date or its user. */
export function formValue(values: FormState, blockId: string): string | undefined {
  const e = element(values, blockId);
  return e?.value ?? e?.selected_option?.value ?? e?.selected_date ?? e?.selected_user ?? undefined;
}

/** The values chosen in a multi-select or a group of checkboxes. */
function chosen(values: FormState, blockId: string): string[] {
  return (element(values, blockId)?.selected_options ?? []).map((o) => o.value);
}

/** The friction form's values, by field name, as the core's `submit` takes them (it validates them). */
export function readFrictionForm(values: FormState): Record<FrictionField, unknown> {
  const field = (name: FrictionField) => formValue(values, FRICTION_FORM_BLOCKS[name]);
  return {
    kind: field('kind'),
    title: field('title'),
    description: field('description'),
    team: field('team'),
    tool: field('tool'),
    frequency: field('frequency'),
    impact: field('impact'),
    relatedSop: field('relatedSop'),
    anonymous: chosen(values, FRICTION_FORM_BLOCKS.anonymous).includes(ANONYMOUS_OPTION),
  };
}

/** The change-request form's values, by field name, as the core's `submit` takes them (it validates them). */
export function readChangeForm(values: FormState): Record<ChangeField, unknown> {
  const raw = Object.fromEntries(CHANGE_FIELDS.map((f) => [f, formValue(values, CHANGE_FORM_BLOCKS[f])])) as Record<
    ChangeField,
    unknown
  >;
  raw.aiHumanReview = chosen(values, CHANGE_FORM_BLOCKS.aiHumanReview).includes(HUMAN_REVIEW_OPTION);
  raw.aiLayers = chosen(values, CHANGE_FORM_BLOCKS.aiLayers);
  // The proposed text goes on in "continued" boxes (Slack's 3,000 characters a box): joined in their order.
  const parts = Object.keys(values)
    .map((block) => ({ block, n: Number(CHANGE_TEXT_PART.exec(block)?.[1] ?? Number.NaN) }))
    .filter((p) => !Number.isNaN(p.n))
    .sort((a, b) => a.n - b.n)
    .map((p) => p.block);
  raw.proposedText = [CHANGE_FORM_BLOCKS.proposedText, ...parts]
    .map((block) => formValue(values, block) ?? '')
    .filter((t) => t.trim())
    .join('\n');
  return raw;
}

/** Whether the submitted view had this input (a form leaves out the choices it has none of). */
export function hasInput(values: FormState, blockId: string): boolean {
  return values[blockId] !== undefined;
}

/** The release form's values, as the core's `publish` takes them (it validates them). */
export function readReleaseForm(values: FormState): Record<ReleaseField, unknown> {
  return {
    changes: chosen(values, RELEASE_FORM_BLOCKS.changes),
    notes: formValue(values, RELEASE_FORM_BLOCKS.notes),
    tags: chosen(values, RELEASE_FORM_BLOCKS.tags),
    teams: chosen(values, RELEASE_FORM_BLOCKS.teams),
    text: formValue(values, RELEASE_FORM_BLOCKS.text),
  };
}

/** The training form's values, as the core's `assign` takes them (it validates them). */
export function readTrainingForm(values: FormState): Record<TrainingField, unknown> {
  const B = TRAINING_FORM_BLOCKS;
  return {
    title: formValue(values, B.title),
    material: formValue(values, B.material),
    sop: formValue(values, B.sop),
    teams: chosen(values, B.teams),
    layers: chosen(values, B.layers),
    due: formValue(values, B.due),
  };
}

/** The audit plan form's values as the core's `plan` takes them, and the Slack user picked as its owner, if any. */
export function readAuditPlanForm(values: FormState): {
  raw: Record<Exclude<AuditPlanField, 'owner'>, unknown>;
  owner: string | undefined;
} {
  const B = AUDIT_PLAN_BLOCKS;
  const owner = formValue(values, B.owner);
  return {
    raw: {
      sop: formValue(values, B.sop),
      schedule: formValue(values, B.schedule),
      checklist: formValue(values, B.checklist),
      variance: formValue(values, B.variance),
    },
    owner: owner && /^[UW][A-Z0-9]{1,40}$/.test(owner) ? owner : undefined,
  };
}

/** The results form's inputs are named after the core's (`item2.passed`, `item2.variance`): each read as it is. */
const RESULT_INPUT = /^item\d{1,3}\.(?:passed|variance)$/;

/** The audit results form's values, by the core's input ids (it validates them against the checklist). */
export function readAuditResults(values: FormState): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(values)
      .filter((blockId) => RESULT_INPUT.test(blockId))
      .map((blockId) => [blockId, formValue(values, blockId)]),
  );
}

const auditResultsMetadata = z.object({ run: z.string().regex(/^\d{1,9}$/) });

/** The results form's `private_metadata`: the run it records; undefined when malformed. */
export function readAuditResultsMetadata(text: string): { run: string } | undefined {
  return parseJson(text, auditResultsMetadata);
}

const auditChangeMetadata = z.object({ plan: z.string().regex(/^AUD-\d{1,9}$/) });

/** The audit change form's `private_metadata`: the plan it changes; undefined when malformed. */
export function readAuditChangeMetadata(text: string): { plan: string } | undefined {
  return parseJson(text, auditChangeMetadata);
}

const frictionFormMetadata = z.object({ sourceLink: z.url().max(2000).optional() });

export function readFrictionFormMetadata(text: string): { sourceLink?: string } {
  return parseJson(text, frictionFormMetadata) ?? {};
}

const decisionMetadata = z.object({ number: z.number().int().positive(), channel: z.string().max(255).optional() });

export function readDecisionMetadata(text: string): z.infer<typeof decisionMetadata> | undefined {
  return parseJson(text, decisionMetadata);
}

const changeFormMetadata = z.object({
  revise: z
    .string()
    .regex(/^CR-\d{1,9}$/)
    .optional(),
});

/** The change-request form's `private_metadata`: which request it revises, if any; undefined when malformed. */
export function readChangeFormMetadata(text: string): { revise?: string } | undefined {
  return text ? parseJson(text, changeFormMetadata) : {};
}

function parseJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  if (!text) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
