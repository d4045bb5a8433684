/**
 * Well-formed Slack requests, part one: slash commands (`/coe` with every sub-command of the README, `/friction`,
 * `/change-request`, commands the app does not have) and Events API callbacks, as Slack sends them. Also the pieces
 * every Slack payload is made of.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { SLASH_COMMANDS } from '../../src/platforms/slack/ids.ts';
import { FAKE_SLACK_BOT_USER_ID, FAKE_SLACK_TEAM_ID } from '../support/fake-slack-api.ts';
import { FAKE_SLACK_APP_ID } from '../support/slack-request.ts';
import { oddString } from './mutations.ts';
import {
  auditId,
  changeId,
  constraintId,
  date,
  fieldText,
  frictionId,
  SLACK_COE,
  SLACK_MANAGER,
  SLACK_REVIEW,
  SLACK_TEAM_CHANNEL,
  SLACK_WORKER,
  SOP_KEY,
  TEAM_NAME,
  trainingId,
  words,
} from './world.ts';

type Json = Record<string, unknown>;

/** Nothing listens on the discard port: a response_url post fails at once, and never leaves the machine. */
export const RESPONSE_URL = 'http://127.0.0.1:9/slack-response-url/';
export const team = { id: FAKE_SLACK_TEAM_ID, domain: 'test' };

export const user = fc.oneof(
  { arbitrary: fc.constantFrom(SLACK_COE, SLACK_WORKER, SLACK_MANAGER), weight: 6 },
  { arbitrary: fc.stringMatching(/^U[A-Z0-9]{2,10}$/).map((id) => ({ id, name: id.toLowerCase() })), weight: 1 },
);
export const channel = fc.constantFrom(
  SLACK_REVIEW,
  SLACK_TEAM_CHANNEL,
  'C0GENERAL',
  `D${SLACK_WORKER.id}`,
  'G0PRIVATE',
);
export const userOf = (u: { id: string; name: string }) => ({
  id: u.id,
  username: u.name,
  name: u.name,
  team_id: team.id,
});
export const trigger = () => `${Date.now()}.${randomUUID()}`;
export const ts = () => `${(Date.now() / 1000).toFixed(6)}`;

// ---- slash commands ------------------------------------------------------------------------------------------------

const mention = (u: { id: string; name: string }) => `<@${u.id}|${u.name}>`;

/** `/coe` texts: every sub-command of the README, with right and wrong arguments, and free text. */
const coeText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'help',
    '',
    'queue',
    'my reports',
    'jobs',
    'sop list',
    'team list',
    'audit list',
    'training',
    'constraint list',
    'ai',
    'setup review-channel',
    'setup',
    'release',
    `release ${SOP_KEY}`,
    'training assign',
    'audit plan',
    'role',
    'team',
  ),
  fc.tuple(fc.constantFrom('status', 'withdraw'), fc.oneof(frictionId, changeId, oddString)).map((p) => p.join(' ')),
  fc.tuple(fc.constantFrom('training status', 'audit run'), fc.oneof(trainingId, auditId)).map((p) => p.join(' ')),
  fc
    .tuple(fc.constantFrom('ai', 'sop show', 'sop diff', 'sop new', 'sop find', 'help'), fc.oneof(words, oddString))
    .map((p) => p.join(' ')),
  fc.tuple(fc.constantFrom('sop new'), words, words).map((p) => p.join(' ')),
  fc
    .tuple(user, fc.constantFrom('coe', 'manager', 'executive', 'worker', 'king'))
    .map(([u, layer]) => `role ${mention(u)} ${layer}`),
  fc
    .tuple(fc.constantFrom(TEAM_NAME, 'Night shift'), fc.option(channel))
    .map(([name, c]) => `team add ${name}${c ? ` <#${c}|chan>` : ''}`),
  fc.constantFrom(`team channel ${TEAM_NAME}`),
  fc
    .tuple(user, fc.constantFrom(TEAM_NAME, 'Nowhere'), fc.boolean())
    .map(([u, name, manager]) => `team member ${mention(u)} ${name}${manager ? ' manager' : ''}`),
  fc
    .tuple(fc.constantFrom('priority', 'constraint', 'target', 'wish'), fieldText, fc.option(date))
    .map(([kind, t, until]) => `constraint add ${kind} ${t}${until ? ` until ${until}` : ''}`),
  constraintId.map((id) => `status ${id}`),
  fieldText,
);

