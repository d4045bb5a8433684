/**
 * The friction cards of the Teams side, as Adaptive Cards 1.5: the "Report friction" opener the bot answers
 * `friction …` with, the friction form shown in a task module, and the small forms of the CoE's decisions.
 * Pure functions: what to show in, a card out.
 */
import type { TaskModuleResponse } from 'botbuilder';
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
import type { AdaptiveCard } from '../cards.ts';
import { CARD_ACTIONS, DECISION_INPUTS, FRICTION_FORM_INPUTS } from '../ids.ts';
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
import { frictionDeclineTask } from './friction-decline.ts';

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

/** A bot cannot open a task module by itself: it answers `friction …` with this card, whose button does. */
export function frictionOpenerCard(prefill: string): AdaptiveCard {
  return openerCard(
    'Report friction',
    prefill
      ? 'Open the form to tell the CoE what got in the way; it starts with what you wrote.'
      : 'Open the form to tell the CoE what got in the way: a tool, a failure pattern, a training gap, quality variance or a cross-team issue.',
    'Report friction',
    { coeAction: CARD_ACTIONS.openFrictionForm, prefill },
  );
}

/** Short text is a title; anything longer (or on several lines) is what happened. */
export function frictionPrefill(text: string): Partial<Record<FrictionField, string>> {
  return prefillOf(text, LIMITS.title, 'description', LIMITS.description);
}

/** The friction form, with the fields of `FRICTION_FIELDS`; Teams checks required fields and lengths client-side. */
export function frictionFormCard(state: FrictionFormState): AdaptiveCard {
  const { values, teams } = state;
  const layout = new FormLayout(state.errors);
  layout.input(
    choiceSet(FRICTION_FORM_INPUTS.kind, 'What kind of friction is it?', choices(FRICTION_KINDS, KIND_LABELS), {
      value: values.kind,
      required: 'Please choose what kind of friction this is.',
    }),
  );
  layout.input(
    textInput(FRICTION_FORM_INPUTS.title, 'Short title', LIMITS.title, {
      value: values.title,
      placeholder: 'Inventory scanners fail after 30 minutes',
      required: 'Please fill in a short title.',
    }),
  );
  layout.input(
    textInput(FRICTION_FORM_INPUTS.description, 'What happened?', LIMITS.description, {
      value: values.description,
      multiline: true,
      required: 'Please fill in what happened.',
    }),
  );
  layout.input(
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
  );
  layout.input(
    textInput(FRICTION_FORM_INPUTS.tool, 'Tool or process affected', LIMITS.tool, {
      value: values.tool,
      placeholder: 'Inventory scanner',
      required: 'Please fill in the tool or process affected.',
    }),
  );
  layout.input(
    choiceSet(FRICTION_FORM_INPUTS.frequency, 'How often?', choices(FREQUENCIES, FREQUENCY_LABELS), {
      value: values.frequency,
      required: 'Please choose how often it happens.',
    }),
  );
  layout.input(
    choiceSet(FRICTION_FORM_INPUTS.impact, 'Impact', choices(IMPACTS, IMPACT_LABELS), {
      value: values.impact,
      required: 'Please choose the impact.',
    }),
  );
  layout.input(
    textInput(FRICTION_FORM_INPUTS.relatedSop, 'Related SOP (optional)', LIMITS.relatedSop, {
      value: values.relatedSop,
      placeholder: 'SOP-inventory-scanning',
    }),
  );
  layout.input(
    toggle(
      FRICTION_FORM_INPUTS.anonymous,
      'Submit anonymously (your name is stored nowhere; keep the report id to follow it)',
      values.anonymous,
    ),
  );
  const body = [
    heading('Report friction'),
    note('The CoE reads every report, and nobody is judged for what they report.'),
    ...layout.problems(),
    ...(state.sourceLink ? [note(`From [this message](${state.sourceLink})`)] : []),
    ...layout.fields,
  ];
  const data = {
    coeAction: CARD_ACTIONS.submitFriction,
    ...(state.sourceLink ? { sourceLink: state.sourceLink } : {}),
  };
  return card(body, [submitButton('Submit', data)], 'Report friction');
}

/** What each one-input decision form asks for (declining has a form of its own, friction-decline.ts). */
const DECISION_FORM: Record<Exclude<FrictionDecision, 'triage' | 'decline'>, DecisionFormSpec> = {
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
};

/** A decision's small form in its dialog, with what was typed and what is wrong with it. */
export function frictionDecisionTask(
  decision: Exclude<FrictionDecision, 'triage'>,
  reportId: string,
  values: DecisionInput = {},
  errors: Partial<Record<keyof DecisionInput, string>> = {},
): TaskModuleResponse {
  if (decision === 'decline') return frictionDeclineTask(reportId, values, errors);
  const spec = DECISION_FORM[decision];
  const input = spec.input as keyof DecisionInput;
  return decisionTask(spec, reportId, values[input], errors[input]);
}
