/**
 * `npm run bench -- friction`: `/friction` with 50 people at once, over signed HTTP exactly as Slack sends it (the
 * builders of tests/support/slack-request.ts), against processes spawned the way `npm start` runs, with the fake
 * Slack Web API in this process:
 *
 *   (a) ack latency: signed `POST /slack/events` `/friction` → HTTP response, first against a bare Bolt app that only
 *       acks (bench/bare-bolt.ts: what Bolt itself costs), then against the bot; the ratio of their p99s;
 *   (b) `/friction` → `views.open`: from the command sent until the fake records the modal opening on its trigger
 *       (Slack takes a trigger for 3 s);
 *   (c) submit → stored: a `view_submission` of the form the bot opened for that person's trigger, filled in, until
 *       the response (the bot stores the report before it acks with the confirmation, `response_action: update`);
 *       the friction_report rows are counted in DATA_DIR after the bot stopped, and must match. No review channel
 *       is set: 200 review messages to one channel go out 1 s apart, 16 to a claimed batch, and the bot's stop waits
 *       for the batch in flight, past its 10 s shutdown limit (exit 1).
 *
 * Each of the 50 simulated users is an async worker sending its requests one after another, all started together,
 * over one keep-alive agent per target; a warm-up round per target is not counted. Bounded: each phase has a
 * deadline, the part takes about half a minute. What it starts it stops (bench/index.ts removes the temp folders).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/client.ts';
import { FRICTION_FORM_BLOCKS } from '../src/platforms/slack/ids.ts';
import { makeTempDir, REPO_ROOT, spawnBot, TSX_LOADER } from '../tests/process/bot-process.ts';
import { FakeSlackApi } from '../tests/support/fake-slack-api.ts';
import { type InputValue, viewSubmissionPayload } from '../tests/support/slack-interactions.ts';
import { interactionBody, signSlackRequest, slashCommandBody } from '../tests/support/slack-request.ts';
import { ms, type Row, say, stopClean } from './common.ts';

const USERS = 50;
const WARMUP_PER_USER = 2;
const ACKS_PER_USER = 10;
/** At most ACKS_PER_USER: each submission fills the form opened for one of that user's measured commands. */
const SUBMITS_PER_USER = 4;
const PHASE_TIMEOUT_MS = 20_000;
const ACK_TARGET = 1.5;
const SIGNING_SECRET = 'bench-signing-secret';
const ACKS = `${USERS} users × ${ACKS_PER_USER} /friction`;
const BARE_BOLT_PATH = path.join(import.meta.dirname, 'bare-bolt.ts');

type Json = Record<string, unknown>;

interface Target {
  url: string;
  agent: Agent;
}

interface Phase {
  latencies: number[];
  seconds: number;
}

export async function benchFriction(rows: Row[]): Promise<void> {
  const fake = await FakeSlackApi.start();
  try {
    const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url };
    const bare = await ackBareBolt(env);
    rows.push(latencyRow('/friction ack, bare Bolt', bare.latencies, `${ACKS}; only ack()`, bare.seconds));
    await benchBot(fake, env, bare, rows);
  } finally {
    await fake.close();
  }
}

async function ackBareBolt(env: Record<string, string>): Promise<Phase> {
  say('friction: starting a bare Bolt app…');
  const bare = await startBareBolt(env);
  const target = { url: `${bare.url}/slack/events`, agent: keepAliveAgent() };
  try {
    say(`friction: ${ACKS} against the bare Bolt app…`);
    return await measureAcks(target);
  } finally {
    target.agent.destroy();
    await bare.stop();
  }
}

