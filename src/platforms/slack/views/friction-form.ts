/**
 * The friction form as a Slack modal, and the modals that follow it (the confirmation, the answer to "+1 instead").
 * Pure functions: no Slack client, no state.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/web-api';
import {
  FREQUENCIES,
  FREQUENCY_LABELS,
  FRICTION_KINDS,
  IMPACT_LABELS,
  IMPACTS,
  KIND_LABELS,
  LIMITS,
} from '../../../domain/friction.ts';
import type { Message } from '../../../domain/message.ts';
import { ANONYMOUS_OPTION, FRICTION_FORM_BLOCKS, VIEWS } from '../ids.ts';
import { mrkdwn } from '../render.ts';
import {
  checkboxesInput,
  fitsSelect,
  messageView,
  OPTION_TEXT_MAX,
  option,
  selectInput,
  splitPrefill,
  text,
  textInput,
} from './inputs.ts';

const TITLE = 'Report friction';

export interface FrictionPrefill {
  title?: string;
  description?: string;
}

export interface FrictionFormOptions {
  /** The organisation's teams; none yet → the team is free text. */
  teams: readonly string[];
  /** The person's usual team, preselected. */
  team?: string;
  prefill?: FrictionPrefill;
  /** The message the report was made from (message shortcut). */
  sourceLink?: string;
}

/** What a person typed after `/friction`: a short line is a title, anything longer is what happened. */
export function prefillFromText(typed: string): FrictionPrefill {
  const { title, body } = splitPrefill(typed, LIMITS.title, LIMITS.description);
  return { ...(title ? { title } : {}), ...(body ? { description: body } : {}) };
}

/** The form's `private_metadata`: what the submission needs that is not typed in the form. */
export function frictionFormMetadata(sourceLink: string | undefined): string {
  return sourceLink && sourceLink.length <= LIMITS.sourceLink ? JSON.stringify({ sourceLink }) : '';
}

const B = FRICTION_FORM_BLOCKS;

/** A select works while every team fits an option (Slack: 100 options, 75 characters); otherwise the name is typed. */
function teamBlock(teams: readonly string[], team: string | undefined): InputBlock {
  if (!fitsSelect(teams) || !teams.every((t) => t.length <= OPTION_TEXT_MAX)) {
    return textInput(B.team, 'Team', LIMITS.team, {
      optional: true,
      initial: team,
      placeholder: teams.length === 0 ? 'e.g. Warehouse Nord' : 'The team it affects',
      hint:
        teams.length === 0 ? 'No teams are set up yet: type yours, or leave it empty.' : `Teams: ${teams.join(', ')}`,
    });
  }
  const initialTeam = teams.find((t) => t.toLowerCase() === team?.toLowerCase());
  return selectInput(
    B.team,
    'Team',
    teams.map((t) => option(t, t)),
    { optional: true, initial: initialTeam },
  );
}

export function frictionFormView(options: FrictionFormOptions): ModalView {
  const prefill = options.prefill ?? {};
  const blocks: KnownBlock[] = [];
  if (options.sourceLink) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: mrkdwn(`Reporting friction from [this message](${options.sourceLink}).`) }],
    });
  }
  blocks.push(
    selectInput(
      B.kind,
      'What kind of friction?',
      FRICTION_KINDS.map((k) => option(KIND_LABELS[k], k)),
    ),
    textInput(B.title, 'Short title', LIMITS.title, {
      initial: prefill.title,
      placeholder: 'e.g. Inventory scanners fail after 30 minutes',
    }),
    textInput(B.description, 'What happened?', LIMITS.description, {
      multiline: true,
      initial: prefill.description,
      placeholder: 'What you were doing, what got in the way, and what it cost.',
    }),
    teamBlock(options.teams, options.team),
    textInput(B.tool, 'Tool or process affected', LIMITS.tool, {
      placeholder: 'e.g. Inventory scanner, Month-end close',
    }),
    selectInput(
      B.frequency,
      'How often does it happen?',
      FREQUENCIES.map((f) => option(FREQUENCY_LABELS[f], f)),
    ),
    selectInput(
      B.impact,
      'Impact',
      IMPACTS.map((i) => option(IMPACT_LABELS[i], i)),
    ),
    textInput(B.relatedSop, 'Related SOP', LIMITS.relatedSop, {
      optional: true,
      placeholder: 'e.g. SOP-inventory-scanning',
    }),
    checkboxesInput(
      B.anonymous,
      'Anonymous',
      [option('Submit anonymously', ANONYMOUS_OPTION, 'Nobody, the CoE included, will see it came from you.')],
      { optional: true },
    ),
  );
  return {
    type: 'modal',
    callback_id: VIEWS.frictionForm,
    title: text(TITLE),
    submit: text('Send report'),
    close: text('Cancel'),
    private_metadata: frictionFormMetadata(options.sourceLink),
    blocks,
  };
}

/** A modal that only shows a message: the confirmation with its "+1 instead" buttons, an answer, an error. */
export function frictionMessageView(message: Message, close?: string): ModalView {
  return messageView(message, { title: TITLE, callbackId: VIEWS.frictionConfirmation, ...(close ? { close } : {}) });
}
