/**
 * The core's neutral `Message` as an Adaptive Card 1.5 (the newest version Teams renders). Pure functions.
 */
import { type Activity, CardFactory, MessageFactory } from 'botbuilder';
import { COE_COMMAND_TOKEN, type Message, type MessageBlock } from '../../domain/message.ts';

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  fallbackText?: string;
}

/**
 * What a card button sends back to the bot (Action.Submit data). A button that asks for more input first also
 * carries `msteams.type: 'task/fetch'`: Teams then sends a `task/fetch` invoke (and opens a dialog) instead of a
 * message.
 */
export interface CardActionData {
  msteams?: { type: 'task/fetch' };
  coeAction: string;
  value: string;
}

/** The core's text as Teams shows it: a `/coe` command is the words said to the bot. */
export const teamsText = (text: string) => text.replace(COE_COMMAND_TOKEN, '$1');

/** Teams' TextBlock markdown knows **bold**, _italic_ and [links](…) but not `code`. */
const teamsMarkdown = (text: string) => teamsText(text).replace(/`([^`]*)`/g, '$1');

export function renderCard(message: Message): AdaptiveCard {
  const body: CardElement[] = [];
  let separateNext = false;
  for (const block of message.blocks) {
    if (block.type === 'divider') {
      separateNext = true;
      continue;
    }
    const element = renderBlock(block);
    body.push(separateNext ? { ...element, separator: true, spacing: 'Medium' } : element);
    separateNext = false;
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    fallbackText: teamsText(message.text),
  };
}

function renderBlock(block: Exclude<MessageBlock, { type: 'divider' }>): CardElement {
  switch (block.type) {
    case 'heading':
      return { type: 'TextBlock', text: block.text, size: 'Large', weight: 'Bolder', wrap: true, style: 'heading' };
    case 'paragraph':
      return { type: 'TextBlock', text: teamsMarkdown(block.text), wrap: true };
    case 'note':
      return { type: 'TextBlock', text: teamsMarkdown(block.text), wrap: true, isSubtle: true, size: 'Small' };
    case 'facts':
      return {
        type: 'FactSet',
        facts: block.facts.map((f) => ({ title: teamsMarkdown(f.label), value: teamsMarkdown(f.value) })),
      };
    case 'actions':
      return {
        type: 'ActionSet',
        actions: block.actions.map((a) => ({
          type: 'Action.Submit',
          title: a.label,
          data: (a.opensForm
            ? { msteams: { type: 'task/fetch' }, coeAction: a.id, value: a.value }
            : { coeAction: a.id, value: a.value }) satisfies CardActionData,
          ...(a.style === 'primary' ? { style: 'positive' } : a.style === 'danger' ? { style: 'destructive' } : {}),
        })),
      };
  }
}

/** A message activity carrying the card, with the plain text as its notification summary. */
export function cardActivity(message: Message): Partial<Activity> {
  return adaptiveCardActivity(renderCard(message), teamsText(message.text));
}

/** A message activity carrying one card; `summary` is what notifications and screen readers say. */
export function adaptiveCardActivity(card: AdaptiveCard, summary: string): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = summary;
  return activity;
}
