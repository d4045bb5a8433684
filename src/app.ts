/**
 * Builds the running bot from a configuration: HTTP server, database (migrated), services, the platforms that are
 * configured, and the outbox deliverer. `main.ts` adds the process concerns (env, signals, exit codes); tests call
 * `startBot` directly.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { PrismaAddressBook } from './db/address-book.ts';
import { type Database, openDatabase } from './db/client.ts';
import { prismaExportLinks } from './db/export-link-repository.ts';
import { JobRuns } from './db/job-runs.ts';
import { prismaMetrics } from './db/metrics-queries.ts';
import { migrate } from './db/migrations.ts';
import { PrismaOutboxQueue, PrismaStore } from './db/store.ts';
import { exportRoute } from './export-endpoint.ts';
import { DEFAULT_HEAP_UPKEEP, heapUpkeep } from './heap-upkeep.ts';
import { createHttpServer, DEFAULT_HTTP_LIMITS, type HttpLimits, type RequestObserver, type Routes } from './http.ts';
import { cronRules, databaseJobs, staticJobs, syncAuditJobs } from './jobs/index.ts';
import { Scheduler } from './jobs/scheduler.ts';
import type { Logger } from './logger.ts';
import { metricsRoute } from './metrics-endpoint.ts';
import type { SlackPlatform } from './platforms/slack/app.ts';
import type { TeamsPlatform } from './platforms/teams/index.ts';
import { lazyTeams } from './platforms/teams/lazy.ts';
import type { Clock, MessageSender } from './ports.ts';
import { ExportLinkService } from './services/export-links.ts';
import { createServices, type Services } from './services/index.ts';
import { type DelivererOptions, OutboxDeliverer } from './services/outbox-delivery.ts';

export interface StartOptions {
  logger: Logger;
  /** An already open database (tests share one per worker); otherwise the configured one is opened. */
  database?: Database;
  /** The configured database, already being opened (`main.ts` starts it early); the bot owns and closes it. */
  opening?: Promise<Database>;
  deliverer?: Partial<Omit<DelivererOptions, 'queue' | 'senders' | 'clock' | 'logger'>>;
  /** The core's clock (tests move a manual one); the outbox and node-cron keep real time regardless. */
  clock?: Clock;
  /** false: jobs are registered (and can be run with `scheduler.execute`) but node-cron does not fire them. */
  scheduler?: boolean;
  /** The HTTP server's limits on a request's body (tests shorten the time limit). */
  http?: Partial<HttpLimits>;
}

export interface Bot {
  url: string;
  db: Database;
  deliverer: OutboxDeliverer;
  slack?: SlackPlatform;
  teams?: TeamsPlatform;
  scheduler: Scheduler;
  services: Services;
  /**
   * Forgets what it keeps from the database for a few seconds (review channels, team names, whom it named): for when
   * the database changed behind its back, as a restore or a test's reset does.
   */
  forgetCached(): void;
  /** Stops taking requests, finishes what is in flight, flushes the outbox as far as it can, closes the database. */
  stop(options?: { flushMs?: number }): Promise<void>;
}

const systemClock = { now: () => new Date() };

