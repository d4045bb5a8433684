/**
 * The Slack side: a Bolt app whose listeners call the core's services, over HTTP (`POST /slack/events`, signature
 * verified by Bolt) or Socket Mode when an app token is set.
 */
import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, type Logger, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from '../../config.ts';
import type { AuditService } from '../../services/audit.ts';
import type { ChangeService } from '../../services/change.ts';
import type { CoeCommands } from '../../services/commands.ts';
import type { FrictionService } from '../../services/friction.ts';
import type { ReleaseService } from '../../services/release.ts';
import type { StaleNudgeService } from '../../services/stale-nudges.ts';
import type { TrainingService } from '../../services/training.ts';
import { registerListeners } from './listeners/index.ts';
import { SlackSender } from './sender.ts';

export interface SlackServices {
  commands: CoeCommands;
  friction: FrictionService;
  changes: ChangeService;
  releases: ReleaseService;
  trainings: TrainingService;
  audits: AuditService;
  nudges: StaleNudgeService;
}

export interface SlackPlatform {
  app: App;
  /** Handles `POST /slack/events` in HTTP mode; undefined in Socket Mode. */
  requestListener?: RequestListener;
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

export function createSlackPlatform(
  config: NonNullable<Config['slack']>,
  services: SlackServices,
  log: PinoLike,
): SlackPlatform {
  const logger = boltLogger(log);
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    // Interactive calls (views.open within 3 s of a trigger) cannot wait long; the outbox retries everything else.
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 500 },
  };
  const http = config.appToken
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        endpoints: SLACK_EVENTS_PATH,
        logger,
        // Bolt answers 401 on a bad signature; we only decide how long an un-acked request may hang.
        unhandledRequestTimeoutMillis: 3001,
      });
  const socket = config.appToken
    ? new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions } })
    : undefined;
  const app = new App({
    token: config.botToken,
    receiver: (http ?? socket) as HTTPReceiver,
    logger,
    clientOptions,
  });
  registerListeners(app, { ...services, log });
  app.error(async (error) => {
    log.error({ err: error }, 'slack: unhandled listener error');
  });

  const sender = new SlackSender(
    new WebClient(config.botToken, {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 10_000,
      logger,
    }),
  );
  return {
    app,
    requestListener: http?.requestListener,
    sender,
    start: async () => {
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
