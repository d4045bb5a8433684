/**
 * Socket Mode: a Bolt receiver of our own on `@slack/socket-mode`'s client, so that an envelope takes the same path as
 * an HTTP request (checked with zod, answered once by the dispatcher) and the client uses the configured Slack API
 * URL (Bolt's SocketModeReceiver takes no client options for it). An envelope Slack sends again, after a reconnect or
 * a late ack, is acked and not handled twice.
 */
import { randomUUID } from 'node:crypto';
import type { App, Logger, Receiver } from '@slack/bolt';
import { SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';
import { type DispatchLog, requestMeta, SlackDispatcher } from './dispatcher.ts';
import { classifySlackBody } from './envelope.ts';
import { requestArrived } from './listeners/after-acks.ts';

export interface SocketReceiverOptions {
  appToken: string;
  /** The Slack Web API base URL (`apps.connections.open` is called there). */
  apiUrl?: string;
  /** The client's own logger (Bolt's shape). */
  logger: Logger;
  log: DispatchLog;
}

/** What the client emits for every envelope. */
interface SocketEvent {
  ack(response?: object): Promise<void>;
  envelope_id?: string;
  type?: string;
  body?: unknown;
  retry_num?: number;
  retry_reason?: string;
}

export class SlackSocketReceiver implements Receiver {
  readonly dispatcher: SlackDispatcher;
  readonly client: SocketModeClient;
  private readonly log: DispatchLog;

  constructor(options: SocketReceiverOptions) {
    this.log = options.log;
    this.dispatcher = new SlackDispatcher(options.log);
    this.client = new GuardedSocketModeClient(
      {
        appToken: options.appToken,
        logger: options.logger,
        ...(options.apiUrl ? { clientOptions: { slackApiUrl: options.apiUrl } } : {}),
      },
      options.log,
    );
    this.client.on('slack_event', (event: SocketEvent) => {
      this.onEnvelope(event).catch((error: unknown) =>
        this.log.error({ err: error }, 'slack: a Socket Mode envelope failed'),
      );
    });
  }

  init(app: App): void {
    this.dispatcher.attach(app);
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }

  private async onEnvelope(event: SocketEvent): Promise<void> {
    requestArrived();
    const requestId = randomUUID().slice(0, 8);
    if (event.envelope_id && !this.dispatcher.seen.first(`envelope:${event.envelope_id}`)) {
      this.log.warn({ requestId }, 'slack: an envelope answered already came again; nothing done');
      return event.ack();
    }
    const parsed = classifySlackBody(event.body, 'payload');
    if (!parsed.ok) {
      this.log.warn({ requestId, error: parsed.error }, 'slack: refused a malformed envelope');
      // Acked all the same: unacked, Slack would send it again.
      return event.ack();
    }
    const meta = requestMeta(requestId, event.retry_num, event.retry_reason);
    const answer = await this.dispatcher.dispatch(parsed.envelope, meta);
    const body = typeof answer.body === 'string' ? { text: answer.body } : answer.body;
    await event.ack(body);
  }
}

/**
 * The client, with the messages it would trip over made harmless first. `@slack/socket-mode` reads a message's `type`
 * and an `events_api` envelope's `payload.event.type` unchecked: a JSON `null` message, or an events_api envelope
 * whose payload or event is null, threw inside its async message handler, an unhandled rejection (which ends the
 * process), and the envelope was never acked. Now such an envelope reaches `slack_event` under another type, where
 * the receiver refuses it and acks it; a message that is not an object has no envelope to ack and is dropped.
 */
class GuardedSocketModeClient extends SocketModeClient {
  constructor(
    options: SocketModeOptions,
    private readonly log: DispatchLog,
  ) {
    super(options);
  }

  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    try {
      await super.onWebSocketMessage(isBinary ? data : this.guarded(data), isBinary);
    } catch (error: unknown) {
      this.log.error({ err: error }, 'slack: a Socket Mode message failed');
    }
  }

  /** `data` as it came, or as an envelope the client can hand on; '' (ignored as not JSON) for a non-object. */
  private guarded(data: string | ArrayBuffer): string | ArrayBuffer {
    let message: unknown;
    try {
      message = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    } catch {
      return data;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.log.warn({}, 'slack: dropped a Socket Mode message that is not an object');
      return '';
    }
    const { type, payload } = message as Record<string, unknown>;
    const event = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>).event : null;
    if (type === 'events_api' && (typeof event !== 'object' || event === null)) {
      return JSON.stringify({ ...message, type: 'events_api_malformed' });
    }
    return data;
  }
}
