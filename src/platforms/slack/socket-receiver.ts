/**
 * Socket Mode: a Bolt receiver of our own on `@slack/socket-mode`'s client, so that an envelope takes the same path as
 * an HTTP request (checked with zod, answered once by the dispatcher) and the client uses the configured Slack API
 * URL (Bolt's SocketModeReceiver takes no client options for it). An envelope Slack sends again, after a reconnect or
 * a late ack, is acked and not handled twice.
 */
import { randomUUID } from 'node:crypto';
import type { App, Logger, Receiver } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { type DispatchLog, SlackDispatcher } from './dispatcher.ts';
import { classifySlackBody } from './envelope.ts';

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
    this.client = new SocketModeClient({
      appToken: options.appToken,
      logger: options.logger,
      ...(options.apiUrl ? { clientOptions: { slackApiUrl: options.apiUrl } } : {}),
    });
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
    const answer = await this.dispatcher.dispatch(parsed.envelope, {
      requestId,
      ...(typeof event.retry_num === 'number' && event.retry_num > 0 ? { retryNum: event.retry_num } : {}),
      ...(typeof event.retry_reason === 'string' ? { retryReason: event.retry_reason.slice(0, 100) } : {}),
    });
    const body = typeof answer.body === 'string' ? { text: answer.body } : answer.body;
    await event.ack(body);
  }
}
