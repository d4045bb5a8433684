/**
 * The CoE's review thread for a record (a friction report, a change request, a release), on every platform with a
 * review channel: the message that is posted once, updated in place as the record changes, and replied to with each
 * decision. Plus private notes to the people a record concerns. Every message goes through the outbox, keyed so that
 * a retried transaction queues nothing twice.
 */
import type { Message } from '../domain/message.ts';
import { PLATFORMS, type Platform } from '../domain/people.ts';
import type { Repositories } from '../ports.ts';

/** The outbox key of a record's review message on one platform: `FR-3:review:slack`. */
export function reviewKey(subject: string, platform: string): string {
  return `${subject}:review:${platform}`;
}

/** The CoE's review channel on each platform that has one. */
export async function reviewChannels(repos: Repositories): Promise<Map<Platform, string>> {
  const all = await repos.reviewChannels.all();
  // In the platforms' own order, whatever order the database gave.
  const channels = new Map<Platform, string>();
  for (const platform of PLATFORMS) {
    const channelId = all.get(platform);
    if (channelId) channels.set(platform, channelId);
  }
  return channels;
}

/** Posts the review message on every platform whose review channel is set; returns whether any was. */
export async function postReview(repos: Repositories, subject: string, body: Message): Promise<boolean> {
  const channels = await reviewChannels(repos);
  for (const [platform, channelId] of channels) {
    await repos.outbox.enqueue({
      key: reviewKey(subject, platform),
      platform,
      target: { kind: 'channel', channelId },
      body,
    });
  }
  return channels.size > 0;
}

/** Replaces the review message's content wherever it was posted; `version` makes each new content a new key. */
export async function updateReview(
  repos: Repositories,
  subject: string,
  version: number | string,
  body: Message,
): Promise<void> {
  for (const platform of PLATFORMS) {
    const key = reviewKey(subject, platform);
    if (!(await repos.outbox.has(key))) continue;
    await repos.outbox.enqueue({ key: `${key}:v${version}`, platform, target: { kind: 'update', of: key }, body });
  }
}

/** A reply in the review message's thread (who did what, and why), wherever it was posted. */
export async function replyInThread(
  repos: Repositories,
  subject: string,
  version: number | string,
  body: Message,
): Promise<void> {
  for (const platform of PLATFORMS) {
    const key = reviewKey(subject, platform);
    if (!(await repos.outbox.has(key))) continue;
    await repos.outbox.enqueue({
      key: `${key}:reply:${version}`,
      platform,
      target: { kind: 'channel', channelId: (await repos.reviewChannels.get(platform)) ?? '', threadOf: key },
      body,
    });
  }
}

/**
 * A direct message to a person on the platform the bot knows them from (the first identity). Returns false when the
 * bot cannot reach them (it has never met them on a platform).
 */
export async function tellPerson(repos: Repositories, personId: number, key: string, body: Message): Promise<boolean> {
  const [identity] = await repos.people.identitiesOf(personId);
  if (!identity) return false;
  await repos.outbox.enqueue({
    key,
    platform: identity.platform,
    target: { kind: 'dm', externalId: identity.externalId },
    body,
  });
  return true;
}
