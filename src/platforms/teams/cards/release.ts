/**
 * The release cards of the Teams side, as Adaptive Cards 1.5: the "Publish a release" opener the bot answers
 * `release [sop key]` with, and the release form shown in a task module (the approved change requests to ship,
 * the notes, their improvement tags, the target teams). Pure functions: what to show in, a card out.
 */
import { changeId, IMPROVEMENT_LABELS, IMPROVEMENTS } from '../../../domain/change.ts';
import {
  COMBINE_TEXTS,
  RELEASE_NOTES_MAX,
  type ReleaseField,
  type ReleaseFieldErrors,
} from '../../../domain/release.ts';
import { sopId } from '../../../domain/sop.ts';
import type { ReleaseFormOptions } from '../../../services/release.ts';
import type { ReleaseTextPreview } from '../../../services/release-text.ts';
import { type AdaptiveCard, type CardElement, renderCard } from '../cards.ts';
import { CARD_ACTIONS, RELEASE_FORM_INPUTS as INPUT } from '../ids.ts';
import {
  card,
  choiceSet,
  choices,
  FormLayout,
  heading,
  note,
  openerCard,
  submitButton,
  textInput,
} from './elements.ts';

/** What the form shows: the choices the release service offers, the values so far, what is wrong with them. */
export interface ReleaseFormState {
  options: ReleaseFormOptions;
  /** The standard the form was opened for (`release <key>`), carried back with the submit. */
  sopKey?: string;
  /** As the card's inputs hold them: text, multi-selects as "a,b". */
  values: Partial<Record<ReleaseField, string>>;
  errors?: ReleaseFieldErrors;
  /** The next version's text the form shows (its fingerprint goes back with the submit); none: the form says why. */
  text?: ReleaseTextPreview | undefined;
}

/** `release [sop key]`: the card whose button opens the form. */
export function releaseOpenerCard(sopKey?: string): AdaptiveCard {
  return openerCard(
    'Publish a release',
    `Open the form to publish a new version of ${sopKey ? sopId(sopKey) : 'a standard'} from its approved change requests, and announce it to the teams.`,
    'Publish a release',
    { coeAction: CARD_ACTIONS.openReleaseForm, ...(sopKey ? { sopKey } : {}) },
  );
}

/** What the form starts with: the changes of the only standard on offer, and its notes and tags. */
export function releaseStartValues(options: ReleaseFormOptions): Partial<Record<ReleaseField, string>> {
  const [only, ...others] = options.standards;
  return {
    ...(only && others.length === 0 ? { changes: only.changes.map((c) => changeId(c.number)).join(',') } : {}),
    ...(options.prefill ? { notes: options.prefill.notes, tags: options.prefill.tags.join(',') } : {}),
    ...(options.standards.some((s) => s.changes.some((c) => c.proposesText)) ? { text: COMBINE_TEXTS } : {}),
  };
}

export function releaseFormCard(state: ReleaseFormState): AdaptiveCard {
  const { options, values } = state;
  const layout = new FormLayout(state.errors);
  const changes = options.standards.flatMap((s) =>
    s.changes.map((c) => ({
      title: `${sopId(s.sopKey)} · ${changeId(c.number)} ${c.title}`,
      value: changeId(c.number),
    })),
  );
  layout.input(
    choiceSet(INPUT.changes, 'Approved change requests to ship (all of one standard)', changes, {
      value: values.changes,
      multiSelect: true,
      required: 'Pick at least one approved change request.',
    }),
  );
  const proposing = options.standards.flatMap((s) => s.changes.filter((c) => c.proposesText));
  const text: CardElement[] = state.text
    ? renderCard({ text: '', blocks: state.text.blocks }).body
    : [
        note(
          proposing.length > 0
            ? 'Publish shows the next version’s text for the changes you picked first: the lines it changes, before anything is published.'
            : 'No change on offer proposes a text: the new version keeps the text of the one before.',
        ),
      ];
  layout.fields.push({ type: 'Container', style: 'emphasis', items: text });
  if (proposing.length > 0) {
    layout.input(
      choiceSet(
        INPUT.text,
        'Text of the new version',
        [
          { title: 'Every proposed text, combined', value: COMBINE_TEXTS },
          ...proposing.map((c) => ({ title: `${changeId(c.number)}’s text, as proposed`, value: changeId(c.number) })),
        ],
        { value: values.text },
      ),
    );
  }
  layout.input(
    textInput(INPUT.notes, 'Release notes (what changes for the teams)', RELEASE_NOTES_MAX, {
      value: values.notes,
      multiline: true,
      placeholder: 'Left empty: one line per change request',
    }),
  );
  layout.input(
    choiceSet(INPUT.tags, 'Improvement', choices(IMPROVEMENTS, IMPROVEMENT_LABELS), {
      value: values.tags,
      multiSelect: true,
    }),
  );
  if (options.teams.length > 0) {
    layout.input(
      choiceSet(
        INPUT.teams,
        'Teams to announce it to (leave empty for every team)',
        options.teams.map((t) => ({ title: t.name, value: String(t.id) })),
        { value: values.teams, multiSelect: true },
      ),
    );
  }
  const body = [
    heading(state.sopKey ? `Publish a release of ${sopId(state.sopKey)}` : 'Publish a release'),
    note(
      'The version follows from the changes: any workflow change makes it a major version, else a minor one. Each team gets the announcement with a "Deployed in my team" button.',
    ),
    ...layout.problems(),
    ...layout.fields,
  ];
  const data = {
    coeAction: CARD_ACTIONS.submitRelease,
    ...(state.sopKey ? { sopKey: state.sopKey } : {}),
    ...(state.text ? { previewed: state.text.fingerprint } : {}),
  };
  return card(body, [submitButton('Publish', data)], 'Publish a release');
}
