/**
 * The friction cards of the Teams side, as Adaptive Cards 1.5: the "Report friction" opener the bot answers
 * `friction …` with, the friction form shown in a task module, and the small forms of the CoE's decisions.
 * Pure functions: what to show in, a card out.
 */
import {
  FREQUENCIES,
  FREQUENCY_LABELS,
  FRICTION_KINDS,
  type FrictionDecision,
  type FrictionField,
  IMPACT_LABELS,
  IMPACTS,
  KIND_LABELS,
  LIMITS,
} from '../../../domain/friction.ts';
import type { DecisionInput } from '../../../services/friction.ts';
import type { AdaptiveCard, CardElement } from '../cards.ts';
import { CARD_ACTIONS, DECISION_INPUTS, errorId, FRICTION_FORM_INPUTS } from '../ids.ts';

const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** What the form shows: the organisation's teams, the values so far, and what is wrong with them. */
export interface FrictionFormState {
  /** The organisation's teams; none yet → the team is free text (a fresh install must still take a report). */
  teams: readonly string[];
  /** Pre-filled or submitted values, as the card's inputs hold them (the toggle as 'true' / 'false'). */
  values: Partial<Record<FrictionField, string>>;
  /** The message the report was made from (message action), kept through every round of the form. */
  sourceLink?: string;
  /** Problems by input id; a problem with no input of its own (the source link) shows at the top. */
  errors?: Partial<Record<string, string>>;
}

/** The button data of the opener card: Teams turns `msteams.type: 'task/fetch'` into a task/fetch invoke. */
export interface OpenFormData {
  msteams: { type: 'task/fetch' };
  coeAction: typeof CARD_ACTIONS.openFrictionForm;
  prefill: string;
}

/** A bot cannot open a task module by itself: it answers `friction …` with this card, whose button does. */
export function frictionOpenerCard(prefill: string): AdaptiveCard {
  const data: OpenFormData = { msteams: { type: 'task/fetch' }, coeAction: CARD_ACTIONS.openFrictionForm, prefill };
  return card(
    [
      heading('Report friction'),
      {
        type: 'TextBlock',
        text: prefill
          ? 'Open the form to tell the CoE what got in the way; it starts with what you wrote.'
          : 'Open the form to tell the CoE what got in the way: a tool, a failure pattern, a training gap, quality variance or a cross-team issue.',
        wrap: true,
      },
    ],
    [{ type: 'Action.Submit', title: 'Report friction', style: 'positive', data }],
    'Report friction',
  );
}

/** Short text is a title; anything longer (or on several lines) is what happened. */
export function frictionPrefill(text: string): Partial<Record<FrictionField, string>> {
  const trimmed = text.trim();
  if (!trimmed) return {};
  if (trimmed.length <= LIMITS.title && !trimmed.includes('\n')) return { title: trimmed };
  return { description: trimmed.slice(0, LIMITS.description) };
}

/** The friction form, with the fields of `FRICTION_FIELDS`; Teams checks required fields and lengths client-side. */
export function frictionFormCard(state: FrictionFormState): AdaptiveCard {
  const { values, teams } = state;
  const errors = state.errors ?? {};
  const inputs = new Set<string>(Object.values(FRICTION_FORM_INPUTS));
  const unplaced = Object.entries(errors).filter(([field, text]) => text && !inputs.has(field));
  const body: CardElement[] = [
    heading('Report friction'),
    note('The CoE reads every report, and nobody is judged for what they report.'),
  ];
  if (Object.keys(errors).length > 0) {
    body.push(errorLine('Please fix what is marked below; nothing was stored yet.', 'form'));
    for (const [field, text] of unplaced) body.push(errorLine(text as string, field));
  }
  if (state.sourceLink) body.push(note(`From [this message](${state.sourceLink})`));
  const field = (element: CardElement, input: FrictionField) => {
    body.push(element);
    const problem = errors[input];
    if (problem) body.push(errorLine(problem, input));
  };
  field(
    choiceSet(FRICTION_FORM_INPUTS.kind, 'What kind of friction is it?', choices(FRICTION_KINDS, KIND_LABELS), {
      value: values.kind,
      required: 'Please choose what kind of friction this is.',
    }),
    'kind',
  );
  field(
    textInput(FRICTION_FORM_INPUTS.title, 'Short title', LIMITS.title, {
      value: values.title,
      placeholder: 'Inventory scanners fail after 30 minutes',
      required: 'Please fill in a short title.',
    }),
    'title',
  );
  field(
    textInput(FRICTION_FORM_INPUTS.description, 'What happened?', LIMITS.description, {
      value: values.description,
      multiline: true,
      required: 'Please fill in what happened.',
    }),
    'description',
  );
  field(
    teams.length > 0
      ? choiceSet(
          FRICTION_FORM_INPUTS.team,
          'Team (optional)',
          teams.map((t) => ({ title: t, value: t })),
          { value: values.team, placeholder: 'Pick your team' },
        )
      : textInput(FRICTION_FORM_INPUTS.team, 'Team (optional)', LIMITS.team, {
          value: values.team,
          placeholder: 'No teams are set up yet: name yours',
        }),
    'team',
  );
  field(
    textInput(FRICTION_FORM_INPUTS.tool, 'Tool or process affected', LIMITS.tool, {
      value: values.tool,
      placeholder: 'Inventory scanner',
      required: 'Please fill in the tool or process affected.',
    }),
    'tool',
  );
  field(
    choiceSet(FRICTION_FORM_INPUTS.frequency, 'How often?', choices(FREQUENCIES, FREQUENCY_LABELS), {
      value: values.frequency,
      required: 'Please choose how often it happens.',
    }),
    'frequency',
  );
  field(
    choiceSet(FRICTION_FORM_INPUTS.impact, 'Impact', choices(IMPACTS, IMPACT_LABELS), {
      value: values.impact,
      required: 'Please choose the impact.',
    }),
    'impact',
  );
  field(
    textInput(FRICTION_FORM_INPUTS.relatedSop, 'Related SOP (optional)', LIMITS.relatedSop, {
      value: values.relatedSop,
      placeholder: 'SOP-inventory-scanning',
    }),
    'relatedSop',
  );
  field(
    {
      type: 'Input.Toggle',
      id: FRICTION_FORM_INPUTS.anonymous,
      title: 'Submit anonymously (your name is stored nowhere; keep the report id to follow it)',
      value: values.anonymous === 'true' ? 'true' : 'false',
      valueOn: 'true',
      valueOff: 'false',
      wrap: true,
    },
    'anonymous',
  );
  const data = {
    coeAction: CARD_ACTIONS.submitFriction,
    ...(state.sourceLink ? { sourceLink: state.sourceLink } : {}),
  };
  return card(body, [{ type: 'Action.Submit', title: 'Submit', style: 'positive', data }], 'Report friction');
}

