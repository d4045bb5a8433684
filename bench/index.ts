/**
 * `npm run bench`: a few figures about the real process, measured the way an operator meets it (spawned like
 * `npm start`, on loopback only, embedded database in a temp DATA_DIR):
 *
 *   startup   (a) spawn → `/readyz` 200 on an existing embedded database (median of 3 starts);
 *             (b) idle memory: VmRSS of the bot process 5 s after it became ready;
 *   outbox    (c) outbox throughput: 500 queued messages to a local fake Slack Web API, one channel each (so Slack's
 *                 one-message-per-second-per-channel spacing does not apply), messages per second;
 *   friction  (d) the friction path under load, side by side: a bare Bolt app, the bot on the embedded database and
 *                 on Postgres — a storm of 1,000 form submissions from 50 users, `/friction` acks alone and during
 *                 it, memory idle and at the peak; BENCH_ROUNDS rounds, a table each and the medians
 *                 (bench/friction.ts);
 *   release   (e) a release announced in 500 team channels with 10% of the posts answered 429 or 500: total time
 *                 against the Retry-After lower bound, lost and duplicated announcements (bench/release.ts);
 *   metrics   (f) the scorecard over 100,000 reports, 10,000 change requests and 2,000 releases of 50 teams, on PGlite
 *                 and Postgres, against a count(*) of the reports; `--verbose` adds the slowest query's plan
 *                 (bench/metrics.ts).
 *
 * `npm run bench -- <part>` runs one part; no argument runs them all. Bounded: every wait has a time limit, the whole
 * run takes a few minutes. Everything it starts it stops, and its temp folders are removed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrations.ts';
import { PrismaStore } from '../src/db/store.ts';
import { message } from '../src/domain/message.ts';
import {
  type BotProcess,
  httpGet,
  makeTempDir,
  removeTempDirs,
  spawnBot,
  stopAllBots,
} from '../tests/process/bot-process.ts';
import { FakeSlackApi } from '../tests/support/fake-slack-api.ts';
import { markdownTable, median, ms, type Row, runCleanups, say, sleep, stopClean, type Table } from './common.ts';
import { benchFriction } from './friction.ts';
import { benchMetrics } from './metrics.ts';
import { benchRelease } from './release.ts';

const START_RUNS = 3;
const IDLE_MS = 5_000;
const OUTBOX_MESSAGES = 500;

/** A part adds rows to the one table, or tables of its own (a column per target it compares). */
const PARTS: Record<string, (rows: Row[], tables: Table[]) => Promise<void>> = {
  startup: benchStartup,
  outbox: benchOutbox,
  friction: benchFriction,
  release: benchRelease,
  metrics: benchMetrics,
};

async function benchStartup(rows: Row[]): Promise<void> {
  const dataDir = path.join(await makeTempDir('coe-bench-'), 'data');

  // The database is created once (PGlite's initdb is slow and a one-off); the measured starts reopen it.
  say('creating the embedded database (first start)…');
  const firstStart = await timedStart({ DATA_DIR: dataDir, PORT: '0' }, 60_000);
  await stopClean(firstStart.bot);
  rows.push({ metric: 'first start (creates DATA_DIR)', value: ms(firstStart.readyMs), note: 'spawn → /readyz 200' });

  const starts: number[] = [];
  const listening: number[] = [];
  let rss = '';
  let peak = '';
  for (let run = 1; run <= START_RUNS; run++) {
    say(`start ${run}/${START_RUNS} on the existing database…`);
    const { bot, readyMs, listeningMs } = await timedStart({ DATA_DIR: dataDir, PORT: '0' }, 30_000);
    starts.push(readyMs);
    listening.push(listeningMs);
    if (run === 1) {
      say(`idle for ${IDLE_MS / 1000} s, then reading /proc/${bot.pid}/status…`);
      await sleep(IDLE_MS);
      const status = await readFile(`/proc/${bot.pid}/status`, 'utf8');
      rss = procField(status, 'VmRSS');
      peak = procField(status, 'VmHWM');
    }
    await stopClean(bot);
  }
  rows.push({
    metric: 'start on existing database',
    value: ms(median(starts)),
    note: `median of ${START_RUNS} (${starts.map(ms).join(', ')}); spawn → /readyz 200; listening after ${ms(median(listening))}`,
  });
  rows.push({ metric: 'idle RSS, 5 s after ready', value: rss, note: `VmRSS of the node process; peak VmHWM ${peak}` });
}

