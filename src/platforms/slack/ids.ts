/**
 * Every Slack identifier the app answers to lives here, so a listener and the view that renders its buttons can never
 * drift apart, and the manifest test can check the manifest against the code.
 */
import type { AuditPlanField } from '../../domain/audit.ts';
import type { ChangeField } from '../../domain/change.ts';
import { CHANGE_ACTIONS } from '../../domain/change-messages.ts';
import type { FrictionField } from '../../domain/friction.ts';
import { FRICTION_ACTIONS } from '../../domain/friction-messages.ts';
import { HELP_ACTIONS } from '../../domain/help.ts';
import type { ReleaseField } from '../../domain/release.ts';
import { RELEASE_ACTIONS } from '../../domain/release-messages.ts';
import { AUDIT_ACTIONS, NUDGE_ACTIONS, TRAINING_ACTIONS } from '../../domain/schedule-messages.ts';
import type { SopFormField } from '../../domain/sop-text.ts';
import { SOP_TEXT_ACTIONS } from '../../domain/sop-text-messages.ts';
import type { TrainingField } from '../../domain/training.ts';
import type { DecisionInput } from '../../services/friction.ts';

/** Slash commands this app handles; each one must be declared in manifests/slack/manifest.json. */
export const SLASH_COMMANDS = {
  coe: '/coe',
  friction: '/friction',
  changeRequest: '/change-request',
} as const;

export type SlashCommand = (typeof SLASH_COMMANDS)[keyof typeof SLASH_COMMANDS];

/** Message shortcuts (manifest `features.shortcuts`, type `message`), by callback id. */
export const MESSAGE_SHORTCUTS = {
  reportFriction: 'friction_from_message',
} as const;

/** Events API subscriptions this app handles; the manifest declares exactly these. */
export const SLACK_EVENTS: readonly string[] = ['app_home_opened'];

/** Modal callback ids. */
export const VIEWS = {
  frictionForm: 'friction_form',
  frictionConfirmation: 'friction_confirmation',
  decideRootCause: 'friction_decide_root_cause',
  decideDuplicate: 'friction_decide_duplicate',
  decideDecline: 'friction_decide_decline',
  changeForm: 'change_form',
  changeConfirmation: 'change_confirmation',
  changeRequestChanges: 'change_decide_request_changes',
  changeReject: 'change_decide_reject',
  releaseForm: 'release_form',
  releaseConfirmation: 'release_confirmation',
  trainingForm: 'training_form',
  trainingConfirmation: 'training_confirmation',
  auditPlanForm: 'audit_plan_form',
  auditPlanConfirmation: 'audit_plan_confirmation',
  auditChangeForm: 'audit_change_form',
  auditChangeConfirmation: 'audit_change_confirmation',
  auditResultsForm: 'audit_results_form',
  auditResultsConfirmation: 'audit_results_confirmation',
  sopForm: 'sop_form',
  sopConfirmation: 'sop_confirmation',
} as const;

/** Every input in our modals has one element, with this action id; the block id says which field it is. */
export const INPUT_ACTION = 'value';

/** The friction form's block ids, one per field of `FRICTION_FIELDS`, so the core's errors map back one to one. */
export const FRICTION_FORM_BLOCKS: Record<FrictionField, string> = {
  kind: 'friction.kind',
  title: 'friction.title',
  description: 'friction.description',
  team: 'friction.team',
  tool: 'friction.tool',
  frequency: 'friction.frequency',
  impact: 'friction.impact',
  relatedSop: 'friction.related_sop',
  anonymous: 'friction.anonymous',
};

/** The value of the "submit anonymously" checkbox. */
export const ANONYMOUS_OPTION = 'anonymous';

/** The decision forms' block ids, keyed by the `DecisionInput` field each one fills. */
export const DECISION_BLOCKS: Record<keyof DecisionInput, string> = {
  rootCause: 'decision.root_cause',
  duplicateOf: 'decision.duplicate_of',
  reason: 'decision.reason',
  // The decline form's other two inputs (its note is `reason`).
  lane: 'decision.lane',
  standard: 'decision.standard',
};

