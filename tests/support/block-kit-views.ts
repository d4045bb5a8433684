/**
 * Checks a Slack view (modal or App Home) against the Block Kit limits for views and input blocks, from the shared
 * slack_block_kit_limits.json; every other block is checked by `blockKitProblems`. Returns `path: what` lines.
 */
import { readFileSync } from 'node:fs';
import { specPath } from './adaptive-card.ts';
import { blockKitProblems } from './block-kit-limits.ts';

interface LimitEntry {
  surface: string;
  item: string;
  limit: unknown;
}

const entries = (JSON.parse(readFileSync(specPath('slack_block_kit_limits.json'), 'utf8')) as { limits: LimitEntry[] })
  .limits;

function max(surface: string, item: string, fallback: number): number {
  const limit = entries.find((e) => e.surface === surface && e.item === item)?.limit;
  if (typeof limit === 'number') return limit;
  // "75 (@slack/types) vs 150 (python-slack-sdk)": the stricter number.
  const first = typeof limit === 'string' ? /^(\d+)/.exec(limit) : null;
  return first ? Number(first[1]) : fallback;
}

export const VIEW_LIMITS = {
  blocksPerView: max('modal/home view', 'blocks per view', 100),
  title: max('modal', 'title text (chars)', 24),
  submit: max('modal', 'submit text (chars)', 24),
  close: max('modal', 'close text (chars)', 24),
  privateMetadata: max('view', 'private_metadata (chars)', 3000),
  callbackId: max('view', 'callback_id (chars)', 255),
  inputLabel: max('input', 'label text (chars)', 2000),
  inputHint: max('input', 'hint text (chars)', 2000),
  placeholder: max('input elements', 'placeholder text (chars)', 150),
  selectOptions: max('static_select / multi_static_select', 'options', 100),
  optionGroups: max('static_select / multi_static_select', 'option_groups', 100),
  checkboxOptions: max('checkboxes', 'options', 10),
  radioOptions: max('radio_buttons', 'options', 10),
  optionText: max('option object', 'text (chars)', 75),
  optionDescription: max('option object', 'description (chars)', 75),
  optionValue: max('option object', 'value (chars)', 75),
  textInputMax: max('plain_text_input', 'min_length upper bound', 3000),
  actionId: max('interactive element', 'action_id (chars)', 255),
  blockId: max('any block', 'block_id (chars)', 255),
};

type Json = Record<string, unknown>;

