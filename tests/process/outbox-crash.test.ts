/**
 * The outbox's promise, on the real process: a crash, a restart or a Slack rate limit loses nothing and sends nothing
 * twice. 100 messages wait in the embedded database of a DATA_DIR; the bot delivers them to a fake Slack Web API in
 * this test process. Every message we post carries `metadata: {event_type: 'coe_outbox_message', event_payload:
 * {key}}`, which is how the fake's record is tied back to outbox keys (and how the bot finds an in-doubt message).
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrations.ts';
import { PrismaStore } from '../../src/db/store.ts';
import { message } from '../../src/domain/message.ts';
import { FakeSlackApi, type SlackCall } from '../support/index.ts';
import { type BotProcess, type LogLine, makeTempDir, removeTempDirs, spawnBot, stopAllBots } from './bot-process.ts';

const MESSAGES = 100;
// Slack allows about one message per second per channel and the deliverer keeps to that, so 100 messages go to 50
// channels, two each: the whole run takes a few seconds instead of 100.
const CHANNELS = 50;
const KEYS = Array.from({ length: MESSAGES }, (_, i) => `process-test-${String(i).padStart(3, '0')}`);

let fake: FakeSlackApi;
let seededDir: string;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  // One seeded database (creating a PGlite folder costs seconds); each test copies it into a DATA_DIR of its own.
  seededDir = path.join(await makeTempDir('coe-outbox-seed-'), 'data');
  const db = await openDatabase({ kind: 'pglite', dataDir: seededDir });
  try {
    await migrate(db);
    await new PrismaStore(db.prisma).transaction(async (repos) => {
      for (const [i, key] of KEYS.entries()) {
        await repos.outbox.enqueue({
          key,
          platform: 'slack',
          target: { kind: 'channel', channelId: `C${String(i % CHANNELS).padStart(4, '0')}` },
          body: message(`message ${i} of ${MESSAGES}`),
        });
      }
    });
  } finally {
    await db.close();
  }
}, 60_000);

afterEach(async () => {
  await stopAllBots();
  fake.reset();
});

afterAll(async () => {
  await fake?.close();
  await removeTempDirs();
});

async function freshDataDir(): Promise<string> {
  const dataDir = path.join(await makeTempDir(), 'data');
  await cp(seededDir, dataDir, { recursive: true });
  return dataDir;
}

function startBot(dataDir: string): BotProcess {
  return spawnBot({
    env: {
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: fake.url,
      // `outbox: sending` is a debug line: the rate-limit tests read the bot's decisions from it.
      LOG_LEVEL: 'debug',
    },
  });
}

function keyOf(call: SlackCall): string | undefined {
  const metadata = call.args.metadata as { event_type?: string; event_payload?: { key?: string } } | undefined;
  return metadata?.event_type === 'coe_outbox_message' ? metadata.event_payload?.key : undefined;
}

/** Successful (not faulted) chat.postMessage calls per outbox key. */
function postsPerKey(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of fake.calls('chat.postMessage')) {
    if (call.faulted) continue;
    const key = keyOf(call);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function describePosts(): string {
  const counts = postsPerKey();
  const missing = KEYS.filter((k) => !counts.has(k));
  const twice = [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k}×${n}`);
  return `${counts.size}/${MESSAGES} keys posted; missing: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}; more than once: ${twice.join(', ') || 'none'}`;
}

async function waitUntilAllPosted(bot: BotProcess, timeoutMs: number): Promise<void> {
  try {
    await fake.waitFor(() => KEYS.every((k) => postsPerKey().has(k)), timeoutMs);
  } catch (error) {
    throw new Error(`${describePosts()}\n${(error as Error).message.slice(0, 2000)}\nbot stdout:\n${bot.stdout()}`);
  }
}

function expectEachKeyPostedOnce(): void {
  const counts = postsPerKey();
  expect(describePosts()).toBe(`${MESSAGES}/${MESSAGES} keys posted; missing: ; more than once: none`);
  expect([...counts.keys()].sort()).toEqual(KEYS);
}

async function outboxStatuses(dataDir: string): Promise<Record<string, number>> {
  const db = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const rows = await db.prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
    return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
  } finally {
    await db.close();
  }
}

const LATENCY_MS = 5;
const RETRY_AFTER_MS = 1000;
const RATE_LIMITED = { status: 429, retryAfter: RETRY_AFTER_MS / 1000 } as const;

/** Starts the bot, waits until every key was posted, stops it cleanly. */
async function deliverAll(dataDir: string): Promise<BotProcess> {
  const bot = startBot(dataDir);
  await bot.ready(30_000);
  await waitUntilAllPosted(bot, 45_000);
  expect(await bot.stop('SIGTERM'), bot.stdout()).toEqual({ code: 0, signal: null });
  return bot;
}

function expectRetryAfterHonoured(bot: BotProcess, rateLimitedCalls: number): void {
  expectEachKeyPostedOnce();
  const calls = fake.calls('chat.postMessage');
  const limited = calls.filter((c) => c.faulted);
  expect(limited).toHaveLength(rateLimitedCalls);
  expect(calls).toHaveLength(MESSAGES + rateLimitedCalls);
  const t0 = calls[0]?.at ?? 0;
  const show = (c: SlackCall) => `${keyOf(c)}${c.faulted ? ' (429)' : ''} at +${c.at - t0} ms`;

  // Each rate-limited message is tried again no sooner than Retry-After after its 429 went out.
  for (const l of limited) {
    const next = calls.find((c) => c.at >= l.at && c !== l && keyOf(c) === keyOf(l));
    expect(next, `${show(l)} was never tried again`).toBeDefined();
    expect(next?.at ?? 0, `${show(l)} retried ${next && show(next)}`).toBeGreaterThanOrEqual(
      l.at + LATENCY_MS + RETRY_AFTER_MS - 2,
    );
  }

  // And the whole platform holds: once the bot took in a 429 it starts no post until Retry-After has passed. Judged by
  // the bot's own log, in the order it wrote it (`outbox: sending` precedes each post): when a post reaches the fake
  // also depends on how busy the machine is, and posts started before the 429 came back may arrive after it.
  const sendingAt = (l: LogLine) => l.msg === 'outbox: sending';
  const noticedAt = (l: LogLine) => l.msg === 'outbox: delivery failed; will retry' && l.kind === 'rate-limited';
  expect(bot.logs.filter(noticedAt)).toHaveLength(rateLimitedCalls);
  expect(bot.logs.filter(sendingAt)).toHaveLength(MESSAGES + rateLimitedCalls);
  for (const [i, warning] of bot.logs.entries()) {
    if (!noticedAt(warning)) continue;
    const pauseEnds = Date.parse(String(warning.time)) + RETRY_AFTER_MS - 2;
    const started = bot.logs.slice(i + 1).filter((l) => sendingAt(l) && Date.parse(String(l.time)) < pauseEnds);
    expect(
      started.map((l) => `${String(l.key)} at +${Date.parse(String(l.time)) - t0} ms`),
      `posts started while paused by the 429 of ${String(warning.key)}`,
    ).toEqual([]);
  }
  // Every post that reached the fake was one the bot had started: no retry of its own behind its back.
  const startedKeys = bot.logs.filter(sendingAt).map((l) => String(l.key));
  expect(calls.map((c) => keyOf(c)).sort()).toEqual(startedKeys.sort());
}

describe('outbox delivery across a crash and rate limits', () => {
  it('SIGKILL mid-delivery, restart: each of the 100 messages is posted exactly once, all rows sent', async () => {
    const dataDir = await freshDataDir();
    // Slow enough answers that several posts are in flight at any moment, fast enough to finish in seconds.
    fake.setLatency(40);
    const KILL_AT = 30;
    let posts = 0;
    let inFlightKey: string | undefined;
    let first: BotProcess | undefined;
    // The 30th post is stored by the fake and then the bot dies before it hears the answer: that message is in doubt
    // (delivered, but the database still says "sending"), the case exactly-once is about.
    fake.setFaultPolicy((call) => {
      if (call.method === 'chat.postMessage' && ++posts === KILL_AT) {
        inFlightKey = keyOf(call);
        first?.child.kill('SIGKILL');
      }
      return undefined;
    });
    first = startBot(dataDir);
    const killed = await first.exited;
    expect(killed, first.stdout()).toEqual({ code: null, signal: 'SIGKILL' });
    fake.setFaultPolicy(undefined);
    expect(inFlightKey).toBeDefined();
    const postedBeforeCrash = postsPerKey();
    expect(postedBeforeCrash.size).toBeGreaterThanOrEqual(KILL_AT);
    expect(postedBeforeCrash.size).toBeLessThan(MESSAGES);

    // The crash left the claimed batch "sending" under a 60 s lease. An embedded database has one process at a time,
    // so the restart releases those rows at once (as in doubt) instead of waiting for the lease to run out.
    const afterCrash = await outboxStatuses(dataDir);
    expect(afterCrash.sending, JSON.stringify(afterCrash)).toBeGreaterThan(0);

    const second = startBot(dataDir);
    await second.ready(30_000);
    await waitUntilAllPosted(second, 30_000);
    expect(await second.stop('SIGTERM'), second.stdout()).toEqual({ code: 0, signal: null });

    expectEachKeyPostedOnce();
    // The message that was in flight at the crash was found on Slack instead of being posted again.
    expect(
      second.logs.some((l) => l.msg === 'outbox: in-doubt message was already delivered' && l.key === inFlightKey),
      second.stdout(),
    ).toBe(true);
    expect(second.logs.some((l) => l.msg.startsWith('outbox: messages interrupted by the last stop'))).toBe(true);
    expect(await outboxStatuses(dataDir)).toEqual({ sent: MESSAGES });
  }, 90_000);

  it('429 with Retry-After on the first calls: every message delivered once, none sent again too early', async () => {
    const dataDir = await freshDataDir();
    fake.setLatency(LATENCY_MS);
    fake.failNext('chat.postMessage', RATE_LIMITED, 5);
    const bot = await deliverAll(dataDir);
    expectRetryAfterHonoured(bot, 5);
    expect(await outboxStatuses(dataDir)).toEqual({ sent: MESSAGES });
  }, 90_000);

  it('429 in the middle of the run, while other rows wait for their channel slot: the whole platform holds', async () => {
    const dataDir = await freshDataDir();
    fake.setLatency(LATENCY_MS);
    // The first post of a channel's second message: by then most rows of the second batch are waiting out Slack's
    // one-message-per-second-per-channel spacing, and must not go out when they wake up inside the pause.
    let limited = 0;
    fake.setFaultPolicy((call) => {
      const key = keyOf(call);
      if (call.method !== 'chat.postMessage' || key === undefined || KEYS.indexOf(key) < CHANNELS) return undefined;
      limited += 1;
      return limited <= 3 ? RATE_LIMITED : undefined;
    });
    const bot = await deliverAll(dataDir);
    expectRetryAfterHonoured(bot, 3);
    expect(await outboxStatuses(dataDir)).toEqual({ sent: MESSAGES });
  }, 90_000);
});
