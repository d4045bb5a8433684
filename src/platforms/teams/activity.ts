/**
 * What the Teams side reads off an incoming activity: who sent it, from where, and its idempotency key.
 */
import type { Activity } from 'botbuilder';
import type { PersonRef } from '../../domain/people.ts';

/** The person's stable id: their Entra (AAD) object id when Teams sends it, else the Teams user id. */
export function externalIdOf(activity: Activity): string {
  return activity.from.aadObjectId ?? activity.from.id;
}

export function actorOf(activity: Activity): PersonRef {
  return {
    platform: 'teams',
    externalId: externalIdOf(activity),
    ...(activity.from.name ? { displayName: activity.from.name } : {}),
  };
}

/**
 * The interaction's idempotency key. Teams redelivers the same activity (same id) when it retries, so a retry finds
 * the first outcome; a new click or submit is a new activity.
 */
export function interactionKey(activity: Activity): string {
  return `teams:activity:${activity.id}`;
}

/** The channel (or group chat) an activity came from; undefined in a personal chat. */
export function channelIdOf(activity: Partial<Activity>): string | undefined {
  const conversation = activity.conversation;
  if (!conversation || conversation.conversationType === 'personal') return undefined;
  return activity.channelData?.channel?.id ?? conversation.id.split(';')[0];
}

/** Where a command was said: its channel, with the name when Teams sends one (seldom for messages); {} in a personal chat. */
export function whereSaid(activity: Partial<Activity>): { channelId?: string; channelName?: string } {
  const channelId = channelIdOf(activity);
  if (!channelId) return {};
  const name: unknown = activity.channelData?.channel?.name;
  return { channelId, ...(typeof name === 'string' && name.trim() ? { channelName: name } : {}) };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A Teams message body (HTML) as plain text: tags dropped, line breaks kept, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|blockquote|pre)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1]?.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
