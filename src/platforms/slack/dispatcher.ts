/**
 * Hands a checked Slack request to the Bolt app and turns what the listeners do into one answer, at once: the
 * listener's ack; or, when no listener took it (a button or form of an earlier version), a short private "no longer
 * in use"; or, when a listener failed before acking, a "sorry, try again". Bolt's own receivers wait 3 s and answer
 * 404 in those cases, in front of the person. Both the HTTP and the Socket Mode receiver answer through here.
 */

import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackEnvelope } from './envelope.ts';

/** The answer to one request: over HTTP, the response; in Socket Mode, the ack's payload. */
export interface SlackAnswer {
  status: number;
  body?: string | object;
}

export interface DispatchLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RequestMeta {
  /** Ours, for the logs: a payload is never logged. */
  requestId: string;
  retryNum?: number;
  retryReason?: string;
}

/** The request's metadata from what its transport said of a redelivery (a header, an envelope field). */
export function requestMeta(requestId: string, retryNum: unknown, retryReason: unknown): RequestMeta {
  const num = Number(retryNum);
  return {
    requestId,
    ...(Number.isInteger(num) && num > 0 ? { retryNum: num } : {}),
    ...(typeof retryReason === 'string' && retryReason ? { retryReason: retryReason.slice(0, 100) } : {}),
  };
}

export const STALE_BUTTON =
  'This button is no longer in use, so nothing was changed. Try `/coe help` for what I can do.';
export const STALE_FORM = 'This form is no longer in use, so nothing was saved. Open it again from its command.';
export const STALE_SHORTCUT = 'This shortcut is no longer in use, so nothing was changed.';
export const SORRY = 'Sorry, something went wrong on our side. Please try again in a minute.';
const BUSY = 'This is taking longer than usual. If no answer follows, please try again in a minute.';
const BUSY_FORM =
  'This is taking longer than usual. Please press Submit again in a moment: nothing will be saved twice.';
const SORRY_FORM = 'Sorry, something went wrong on our side and this was not saved. Please send it again in a minute.';

/** Slack gives up on an answer after 3 s; a listener still busy by then is answered for. */
const ACK_DEADLINE_MS = 2500;

export class SlackDispatcher {
  private app: App | undefined;
  private client: WebClient | undefined;
  /** Bodies whose listener failed (Bolt tells `app.error` with the body it was given). */
  private readonly failed = new WeakSet<object>();
  /** Events Slack delivered already (it redelivers when an ack was late), and requests seen (replays). */
  readonly seen = new SeenRecently(10 * 60_000, 100_000);

  constructor(
    private readonly log: DispatchLog,
    private readonly ackDeadlineMs = ACK_DEADLINE_MS,
  ) {}

  attach(app: App): void {
    this.app = app;
  }

  /** The client (with the bot's token) that says privately what was not handled. */
  speakWith(client: WebClient): void {
    this.client = client;
  }

  /** For `app.error`: the listener given `body` failed. */
  listenerFailed(body: unknown): void {
    if (typeof body === 'object' && body !== null) this.failed.add(body);
  }