/** What each decision's form asks for. */
const DECISION_FORM: Record<
  Exclude<FrictionDecision, 'triage'>,
  {
    title: (id: string) => string;
    input: keyof typeof DECISION_INPUTS;
    label: string;
    max: number;
    multiline: boolean;
    placeholder?: string;
    required: string;
    submit: string;
    action: string;
  }
> = {
  rootCause: {
    title: (id) => `Root cause of ${id}`,
    input: DECISION_INPUTS.rootCause,
    label: 'What is the root cause?',
    max: LIMITS.rootCause,
    multiline: true,
    required: 'Please describe the root cause.',
    submit: 'Record root cause',
    action: CARD_ACTIONS.rootCause,
  },
  duplicate: {
    title: (id) => `Mark ${id} as a duplicate`,
    input: DECISION_INPUTS.duplicateOf,
    label: 'Duplicate of which report? Its +1s and reporters move there.',
    max: 20,
    multiline: false,
    placeholder: 'FR-4',
    required: 'Give the id of the report it duplicates, like FR-4.',
    submit: 'Merge',
    action: CARD_ACTIONS.duplicate,
  },
  decline: {
    title: (id) => `Decline ${id}`,
    input: DECISION_INPUTS.reason,
    label: 'Why? The reporter will read this.',
    max: LIMITS.reason,
    multiline: true,
    required: 'Please say why, so the reporter understands the decision.',
    submit: 'Decline',
    action: CARD_ACTIONS.decline,
  },
};

/** The title of a decision's task module. */
export const decisionTitle = (decision: Exclude<FrictionDecision, 'triage'>, reportId: string) =>
  DECISION_FORM[decision].title(reportId);

/** A decision's small form: one input, and a button that carries the report id back. */
export function decisionFormCard(
  decision: Exclude<FrictionDecision, 'triage'>,
  reportId: string,
  values: DecisionInput = {},
  errors: Partial<Record<keyof DecisionInput, string>> = {},
): AdaptiveCard {
  const form = DECISION_FORM[decision];
  const body: CardElement[] = [
    heading(form.title(reportId)),
    textInput(form.input, form.label, form.max, {
      value: values[form.input],
      multiline: form.multiline,
      placeholder: form.placeholder,
      required: form.required,
    }),
  ];
  const problem = errors[form.input];
  if (problem) body.push(errorLine(problem, form.input));
  const data = { coeAction: form.action, value: reportId };
  return card(
    body,
    [
      {
        type: 'Action.Submit',
        title: form.submit,
        data,
        ...(decision === 'decline' ? { style: 'destructive' } : { style: 'positive' }),
      },
    ],
    form.title(reportId),
  );
}

// ---- elements -------------------------------------------------------------------------------------------------------

function card(body: CardElement[], actions: CardElement[], fallbackText: string): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: SCHEMA, version: '1.5', body, actions, fallbackText };
}

function heading(text: string): CardElement {
  return { type: 'TextBlock', text, size: 'Large', weight: 'Bolder', wrap: true, style: 'heading' };
}

function note(text: string): CardElement {
  return { type: 'TextBlock', text, wrap: true, isSubtle: true, size: 'Small' };
}

/** The line under a bad input, as Teams shows its own validation errors. */
function errorLine(text: string, input: string): CardElement {
  return {
    type: 'TextBlock',
    id: errorId(input),
    text,
    color: 'Attention',
    wrap: true,
    size: 'Small',
    spacing: 'None',
  };
}

function choices<T extends string>(values: readonly T[], labels: Record<T, string>) {
  return values.map((value) => ({ title: labels[value], value }));
}

interface InputOptions {
  value?: string | undefined;
  placeholder?: string | undefined;
  /** The message Teams shows when the input is left empty; absent → optional. */
  required?: string;
  multiline?: boolean;
}

function textInput(id: string, label: string, maxLength: number, options: InputOptions): CardElement {
  return {
    type: 'Input.Text',
    id,
    label,
    maxLength,
    ...(options.multiline ? { isMultiline: true } : {}),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.value ? { value: options.value } : {}),
    ...(options.required ? { isRequired: true, errorMessage: options.required } : {}),
  };
}

function choiceSet(
  id: string,
  label: string,
  list: { title: string; value: string }[],
  options: InputOptions,
): CardElement {
  return {
    type: 'Input.ChoiceSet',
    id,
    label,
    style: 'compact',
    choices: list,
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.value ? { value: options.value } : {}),
    ...(options.required ? { isRequired: true, errorMessage: options.required } : {}),
  };
}
