/**
 * One run of one target in the friction bench, on a process started for it (bench/targets.ts) and a fake Slack Web
 * API of its own:
 *
 *   1. warm-up (not measured): each user sends `/friction` twice (bursts; a bot opens a form for each) and submits
 *      the form once — JIT, keep-alive sockets, the database's first writes;
 *   2. the RSS of the process AFTER_WARMUP_MS after the warm-up;
 *   3. `/friction` in 10 bursts of USERS at once (after each, until the bot opened every form of it), and for a bot
 *      the lag from the command to the fake seeing views.open;
 *   4. the storm (bench/friction-storm.ts): 1,000 submissions, USERS in flight, beside a few `/friction` senders;
 *      the RSS sampled every 50 ms for its peak;
 *   5. idle: the RSS of the process and its tree IDLE_MS after the storm (V8 gives back the young generation it
 *      grew under load only after ~30 s without work; measured after the storm, so that the bursts and the storm meet
 *      a process as warm as the warm-up left it);
 *   6. the stop, then for a bot the reports its database holds (one per submission, warm-up included).
 *
 * The forms: each user's submissions all fill the view the bot opened for that user's first warm-up `/friction`
 * (its blocks, callback_id and private_metadata, as Slack sends them back), each with a view id and hash of its own.
 * The bot's idempotency key is `slack:view:<view id>:<view hash>` (src/platforms/slack/listeners/interactions.ts),
 * so every submission is a report of its own. The bare app gets the same form, built by the bot's own view code.
 */
import { FRICTION_FORM_BLOCKS } from '../src/platforms/slack/ids.ts';
import { frictionFormView } from '../src/platforms/slack/views/friction-form.ts';
import { type InputValue, viewSubmissionPayload } from '../tests/support/slack-interactions.ts';
import { interactionBody } from '../tests/support/slack-request.ts';
import { sleep, stats } from './common.ts';
import { BurstThreads, postgresCpuMs, treeCpuMs } from './cpu.ts';
import { runStorm, type Verdict } from './friction-storm.ts';
import type { Summary } from './friction-table.ts';
import { treeRss, withPeakRss } from './memory.ts';
import { SlackApiProcess } from './slack-api-process.ts';
import { type Answer, frictionCommand, openTarget, post, runUsers, type Target, USERS, userId } from './slack-load.ts';
import { type Running, startTarget, type TargetKind } from './targets.ts';

const WARMUP_COMMANDS = 2;
const WARMUP_SUBMISSIONS = 1;
const BURSTS = 10;
export const STORM_SUBMISSIONS = 1_000;
const AFTER_WARMUP_MS = 5_000;
const IDLE_MS = 40_000;
/** The pause after each burst, once its follow-up work is done. */
const SETTLE_MS = 100;
const VIEWS_WAIT_MS = 15_000;

type Json = Record<string, unknown>;

export interface RunResult {
  summary: Summary;
  /** What the run found wrong (a submission not stored once, an answer that was no confirmation). */
  problems: string[];
}

export async function measureTarget(kind: TargetKind, round: number): Promise<RunResult> {
  const fake = await SlackApiProcess.start();
  try {
    const running = await startTarget(kind, fake.url);
    const target = openTarget(running.baseUrl);
    try {
      return await measure(new Run(kind, round, running, target, fake));
    } catch (error) {
      await running.stop().catch(() => undefined);
      throw error;
    } finally {
      target.agent.destroy();
    }
  } finally {
    await fake.close();
  }
}

/** A run's state: what it sent, what the bot was asked to open, the reports named in the answers. */
class Run {
  readonly bot: boolean;
  /** Tells the ids of this run from any other's (view ids, triggers). */
  readonly tag: string;
  commandsSent = 0;
  submitted = 0;
  confirmed = 0;
  readonly reports = new Set<string>();

  constructor(
    readonly kind: TargetKind,
    round: number,
    readonly running: Running,
    readonly target: Target,
    readonly fake: SlackApiProcess,
  ) {
    this.bot = kind !== 'bare';
    this.tag = `${kind.slice(0, 1).toUpperCase()}${round}`;
  }

  trigger(phase: string, user: number, n: number): string {
    return `bench-${this.tag}-${phase}-${user}-${n}`;
  }

  /** `/friction` from a user (one the bot will open a form for), with its send time in `sentAt`. */
  command(phase: string, sentAt?: Map<string, number>) {
    return (user: number, n: number, signal: AbortSignal) => {
      const trigger = this.trigger(phase, user, n);
      this.commandsSent++;
      sentAt?.set(trigger, Date.now());
      return frictionCommand(this.target, userId(user), trigger, signal);
    };
  }

  /** After a burst: until the bot opened every form asked so far (its follow-up work is done), then a breath. */
  readonly settle = async () => {
    if (this.bot) await this.fake.waitForCalls('views.open', this.commandsSent, VIEWS_WAIT_MS);
    await sleep(SETTLE_MS);
  };

  judge(answer: Answer): Verdict {
    return this.bot ? judgeBotAnswer(answer) : judgeBareAnswer(answer);
  }
}