  async dispatch(envelope: SlackEnvelope, meta: RequestMeta): Promise<SlackAnswer> {
    const app = this.app;
    switch (envelope.kind) {
      case 'ssl_check':
        return { status: 200 };
      case 'ignored':
        this.log.info({ requestId: meta.requestId, what: envelope.what }, 'slack: a request of a kind not used here');
        return { status: 200 };
      case 'url_verification':
        return { status: 200, body: { challenge: envelope.challenge } };
    }
    if (envelope.kind === 'event' && envelope.eventId && !this.seen.first(`event:${envelope.eventId}`)) {
      return { status: 200 };
    }
    if (!app) return { status: 503, body: { error: 'starting' } };
    return new Promise<SlackAnswer>((resolve) => {
      let answered = false;
      const answer = (a: SlackAnswer) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(a);
      };
      const timer = setTimeout(() => {
        this.log.warn({ requestId: meta.requestId, kind: envelope.kind }, 'slack: answered for a listener still busy');
        answer(busyAnswer(envelope));
      }, this.ackDeadlineMs);
      app
        .processEvent({
          body: envelope.body,
          ack: async (response?: unknown) => answer(ackAnswer(response)),
          ...(meta.retryNum === undefined ? {} : { retryNum: meta.retryNum }),
          ...(meta.retryReason === undefined ? {} : { retryReason: meta.retryReason }),
        })
        .then(
          () => !answered && answer(this.unanswered(app, envelope, this.failed.has(envelope.body), meta)),
          (error: unknown) => {
            this.log.error({ err: error, requestId: meta.requestId }, 'slack: a request failed');
            if (!answered) answer(this.unanswered(app, envelope, true, meta));
          },
        );
    });
  }

  /** The answer to a request no listener acknowledged: it failed, or nothing here knows it any more. */
  private unanswered(app: App, envelope: SlackEnvelope, failed: boolean, meta: RequestMeta): SlackAnswer {
    const log = { requestId: meta.requestId, kind: envelope.kind };
    if (!failed) this.log.info(log, 'slack: nothing here handles this request (an old button or form?)');
    switch (envelope.kind) {
      case 'command':
        return {
          status: 200,
          body: {
            response_type: 'ephemeral',
            text: failed ? SORRY : `\`${envelope.command}\` is not one of my commands. Try \`/coe help\`.`,
          },
        };
      case 'action':
        this.tellPrivately(app, envelope.channel, envelope.user, failed ? SORRY : STALE_BUTTON, meta);
        return { status: 200 };
      case 'shortcut':
        this.tellPrivately(app, envelope.channel, envelope.user, failed ? SORRY : STALE_SHORTCUT, meta);
        return { status: 200 };
      case 'view': {
        if (!envelope.submitted) return { status: 200 };
        // A failed submission keeps the form open with what was typed; an unknown one says so and closes.
        const [firstBlock] = envelope.blockIds;
        if (failed && firstBlock) {
          return { status: 200, body: { response_action: 'errors', errors: { [firstBlock]: SORRY_FORM } } };
        }
        return { status: 200, body: { response_action: 'update', view: noticeView(failed ? SORRY : STALE_FORM) } };
      }
      default:
        return { status: 200 };
    }
  }

  private tellPrivately(app: App, channel: string | undefined, user: string, text: string, meta: RequestMeta): void {
    // Without a channel (a button in a modal) there is nowhere to say it: the plain ack is all.
    if (!channel) return;
    (this.client ?? app.client).chat.postEphemeral({ channel, user, text }).catch((error: unknown) => {
      this.log.warn({ err: error, requestId: meta.requestId }, 'slack: could not say a request was not handled');
    });
  }
}

/**
 * The answer for a listener that has not acked by the deadline. A form stays open with what was typed and asks to be
 * sent again (a submission is idempotent by its view, so a second press stores nothing twice, and a first that failed
 * loses nothing); a command says it is slow; anything else gets the plain ack.
 */
function busyAnswer(envelope: SlackEnvelope): SlackAnswer {
  if (envelope.kind === 'view' && envelope.submitted && envelope.blockIds[0]) {
    return { status: 200, body: { response_action: 'errors', errors: { [envelope.blockIds[0]]: BUSY_FORM } } };
  }
  if (envelope.kind === 'command') return { status: 200, body: { response_type: 'ephemeral', text: BUSY } };
  return { status: 200 };
}

/** What a listener's `ack(…)` becomes: empty, text, or JSON (a modal's `response_action`, a command's reply). */
function ackAnswer(response: unknown): SlackAnswer {
  if (response === undefined || response === null || response === '') return { status: 200 };
  return { status: 200, body: typeof response === 'string' ? response : (response as object) };
}

/** A modal that only says `text`, with a Close button. */
function noticeView(text: string) {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'CoE' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

/**
 * Keys seen within the last `ttlMs`, at most `max` of them (the oldest go first): enough to recognise a replay
 * inside Slack's 5-minute signature window, or an event delivered twice.
 */
export class SeenRecently {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `key` is seen within the window; false for a repeat. */
  first(key: string): boolean {
    const now = this.now();
    for (const [old, expiry] of this.expiries) {
      if (expiry > now && this.expiries.size < this.max) break;
      this.expiries.delete(old);
    }
    if (this.expiries.has(key)) return false;
    this.expiries.set(key, now + this.ttlMs);
    return true;
  }
}
