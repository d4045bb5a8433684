/**
 * The pieces every modal of ours is built from: text objects, options, and input blocks with the one element whose
 * action id is `INPUT_ACTION`, cut to the Block Kit limits. Plus the modal that only shows a message. Pure functions.
 */
import type { InputBlock, ModalView, Option, PlainTextOption } from '@slack/web-api';
import { CHANGE_LIMITS } from '../../../domain/change.ts';
import type { Message } from '../../../domain/message.ts';
import { sopId } from '../../../domain/sop.ts';
import { INPUT_ACTION } from '../ids.ts';
import { plain, renderMessage } from '../render.ts';

// Block Kit limits (../shared/specs/slack_block_kit_limits.json).
export const OPTION_TEXT_MAX = 75;
export const OPTION_VALUE_MAX = 75;
export const SELECT_OPTIONS_MAX = 100;
const OPTION_GROUP_LABEL_MAX = 75;
const BLOCKS_PER_VIEW = 100;
const PLACEHOLDER_MAX = 150;
const HINT_MAX = 2000;

export const text = (value: string) => ({ type: 'plain_text' as const, text: value, emoji: true });

export function option(label: string, value: string, description?: string): PlainTextOption {
  return {
    text: text(plain(label, OPTION_TEXT_MAX)),
    value,
    ...(description ? { description: text(plain(description, OPTION_TEXT_MAX)) } : {}),
  };
}

/** A group of options under a label (a multi-select of change requests, grouped by standard). */
export interface OptionGroup {
  label: string;
  options: PlainTextOption[];
}

/** Whether these choices fit a select: at most 100, each value short enough to be an option's value. */
export function fitsSelect(values: readonly string[]): boolean {
  return values.length > 0 && values.length <= SELECT_OPTIONS_MAX && values.every((v) => v.length <= OPTION_VALUE_MAX);
}

interface Common {
  optional?: boolean;
  hint?: string | undefined;
  placeholder?: string | undefined;
}

function input(blockId: string, label: string, extra: Common, element: InputBlock['element']): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: text(label),
    ...(extra.optional ? { optional: true } : {}),
    ...(extra.hint ? { hint: text(plain(extra.hint, HINT_MAX)) } : {}),
    element,
  };
}

const placeholderOf = (extra: Common, fallback?: string) => {
  const value = extra.placeholder ?? fallback;
  return value ? { placeholder: text(plain(value, PLACEHOLDER_MAX)) } : {};
};

export function selectInput(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  extra: Common & { initial?: string | undefined } = {},
): InputBlock {
  const initial = options.find((o) => o.value === extra.initial);
  return input(blockId, label, extra, {
    type: 'static_select',
    action_id: INPUT_ACTION,
    ...placeholderOf(extra, 'Choose one'),
    options,
    ...(initial ? { initial_option: initial } : {}),
  });
}

/** Several choices, flat or in groups; `initial` names the values chosen to start with. */
export function multiSelectInput(
  blockId: string,
  label: string,
  choices: { options: PlainTextOption[] } | { groups: OptionGroup[] },
  extra: Common & { initial?: readonly string[] | undefined } = {},
): InputBlock {
  const all = 'options' in choices ? choices.options : choices.groups.flatMap((g) => g.options);
  const initial = all.filter((o) => extra.initial?.includes(o.value ?? ''));
  return input(blockId, label, extra, {
    type: 'multi_static_select',
    action_id: INPUT_ACTION,
    ...placeholderOf(extra, 'Choose'),
    ...('options' in choices
      ? { options: choices.options }
      : {
          option_groups: choices.groups.map((g) => ({
            label: text(plain(g.label, OPTION_GROUP_LABEL_MAX)),
            options: g.options,
          })),
        }),
    ...(initial.length > 0 ? { initial_options: initial } : {}),
  });
}

export function checkboxesInput(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  extra: Common & { initial?: readonly string[] | undefined } = {},
): InputBlock {
  const initial: Option[] = options.filter((o) => extra.initial?.includes(o.value ?? ''));
  return input(blockId, label, extra, {
    type: 'checkboxes',
    action_id: INPUT_ACTION,
    options,
    ...(initial.length > 0 ? { initial_options: initial } : {}),
  });
}

export function textInput(
  blockId: string,
  label: string,
  max: number,
  extra: Common & { multiline?: boolean; initial?: string | undefined } = {},
): InputBlock {
  const initial = extra.initial?.trim() ? plain(extra.initial.trim(), max) : undefined;
  return input(blockId, label, extra, {
    type: 'plain_text_input',
    action_id: INPUT_ACTION,
    max_length: max,
    ...(extra.multiline ? { multiline: true } : {}),
    ...(initial ? { initial_value: initial } : {}),
    ...placeholderOf(extra),
  });
}

/**
 * A registered standard to pick (a training's, an audit's): a select of them, or, when there are more than a select
 * takes, its key typed in (the core checks it is registered).
 */
export function standardInput(
  blockId: string,
  label: string,
  sops: readonly { key: string; title: string }[],
  extra: Common & { initial?: string | undefined } = {},
): InputBlock {
  if (!fitsSelect(sops.map((s) => s.key))) {
    return textInput(blockId, label, CHANGE_LIMITS.sop, { ...extra, placeholder: 'e.g. inventory-scanning' });
  }
  return selectInput(
    blockId,
    label,
    sops.map((s) => option(`${sopId(s.key)} · ${s.title}`, s.key)),
    extra,
  );
}

/** A date (`YYYY-MM-DD`), starting at `initial` when given. */
export function dateInput(
  blockId: string,
  label: string,
  extra: Common & { initial?: string | undefined } = {},
): InputBlock {
  return input(blockId, label, extra, {
    type: 'datepicker',
    action_id: INPUT_ACTION,
    ...placeholderOf(extra, 'Pick a date'),
    ...(extra.initial ? { initial_date: extra.initial } : {}),
  });
}

/** One person of the workspace, picked from Slack's own list of users; `initial` is the one picked to start with. */
export function userInput(
  blockId: string,
  label: string,
  extra: Common & { initial?: string | undefined } = {},
): InputBlock {
  return input(blockId, label, extra, {
    type: 'users_select',
    action_id: INPUT_ACTION,
    ...placeholderOf(extra, 'Choose a person'),
    ...(extra.initial ? { initial_user: extra.initial } : {}),
  });
}

/** What a person typed after a slash command: a short line is a title, anything longer is the body. */
export function splitPrefill(typed: string, titleMax: number, bodyMax: number): { title?: string; body?: string } {
  const clean = typed.trim();
  if (!clean) return {};
  if (clean.length <= titleMax && !clean.includes('\n')) return { title: clean };
  return { body: plain(clean, bodyMax) };
}

/** A modal that only shows a message: a confirmation, an answer, an error. */
export function messageView(
  message: Message,
  options: { title: string; callbackId: string; close?: string },
): ModalView {
  return {
    type: 'modal',
    callback_id: options.callbackId,
    title: text(options.title),
    close: text(options.close ?? 'Done'),
    blocks: renderMessage(message).blocks.slice(0, BLOCKS_PER_VIEW),
  };
}
