/**
 * The Teams side of a platform test: what a person does in Teams, posted to the real botbuilder adapter as
 * activities, and what they read back on the fake Bot Connector (`teamsHarness`); and a file's whole set-up around
 * it, the bot on the worker's database with the fake behind it (`teamsStory`).
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Clock } from '../../src/ports.ts';
import { adaptiveCardProblems } from './adaptive-card.ts';
import { startTestBot, type TestBot } from './bot.ts';
import { type DatabaseKind, type TestDatabase, testDatabase } from './databases.ts';
import { FakeBotConnector, uuidFrom } from './fake-bot-connector.ts';
import {
  type Card,
  cardButtons,
  cardsOfActivity,
  cardsOfTaskAnswers,
  DEFAULT_TEAMS_USER,
  personalConversationId,
  postActivity,
  readableText,
  TEAMS_CHANNEL_ID,
  type TeamsAccount,
  type TeamsActivity,
  teamsInvoke,
  teamsMessage,
} from './teams-activity.ts';

/** A person of a story, with the ids Teams gives them. */
export const account = (slug: string, name: string): Required<TeamsAccount> => ({
  id: `29:user-${slug}`,
  name,
  aadObjectId: uuidFrom(`user-${slug}`),
});

/** What a person reads in an activity, a card or a list of them. */
export const words = (x: unknown): string => (Array.isArray(x) ? x.map(words).join(' || ') : readableText(x));

/** A card's buttons by the `coeAction` of their data. */
export const buttonsByAction = (card: Card) =>
  Object.fromEntries(cardButtons(card).map((b) => [(b.data as { coeAction: string }).coeAction, b]));

