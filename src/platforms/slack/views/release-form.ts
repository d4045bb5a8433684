/**
 * The release form as a Slack modal: the approved change requests to ship (grouped by standard), the notes, the
 * improvement tags and the target teams; and the modal that confirms the release. Pure functions.
 */
import type { KnownBlock, ModalView } from '@slack/web-api';
import { bumpOf, changeId, IMPROVEMENT_LABELS, IMPROVEMENTS } from '../../../domain/change.ts';
import type { Message } from '../../../domain/message.ts';
import { COMBINE_TEXTS, RELEASE_NOTES_MAX, type ReleaseField } from '../../../domain/release.ts';
import { sopId } from '../../../domain/sop.ts';
import type { ReleaseFormOptions } from '../../../services/release.ts';
import type { ReleaseTextPreview } from '../../../services/release-text.ts';
import { RELEASE_FORM_BLOCKS, VIEWS } from '../ids.ts';
import { mrkdwn, renderMessage } from '../render.ts';
import {
  messageView,
  multiSelectInput,
  type OptionGroup,
  option,
  SELECT_OPTIONS_MAX,
  selectInput,
  text,
  textInput,
} from './inputs.ts';

const TITLE = 'Publish a release';
const B = RELEASE_FORM_BLOCKS;

/** The form as it was submitted, shown again: its values, and the next version's text as it is now. */
export interface ReleaseFormAgain {
  values: Partial<Record<ReleaseField, unknown>>;
  text?: ReleaseTextPreview | undefined;
  /** Why it is shown again, above everything. */
  notice?: string | undefined;
}

/** The form's `private_metadata`: the fingerprint of the text it shows, which publishing checks. */
export function releaseFormMetadata(text: ReleaseTextPreview | undefined): string {
  return text ? JSON.stringify({ previewed: text.fingerprint }) : '';
}

const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
const one = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

export function releaseFormView(options: ReleaseFormOptions, again?: ReleaseFormAgain): ModalView {
  // Slack takes 100 groups of 100 options: beyond that, the oldest approved changes are offered first.
  const groups: OptionGroup[] = options.standards.slice(0, SELECT_OPTIONS_MAX).map((s) => ({
    label: `${sopId(s.sopKey)} · ${s.sopTitle}`,
    options: s.changes
      .slice(0, SELECT_OPTIONS_MAX)
      .map((c) => option(`${changeId(c.number)} · ${c.title}`, changeId(c.number))),
  }));
  const [only] = options.standards;
  const values = again?.values;
  const preview = again ? again.text : options.prefill?.text;
  const blocks: KnownBlock[] = [];
  if (again?.notice) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: mrkdwn(`:warning: ${again.notice}`) } });
  }
  blocks.push(
    multiSelectInput(
      B.changes,
      'Approved changes to ship',
      { groups },
      {
        initial: values
          ? strings(values.changes)
          : options.standards.length === 1 && only
            ? only.changes.map((c) => changeId(c.number))
            : [],
        hint: 'All of one standard. Any workflow change makes it a major version, else a minor one.',
      },
    ),
    ...textBlocks(options, preview, values ? one(values.text) : undefined),
    textInput(B.notes, 'Release notes', RELEASE_NOTES_MAX, {
      optional: true,
      multiline: true,
      initial: values ? one(values.notes) : options.prefill?.notes,
      hint: 'Managers and their teams read these in the announcement.',
    }),
    multiSelectInput(
      B.tags,
      'Improvement',
      { options: IMPROVEMENTS.map((i) => option(`${IMPROVEMENT_LABELS[i]} (${bumpOf(i)})`, i)) },
      { optional: true, initial: values ? strings(values.tags) : options.prefill?.tags },
    ),
  );
  if (options.teams.length > 0) {
    const shown = options.teams.slice(0, SELECT_OPTIONS_MAX);
    blocks.push(
      multiSelectInput(
        B.teams,
        'Teams to announce it to',
        { options: shown.map((t) => option(t.name, String(t.id))) },
        {
          optional: true,
          initial: values ? strings(values.teams) : undefined,
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
    private_metadata: releaseFormMetadata(preview),
    blocks,
  };
}

/**
 * The next version's text, when a change on offer proposes one: what the form shows of it (the lines it changes),
 * and the choice of whose text it takes — every proposal combined, or one change's as proposed.
 */
function textBlocks(
  options: ReleaseFormOptions,
  preview: ReleaseTextPreview | undefined,
  initial: string | undefined,
): KnownBlock[] {
  const proposing = options.standards.flatMap((s) => s.changes.filter((c) => c.proposesText));
  const blocks: KnownBlock[] = [{ type: 'divider' }];
  if (preview) blocks.push(...(renderMessage({ text: '', blocks: preview.blocks }).blocks as KnownBlock[]));
  else {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            proposing.length > 0
              ? 'Publish shows the next version’s text for the changes you picked first: the lines it changes, before anything is published.'
              : 'No change on offer proposes a text: the new version keeps the text of the one before.',
        },
      ],
    });
  }
  if (proposing.length > 0) {
    blocks.push(
      selectInput(
        B.text,
        'Text of the new version',
        [
          option('Every proposed text, combined', COMBINE_TEXTS),
          ...proposing
            .slice(0, SELECT_OPTIONS_MAX - 1)
            .map((c) => option(`${changeId(c.number)}’s text, as proposed`, changeId(c.number))),
        ],
        {
          optional: true,
          initial: initial ?? COMBINE_TEXTS,
          hint: 'Combined: each change’s lines, when they touch different lines. One change’s text leaves the others’ lines out.',
        },
      ),
    );
  }
  blocks.push({ type: 'divider' });
  return blocks;
}

/** The confirmation (or an answer) in place of the form. */
export function releaseMessageView(message: Message, close?: string): ModalView {
  return messageView(message, { title: TITLE, callbackId: VIEWS.releaseConfirmation, ...(close ? { close } : {}) });
}
