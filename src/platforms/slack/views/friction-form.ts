/**
 * The friction form as a Slack modal, and the modals that follow it (the confirmation, the answer to "+1 instead").
 * Pure functions: no Slack client, no state.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/web-api';
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
import { ANONYMOUS_OPTION, FRICTION_FORM_BLOCKS, INPUT_ACTION, VIEWS } from '../ids.ts';
import { mrkdwn, plain, renderMessage } from '../render.ts';

// Block Kit limits (../shared/specs/slack_block_kit_limits.json).
const OPTION_TEXT_MAX = 75;
const OPTION_VALUE_MAX = 75;
const SELECT_OPTIONS_MAX = 100;
const BLOCKS_PER_VIEW = 100;
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
export function prefillFromText(text: string): FrictionPrefill {
  const clean = text.trim();
  if (!clean) return {};
  if (clean.length <= LIMITS.title && !clean.includes('\n')) return { title: clean };
  return { description: plain(clean, LIMITS.description) };
}

/** The form's `private_metadata`: what the submission needs that is not typed in the form. */
export function frictionFormMetadata(sourceLink: string | undefined): string {
  return sourceLink && sourceLink.length <= LIMITS.sourceLink ? JSON.stringify({ sourceLink }) : '';
}

const text = (value: string) => ({ type: 'plain_text' as const, text: value, emoji: true });

function option(label: string, value: string): PlainTextOption {
  return { text: text(plain(label, OPTION_TEXT_MAX)), value };
}

function select(
  field: keyof typeof FRICTION_FORM_BLOCKS,
  label: string,
  options: PlainTextOption[],
  extra: { optional?: boolean; initial?: PlainTextOption; hint?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: FRICTION_FORM_BLOCKS[field],
    label: text(label),
    ...(extra.optional ? { optional: true } : {}),
    ...(extra.hint ? { hint: text(extra.hint) } : {}),
    element: {
      type: 'static_select',
      action_id: INPUT_ACTION,
      placeholder: text('Choose one'),
      options,
      ...(extra.initial ? { initial_option: extra.initial } : {}),
    },
  };
}

function textInput(
  field: keyof typeof FRICTION_FORM_BLOCKS,
  label: string,
  max: number,
  extra: { optional?: boolean; multiline?: boolean; initial?: string; placeholder?: string; hint?: string } = {},
): InputBlock {
  const initial = extra.initial?.trim() ? plain(extra.initial.trim(), max) : undefined;
  return {
    type: 'input',
    block_id: FRICTION_FORM_BLOCKS[field],
    label: text(label),
    ...(extra.optional ? { optional: true } : {}),
    ...(extra.hint ? { hint: text(extra.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      max_length: max,
      ...(extra.multiline ? { multiline: true } : {}),
      ...(initial ? { initial_value: initial } : {}),
      ...(extra.placeholder ? { placeholder: text(extra.placeholder) } : {}),
    },
  };
}

/** A select works while every team fits an option (Slack: 100 options, 75 characters); otherwise the name is typed. */
function teamBlock(teams: readonly string[], team: string | undefined): InputBlock {
  const selectable =
    teams.length > 0 &&
    teams.length <= SELECT_OPTIONS_MAX &&
    teams.every((t) => t.length <= OPTION_TEXT_MAX && t.length <= OPTION_VALUE_MAX);
  if (!selectable) {
    return textInput('team', 'Team', LIMITS.team, {
      optional: true,
      initial: team,
      placeholder: teams.length === 0 ? 'e.g. Warehouse Nord' : 'The team it affects',
      hint:
        teams.length === 0 ? 'No teams are set up yet: type yours, or leave it empty.' : `Teams: ${teams.join(', ')}`,
    });
  }
  const initialTeam = teams.find((t) => t.toLowerCase() === team?.toLowerCase());
  const options = teams.map((t) => option(t, t));
  const initial = initialTeam === undefined ? undefined : option(initialTeam, initialTeam);
  return select('team', 'Team', options, { optional: true, ...(initial ? { initial } : {}) });
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
    select(
      'kind',
      'What kind of friction?',
      FRICTION_KINDS.map((k) => option(KIND_LABELS[k], k)),
    ),
    textInput('title', 'Short title', LIMITS.title, {
      initial: prefill.title,
      placeholder: 'e.g. Inventory scanners fail after 30 minutes',
    }),
    textInput('description', 'What happened?', LIMITS.description, {
      multiline: true,
      initial: prefill.description,
      placeholder: 'What you were doing, what got in the way, and what it cost.',
    }),
    teamBlock(options.teams, options.team),
    textInput('tool', 'Tool or process affected', LIMITS.tool, {
      placeholder: 'e.g. Inventory scanner, Month-end close',
    }),
    select(
      'frequency',
      'How often does it happen?',
      FREQUENCIES.map((f) => option(FREQUENCY_LABELS[f], f)),
    ),
    select(
      'impact',
      'Impact',
      IMPACTS.map((i) => option(IMPACT_LABELS[i], i)),
    ),
    textInput('relatedSop', 'Related SOP', LIMITS.relatedSop, {
      optional: true,
      placeholder: 'e.g. SOP-inventory-scanning',
    }),
    {
      type: 'input',
      block_id: FRICTION_FORM_BLOCKS.anonymous,
      optional: true,
      label: text('Anonymous'),
      element: {
        type: 'checkboxes',
        action_id: INPUT_ACTION,
        options: [
          {
            text: text('Submit anonymously'),
            value: ANONYMOUS_OPTION,
            description: text('Nobody, the CoE included, will see it came from you.'),
          },
        ],
      },
    },
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
export function messageView(message: Message, options: { callbackId?: string; close?: string } = {}): ModalView {
  return {
    type: 'modal',
    callback_id: options.callbackId ?? VIEWS.frictionConfirmation,
    title: text(TITLE),
    close: text(options.close ?? 'Done'),
    blocks: renderMessage(message).blocks.slice(0, BLOCKS_PER_VIEW),
  };
}
