/**
 * An in-process stand-in for the Slack Web API, for tests that drive the real @slack/web-api client (point
 * `slackApiUrl` at `fake.url`). It answers the methods the CoE bot uses the way Slack does (HTTP 200 with
 * `{ ok: true, ... }` or `{ ok: false, error }`), keeps the posted messages per channel, records every call, and can
 * inject rate limits, server errors and Slack errors.
 *
 * Behaviour worth knowing when writing tests:
 * - A call without a token (no `Authorization: Bearer` header and no `token` argument) answers `not_authed`.
 * - A faulted call is recorded with `faulted: true` and changes nothing.
 * - With `setLatency(ms)` the state change happens at once and only the answer is delayed, so a client that times
 *   out leaves an in-doubt write behind, as with the real Slack.
 * - `conversations.history` lists top-level messages only (thread replies appear in `conversations.replies`), newest
 *   first, and includes `metadata` only when `include_all_metadata` is true.
 * - `apps.connections.open` (Socket Mode) wants an app-level token (`xapp-…`) and answers the URL of the
 *   FakeSocketMode linked with `setSocketModeLink`; the link survives `reset`.
 * - File uploads (`files.getUploadURLExternal`, the upload URL, `files.completeUploadExternal`) and `files.info` are
 *   answered by `fake.files` (see fake-slack-files.ts), which records each uploaded file.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeSlackFiles } from './fake-slack-files.js';
import { FaultQueue, randomFaults } from './fault-queue.js';
import { closeServer, listenOnLoopback, readBody, sendJson } from './test-server.js';
import { pollUntil } from './wait.js';

export const FAKE_SLACK_TEAM_ID = 'T1';
export const FAKE_SLACK_BOT_USER_ID = 'UBOT';
export const FAKE_SLACK_BOT_ID = 'BBOT';

export type SlackArgs = Record<string, unknown>;

export type SlackFault = { status: 429; retryAfter: number } | { status: 500 } | { status: 200; error: string };

export interface SlackCall {
  method: string;
  /** Arguments as sent; form values stay strings, except `blocks`, `attachments`, `view` and `metadata` (parsed JSON). */
  args: SlackArgs;
  /** Bearer token from the Authorization header (or the `token` argument). */
  token: string | undefined;
  at: number;
  /** True when an injected fault answered this call; it then changed no state. */
  faulted: boolean;
  /** The injected fault that answered it, if any. */
  fault?: SlackFault;
  /** When the answer went out (after any latency); unset while the call is still being answered. */
  answeredAt?: number;
}

export interface SlackMessage {
  type: 'message';
  channel: string;
  ts: string;
  user: string;
  bot_id: string;
  team: string;
  text: string;
  blocks?: unknown;
  attachments?: unknown;
  thread_ts?: string;
  reply_broadcast?: boolean;
  metadata?: unknown;
  edited?: { user: string; ts: string };
}

export interface SlackUser {
  id: string;
  name: string;
  real_name: string;
  display_name: string;
  email?: string;
  is_bot?: boolean;
  tz?: string;
}

export interface SlackChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_member?: boolean;
  is_archived?: boolean;
}

/** A method's answer without `ok: true` (added by the fake); throw `SlackApiError` to answer `{ ok: false }`. */
export type SlackMethodHandler = (args: SlackArgs, fake: FakeSlackApi, token: string) => Record<string, unknown>;

/** Thrown by a handler to answer `{ ok: false, error }` with HTTP 200. */
export class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'] as const;
const TS_STEP_MICROS = 100;
const DEFAULT_HISTORY_LIMIT = 100;