/** The bot's acks (compared with `bare`), its views.open lag, the submissions, and the count of what it stored. */
async function benchBot(fake: FakeSlackApi, env: Record<string, string>, bare: Phase, rows: Row[]): Promise<void> {
  say('friction: starting the bot on a new embedded database…');
  const dataDir = path.join(await makeTempDir('coe-bench-friction-'), 'data');
  const bot = spawnBot({
    // LOG_LEVEL info, not warn: the `listening on` line is how spawnBot learns the port of PORT=0. A request logs
    // nothing at info (the last row counts the lines).
    env: { ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
  });
  const target = { url: `${await bot.ready(60_000)}/slack/events`, agent: keepAliveAgent() };
  const startupLines = bot.logs.length;
  const sentAt = new Map<string, number>();
  const reports = new Set<string>();
  let submits: Phase;
  try {
    say(`friction: ${ACKS} against the bot…`);
    const acks = await measureAcks(target, sentAt);
    rows.push(latencyRow('/friction ack, bot', acks.latencies, `${ACKS}; same run, after the bare app`, acks.seconds));
    const ratio = stats(acks.latencies).p99 / stats(bare.latencies).p99;
    rows.push({
      metric: '/friction ack p99, bot / bare',
      value: `${ratio.toFixed(2)}×`,
      note: `target ≤ ${ACK_TARGET}×${ratio > ACK_TARGET ? '; over the target' : ''}`,
    });

    const opened = await fake.waitForCalls('views.open', USERS * (WARMUP_PER_USER + ACKS_PER_USER), 15_000);
    const views = new Map(opened.map((call) => [String(call.args.trigger_id), call]));
    const lags = [...sentAt].map(([trigger, at]) => {
      const call = views.get(trigger);
      if (!call) throw new Error(`the bot opened no form for ${trigger}`);
      return call.at - at;
    });
    rows.push(latencyRow('/friction → views.open, bot', lags, 'command sent → the fake sees views.open'));

    say(`friction: ${USERS} users × ${SUBMITS_PER_USER} form submissions against the bot…`);
    submits = await runUsers('submissions', SUBMITS_PER_USER, async (user, n, signal) => {
      const payload = viewSubmissionPayload({
        user: { id: userId(user) },
        view: views.get(triggerId(user, n))?.args.view as Json,
        viewId: `VBENCH${user}X${n}`,
        values: formValues(user, n),
      });
      const answer = await post(target, interactionBody(payload), signal);
      const report = /FR-\d+/.exec(answer.text)?.[0];
      const action = answer.status === 200 ? (JSON.parse(answer.text) as Json).response_action : undefined;
      if (action !== 'update' || !report) {
        throw new Error(`submission answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      }
      reports.add(report);
      return answer.ms;
    });
  } finally {
    target.agent.destroy();
  }
  const logged = bot.logs.slice(startupLines);
  const quiet = logged.length
    ? `the bot logged ${logged.length} lines while measured: ${[...new Set(logged.map((l) => l.msg))].join('; ')}`
    : 'the bot logged nothing while measured';
  const submitted = USERS * SUBMITS_PER_USER;
  const how = `${USERS} users × ${SUBMITS_PER_USER} view_submissions; each acked "update" with its FR-<n>`;
  rows.push(latencyRow('friction submit → stored, bot', submits.latencies, how, submits.seconds));

  say('friction: stopping the bot and counting the stored reports…');
  await stopClean(bot);
  const stored = await countReports(dataDir);
  rows.push({
    metric: 'friction reports stored',
    value: String(stored),
    note: `friction_report rows in DATA_DIR after the stop; ${submitted} submitted, ${reports.size} distinct FR-<n>; ${quiet}`,
  });
  if (stored !== submitted || reports.size !== submitted) {
    throw new Error(`${submitted} submissions, but ${stored} reports stored and ${reports.size} distinct FR-<n>`);
  }
}

/** A warm-up round per user (not counted, it also opens the keep-alive sockets), then the measured commands. */
async function measureAcks(target: Target, sentAt?: Map<string, number>): Promise<Phase> {
  const command = async (user: number, trigger: string, signal: AbortSignal) => {
    const body = slashCommandBody({
      command: '/friction',
      user_id: userId(user),
      user_name: `bench-${user}`,
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      trigger_id: trigger,
    });
    sentAt?.set(trigger, Date.now());
    const answer = await post(target, body, signal);
    if (answer.status !== 200 || answer.text !== '') {
      throw new Error(`/friction answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    }
    return answer.ms;
  };
  await runUsers('warm-up', WARMUP_PER_USER, (user, n, signal) => command(user, `warm-${user}-${n}`, signal));
  sentAt?.clear();
  return runUsers('acks', ACKS_PER_USER, (user, n, signal) => command(user, triggerId(user, n), signal));
}

/** USERS workers started together, each sending `perUser` requests one after another; `send` returns a latency. */
async function runUsers(
  what: string,
  perUser: number,
  send: (user: number, n: number, signal: AbortSignal) => Promise<number>,
): Promise<Phase> {
  const signal = AbortSignal.timeout(PHASE_TIMEOUT_MS);
  // Every request in flight listens to it.
  setMaxListeners(USERS, signal);
  const started = performance.now();
  try {
    const perWorker = await Promise.all(
      Array.from({ length: USERS }, async (_, user) => {
        const latencies: number[] = [];
        for (let n = 0; n < perUser; n++) latencies.push(await send(user, n, signal));
        return latencies;
      }),
    );
    return { latencies: perWorker.flat(), seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    if (signal.aborted) throw new Error(`friction ${what}: not done within ${PHASE_TIMEOUT_MS / 1000} s`);
    throw error;
  }
}

/** A form-encoded body signed the way Slack signs it (at the moment it is sent), timed to the response's end. */
function post(
  target: Target,
  body: string,
  signal: AbortSignal,
): Promise<{ status: number; text: string; ms: number }> {
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    ...signSlackRequest(SIGNING_SECRET, body),
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(target.url, { method: 'POST', agent: target.agent, headers, signal }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** bench/bare-bolt.ts as a child process; resolves with its URL once it listens. */
async function startBareBolt(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX_LOADER, BARE_BOLT_PATH], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`${code ?? signal}`)));
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bare Bolt app: not listening after 30 s\n${err}`)), 30_000);
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const listening = /^listening on (\S+)$/m.exec(out)?.[1];
        if (!listening) return;
        clearTimeout(timer);
        resolve(listening);
      });
      void exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`bare Bolt app exited (${how}) before it listened\n${err}`));
      });
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function countReports(dataDir: string): Promise<number> {
  const db = await openDatabase({ kind: 'pglite', dataDir });
  try {
    return await db.prisma.frictionReport.count();
  } finally {
    await db.close();
  }
}

/** A valid report, by the form's block ids; a tool of its own per report, so no recurring-pattern alert fires. */
function formValues(user: number, n: number): Record<string, InputValue> {
  return {
    [FRICTION_FORM_BLOCKS.kind]: 'tool_friction',
    [FRICTION_FORM_BLOCKS.title]: `Handheld scanner ${user}-${n} freezes`,
    [FRICTION_FORM_BLOCKS.description]: 'The scanner freezes after about half an hour and needs a restart.',
    [FRICTION_FORM_BLOCKS.tool]: `Scanner ${user}-${n}`,
    [FRICTION_FORM_BLOCKS.frequency]: 'daily',
    [FRICTION_FORM_BLOCKS.impact]: 'high',
  };
}

const userId = (user: number) => `UBENCH${user}`;
const triggerId = (user: number, n: number) => `bench-${user}-${n}`;

const keepAliveAgent = () => new Agent({ keepAlive: true, maxSockets: USERS });

/** Nearest-rank percentiles. */
function stats(latencies: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { p50: rank(0.5), p99: rank(0.99), max: rank(1) };
}

/** p99 in the value column; p50, max and, for a timed phase, its throughput in the note. */
function latencyRow(metric: string, latencies: number[], how: string, seconds?: number): Row {
  const { p50, p99, max } = stats(latencies);
  const rate = seconds ? `, ${(latencies.length / seconds).toFixed(0)} req/s` : '';
  return { metric, value: `p99 ${ms(p99)}`, note: `p50 ${ms(p50)}, max ${ms(max)}${rate}; ${how}` };
}
