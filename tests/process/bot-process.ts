/**
 * Runs the real bot as a child process, the way `npm start` does (`tsx src/main.ts`), with an environment the test
 * controls: nothing inherited but PATH/HOME/locale, so a developer's SLACK_*, MICROSOFT_*, DATABASE_URL or PORT never
 * leak in. One node process (`node --import tsx`, no tsx CLI wrapper), so signals and /proc figures hit the bot itself.
 *
 * The bot logs pino JSON on stdout; `PORT=0` lets the OS pick a port and the `listening on <url>` line tells it.
 * Every spawned process is tracked: `stopAllBots()` (afterEach) kills what is still running.
 *
 * At the end: a release to many team channels (a seeded DATA_DIR, the publish through signed Slack requests, counts
 * of what reached the fake Slack API), for tests/process/release-fanout.test.ts and `npm run bench -- release`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrations.ts';
import { RELEASE_FORM_BLOCKS } from '../../src/platforms/slack/ids.ts';
import type { FakeSlackApi, SlackCall } from '../support/fake-slack-api.ts';
import { viewSubmissionPayload } from '../support/slack-interactions.ts';
import { interactionBody, postToSlackApp, slashCommandBody } from '../support/slack-request.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const MAIN_PATH = path.join(REPO_ROOT, 'src/main.ts');
/** What `npm start` runs: the compiled bot, rebuilt first when a source changed. */
export const START_PATH = path.join(REPO_ROOT, 'scripts/start.mjs');
/** Node's options on `npm start`'s command line in package.json, so a compiled bot here starts exactly as it does. */
export const START_NODE_ARGS = startNodeArgs();
/** Absolute, so the bot also starts from a cwd outside the repository (where `--import tsx` would not resolve). */
export const TSX_LOADER = pathToFileURL(createRequire(path.join(REPO_ROOT, 'package.json')).resolve('tsx')).href;

/** Inherited from the parent: what a shell needs, nothing that configures the bot. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'SYSTEMROOT'];

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** pino lines parsed from stdout so far. */
  readonly logs: LogLine[];
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ExitResult>;
  /** The base URL from the `listening on …` line. */
  url(timeoutMs?: number): Promise<string>;
  /** Waits until `/readyz` answers 200; returns the base URL. */
  ready(timeoutMs?: number): Promise<string>;
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Sends `signal` and waits for the exit; SIGKILLs after `timeoutMs` if it is still running. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitResult>;
}

