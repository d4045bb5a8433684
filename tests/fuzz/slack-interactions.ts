/**
 * Well-formed Slack requests, part two: interactions — a press on every button the app has (and on buttons it does
 * not know), from a message and from a modal; a submission and a close of every modal, with its inputs filled in;
 * message and global shortcuts; payload types Slack retired.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  ACTIONS,
  AUDIT_BUTTONS,
  CHANGE_BUTTONS,
  INPUT_ACTION,
  MESSAGE_SHORTCUTS,
  NUDGE_BUTTONS,
  RELEASE_BUTTONS,
  SOP_BUTTONS,
  TRAINING_BUTTONS,
  VIEWS,
} from '../../src/platforms/slack/ids.ts';
import { FAKE_SLACK_BOT_ID, FAKE_SLACK_BOT_USER_ID } from '../support/fake-slack-api.ts';
import { FAKE_SLACK_APP_ID } from '../support/slack-request.ts';
import { SLACK_FORMS, slackState } from './forms.ts';
import { oddString } from './mutations.ts';
import { channel, RESPONSE_URL, team, trigger, ts, user, userOf } from './slack-commands.ts';
import { fieldText, valueFor } from './world.ts';

type Json = Record<string, unknown>;
type Built = { kind: string; payload: Json };

/** Every action id of the app's buttons, and ids it does not know (a button from an older version, an input's). */
export const KNOWN_ACTIONS: readonly string[] = [
  ...Object.values(ACTIONS),
  ...Object.values(CHANGE_BUTTONS),
  ...Object.values(RELEASE_BUTTONS),
  ...Object.values(TRAINING_BUTTONS),
  ...Object.values(AUDIT_BUTTONS),
  ...Object.values(NUDGE_BUTTONS),
  ...Object.values(SOP_BUTTONS),
];
const actionId = fc.oneof(
  { arbitrary: fc.constantFrom(...KNOWN_ACTIONS), weight: 6 },
  { arbitrary: fc.constantFrom('friction.old_button', 'release.undo', INPUT_ACTION, 'overflow'), weight: 1 },
  { arbitrary: oddString, weight: 1 },
);
const action = actionId.chain((id) =>
  valueFor(id).map((value) => ({
    action_id: id,
    block_id: 'actions-1',
    text: { type: 'plain_text', text: 'Go', emoji: true },
    value,
    type: 'button',
    action_ts: ts(),
  })),
);

const messageButton = fc.record({ user, channel, action }).map(({ user: u, channel: c, action: a }) => ({
  kind: 'slack block_actions (message)',
  payload: {
    type: 'block_actions',
    team,
    user: userOf(u),
    api_app_id: FAKE_SLACK_APP_ID,
    token: 'verification-token',
    container: { type: 'message', message_ts: ts(), channel_id: c, is_ephemeral: false },
    trigger_id: trigger(),
    channel: { id: c, name: 'general' },
    message: {
      type: 'message',
      user: FAKE_SLACK_BOT_USER_ID,
      bot_id: FAKE_SLACK_BOT_ID,
      ts: ts(),
      text: 'FR-1',
      blocks: [],
    },
    state: { values: {} },
    response_url: `${RESPONSE_URL}${randomUUID()}`,
    actions: [a],
    is_enterprise_install: false,
    enterprise: null,
  } as Json,
}));

/** The modals with inputs, the friction form and the change request most: they are where people type. */
const FORMS_FIRST = [VIEWS.frictionForm, VIEWS.frictionForm, VIEWS.frictionForm, VIEWS.changeForm, VIEWS.changeForm];
const callbackId = fc.oneof(
  { arbitrary: fc.constantFrom(...FORMS_FIRST), weight: 8 },
  { arbitrary: fc.constantFrom(...Object.values(VIEWS)), weight: 8 },
  { arbitrary: fc.constantFrom('old_form', 'friction_form_v0', ''), weight: 1 },
  { arbitrary: oddString, weight: 1 },
);

