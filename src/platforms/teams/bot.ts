/**
 * The Teams side: a botbuilder activity handler whose messages call the same core services as Slack's listeners.
 * In Teams the `/coe` words are said to the bot: `help`, `setup review-channel`, `role @person coe`.
 */
import { type Activity, type ConversationReference, TeamsActivityHandler, TeamsInfo, TurnContext } from 'botbuilder';
import { MENTION, parseCoeCommand } from '../../domain/coe-command.ts';
import type { PersonRef } from '../../domain/people.ts';
import type { AddressBook } from '../../ports.ts';
import { answer, type ErrorSink } from '../../services/answer.ts';
import type { CoeCommands } from '../../services/commands.ts';
import type { FrictionService } from '../../services/friction.ts';
import { cardActivity } from './cards.ts';
import { channelKey, personKey, type TeamsAddress, type TeamsSender } from './sender.ts';

export interface TeamsServices {
  commands: CoeCommands;
  friction: FrictionService;
  addresses: AddressBook;
  /** Reaches a person in their personal chat, for answers that must stay private. */
  sender: Pick<TeamsSender, 'sendToPerson'>;
}

const MAX_TEXT = 4000;

export class TeamsBot extends TeamsActivityHandler {
  constructor(
    private readonly services: TeamsServices,
    private readonly log: ErrorSink,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.onText(context);
      await next();
    });
  }

  private async onText(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!activity.from?.id || typeof activity.text !== 'string') return;
    await this.remember(activity);
    if (activity.text.length > MAX_TEXT) {
      await context.sendActivity('That message is too long for a command, so I did nothing. Try `help`.');
      return;
    }
    const { text, mentions } = await extractMentions(context);
    const words = text.replace(/^\s*\/?coe\b/i, '').trim();
    const channelId = channelIdOf(activity);
    const command = parseCoeCommand(words, mentions);
    const reply = await answer(
      () =>
        this.services.commands.handle(
          { actor: actorOf(activity), key: `teams:activity:${activity.id}`, ...(channelId ? { channelId } : {}) },
          command,
        ),
      this.log,
    );
    // Teams has no ephemeral messages: in a channel only guidance is answered in the thread; anything about the
    // person (a confirmation, a refusal) goes to their personal chat.
    const guidance = command.kind === 'help' || command.kind === 'unknown' || command.kind === 'invalid';
    if (!channelId || guidance) {
      await context.sendActivity(cardActivity(reply));
      return;
    }
    try {
      await this.services.sender.sendToPerson(externalIdOf(activity), reply);
    } catch (error) {
      this.log.error({ err: error }, 'teams: could not answer in a personal chat');
      await context.sendActivity(
        'I could not reach you in a personal chat. Add the CoE app for yourself and I will answer you there.',
      );
    }
  }

  /** Keeps what proactive messages need to reach this channel and this person later. */
  private async remember(activity: Activity): Promise<void> {
    const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
    const base = { serviceUrl: activity.serviceUrl, ...(tenantId ? { tenantId } : {}) };
    const person: TeamsAddress = { ...base, userId: activity.from.id };
    if (activity.conversation.conversationType === 'personal') person.conversationId = activity.conversation.id;
    const existing = (await this.services.addresses.get('teams', personKey(externalIdOf(activity)))) as
      | TeamsAddress
      | undefined;
    if (!person.conversationId && existing?.conversationId) person.conversationId = existing.conversationId;
    await this.services.addresses.put('teams', personKey(externalIdOf(activity)), { ...person });
    const channelId = channelIdOf(activity);
    if (channelId)
      await this.services.addresses.put('teams', channelKey(channelId), { ...base, conversationId: channelId });
  }
}

/** The person's stable id: their Entra (AAD) object id when Teams sends it, else the Teams user id. */
function externalIdOf(activity: Activity): string {
  return activity.from.aadObjectId ?? activity.from.id;
}

function actorOf(activity: Activity): PersonRef {
  return {
    platform: 'teams',
    externalId: externalIdOf(activity),
    ...(activity.from.name ? { displayName: activity.from.name } : {}),
  };
}

/** The channel (or group chat) a message came from; undefined in a personal chat. */
export function channelIdOf(activity: Partial<Activity>): string | undefined {
  const conversation = activity.conversation;
  if (!conversation || conversation.conversationType === 'personal') return undefined;
  return activity.channelData?.channel?.id ?? conversation.id.split(';')[0];
}

/** Removes the bot's own mention and turns every other `<at>…</at>` into the neutral `@mention` token. */
async function extractMentions(context: TurnContext): Promise<{ text: string; mentions: PersonRef[] }> {
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

export type { ConversationReference };