export function viewProblems(view: Json): string[] {
  const L = VIEW_LIMITS;
  const problems: string[] = [];
  const text = (path: string, t: unknown, limit: number, required = false) => {
    const o = t as Json | undefined;
    if (o === undefined || o === null) {
      if (required) problems.push(`${path}: missing`);
      return;
    }
    if (o.type !== 'plain_text') problems.push(`${path}: must be plain_text`);
    const s = o.text;
    if (typeof s !== 'string' || s.length < 1 || s.length > limit) {
      problems.push(`${path}: ${typeof s === 'string' ? s.length : typeof s} characters, allowed 1-${limit}`);
    }
  };
  const length = (path: string, s: unknown, limit: number) => {
    if (s === undefined) return;
    if (typeof s !== 'string' || s.length > limit) problems.push(`${path}: longer than ${limit} or not a string`);
  };

  if (view.type !== 'modal' && view.type !== 'home') problems.push(`type: ${String(view.type)}`);
  const blocks = (view.blocks ?? []) as Json[];
  if (blocks.length > L.blocksPerView) problems.push(`blocks: ${blocks.length}, at most ${L.blocksPerView}`);
  if (view.type === 'modal') {
    text('title', view.title, L.title, true);
    text('submit', view.submit, L.submit);
    text('close', view.close, L.close);
    if (blocks.some((b) => b.type === 'input') && !view.submit) problems.push('submit: required with input blocks');
  }
  length('private_metadata', view.private_metadata, L.privateMetadata);
  length('callback_id', view.callback_id, L.callbackId);

  const option = (path: string, o: Json) => {
    text(`${path}.text`, o.text, L.optionText, true);
    text(`${path}.description`, o.description, L.optionDescription);
    length(`${path}.value`, o.value, L.optionValue);
  };

  /** Slack refuses initial options that are not exactly among the offered ones. */
  const initialOptions = (el: string, element: Json, offered: Json[]) => {
    for (const initial of (element.initial_options ?? []) as Json[]) {
      if (!offered.some((o) => JSON.stringify(o) === JSON.stringify(initial))) {
        problems.push(`${el}.initial_options: ${String(initial.value)} is not one of the options`);
      }
    }
  };

  blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    if (block.type !== 'input') {
      for (const problem of blockKitProblems({ blocks: [block] })) problems.push(problem.replace('blocks[0]', at));
      return;
    }
    length(`${at}.block_id`, block.block_id, L.blockId);
    text(`${at}.label`, block.label, L.inputLabel, true);
    text(`${at}.hint`, block.hint, L.inputHint);
    const element = (block.element ?? {}) as Json;
    const el = `${at}.element`;
    length(`${el}.action_id`, element.action_id, L.actionId);
    text(`${el}.placeholder`, element.placeholder, L.placeholder);
    switch (element.type) {
      case 'plain_text_input': {
        const maxLength = element.max_length as number | undefined;
        if (maxLength !== undefined && (maxLength < 1 || maxLength > L.textInputMax)) {
          problems.push(`${el}.max_length: ${maxLength}, allowed 1-${L.textInputMax}`);
        }
        const initial = element.initial_value as string | undefined;
        if (initial !== undefined && maxLength !== undefined && initial.length > maxLength) {
          problems.push(`${el}.initial_value: ${initial.length} characters, longer than max_length ${maxLength}`);
        }
        break;
      }
      case 'static_select': {
        const options = (element.options ?? []) as Json[];
        if (options.length < 1 || options.length > L.selectOptions) {
          problems.push(`${el}.options: ${options.length}, allowed 1-${L.selectOptions}`);
        }
        options.forEach((o, j) => {
          option(`${el}.options[${j}]`, o);
        });
        const initial = element.initial_option as Json | undefined;
        if (initial && !options.some((o) => JSON.stringify(o) === JSON.stringify(initial))) {
          problems.push(`${el}.initial_option: not one of the options`);
        }
        break;
      }
      case 'multi_static_select': {
        const options = (element.options ?? []) as Json[];
        const groups = (element.option_groups ?? []) as Json[];
        if ((element.options === undefined) === (element.option_groups === undefined)) {
          problems.push(`${el}: needs options or option_groups, not both`);
        }
        if (element.options !== undefined && (options.length < 1 || options.length > L.selectOptions)) {
          problems.push(`${el}.options: ${options.length}, allowed 1-${L.selectOptions}`);
        }
        if (element.option_groups !== undefined && (groups.length < 1 || groups.length > L.optionGroups)) {
          problems.push(`${el}.option_groups: ${groups.length}, allowed 1-${L.optionGroups}`);
        }
        const offered = [...options];
        groups.forEach((g, j) => {
          text(`${el}.option_groups[${j}].label`, g.label, L.optionText, true);
          const inGroup = (g.options ?? []) as Json[];
          if (inGroup.length < 1 || inGroup.length > L.selectOptions) {
            problems.push(`${el}.option_groups[${j}].options: ${inGroup.length}, allowed 1-${L.selectOptions}`);
          }
          offered.push(...inGroup);
        });
        offered.forEach((o, j) => {
          option(`${el}.options[${j}]`, o);
        });
        initialOptions(el, element, offered);
        break;
      }
      case 'checkboxes': {
        const options = (element.options ?? []) as Json[];
        if (options.length < 1 || options.length > L.checkboxOptions) {
          problems.push(`${el}.options: ${options.length}, allowed 1-${L.checkboxOptions}`);
        }
        options.forEach((o, j) => {
          option(`${el}.options[${j}]`, o);
        });
        initialOptions(el, element, options);
        break;
      }
      case 'radio_buttons': {
        const options = (element.options ?? []) as Json[];
        if (options.length < 1 || options.length > L.radioOptions) {
          problems.push(`${el}.options: ${options.length}, allowed 1-${L.radioOptions}`);
        }
        options.forEach((o, j) => {
          option(`${el}.options[${j}]`, o);
        });
        const initial = element.initial_option as Json | undefined;
        if (initial && !options.some((o) => JSON.stringify(o) === JSON.stringify(initial))) {
          problems.push(`${el}.initial_option: not one of the options`);
        }
        break;
      }
      case 'datepicker': {
        const initial = element.initial_date;
        if (initial !== undefined && (typeof initial !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(initial))) {
          problems.push(`${el}.initial_date: ${String(initial)} is not YYYY-MM-DD`);
        }
        break;
      }
      case 'users_select':
        // Only its placeholder has a limit, checked above.
        break;
      default:
        problems.push(`${el}: element type ${String(element.type)} is not checked here`);
    }
  });
  return problems;
}
