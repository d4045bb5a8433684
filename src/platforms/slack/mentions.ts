import { MENTION } from '../../domain/coe-command.ts';
import type { PersonRef } from '../../domain/people.ts';

/** `<@U123|name>` (escaped slash-command text) → the neutral `@mention` token plus the people, in order. */
export function extractMentions(text: string): { text: string; mentions: PersonRef[] } {
  const mentions: PersonRef[] = [];
  const replaced = text.replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_all, id: string, name?: string) => {
    mentions.push({ platform: 'slack', externalId: id, ...(name ? { displayName: name } : {}) });
    return ` ${MENTION} `;
  });
  return { text: replaced, mentions };
}