/** The change-request form's block ids, one per field of `CHANGE_FIELDS`, so the core's errors map back one to one. */
export const CHANGE_FORM_BLOCKS: Record<ChangeField, string> = {
  kind: 'change.kind',
  sop: 'change.sop',
  newSop: 'change.new_sop',
  title: 'change.title',
  change: 'change.change',
  why: 'change.why',
  friction: 'change.friction',
  constraint: 'change.constraint',
  risk: 'change.risk',
  improvement: 'change.improvement',
  aiTool: 'change.ai_tool',
  aiStatus: 'change.ai_status',
  aiDataClasses: 'change.ai_data_classes',
  aiForbiddenInputs: 'change.ai_forbidden_inputs',
  aiHumanReview: 'change.ai_human_review',
  aiLayers: 'change.ai_layers',
  proposedText: 'change.text',
};

/** The value of the "human review required" checkbox. */
export const HUMAN_REVIEW_OPTION = 'required';

/** The release form's block ids, one per field of `RELEASE_FIELDS`. */
export const RELEASE_FORM_BLOCKS: Record<ReleaseField, string> = {
  changes: 'release.changes',
  notes: 'release.notes',
  tags: 'release.tags',
  teams: 'release.teams',
  text: 'release.text',
};

/** The training form's block ids, one per field of `TRAINING_FIELDS`. */
export const TRAINING_FORM_BLOCKS: Record<TrainingField, string> = {
  title: 'training.title',
  material: 'training.material',
  sop: 'training.sop',
  teams: 'training.teams',
  layers: 'training.layers',
  due: 'training.due',
};

/** The audit plan form's block ids, one per field of `AUDIT_PLAN_FIELDS`. */
export const AUDIT_PLAN_BLOCKS: Record<AuditPlanField, string> = {
  sop: 'audit.sop',
  schedule: 'audit.schedule',
  checklist: 'audit.checklist',
  variance: 'audit.variance',
  owner: 'audit.owner',
};

/**
 * The `sop new` form's block ids, one per field of `SOP_FORM_FIELDS`; the text goes on in `SOP_TEXT_PARTS` more
 * boxes, Slack's text input taking 3,000 characters at most.
 */
export const SOP_FORM_BLOCKS: Record<SopFormField, string> = {
  key: 'sop.key',
  title: 'sop.title',
  owner: 'sop.owner',
  text: 'sop.text',
  link: 'sop.link',
};
export const SOP_TEXT_PARTS = ['sop.text_2', 'sop.text_3', 'sop.text_4'] as const;
/**
 * The change form's proposed text goes on in more boxes, as the `sop new` form's does: `change.text_2`, … (three by
 * default; a revision gets as many as its text fills).
 */
export const changeTextPart = (n: number) => `change.text_${n}`;
export const CHANGE_TEXT_PART = /^change\.text_(\d{1,2})$/;

/**
 * The audit results form's block ids are the core's input ids (`resultFields(i)` in src/domain/audit.ts: `item2.passed`,
 * `item2.variance`), so its errors land under the right input as they are; the pass / fail options' values are these.
 */
export const AUDIT_RESULT_OPTIONS = { pass: 'pass', fail: 'fail' } as const;

/** Buttons: the core's neutral action ids are used as Slack action ids as they are. */
export const ACTIONS = FRICTION_ACTIONS;
export const CHANGE_BUTTONS = CHANGE_ACTIONS;
export const RELEASE_BUTTONS = RELEASE_ACTIONS;
export const TRAINING_BUTTONS = TRAINING_ACTIONS;
export const AUDIT_BUTTONS = AUDIT_ACTIONS;
export const NUDGE_BUTTONS = NUDGE_ACTIONS;
export const HELP_BUTTONS = HELP_ACTIONS;
export const SOP_BUTTONS = SOP_TEXT_ACTIONS;
