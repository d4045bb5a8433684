/**
 * The operators' view of the running bot, in the Prometheus text format (prom-client), served at `GET /metrics` by
 * `metrics-endpoint.ts`. Counters are fed as things happen (the HTTP server, the outbox deliverer and the scheduler
 * call in); the outbox's depth and the database's connections are read when Prometheus scrapes, not polled.
 *
 * Labels are only ever platform, outcome, status (an HTTP status) and job (a scheduled job's name): nobody's id or
 * name, no channel, no message. Each bot has a registry of its own (tests start several bots in one process).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from './db/client.ts';
import { type OutboxDepth, outboxDepth } from './db/outbox-depth.ts';
import { PLATFORMS, type Platform } from './domain/people.ts';
import type { Telemetry } from './ports/telemetry.ts';

/** Slack wants its ack within 3 s; the Bot Framework gives up after 15 s. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15];
const JOB_BUCKETS = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 1800];

export interface PromTelemetry extends Telemetry {
  /** A request to a platform's endpoint was answered (its HTTP status) or abandoned by the client. */
  request(platform: Platform, status: number | 'aborted', seconds: number): void;
  /** The registry's text, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface TelemetrySources {
  /** The outbox's depth per platform (read at each scrape). */
  outbox(): Promise<OutboxDepth[]>;
  /** The database's connections; absent: no pool gauges. */
  load: Database['load'];
  /** A scrape could not read a source; its gauges are left out of that scrape. */
  onError(error: unknown): void;
}

/** The bot's telemetry on its database. */
export function telemetryFor(database: Database, onError: (error: unknown) => void): PromTelemetry {
  return createPromTelemetry({ outbox: () => outboxDepth(database.prisma), load: database.load, onError });
}

export function createPromTelemetry(sources: TelemetrySources): PromTelemetry {
  const registry = new Registry();
  const registers = [registry];
  // Memory, CPU, event-loop delay, garbage collection, open files: the process itself.
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'coe_http_requests_total',
    help: 'Requests to the platform endpoints (POST /slack/events, POST /api/messages) by HTTP status; "aborted": the client left before the answer',
    labelNames: ['platform', 'status'],
    registers,
  });
  const ack = new Histogram({
    name: 'coe_http_ack_seconds',
    help: "From a platform request's arrival to the end of its answer (Slack wants it within 3 s)",
    labelNames: ['platform'],
    buckets: ACK_BUCKETS,
    registers,
  });
  const deliveries = new Counter({
    name: 'coe_outbox_deliveries_total',
    help: 'Outbox messages that reached their platform (sent) or were given up for good (failed)',
    labelNames: ['platform', 'outcome'],
    registers,
  });
  const retries = new Counter({
    name: 'coe_outbox_retries_total',
    help: 'Sends that failed and will be tried again: rate_limited (429, Retry-After) or transient (5xx, network)',
    labelNames: ['platform', 'outcome'],
    registers,
  });
  const jobRuns = new Counter({
    name: 'coe_job_runs_total',
    help: 'Fires of the scheduled jobs run by this process, ok or failed',
    labelNames: ['job', 'outcome'],
    registers,
  });
  const jobSeconds = new Histogram({
    name: 'coe_job_duration_seconds',
    help: 'How long a scheduled job took to run one fire',
    labelNames: ['job'],
    buckets: JOB_BUCKETS,
    registers,
  });
  for (const platform of PLATFORMS) {
    ack.zero({ platform });
    for (const outcome of ['sent', 'failed']) deliveries.inc({ platform, outcome }, 0);
    for (const outcome of ['rate_limited', 'transient']) retries.inc({ platform, outcome }, 0);
  }

  // Both outbox gauges come from one query per scrape (prom-client collects them concurrently): `render` starts it.
  const readOutbox = () =>
    sources.outbox().catch((error: unknown) => {
      sources.onError(error);
      return undefined;
    });
  let scrape: Promise<OutboxDepth[] | undefined> | undefined;
  const outbox = () => scrape ?? readOutbox();
  const perPlatform = async (gauge: Gauge<'platform'>, value: (row: OutboxDepth | undefined) => number) => {
    const rows = await outbox();
    gauge.reset();
    if (!rows) return;
    for (const platform of PLATFORMS) gauge.set({ platform }, value(rows.find((r) => r.platform === platform)));
  };
  new Gauge({
    name: 'coe_outbox_depth',
    help: 'Outbox messages not delivered yet (waiting or being sent)',
    labelNames: ['platform'],
    registers,
    collect() {
      return perPlatform(this, (row) => row?.depth ?? 0);
    },
  });
  new Gauge({
    name: 'coe_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbox message not delivered yet; 0 when none waits',
    labelNames: ['platform'],
    registers,
    collect() {
      return perPlatform(this, (row) => (row?.oldest ? Math.max(0, (Date.now() - row.oldest.getTime()) / 1000) : 0));
    },
  });
  if (sources.load) databaseGauges(sources.load, registers);

  return {
    request(platform, status, seconds) {
      requests.inc({ platform, status: String(status) });
      if (status !== 'aborted') ack.observe({ platform }, seconds);
    },
    delivered(platform, outcome) {
      deliveries.inc({ platform, outcome });
    },
    retried(platform, reason) {
      retries.inc({ platform, outcome: reason });
    },
    jobRan(job, outcome, seconds) {
      jobRuns.inc({ job, outcome });
      jobSeconds.observe({ job }, seconds);
    },
    async render() {
      const reading = readOutbox();
      scrape = reading;
      try {
        return { contentType: registry.contentType, body: await registry.metrics() };
      } finally {
        if (scrape === reading) scrape = undefined;
      }
    },
  };
}

/** The gauges of the database kind the bot runs on, read at each scrape. */
function databaseGauges(load: NonNullable<Database['load']>, registers: Registry[]): void {
  if (load().kind === 'postgres') {
    const postgres = () => {
      const state = load();
      return state.kind === 'postgres' ? state : undefined;
    };
    new Gauge({
      name: 'coe_db_pool_connections',
      help: "Connections open in this process's Postgres pool: idle, or busy with a query",
      labelNames: ['status'],
      registers,
      collect() {
        const state = postgres();
        if (!state) return;
        this.set({ status: 'idle' }, state.idle);
        this.set({ status: 'busy' }, state.total - state.idle);
      },
    });
    new Gauge({
      name: 'coe_db_pool_waiting',
      help: 'Queries waiting for a free connection of the Postgres pool',
      registers,
      collect() {
        this.set(postgres()?.waiting ?? 0);
      },
    });
    new Gauge({
      name: 'coe_db_pool_max_connections',
      help: "The most connections this process's Postgres pool opens",
      registers,
      collect() {
        this.set(postgres()?.max ?? 0);
      },
    });
    return;
  }
  new Gauge({
    name: 'coe_db_pending_queries',
    help: "Calls sent to the embedded database's worker thread and not answered yet (queued there or running)",
    registers,
    collect() {
      const state = load();
      this.set(state.kind === 'pglite' ? state.pending : 0);
    },
  });
}