export interface SpawnOptions {
  /** Variables for the bot; added to the inherited PATH/HOME. `undefined` values are left out. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Run what `npm start` runs (the compiled build, through scripts/start.mjs) instead of the sources under tsx. */
  compiled?: boolean;
  /** Node's own options before the script (`--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

const running = new Set<BotProcess>();

function startNodeArgs(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = (manifest.scripts.start ?? '').trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'scripts/start.mjs') {
    throw new Error(`package.json's start script is not "node [options] scripts/start.mjs": ${manifest.scripts.start}`);
  }
  return words.slice(1, -1);
}

export function spawnBot(options: SpawnOptions = {}): BotProcess {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value !== undefined) env[name] = value;
  }
  const args = [
    // `npm start`'s own options first, then the caller's: a bench's BENCH_NODE_ARGS overrides them.
    ...(options.compiled ? START_NODE_ARGS : []),
    ...(options.nodeArgs ?? []),
    ...(options.compiled ? [START_PATH] : ['--import', TSX_LOADER, MAIN_PATH]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not spawn the bot');

  let out = '';
  let err = '';
  let partial = '';
  const logs: LogLine[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const parsed = JSON.parse(line) as unknown;
        if (typeof parsed === 'object' && parsed !== null && 'msg' in parsed) logs.push(parsed as LogLine);
      } catch {
        // Not a pino line (nothing else should print to stdout, but a test should not crash on it).
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<ExitResult>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let exitResult: ExitResult | undefined;
  void exited.then((r) => {
    exitResult = r;
  });

  const describe = () =>
    `bot pid ${child.pid}${exitResult ? ` exited (${exitResult.code ?? exitResult.signal})` : ' running'}\n` +
    `stdout:\n${out.slice(-4000)}\nstderr:\n${err.slice(-4000)}`;

  const waitForLog = async (predicate: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = logs.find(predicate);
      if (found) return found;
      if (exitResult) throw new Error(`the bot exited before the expected log line; ${describe()}`);
      if (Date.now() > deadline) throw new Error(`no expected log line after ${timeoutMs} ms; ${describe()}`);
      await delay(20);
    }
  };

  const url = async (timeoutMs = 30_000) => {
    const line = await waitForLog((l) => l.msg.startsWith('listening on '), timeoutMs);
    return line.msg.slice('listening on '.length);
  };

  const bot: BotProcess = {
    child,
    pid: child.pid,
    logs,
    stdout: () => out,
    stderr: () => err,
    exited,
    url,
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const base = await url(timeoutMs);
      let last = 'no answer yet';
      for (;;) {
        if (exitResult) throw new Error(`the bot exited before it was ready; ${describe()}`);
        try {
          const res = await httpGet(`${base}/readyz`, 15_000);
          last = `${res.status} ${res.body}`;
          if (res.status === 200) return base;
        } catch (error) {
          last = String(error);
        }
        if (Date.now() > deadline) throw new Error(`/readyz not 200 after ${timeoutMs} ms (${last}); ${describe()}`);
        await delay(50);
      }
    },
    waitForLog,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (!exitResult) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  running.add(bot);
  void exited.then(() => running.delete(bot));
  return bot;
}

/** Kills every bot still running (SIGKILL: a test that wanted a clean stop did it itself). */
export async function stopAllBots(): Promise<void> {
  await Promise.all([...running].map((bot) => bot.stop('SIGKILL', 5_000)));
}

const tempDirs = new Set<string>();

export async function makeTempDir(prefix = 'coe-process-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(
    [...tempDirs].map(async (dir) => {
      await rm(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }),
  );
}

/** Resolves `predicate` until it returns true; rejects with `describe()` after `timeoutMs`. */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await delay(intervalMs);
  }
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A GET on a fresh connection (no keep-alive). While PGlite creates a new data folder the bot's event loop is blocked
 * for seconds; a pooled keep-alive socket (fetch's default) can then be closed by the server just as the next request
 * goes out (ECONNRESET). Probes from a load balancer or kubelet open a connection per probe too.
 */
export function httpGet(url: string, timeoutMs = 15_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

// ---- a release to many team channels, published through Slack as a person would --------------------------------
// Shared by tests/process/release-fanout.test.ts and `npm run bench -- release`.

/** Who publishes, where the CoE watches, and what is released: SOP-picking v1.1 from CR-1 (a clarification). */
export const FAN_OUT = {
  coeUser: 'UCOEFAN',
  reviewChannel: 'C0REVIEW',
  sopKey: 'picking',
  signingSecret: 'fan-out-signing-secret',
  botToken: 'xoxb-fan-out',
  /** The outbox batch of the first release in a database. */
  batch: 'release:1',
} as const;

/** The Slack channel of team `i`. */
export const fanOutChannel = (i: number) => `CTEAM${String(i).padStart(4, '0')}`;

/**
 * Seeds a new DATA_DIR before the bot first starts: `teams` teams with one Slack channel each, a standard in use (a
 * baseline, so v1.0), and one approved change request of it (CR-1, a clarification: a minor bump). Returns the team
 * channels.
 */
export async function seedReleaseFanOut(dataDir: string, teams: number): Promise<string[]> {
  const channels = Array.from({ length: teams }, (_, i) => fanOutChannel(i));
  const db = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await migrate(db);
    await db.prisma.team.createMany({ data: channels.map((_, i) => ({ name: `Team ${i}` })) });
    const created = await db.prisma.team.findMany({ orderBy: { id: 'asc' }, select: { id: true } });
    await db.prisma.teamChannel.createMany({
      data: created.map((team, i) => ({ platform: 'slack', channelId: fanOutChannel(i), teamId: team.id })),
    });
    await db.prisma.sop.create({ data: { key: FAN_OUT.sopKey, title: 'Picking', baseline: true } });
    await db.prisma.changeRequest.create({
      data: {
        kind: 'standard',
        sopKey: FAN_OUT.sopKey,
        title: 'Say which shelf side to pick from',
        change: 'The pick list names the shelf side (left/right) next to the location.',
        why: 'Pickers walk back because the side is not on the list.',
        friction: [],
        risk: 'Low: wording only.',
        improvement: 'clarify',
        status: 'approved',
        submissionKey: 'seed:fan-out:cr-1',
      },
    });
  } finally {
    await db.close();
  }
  return channels;
}

/** The bot's environment for a fan-out: Slack over HTTP at `fake`, the review channel, the CoE member. */
export function fanOutEnv(dataDir: string, fake: FakeSlackApi): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: FAN_OUT.botToken,
    SLACK_SIGNING_SECRET: FAN_OUT.signingSecret,
    SLACK_API_URL: fake.url,
    COE_SLACK_CHANNEL_ID: FAN_OUT.reviewChannel,
    COE_MEMBERS: `slack:${FAN_OUT.coeUser}`,
  };
}

