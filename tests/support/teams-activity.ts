/**
 * Builders for the activities Teams posts to the bot's `/api/messages` endpoint, shaped like real Teams traffic
 * (channel messages carry the `<at>` mention and team/channel ids in channelData), and a helper to post them.
 */
import { FAKE_TEAMS_TENANT_ID, uuidFrom } from './fake-bot-connector.js';

export const TEAMS_BOT_ID = '28:bot-id';
export const TEAMS_BOT_NAME = 'CoE';
export const TEAMS_TEAM_ID = '19:team-1@thread.tacv2';
export const TEAMS_CHANNEL_ID = '19:channel-1@thread.tacv2';

export type TeamsConversationType = 'personal' | 'channel' | 'groupChat';

export interface TeamsAccount {
  id: string;
  name: string;
  aadObjectId?: string;
}

export interface TeamsConversationAccount {
  id: string;
  conversationType: TeamsConversationType;
  tenantId: string;
  isGroup?: boolean;
}

/** An activity as Teams sends it over the wire (JSON: timestamps are ISO strings). */
export interface TeamsActivity {
  type: string;
  id: string;
  timestamp: string;
  localTimestamp: string;
  localTimezone: string;
  serviceUrl: string;
  channelId: 'msteams';
  from: TeamsAccount;
  conversation: TeamsConversationAccount;
  recipient: TeamsAccount;
  locale: string;
  entities: Record<string, unknown>[];
  channelData: Record<string, unknown>;
  text?: string;
  textFormat?: string;
  name?: string;
  value?: unknown;
  replyToId?: string;
  attachments?: unknown[];
  membersAdded?: TeamsAccount[];
  membersRemoved?: TeamsAccount[];
}

export const DEFAULT_TEAMS_USER: Required<TeamsAccount> = {
  id: '29:user-ada',
  name: 'Ada Lovelace',
  aadObjectId: uuidFrom('user-ada'),
};

const BOT_ACCOUNT: TeamsAccount = { id: TEAMS_BOT_ID, name: TEAMS_BOT_NAME };
const MENTION_TEXT = `<at>${TEAMS_BOT_NAME}</at>`;

export interface TeamsConversationOptions {
  /** Made up when omitted: `a:1…` for personal chats, `<channel>;messageid=<activity id>` for channel posts. */
  id?: string;
  conversationType: TeamsConversationType;
  tenantId?: string;
}

export interface TeamsActivityOptions {
  serviceUrl: string;
  from?: TeamsAccount;
  conversation?: TeamsConversationOptions;
  /** Merged over the channelData the builder makes (tenant, and team/channel for channel conversations). */
  channelData?: Record<string, unknown>;
  id?: string;
  replyToId?: string;
  /** For channel conversations: the channel (default TEAMS_CHANNEL_ID) and its team (default TEAMS_TEAM_ID). */
  channel?: { id: string; teamId?: string };
}

export interface TeamsMessageOptions extends TeamsActivityOptions {
  text: string;
  /** An Action.Submit's data arrives in `value` of a message activity. */
  value?: unknown;
  attachments?: unknown[];
}

/**
 * A message from a user. In channel and group chat conversations the text starts with `<at>CoE</at> ` and carries a
 * mention entity for the bot, as Teams sends it (bots only see channel messages that mention them).
 */
export function teamsMessage(options: TeamsMessageOptions): TeamsActivity {
  const activity = baseActivity('message', options);
  const mentioned = activity.conversation.conversationType !== 'personal';
  const text = mentioned && !options.text.startsWith('<at>') ? `${MENTION_TEXT} ${options.text}` : options.text;
  return {
    ...activity,
    text,
    textFormat: 'plain',
    entities: mentioned
      ? [{ type: 'mention', text: MENTION_TEXT, mentioned: BOT_ACCOUNT }, ...activity.entities]
      : activity.entities,
    ...(options.value === undefined ? {} : { value: options.value }),
    ...(options.attachments === undefined ? {} : { attachments: options.attachments }),
  };
}

export type TeamsInvokeName =
  | 'task/fetch'
  | 'task/submit'
  | 'adaptiveCard/action'
  | 'composeExtension/fetchTask'
  | 'composeExtension/submitAction'
  | (string & {});

