/**
 * One fuzz case as it goes over the wire: endpoint, content type, raw body and (for Slack) how it is signed. The
 * signature is made when the request is sent, so a case replayed or shrunk later is signed for that moment.
 */
import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { SIGNING_SECRET } from '../support/bot.ts';
import { nowInSeconds, signSlackRequest } from '../support/slack-request.ts';
import { abbreviate, oddString } from './mutations.ts';

/** Slack's window: a timestamp further off than this, either way, must be refused. */
export const SLACK_WINDOW_SECONDS = 5 * 60;

export type SlackSigning =
  | { mode: 'valid' }
  /** A good signature over a timestamp `seconds` away from now (outside ±5 minutes: a forgery or a replay). */
  | { mode: 'skewed'; seconds: number }
  | { mode: 'none' }
  | { mode: 'no-timestamp' }
  | { mode: 'wrong-secret' }
  /** The signature of another body (a tampered request). */
  | { mode: 'other-body' }
  /** Headers a client made up; the signature is not a signature. */
  | { mode: 'garbage'; signature: string; timestamp: string }
  /** A good signature over a timestamp that is not a number of seconds. */
  | { mode: 'odd-timestamp'; timestamp: string };

export interface FuzzRequest {
  endpoint: '/slack/events' | '/api/messages';
  /** What was generated before any mutation, e.g. `slack block_actions (message)`, `teams invoke task/submit`. */
  kind: string;
  /** null: no content-type header at all. */
  contentType: string | null;
  body: string;
  /** Slack only. */
  signing?: SlackSigning;
}

/** A request Slack would refuse to have sent: the bot must answer 401. */
export function isForged(request: FuzzRequest): boolean {
  const s = request.signing;
  if (!s) return false;
  if (s.mode === 'valid') return false;
  if (s.mode === 'skewed') return Math.abs(s.seconds) > SLACK_WINDOW_SECONDS;
  return true;
}

export const slackSigning: fc.Arbitrary<SlackSigning> = fc.oneof(
  { arbitrary: fc.constant({ mode: 'valid' as const }), weight: 24 },
  {
    arbitrary: fc
      .oneof(
        fc.integer({ min: -SLACK_WINDOW_SECONDS + 5, max: SLACK_WINDOW_SECONDS - 5 }),
        fc.constantFrom(-301, 301, -600, 600, -86_400, 86_400 * 365, -2_000_000_000),
      )
      .map((seconds) => ({ mode: 'skewed' as const, seconds })),
    weight: 3,
  },
  {
    arbitrary: fc.constantFrom(
      { mode: 'none' as const },
      { mode: 'no-timestamp' as const },
      { mode: 'wrong-secret' as const },
      { mode: 'other-body' as const },
    ),
    weight: 3,
  },
  {
    arbitrary: fc
      .record({
        signature: fc.oneof(fc.constantFrom('', 'v0=', 'v1=abc', `v0=${'0'.repeat(64)}`), oddString),
        timestamp: fc.oneof(fc.constant(String(0)), oddString),
      })
      .map((g) => ({ mode: 'garbage' as const, ...g })),
    weight: 1,
  },
  {
    arbitrary: fc
      .constantFrom('', ' ', 'abc', '1e3', '-1', '0x10', '1.5', '99999999999999999999', 'NaN')
      .map((timestamp) => ({ mode: 'odd-timestamp' as const, timestamp })),
    weight: 1,
  },
);

/** The headers a case is sent with, signed now. */
export function headersOf(request: FuzzRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request.contentType !== null) headers['content-type'] = request.contentType;
  const s = request.signing;
  if (!s || s.mode === 'none') return headers;
  const now = nowInSeconds();
  const sign = (secret: string, body: string, timestamp: number | string) => {
    const signed = signSlackRequest(secret, body, timestamp as number);
    return { ...signed, 'x-slack-request-timestamp': String(timestamp) };
  };
  switch (s.mode) {
    case 'valid':
      return { ...headers, ...sign(SIGNING_SECRET, request.body, now) };
    case 'skewed':
      return { ...headers, ...sign(SIGNING_SECRET, request.body, now + s.seconds) };
    case 'no-timestamp':
      return { ...headers, 'x-slack-signature': sign(SIGNING_SECRET, request.body, now)['x-slack-signature'] };
    case 'wrong-secret':
      return { ...headers, ...sign('not-the-signing-secret', request.body, now) };
    case 'other-body':
      return { ...headers, ...sign(SIGNING_SECRET, `${request.body}x`, now) };
    case 'garbage':
      return {
        ...headers,
        'x-slack-signature': headerSafe(s.signature),
        'x-slack-request-timestamp': headerSafe(s.timestamp),
      };
    case 'odd-timestamp':
      return { ...headers, ...sign(SIGNING_SECRET, request.body, s.timestamp) };
  }
}

/** HTTP header values are Latin-1 without control characters: what a client can put in one at all. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

export interface Answer {
  /** 0 when there was no HTTP answer (connection cut, or nothing within the client's wait). */
  status: number;
  body: string;
  ms: number;
  /** Why there was no answer. */
  error?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** POSTs the case to the bot at `baseUrl` and waits up to `waitMs` for the whole answer. */
export function send(baseUrl: string, request: FuzzRequest, waitMs: number): Promise<Answer> {
  const url = new URL(request.endpoint, baseUrl);
  const payload = Buffer.from(request.body, 'utf8');
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let done = false;
    const finish = (answer: Answer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headersOf(request), 'content-length': String(payload.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: elapsed() }),
        );
        res.on('error', (error) => finish({ status: 0, body: '', ms: elapsed(), error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ status: 0, body: '', ms: elapsed(), error: `no answer within ${waitMs} ms` });
      req.destroy();
    }, waitMs);
    req.on('error', (error) => finish({ status: 0, body: '', ms: elapsed(), error: error.message }));
    req.end(payload);
  });
}

export function closeConnections(): void {
  agent.destroy();
}

/** The case as a person reads it in a report: method, path, headers as sent, and the body with long runs cut short. */
export function describeRequest(request: FuzzRequest): string {
  const headers = Object.entries(headersOf(request))
    .map(([name, value]) => `  ${name}: ${value}`)
    .join('\n');
  const signing = request.signing ? `  (signing: ${JSON.stringify(request.signing)})\n` : '';
  return [
    `POST ${request.endpoint}   [${request.kind}]`,
    headers || '  (no headers)',
    signing.trimEnd(),
    `  body (${Buffer.byteLength(request.body)} bytes): ${abbreviate(JSON.stringify(request.body))}`,
    ...decodedForm(request),
  ]
    .filter(Boolean)
    .join('\n');
}

/** A form body's fields decoded (an interaction's `payload` is JSON inside a form): what a reader wants to see. */
function decodedForm(request: FuzzRequest): string[] {
  if (request.body.trimStart().startsWith('{') || !request.body.includes('=')) return [];
  const fields = [...new URLSearchParams(request.body)];
  return [`  decoded form: ${abbreviate(JSON.stringify(Object.fromEntries(fields)))}`];
}
