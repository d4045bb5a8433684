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
 *       the friction_report rows are counted in DATA_DIR after the bot stopped, and must match. A review channel is
 *       set, as in real use: every report also queues its review message (sent a second apart to that one channel;
 *       the stop leaves what is not sent yet in the outbox).
 *
 * The 50 simulated users send in bursts: all at once, then a pause once the burst's follow-up work is done (the
 * latency people meet when many report at the same moment); then the same free-running, each sending its next as
 * soon as it is answered, for the throughput at saturation (where latency is only users ÷ throughput). One keep-alive
 * agent per target; a warm-up round per target is not counted. Bounded: each phase has a deadline, the part takes
 * about half a minute. What it starts it stops (bench/index.ts removes the temp folders).
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
import { ms, type Row, say, sleep, stopClean } from './common.ts';

const USERS = 50;
const WARMUP_PER_USER = 2;
const ACKS_PER_USER = 10;
/** At most ACKS_PER_USER: each submission fills the form opened for one of that user's measured commands. */
const SUBMITS_PER_USER = 4;
const PHASE_TIMEOUT_MS = 20_000;
/** The pause after each burst, once its follow-up work is done. */
const SETTLE_MS = 100;
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
    rows.push(latencyRow('/friction ack, bare Bolt', bare.bursts.latencies, `${ACKS}; only ack()`));
    await benchBot(fake, env, bare, rows);
  } finally {
    await fake.close();
  }
}

async function ackBareBolt(env: Record<string, string>): Promise<{ bursts: Phase; saturated: Phase }> {
  say('friction: starting a bare Bolt app…');
  const bare = await startBareBolt(env);
  const target = { url: `${bare.url}/slack/events`, agent: keepAliveAgent() };
  try {
    say(`friction: ${ACKS} against the bare Bolt app…`);
    return await measureAcks(target, () => sleep(SETTLE_MS));
  } finally {
    target.agent.destroy();
    await bare.stop();
  }
}

/** The bot's acks (compared with `bare`), its views.open lag, the submissions, and the count of what it stored. */
async function benchBot(
  fake: FakeSlackApi,
  env: Record<string, string>,
  bare: { bursts: Phase; saturated: Phase },
  rows: Row[],
): Promise<void> {
  say('friction: starting the bot on a new embedded database…');
  const dataDir = path.join(await makeTempDir('coe-bench-friction-'), 'data');
  const bot = spawnBot({
    // LOG_LEVEL info, not warn: the `listening on` line is how spawnBot learns the port of PORT=0. A request logs
    // nothing at info (the last row counts the lines).
    env: {
      ...env,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      COE_SLACK_CHANNEL_ID: 'C0REVIEW',
    },
  });
  const target = { url: `${await bot.ready(60_000)}/slack/events`, agent: keepAliveAgent() };
  const startupLines = bot.logs.length;
  const sentAt = new Map<string, number>();
  const reports = new Set<string>();
  let submits: Phase;
  try {
    say(`friction: ${ACKS} against the bot…`);
    let expected = USERS * WARMUP_PER_USER;
    // After each burst: until the bot opened every form of it (its follow-up work is done), then a breath.
    const settle = async (round: number) => {
      if (round >= 0) expected += USERS;
      await fake.waitForCalls('views.open', expected, 15_000);
      await sleep(SETTLE_MS);
    };
    const acks = await measureAcks(target, settle, sentAt);
    rows.push(latencyRow('/friction ack, bot', acks.bursts.latencies, `${ACKS}; same run, after the bare app`));
    const ratio = stats(acks.bursts.latencies).p99 / stats(bare.bursts.latencies).p99;
    rows.push({
      metric: '/friction ack p99, bot / bare',
      value: `${ratio.toFixed(2)}×`,
      note: `target ≤ ${ACK_TARGET}×${ratio > ACK_TARGET ? '; over the target' : ''}`,
    });
    rows.push({
      metric: '/friction at saturation',
      value: `${throughput(acks.saturated)} req/s`,
      note: `bare Bolt ${throughput(bare.saturated)} req/s; ${USERS} users each sending the next as soon as answered; ack p99 bot ${ms(stats(acks.saturated.latencies).p99)}, bare ${ms(stats(bare.saturated.latencies).p99)}`,
    });

    const opened = await fake.waitForCalls('views.open', USERS * (WARMUP_PER_USER + 2 * ACKS_PER_USER), 15_000);
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

/**
 * A warm-up round per user (not counted; it also opens the keep-alive sockets), the measured bursts (`settle` runs
 * after each), then the same commands free-running for the throughput at saturation.
 */
async function measureAcks(
  target: Target,
  settle: (round: number) => Promise<void>,
  sentAt?: Map<string, number>,
): Promise<{ bursts: Phase; saturated: Phase }> {
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
  await settle(-1);
  sentAt?.clear();
  const bursts = await runUsers(
    'acks',
    ACKS_PER_USER,
    (user, n, signal) => command(user, triggerId(user, n), signal),
    settle,
  );
  const measured = new Map(sentAt);
  const saturated = await runUsers('saturation', ACKS_PER_USER, (user, n, signal) =>
    command(user, `saturate-${user}-${n}`, signal),
  );
  await settle(ACKS_PER_USER);
  sentAt?.clear();
  for (const [trigger, at] of measured) sentAt?.set(trigger, at);
  return { bursts, saturated };
}

/**
 * USERS people sending `perUser` requests each; `send` returns a latency. With `between`, they send in rounds: all at
 * the same moment (50 people pressing enter together), then `between` lets the round's follow-up work settle before
 * the next — the latency of a burst, as people meet it. Without, each sends its next request as soon as the last is
 * answered: the app at saturation, where latency is just USERS ÷ throughput.
 */
async function runUsers(
  what: string,
  perUser: number,
  send: (user: number, n: number, signal: AbortSignal) => Promise<number>,
  between?: (n: number) => Promise<void>,
): Promise<Phase> {
  const signal = AbortSignal.timeout(PHASE_TIMEOUT_MS);
  // Every request in flight listens to it.
  setMaxListeners(USERS, signal);
  const users = Array.from({ length: USERS }, (_, user) => user);
  const started = performance.now();
  try {
    if (between) {
      const latencies: number[] = [];
      for (let n = 0; n < perUser; n++) {
        latencies.push(...(await Promise.all(users.map((user) => send(user, n, signal)))));
        await between(n);
      }
      return { latencies, seconds: (performance.now() - started) / 1000 };
    }
    const perWorker = await Promise.all(
      users.map(async (user) => {
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
const throughput = (phase: Phase) => (phase.latencies.length / phase.seconds).toFixed(0);

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
