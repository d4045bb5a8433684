/**
 * The submission storm of `npm run bench -- friction`: USERS people each submitting the friction form, each sending
 * their next submission as soon as the last is answered (1,000 in all, 50 in flight), while a few other people send
 * `/friction` at a steady pace — the ack latency a person meets when everyone else is submitting.
 *
 * A submission unanswered after NO_ANSWER_MS is counted and given up (its latency counts as NO_ANSWER_MS, a lower
 * bound); the person goes on with the next. The whole storm has a deadline.
 */
import { performance } from 'node:perf_hooks';
import { sleep } from './common.ts';
import {
  type Answer,
  frictionCommand,
  NO_ANSWER_MS,
  NoAnswer,
  phaseSignal,
  post,
  SLACK_ACK_MS,
  type Target,
} from './slack-load.ts';

const STORM_DEADLINE_MS = 180_000;
/**
 * People sending `/friction` during the storm, each one command every COMMAND_EVERY_MS (or as soon as the last is
 * answered, if that took longer): the same pace on every target, so the commands add the same load to each and only
 * their latency differs.
 */
export const STORM_COMMAND_USERS = 5;
const COMMAND_EVERY_MS = 100;

/** What one answer to a submission says: the report it stored (bot), none (bare Bolt), or what went wrong. */
export type Verdict = { ok: true; report?: string } | { ok: false; why: string };

export interface StormPlan {
  target: Target;
  /** The signed-at-send bodies each person submits, in order. */
  submissions: string[][];
  judge: (answer: Answer) => Verdict;
  /** The trigger id of command `n` of command user `user` (distinct per run). */
  trigger: (user: number, n: number) => string;
}

export interface StormResult {
  /** Every submission's latency (those never answered at NO_ANSWER_MS). */
  latencies: number[];
  /** First sent → last answered. */
  seconds: number;
  sent: number;
  /** Answered with what the judge accepts. */
  confirmed: number;
  pastAck: number;
  noAnswer: number;
  /** The first few answers the judge refused, and how many there were. */
  failures: { count: number; first: string[] };
  /** The reports named in the answers. */
  reports: Set<string>;
  /** `/friction` ack latencies during the storm. */
  commands: number[];
}

export async function runStorm(plan: StormPlan): Promise<StormResult> {
  const storm = phaseSignal(STORM_DEADLINE_MS);
  const result: StormResult = {
    latencies: [],
    seconds: 0,
    sent: 0,
    confirmed: 0,
    pastAck: 0,
    noAnswer: 0,
    failures: { count: 0, first: [] },
    reports: new Set(),
    commands: [],
  };
  let submitting = plan.submissions.length;
  const started = performance.now();
  const submitters = plan.submissions.map(async (bodies) => {
    try {
      for (const body of bodies) await submit(plan, body, storm, result);
    } finally {
      submitting--;
    }
  });
  const commanders = Array.from({ length: STORM_COMMAND_USERS }, async (_, user) => {
    for (let n = 0; submitting > 0; n++) {
      const ms = await timedCommand(plan.target, user, plan.trigger(user, n), storm);
      result.commands.push(ms);
      await sleep(Math.max(0, COMMAND_EVERY_MS - ms));
    }
  });
  try {
    await Promise.all(submitters);
    result.seconds = (performance.now() - started) / 1000;
    await Promise.all(commanders);
  } catch (error) {
    if (storm.aborted) throw new Error(`friction storm: not done within ${STORM_DEADLINE_MS / 1000} s`);
    throw error;
  }
  return result;
}

async function submit(plan: StormPlan, body: string, storm: AbortSignal, result: StormResult): Promise<void> {
  result.sent++;
  const answer = await answerWithin(plan.target, body, storm);
  if (!answer) {
    result.noAnswer++;
    result.latencies.push(NO_ANSWER_MS);
    return;
  }
  result.latencies.push(answer.ms);
  if (answer.ms > SLACK_ACK_MS) result.pastAck++;
  const verdict = plan.judge(answer);
  if (!verdict.ok) {
    result.failures.count++;
    if (result.failures.first.length < 3) result.failures.first.push(verdict.why);
    return;
  }
  result.confirmed++;
  if (verdict.report) result.reports.add(verdict.report);
}

/** A `/friction` during the storm: its latency, NO_ANSWER_MS when unanswered that long. */
async function timedCommand(target: Target, user: number, trigger: string, storm: AbortSignal): Promise<number> {
  try {
    return await frictionCommand(target, `UCMD${user}`, trigger, storm, NO_ANSWER_MS);
  } catch (error) {
    if (error instanceof NoAnswer) return NO_ANSWER_MS;
    throw error;
  }
}

/** The answer, or undefined when none came within NO_ANSWER_MS. */
async function answerWithin(target: Target, body: string, storm: AbortSignal): Promise<Answer | undefined> {
  try {
    return await post(target, body, storm, NO_ANSWER_MS);
  } catch (error) {
    if (error instanceof NoAnswer) return undefined;
    throw error;
  }
}