const commandFields = fc.oneof(
  { arbitrary: fc.tuple(fc.constant(SLASH_COMMANDS.coe), coeText), weight: 6 },
  { arbitrary: fc.tuple(fc.constantFrom(SLASH_COMMANDS.friction, SLASH_COMMANDS.changeRequest), fieldText), weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom('/unknown', '/COE', 'coe', ''), fieldText), weight: 1 },
);

export const slashCommand = fc
  .record({ command: commandFields, user, channel })
  .map(({ command: [command, text], user: u, channel: c }) => ({
    kind: `slack command ${command || '(empty)'}`,
    fields: {
      token: 'verification-token',
      team_id: team.id,
      team_domain: team.domain,
      channel_id: c,
      channel_name: c.startsWith('D') ? 'directmessage' : 'general',
      user_id: u.id,
      user_name: u.name,
      command,
      text,
      api_app_id: FAKE_SLACK_APP_ID,
      is_enterprise_install: 'false',
      response_url: `${RESPONSE_URL}${randomUUID()}`,
      trigger_id: trigger(),
    } as Json,
  }));

// ---- events ------------------------------------------------------------------------------------------------------

const eventBodies = fc.oneof(
  user.map((u) => ({ type: 'app_home_opened', user: u.id, channel: `D${u.id}`, tab: 'home' }) as Json),
  user.map((u) => ({ type: 'app_home_opened', user: u.id, channel: `D${u.id}`, tab: 'messages' }) as Json),
  fc.record({ u: user, c: channel, text: fieldText }).map(({ u, c, text }) => ({
    type: 'app_mention',
    user: u.id,
    text: `<@${FAKE_SLACK_BOT_USER_ID}> ${text}`,
    ts: ts(),
    channel: c,
  })),
  fc.record({ u: user, c: channel, text: fieldText }).map(({ u, c, text }) => ({
    type: 'message',
    channel_type: c.startsWith('D') ? 'im' : 'channel',
    user: u.id,
    text,
    ts: ts(),
    channel: c,
  })),
  fc
    .constantFrom('reaction_added', 'member_joined_channel', 'tokens_revoked', 'app_uninstalled', 'unknown_event')
    .map((type) => ({ type, user: SLACK_WORKER.id })),
);

export const eventCallback = eventBodies.map((event) => {
  const time = Math.floor(Date.now() / 1000);
  return {
    kind: `slack event ${String(event.type)}`,
    payload: {
      token: 'verification-token',
      team_id: team.id,
      api_app_id: FAKE_SLACK_APP_ID,
      event: { event_ts: `${time}.000100`, ...event },
      type: 'event_callback',
      event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
      event_time: time,
      authorizations: [
        {
          enterprise_id: null,
          team_id: team.id,
          user_id: FAKE_SLACK_BOT_USER_ID,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    } as Json,
  };
});

export const otherEnvelope = fc.oneof(
  fc.string({ maxLength: 20 }).map((challenge) => ({
    kind: 'slack url_verification',
    payload: { token: 'verification-token', challenge, type: 'url_verification' } as Json,
  })),
  fc.constant({ kind: 'slack ssl_check', payload: { ssl_check: '1', token: 'verification-token' } as Json }),
  fc.constant({
    kind: 'slack app_rate_limited',
    payload: {
      token: 'verification-token',
      type: 'app_rate_limited',
      team_id: team.id,
      minute_rate_limited: 1,
      api_app_id: FAKE_SLACK_APP_ID,
    } as Json,
  }),
);
