/**
 * The change-request form as a Slack modal (a new request, or one sent back for changes, pre-filled), and the modal
 * that confirms it. Pure functions: no Slack client, no state.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/web-api';
import { AI_LIMITS, AI_STATUS_LABELS, AI_STATUSES } from '../../../domain/ai-rules.ts';
import {
  bumpOf,
  CHANGE_KIND_LABELS,
  CHANGE_KINDS,
  CHANGE_LIMITS,
  type ChangeField,
  type ChangeFormValues,
  IMPROVEMENT_LABELS,
  IMPROVEMENTS,
  RISK_LABELS,
  RISKS,
} from '../../../domain/change.ts';
import type { Message } from '../../../domain/message.ts';
import { LAYER_LABELS, LAYERS } from '../../../domain/people.ts';
import { sopId } from '../../../domain/sop.ts';
import type { ChangeFormOptions } from '../../../services/change.ts';
import { CHANGE_FORM_BLOCKS, changeTextPart, HUMAN_REVIEW_OPTION, VIEWS } from '../ids.ts';
import {
  checkboxesInput,
  fitsSelect,
  messageView,
  option,
  selectInput,
  splitPrefill,
  text,
  textInput,
} from './inputs.ts';
import { SLACK_TEXT_BOX } from './sop-form.ts';

const TITLE = 'Change request';
/** The constraint's id is its option value; the option shows its text. */
const CONSTRAINT_ID_MAX = 20;

export interface ChangePrefill {
  title?: string;
  change?: string;
}

/** What a person typed after `/change-request`: a short line is the title, anything longer is the change. */
export function changePrefillFromText(typed: string): ChangePrefill {
  const { title, body } = splitPrefill(typed, CHANGE_LIMITS.title, CHANGE_LIMITS.change);
  return { ...(title ? { title } : {}), ...(body ? { change: body } : {}) };
}

/** The form's `private_metadata`: which request it revises, when it does. */
export function changeFormMetadata(revise: string | undefined): string {
  return revise ? JSON.stringify({ revise }) : '';
}

const B = CHANGE_FORM_BLOCKS;

/** The form's values as each kind of input wants them. */
function valuesOf(values: ChangeFormValues) {
  const one = (field: ChangeField) => (typeof values[field] === 'string' ? (values[field] as string) : undefined);
  const many = (field: ChangeField) => {
    const value = values[field];
    return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  };
  return { one, many, checked: (field: ChangeField) => values[field] === true };
}

/** The standard it touches: picked from the registry while it fits a select, typed otherwise. */
function sopBlock(sops: ChangeFormOptions['sops'], initial: string | undefined): InputBlock {
  const label = 'Which standard does it change?';
  const hint = 'Or name a new standard below.';
  if (!fitsSelect(sops.map((s) => s.key))) {
    return textInput(B.sop, label, CHANGE_LIMITS.sop, {
      optional: true,
      initial,
      placeholder: 'e.g. inventory-scanning',
      hint,
    });
  }
  return selectInput(
    B.sop,
    label,
    sops.map((s) => option(`${sopId(s.key)} · ${s.title}`, s.key)),
    { optional: true, initial, hint },
  );
}

/** The executive constraint it serves, picked among the active ones while they fit a select, typed otherwise. */
function constraintBlock(constraints: ChangeFormOptions['constraints'], initial: string | undefined): InputBlock {
  const label = 'Executive constraint it serves';
  const ids = constraints.map((c) => `EX-${c.number}`);
  if (!fitsSelect(ids)) {
    return textInput(B.constraint, label, CONSTRAINT_ID_MAX, { optional: true, initial, placeholder: 'e.g. EX-2' });
  }
  return selectInput(
    B.constraint,
    label,
    constraints.map((c) => option(c.text, `EX-${c.number}`)),
    { optional: true, initial },
  );
}

/** Boxes the proposed text gets at least: one, and three to go on in (12,000 characters, as `sop new`'s). */
const TEXT_PARTS_MIN = 3;