/** A modal as Slack describes it in a payload, with `state` filled in. */
const modal = callbackId.chain((callback_id) => {
  const form = (Object.hasOwn(SLACK_FORMS, callback_id) ? SLACK_FORMS[callback_id] : undefined) ?? {
    blocks: {},
    metadata: fc.constant(''),
  };
  // Half the time filled in as a person would (so it gets past the form's checks), else loosely.
  const values = fc.boolean().chain((strict) => slackState(form, strict));
  return fc.record({ values, metadata: form.metadata }).map(({ values, metadata }) => {
    const id = `V${randomUUID().slice(0, 8).toUpperCase()}`;
    return {
      id,
      team_id: team.id,
      type: 'modal',
      blocks: [],
      private_metadata: metadata,
      callback_id,
      state: { values },
      hash: `${Math.floor(Date.now() / 1000)}.${randomUUID().slice(0, 8)}`,
      title: { type: 'plain_text', text: 'Form' },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: id,
      app_id: FAKE_SLACK_APP_ID,
      external_id: '',
      app_installed_team_id: team.id,
      bot_id: FAKE_SLACK_BOT_ID,
    } as Json;
  });
});

const modalButton = fc.record({ user, view: modal, action }).map(({ user: u, view, action: a }) => ({
  kind: 'slack block_actions (modal)',
  payload: {
    type: 'block_actions',
    team,
    user: userOf(u),
    api_app_id: FAKE_SLACK_APP_ID,
    token: 'verification-token',
    container: { type: 'view', view_id: view.id },
    trigger_id: trigger(),
    view,
    actions: [a],
    is_enterprise_install: false,
    enterprise: null,
  } as Json,
}));

const viewSubmission = fc.record({ user, view: modal }).map(({ user: u, view }) => ({
  kind: `slack view_submission`,
  payload: {
    type: 'view_submission',
    team,
    user: userOf(u),
    api_app_id: FAKE_SLACK_APP_ID,
    token: 'verification-token',
    trigger_id: trigger(),
    view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  } as Json,
}));

const viewClosed = fc.record({ user, view: modal, cleared: fc.boolean() }).map(({ user: u, view, cleared }) => ({
  kind: 'slack view_closed',
  payload: {
    type: 'view_closed',
    team,
    user: userOf(u),
    api_app_id: FAKE_SLACK_APP_ID,
    token: 'verification-token',
    view,
    is_cleared: cleared,
  } as Json,
}));

const shortcutId = fc.oneof(
  fc.constant(MESSAGE_SHORTCUTS.reportFriction),
  fc.constantFrom('report_friction', 'old_shortcut'),
  oddString,
);

const messageShortcut = fc
  .record({ user, channel, callback_id: shortcutId, text: fieldText, author: user })
  .map(({ user: u, channel: c, callback_id, text, author }) => ({
    kind: 'slack message_action',
    payload: {
      type: 'message_action',
      token: 'verification-token',
      action_ts: ts(),
      team,
      user: userOf(u),
      channel: { id: c, name: 'general' },
      is_enterprise_install: false,
      enterprise: null,
      callback_id,
      trigger_id: trigger(),
      response_url: `${RESPONSE_URL}${randomUUID()}`,
      message_ts: ts(),
      message: { type: 'message', user: author.id, ts: ts(), text, team: team.id },
    } as Json,
  }));

const globalShortcut = fc.record({ user, callback_id: shortcutId }).map(({ user: u, callback_id }) => ({
  kind: 'slack shortcut (global)',
  payload: {
    type: 'shortcut',
    token: 'verification-token',
    action_ts: ts(),
    team,
    user: userOf(u),
    is_enterprise_install: false,
    enterprise: null,
    callback_id,
    trigger_id: trigger(),
  } as Json,
}));

/** Payload types Slack retired or never sends to this app. */
const legacyInteraction = fc
  .record({
    type: fc.constantFrom(
      'interactive_message',
      'dialog_submission',
      'block_suggestion',
      'workflow_step_edit',
      'nonsense',
    ),
    user,
  })
  .map(({ type, user: u }) => ({
    kind: `slack ${type}`,
    payload: {
      type,
      team,
      user: userOf(u),
      callback_id: 'legacy',
      action_ts: ts(),
      trigger_id: trigger(),
      actions: [{ name: 'x', value: 'y' }],
      value: 'q',
    } as Json,
  }));

export const interaction: fc.Arbitrary<Built> = fc.oneof(
  { arbitrary: messageButton, weight: 5 },
  { arbitrary: modalButton, weight: 2 },
  { arbitrary: viewSubmission, weight: 7 },
  { arbitrary: viewClosed, weight: 1 },
  { arbitrary: messageShortcut, weight: 2 },
  { arbitrary: globalShortcut, weight: 1 },
  { arbitrary: legacyInteraction, weight: 1 },
);