/** Every card is a valid Adaptive Card 1.5. */
export function expectValidCards(cards: readonly Card[]) {
  for (const card of cards) {
    expect(card.version).toBe('1.5');
    expect(adaptiveCardProblems(card), JSON.stringify(card).slice(0, 300)).toEqual([]);
    // The core's command tokens are the renderer's to turn into words: one left over would show as such.
    expect(JSON.stringify(card)).not.toMatch(/\{\{(coe|friction|change-request)\b/);
  }
}

/** Who does something, and where (a personal chat with the bot unless a channel is named). */
export interface Where {
  from?: TeamsAccount;
  /** A channel conversation: in the review channel (`true`, the support code's default channel) or the one named. */
  channel?: true | string;
  /** The conversation id, for an activity on a card posted there (`<channel>;messageid=<id>`). */
  conversationId?: string;
  id?: string;
}

/** Where a plain Action.Submit is pressed: on a card in a channel. */
export interface OnCard {
  channel: string;
  activityId: string;
}

export interface TeamsHarnessOptions {
  bot: () => TestBot;
  connector: () => FakeBotConnector;
  /** Where the answers to invokes are kept (to check their cards too). */
  answers?: unknown[];
}

/** The activities a person sends to the bot in Teams, and readers of what reached the fake Bot Connector. */
export function teamsHarness({ bot, connector, answers = [] }: TeamsHarnessOptions) {
  const conversationOf = (where: Where) => {
    const channel = where.channel === true ? TEAMS_CHANNEL_ID : (where.channel ?? where.conversationId?.split(';')[0]);
    return {
      conversation: {
        conversationType: channel ? ('channel' as const) : ('personal' as const),
        ...(where.conversationId ? { id: where.conversationId } : {}),
      },
      ...(channel ? { channel: { id: channel } } : {}),
      ...(where.id ? { id: where.id } : {}),
    };
  };

  /** Posts an activity and hands back the HTTP answer, unchecked. */
  const post = (activity: TeamsActivity) => postActivity(bot().url, activity);

  /** Something said to the bot; `mentioning` people appear as `<at>Name</at>` in the text. */
  const messageActivity = (text: string, where: Where & { mentioning?: TeamsAccount[] } = {}) => {
    const activity = teamsMessage({
      serviceUrl: connector().serviceUrl,
      text,
      from: where.from ?? DEFAULT_TEAMS_USER,
      ...conversationOf(where),
    });
    for (const { id, name } of where.mentioning ?? []) {
      activity.entities.push({ type: 'mention', text: `<at>${name}</at>`, mentioned: { id, name } });
    }
    return activity;
  };
  const say = async (text: string, where: Where & { mentioning?: TeamsAccount[] } = {}) => {
    const res = await post(messageActivity(text, where));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  /** Posts an invoke; its answer is kept for the card check, and returned. */
  const send = async (activity: TeamsActivity) => {
    const res = await post(activity);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    answers.push(res.body);
    return res.body;
  };
  const invokeActivity = (name: string, value: unknown, where: Where = {}) =>
    teamsInvoke({
      serviceUrl: connector().serviceUrl,
      name,
      value,
      from: where.from ?? DEFAULT_TEAMS_USER,
      ...conversationOf(where),
    });
  const invoke = (name: string, value: unknown, where: Where = {}) => send(invokeActivity(name, value, where));
  /** A dialog's invoke (task/fetch or task/submit) with a button's `data`, as Teams sends it. */
  const taskActivity = (name: 'task/fetch' | 'task/submit', data: unknown, where: Where = {}) =>
    invokeActivity(name, { data, context: { theme: 'default' } }, where);
  const fetchTask = (data: unknown, where: Where = {}) => send(taskActivity('task/fetch', data, where));
  const submitTask = (data: unknown, where: Where = {}) => send(taskActivity('task/submit', data, where));

  /**
   * A plain Action.Submit pressed on a card: a message activity with the button's data as its value, on a card in a
   * channel, or in the presser's personal chat.
   */
  const buttonActivity = (data: unknown, from: TeamsAccount, on?: OnCard) => {
    const activity = teamsMessage({
      serviceUrl: connector().serviceUrl,
      text: '',
      from,
      ...(on
        ? {
            conversation: { conversationType: 'channel', id: `${on.channel};messageid=${on.activityId}` },
            channel: { id: on.channel },
            replyToId: on.activityId,
          }
        : { conversation: { conversationType: 'personal' } }),
      value: data,
    });
    delete activity.text;
    activity.entities = activity.entities.filter((e) => e.type !== 'mention');
    return activity;
  };
  const press = async (data: unknown, from: TeamsAccount, on?: OnCard) => {
    const res = await post(buttonActivity(data, from, on));
    expect(res.status).toBe(200);
  };

  const flush = async () => expect(await bot().deliverer.flush(Date.now() + 3000)).toBe(0);

  /** The requests the connector sees from now on. */
  const mark = () => {
    const seen = connector().requests().length;
    return () => connector().requests().slice(seen);
  };
  /** What the bot said to someone in their personal chat. */
  const chatOf = (person: TeamsAccount) =>
    connector()
      .activities(personalConversationId(person))
      .map((r) => r.body);
  const lastInChat = (person: TeamsAccount) => chatOf(person).at(-1);
  /** New posts in a channel (not replies in a thread). */
  const postsIn = (channel: string) =>
    connector()
      .activities(channel)
      .map((r) => r.body);
  /** The data of the first button (or the one titled `title`) on the last card in someone's personal chat. */
  const buttonData = (person: TeamsAccount, title?: string) => {
    const [card] = cardsOfActivity(lastInChat(person));
    const button = cardButtons(card as Card).find((b) => title === undefined || b.title === title);
    expect(button?.type, words(lastInChat(person))).toBe('Action.Submit');
    return button?.data as Record<string, unknown>;
  };
  /** A record's card in a channel as it stands now (after updates), with its activity id. */
  const cardIn = (channel: string, marker: string) => {
    const messages = connector()
      .messages(channel)
      .filter((m) => words(m).includes(marker));
    expect(messages, `messages with "${marker}" in ${channel}`).toHaveLength(1);
    const [message] = messages;
    return { activityId: message?.id as string, card: cardsOfActivity(message)[0] as Card };
  };
  const updatesOf = (activityId: string) =>
    connector()
      .requests()
      .filter((r) => r.kind === 'update' && r.activityId === activityId);

  return {
    post,
    messageActivity,
    say,
    send,
    invokeActivity,
    invoke,
    taskActivity,
    fetchTask,
    submitTask,
    buttonActivity,
    press,
    flush,
    mark,
    chatOf,
    lastInChat,
    postsIn,
    buttonData,
    cardIn,
    updatesOf,
  };
}

export interface TeamsStoryOptions {
  /** The CoE members COE_MEMBERS names. */
  coe: readonly Required<TeamsAccount>[];
  /** The people the fake connector knows (so mentions of them resolve to their Entra ids), again after each reset. */
  people?: readonly Required<TeamsAccount>[];
  env?: Record<string, string>;
  /** The core's clock (a ManualClock the test moves). */
  clock?: Clock;
  /**
   * A fresh bot for each test, started on the emptied database; otherwise one bot for the file, with the CoE members
   * put back after each reset as start-up did.
   */
  botPerTest?: boolean;
}

/**
 * A file's set-up for Teams stories, in its `describe`: the bot on the worker's database with the fake Bot Connector
 * behind it; before each test the database, the connector and the kept invoke answers emptied.
 */
export function teamsStory(kind: DatabaseKind, options: TeamsStoryOptions) {
  /** Set before the tests run; the bot anew on `restart` (and for each test, with `botPerTest`). */
  const story = {} as { db: TestDatabase; connector: FakeBotConnector; bot: TestBot };
  const answers: unknown[] = [];
  const harness = teamsHarness({ bot: () => story.bot, connector: () => story.connector, answers });

  const start = async () => {
    story.bot = await startTestBot({
      database: story.db,
      clock: options.clock,
      env: { ...options.env, COE_MEMBERS: options.coe.map((p) => `teams:${p.aadObjectId}`).join(',') },
    });
    return story.bot;
  };
  /** Clears what the connector saw; the people stay known to it. */
  const resetConnector = () => {
    story.connector.reset();
    for (const p of options.people ?? []) {
      story.connector.addMember({ id: p.id, name: p.name, aadObjectId: p.aadObjectId });
    }
  };

  beforeAll(async () => {
    story.db = await testDatabase(kind);
    story.connector = await FakeBotConnector.start();
    if (options.botPerTest) return;
    await story.db.reset();
    await start();
  });
  afterAll(async () => {
    await story.bot?.stop({ flushMs: 0 });
    await story.connector?.close();
  });
  beforeEach(async () => {
    if (options.botPerTest) await story.bot?.stop({ flushMs: 0 });
    await story.db.reset();
    resetConnector();
    answers.length = 0;
    if (options.botPerTest) {
      await start();
    } else {
      // One bot for the file: nothing it kept from the last test's data, and what start-up did for COE_MEMBERS, again
      // on the emptied database.
      story.bot.forgetCached();
      await story.bot.services.admin.bootstrapCoeMembers(
        options.coe.map((p) => ({ platform: 'teams', externalId: p.aadObjectId })),
      );
    }
  });

  return Object.assign(story, harness, {
    resetConnector,
    /** Stops the bot and starts another on the same database: the new one. */
    restart: async () => {
      await story.bot.stop({ flushMs: 0 });
      return start();
    },
    /** Every card the bot sent in this test, or answered an invoke with. */
    cardsSent: () => [
      ...story.connector.requests().flatMap((r) => cardsOfActivity(r.body)),
      ...cardsOfTaskAnswers(answers),
    ],
  });
}