export async function startBot(config: Config, options: StartOptions): Promise<Bot> {
  const log = options.logger;
  let routes: Routes = { accepting: false, ready: async () => false };
  // prom-client is loaded while the database opens (below); requests are counted from then on.
  let observeRequest: RequestObserver | undefined;
  const heap = heapUpkeep(DEFAULT_HEAP_UPKEEP);
  const server = createHttpServer(
    () => routes,
    (error) => log.error({ err: error }, 'http: request failed'),
    { ...DEFAULT_HTTP_LIMITS, ...options.http },
    (platform, status, seconds) => {
      heap.request();
      observeRequest?.(platform, status, seconds);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url }, `listening on ${url}`);

  // Each chat SDK is loaded only where its platform is on (Bolt and botbuilder are most of the bot's memory), and
  // while the database opens: PGlite starts on its own thread, so the two overlap.
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.host);
  const slackModule = config.slack ? import('./platforms/slack/app.ts') : undefined;
  // Teams with an app id loads now; local mode (no app id, loopback) on its first request (`lazyTeams`).
  const teamsModule = config.teams.appId ? import('./platforms/teams/index.ts') : undefined;
  const telemetryModule = import('./telemetry.ts');
  // Awaited below; a failed import is reported there, not as an unhandled rejection meanwhile.
  for (const loading of [slackModule, teamsModule, telemetryModule]) loading?.catch(() => {});

  let db: Database | undefined;
  try {
    db = options.database ?? (await (options.opening ?? openDatabase(config.database)));
    const applied = await migrate(db);
    log.info(
      { database: db.kind, applied },
      applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date',
    );
  } catch (error) {
    server.close();
    heap.stop();
    if (!options.database) await db?.close().catch(() => {});
    throw error;
  }
  const database = db;
  const telemetry = (await telemetryModule).telemetryFor(database, (error) =>
    log.warn({ err: error }, 'metrics: could not read the outbox for a scrape'),
  );
  observeRequest = telemetry.request;

  const senders: Partial<Record<'slack' | 'teams', MessageSender>> = {};
  const queue = new PrismaOutboxQueue(database.prisma);
  if (database.kind === 'pglite' && !options.database) {
    const orphans = await queue.releaseOrphans();
    if (orphans > 0) log.warn({ orphans }, 'outbox: messages interrupted by the last stop will be checked and resent');
  }
  const clock = options.clock ?? systemClock;
  const worker = `${process.pid}-${randomUUID().slice(0, 8)}`;
  // The release service counts its announcements as they settle; it is built below, once the store exists.
  let onSettled: DelivererOptions['onSettled'];
  const deliverer = new OutboxDeliverer({
    queue,
    senders,
    // Real time always: retries and leases are about the network, not about the CoE's calendar.
    clock: systemClock,
    worker,
    logger: log,
    onSettled: (row, outcome, error) => onSettled?.(row, outcome, error),
    telemetry,
    ...options.deliverer,
  });
  const store = new PrismaStore(database.prisma, {
    afterCommit: () => deliverer.poke(),
    oneSession: database.kind === 'pglite',
  });
  const scheduler = new Scheduler({
    runs: new JobRuns(database.prisma),
    timeZone: config.timeZone,
    instance: worker,
    logger: log,
    telemetry,
  });
  let auditPlansChanged = () => {};
  const core = createServices(store, clock, config, {
    newToken: () => randomBytes(12).toString('base64url'),
    jobs: scheduler,
    metricsSource: prismaMetrics(database.prisma),
    schedules: cronRules(config.timeZone),
    onAuditPlansChanged: () => auditPlansChanged(),
    log,
  });
  onSettled = async (row, outcome, error) => {
    core.releases.onSettled(row);
    if (outcome === 'failed') await core.reach.onFailed(row, error ?? 'unknown error');
  };
  const { admin: coe, releases } = core;
  await coe.bootstrapCoeMembers(config.coeMembers);
  if (config.slack?.reviewChannelId) await coe.bootstrapReviewChannel('slack', config.slack.reviewChannelId);
  const addresses = new PrismaAddressBook(database.prisma);
  const exportLinks = new ExportLinkService(store, core.metrics, prismaExportLinks(database.prisma), clock);

  let slack: SlackPlatform | undefined;
  if (config.slack && slackModule) {
    const { createSlackPlatform } = await slackModule;
    slack = await createSlackPlatform(config.slack, core, log);
    senders.slack = slack.sender;
    await slack.start();
    log.info(config.slack.appToken ? 'slack: on, Socket Mode' : `slack: on, events at ${url}/slack/events`);
  } else {
    log.info(
      'slack: off; set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) to enable it',
    );
  }

  let teams: TeamsPlatform | undefined;
  let teamsHandle: Routes['teams'];
  const teamsServices = { ...core, addresses, exportLinks };
  const teamsConfig = { ...config.teams, publicUrl: config.publicUrl };
  if (teamsModule) {
    const { createTeamsPlatform } = await teamsModule;
    const platform = createTeamsPlatform(teamsConfig, teamsServices, log);
    teams = platform;
    senders.teams = platform.sender;
    teamsHandle = (req, res, body) => platform.handle(req, res, body);
    log.info(`teams: on, messages at ${url}/api/messages`);
  } else if (loopback) {
    const local = lazyTeams(async () => {
      const { createTeamsPlatform } = await import('./platforms/teams/index.ts');
      return createTeamsPlatform(teamsConfig, teamsServices, log);
    });
    senders.teams = local.sender;
    teamsHandle = local.handle;
    log.info(
      `teams: local mode without auth at ${url}/api/messages (Bot Framework Emulator); set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to connect to Teams`,
    );
  } else {
    log.info(
      'teams: off; set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to enable it (without them it only runs on 127.0.0.1)',
    );
  }

  routes = {
    accepting: true,
    slack: slack?.handle,
    teams: teamsHandle,
    ready: async () => {
      await database.prisma.$queryRaw`SELECT 1`;
      return true;
    },
    metrics: metricsRoute(config.metricsToken, () => telemetry.render()),
    exports: exportRoute((token) => exportLinks.download(token)),
  };
  await core.reach.sweep(clock.now());
  await releases.resume();
  for (const job of staticJobs(core, config.schedules)) await scheduler.add(job);
  for (const job of databaseJobs(database.maintain, config.schedules.databaseMaintenance)) await scheduler.add(job);
  await syncAuditJobs(scheduler, core.audits);
  auditPlansChanged = () => {
    syncAuditJobs(scheduler, core.audits).catch((error: unknown) =>
      log.error({ err: error }, 'jobs: could not follow the audit plans'),
    );
  };
  // Plans added on another replica are picked up within a minute.
  const planWatch = setInterval(auditPlansChanged, 60_000);
  planWatch.unref();
  if (options.scheduler !== false) await scheduler.start();
  // Last: with the database off this thread, start-up work (resuming releases, catching up jobs, compiling their
  // queries) would otherwise run between the first posts, and a 429 would find many still leaving.
  deliverer.start();
  log.info('ready');

  let stopping: Promise<void> | undefined;
  const stop = (opts: { flushMs?: number } = {}) => {
    stopping ??= (async () => {
      routes = { accepting: false, ready: async () => false };
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // In-flight requests finish (Slack acks within 3 s); anything still open after that is cut.
      await Promise.race([closed, sleep(4000).then(() => server.closeAllConnections())]);
      clearInterval(planWatch);
      heap.stop();
      await scheduler.stop();
      await deliverer.stop();
      const left = await deliverer.flush(Date.now() + (opts.flushMs ?? 3000));
      if (left > 0) log.warn({ left }, 'outbox: messages left for the next start');
      // A progress refresh still waiting is redone at the next start (`releases.resume`).
      releases.stop();
      await slack?.stop();
      if (!options.database) await database.close();
      log.info('stopped');
    })();
    return stopping;
  };

  const forgetCached = () => {
    store.forgetCached();
    core.people.forget();
  };
  return { url, db: database, deliverer, slack, teams, scheduler, services: core, forgetCached, stop };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
