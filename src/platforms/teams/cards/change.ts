/**
 * The change-request cards of the Teams side, as Adaptive Cards 1.5: the "Propose a change" opener the bot answers
 * `change request …` with, the change-request form shown in a task module (new, or a request sent back for changes),
 * and the small forms of the CoE's "request changes" and "reject". Pure functions: what to show in, a card out.
 */
import type { TaskModuleResponse } from 'botbuilder';
import { AI_LIMITS, AI_STATUS_LABELS, AI_STATUSES } from '../../../domain/ai-rules.ts';
import {
  bumpOf,
  CHANGE_KIND_LABELS,
  CHANGE_KINDS,
  CHANGE_LIMITS,
  type ChangeDecision,
  type ChangeField,
  type ChangeFieldErrors,
  type ChangeFormValues,
  constraintId,
  IMPROVEMENT_LABELS,
  IMPROVEMENTS,
  RISK_LABELS,
  RISKS,
} from '../../../domain/change.ts';
import { LAYER_LABELS, LAYERS } from '../../../domain/people.ts';
import { sopId } from '../../../domain/sop.ts';
import { SOP_TEXT_LIMITS } from '../../../domain/sop-text.ts';
import type { ChangeFormOptions } from '../../../services/change.ts';
import type { AdaptiveCard, CardElement } from '../cards.ts';
import { CARD_ACTIONS, CHANGE_REASON_INPUT, CHANGE_FORM_INPUTS as INPUT } from '../ids.ts';
import { type DecisionFormSpec, decisionTask } from './decision.ts';
import {
  card,
  choiceSet,
  choices,
  FormLayout,
  heading,
  note,
  openerCard,
  prefillOf,
  submitButton,
  textInput,
  toggle,
} from './elements.ts';

/** What the form shows: the registry's choices, the values so far, and what is wrong with them. */
export interface ChangeFormState {
  sops: ChangeFormOptions['sops'];
  constraints: ChangeFormOptions['constraints'];
  /** As the card's inputs hold them: text, multi-selects as "a,b", the toggle as 'true' / 'false'. */
  values: Partial<Record<ChangeField, string>>;
  /** The request being revised (`CR-7`), carried back with the submit. */
  revise?: string;
  errors?: ChangeFieldErrors;
}

/** `change request [text]`: the card whose button opens the form, pre-filled with the text. */
export function changeOpenerCard(prefill: string): AdaptiveCard {
  return openerCard(
    'Propose a change',
    prefill
      ? 'Open the form to propose the change to the CoE; it starts with what you wrote.'
      : 'Open the form to propose a change to a workflow, template, tool, standard, training, AI rule, handoff logic or documentation. The CoE reviews it.',
    'Propose a change',
    { coeAction: CARD_ACTIONS.openChangeForm, prefill },
  );
}

/** Short text is the title; anything longer (or on several lines) is the change itself. */
export function changePrefill(text: string): Partial<Record<ChangeField, string>> {
  return prefillOf(text, CHANGE_LIMITS.title, 'change', CHANGE_LIMITS.change);
}

