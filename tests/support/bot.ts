/**
 * Starts the real bot in-process for platform tests: the real HTTP server, Bolt app and botbuilder adapter, on the
 * worker's shared test database, with Slack pointed at a fake Web API and Teams replying to a fake Bot Connector.
 */
import { Writable } from 'node:stream';
import { type Bot, type StartOptions, startBot } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import type { Clock } from '../../src/ports.ts';
import type { TestDatabase } from './databases.ts';
import type { FakeSlackApi } from './fake-slack-api.ts';

export const SIGNING_SECRET = 'test-signing-secret';

export interface TestBot extends Bot {
  /** Every log line the bot wrote, parsed. */
  logs: Record<string, unknown>[];
}

export async function startTestBot(options: {
  database: TestDatabase;
  slack?: FakeSlackApi;
  env?: Record<string, string>;
  /** The core's clock (a ManualClock to move time in a story); the outbox keeps real time. */
  clock?: Clock;
  /** node-cron fires the jobs only when true; tests run a fire with `bot.scheduler.execute(name, fireTime)`. */
  scheduler?: boolean;
  /** The HTTP server's body limits, where a test needs them shorter. */
  http?: StartOptions['http'];
}): Promise<TestBot> {
  const config: Config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ...(options.slack
      ? { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: options.slack.url }
      : {}),
    ...options.env,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const bot = await startBot(config, {
    logger: createLogger('debug', sink),
    database: options.database,
    deliverer: { pollMs: 50 },
    ...(options.clock ? { clock: options.clock } : {}),
    scheduler: options.scheduler ?? false,
    ...(options.http ? { http: options.http } : {}),
  });
  return Object.assign(bot, { logs });
}