export interface TeamsInvokeOptions extends TeamsActivityOptions {
  name: TeamsInvokeName;
  /**
   * The invoke's payload, e.g. `{ data, context: { theme: 'default' } }` for task/fetch, or
   * `{ action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }` for adaptiveCard/action.
   */
  value: unknown;
}

/** An invoke activity (dialogs, Universal Actions, message extensions); the app answers it in the HTTP response. */
export function teamsInvoke(options: TeamsInvokeOptions): TeamsActivity {
  return { ...baseActivity('invoke', options), name: options.name, value: options.value };
}

export interface TeamsConversationUpdateOptions extends TeamsActivityOptions {
  membersAdded?: TeamsAccount[];
  membersRemoved?: TeamsAccount[];
}

/** A conversationUpdate; by default the bot itself was added (what Teams sends when the app is installed). */
export function teamsConversationUpdate(options: TeamsConversationUpdateOptions): TeamsActivity {
  const removed = options.membersRemoved !== undefined;
  const activity = baseActivity('conversationUpdate', options);
  return {
    ...activity,
    channelData: { eventType: removed ? 'teamMemberRemoved' : 'teamMemberAdded', ...activity.channelData },
    ...(removed ? { membersRemoved: options.membersRemoved } : { membersAdded: options.membersAdded ?? [BOT_ACCOUNT] }),
  };
}

export interface PostActivityResult {
  status: number;
  /** The parsed JSON answer (an invoke response's body), the raw text if it is not JSON, undefined if empty. */
  body: unknown;
}

