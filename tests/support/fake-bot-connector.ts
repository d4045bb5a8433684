/**
 * An in-process stand-in for the Bot Framework connector service (the `serviceUrl` of Teams activities). botbuilder's
 * CloudAdapter, with authentication off (no app id), sends its replies, updates, deletes and proactive
 * conversation creations here; the fake records them, keeps the activities per conversation, answers member
 * look-ups, and can inject faults.
 *
 * Behaviour worth knowing when writing tests:
 * - A faulted request is recorded with `faulted: true` and changes nothing.
 * - Creating a 1:1 conversation with the same user twice returns the same conversation id, as Teams does.
 * - Updating or deleting an activity the fake never saw succeeds (the activity may have come from a test's builder).
 * - `/members/{id}` answers a member made up from the id unless `addMember` registered one (matched by id or
 *   aadObjectId); `/members` lists the registered members, `/pagedmembers` the same a page at a time
 *   (`pageSize`, `continuationToken`), as `TeamsInfo.getPagedMembers` reads a team's roster.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultQueue } from './fault-queue.js';
import { closeServer, listenOnLoopback, readBody, sendJson } from './test-server.js';
import { pollUntil } from './wait.js';

export const FAKE_TEAMS_TENANT_ID = '00000000-0000-4000-8000-00000000face';

export type ConnectorRequestKind =
  | 'send'
  | 'reply'
  | 'update'
  | 'delete'
  | 'create'
  | 'members'
  | 'pagedMembers'
  | 'member'
  | 'team'
  | 'unknown';

/** What `failNext` can aim at: 'send' covers sends and replies, 'read' covers member and team look-ups. */
export type ConnectorFaultTarget = 'send' | 'update' | 'delete' | 'create' | 'read';

/**
 * An injected failure. 429 answers a `Retry-After` header; any other status answers a Bot Framework error body
 * `{ error: { code, message } }` (e.g. `{ status: 403, code: 'BotNotInConversationRoster' }` for a user who removed
 * the app).
 */
export type ConnectorFault = { status: 429; retryAfter: number } | { status: number; code?: string; message?: string };

/** An activity as sent over the wire; only the fields the fake itself relies on are typed. */
export interface ConnectorActivity {
  id?: string;
  type?: string;
  text?: string;
  [field: string]: unknown;
}

export interface ConnectorRequest {
  method: string;
  path: string;
  kind: ConnectorRequestKind;
  /** Decoded (may contain `;messageid=...`); for `create`, the id of the conversation created. */
  conversationId: string | undefined;
  activityId?: string;
  body: unknown;
  authorization: string | undefined;
  at: number;
  faulted: boolean;
}

export interface TeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
  givenName?: string;
  surname?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: string;
}

interface Route {
  kind: ConnectorRequestKind;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  teamId?: string;
  /** For team routes: the team's channel list rather than its details. */
  teamChannels?: boolean;
  query?: URLSearchParams;
}

type Answer = { status: number; body?: unknown };

