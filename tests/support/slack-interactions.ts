/**
 * Interaction payloads as Slack sends them for our modals and buttons (view_submission, block_actions,
 * message_action), built from the views and messages the app really sent, so a test presses what a person would see.
 * Wrap them with `interactionBody` from slack-request.ts to post them.
 */
import { randomUUID } from 'node:crypto';
import { FAKE_SLACK_BOT_ID, FAKE_SLACK_BOT_USER_ID, FAKE_SLACK_TEAM_ID } from './fake-slack-api.js';
import { FAKE_SLACK_APP_ID } from './slack-request.js';

type Json = Record<string, unknown>;

export interface SlackUserRef {
  id: string;
  name?: string;
}

const UNREACHABLE_RESPONSE_URL = 'http://127.0.0.1:9/slack-response-url/';

function userOf(user: SlackUserRef): Json {
  const name = user.name ?? user.id.toLowerCase();
  return { id: user.id, username: name, name, team_id: FAKE_SLACK_TEAM_ID };
}

const triggerId = () => `${Date.now()}.${randomUUID()}`;
const actionTs = () => `${(Date.now() / 1000).toFixed(6)}`;

/**
 * A value a test puts in a form input: text, a select's option value, the option values of a multi-select or of a
 * group of checkboxes (`true` ticks a single checkbox), a datepicker's `YYYY-MM-DD`, a users_select's user id;
 * null = left empty.
 */
export type InputValue = string | boolean | readonly string[] | null;

/** The options of `values`, as Slack sends them back: the offered option, or a forged one when it is not offered. */
function chosenOptions(offered: Json[], values: readonly string[]): Json[] {
  return values.map(
    (value) =>
      offered.find((o) => o.value === value) ?? { text: { type: 'plain_text', text: value, emoji: true }, value },
  );
}

/**
 * `view.state.values` for a modal, as Slack would send it when the person changed nothing but `values` (keyed by
 * block id): initial values stay, overrides replace them, and an option value that is not offered is sent anyway (a
 * forged or out-of-date submission).
 */
export function formState(view: Json, values: Record<string, InputValue | undefined>): Json {
  const state: Record<string, Record<string, Json>> = {};
  for (const block of (view.blocks ?? []) as Json[]) {
    if (block.type !== 'input') continue;
    const blockId = String(block.block_id);
    const element = block.element as Json;
    const actionId = String(element.action_id);
    const given = values[blockId];
    const initialValues = ((element.initial_options ?? []) as Json[]).map((o) => String(o.value));
    const many = (fallback: () => readonly string[]) =>
      given === undefined ? initialValues : Array.isArray(given) ? given : fallback();
    let entry: Json;
    switch (element.type) {
      case 'plain_text_input': {
        const value = given === undefined ? ((element.initial_value as string | undefined) ?? null) : given;
        entry = { type: 'plain_text_input', value: value === null ? null : String(value) };
        break;
      }
      case 'static_select': {
        const initial = (element.initial_option as Json | undefined)?.value as string | undefined;
        const value = given === undefined ? initial : given;
        entry = {
          type: 'static_select',
          selected_option:
            value === null || value === undefined
              ? null
              : (chosenOptions((element.options ?? []) as Json[], [String(value)])[0] ?? null),
        };
        break;
      }
      case 'radio_buttons': {
        const initial = (element.initial_option as Json | undefined)?.value as string | undefined;
        const value = given === undefined ? initial : given;
        entry = {
          type: 'radio_buttons',
          selected_option:
            value === null || value === undefined
              ? null
              : (chosenOptions((element.options ?? []) as Json[], [String(value)])[0] ?? null),
        };
        break;
      }
      case 'multi_static_select': {
        const offered = [
          ...((element.options ?? []) as Json[]),
          ...((element.option_groups ?? []) as Json[]).flatMap((g) => (g.options ?? []) as Json[]),
        ];
        const chosen = many(() => (typeof given === 'string' ? [given] : []));
        entry = { type: 'multi_static_select', selected_options: chosenOptions(offered, chosen) };
        break;
      }
      case 'checkboxes': {
        const options = (element.options ?? []) as Json[];
        const first = options[0]?.value;
        const chosen = many(() => (given === true && first !== undefined ? [String(first)] : []));
        entry = { type: 'checkboxes', selected_options: chosenOptions(options, chosen) };
        break;
      }
      case 'datepicker': {
        const value = given === undefined ? ((element.initial_date as string | undefined) ?? null) : given;
        entry = { type: 'datepicker', selected_date: value === null ? null : String(value) };
        break;
      }
      case 'users_select': {
        const value = given === undefined ? ((element.initial_user as string | undefined) ?? null) : given;
        entry = { type: 'users_select', selected_user: value === null ? null : String(value) };
        break;
      }
      default:
        throw new Error(`formState: no state for element type ${String(element.type)}`);
    }
    state[blockId] = { [actionId]: entry };
  }
  return state;
}

