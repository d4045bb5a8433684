/**
 * The people mentioned in what is said to the bot: each `<at>…</at>` but the bot's own becomes the neutral `@mention`
 * token the command parser reads, with the person's Entra id and name.
 */
import { TeamsInfo, TurnContext } from 'botbuilder';
import { MENTION } from '../../domain/coe-command.ts';
import type { PersonRef } from '../../domain/people.ts';

/** Removes the bot's own mention and turns every other `<at>…</at>` into the neutral `@mention` token. */
export async function extractMentions(context: TurnContext): Promise<{ text: string; mentions: PersonRef[] }> {
  const activity = context.activity;
  const botId = activity.recipient?.id;
  let text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
  const others = TurnContext.getMentions(activity).filter((m) => m.mentioned.id !== botId);
  const mentions: PersonRef[] = [];
  for (const mention of others) {
    const at = mention.text ?? `<at>${mention.mentioned.name}</at>`;
    text = text.replace(at, ` ${MENTION} `);
    mentions.push({
      platform: 'teams',
      externalId: await aadObjectIdOf(context, mention.mentioned.id),
      ...(mention.mentioned.name ? { displayName: mention.mentioned.name } : {}),
    });
  }
  return { text: text.replace(/<\/?at>/g, ''), mentions };
}

async function aadObjectIdOf(context: TurnContext, userId: string): Promise<string> {
  try {
    return (await TeamsInfo.getMember(context, userId)).aadObjectId ?? userId;
  } catch {
    return userId;
  }
}
