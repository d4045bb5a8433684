/**
 * Turning Slack's escaped text into what the core reads: mentions of people and channels as neutral tokens, and
 * text as a person would read it.
 */
import { CHANNEL_MENTION, MENTION } from '../../domain/coe-command.ts';
import type { PersonRef } from '../../domain/people.ts';

/**
 * Slack's escaped command text → plain text with the neutral `@mention` token for each `<@U123|name>` and `#channel`
 * for each `<#C123|name>`, plus the people and the channel ids mentioned, in order; each person with the name Slack
 * shows for them where `names` knows it. Slack encodes `&`, `<` and `>` as entities; they are decoded last, so a typed
 * `<` can never pass for a mention.
 */
export function extractMentions(
  text: string,
  names?: { nameOf(id: string): string | undefined },
): { text: string; mentions: PersonRef[]; channels: string[] } {
  const mentions: PersonRef[] = [];
  const channels: string[] = [];
  const replaced = text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_all, id: string, name?: string) => {
      // The name in `<@U123|name>` is a username: a name only until the person's own is known (`names`).
      const displayName = names?.nameOf(id);
      mentions.push({
        platform: 'slack',
        externalId: id,
        ...(displayName ? { displayName } : {}),
        ...(name ? { handle: decodeEntities(name) } : {}),
      });
      return ` ${MENTION} `;
    })
    .replace(/<#([CG][A-Z0-9]+)(?:\|[^>]*)?>/g, (_all, id: string) => {
      channels.push(id);
      return ` ${CHANNEL_MENTION} `;
    });
  return { text: decodeEntities(replaced), mentions, channels };
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Slack's escaped text (a command's text, a message) → what a person would read: `<@U123|ada>` → `@ada`,
 * `<#C123|general>` → `#general`, `<https://x|label>` → `label (https://x)`, `<!here>` → `@here`; entities decoded last.
 */
export function readableText(text: string): string {
  const replaced = text.replace(/<([^<>]*)>/g, (_all, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) return `@${(label ?? target.slice(1)).replace(/^subteam\^\w+$/, 'group')}`;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return decodeEntities(replaced);
}
