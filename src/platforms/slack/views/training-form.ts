/**
 * The training form as a Slack modal (`/coe training assign`): title, material, the standard it teaches, the teams
 * and layers it is for, and the due date; and the modal that confirms it. Pure functions.
 */
import type { KnownBlock, ModalView } from '@slack/web-api';
import { addDays } from '../../../domain/calendar.ts';
import type { Message } from '../../../domain/message.ts';
import { LAYER_LABELS, LAYERS } from '../../../domain/people.ts';
import { TRAINING_LIMITS } from '../../../domain/training.ts';
import type { TrainingFormOptions } from '../../../services/training.ts';
import { TRAINING_FORM_BLOCKS, VIEWS } from '../ids.ts';
import { mrkdwn } from '../render.ts';
import {
  dateInput,
  messageView,
  multiSelectInput,
  option,
  SELECT_OPTIONS_MAX,
  standardInput,
  text,
  textInput,
} from './inputs.ts';

const TITLE = 'Assign a training';
const B = TRAINING_FORM_BLOCKS;
/** The due date the form proposes: a week from today, which the CoE changes as it likes. */
const PROPOSED_DAYS = 7;

export function trainingFormView(options: TrainingFormOptions): ModalView {
  const blocks: KnownBlock[] = [
    textInput(B.title, 'Title', TRAINING_LIMITS.title, { placeholder: 'Restarting the handheld scanners' }),
    textInput(B.material, 'Link or material', TRAINING_LIMITS.material, {
      multiline: true,
      hint: 'A link to the course or document, or the material itself.',
    }),
  ];
  if (options.sops.length > 0) {
    blocks.push(
      standardInput(B.sop, 'Standard it teaches', options.sops, {
        optional: true,
        hint: 'Linked to its current version.',
      }),
    );
  }
  if (options.teams.length > 0) {
    blocks.push(
      multiSelectInput(
        B.teams,
        'Teams',
        { options: options.teams.slice(0, SELECT_OPTIONS_MAX).map((t) => option(t.name, String(t.id))) },
        { optional: true, hint: 'Announced in each team’s channel; its members are reminded until they are done.' },
      ),
    );
  } else {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: mrkdwn('No teams yet: add them with `/coe team add <name> #channel`, or pick layers.'),
        },
      ],
    });
  }
  blocks.push(
    multiSelectInput(
      B.layers,
      'Layers',
      { options: LAYERS.map((l) => option(LAYER_LABELS[l], l)) },
      { optional: true, hint: 'Everyone of these layers, told by direct message. Pick teams, layers or both.' },
    ),
    dateInput(B.due, 'Due', { initial: addDays(options.today, PROPOSED_DAYS) }),
  );
  return {
    type: 'modal',
    callback_id: VIEWS.trainingForm,
    title: text(TITLE),
    submit: text('Assign'),
    close: text('Cancel'),
    blocks,
  };
}

/** The confirmation (or an answer) in place of the form. */
export function trainingMessageView(message: Message, close?: string): ModalView {
  return messageView(message, { title: TITLE, callbackId: VIEWS.trainingConfirmation, ...(close ? { close } : {}) });
}