/**
 * `/coe release <key>` from the CoE member, then the modal the bot opened on that trigger submitted with CR-1 and
 * no team picked (every team). Resolves at the ack with its time and the confirmation's text; throws on anything
 * else than the confirmation.
 */
export async function publishFanOut(botUrl: string, fake: FakeSlackApi): Promise<{ ackedAt: number; text: string }> {
  const events = `${botUrl}/slack/events`;
  const trigger = `${Date.now()}.fan-out`;
  const command = await postToSlackApp(
    events,
    FAN_OUT.signingSecret,
    slashCommandBody({
      command: '/coe',
      text: `release ${FAN_OUT.sopKey}`,
      user_id: FAN_OUT.coeUser,
      user_name: 'coe',
      channel_id: FAN_OUT.reviewChannel,
      trigger_id: trigger,
    }),
  );
  if (command.status !== 200 || command.text !== '') {
    throw new Error(`/coe release answered ${command.status}: ${command.text.slice(0, 500)}`);
  }
  await fake.waitFor(() => fake.calls('views.open').some((c) => c.args.trigger_id === trigger), 10_000);
  const view = fake.calls('views.open').find((c) => c.args.trigger_id === trigger)?.args.view as Record<
    string,
    unknown
  >;
  const payload = viewSubmissionPayload({
    user: { id: FAN_OUT.coeUser, name: 'coe' },
    view,
    viewId: 'VFANOUT',
    values: { [RELEASE_FORM_BLOCKS.changes]: ['CR-1'], [RELEASE_FORM_BLOCKS.teams]: [] },
  });
  const submitted = await postToSlackApp(events, FAN_OUT.signingSecret, interactionBody(payload));
  const ackedAt = Date.now();
  const body =
    submitted.status === 200 && submitted.text ? (JSON.parse(submitted.text) as Record<string, unknown>) : {};
  const text = JSON.stringify((body.view as { blocks?: unknown } | undefined)?.blocks ?? []);
  if (body.response_action !== 'update' || !text.includes(`Published SOP-${FAN_OUT.sopKey} v1.1`)) {
    throw new Error(`the release form answered ${submitted.status}: ${submitted.text.slice(0, 1000)}`);
  }
  return { ackedAt, text };
}

/** The announcements the fake stored (successful chat.postMessage of the release), by team channel. */
export function announcementsByChannel(fake: FakeSlackApi, channels: readonly string[]): Map<string, SlackCall[]> {
  const byChannel = new Map<string, SlackCall[]>(channels.map((c) => [c, []]));
  for (const call of fake.calls('chat.postMessage')) {
    if (call.faulted) continue;
    const key = (call.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;
    if (!key?.startsWith(`${FAN_OUT.batch}:ann:`)) continue;
    byChannel.get(String(call.args.channel))?.push(call);
  }
  return byChannel;
}

/** How many team channels have their announcement, none, or more than one. */
export function fanOutCounts(
  fake: FakeSlackApi,
  channels: readonly string[],
): { delivered: number; lost: number; duplicated: number; describe: string } {
  const posts = [...announcementsByChannel(fake, channels)];
  const lost = posts.filter(([, calls]) => calls.length === 0).map(([channel]) => channel);
  const twice = posts.filter(([, calls]) => calls.length > 1).map(([channel, calls]) => `${channel}×${calls.length}`);
  const list = (items: string[]) => `${items.slice(0, 10).join(', ')}${items.length > 10 ? ', …' : ''}`;
  return {
    delivered: channels.length - lost.length,
    lost: lost.length,
    duplicated: twice.length,
    describe: `${channels.length - lost.length}/${channels.length} channels announced; none in: ${list(lost) || 'none'}; more than once in: ${list(twice) || 'none'}`,
  };
}

/** What the CoE saw in the review channel: the progress message (as posted, then each update) and the thread replies. */
export function reviewChannelView(fake: FakeSlackApi): { progress: SlackCall[]; replies: SlackCall[] } {
  const inReview = (c: SlackCall) => !c.faulted && c.args.channel === FAN_OUT.reviewChannel;
  return {
    progress: fake
      .calls()
      .filter(
        (c) => inReview(c) && (c.method === 'chat.update' || (c.method === 'chat.postMessage' && !c.args.thread_ts)),
      ),
    replies: fake.calls('chat.postMessage').filter((c) => inReview(c) && c.args.thread_ts !== undefined),
  };
}

/** The outbox rows of the release's announcements by status, read from DATA_DIR (the bot must be stopped). */
export async function fanOutOutbox(dataDir: string): Promise<Record<string, number>> {
  const db = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const rows = await db.prisma.outboxMessage.groupBy({
      by: ['status'],
      where: { batch: FAN_OUT.batch },
      _count: { _all: true },
    });
    return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
  } finally {
    await db.close();
  }
}
