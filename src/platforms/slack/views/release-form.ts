/**
 * The release form as a Slack modal: the approved change requests to ship (grouped by standard), the notes, the
 * improvement tags and the target teams; and the modal that confirms the release. Pure functions.
 */
import type { KnownBlock, ModalView } from '@slack/web-api';
import { bumpOf, changeId, IMPROVEMENT_LABELS, IMPROVEMENTS } from '../../../domain/change.ts';
import type { Message } from '../../../domain/message.ts';
import { RELEASE_NOTES_MAX } from '../../../domain/release.ts';
import { sopId } from '../../../domain/sop.ts';
import type { ReleaseFormOptions } from '../../../services/release.ts';
import { RELEASE_FORM_BLOCKS, VIEWS } from '../ids.ts';
import { mrkdwn } from '../render.ts';
import {
  messageView,
  multiSelectInput,
  type OptionGroup,
  option,
  SELECT_OPTIONS_MAX,
  text,
  textInput,
} from './inputs.ts';

const TITLE = 'Publish a release';
const B = RELEASE_FORM_BLOCKS;

export function releaseFormView(options: ReleaseFormOptions): ModalView {
  // Slack takes 100 groups of 100 options: beyond that, the oldest approved changes are offered first.
  const groups: OptionGroup[] = options.standards.slice(0, SELECT_OPTIONS_MAX).map((s) => ({
    label: `${sopId(s.sopKey)} · ${s.sopTitle}`,
    options: s.changes
      .slice(0, SELECT_OPTIONS_MAX)
      .map((c) => option(`${changeId(c.number)} · ${c.title}`, changeId(c.number))),
  }));
  const [only] = options.standards;
  const blocks: KnownBlock[] = [
    multiSelectInput(
      B.changes,
      'Approved changes to ship',
      { groups },
      {
        initial: options.standards.length === 1 && only ? only.changes.map((c) => changeId(c.number)) : [],
        hint: 'All of one standard. Any workflow change makes it a major version, else a minor one.',
      },
    ),
    textInput(B.notes, 'Release notes', RELEASE_NOTES_MAX, {
      optional: true,
      multiline: true,
      initial: options.prefill?.notes,
      hint: 'Managers and their teams read these in the announcement.',
    }),
    multiSelectInput(
      B.tags,
      'Improvement',
      { options: IMPROVEMENTS.map((i) => option(`${IMPROVEMENT_LABELS[i]} (${bumpOf(i)})`, i)) },
      { optional: true, initial: options.prefill?.tags },
    ),
  ];
  if (options.teams.length > 0) {
    const shown = options.teams.slice(0, SELECT_OPTIONS_MAX);
    blocks.push(
      multiSelectInput(
        B.teams,
        'Teams to announce it to',
        { options: shown.map((t) => option(t.name, String(t.id))) },
        {
          optional: true,
          hint:
            options.teams.length > shown.length
              ? `Leave empty for every team (all ${options.teams.length}); only the first ${shown.length} can be picked here.`
              : 'Leave empty for every team.',
        },
      ),
    );
  } else {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: mrkdwn('No teams yet: add them with `/coe team add <name> #channel` first.') },
      ],
    });
  }
  return {
    type: 'modal',
    callback_id: VIEWS.releaseForm,
    title: text(TITLE),
    submit: text('Publish'),
    close: text('Cancel'),
    blocks,
  };
}

/** The confirmation (or an answer) in place of the form. */
export function releaseMessageView(message: Message, close?: string): ModalView {
  return messageView(message, { title: TITLE, callbackId: VIEWS.releaseConfirmation, ...(close ? { close } : {}) });
}