export class FakeBotConnector {
  /** The `serviceUrl` to put in activities and conversation references, ending in `/`. */
  readonly serviceUrl: string;
  readonly #server: Server;
  readonly #closing = new AbortController();
  readonly #faults = new FaultQueue<ConnectorFaultTarget, ConnectorRequest, ConnectorFault>();
  #requests: ConnectorRequest[] = [];
  #conversations = new Map<string, Map<string, ConnectorActivity>>();
  #personalChats = new Map<string, string>();
  #members = new Map<string, TeamsMember>();
  #activityCounter = 0;
  #conversationCounter = 0;
  #latencyMs = 0;

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.serviceUrl = `http://127.0.0.1:${port}/`;
  }

  static async start(): Promise<FakeBotConnector> {
    let fake: FakeBotConnector | undefined;
    const { server, port } = await listenOnLoopback(async (req, res) => {
      if (!fake) throw new Error('FakeBotConnector is not ready yet');
      await fake.#handle(req, res);
    });
    fake = new FakeBotConnector(server, port);
    return fake;
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await closeServer(this.#server);
  }

  // ---- inspection -------------------------------------------------------------------------------------------------

  /** Every recorded request, including faulted ones, oldest first. */
  requests(): ConnectorRequest[] {
    return [...this.#requests];
  }

  /** Successful sends and replies, optionally to one conversation, oldest first. */
  activities(conversationId?: string): ConnectorRequest[] {
    return this.#requests.filter(
      (r) =>
        (r.kind === 'send' || r.kind === 'reply') &&
        !r.faulted &&
        (conversationId === undefined || r.conversationId === conversationId),
    );
  }

  /** The activities of a conversation as they are now (after updates and deletes), in send order, with their ids. */
  messages(conversationId: string): ConnectorActivity[] {
    return structuredClone([...(this.#conversations.get(conversationId)?.values() ?? [])]);
  }

  /** Clears requests, conversations, members, latency and faults. */
  reset(): void {
    this.#requests = [];
    this.#conversations.clear();
    this.#personalChats.clear();
    this.#members.clear();
    this.#faults.clear();
    this.#latencyMs = 0;
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    await pollUntil(predicate, timeoutMs, () => `connector requests so far: ${this.#describeRequests()}`);
  }

  /** Waits until at least `count` activities were sent (to `conversationId`, if given) and returns them. */
  async waitForActivities(count: number, conversationId?: string, timeoutMs = 5000): Promise<ConnectorRequest[]> {
    await pollUntil(
      () => this.activities(conversationId).length >= count,
      timeoutMs,
      () =>
        `wanted ${count} activities${conversationId ? ` in ${conversationId}` : ''}, ` +
        `connector requests so far: ${this.#describeRequests()}`,
    );
    return this.activities(conversationId);
  }

  // ---- configuration ----------------------------------------------------------------------------------------------

  failNext(target: ConnectorFaultTarget | '*', fault: ConnectorFault, times = 1): void {
    this.#faults.failNext(target, fault, times);
  }

  /** Consulted for every request no `failNext` fault claimed; return a fault to inject one. */
  setFaultPolicy(policy: ((request: ConnectorRequest) => ConnectorFault | undefined) | undefined): void {
    this.#faults.setPolicy(policy);
  }

  /** Delay every answer by `ms` (the state change is not delayed). */
  setLatency(ms: number): void {
    this.#latencyMs = ms;
  }

  /** Registers a member for the `/members` look-ups. */
  addMember(member: TeamsMember): void {
    this.#members.set(member.id, member);
  }

  // ---- HTTP -------------------------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const route = { ...parseRoute(method, path), query: url.searchParams };
    const text = await readBody(req);
    const request: ConnectorRequest = {
      method,
      path,
      kind: route.kind,
      conversationId: route.conversationId,
      ...(route.activityId === undefined ? {} : { activityId: route.activityId }),
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
      authorization: req.headers.authorization,
      at: Date.now(),
      faulted: false,
    };
    this.#requests.push(request);

    const fault = this.#faults.take(faultTargets(route.kind), request);
    if (fault) request.faulted = true;
    const answer = fault ? faultAnswer(fault) : this.#answer(route, request);

    if (this.#latencyMs > 0) {
      await sleep(this.#latencyMs, undefined, { signal: this.#closing.signal }).catch(() => undefined);
    }
    const headers: Record<string, string> =
      fault?.status === 429 && 'retryAfter' in fault ? { 'retry-after': String(fault.retryAfter) } : {};
    sendJson(res, answer.status, answer.body, headers);
  }

  #answer(route: Route, request: ConnectorRequest): Answer {
    const conversationId = route.conversationId ?? '';
    switch (route.kind) {
      case 'send':
      case 'reply': {
        const id = this.#nextActivityId();
        this.#store(conversationId, { ...asActivity(request.body), id });
        request.activityId ??= id;
        return { status: 200, body: { id } };
      }
      case 'update': {
        const id = route.activityId ?? '';
        this.#store(conversationId, { ...asActivity(request.body), id });
        return { status: 200, body: { id } };
      }
      case 'delete':
        this.#conversations.get(conversationId)?.delete(route.activityId ?? '');
        return { status: 200 };
      case 'create':
        return this.#createConversation(request);
      case 'members':
        return { status: 200, body: [...this.#members.values()] };
      case 'pagedMembers': {
        const size = Math.max(1, Number(route.query?.get('pageSize') ?? 100) || 100);
        const from = Number(route.query?.get('continuationToken') ?? 0) || 0;
        const all = [...this.#members.values()];
        const next = from + size < all.length ? { continuationToken: String(from + size) } : {};
        return { status: 200, body: { members: all.slice(from, from + size), ...next } };
      }
      case 'member':
        return { status: 200, body: this.#member(route.memberId ?? '') };
      case 'team':
        return { status: 200, body: teamAnswer(route) };
      case 'unknown':
        return {
          status: 404,
          body: { error: { code: 'NotFound', message: `FakeBotConnector: no route ${request.path}` } },
        };
    }
  }

  #createConversation(request: ConnectorRequest): Answer {
    const parameters = isRecord(request.body) ? request.body : {};
    const members = Array.isArray(parameters.members) ? parameters.members : [];
    const firstMember: unknown = members[0];
    const memberId = isRecord(firstMember) && typeof firstMember.id === 'string' ? firstMember.id : undefined;
    const personalKey = parameters.isGroup !== true && memberId !== undefined ? memberId : undefined;

    let id = personalKey === undefined ? undefined : this.#personalChats.get(personalKey);
    if (id === undefined) {
      this.#conversationCounter += 1;
      id = `conv-${this.#conversationCounter}`;
      if (personalKey !== undefined) this.#personalChats.set(personalKey, id);
    }
    request.conversationId = id;

    if (!isRecord(parameters.activity)) return { status: 201, body: { id } };
    const activityId = this.#nextActivityId();
    this.#store(id, { ...asActivity(parameters.activity), id: activityId });
    request.activityId = activityId;
    return { status: 201, body: { id, activityId } };
  }

  #member(idOrAadObjectId: string): TeamsMember {
    const known =
      this.#members.get(idOrAadObjectId) ?? [...this.#members.values()].find((m) => m.aadObjectId === idOrAadObjectId);
    return known ?? madeUpMember(idOrAadObjectId);
  }

  #store(conversationId: string, activity: ConnectorActivity & { id: string }): void {
    let activities = this.#conversations.get(conversationId);
    if (!activities) {
      activities = new Map();
      this.#conversations.set(conversationId, activities);
    }
    activities.set(activity.id, activity);
  }

  #nextActivityId(): string {
    this.#activityCounter += 1;
    return `activity-${this.#activityCounter}`;
  }

  #describeRequests(): string {
    if (this.#requests.length === 0) return '(none)';
    return this.#requests
      .map((r) => `${r.kind} ${r.conversationId ?? ''}${r.faulted ? ' (faulted)' : ''}`.trimEnd())
      .join(', ');
  }
}

// ---- routing ------------------------------------------------------------------------------------------------------

/** Maps a connector REST path to what it does; path segments are URL-decoded (conversation ids contain `:` and `;`). */
function parseRoute(method: string, path: string): Route {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const [version, collection, id, sub, subId, extra] = segments;
  if (version !== 'v3' || extra !== undefined) return { kind: 'unknown' };

  if (collection === 'teams' && id !== undefined && method === 'GET' && subId === undefined) {
    if (sub === undefined) return { kind: 'team', teamId: id };
    return sub === 'conversations' ? { kind: 'team', teamId: id, teamChannels: true } : { kind: 'unknown' };
  }
  if (collection !== 'conversations') return { kind: 'unknown' };

  if (id === undefined) return method === 'POST' ? { kind: 'create' } : { kind: 'unknown' };
  const conversationId = id;
  if (sub === 'activities') {
    if (subId === undefined) return method === 'POST' ? { kind: 'send', conversationId } : { kind: 'unknown' };
    const kinds: Record<string, ConnectorRequestKind> = { POST: 'reply', PUT: 'update', DELETE: 'delete' };
    const kind = kinds[method];
    return kind ? { kind, conversationId, activityId: subId } : { kind: 'unknown' };
  }
  if (sub === 'pagedmembers' && method === 'GET' && subId === undefined)
    return { kind: 'pagedMembers', conversationId };
  if (sub === 'members' && method === 'GET') {
    return subId === undefined
      ? { kind: 'members', conversationId }
      : { kind: 'member', conversationId, memberId: subId };
  }
  return { kind: 'unknown', conversationId };
}

function faultTargets(kind: ConnectorRequestKind): ConnectorFaultTarget[] {
  switch (kind) {
    case 'send':
    case 'reply':
      return ['send'];
    case 'update':
    case 'delete':
    case 'create':
      return [kind];
    case 'members':
    case 'pagedMembers':
    case 'member':
    case 'team':
      return ['read'];
    case 'unknown':
      return [];
  }
}

function faultAnswer(fault: ConnectorFault): Answer {
  const defaults: Record<number, string> = { 429: 'TooManyRequests', 500: 'ServiceError' };
  const code = ('code' in fault ? fault.code : undefined) ?? defaults[fault.status] ?? 'BadRequest';
  const message = ('message' in fault ? fault.message : undefined) ?? `Injected fault ${fault.status}`;
  return { status: fault.status, body: { error: { code, message } } };
}

function teamAnswer(route: Route): unknown {
  const teamId = route.teamId ?? '';
  if (route.teamChannels) return { conversations: [{ id: teamId, name: 'General' }] };
  return { id: teamId, name: 'Test Team', aadGroupId: uuidFrom(teamId) };
}

function madeUpMember(id: string): TeamsMember {
  const aadObjectId = isGuid(id) ? id : uuidFrom(id);
  const slug =
    id
      .replace(/[^a-z0-9]/gi, '')
      .slice(-8)
      .toLowerCase() || 'user';
  return {
    id,
    name: `User ${slug}`,
    aadObjectId,
    givenName: 'User',
    surname: slug,
    email: `${slug}@example.com`,
    userPrincipalName: `${slug}@example.com`,
    tenantId: FAKE_TEAMS_TENANT_ID,
    userRole: 'user',
  };
}

function asActivity(body: unknown): ConnectorActivity {
  return isRecord(body) ? { ...body } : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isGuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A stable GUID-shaped id derived from any string. */
export function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