async function measure(run: Run): Promise<RunResult> {
  const { running, target } = run;
  await runUsers('warm-up', WARMUP_COMMANDS, run.command('warm'), run.settle);
  const forms = await formsOf(run);
  await warmUpSubmissions(run, forms);

  await sleep(AFTER_WARMUP_MS);
  const afterWarmUp = await treeRss(running.pid);
  const logsBefore = running.logs().length;

  const sentAt = new Map<string, number>();
  // Each burst's threads, from just before it is sent to its last ack (the settling after it is not counted).
  const threads = new BurstThreads(running.pid);
  threads.sending();
  const bursts = await runUsers('bursts', BURSTS, run.command('burst', sentAt), async () => {
    threads.answered();
    await run.settle();
    threads.sending();
  });
  const lags = run.bot ? await viewsOpenLags(run.fake, sentAt) : [];

  const submissions = stormBodies(run, forms);
  const cpuBefore = await Promise.all([treeCpuMs(running.pid), run.kind === 'postgres' ? postgresCpuMs() : 0]);
  const { result: storm, peak } = await withPeakRss(running.pid, () =>
    runStorm({
      target,
      submissions,
      judge: (answer) => run.judge(answer),
      trigger: (user, n) => run.trigger('storm', user, n),
    }),
  );
  const cpuAfter = await Promise.all([treeCpuMs(running.pid), run.kind === 'postgres' ? postgresCpuMs() : 0]);
  run.submitted += storm.sent;
  run.confirmed += storm.confirmed;
  for (const report of storm.reports) run.reports.add(report);
  const logLines = running.logs().length - logsBefore;
  // A request logs nothing at info: whatever did is worth seeing beside the figures.
  for (const line of running.logs().slice(logsBefore)) console.error(`bench: the bot logged ${JSON.stringify(line)}`);
  await sleep(IDLE_MS);
  const idle = await treeRss(running.pid);

  const { stored } = await running.stop();
  const submit = stats(storm.latencies);
  const summary: Summary = {
    firstStartMs: running.firstStartMs,
    startMs: running.startMs,
    submitP50: submit.p50,
    submitP99: submit.p99,
    submitRate: storm.confirmed / storm.seconds,
    submitted: run.bot ? run.submitted : Number.NaN,
    // Everything the process did while the storm ran (its /friction senders too), per submission answered.
    cpuPerSubmission: (cpuAfter[0] - cpuBefore[0]) / Math.max(1, storm.confirmed),
    dbCpuPerSubmission:
      run.kind === 'postgres' ? (cpuAfter[1] - cpuBefore[1]) / Math.max(1, storm.confirmed) : Number.NaN,
    pastAck: storm.pastAck,
    noAnswer: storm.noAnswer,
    stored,
    distinct: run.bot ? run.reports.size : Number.NaN,
    burstP99: stats(bursts.latencies).p99,
    burstCount: bursts.latencies.length,
    ...burstFigures(bursts.latencies, threads),
    stormCommandP99: stats(storm.commands).p99,
    stormCommands: storm.commands.length,
    viewsOpenP99: run.bot ? stats(lags).p99 : Number.NaN,
    afterWarmUpRss: afterWarmUp.process,
    idleRss: idle.process,
    idleTree: idle.tree,
    idleProcesses: idle.processes,
    peakRss: peak.process,
    peakTree: peak.tree,
    peakProcesses: peak.processes,
    logLines: run.bot ? logLines : Number.NaN,
  };
  const failures = storm.failures.count
    ? [`${storm.failures.count} submissions not confirmed, e.g. ${storm.failures.first.join(' / ')}`]
    : [];
  return { summary, problems: [...failures, ...storedProblems(run, stored)] };
}

/** Each user's form: the view the bot opened on their first warm-up trigger; for the bare app, the same form. */
async function formsOf(run: Run): Promise<Json[]> {
  const users = Array.from({ length: USERS }, (_, user) => user);
  if (!run.bot) {
    const form = frictionFormView({ teams: [] }) as unknown as Json;
    return users.map(() => form);
  }
  const byTrigger = new Map(
    (await run.fake.calls('views.open')).map((call) => [String(call.args.trigger_id), call.args.view]),
  );
  return users.map((user) => {
    const view = byTrigger.get(run.trigger('warm', user, 0));
    if (!view) throw new Error(`the bot opened no form for ${run.trigger('warm', user, 0)}`);
    return view as Json;
  });
}

/** One submission per user, all at once, not measured; each must be confirmed. */
async function warmUpSubmissions(run: Run, forms: Json[]): Promise<void> {
  await runUsers('warm-up submissions', WARMUP_SUBMISSIONS, async (user, n, signal) => {
    const body = submissionBody(run, forms, user, `W${n}`);
    run.submitted++;
    const answer = await post(run.target, body, signal);
    const verdict = run.judge(answer);
    if (!verdict.ok) throw new Error(`warm-up submission: ${verdict.why}`);
    run.confirmed++;
    if (verdict.report) run.reports.add(verdict.report);
    return answer.ms;
  });
}

