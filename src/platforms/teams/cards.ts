/**
 * The core's neutral `Message` as an Adaptive Card 1.5 (the newest version Teams renders). Pure functions.
 */
import { type Activity, CardFactory, MessageFactory } from 'botbuilder';
import {
  type CommandHelp,
  type CommandRef,
  type Message,
  type MessageAction,
  type MessageBlock,
  replaceCommands,
} from '../../domain/message.ts';
import { chartElements } from './cards/chart.ts';
import { documentElements } from './cards/document.ts';
import type { CardElement } from './cards/element.ts';
import { CHANGE_REQUEST_COMMAND, FRICTION_COMMAND } from './ids.ts';

export type { CardElement } from './cards/element.ts';

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

const SAID: Record<CommandRef['command'], string | undefined> = {
  coe: undefined,
  friction: FRICTION_COMMAND,
  'change-request': CHANGE_REQUEST_COMMAND,
};

/** A command as it is said to the bot in Teams: `status FR-12`, `friction [what happened]` (no slash). */
export const teamsCommand = (ref: CommandRef) =>
  [SAID[ref.command], ref.words].filter((part) => part !== undefined && part !== '').join(' ');

/** The core's text as Teams shows it in plain text (summaries, fallback): a command is the words said to the bot. */
export const teamsText = (text: string) => replaceCommands(text, teamsCommand);

/**
 * Teams' TextBlock markdown knows **bold**, _italic_ and [links](…) but not `code`: the words to say to the bot are in
 * bold instead, and any other backticks go.
 */
const teamsMarkdown = (text: string) =>
  replaceCommands(text.replace(/`([^`]*)`/g, '$1'), (ref) => `**${teamsCommand(ref)}**`);

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
    case 'commands':
      return {
        type: 'Container',
        items: [
          ...commandLines(block.commands),
          // The rest opens in place, inside this card: no round trip, and it stays the asker's list in a thread.
          ...(block.more
            ? [
                {
                  type: 'ActionSet',
                  actions: [
                    {
                      type: 'Action.ShowCard',
                      title: block.more.button.label,
                      card: { type: 'AdaptiveCard', body: commandLines(block.more.commands) },
                    },
                  ],
                },
              ]
            : []),
        ],
      };
    case 'document':
      return { type: 'Container', items: documentElements(block.blocks, teamsMarkdown) };
    case 'chart':
      return { type: 'Container', items: chartElements(block.chart) };
    case 'actions':
      return {
        type: 'ActionSet',
        actions: block.actions.map((a) =>
          a.url ? { type: 'Action.OpenUrl', title: a.label, url: a.url, ...actionStyle(a) } : submitAction(a),
        ),
      };
  }
}

/** A button that comes back to the bot (Action.Submit), or first opens a dialog (task/fetch). */
function submitAction(a: MessageAction): CardElement {
  return {
    type: 'Action.Submit',
    title: a.label,
    data: (a.opensForm
      ? { msteams: { type: 'task/fetch' }, coeAction: a.id, value: a.value }
      : { coeAction: a.id, value: a.value }) satisfies CardActionData,
    ...actionStyle(a),
  };
}

const actionStyle = (a: MessageAction) =>
  a.style === 'primary' ? { style: 'positive' } : a.style === 'danger' ? { style: 'destructive' } : {};

/** One TextBlock per command, the words in bold then what they do: it wraps well in Teams' narrow column. */
function commandLines(commands: readonly CommandHelp[]): CardElement[] {
  return commands.map((c) => ({
    type: 'TextBlock',
    text: `**${teamsCommand(c.command)}** — ${teamsMarkdown(c.does)}`,
    wrap: true,
    spacing: 'Small',
  }));
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