/** POSTs an activity to `<appUrl>/api/messages` as the Teams service would (without a token: auth is off in tests). */
export async function postActivity(
  appUrl: string,
  activity: TeamsActivity,
  headers: Record<string, string> = {},
): Promise<PostActivityResult> {
  const response = await fetch(new URL('api/messages', appUrl.endsWith('/') ? appUrl : `${appUrl}/`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: parseBody(text) };
}

function baseActivity(type: string, options: TeamsActivityOptions): TeamsActivity {
  const id = options.id ?? nextActivityId();
  const conversationType = options.conversation?.conversationType ?? 'personal';
  const tenantId = options.conversation?.tenantId ?? FAKE_TEAMS_TENANT_ID;
  const from = options.from ?? DEFAULT_TEAMS_USER;
  const channelId = options.channel?.id ?? TEAMS_CHANNEL_ID;
  const teamId = options.channel?.teamId ?? TEAMS_TEAM_ID;
  const now = new Date();
  const conversation: TeamsConversationAccount = {
    id: options.conversation?.id ?? defaultConversationId(conversationType, id, from, channelId),
    conversationType,
    tenantId,
    ...(conversationType === 'personal' ? {} : { isGroup: true }),
  };
  const channelData: Record<string, unknown> = {
    tenant: { id: tenantId },
    ...(conversationType === 'channel'
      ? {
          teamsTeamId: teamId,
          teamsChannelId: channelId,
          team: { id: teamId },
          channel: { id: channelId },
        }
      : {}),
    ...options.channelData,
  };
  return {
    type,
    id,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    localTimezone: 'Europe/Berlin',
    serviceUrl: options.serviceUrl,
    channelId: 'msteams',
    from,
    conversation,
    recipient: BOT_ACCOUNT,
    locale: 'en-US',
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' }],
    channelData,
    ...(options.replyToId === undefined ? {} : { replyToId: options.replyToId }),
  };
}

let lastActivityId = 0;

/** Teams message ids look like millisecond timestamps; these are too, and unique and increasing within a run. */
function nextActivityId(): string {
  lastActivityId = Math.max(lastActivityId + 1, Date.now());
  return String(lastActivityId);
}

/** The id of a user's personal chat with the bot, as the builders make it up (stable per user, like Teams' 1:1 ids). */
export function personalConversationId(from: TeamsAccount): string {
  return `a:1${uuidFrom(`personal:${from.id}`).replaceAll('-', '')}`;
}

/** Stable per user for personal chats; a new thread per root post in a channel. */
function defaultConversationId(
  type: TeamsConversationType,
  activityId: string,
  from: TeamsAccount,
  channelId: string,
): string {
  switch (type) {
    case 'personal':
      return personalConversationId(from);
    case 'channel':
      return `${channelId};messageid=${activityId}`;
    case 'groupChat':
      return '19:group-chat-1@thread.v2';
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// ---- reading what the bot sent ----------------------------------------------------------------------------------

export type CardElement = Record<string, unknown> & { type: string; id?: string; text?: string };
export interface Card {
  type: string;
  version: string;
  body: CardElement[];
  actions?: CardElement[];
}

interface TaskAnswer {
  task?: {
    type: 'continue' | 'message';
    value: string | { title: string; card: { contentType: string; content: Card } };
  };
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The Adaptive Cards an activity (or a conversation creation's first activity) carries. */
export function cardsOfActivity(body: unknown): Card[] {
  const b = body as { attachments?: { contentType: string; content: Card }[]; activity?: unknown } | undefined;
  const attachments = [...(b?.attachments ?? []), ...((b?.activity as typeof b)?.attachments ?? [])];
  return attachments.filter((a) => a.contentType === ADAPTIVE_CARD).map((a) => a.content);
}

/** The card a task module answer shows (`type: 'continue'`); throws when the answer is anything else. */
export function taskModuleCard(answer: unknown): Card {
  const task = (answer as TaskAnswer).task;
  const value = task?.value;
  if (task?.type !== 'continue' || typeof value !== 'object' || value.card.contentType !== ADAPTIVE_CARD) {
    throw new Error(`expected a task module card, got ${JSON.stringify(answer)}`);
  }
  return value.card.content;
}

/** The task module's title (`type: 'continue'`). */
export function taskModuleTitle(answer: unknown): string {
  taskModuleCard(answer);
  const value = (answer as TaskAnswer).task?.value as { title: string } | undefined;
  return value?.title ?? '';
}

/** The message a task module answer closes the dialog with (`type: 'message'`); throws otherwise. */
export function taskModuleText(answer: unknown): string {
  const task = (answer as TaskAnswer).task;
  if (task?.type !== 'message' || typeof task.value !== 'string') {
    throw new Error(`expected a task module message, got ${JSON.stringify(answer)}`);
  }
  return task.value;
}

/** The cards of task module answers that show one (to validate them all). */
export function cardsOfTaskAnswers(answers: readonly unknown[]): Card[] {
  return answers.flatMap((a) => {
    const value = (a as TaskAnswer).task?.value;
    return typeof value === 'object' ? [value.card.content] : [];
  });
}

/** Every element of a card, nested containers and action sets included. */
export function cardElements(card: Card): CardElement[] {
  const out: CardElement[] = [];
  const walk = (list: unknown) => {
    for (const e of (list as CardElement[] | undefined) ?? []) {
      out.push(e);
      walk(e.items);
      walk(e.actions);
      walk(e.columns);
    }
  };
  walk(card.body);
  walk(card.actions);
  return out;
}

/** A card's inputs by id. */
export const cardInputs = (card: Card) =>
  new Map(
    cardElements(card)
      .filter((e) => e.type.startsWith('Input.'))
      .map((e) => [e.id as string, e]),
  );

export const cardButtons = (card: Card) => cardElements(card).filter((e) => e.type.startsWith('Action.'));

/** The problems shown under a form's inputs, by input id (the banner at the top left out). */
export const cardErrors = (card: Card) =>
  Object.fromEntries(
    cardElements(card)
      .filter((e) => e.type === 'TextBlock' && e.color === 'Attention' && e.id !== 'form.error')
      .map((e) => [String(e.id).replace(/\.error$/, ''), e.text]),
  );

/** Everything a person can read in an activity or a card: text, summary, card texts, facts and button titles. */
export function readableText(body: unknown): string {
  const activity = body as { text?: unknown; summary?: unknown } | undefined;
  const cards = isCard(body) ? [body] : cardsOfActivity(body);
  const parts: unknown[] = [activity?.text, activity?.summary];
  for (const card of cards) {
    for (const e of cardElements(card)) {
      parts.push(e.text, e.title, e.label);
      for (const fact of (e.facts as { title: string; value: string }[] | undefined) ?? []) {
        parts.push(`${fact.title}: ${fact.value}`);
      }
    }
  }
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' | ');
}

function isCard(body: unknown): body is Card {
  return (body as Card | undefined)?.type === 'AdaptiveCard';
}
