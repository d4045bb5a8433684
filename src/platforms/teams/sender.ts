/**
 * Delivers outbox rows to Teams through the Bot Connector, proactively: each channel and person is reached through
 * the address the bot recorded when it last heard from them.
 */
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Message } from '../../domain/message.ts';
import { type AddressBook, DeliveryError, type MessageRef, type MessageSender, type OutboxRow } from '../../ports.ts';
import { cardActivity } from './cards.ts';

/** What the bot keeps to reach a channel or a person (see `TeamsBot.remember`). */
export interface TeamsAddress {
  serviceUrl: string;
  tenantId?: string;
  /** The channel's or the personal chat's conversation id, when known. */
  conversationId?: string;
  /** For a person: their Teams user id (29:…), needed to open a personal chat. */
  userId?: string;
}

export const channelKey = (channelId: string) => `channel:${channelId}`;
export const personKey = (externalId: string) => `person:${externalId}`;

export class TeamsSender implements MessageSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly addresses: AddressBook,
  ) {}

  /** Sends a message straight to a person's personal chat (a private answer), opening the chat if needed. */
  async sendToPerson(externalId: string, message: Message): Promise<void> {
    const address = await this.person(externalId);
    await this.within(address.serviceUrl, address.conversationId, address.tenantId, (ctx) =>
      ctx.sendActivity(cardActivity(message)),
    );
  }

  async send(row: OutboxRow, parent: MessageRef | undefined): Promise<MessageRef> {
    const activity = cardActivity(row.body);
    const target = row.target;
    try {
      if (target.kind === 'update') {
        if (!parent?.conversationId || !parent.activityId || !parent.serviceUrl) {
          throw new DeliveryError('permanent', 'nothing to update');
        }
        await this.within(parent.serviceUrl, parent.conversationId, parent.tenantId, (ctx) =>
          ctx.updateActivity({ ...activity, id: parent.activityId }),
        );
        return parent;
      }
      // A thread reply goes where its parent is, even if the channel was moved since.
      const address =
        target.kind === 'channel' && parent?.conversationId && parent.serviceUrl
          ? { serviceUrl: parent.serviceUrl, conversationId: parent.conversationId, tenantId: parent.tenantId }
          : target.kind === 'channel'
            ? await this.channel(target.channelId)
            : await this.person(target.externalId);
      const conversationId =
        target.kind === 'channel' && parent?.activityId
          ? `${address.conversationId};messageid=${parent.activityId}`
          : (address.conversationId as string);
      let activityId = '';
      await this.within(address.serviceUrl, conversationId, address.tenantId, async (ctx) => {
        activityId = (await ctx.sendActivity(activity))?.id ?? '';
      });
      return {
        serviceUrl: address.serviceUrl,
        conversationId: address.conversationId as string,
        activityId,
        ...(address.tenantId ? { tenantId: address.tenantId } : {}),
      };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  private async within(
    serviceUrl: string,
    conversationId: string,
    tenantId: string | undefined,
    logic: (ctx: TurnContext) => Promise<unknown>,
  ) {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl,
      conversation: {
        id: conversationId,
        isGroup: false,
        conversationType: '',
        name: '',
        ...(tenantId ? { tenantId } : {}),
      },
      bot: { id: this.appId, name: 'CoE' },
    };
    await this.adapter.continueConversationAsync(this.appId, reference, async (ctx) => {
      await logic(ctx);
    });
  }

  private async channel(channelId: string): Promise<TeamsAddress & { conversationId: string }> {
    const address = (await this.addresses.get('teams', channelKey(channelId))) as TeamsAddress | undefined;
    if (!address?.serviceUrl) {
      throw new DeliveryError(
        'permanent',
        `no Teams address known for channel ${channelId}; mention the bot there once`,
      );
    }
    return { ...address, conversationId: address.conversationId ?? channelId };
  }

  /** A person's personal chat, opened (and remembered) the first time the bot writes to them. */
  private async person(externalId: string): Promise<TeamsAddress & { conversationId: string }> {
    const address = (await this.addresses.get('teams', personKey(externalId))) as TeamsAddress | undefined;
    if (!address?.serviceUrl || !address.userId) {
      throw new DeliveryError('permanent', 'the bot has not met this person in Teams yet');
    }
    if (address.conversationId) return { ...address, conversationId: address.conversationId };
    let conversationId = '';
    await this.adapter.createConversationAsync(
      this.appId,
      'msteams',
      address.serviceUrl,
      '',
      {
        isGroup: false,
        bot: { id: this.appId, name: 'CoE' },
        members: [{ id: address.userId, name: '' }],
        channelData: address.tenantId ? { tenant: { id: address.tenantId } } : {},
        ...(address.tenantId ? { tenantId: address.tenantId } : {}),
        activity: undefined as never,
      },
      async (ctx) => {
        conversationId = ctx.activity.conversation.id;
      },
    );
    const opened = { ...address, conversationId };
    await this.addresses.put('teams', personKey(externalId), opened as unknown as Record<string, unknown>);
    return opened;
  }
}

/** The Bot Connector answers with HTTP status codes; 429 and 5xx come back, the rest will not get better. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = error as {
    statusCode?: number;
    response?: { headers?: { get?(name: string): string | undefined } };
    message?: string;
  };
  const status = e.statusCode;
  if (status === 429) {
    const header = e.response?.headers?.get?.('retry-after');
    const seconds = Number(header);
    return new DeliveryError(
      'rate-limited',
      'Teams rate limit',
      Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
    );
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 408) {
    return new DeliveryError('permanent', `Teams: HTTP ${status} ${e.message ?? ''}`.trim());
  }
  return new DeliveryError('transient', `Teams: ${e.message ?? String(error)}`);
}
