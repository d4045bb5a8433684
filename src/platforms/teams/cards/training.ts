/**
 * The training cards of the Teams side, as Adaptive Cards 1.5: the "Assign a training" opener the bot answers
 * `training assign` with, and the training form shown in a task module (title, material, the standard it teaches,
 * the teams and layers it is for, the due date). Pure functions: what to show in, a card out.
 */
import { addDays } from '../../../domain/calendar.ts';
import { LAYER_LABELS, LAYERS } from '../../../domain/people.ts';
import { sopId } from '../../../domain/sop.ts';
import { TRAINING_LIMITS, type TrainingField, type TrainingFieldErrors } from '../../../domain/training.ts';
import type { TrainingFormOptions } from '../../../services/training.ts';
import type { AdaptiveCard } from '../cards.ts';
import { CARD_ACTIONS, TRAINING_FORM_INPUTS as INPUT } from '../ids.ts';
import {
  card,
  choiceSet,
  choices,
  dateInput,
  FormLayout,
  heading,
  note,
  openerCard,
  submitButton,
  textInput,
} from './elements.ts';

const TITLE = 'Assign a training';

/** The due date the form proposes: a week from today, which the CoE changes as it likes. */
const PROPOSED_DAYS = 7;

/** What the form shows: the choices the training service offers, the values so far, what is wrong with them. */
export interface TrainingFormState {
  options: TrainingFormOptions;
  /** As the card's inputs hold them: text, multi-selects as "a,b", the date as YYYY-MM-DD. */
  values: Partial<Record<TrainingField, string>>;
  errors?: TrainingFieldErrors;
}

/** `training assign`: the card whose button opens the form. */
export function trainingOpenerCard(): AdaptiveCard {
  return openerCard(
    TITLE,
    'Open the form to assign a training to teams or layers, with a due date. It is announced in the teams’ channels, and people are reminded on working days until they mark it complete.',
    TITLE,
    { coeAction: CARD_ACTIONS.openTrainingForm },
  );
}

/** What the form starts with: the proposed due date. */
export function trainingStartValues(options: TrainingFormOptions): Partial<Record<TrainingField, string>> {
  return { due: addDays(options.today, PROPOSED_DAYS) };
}

export function trainingFormCard(state: TrainingFormState): AdaptiveCard {
  const { options, values } = state;
  const layout = new FormLayout(state.errors);
  layout.input(
    textInput(INPUT.title, 'Title', TRAINING_LIMITS.title, {
      value: values.title,
      placeholder: 'Restarting the handheld scanners',
      required: 'Please fill in a title.',
    }),
  );
  layout.input(
    textInput(INPUT.material, 'Link or material', TRAINING_LIMITS.material, {
      value: values.material,
      multiline: true,
      placeholder: 'A link to the course or document, or the material itself',
      required: 'Please give a link or the material.',
    }),
  );
  if (options.sops.length > 0) {
    layout.input(
      choiceSet(
        INPUT.sop,
        'Standard it teaches (optional; linked to its current version)',
        options.sops.map((s) => ({ title: `${sopId(s.key)} · ${s.title}`, value: s.key })),
        { value: values.sop, placeholder: 'None' },
      ),
    );
  }
  if (options.teams.length > 0) {
    layout.input(
      choiceSet(
        INPUT.teams,
        'Teams (announced in each team’s channel; its members are reminded)',
        options.teams.map((t) => ({ title: t.name, value: String(t.id) })),
        { value: values.teams, multiSelect: true },
      ),
    );
  }
  layout.input(
    choiceSet(
      INPUT.layers,
      'Layers (everyone of these layers, told in their personal chat)',
      choices(LAYERS, LAYER_LABELS),
      {
        value: values.layers,
        multiSelect: true,
      },
    ),
  );
  layout.input(
    dateInput(INPUT.due, 'Due', { value: values.due, min: options.today, required: 'Please pick the due date.' }),
  );
  const body = [
    heading(TITLE),
    note(
      options.teams.length > 0
        ? 'Pick teams, layers or both. Each person sees only their own status; everyone else sees team totals.'
        : 'No teams yet: add them with **team add <name>**, or pick layers. Each person sees only their own status.',
    ),
    ...layout.problems(),
    ...layout.fields,
  ];
  return card(body, [submitButton('Assign', { coeAction: CARD_ACTIONS.submitTraining })], TITLE);
}