/**
 * Built before the storm, so the storm's client does little more than sign and send. Each body is copied into one
 * piece: `URLSearchParams` leaves its string as thousands of joined pieces that V8 only copies together when the string
 * is first read, so a thousand bodies kept for the storm cost the load generator ~0.3 ms each as they were sent, and a
 * heap of pieces to go through at every collection — on the cores the measured process needs.
 */
function stormBodies(run: Run, forms: Json[]): string[][] {
  const perUser = Math.ceil(STORM_SUBMISSIONS / USERS);
  return Array.from({ length: USERS }, (_, user) =>
    Array.from({ length: perUser }, (_, n) => Buffer.from(submissionBody(run, forms, user, `S${n}`)).toString()),
  );
}

/** A filled-in friction form from `user`, with a view id (and, by default, a random hash) of its own. */
function submissionBody(run: Run, forms: Json[], user: number, label: string): string {
  const view = forms[user];
  if (!view) throw new Error(`no form for user ${user}`);
  const payload = viewSubmissionPayload({
    user: { id: userId(user) },
    view,
    viewId: `V${run.tag}U${user}${label}`,
    values: formValues(`${run.tag}-${user}-${label}`),
  });
  return interactionBody(payload);
}

/** A valid report, by the form's block ids; a tool of its own per report, so no recurring-pattern alert fires. */
function formValues(label: string): Record<string, InputValue> {
  return {
    [FRICTION_FORM_BLOCKS.kind]: 'tool_friction',
    [FRICTION_FORM_BLOCKS.title]: `Handheld scanner ${label} freezes`,
    [FRICTION_FORM_BLOCKS.description]: 'The scanner freezes after about half an hour and needs a restart.',
    [FRICTION_FORM_BLOCKS.tool]: `Scanner ${label}`,
    [FRICTION_FORM_BLOCKS.frequency]: 'daily',
    [FRICTION_FORM_BLOCKS.impact]: 'high',
  };
}

/** The bot stores the report before it acks with the confirmation (`update`, naming FR-<n>). */
function judgeBotAnswer(answer: Answer): Verdict {
  const report = /FR-\d+/.exec(answer.text)?.[0];
  let action: unknown;
  try {
    action = answer.status === 200 ? (JSON.parse(answer.text) as Json).response_action : undefined;
  } catch {
    action = undefined;
  }
  if (action === 'update' && report) return { ok: true, report };
  return { ok: false, why: `answered ${answer.status}: ${answer.text.slice(0, 200)}` };
}

const judgeBareAnswer = (answer: Answer): Verdict =>
  answer.status === 200 ? { ok: true } : { ok: false, why: `answered ${answer.status}: ${answer.text.slice(0, 200)}` };

/** Command sent → the fake sees views.open on its trigger, for every measured command. */
async function viewsOpenLags(fake: SlackApiProcess, sentAt: Map<string, number>): Promise<number[]> {
  const openedAt = new Map((await fake.calls('views.open')).map((call) => [String(call.args.trigger_id), call.at]));
  return [...sentAt].map(([trigger, at]) => {
    const opened = openedAt.get(trigger);
    if (opened === undefined) throw new Error(`the bot opened no form for ${trigger}`);
    return opened - at;
  });
}

/** Every submission stored once: as many rows as sent, and no two confirmations naming the same report. */
function storedProblems(run: Run, stored: number): string[] {
  if (!run.bot) return [];
  const problems: string[] = [];
  if (stored !== run.submitted) {
    problems.push(`${run.kind}: ${run.submitted} submissions sent, ${stored} friction_report rows stored`);
  }
  if (run.reports.size !== run.confirmed) {
    problems.push(`${run.kind}: ${run.confirmed} confirmations named ${run.reports.size} distinct FR-<n>`);
  }
  return problems;
}

/**
 * The bursts' p99 is decided by the slowest one or two of the ten: that burst's median and last ack, to tell a burst
 * that was slow as a whole (the machine busy elsewhere) from one late ack, and its threads' times, to tell the
 * process's own work from its main thread waiting for a core. Also the main thread's CPU per ack over all bursts.
 * `latencies` come burst after burst.
 */
function burstFigures(latencies: readonly number[], threads: BurstThreads) {
  let slowest = { p50: Number.NaN, max: Number.NEGATIVE_INFINITY, index: -1 };
  for (let start = 0; start < latencies.length; start += USERS) {
    const burst = stats(latencies.slice(start, start + USERS));
    if (burst.max > slowest.max) slowest = { ...burst, index: start / USERS };
  }
  const times = threads.bursts;
  const known = times.every((t) => t !== undefined) && times.length > 0;
  const mainRun = times.reduce((sum, t) => sum + (t?.mainRun ?? 0), 0);
  const ofSlowest = times[slowest.index];
  return {
    slowestBurstMedian: slowest.p50,
    slowestBurstMax: Number.isFinite(slowest.max) ? slowest.max : Number.NaN,
    burstMainCpuPerAck: known ? mainRun / latencies.length : Number.NaN,
    slowestBurstMainRun: ofSlowest?.mainRun ?? Number.NaN,
    slowestBurstMainWait: ofSlowest?.mainWait ?? Number.NaN,
    slowestBurstOthersRun: ofSlowest?.othersRun ?? Number.NaN,
  };
}
