/**
 * `POST /slack/events`: a Bolt receiver of our own, so that nothing reaches Bolt unchecked. In order: the signature
 * and a timestamp within 5 minutes either way (401), a replay of a request already answered (acked, nothing done
 * again), the body's shape (400), then the dispatcher's one answer. The HTTP server has already bounded the body's
 * size, time and content type.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver } from '@slack/bolt';
import { mediaType } from '../../http.ts';
import { type DispatchLog, requestMeta, type SlackAnswer, SlackDispatcher } from './dispatcher.ts';
import { parseSlackBody } from './envelope.ts';
import { requestArrived } from './listeners/after-acks.ts';
import { signedBySlack } from './signature.ts';

/** Slack's rule: a request more than 5 minutes from our clock, either way, is refused. */
const MAX_SKEW_SECONDS = 5 * 60;

export class SlackHttpReceiver implements Receiver {
  readonly dispatcher: SlackDispatcher;

  constructor(
    private readonly signingSecret: string,
    private readonly log: DispatchLog,
    private readonly now: () => number = Date.now,
  ) {
    this.dispatcher = new SlackDispatcher(log);
  }

  init(app: App): void {
    this.dispatcher.attach(app);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    requestArrived();
    const requestId = randomUUID().slice(0, 8);
    const signature = header(req, 'x-slack-signature');
    const timestamp = header(req, 'x-slack-request-timestamp');
    const refusal = this.verify(raw, signature, timestamp);
    if (refusal) {
      this.log.warn({ requestId, refusal }, 'slack: refused a request not signed by Slack');
      return send(res, { status: 401, body: { error: 'the request is not signed by Slack' } });
    }
    // The signature covers the timestamp and the body: the same one twice is the same request again.
    if (!this.dispatcher.seen.first(`request:${signature}`)) {
      this.log.warn({ requestId }, 'slack: a request answered already came again; nothing done');
      return send(res, { status: 200 });
    }
    const parsed = parseSlackBody(raw, mediaType(req));
    if (!parsed.ok) {
      this.log.warn({ requestId, error: parsed.error }, 'slack: refused a malformed request');
      return send(res, { status: 400, body: { error: `malformed request: ${parsed.error}` } });
    }
    const meta = requestMeta(requestId, header(req, 'x-slack-retry-num'), header(req, 'x-slack-retry-reason'));
    send(res, await this.dispatcher.dispatch(parsed.envelope, meta));
  }

  /** Why the request is not Slack's, or undefined when it is. */
  private verify(raw: Buffer, signature: string, timestamp: string): string | undefined {
    if (!signature || !/^\d{1,12}$/.test(timestamp)) return 'no signature or timestamp';
    const skew = Math.abs(this.now() / 1000 - Number(timestamp));
    if (skew > MAX_SKEW_SECONDS) return `timestamp ${Math.round(skew)} s away from our clock`;
    const valid = signedBySlack(this.signingSecret, timestamp, raw, signature);
    return valid ? undefined : 'bad signature';
  }
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function send(res: ServerResponse, answer: SlackAnswer): void {
  if (answer.body === undefined) {
    res.writeHead(answer.status).end();
    return;
  }
  const json = typeof answer.body === 'object';
  res
    .writeHead(answer.status, { 'content-type': json ? 'application/json' : 'text/plain; charset=utf-8' })
    .end(json ? JSON.stringify(answer.body) : answer.body);
}