export class FakeSlackApi {
  /** Base URL in the form web-api's `slackApiUrl` expects, ending in `/api/`. */
  readonly url: string;
  readonly #server: Server;
  readonly #closing = new AbortController();
  readonly #faults = new FaultQueue<string, SlackCall, SlackFault>();
  #calls: SlackCall[] = [];
  #messages = new Map<string, SlackMessage[]>();
  #users = new Map<string, SlackUser>();
  #channels = new Map<string, SlackChannel>();
  #homeViewIds = new Map<string, string>();
  #overrides = new Map<string, SlackMethodHandler>();
  #lastTsMicros = 0;
  #viewCounter = 0;
  #latencyMs = 0;
  #socketModeLink: (() => string) | undefined;
  /** Uploaded files, and the upload flow's methods (files.getUploadURLExternal, …, files.info). */
  readonly files: FakeSlackFiles;
  #responses: { id: string; body: Record<string, unknown> }[] = [];

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.url = `http://127.0.0.1:${port}/api/`;
    this.files = new FakeSlackFiles(
      () => `http://127.0.0.1:${port}`,
      (error) => {
        throw new SlackApiError(error);
      },
    );
  }

  static async start(): Promise<FakeSlackApi> {
    let fake: FakeSlackApi | undefined;
    const { server, port } = await listenOnLoopback(async (req, res) => {
      if (!fake) throw new Error('FakeSlackApi is not ready yet');
      await fake.#handle(req, res);
    });
    fake = new FakeSlackApi(server, port);
    return fake;
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await closeServer(this.#server);
  }

  // ---- inspection -------------------------------------------------------------------------------------------------

  /** Every recorded call (including faulted ones), optionally only those of one method, oldest first. */
  calls(method?: string): SlackCall[] {
    return method === undefined ? [...this.#calls] : this.#calls.filter((c) => c.method === method);
  }

  /** Messages successfully posted to `channel` (as they are now, after updates and deletes), in post order. */
  messages(channel: string): SlackMessage[] {
    return structuredClone(this.#messages.get(channel) ?? []);
  }

  /** A response_url this fake answers, recording what is posted to it (`responses`). */
  responseUrl(id: string): string {
    return `${this.url.replace(/\/api\/$/, '')}/response/${encodeURIComponent(id)}`;
  }

  /** What was posted to the response_urls this fake handed out, oldest first. */
  responses(id?: string): Record<string, unknown>[] {
    return this.#responses.filter((r) => id === undefined || r.id === id).map((r) => structuredClone(r.body));
  }

  /** Clears calls, messages, users, channels, handlers, latency, faults, uploaded files and responses. */
  reset(): void {
    this.#responses = [];
    this.#calls = [];
    this.#messages.clear();
    this.#users.clear();
    this.#channels.clear();
    this.#homeViewIds.clear();
    this.#overrides.clear();
    this.#faults.clear();
    this.#latencyMs = 0;
    this.files.reset();
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    await pollUntil(predicate, timeoutMs, () => `Slack calls so far: ${this.#describeCalls()}`);
  }

  /** Waits until `method` was called at least `count` times (faulted attempts count) and returns those calls. */
  async waitForCalls(method: string, count: number, timeoutMs = 5000): Promise<SlackCall[]> {
    await pollUntil(
      () => this.calls(method).length >= count,
      timeoutMs,
      () => `wanted ${count} × ${method}, Slack calls so far: ${this.#describeCalls()}`,
    );
    return this.calls(method);
  }

  // ---- configuration ----------------------------------------------------------------------------------------------

  /** Answer the next `times` calls of `method` (or of any method, with '*') with `fault`. */
  failNext(method: string | '*', fault: SlackFault, times = 1): void {
    this.#faults.failNext(method, fault, times);
  }

  /** Consulted for every call no `failNext` fault claimed; return a fault to inject one. */
  setFaultPolicy(policy: ((call: SlackCall) => SlackFault | undefined) | undefined): void {
    this.#faults.setPolicy(policy);
  }

  /** Delay every answer by `ms` (the state change is not delayed). */
  setLatency(ms: number): void {
    this.#latencyMs = ms;
  }

  /** What `users.info` answers for this user (otherwise a user with a username and no name is made up). */
  setUser(user: SlackUser): void {
    this.#users.set(user.id, user);
  }

  /** What `conversations.info` answers for this channel (otherwise a channel is made up from the id). */
  setChannel(channel: SlackChannel): void {
    this.#channels.set(channel.id, channel);
  }

  /** Answer `method` with a custom handler (also for methods the fake does not know); `undefined` removes it. */
  setHandler(method: string, handler: SlackMethodHandler | undefined): void {
    if (handler) this.#overrides.set(method, handler);
    else this.#overrides.delete(method);
  }

  /** What `apps.connections.open` answers: a new WebSocket URL (a FakeSocketMode's); `undefined` unlinks. */
  setSocketModeLink(link: (() => string) | undefined): void {
    this.#socketModeLink = link;
  }

  // ---- HTTP -------------------------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (await this.files.handleUpload(req, res, requestUrl.pathname)) return;
    const response = /^\/response\/(.+)$/.exec(requestUrl.pathname);
    if (response?.[1] && req.method === 'POST') {
      this.#responses.push({ id: decodeURIComponent(response[1]), body: JSON.parse((await readBody(req)) || '{}') });
      sendJson(res, 200, { ok: true });
      return;
    }
    const match = /^\/api\/([\w.]+)$/.exec(requestUrl.pathname);
    if (!match?.[1]) {
      sendJson(res, 404, { ok: false, error: 'not_found' });
      return;
    }
    const method = match[1];
    const args = { ...Object.fromEntries(requestUrl.searchParams), ...parseArgs(req, await readBody(req)) };
    const token = bearerToken(req.headers.authorization) ?? stringArg(args, 'token');
    const call: SlackCall = { method, args, token, at: Date.now(), faulted: false };
    this.#calls.push(call);

    const fault = this.#faults.take([method], call);
    if (fault) {
      call.faulted = true;
      call.fault = fault;
    }
    const answer = fault ? undefined : this.#answer(method, args, token);

    if (this.#latencyMs > 0) {
      await sleep(this.#latencyMs, undefined, { signal: this.#closing.signal }).catch(() => undefined);
    }
    call.answeredAt = Date.now();
    if (!fault) {
      sendJson(res, 200, answer);
    } else if (fault.status === 429) {
      sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter) });
    } else if (fault.status === 500) {
      sendJson(res, 500, { ok: false, error: 'internal_error' });
    } else {
      sendJson(res, 200, { ok: false, error: fault.error });
    }
  }

  #answer(method: string, args: SlackArgs, token: string | undefined): Record<string, unknown> {
    if (!token) return { ok: false, error: 'not_authed' };
    const handler = this.#overrides.get(method) ?? this.#methods[method] ?? this.files.methods[method];
    if (!handler) return { ok: false, error: 'unknown_method' };
    try {
      return { ok: true, ...handler(args, this, token) };
    } catch (error) {
      if (error instanceof SlackApiError) return { ok: false, error: error.error };
      throw error;
    }
  }

  #describeCalls(): string {
    if (this.#calls.length === 0) return '(none)';
    return this.#calls.map((c) => (c.faulted ? `${c.method} (faulted)` : c.method)).join(', ');
  }

  // ---- Slack methods ----------------------------------------------------------------------------------------------

  readonly #methods: Record<string, SlackMethodHandler> = {
    'apps.connections.open': (_args, _fake, token) => {
      // Slack wants the app-level token here, and only here.
      if (!token.startsWith('xapp-')) throw new SlackApiError('not_allowed_token_type');
      if (!this.#socketModeLink) throw new SlackApiError('unknown_method');
      return { url: this.#socketModeLink() };
    },

    'auth.test': () => ({
      url: 'https://test.slack.com/',
      team: 'Test',
      user: 'coe',
      team_id: FAKE_SLACK_TEAM_ID,
      user_id: FAKE_SLACK_BOT_USER_ID,
      bot_id: FAKE_SLACK_BOT_ID,
    }),

    'chat.postMessage': (args) => {
      const channel = requireString(args, 'channel', 'channel_not_found');
      const text = stringArg(args, 'text');
      if (text === undefined && args.blocks === undefined && args.attachments === undefined) {
        throw new SlackApiError('no_text');
      }
      const threadTs = stringArg(args, 'thread_ts');
      const message: SlackMessage = {
        type: 'message',
        channel,
        ts: this.#nextTs(),
        user: FAKE_SLACK_BOT_USER_ID,
        bot_id: FAKE_SLACK_BOT_ID,
        team: FAKE_SLACK_TEAM_ID,
        text: text ?? '',
        ...definedFields({
          blocks: args.blocks,
          attachments: args.attachments,
          thread_ts: threadTs,
          reply_broadcast: threadTs !== undefined && booleanArg(args, 'reply_broadcast') ? true : undefined,
          metadata: args.metadata,
        }),
      };
      this.#channelMessages(channel).push(message);
      const { channel: _channel, ...stored } = message;
      return { channel, ts: message.ts, message: structuredClone(stored) };
    },

    'chat.update': (args) => {
      const channel = requireString(args, 'channel', 'channel_not_found');
      const message = this.#findMessage(channel, requireString(args, 'ts', 'message_not_found'));
      const text = stringArg(args, 'text');
      if (text !== undefined) message.text = text;
      for (const field of ['blocks', 'attachments', 'metadata'] as const) {
        if (args[field] !== undefined) message[field] = args[field];
      }
      message.edited = { user: FAKE_SLACK_BOT_USER_ID, ts: this.#nextTs() };
      const { channel: _channel, ...stored } = message;
      return { channel, ts: message.ts, text: message.text, message: structuredClone(stored) };
    },

    'chat.postEphemeral': (args) => {
      requireString(args, 'channel', 'channel_not_found');
      requireString(args, 'user', 'user_not_found');
      return { message_ts: this.#nextTs() };
    },

    'chat.delete': (args) => {
      const channel = requireString(args, 'channel', 'channel_not_found');
      const ts = requireString(args, 'ts', 'message_not_found');
      const messages = this.#channelMessages(channel);
      const index = messages.findIndex((m) => m.ts === ts);
      if (index < 0) throw new SlackApiError('message_not_found');
      messages.splice(index, 1);
      return { channel, ts };
    },

    'conversations.open': (args) => {
      const existing = stringArg(args, 'channel');
      if (existing) return { channel: { id: existing } };
      const users = requireString(args, 'users', 'users_list_not_supplied')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      const id = users.length === 1 ? `D${users[0]}` : `G${[...users].sort().join('')}`;
      return { no_op: false, already_open: false, channel: { id } };
    },

    'conversations.history': (args) => {
      const channel = requireString(args, 'channel', 'channel_not_found');
      const topLevel = this.#channelMessages(channel).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
      return this.#page(topLevel, args);
    },

    'conversations.replies': (args) => {
      const channel = requireString(args, 'channel', 'channel_not_found');
      const ts = requireString(args, 'ts', 'thread_not_found');
      const thread = this.#channelMessages(channel).filter((m) => m.ts === ts || m.thread_ts === ts);
      if (!thread.some((m) => m.ts === ts)) throw new SlackApiError('thread_not_found');
      const withMetadata = booleanArg(args, 'include_all_metadata');
      return { messages: thread.map((m) => this.#asListed(m, withMetadata)), has_more: false };
    },

    'conversations.info': (args) => ({
      channel: this.#channelInfo(requireString(args, 'channel', 'channel_not_found')),
    }),

    'conversations.join': (args) => {
      const channel = this.#channelInfo(requireString(args, 'channel', 'channel_not_found'));
      this.#channels.set(channel.id, { ...channel, is_member: true });
      return { channel: this.#channelInfo(channel.id) };
    },

    'users.info': (args) => {
      const user = this.#user(requireString(args, 'user', 'user_not_found'));
      return {
        user: {
          id: user.id,
          team_id: FAKE_SLACK_TEAM_ID,
          name: user.name,
          real_name: user.real_name,
          deleted: false,
          is_bot: user.is_bot ?? false,
          tz: user.tz ?? 'Europe/Berlin',
          profile: {
            display_name: user.display_name,
            real_name: user.real_name,
            ...definedFields({ email: user.email }),
          },
        },
      };
    },

    'views.open': (args) => {
      requireString(args, 'trigger_id', 'invalid_arguments');
      return { view: this.#view(requireView(args)) };
    },

    'views.push': (args) => {
      requireString(args, 'trigger_id', 'invalid_arguments');
      return { view: this.#view(requireView(args)) };
    },

    'views.update': (args) => {
      const view = requireView(args);
      const id = stringArg(args, 'view_id');
      if (id === undefined && stringArg(args, 'external_id') === undefined)
        throw new SlackApiError('invalid_arguments');
      return { view: this.#view(view, id) };
    },

    'views.publish': (args) => {
      const userId = requireString(args, 'user_id', 'invalid_arguments');
      const view = this.#view(requireView(args), this.#homeViewIds.get(userId));
      this.#homeViewIds.set(userId, view.id);
      return { view };
    },
  };

  // ---- state helpers ----------------------------------------------------------------------------------------------

  /**
   * Unique, increasing Slack timestamps from the wall clock, as Slack's are ("<epoch seconds>.<micros>"), so that
   * `oldest`/`latest` filters computed from real times (e.g. "since this outbox row was created") find them.
   */
  #nextTs(): string {
    this.#lastTsMicros = Math.max(this.#lastTsMicros + TS_STEP_MICROS, Date.now() * 1000);
    const micros = this.#lastTsMicros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  #channelMessages(channel: string): SlackMessage[] {
    let messages = this.#messages.get(channel);
    if (!messages) {
      messages = [];
      this.#messages.set(channel, messages);
    }
    return messages;
  }

  #findMessage(channel: string, ts: string): SlackMessage {
    const message = this.#messages.get(channel)?.find((m) => m.ts === ts);
    if (!message) throw new SlackApiError('message_not_found');
    return message;
  }

  /** One page of `conversations.history`: newest first, `oldest`/`latest` exclusive unless `inclusive`. */
  #page(messages: SlackMessage[], args: SlackArgs): Record<string, unknown> {
    const oldest = stringArg(args, 'oldest');
    const latest = stringArg(args, 'latest');
    const inclusive = booleanArg(args, 'inclusive');
    const cursorTs = decodeCursor(stringArg(args, 'cursor'));
    const limit = Number(stringArg(args, 'limit')) || DEFAULT_HISTORY_LIMIT;
    const inRange = messages
      .filter((m) => oldest === undefined || compareTs(m.ts, oldest) > 0 || (inclusive && m.ts === oldest))
      .filter((m) => latest === undefined || compareTs(m.ts, latest) < 0 || (inclusive && m.ts === latest))
      .filter((m) => cursorTs === undefined || compareTs(m.ts, cursorTs) <= 0)
      .sort((a, b) => compareTs(b.ts, a.ts));
    const page = inRange.slice(0, limit);
    const next = inRange[limit];
    const withMetadata = booleanArg(args, 'include_all_metadata');
    return {
      messages: page.map((m) => this.#asListed(m, withMetadata)),
      has_more: next !== undefined,
      pin_count: 0,
      response_metadata: { next_cursor: next ? encodeCursor(next.ts) : '' },
    };
  }

  /** A stored message as the list methods return it: without `channel`, with `metadata` only when asked for. */
  #asListed(message: SlackMessage, withMetadata: boolean): Omit<SlackMessage, 'channel'> {
    const { channel: _channel, metadata, ...rest } = structuredClone(message);
    return withMetadata && metadata !== undefined ? { ...rest, metadata } : rest;
  }

  #channelInfo(id: string): Required<SlackChannel> & Record<string, unknown> {
    const configured = this.#channels.get(id);
    const isIm = id.startsWith('D');
    return {
      id,
      name: configured?.name ?? `channel-${id.toLowerCase()}`,
      is_channel: id.startsWith('C'),
      is_im: isIm,
      is_private: configured?.is_private ?? (isIm || id.startsWith('G')),
      is_member: configured?.is_member ?? isIm,
      is_archived: configured?.is_archived ?? false,
      context_team_id: FAKE_SLACK_TEAM_ID,
    };
  }

  /** A user not set with `setUser` has a username and no name, as some Slack accounts do. */
  #user(id: string): SlackUser {
    return this.#users.get(id) ?? { id, name: id.toLowerCase(), real_name: '', display_name: '' };
  }

  #view(view: Record<string, unknown>, id?: string): Record<string, unknown> & { id: string } {
    const viewId = id ?? `V${String(++this.#viewCounter).padStart(8, '0')}`;
    return {
      ...view,
      id: viewId,
      team_id: FAKE_SLACK_TEAM_ID,
      hash: `${Date.now()}.${viewId}`,
      root_view_id: viewId,
      previous_view_id: null,
      bot_id: FAKE_SLACK_BOT_ID,
    };
  }
}

/**
 * A fault policy for `setFaultPolicy`: a seeded random share of `method`'s calls answered 429 (with `retryAfter`
 * seconds) and another share answered 500, the same calls on every run.
 */
export function randomSlackFaults(options: {
  seed: number;
  method: string;
  rateLimited: number;
  serverErrors: number;
  retryAfter?: number;
}): (call: SlackCall) => SlackFault | undefined {
  return randomFaults<SlackCall, SlackFault>(options.seed, (call) => call.method === options.method, [
    { fault: { status: 429, retryAfter: options.retryAfter ?? 1 }, share: options.rateLimited },
    { fault: { status: 500 }, share: options.serverErrors },
  ]);
}

// ---- request parsing ----------------------------------------------------------------------------------------------

function parseArgs(req: IncomingMessage, body: string): SlackArgs {
  if (body.trim() === '') return {};
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) ? parsed : {};
  }
  const args: SlackArgs = Object.fromEntries(new URLSearchParams(body));
  for (const field of JSON_FIELDS) {
    args[field] = parseJsonString(args[field]);
  }
  // Drop keys whose value became undefined so `'blocks' in args` stays meaningful.
  return definedFields(args);
}

/** Form fields like `blocks` arrive as JSON text; parse them when they look like JSON, else keep the string. */
function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringArg(args: SlackArgs, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function requireString(args: SlackArgs, name: string, error: string): string {
  const value = stringArg(args, name);
  if (value === undefined) throw new SlackApiError(error);
  return value;
}

function booleanArg(args: SlackArgs, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

function requireView(args: SlackArgs): Record<string, unknown> {
  const view = args.view;
  if (!isRecord(view)) throw new SlackApiError('invalid_arguments');
  return view;
}

function definedFields<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Slack timestamps compare numerically; compare seconds then the microsecond part to avoid float rounding. */
function compareTs(a: string, b: string): number {
  const [aSec = '0', aFrac = ''] = a.split('.');
  const [bSec = '0', bFrac = ''] = b.split('.');
  return Number(aSec) - Number(bSec) || Number(aFrac.padEnd(6, '0')) - Number(bFrac.padEnd(6, '0'));
}

function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  if (!decoded.startsWith('next_ts:')) throw new SlackApiError('invalid_cursor');
  return decoded.slice('next_ts:'.length);
}
