/**
 * The Slack side of a platform test: what a person does in Slack, sent to the real Bolt app as signed HTTP requests,
 * and what they read back on the fake Slack Web API (`slackHarness`); and a file's whole set-up around it, the bot on
 * the worker's database with the fake behind it (`slackStory`).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Clock } from '../../src/ports.ts';
import { blockKitProblems } from './block-kit-limits.ts';
import { viewProblems } from './block-kit-views.ts';
import { SIGNING_SECRET, startTestBot, type TestBot } from './bot.ts';
import { type DatabaseKind, type TestDatabase, testDatabase } from './databases.ts';
import { FakeSlackApi, type SlackCall, type SlackMessage } from './fake-slack-api.ts';
import { type InputValue, messageButtonPayload, viewSubmissionPayload } from './slack-interactions.ts';
import {
  interactionBody,
  nowInSeconds,
  type PostToSlackAppOptions,
  postToSlackApp,
  slashCommandBody,
} from './slack-request.ts';

type Json = Record<string, unknown>;

export interface SlackUser {
  id: string;
  name: string;
}

/** Blocks as text, to look for what they say. */
export const blocksText = (blocks: unknown) => JSON.stringify(blocks ?? []);
/** The element of the input block `blockId` in a view ({} when the view has no such block). */
export const element = (view: Json, blockId: string): Json =>
  ((view.blocks as Json[]).find((b) => b.block_id === blockId)?.element ?? {}) as Json;
/** How Slack writes a mention in the text of a command. */
export const mention = (user: SlackUser) => `<@${user.id}|${user.name}>`;
/** The fake's direct message channel with `user`. */
export const dmChannel = (user: SlackUser) => `D${user.id}`;

/** The real bot with Slack pointed at the fake, without Slack's 1 message/s per channel (which the fake does not need). */
export async function startSlackBot(options: Parameters<typeof startTestBot>[0]): Promise<TestBot> {
  const bot = await startTestBot(options);
  // Without the spacing a story takes milliseconds.
  Object.defineProperty(bot.slack?.sender, 'perChannelIntervalMs', { value: 0 });
  return bot;
}

export interface SlackHarnessOptions {
  bot: () => TestBot;
  slack: () => FakeSlackApi;
  /** Who types `/coe`, and in which channel, unless a test says otherwise. */
  coe: SlackUser;
  reviewChannel: string;
  /** Where the views the app answers a submission with are kept (for the Block Kit check). */
  ackedViews?: Json[];
}

/** The requests a person sends to the bot in Slack, and readers of what reached the fake Slack API. */
export function slackHarness({ bot, slack, coe: coeUser, reviewChannel, ackedViews = [] }: SlackHarnessOptions) {
  const post = (body: string, options?: PostToSlackAppOptions) =>
    postToSlackApp(`${bot().url}/slack/events`, SIGNING_SECRET, body, options);
  const interact = (payload: object, options?: PostToSlackAppOptions) => post(interactionBody(payload), options);

  /** A slash command, typed in #general unless `extra` says otherwise. */
  const command = (name: string, text: string, user: SlackUser, extra: Record<string, string> = {}) =>
    post(
      slashCommandBody({
        command: name,
        text,
        user_id: user.id,
        user_name: user.name,
        channel_id: 'C0GENERAL',
        channel_name: 'general',
        ...extra,
      }),
    );
  /** `/coe <text>`, answered in the ack. */
  const coe = async (text: string, user = coeUser, channel = reviewChannel) => {
    const res = await command('/coe', text, user, { channel_id: channel, channel_name: 'coe-review' });
    expect(res.status).toBe(200);
    return res.json<{ text: string; blocks?: unknown[]; response_type?: string }>();
  };
  const flush = async () => {
    await bot().deliverer.flush(Date.now() + 2000);
  };

  /**
   * A slash command that opens a form → the view the app opened on that trigger, within the 3 s; with `ackWithinMs`,
   * the command's ack came within that too.
   */
  const openFrom = async (name: string, text: string, user: SlackUser, ackWithinMs?: number) => {
    const trigger = `${Date.now()}.${randomUUID()}`;
    const before = slack().calls('views.open').length;
    const started = Date.now();
    const res = await command(name, text, user, { trigger_id: trigger });
    expect(res.status).toBe(200);
    expect(res.text, 'the command was refused').toBe('');
    if (ackWithinMs !== undefined) expect(Date.now() - started).toBeLessThan(ackWithinMs);
    const [call] = (await slack().waitForCalls('views.open', before + 1)).slice(before);
    expect(call?.args.trigger_id).toBe(trigger);
    expect((call?.at ?? Number.POSITIVE_INFINITY) - started).toBeLessThan(3000);
    return call?.args.view as Json;
  };

  let submissions = 0;
  /** Submits `view` with `values` (by block id); returns the ack's body. */
  const submit = async (
    view: Json,
    values: Record<string, InputValue | undefined>,
    user: SlackUser,
    ids?: { viewId: string; hash: string },
  ) => {
    const viewId = ids?.viewId ?? `VFORM${++submissions}`;
    const hash = ids?.hash ?? `${nowInSeconds()}.h${submissions}`;
    const res = await interact(viewSubmissionPayload({ user, view, viewId, hash, values }));
    expect(res.status).toBe(200);
    const body = res.text ? res.json<Json>() : {};
    if (body.view) ackedViews.push(body.view as Json);
    return body;
  };

  const press = (user: SlackUser, channel: string, message: SlackMessage, actionId: string) =>
    interact(messageButtonPayload({ user, channel, message, actionId }));

  /** What the bot told `user` privately, and where. */
  const ephemeralsTo = (user: SlackUser) =>
    slack()
      .calls('chat.postEphemeral')
      .filter((c) => c.args.user === user.id)
      .map((c) => ({ channel: String(c.args.channel), text: String(c.args.text) }));
  const waitForEphemeral = async (user: SlackUser, pattern: RegExp) => {
    await slack().waitFor(() => ephemeralsTo(user).some((e) => pattern.test(e.text)));
    return ephemeralsTo(user).find((e) => pattern.test(e.text));
  };
  /** The bot's direct messages to `user` (those whose text matches `pattern`, when given). */
  const dms = (user: SlackUser, pattern?: RegExp) =>
    slack()
      .messages(dmChannel(user))
      .filter((m) => pattern === undefined || pattern.test(m.text));

  /** The message in `channel` (not a thread reply) whose text starts with `prefix`. */
  const topLevel = (channel: string, prefix: string): SlackMessage => {
    const found = slack()
      .messages(channel)
      .find((m) => m.thread_ts === undefined && m.text.startsWith(prefix));
    if (!found)
      throw new Error(
        `no "${prefix}" in ${channel}: ${slack()
          .messages(channel)
          .map((m) => m.text)}`,
      );
    return found;
  };
  const repliesTo = (channel: string, message: SlackMessage) =>
    slack()
      .messages(channel)
      .filter((m) => m.thread_ts === message.ts);
  /** The updates of `message` that went through. */
  const updatesOf = (message: SlackMessage) =>
    slack()
      .calls('chat.update')
      .filter((c) => c.args.ts === message.ts && !c.faulted);

  return {
    post,
    interact,
    command,
    coe,
    flush,
    openFrom,
    submit,
    press,
    ephemeralsTo,
    waitForEphemeral,
    dms,
    topLevel,
    repliesTo,
    updatesOf,
  };
}

