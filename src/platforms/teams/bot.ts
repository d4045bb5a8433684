/**
 * The Teams side: a botbuilder activity handler whose messages call the same core services as Slack's listeners.
 * In Teams the `/coe` words are said to the bot: `help`, `friction …`, `status FR-12`, `setup review-channel`, `role
 * @person coe`. Card buttons, dialogs (task modules) and the "Report friction" message action arrive here too; the
 * friction ones are handled in `friction.ts`.
 */
import {
  type Activity,
  type ConversationReference,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import { MENTION, parseCoeCommand } from '../../domain/coe-command.ts';
import { type Message, message } from '../../domain/message.ts';
import type { PersonRef } from '../../domain/people.ts';
import type { AddressBook } from '../../ports.ts';
import { answer, type ErrorSink } from '../../services/answer.ts';
import type { CoeCommands } from '../../services/commands.ts';
import type { FrictionService } from '../../services/friction.ts';
import { actorOf, channelIdOf, externalIdOf, interactionKey } from './activity.ts';
import { taskMessage } from './cards/task-module.ts';
import { cardActivity } from './cards.ts';
import { TeamsFriction } from './friction.ts';
import { CARD_ACTIONS, DECISION_FORMS, FRICTION_COMMAND, MESSAGE_ACTIONS } from './ids.ts';
import { channelKey, personKey, type TeamsAddress, type TeamsSender } from './sender.ts';

export { channelIdOf } from './activity.ts';

export interface TeamsServices {
  commands: CoeCommands;
  friction: FrictionService;
  addresses: AddressBook;
  /** Reaches a person in their personal chat, for answers that must stay private. */
  sender: Pick<TeamsSender, 'sendToPerson'>;
}

const MAX_TEXT = 4000;

/** `friction …` said to the bot: the rest of the words pre-fill the form. */
const FRICTION_WORDS = new RegExp(`^${FRICTION_COMMAND}(?:\\s+([\\s\\S]*))?$`, 'i');

/** What every card button (Action.Submit) carries back: which action, plus that action's own fields. */
const cardAction = z.looseObject({ coeAction: z.string().max(100) });

const UNKNOWN_BUTTON = 'That button is out of date. Nothing was changed.';

export class TeamsBot extends TeamsActivityHandler {
  private readonly friction: TeamsFriction;

  constructor(
    private readonly services: TeamsServices,
    private readonly log: ErrorSink,
  ) {
    super();
    this.friction = new TeamsFriction(services.friction, log);
    this.onMessage(async (context, next) => {
      // A plain Action.Submit on a card arrives as a message whose `value` is the button's data.
      const pressed = cardAction.safeParse(context.activity.value);
      if (pressed.success) await this.onCardButton(context, pressed.data);
      else await this.onText(context);
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
    // Guidance, so it is answered where it was asked (in a channel: in the thread); the form itself is private.
    const friction = FRICTION_WORDS.exec(words);
    if (friction) {
      await context.sendActivity(this.friction.opener(friction[1] ?? ''));
      return;
    }
    const channelId = channelIdOf(activity);
    const command = parseCoeCommand(words, mentions);
    const actor = actorOf(activity);
    const reply = await answer(
      () =>
        this.services.commands.handle(
          { actor, key: interactionKey(activity), ...(channelId ? { channelId } : {}) },
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
    await this.answerPrivately(context, reply);
  }

  /** A plain button on a card (the review message's Triage): the outcome goes to the presser only. */
  private async onCardButton(context: TurnContext, data: { coeAction: string }): Promise<void> {
    const activity = context.activity;
    if (!activity.from?.id) return;
    await this.remember(activity);
    const reply =
      data.coeAction === CARD_ACTIONS.triage
        ? await answer(() => this.friction.triage(activity, data), this.log)
        : message(UNKNOWN_BUTTON);
    await this.answerPrivately(context, reply);
  }

  protected override async handleTeamsTaskModuleFetch(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const activity = context.activity;
    const pressed = cardAction.safeParse(request?.data);
    if (!pressed.success) return taskMessage(UNKNOWN_BUTTON);
    const { coeAction } = pressed.data;
    // Opening the form leaves no trace of the person: they may be about to report anonymously.
    if (coeAction === CARD_ACTIONS.openFrictionForm) return this.friction.openForm(activity, pressed.data);
    const decision = DECISION_FORMS[coeAction];
    if (!decision) return taskMessage(UNKNOWN_BUTTON);
    await this.remember(activity);
    return this.friction.openDecision(activity, decision, pressed.data);
  }

  protected override async handleTeamsTaskModuleSubmit(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const activity = context.activity;
    const pressed = cardAction.safeParse(request?.data);
    if (!pressed.success) return taskMessage(UNKNOWN_BUTTON);
    const { coeAction } = pressed.data;
    if (coeAction === CARD_ACTIONS.submitFriction) return this.submitFriction(activity, pressed.data);
    // The reporter of the report being folded in may be anonymous: nothing of them is kept here either.
    if (coeAction === CARD_ACTIONS.plusOneInstead) return this.friction.plusOneInstead(activity, pressed.data);
    const decision = DECISION_FORMS[coeAction];
    if (!decision) return taskMessage(UNKNOWN_BUTTON);
    await this.remember(activity);
    return this.friction.submitDecision(activity, decision, pressed.data);
  }

  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    if (action?.commandId !== MESSAGE_ACTIONS.reportFriction) return taskMessage(UNKNOWN_BUTTON);
    return this.friction.openFormFromMessage(context.activity, action);
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    if (action?.commandId !== MESSAGE_ACTIONS.reportFriction) return taskMessage(UNKNOWN_BUTTON);
    return this.submitFriction(context.activity, action.data);
  }

  /** The friction form's submit; only a report that names its reporter lets the bot keep their address. */
  private async submitFriction(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    const { response, named } = await this.friction.submit(activity, data);
    if (named) await this.remember(activity);
    return response;
  }

  /** Teams has no ephemeral messages: a private answer goes to the person's personal chat. */
  private async answerPrivately(context: TurnContext, reply: Message): Promise<void> {
    const activity = context.activity;
    if (!channelIdOf(activity)) {
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
