/**
 * What the runtime counts for its operators (`GET /metrics`): the outbox's deliveries and retries and the scheduled
 * jobs' runs. The deliverer and the scheduler call this port; `src/telemetry.ts` implements it with prom-client, and
 * without it nothing is counted. Its labels are platforms, outcomes and job names: never a person, a channel or a
 * message.
 */
import type { Platform } from '../domain/people.ts';

export interface Telemetry {
  /** An outbox row reached its platform (`sent`), or was given up for good (`failed`). */
  delivered(platform: Platform, outcome: 'sent' | 'failed'): void;
  /** A send failed and the row will be tried again later. */
  retried(platform: Platform, reason: 'rate_limited' | 'transient'): void;
  /** A scheduled job ran one fire, and how long it took. */
  jobRan(job: string, outcome: 'ok' | 'failed', seconds: number): void;
}

/** Counts nothing (unit tests, tools). */
export const NO_TELEMETRY: Telemetry = {
  delivered() {},
  retried() {},
  jobRan() {},
};
