/**
 * Setting or moving the CoE review channel (`setup review-channel`, said in the channel), for both platforms. Kept in
 * the history: `review-channel.set` the first time, `review-channel.moved` after (who, from which channel, to which).
 * The new channel is told what it is for; on a move the old one is told, once, where review went. Review messages
 * already posted stay where they are, and their buttons keep working (replies follow their message).
 */
import type { Person, PersonRef } from '../domain/people.ts';
import { reviewChannelAnnouncement, reviewChannelMovedNotice } from '../domain/review-channel-messages.ts';
import type { Repositories } from '../ports.ts';

export interface ReviewChannelChange {
  actor: PersonRef;
  /** The request's idempotency key: each message it queues is keyed by it. */
  key: string;
  channelId: string;
  /** The channel's name where the platform gave it, to tell the old channel where review went. */
  channelName?: string | undefined;
}

/** Runs in the caller's transaction, after the permission check; `who` is the CoE member allowed to do it. */
export async function setReviewChannel(
  repos: Repositories,
  who: Person,
  change: ReviewChannelChange,
): Promise<'set' | 'moved' | 'same'> {
  const { platform } = change.actor;
  const { channelId } = change;
  const previous = await repos.reviewChannels.current(platform);
  if (previous === channelId) return 'same';
  await repos.reviewChannels.set(platform, channelId);
  await repos.events.record({
    actorPersonId: who.id,
    subject: `review-channel:${platform}`,
    action: previous ? 'review-channel.moved' : 'review-channel.set',
    ...(previous ? { from: previous } : {}),
    to: channelId,
  });
  await repos.outbox.enqueue({
    key: `${change.key}:announce`,
    platform,
    target: { kind: 'channel', channelId },
    body: reviewChannelAnnouncement(),
  });
  if (!previous) return 'set';
  await repos.outbox.enqueue({
    key: `${change.key}:moved`,
    platform,
    target: { kind: 'channel', channelId: previous },
    body: reviewChannelMovedNotice({ name: change.channelName, by: who.displayName }),
  });
  return 'moved';
}
