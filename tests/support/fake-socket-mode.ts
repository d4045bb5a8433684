/**
 * A stand-in for Slack's Socket Mode, for tests that drive the real `@slack/socket-mode` client: linked to a
 * FakeSlackApi, whose `apps.connections.open` then answers a one-time `ws://127.0.0.1:<port>/link/?ticket=…` URL,
 * and a WebSocket server there that greets each connection with `hello`, delivers envelopes
 * (`{ envelope_id, type, payload, accepts_response_payload, retry_attempt, retry_reason }`) and records the acks
 * (`{ envelope_id, payload }`) the app sends back.
 *
 * Behaviour worth knowing when writing tests:
 * - An envelope goes to the newest open connection; with none open (the app is reconnecting), it waits and goes out
 *   right after the next `hello`, as Slack holds it while the app is away.
 * - After `disconnect()` (Slack's polite "please reconnect") that connection gets nothing more; `drop()` cuts the TCP
 *   connection without a close frame.
 * - `send(…, { dropOnAck: true })`: when the app acks that envelope, the fake cuts the connection instead of taking
 *   the ack (recorded in `lostAcks`), as when a connection breaks with the ack on the wire; `redeliver` then sends it
 *   again with the same envelope_id, as Slack does with an envelope it has no ack for.
 * - A ticket works once, and only a ticket `apps.connections.open` handed out opens a connection.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { FAKE_SLACK_TEAM_ID, type FakeSlackApi } from './fake-slack-api.js';
import { FAKE_SLACK_APP_ID } from './slack-request.js';
import { pollUntil } from './wait.js';

type Json = Record<string, unknown>;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketEnvelope {
  envelope_id: string;
  /** One of EnvelopeType as Slack sends them; any string, to see what the app does with others. */
  type: string;
  /** Anything, to see what the app does with a malformed one. */
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

export interface SocketAck {
  envelope_id: string;
  /** The ack's payload (a command's reply, a modal's `response_action`…); `{}` for a plain ack. */
  payload: unknown;
  /** The connection it came on (1 = the first the fake accepted). */
  connection: number;
  at: number;
}

export interface SendOptions {
  /** When the app acks this envelope, cut the connection instead of taking the ack. */
  dropOnAck?: boolean;
}

interface Connection {
  number: number;
  socket: WebSocket;
  /** Told to reconnect (`disconnect`): nothing more is sent on it. */
  retiring: boolean;
}

const DEFAULT_TIMEOUT_MS = 5000;
const LINK_PATH = '/link/';

export class FakeSocketMode {
  readonly #server: WebSocket.Server;
  readonly #port: number;
  readonly #tickets = new Set<string>();
  readonly #open: Connection[] = [];
  readonly #waiting: SocketEnvelope[] = [];
  readonly #sent = new Map<string, SocketEnvelope>();
  readonly #dropOnAck = new Set<string>();
  #connections = 0;
  #acks: SocketAck[] = [];
  #lostAcks: SocketAck[] = [];
  /** What came from the app that is not an ack. */
  #strays: string[] = [];

