/**
 * Delivers outbox rows to Slack. The Web API client is built with its own retries off: the outbox does the retrying,
 * durably, and honours Retry-After across restarts.
 */
import { ErrorCode, type WebAPICallError, type WebClient } from '@slack/web-api';
import { DeliveryError, type MessageRef, type MessageSender, type OutboxRow } from '../../ports.ts';
import type { SlackCharts } from './charts.ts';
import { renderMessage } from './render.ts';

/** Marks every message we post, so an in-doubt send can be found again (message metadata). */
const METADATA_EVENT = 'coe_outbox_message';

// Errors that will not go away by trying again.
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_blocks_format',
  'message_not_found',
  'cant_update_message',
  'user_not_found',
  'cannot_dm_bot',
  'user_disabled',
  'account_inactive',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'missing_scope',
]);

export class SlackSender implements MessageSender {
  readonly perChannelIntervalMs = 1000;
  private readonly dmChannels = new Map<string, string>();

  constructor(
    private readonly client: WebClient,
    private readonly charts?: SlackCharts,
  ) {}

  async send(row: OutboxRow, parent: MessageRef | undefined): Promise<MessageRef> {
    const { text, blocks } = this.charts ? await this.charts.render(row.body, row.key) : renderMessage(row.body);
    return call(async () => {
      const target = row.target;
      if (target.kind === 'update') {
        if (!parent?.channel || !parent.ts) throw new DeliveryError('permanent', 'nothing to update');
        await this.client.chat.update({ channel: parent.channel, ts: parent.ts, text, blocks });
        return { channel: parent.channel, ts: parent.ts };
      }
      const channel = await this.channelOf(row, parent);
      const res = await this.client.chat.postMessage({
        channel,
        text,
        blocks,
        ...(target.kind === 'channel' && parent?.ts ? { thread_ts: parent.ts } : {}),
        metadata: { event_type: METADATA_EVENT, event_payload: { key: row.key } },
        unfurl_links: false,
      });
      return { channel: res.channel ?? channel, ts: res.ts ?? '' };
    });
  }

  /** Looks for the row's message in the channel's recent history, by its metadata key. */
  async findDelivered(row: OutboxRow, parent: MessageRef | undefined): Promise<MessageRef | undefined> {
    if (row.target.kind === 'update') return undefined; // an update applied twice is harmless
    const channel = await call(() => this.channelOf(row, parent));
    const oldest = String(Math.floor(row.createdAt.getTime() / 1000) - 60);
    const page = await call(() =>
      row.target.kind === 'channel' && parent?.ts
        ? this.client.conversations.replies({ channel, ts: parent.ts, oldest, include_all_metadata: true, limit: 200 })
        : this.client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }),
    );
    const found = page.messages?.find(
      (m) =>
        m.metadata?.event_type === METADATA_EVENT &&
        (m.metadata.event_payload as { key?: string } | undefined)?.key === row.key,
    );
    return found?.ts ? { channel, ts: found.ts } : undefined;
  }

  private async channelOf(row: OutboxRow, parent: MessageRef | undefined): Promise<string> {
    const target = row.target;
    // A thread reply goes where its parent is, even if the channel was moved since.
    if (target.kind === 'channel') return (target.threadOf && parent?.channel) || target.channelId;
    if (target.kind !== 'dm') throw new DeliveryError('permanent', 'an update has no channel of its own');
    const known = this.dmChannels.get(target.externalId);
    if (known) return known;
    const res = await this.client.conversations.open({ users: target.externalId });
    const id = res.channel?.id;
    if (!id) throw new DeliveryError('transient', 'conversations.open returned no channel');
    this.dmChannels.set(target.externalId, id);
    return id;
  }
}

/** Runs a Web API call and turns its failures into the outbox's vocabulary. */
async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDeliveryError(error);
  }
}

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = error as Partial<WebAPICallError> & { message?: string };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return new DeliveryError(
        'rate-limited',
        'Slack rate limit',
        ((e as { retryAfter?: number }).retryAfter ?? 1) * 1000,
      );
    case ErrorCode.PlatformError: {
      const slackError = String((e as { data?: { error?: string } }).data?.error ?? 'unknown');
      if (slackError === 'ratelimited') return new DeliveryError('rate-limited', 'Slack rate limit', 1000);
      return new DeliveryError(PERMANENT.has(slackError) ? 'permanent' : 'transient', `Slack: ${slackError}`);
    }
    default:
      return new DeliveryError('transient', `Slack: ${e.message ?? String(error)}`);
  }
}
