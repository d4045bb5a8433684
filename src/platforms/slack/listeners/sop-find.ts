/**
 * "Share in channel" under a match of `/coe sop find <words>` (issue 11): the standard's current version posted as a
 * card in the channel the person asked in, once per press (a double click posts one card); told privately. Where the
 * bot may not post (a private channel or a conversation it is not in), it says privately how to invite it and posts
 * nothing.
 */
import type { WebClient } from '@slack/web-api';
import { message } from '../../../domain/message.ts';
import { SOP_BUTTONS } from '../ids.ts';
import { attempt, type ListenerDeps, tellPrivately } from './deps.ts';
import { readPress } from './interactions.ts';
import type { SlackRoutes } from './routes.ts';

export const NOT_IN_CHANNEL = message(
  'I am not in this conversation, so I cannot post the card here. Add me with `/invite @CoE`, then press Share in channel again.',
);

/** Slack's answers that mean "not a conversation the bot can see or post in" (not a passing failure). */
const NOT_POSTABLE = new Set([
  'channel_not_found',
  'not_in_channel',
  'missing_scope',
  'method_not_supported_for_channel_type',
]);

/**
 * Whether the bot may post in `channel`: it is a member, or the channel is public and not archived (the app has
 * `chat:write.public`). A passing failure (rate limit, outage) throws: the person is asked to try again.
 */
export async function botCanPost(client: WebClient, channel: string): Promise<boolean> {
  try {
    const { channel: c } = await client.conversations.info({ channel });
    if (!c || c.is_archived) return false;
    return c.is_member === true || (c.is_channel === true && c.is_private !== true);
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code && NOT_POSTABLE.has(code)) return false;
    throw error;
  }
}

export function registerSopFind(routes: SlackRoutes, deps: ListenerDeps): void {
  routes.action(SOP_BUTTONS.share, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, deps, respond);
    if (!press) return;
    const channelId = press.channel;
    const outcome = await attempt(async () => {
      if (!channelId || !(await botCanPost(client, channelId))) return NOT_IN_CHANNEL;
      return deps.sopSearch.share({ actor: press.actor, key: press.key, channelId }, press.value);
    }, deps.log);
    await tellPrivately(
      client,
      { channel: channelId, user: press.userId, respond },
      outcome.ok ? outcome.value : outcome.reply,
      deps.log,
    );
  });
}
