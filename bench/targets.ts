/**
 * The three processes the friction bench compares, each started fresh for a run and talking to the fake Slack Web
 * API at `slackApiUrl`:
 *
 *   bare      bench/bare-bolt.ts, a Bolt app that only acks (what Bolt itself costs);
 *   embedded  the bot as `npm start` runs it (compiled, scripts/start.mjs) on a new DATA_DIR in a temp folder;
 *   postgres  the same bot on a new database of the real Postgres (bench/postgres.ts).
 *
 * A bot's new database is created and migrated by a first start, then the bot is started again on it to be measured.
 * A bot run ends with a clean stop, then the friction_report rows of its database are counted and the database is
 * removed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { type BotProcess, makeTempDir, REPO_ROOT, spawnBot, TSX_LOADER } from '../tests/process/bot-process.ts';
import { onCleanup, stopClean } from './common.ts';
import { createBenchDatabase } from './postgres.ts';
import { SIGNING_SECRET } from './slack-load.ts';

export type TargetKind = 'bare' | 'embedded' | 'postgres';

export const LABELS: Record<TargetKind, string> = {
  bare: 'bare Bolt',
  embedded: 'bot, embedded',
  postgres: 'bot, Postgres',
};

/** A new DATA_DIR or database is created, then migrated by the bot's first start: initdb alone takes seconds. */
const BOT_READY_MS = 120_000;
const BARE_LISTENING_MS = 30_000;
const BARE_BOLT_PATH = path.join(import.meta.dirname, 'bare-bolt.ts');

export interface Running {
  kind: TargetKind;
  baseUrl: string;
  pid: number;
  /** Spawn → listening (bare Bolt) or → `/readyz` 200 on its database, migrated by a first start (bot). */
  startMs: number;
  /** A bot's first start: spawn → `/readyz` 200 on the new database, creating and migrating it (NaN: bare Bolt). */
  firstStartMs: number;
  /** The bot's pino lines so far (none for the bare app). */
  logs(): readonly { msg: string }[];
  /** Stops it; for a bot, the friction_report rows its database held, before the database is removed. */
  stop(): Promise<{ stored: number }>;
}

export function startTarget(kind: TargetKind, slackApiUrl: string): Promise<Running> {
  const slack = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slackApiUrl };
  return kind === 'bare' ? startBareBolt(slack) : startBot(kind, slack);
}

/**
 * A new database, created and migrated by a first start that is not measured (initdb and the schema engine are
 * one-offs: a bot that created its database holds hundreds of MB more than one that reopens it), then the measured
 * start on it, as the bot starts every other time.
 */
async function startBot(kind: 'embedded' | 'postgres', slack: Record<string, string>): Promise<Running> {
  const database = kind === 'embedded' ? await newDataDir() : await newPostgresDatabase();
  // LOG_LEVEL info, not warn: the `listening on` line is how spawnBot learns the port of PORT=0. A request logs
  // nothing at info. A review channel, as in real use: every report also queues its review message.
  const env = {
    ...slack,
    ...database.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    COE_SLACK_CHANNEL_ID: 'C0REVIEW',
  };
  try {
    const first = await readyBot(env);
    await stopClean(first.bot);
    const { bot, baseUrl, startMs } = await readyBot(env);
    return {
      kind,
      baseUrl,
      pid: bot.pid,
      firstStartMs: first.startMs,
      startMs,
      logs: () => bot.logs,
      async stop() {
        try {
          await stopClean(bot);
          return { stored: await database.countReports() };
        } finally {
          await database.remove();
        }
      },
    };
  } catch (error) {
    await database.remove();
    throw error;
  }
}

/** The bot spawned as `npm start` runs it, once `/readyz` answers 200; killed if it does not get there. */
async function readyBot(env: Record<string, string>): Promise<{ bot: BotProcess; baseUrl: string; startMs: number }> {
  const started = performance.now();
  // BENCH_CPU_PROF=<dir>: each bot writes a CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROF;
  // BENCH_NODE_ARGS="--flag …": node flags for the bots, to try a setting before making it the default.
  const nodeArgs = [
    ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : []),
  ];
  const bot = spawnBot({ compiled: true, env, nodeArgs });
  try {
    const baseUrl = await bot.ready(BOT_READY_MS);
    return { bot, baseUrl, startMs: performance.now() - started };
  } catch (error) {
    await bot.stop('SIGKILL');
    throw error;
  }
}

interface BotDatabase {
  env: Record<string, string>;
  countReports(): Promise<number>;
  remove(): Promise<void>;
}

async function newDataDir(): Promise<BotDatabase> {
  const dir = await makeTempDir('coe-bench-friction-');
  const dataDir = path.join(dir, 'data');
  return {
    env: { DATA_DIR: dataDir },
    countReports: () => countEmbeddedReports(dataDir),
    // Now, not only at the end of the bench: every run leaves a data folder of tens of MB.
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

async function newPostgresDatabase(): Promise<BotDatabase> {
  const database = await createBenchDatabase();
  return { env: { DATABASE_URL: database.url }, countReports: database.countReports, remove: database.drop };
}

/** Read with PGlite itself (not the bot's sources, which may be mid-edit): the bot has stopped and let go of it. */
async function countEmbeddedReports(dataDir: string): Promise<number> {
  const pglite = await PGlite.create(dataDir);
  try {
    const result = await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM friction_report');
    return result.rows[0]?.n ?? 0;
  } finally {
    await pglite.close();
  }
}

/** bench/bare-bolt.ts as a child process; resolves once it listens. */
async function startBareBolt(slack: Record<string, string>): Promise<Running> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX_LOADER, BARE_BOLT_PATH], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...slack },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`${code ?? signal}`)));
  const stop = onCleanup(async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  });
  try {
    const baseUrl = await listeningUrl(child, exited, () => err);
    return {
      kind: 'bare',
      baseUrl,
      pid: child.pid ?? Number.NaN,
      startMs: performance.now() - started,
      firstStartMs: Number.NaN,
      logs: () => [],
      async stop() {
        await stop();
        return { stored: Number.NaN };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The URL of the child's `listening on <url>` line. */
function listeningUrl(child: ChildProcess, exited: Promise<string>, stderr: () => string): Promise<string> {
  let out = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`bare Bolt app: not listening after ${BARE_LISTENING_MS / 1000} s\n${stderr()}`)),
      BARE_LISTENING_MS,
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const listening = /^listening on (\S+)$/m.exec(out)?.[1];
      if (!listening) return;
      clearTimeout(timer);
      resolve(listening);
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`bare Bolt app exited (${how}) before it listened\n${stderr()}`));
    });
  });
}
