/**
 * Builders for the requests Slack sends to the app (slash commands, interactions, Events API callbacks), signed the
 * way Slack signs them, so tests can drive the app's real HTTP receiver.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { FAKE_SLACK_BOT_USER_ID, FAKE_SLACK_TEAM_ID } from './fake-slack-api.js';

export const FAKE_SLACK_APP_ID = 'A1';

/** Nothing listens on the discard port of the loopback address, so a response_url post fails fast. */
const UNREACHABLE_RESPONSE_URL_BASE = 'http://127.0.0.1:9/slack-response-url/';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Slack's v0 request signature: `v0=` + hex HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`). */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number = nowInSeconds(),
): SlackSignatureHeaders {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}

export interface SlashCommandFields {
  command: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  team_id?: string;
  trigger_id?: string;
  response_url?: string;
}

/** A slash command's urlencoded body, as Slack posts it; every field but `command` has a default. */
export function slashCommandBody(fields: SlashCommandFields): string {
  const id = randomUUID();
  const form: Record<string, string> = {
    token: 'verification-token',
    team_id: FAKE_SLACK_TEAM_ID,
    team_domain: 'test',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: 'U1',
    user_name: 'ada',
    text: '',
    api_app_id: FAKE_SLACK_APP_ID,
    is_enterprise_install: 'false',
    response_url: `${UNREACHABLE_RESPONSE_URL_BASE}${id}`,
    trigger_id: `${Date.now()}.${id}`,
    ...definedStrings(fields),
  };
  return new URLSearchParams(form).toString();
}

/** An interaction's body (block action, view submission, shortcut...): `payload=<urlencoded JSON>`. */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface EventEnvelopeOptions {
  event_id?: string;
  team_id?: string;
  event_time?: number;
}

/** An Events API `event_callback` envelope around `event`, as JSON text. */
export function eventBody(event: Record<string, unknown>, options: EventEnvelopeOptions = {}): string {
  const teamId = options.team_id ?? FAKE_SLACK_TEAM_ID;
  const eventTime = options.event_time ?? nowInSeconds();
  return JSON.stringify({
    token: 'verification-token',
    team_id: teamId,
    api_app_id: FAKE_SLACK_APP_ID,
    event: { event_ts: `${eventTime}.000100`, ...event },
    type: 'event_callback',
    event_id: options.event_id ?? `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: FAKE_SLACK_BOT_USER_ID,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });
}

/** The `url_verification` handshake Slack sends when the request URL is configured. */
export function urlVerificationBody(challenge: string): string {
  return JSON.stringify({ token: 'verification-token', challenge, type: 'url_verification' });
}

export interface PostToSlackAppOptions {
  /** Defaults to application/json for a body starting with `{`, else application/x-www-form-urlencoded. */
  contentType?: string;
  /** Seconds since the epoch for the signature; defaults to now. */
  timestamp?: number;
  /** Omitted: a valid signature. A string: sent as `x-slack-signature`. null: no signature headers at all. */
  signature?: string | null;
  /** Slack's `x-slack-retry-num` header, as on a redelivered event. */
  retryNum?: number;
  retryReason?: string;
}

export interface SlackAppResponse {
  status: number;
  text: string;
  headers: Headers;
  json<T = unknown>(): T;
}

/** POSTs `rawBody` to the app's Slack endpoint, signed with `signingSecret` unless told otherwise. */
export async function postToSlackApp(
  url: string,
  signingSecret: string,
  rawBody: string,
  options: PostToSlackAppOptions = {},
): Promise<SlackAppResponse> {
  const contentType =
    options.contentType ??
    (rawBody.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
  const headers: Record<string, string> = { 'content-type': contentType };
  if (options.signature !== null) {
    const signed = signSlackRequest(signingSecret, rawBody, options.timestamp ?? nowInSeconds());
    Object.assign(headers, signed);
    if (options.signature !== undefined) headers['x-slack-signature'] = options.signature;
  }
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  }
  const response = await fetch(url, { method: 'POST', headers, body: rawBody });
  const text = await response.text();
  return {
    status: response.status,
    text,
    headers: response.headers,
    json<T = unknown>(): T {
      return JSON.parse(text) as T;
    },
  };
}

function definedStrings(fields: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