async function benchOutbox(rows: Row[]): Promise<void> {
  const dataDir = path.join(await makeTempDir('coe-bench-'), 'data');
  say(`queueing ${OUTBOX_MESSAGES} outbox messages…`);
  await seedOutbox(dataDir, OUTBOX_MESSAGES);
  const fake = await FakeSlackApi.start();
  try {
    const posted = () => fake.calls('chat.postMessage').filter((c) => !c.faulted).length;
    const { bot, readyMs } = await timedStart(
      {
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: 'bench',
        SLACK_API_URL: fake.url,
      },
      30_000,
    );
    say(`delivering (ready after ${ms(readyMs)})…`);
    const deadline = Date.now() + 90_000;
    while (posted() < OUTBOX_MESSAGES) {
      if (Date.now() > deadline) throw new Error(`only ${posted()}/${OUTBOX_MESSAGES} posted after 90 s`);
      await sleep(20);
    }
    const calls = fake.calls('chat.postMessage').filter((c) => !c.faulted);
    const first = calls[0]?.at ?? 0;
    const last = calls.at(-1)?.at ?? 0;
    const status = await readFile(`/proc/${bot.pid}/status`, 'utf8');
    await stopClean(bot);
    const seconds = Math.max(last - first, 1) / 1000;
    rows.push({
      metric: 'outbox throughput',
      value: `${(OUTBOX_MESSAGES / seconds).toFixed(0)} msg/s`,
      note: `${OUTBOX_MESSAGES} messages to ${OUTBOX_MESSAGES} channels in ${ms(last - first)} (first → last post); RSS after: ${procField(status, 'VmRSS')}`,
    });
  } finally {
    await fake.close();
  }
}

async function timedStart(
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ bot: BotProcess; readyMs: number; listeningMs: number }> {
  const started = performance.now();
  // As `npm start` runs it: the compiled build, no transpiler in the process.
  const bot = spawnBot({ compiled: true, env });
  const url = await bot.url(timeoutMs);
  const listeningMs = performance.now() - started;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await httpGet(`${url}/readyz`, timeoutMs).catch(() => undefined);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`/readyz not 200 after ${timeoutMs} ms:\n${bot.stdout()}`);
    await sleep(10);
  }
  return { bot, readyMs: performance.now() - started, listeningMs };
}

async function seedOutbox(dataDir: string, count: number): Promise<void> {
  const db = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await migrate(db);
    await new PrismaStore(db.prisma).transaction(async (repos) => {
      for (let i = 0; i < count; i++) {
        await repos.outbox.enqueue({
          key: `bench-${i}`,
          platform: 'slack',
          target: { kind: 'channel', channelId: `CBENCH${i}` },
          body: message(`bench message ${i}`),
        });
      }
    });
  } finally {
    await db.close();
  }
}

function procField(status: string, field: string): string {
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : 'n/a';
}

/** The rows, then each part's own tables, in Markdown (aligned, so it also reads in a terminal). */
function printTables(rows: Row[], tables: Table[]): void {
  console.log(`\ncoe-bot bench — node ${process.version}, ${process.platform}/${process.arch}`);
  if (rows.length > 0) {
    const body = rows.map((r) => [r.metric, r.value, r.note]);
    console.log(`\n${markdownTable(['metric', 'value', 'how'], body, [false, true, false])}`);
  }
  for (const table of tables) {
    console.log(`\n### ${table.title}\n`);
    console.log(markdownTable(table.header, table.rows, [false, ...table.header.slice(1, -1).map(() => true), false]));
    for (const note of table.notes ?? []) console.log(`\n${note}`);
  }
}

const only = process.argv[2];
if (only !== undefined && !Object.hasOwn(PARTS, only)) {
  console.error(`npm run bench -- ${only}: no such part; use one of ${Object.keys(PARTS).join(', ')}, or none for all`);
  process.exit(2);
}
const rows: Row[] = [];
const tables: Table[] = [];
let failed = false;
const interrupted = async () => {
  await stopAllBots();
  await runCleanups();
  await removeTempDirs();
  process.exit(130);
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
try {
  for (const [name, part] of Object.entries(PARTS)) {
    if (only === undefined || only === name) await part(rows, tables);
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await stopAllBots();
  await runCleanups();
  await removeTempDirs();
}
printTables(rows, tables);
process.exit(failed ? 1 : 0);
