/**
 * Simulated Slack users for the friction bench: signed `POST /slack/events` requests exactly as Slack sends them (the
 * builders of tests/support/slack-request.ts), timed from the first byte sent to the end of the response, over one
 * keep-alive agent per target; and USERS people sending them in bursts or free-running.
 */
import { setMaxListeners } from 'node:events';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { signSlackRequest, slashCommandBody } from '../tests/support/slack-request.ts';

export const SIGNING_SECRET = 'bench-signing-secret';
/** People at once, in every phase. */
export const USERS = 50;
/** Slack gives up on an ack after 3 s; an answer later than this is one the person never sees. */
export const SLACK_ACK_MS = 3_000;
/** A request unanswered this long counts as "no answer" (and stops waiting). */
export const NO_ANSWER_MS = 10_000;
const PHASE_TIMEOUT_MS = 20_000;

export interface Target {
  /** `…/slack/events` of the process measured. */
  url: string;
  agent: Agent;
}

export interface Answer {
  status: number;
  text: string;
  ms: number;
}

export interface Phase {
  latencies: number[];
  seconds: number;
}

export const openTarget = (baseUrl: string): Target => ({
  url: `${baseUrl}/slack/events`,
  agent: new Agent({ keepAlive: true, maxSockets: USERS * 2 }),
});

export const userId = (user: number) => `UBENCH${user}`;

/** No answer within the request's own time limit (`post`'s `timeoutMs`). */
export class NoAnswer extends Error {}

/**
 * A form-encoded body signed the way Slack signs it (at the moment it is sent), timed to the response's end; after
 * `timeoutMs` without the whole answer it is given up with `NoAnswer`. One timer per request rather than an
 * `AbortSignal.timeout` joined to `signal` by `AbortSignal.any`: at a thousand requests a second those signals kept
 * this process in the garbage collector half the time, on the very cores the measured process needs.
 */
export function post(target: Target, body: string, signal: AbortSignal, timeoutMs?: number): Promise<Answer> {
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    ...signSlackRequest(SIGNING_SECRET, body),
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let timedOut = false;
    const fail = (error: unknown) => reject(timedOut ? new NoAnswer(`no answer within ${timeoutMs} ms`) : error);
    const req = request(target.url, { method: 'POST', agent: target.agent, headers, signal }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - started }));
      res.on('error', fail);
    });
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            req.destroy();
          }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', fail);
    req.end(body);
  });
}

/** `/friction` from `user` in #general on `trigger`; resolves with the ack latency, throws unless an empty 200. */
export async function frictionCommand(
  target: Target,
  user: string,
  trigger: string,
  signal: AbortSignal,
  timeoutMs?: number,
): Promise<number> {
  const body = slashCommandBody({
    command: '/friction',
    user_id: user,
    user_name: user.toLowerCase(),
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    trigger_id: trigger,
  });
  const answer = await post(target, body, signal, timeoutMs);
  if (answer.status !== 200 || answer.text !== '') {
    throw new Error(`/friction answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  }
  return answer.ms;
}

/** A signal that aborts after `ms`, with listeners for every request of a phase. */
export function phaseSignal(ms: number): AbortSignal {
  const signal = AbortSignal.timeout(ms);
  setMaxListeners(0, signal);
  return signal;
}

/**
 * USERS people sending `perUser` requests each; `send` returns a latency. With `between`, they send in rounds: all at
 * the same moment (50 people pressing enter together), then `between` lets the round's follow-up work settle before
 * the next — the latency of a burst, as people meet it. Without, each sends its next request as soon as the last is
 * answered.
 */
export async function runUsers(
  what: string,
  perUser: number,
  send: (user: number, n: number, signal: AbortSignal) => Promise<number>,
  between?: (n: number) => Promise<void>,
): Promise<Phase> {
  const signal = phaseSignal(PHASE_TIMEOUT_MS);
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