export interface SlackStoryOptions {
  /** The CoE member COE_MEMBERS names; also who types `/coe` unless told otherwise. */
  coe: SlackUser;
  reviewChannel: string;
  env?: Record<string, string>;
  /** The core's clock (a ManualClock the test moves). */
  clock?: Clock;
}

/**
 * A file's set-up for Slack stories, in its `describe`: one bot on the worker's database with the fake Slack API
 * behind it; before each test the database and the fake emptied, and the CoE member put back as start-up made them;
 * after each, what was queued delivered and every call the fake saw kept for `blockKit`.
 */
export function slackStory(kind: DatabaseKind, options: SlackStoryOptions) {
  /** Set before the file's tests run; the bot anew on `restart`. */
  const story = {} as { db: TestDatabase; slack: FakeSlackApi; bot: TestBot };
  const recordedCalls: SlackCall[] = [];
  const ackedViews: Json[] = [];
  const harness = slackHarness({
    bot: () => story.bot,
    slack: () => story.slack,
    coe: options.coe,
    reviewChannel: options.reviewChannel,
    ackedViews,
  });

  const start = async () => {
    story.bot = await startSlackBot({
      database: story.db,
      slack: story.slack,
      clock: options.clock,
      env: { ...options.env, COE_MEMBERS: `slack:${options.coe.id}` },
    });
    return story.bot;
  };

  beforeAll(async () => {
    story.db = await testDatabase(kind);
    await story.db.reset();
    story.slack = await FakeSlackApi.start();
    await start();
  });
  afterAll(async () => {
    await story.bot?.stop();
    await story.slack?.close();
  });
  beforeEach(async () => {
    await story.db.reset();
    story.bot.forgetCached();
    story.slack.reset();
    // What COE_MEMBERS did at start-up, again after the reset.
    await story.db.prisma.person.create({
      data: { layer: 'coe', identities: { create: { platform: 'slack', externalId: options.coe.id } } },
    });
  });
  afterEach(async () => {
    await harness.flush();
    recordedCalls.push(...story.slack.calls());
  });

  return Object.assign(story, harness, {
    /** Stops the bot and starts another on the same database: the new one. */
    restart: async () => {
      await story.bot.stop();
      return start();
    },
    /**
     * Every view and message the file's tests made the app send or answer with so far, and what in them breaks Block
     * Kit's limits.
     */
    blockKit: () => {
      const views = [
        ...recordedCalls.filter((c) => c.method.startsWith('views.')).map((c) => c.args.view as Json),
        ...ackedViews,
      ];
      const messages = recordedCalls.filter((c) => c.method.startsWith('chat.') && c.method !== 'chat.getPermalink');
      const problems = [
        ...views.flatMap((v) => viewProblems(v).map((p) => `${String(v.callback_id ?? v.type)}: ${p}`)),
        ...messages.flatMap((c) =>
          blockKitProblems({ text: c.args.text as string, blocks: c.args.blocks as unknown[] }).map(
            (p) => `${c.method} "${String(c.args.text).slice(0, 40)}": ${p}`,
          ),
        ),
        // The core's command tokens are the renderer's to turn into words: one left over would show as such.
        ...[...views, ...messages.map((c) => c.args)]
          .filter((x) => /\{\{(coe|friction|change-request)\b/.test(JSON.stringify(x)))
          .map((x) => `an unrendered command token in ${JSON.stringify(x).slice(0, 80)}`),
      ];
      return { views, messages, problems };
    },
  });
}