/** The core's form values (a stored request sent back for changes) as the card's inputs hold them. */
export function changeInputValues(values: ChangeFormValues): Partial<Record<ChangeField, string>> {
  const out: Partial<Record<ChangeField, string>> = {};
  for (const [field, value] of Object.entries(values) as [ChangeField, ChangeFormValues[ChangeField]][]) {
    if (value === undefined) continue;
    out[field] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

const improvementLabels = Object.fromEntries(
  IMPROVEMENTS.map((i) => [i, `${IMPROVEMENT_LABELS[i]} (${bumpOf(i)} version)`]),
) as Record<(typeof IMPROVEMENTS)[number], string>;

/** The change-request form, with the fields of `CHANGE_FIELDS`; Teams checks required fields and lengths. */
export function changeFormCard(state: ChangeFormState): AdaptiveCard {
  const { values } = state;
  const layout = new FormLayout(state.errors);
  layout.input(
    choiceSet(INPUT.kind, 'What changes?', choices(CHANGE_KINDS, CHANGE_KIND_LABELS), {
      value: values.kind,
      required: 'Please choose what changes.',
    }),
  );
  if (state.sops.length > 0) {
    layout.input(
      choiceSet(
        INPUT.sop,
        'The SOP it changes',
        state.sops.map((s) => ({ title: `${sopId(s.key)} · ${s.title}`, value: s.key })),
        { value: values.sop, placeholder: 'Pick a standard, or name a new one below' },
      ),
    );
  }
  layout.input(
    textInput(
      INPUT.newSop,
      state.sops.length > 0 ? 'Or a new SOP (its key)' : 'The SOP it changes (a new one: its key)',
      CHANGE_LIMITS.sop,
      { value: values.newSop, placeholder: 'inventory-scanning' },
    ),
  );
  layout.input(
    textInput(INPUT.title, 'Title', CHANGE_LIMITS.title, {
      value: values.title,
      placeholder: 'Scanners reboot at every shift change',
      required: 'Please fill in a title.',
    }),
  );
  layout.input(
    textInput(INPUT.change, 'The change', CHANGE_LIMITS.change, {
      value: values.change,
      multiline: true,
      required: 'Please describe the change.',
    }),
  );
  layout.input(
    textInput(INPUT.why, 'Why it is needed', CHANGE_LIMITS.why, {
      value: values.why,
      multiline: true,
      required: 'Please say why it is needed.',
    }),
  );
  layout.input(
    textInput(INPUT.friction, 'Friction reports it answers (optional)', CHANGE_LIMITS.friction, {
      value: values.friction,
      placeholder: 'FR-3, FR-7',
    }),
  );
  if (state.constraints.length > 0) {
    layout.input(
      choiceSet(
        INPUT.constraint,
        'Executive constraint it serves (optional)',
        state.constraints.map((c) => ({ title: c.text, value: constraintId(c.number) })),
        { value: values.constraint, placeholder: 'None' },
      ),
    );
  }
  layout.input(
    choiceSet(INPUT.risk, 'Risk', choices(RISKS, RISK_LABELS), {
      value: values.risk,
      required: 'Please choose the risk.',
    }),
  );
  layout.input(
    choiceSet(
      INPUT.improvement,
      'Kind of improvement (it decides the version bump)',
      choices(IMPROVEMENTS, improvementLabels),
      {
        value: values.improvement,
        required: 'Please choose the kind of improvement.',
      },
    ),
  );
  layout.input(
    textInput(INPUT.proposedText, 'Proposed text of the standard (optional, Markdown)', SOP_TEXT_LIMITS.text, {
      value: values.proposedText,
      multiline: true,
      placeholder:
        'The whole text the standard would have: its current version (sop show <key>) with your changes. The CoE sees what it changes, with a clarity check.',
    }),
  );
  const aiRule: CardElement[] = [
    { type: 'TextBlock', text: 'Only for AI rule changes', weight: 'Bolder', wrap: true },
    note('What the AI usage rule for this tool becomes once the change is released.'),
  ];
  layout.input(
    textInput(INPUT.aiTool, 'AI tool', AI_LIMITS.tool, { value: values.aiTool, placeholder: 'ChatGPT' }),
    aiRule,
  );
  layout.input(
    choiceSet(INPUT.aiStatus, 'Status', choices(AI_STATUSES, AI_STATUS_LABELS), { value: values.aiStatus }),
    aiRule,
  );
  layout.input(
    textInput(INPUT.aiDataClasses, 'Data classes allowed in it', AI_LIMITS.dataClasses, {
      value: values.aiDataClasses,
      placeholder: 'public, internal',
    }),
    aiRule,
  );
  layout.input(
    textInput(INPUT.aiForbiddenInputs, 'Never put in', AI_LIMITS.forbiddenInputs, {
      value: values.aiForbiddenInputs,
      multiline: true,
      placeholder: 'Customer personal data, credentials',
    }),
    aiRule,
  );
  layout.input(
    toggle(INPUT.aiHumanReview, 'A person reviews its output before it is used', values.aiHumanReview),
    aiRule,
  );
  layout.input(
    choiceSet(INPUT.aiLayers, 'Who may use it (none ticked: every layer)', choices(LAYERS, LAYER_LABELS), {
      value: values.aiLayers,
      multiSelect: true,
    }),
    aiRule,
  );
  const title = state.revise ? `Revise ${state.revise}` : 'Propose a change';
  const body = [
    heading(title),
    note('Every change to how we work goes through the CoE: say what changes, why, and which reports it answers.'),
    ...layout.problems(),
    ...layout.fields,
    { type: 'Container', style: 'emphasis', spacing: 'Large', items: aiRule },
  ];
  const data = { coeAction: CARD_ACTIONS.submitChange, ...(state.revise ? { revise: state.revise } : {}) };
  return card(body, [submitButton(state.revise ? 'Resubmit' : 'Submit', data)], title);
}

/** What "request changes" and "reject" ask for: the reason, which the requester reads. */
const DECISION_FORM: Record<Exclude<ChangeDecision, 'approve'>, DecisionFormSpec> = {
  requestChanges: {
    title: (id) => `Request changes on ${id}`,
    input: CHANGE_REASON_INPUT,
    label: 'What should change? The requester will read this.',
    max: CHANGE_LIMITS.reason,
    multiline: true,
    required: 'Please say what should change.',
    submit: 'Send back',
    action: CARD_ACTIONS.requestChanges,
  },
  reject: {
    title: (id) => `Reject ${id}`,
    input: CHANGE_REASON_INPUT,
    label: 'Why? The requester will read this.',
    max: CHANGE_LIMITS.reason,
    multiline: true,
    required: 'Please say why, so the requester understands the decision.',
    submit: 'Reject',
    action: CARD_ACTIONS.reject,
    destructive: true,
  },
};

/** The reason form of a change decision, in its dialog. */
export function changeDecisionTask(
  decision: Exclude<ChangeDecision, 'approve'>,
  changeId: string,
  reason?: string,
  problem?: string,
): TaskModuleResponse {
  return decisionTask(DECISION_FORM[decision], changeId, reason, problem);
}
