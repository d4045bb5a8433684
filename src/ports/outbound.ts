/**
 * What the core queues for the chat platforms: a message, where it goes and the key that sends it once. Kept apart
 * from `../ports.ts` (which re-exports it) so the other ports can name it.
 */
import type { Message } from '../domain/message.ts';
import type { Platform } from '../domain/people.ts';

/** Where an outbound message goes. Threads and updates name another outbox message by its key. */
export type OutboxTarget =
  | { kind: 'channel'; channelId: string; threadOf?: string }
  | { kind: 'dm'; externalId: string }
  | { kind: 'update'; of: string };

export interface OutboundMessage {
  /** Idempotency key: the same key is written, and sent, once. */
  key: string;
  platform: Platform;
  target: OutboxTarget;
  body: Message;
  /** Groups the messages of one fan-out (a release's announcements), so its progress can be counted. */
  batch?: string;
}