/** A line that starts a Markdown block of its own: a heading, a list item, a quote, a fence, a table row. */
const BLOCK_START = /^(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|```|~~~|\|)/;

/**
 * A text in boxes of at most `max` characters, cut where joining them again with a line break (each box trimmed)
 * gives back what was written: between two lines that are not blank, the second not indented; else at a blank line
 * before a heading, a list item or another block that starts on its own (the blank line goes, the text reads the
 * same); else at a line end; a single line longer than a box, inside it.
 */
export function textBoxes(text: string, max = SLACK_TEXT_BOX): string[] {
  const boxes: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const lines = rest.slice(0, max + 1).split('\n');
    let [exact, block, any] = [-1, -1, -1];
    for (let i = lines.length - 2, end = rest.lastIndexOf('\n', max); i >= 0 && end > 0 && exact < 0; i--) {
      const [line, next] = [lines[i] as string, lines[i + 1] as string];
      if (any < 0) any = end;
      if (line.trim() && next.trim() && !/^\s/.test(next)) exact = end;
      else if (block < 0 && !line.trim() && BLOCK_START.test(next)) block = end;
      end = rest.lastIndexOf('\n', end - 1);
    }
    const at = [exact, block, any].find((cut) => cut > 0) ?? max;
    boxes.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) boxes.push(rest);
  return boxes;
}

/** The optional proposed text of the standard: a box, and more to go on in (a revision gets what its text fills). */
function proposedTextBlocks(initial: string | undefined): KnownBlock[] {
  const boxes = initial ? textBoxes(initial) : [];
  const parts = Math.max(TEXT_PARTS_MIN, boxes.length - 1);
  return [
    { type: 'divider' },
    textInput(B.proposedText, 'Proposed text of the standard (Markdown)', SLACK_TEXT_BOX, {
      multiline: true,
      optional: true,
      initial: boxes[0],
      hint: 'Optional: the whole text the standard would have (see it now with /coe sop show <key>). The CoE sees what it changes and a clarity check; only a release makes it the text.',
    }),
    ...Array.from({ length: parts }, (_, i) =>
      textInput(changeTextPart(i + 2), `Proposed text, continued (${i + 2})`, SLACK_TEXT_BOX, {
        multiline: true,
        optional: true,
        initial: boxes[i + 1],
        hint: 'Only for a text over 3,000 characters (Slack’s limit per box): go on here, starting on a new line.',
      }),
    ),
  ];
}

export interface ChangeFormInput {
  options: ChangeFormOptions;
  /** What was typed after the command (a new request only). */
  prefill?: ChangePrefill;
  /** The request this form revises, `CR-7`; its values are in `options.values`. */
  revise?: string;
}

export function changeFormView(input: ChangeFormInput): ModalView {
  const { sops, constraints } = input.options;
  const v = valuesOf(input.options.values ?? {});
  const prefill = input.prefill ?? {};
  const blocks: KnownBlock[] = [
    selectInput(
      B.kind,
      'What changes?',
      CHANGE_KINDS.map((k) => option(CHANGE_KIND_LABELS[k], k)),
      { initial: v.one('kind') },
    ),
  ];
  if (sops.length > 0) blocks.push(sopBlock(sops, v.one('sop')));
  blocks.push(
    textInput(B.newSop, '…or a new standard', CHANGE_LIMITS.sop, {
      optional: true,
      initial: v.one('newSop'),
      placeholder: 'e.g. inventory-scanning',
      hint: 'Letters, digits and dashes. Leave empty when you picked a standard above.',
    }),
    textInput(B.title, 'Title', CHANGE_LIMITS.title, {
      initial: v.one('title') ?? prefill.title,
      placeholder: 'e.g. Restart scanners at every shift change',
    }),
    textInput(B.change, 'The change', CHANGE_LIMITS.change, {
      multiline: true,
      initial: v.one('change') ?? prefill.change,
      placeholder: 'What will be done differently, step by step.',
    }),
    textInput(B.why, 'Why is it needed?', CHANGE_LIMITS.why, {
      multiline: true,
      initial: v.one('why'),
      placeholder: 'What goes wrong today, and what it costs.',
    }),
    textInput(B.friction, 'Friction reports it answers', CHANGE_LIMITS.friction, {
      optional: true,
      initial: v.one('friction'),
      placeholder: 'FR-3, FR-7',
    }),
  );
  if (constraints.length > 0) blocks.push(constraintBlock(constraints, v.one('constraint')));
  blocks.push(
    selectInput(
      B.risk,
      'Risk',
      RISKS.map((r) => option(RISK_LABELS[r], r)),
      { initial: v.one('risk') },
    ),
    selectInput(
      B.improvement,
      'Kind of improvement',
      IMPROVEMENTS.map((i) => option(`${IMPROVEMENT_LABELS[i]} (${bumpOf(i)})`, i)),
      { initial: v.one('improvement'), hint: 'A workflow change makes a major version; the others a minor one.' },
    ),
    ...proposedTextBlocks(v.one('proposedText')),
    { type: 'divider' },
    { type: 'header', text: text('Only for AI rule changes') },
    textInput(B.aiTool, 'AI tool', AI_LIMITS.tool, {
      optional: true,
      initial: v.one('aiTool'),
      placeholder: 'e.g. ChatGPT',
    }),
    selectInput(
      B.aiStatus,
      'Status',
      AI_STATUSES.map((s) => option(AI_STATUS_LABELS[s], s)),
      { optional: true, initial: v.one('aiStatus') },
    ),
    textInput(B.aiDataClasses, 'Data it may be given', AI_LIMITS.dataClasses, {
      optional: true,
      initial: v.one('aiDataClasses'),
      placeholder: 'public, internal',
      hint: 'Comma-separated.',
    }),
    textInput(B.aiForbiddenInputs, 'Never put in', AI_LIMITS.forbiddenInputs, {
      optional: true,
      multiline: true,
      initial: v.one('aiForbiddenInputs'),
      placeholder: 'e.g. customer personal data, credentials',
    }),
    checkboxesInput(
      B.aiHumanReview,
      'Human review',
      [option('A person reviews its output before use', HUMAN_REVIEW_OPTION)],
      { optional: true, initial: v.checked('aiHumanReview') ? [HUMAN_REVIEW_OPTION] : [] },
    ),
    checkboxesInput(
      B.aiLayers,
      'Who may use it',
      LAYERS.map((l) => option(LAYER_LABELS[l], l)),
      { optional: true, initial: v.many('aiLayers'), hint: 'None ticked: every layer.' },
    ),
  );
  return {
    type: 'modal',
    callback_id: VIEWS.changeForm,
    title: text(input.revise ? `Revise ${input.revise}` : TITLE),
    submit: text(input.revise ? 'Resubmit' : 'Submit'),
    close: text('Cancel'),
    private_metadata: changeFormMetadata(input.revise),
    blocks,
  };
}

/** The confirmation (or an answer) in place of the form. */
export function changeMessageView(message: Message, close?: string): ModalView {
  return messageView(message, { title: TITLE, callbackId: VIEWS.changeConfirmation, ...(close ? { close } : {}) });
}