/** A `view_submission` of `view` (as the app sent it to views.open) with `values` typed in. */
export function viewSubmissionPayload(options: {
  user: SlackUserRef;
  view: Json;
  viewId: string;
  hash?: string;
  values: Record<string, InputValue | undefined>;
}): Json {
  return {
    type: 'view_submission',
    team: { id: FAKE_SLACK_TEAM_ID, domain: 'test' },
    user: userOf(options.user),
    api_app_id: FAKE_SLACK_APP_ID,
    token: 'verification-token',
    trigger_id: triggerId(),
    view: {
      id: options.viewId,
      team_id: FAKE_SLACK_TEAM_ID,
      type: 'modal',
      blocks: options.view.blocks,
      private_metadata: options.view.private_metadata ?? '',
      callback_id: options.view.callback_id,
      state: { values: formState(options.view, options.values) },
      hash: options.hash ?? `${Math.floor(Date.now() / 1000)}.${randomUUID().slice(0, 8)}`,
      title: options.view.title,
      clear_on_close: false,
      notify_on_close: false,
      close: options.view.close ?? null,
      submit: options.view.submit ?? null,
      previous_view_id: null,
      root_view_id: options.viewId,
      app_id: FAKE_SLACK_APP_ID,
      external_id: '',
      app_installed_team_id: FAKE_SLACK_TEAM_ID,
      bot_id: FAKE_SLACK_BOT_ID,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The button with `actionId` in `blocks` (and the id Slack would give its actions block). */
export function findButton(blocks: unknown, actionId: string, value?: string): { blockId: string; button: Json } {
  const list = (blocks ?? []) as Json[];
  for (const [i, block] of list.entries()) {
    if (block.type !== 'actions') continue;
    const button = ((block.elements ?? []) as Json[]).find(
      (e) => e.action_id === actionId && (value === undefined || e.value === value),
    );
    if (button) return { blockId: String(block.block_id ?? `actions-${i}`), button };
  }
  throw new Error(`no button ${actionId}${value ? ` (${value})` : ''} in ${JSON.stringify(list).slice(0, 500)}…`);
}

function actionOf(blockId: string, button: Json): Json {
  return {
    action_id: button.action_id,
    block_id: blockId,
    text: button.text,
    value: button.value,
    ...(button.style ? { style: button.style } : {}),
    type: 'button',
    action_ts: actionTs(),
  };
}

/**
 * The second click of a double click: the same button, message and person, but a request of its own (Slack gives
 * each click its own trigger and action time). Sending one payload twice is a replay, which the bot ignores.
 */
export function secondClick(payload: Json): Json {
  const actions = (payload.actions as Json[]).map((a) => ({ ...a, action_ts: actionTs() }));
  return { ...payload, trigger_id: triggerId(), actions };
}

/** A press on a button of a message the bot posted in `channel`. */
export function messageButtonPayload(options: {
  user: SlackUserRef;
  channel: string;
  message: { ts: string; text: string; blocks?: unknown };
  actionId: string;
}): Json {
  const { blockId, button } = findButton(options.message.blocks, options.actionId);
  return {
    type: 'block_actions',
    team: { id: FAKE_SLACK_TEAM_ID, domain: 'test' },
    user: userOf(options.user),
    api_app_id: FAKE_SLACK_APP_ID,
    token: 'verification-token',
    container: { type: 'message', message_ts: options.message.ts, channel_id: options.channel, is_ephemeral: false },
    trigger_id: triggerId(),
    channel: { id: options.channel, name: 'coe-review' },
    message: {
      type: 'message',
      user: FAKE_SLACK_BOT_USER_ID,
      bot_id: FAKE_SLACK_BOT_ID,
      ts: options.message.ts,
      text: options.message.text,
      blocks: options.message.blocks,
    },
    state: { values: {} },
    response_url: `${UNREACHABLE_RESPONSE_URL}${randomUUID()}`,
    actions: [actionOf(blockId, button)],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A press on a button inside a modal (no channel, no response_url: the container is the view). */
export function viewButtonPayload(options: {
  user: SlackUserRef;
  view: Json;
  viewId: string;
  hash: string;
  actionId: string;
  value?: string;
}): Json {
  const { blockId, button } = findButton(options.view.blocks, options.actionId, options.value);
  return {
    type: 'block_actions',
    team: { id: FAKE_SLACK_TEAM_ID, domain: 'test' },
    user: userOf(options.user),
    api_app_id: FAKE_SLACK_APP_ID,
    token: 'verification-token',
    container: { type: 'view', view_id: options.viewId },
    trigger_id: triggerId(),
    view: {
      ...options.view,
      id: options.viewId,
      hash: options.hash,
      team_id: FAKE_SLACK_TEAM_ID,
      state: { values: {} },
      root_view_id: options.viewId,
      previous_view_id: null,
      app_id: FAKE_SLACK_APP_ID,
      bot_id: FAKE_SLACK_BOT_ID,
    },
    actions: [actionOf(blockId, button)],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A message shortcut on someone's message. */
export function messageShortcutPayload(options: {
  user: SlackUserRef;
  callbackId: string;
  channel: string;
  message: { ts: string; text: string; user: string };
}): Json {
  return {
    type: 'message_action',
    token: 'verification-token',
    action_ts: actionTs(),
    team: { id: FAKE_SLACK_TEAM_ID, domain: 'test' },
    user: userOf(options.user),
    channel: { id: options.channel, name: 'general' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callbackId,
    trigger_id: triggerId(),
    response_url: `${UNREACHABLE_RESPONSE_URL}${randomUUID()}`,
    message_ts: options.message.ts,
    message: {
      type: 'message',
      user: options.message.user,
      ts: options.message.ts,
      text: options.message.text,
      team: FAKE_SLACK_TEAM_ID,
    },
  };
}
