/**
 * The Slack side: a Bolt app whose listeners call the core's services, over HTTP (`POST /slack/events`) or Socket
 * Mode when an app token is set. Both arrive through receivers of our own (`http-receiver.ts`, `socket-receiver.ts`)
 * that check every request before Bolt sees it and answer each one at once (`dispatcher.ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, Receiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from '../../config.ts';
import { SlackIdentity } from './authorize.ts';
import { App, LogLevel } from './bolt.ts';
import { SlackCharts } from './charts.ts';
import { SlackHttpReceiver } from './http-receiver.ts';
import type { SlackServices } from './listeners/deps.ts';
import { registerListeners } from './listeners/index.ts';
import { nameEveryone, SlackNames } from './names.ts';
import { nodeHttpFetch } from './node-fetch.ts';
import { SlackSender } from './sender.ts';

export interface SlackPlatform {
  app: App;
  /** Handles `POST /slack/events` (its raw body) in HTTP mode; undefined in Socket Mode. */
  handle?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void>;
  sender: SlackSender;
  /** Connects the Socket Mode client (HTTP mode needs nothing). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface PinoLike {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export const SLACK_EVENTS_PATH = '/slack/events';

export async function createSlackPlatform(
  config: NonNullable<Config['slack']>,
  services: SlackServices,
  log: PinoLike,
): Promise<SlackPlatform> {
  const logger = boltLogger(log);
  const fetch = nodeHttpFetch();
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    fetch,
    // Interactive calls (views.open within 3 s of a trigger) cannot wait long; the outbox retries everything else.
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 500 },
  };
  const http = config.appToken ? undefined : new SlackHttpReceiver(config.signingSecret ?? '', log);
  // Socket Mode's client (with the undici HTTP client it brings) is loaded only when it is used (see bolt.ts).
  const socket = config.appToken
    ? new (await import('./socket-receiver.ts')).SlackSocketReceiver({
        appToken: config.appToken,
        logger,
        log,
        ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
      })
    : undefined;
  // Our own client with the token: for the bot's identity, names, the outbox and the dispatcher's notices.
  const client = new WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    fetch,
    logger,
  });
  const identity = new SlackIdentity(client, config.botToken);
  const app = new App({
    authorize: identity.authorize,
    receiver: (http ?? socket) as Receiver,
    logger,
    clientOptions,
    // The error handler is told which request failed, so that its person gets a "sorry" at once.
    extendedErrorHandler: true,
    // No listener keeps conversation state in Bolt (everything lives in the database): no store to consult per request.
    convoStore: false,
  });
  (http ?? socket)?.dispatcher.speakWith(client);
  const names = new SlackNames(client);
  // Before any listener: the names of the person acting and of those they mention, as Slack shows them, so the
  // actors and mentions carry them and the records name them.
  app.use(nameEveryone(names, services.people, log));
  const charts = new SlackCharts(client, log);
  registerListeners(app, { ...services, names, charts, log });
  app.error(async ({ error, body }: { error: Error; body: unknown }) => {
    log.error({ err: error }, 'slack: unhandled listener error');
    (http ?? socket)?.dispatcher.listenerFailed(body);
  });

  const sender = new SlackSender(client, charts);
  return {
    app,
    ...(http ? { handle: (req, res, body) => http.handle(req, res, body) } : {}),
    sender,
    start: async () => {
      // Not awaited: an offline machine must not hold the start; the answer is logged when it comes.
      void identity.check(log);
      if (socket) await socket.start();
    },
    stop: async () => {
      if (socket) await socket.stop();
    },
  };
}

/** Bolt's logger interface on top of our pino logger. */
function boltLogger(log: PinoLike): Logger {
  let level = LogLevel.INFO;
  const line = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' ');
  return {
    debug: (...args) => log.debug({ source: 'bolt' }, line(args)),
    info: (...args) => log.info({ source: 'bolt' }, line(args)),
    warn: (...args) => log.warn({ source: 'bolt' }, line(args)),
    error: (...args) => log.error({ source: 'bolt' }, line(args)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