  private constructor(server: WebSocket.Server) {
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    server.on('connection', (socket) => this.#accept(socket));
  }

  /** Starts the WebSocket server on loopback and links `api`'s `apps.connections.open` to it. */
  static async start(api: FakeSlackApi): Promise<FakeSocketMode> {
    let fake: FakeSocketMode | undefined;
    const server = await new Promise<WebSocket.Server>((resolve, reject) => {
      const s: WebSocket.Server = new WebSocket.Server({
        host: '127.0.0.1',
        port: 0,
        path: LINK_PATH,
        verifyClient: (info: { req: IncomingMessage }) => (fake ? fake.#useTicket(info.req) : false),
      });
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
    const started = new FakeSocketMode(server);
    fake = started;
    api.setSocketModeLink(() => started.#issueUrl());
    return started;
  }

  async close(): Promise<void> {
    this.#waiting.length = 0;
    for (const { socket } of this.#open) socket.terminate();
    this.#open.length = 0;
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---- inspection -------------------------------------------------------------------------------------------------

  /** Connections accepted so far (each one a `hello`). */
  get connections(): number {
    return this.#connections;
  }

  /** Connections open now (not counting one told to disconnect). */
  get openConnections(): number {
    return this.#open.filter((c) => !c.retiring).length;
  }

  /** Acks taken, oldest first; of one envelope only when `envelopeId` is given. */
  acks(envelopeId?: string): SocketAck[] {
    return this.#acks.filter((a) => envelopeId === undefined || a.envelope_id === envelopeId);
  }

  /** Acks the fake cut the connection on (`dropOnAck`). */
  lostAcks(envelopeId?: string): SocketAck[] {
    return this.#lostAcks.filter((a) => envelopeId === undefined || a.envelope_id === envelopeId);
  }

  /** Messages from the app that were not acks. */
  strays(): string[] {
    return [...this.#strays];
  }

  /** Envelopes waiting for the app to connect again. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Waits for the `count`-th ack of `envelopeId` (the first by default) and returns it. */
  async waitForAck(envelopeId: string, count = 1, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SocketAck> {
    await pollUntil(
      () => this.acks(envelopeId).length >= count,
      timeoutMs,
      () => `wanted ${count} ack(s) of ${envelopeId}; ${this.#describe()}`,
    );
    return this.acks(envelopeId)[count - 1] as SocketAck;
  }

  /** Waits until `count` connections were accepted in all and one is open. */
  async waitForConnections(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await pollUntil(
      () => this.#connections >= count && this.openConnections > 0,
      timeoutMs,
      () => `wanted ${count} connection(s); ${this.#describe()}`,
    );
  }

  // ---- what Slack sends -------------------------------------------------------------------------------------------

  /** Sends an envelope (defaults filled in) and returns it; it waits for a connection when none is open. */
  send(envelope: Partial<SocketEnvelope> & { type: string }, options: SendOptions = {}): SocketEnvelope {
    const full: SocketEnvelope = {
      envelope_id: randomUUID(),
      payload: {},
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
      ...envelope,
    };
    this.#sent.set(full.envelope_id, full);
    if (options.dropOnAck) this.#dropOnAck.add(full.envelope_id);
    this.#deliver(full);
    return full;
  }

  /** A slash command, its fields as Slack's form has them (strings); `command` and `user_id` at least. */
  slashCommand(fields: Record<string, string | undefined>, options?: SendOptions): SocketEnvelope {
    const id = randomUUID();
    const payload = {
      token: 'verification-token',
      team_id: FAKE_SLACK_TEAM_ID,
      team_domain: 'test',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      text: '',
      api_app_id: FAKE_SLACK_APP_ID,
      is_enterprise_install: 'false',
      response_url: `http://127.0.0.1:9/slack-response-url/${id}`,
      trigger_id: `${Date.now()}.${id}`,
      ...fields,
    };
    return this.send({ type: 'slash_commands', payload, accepts_response_payload: true }, options);
  }

  /** An interaction (block action, view submission, shortcut…), the payload as slack-interactions.ts builds it. */
  interactive(payload: unknown, options?: SendOptions): SocketEnvelope {
    const type = typeof payload === 'object' && payload !== null ? (payload as Json).type : undefined;
    return this.send({ type: 'interactive', payload, accepts_response_payload: type === 'view_submission' }, options);
  }

  /** An Events API callback (`{ type: 'event_callback', event, … }`). */
  event(payload: unknown, options?: SendOptions): SocketEnvelope {
    return this.send({ type: 'events_api', payload }, options);
  }

  /** Sends an envelope sent before again, with its envelope_id, as Slack does when it has no ack for it. */
  redeliver(envelopeId: string, retryReason = 'timeout'): SocketEnvelope {
    const before = this.#sent.get(envelopeId);
    if (!before) throw new Error(`no envelope ${envelopeId} was sent`);
    const again = { ...before, retry_attempt: before.retry_attempt + 1, retry_reason: retryReason };
    this.#sent.set(envelopeId, again);
    this.#deliver(again);
    return again;
  }

  /** Sends `text` as it is on the newest open connection (junk, a JSON `null`…). */
  sendRaw(text: string): void {
    const connection = this.#current();
    if (!connection) throw new Error(`no open connection; ${this.#describe()}`);
    connection.socket.send(text);
  }

  /** Slack's polite "please reconnect" on every open connection; the app closes it and opens another. */
  disconnect(reason = 'refresh_requested'): void {
    for (const connection of this.#open) {
      if (connection.retiring) continue;
      connection.retiring = true;
      connection.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-applink' } }));
    }
  }

  /** Cuts every open connection (no close frame), as a network failure does. */
  drop(): void {
    for (const { socket } of [...this.#open]) socket.terminate();
  }

  // ---- internals --------------------------------------------------------------------------------------------------

  #issueUrl(): string {
    const ticket = randomUUID();
    this.#tickets.add(ticket);
    return `ws://127.0.0.1:${this.#port}${LINK_PATH}?ticket=${ticket}&app_id=${FAKE_SLACK_APP_ID}`;
  }

  #useTicket(req: IncomingMessage): boolean {
    const ticket = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('ticket') ?? '';
    return this.#tickets.delete(ticket);
  }

  #accept(socket: WebSocket): void {
    const connection: Connection = { number: ++this.#connections, socket, retiring: false };
    this.#open.push(connection);
    socket.on('message', (data) => this.#onMessage(connection, String(data)));
    socket.on('close', () => {
      const index = this.#open.indexOf(connection);
      if (index >= 0) this.#open.splice(index, 1);
    });
    // A client that goes away mid-write is what `drop` is for; nothing to report.
    socket.on('error', () => undefined);
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections,
        debug_info: { host: 'fake-applink', approximate_connection_time: 18060 },
        connection_info: { app_id: FAKE_SLACK_APP_ID },
      }),
    );
    for (const envelope of this.#waiting.splice(0)) this.#deliver(envelope);
  }

  #onMessage(connection: Connection, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.#strays.push(text);
      return;
    }
    const envelopeId = typeof message === 'object' && message !== null ? (message as Json).envelope_id : undefined;
    if (typeof envelopeId !== 'string') {
      this.#strays.push(text);
      return;
    }
    const ack: SocketAck = {
      envelope_id: envelopeId,
      payload: (message as Json).payload,
      connection: connection.number,
      at: Date.now(),
    };
    if (this.#dropOnAck.delete(envelopeId)) {
      this.#lostAcks.push(ack);
      connection.socket.terminate();
      return;
    }
    this.#acks.push(ack);
  }

  #current(): Connection | undefined {
    return this.#open.filter((c) => !c.retiring && c.socket.readyState === WebSocket.OPEN).at(-1);
  }

  #deliver(envelope: SocketEnvelope): void {
    const connection = this.#current();
    if (connection) connection.socket.send(JSON.stringify(envelope));
    else this.#waiting.push(envelope);
  }

  #describe(): string {
    const acks = this.#acks.map((a) => `${a.envelope_id.slice(0, 8)}@${a.connection}`).join(', ') || 'none';
    return `connections: ${this.#connections} (${this.openConnections} open), waiting: ${this.#waiting.length}, acks: ${acks}`;
  }
}
