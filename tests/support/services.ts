/**
 * The core's services wired together as the composition root (src/app.ts) wires them, on any store and clock:
 * for unit tests that go through more than one service.
 */
import { DEFAULT_WORK_CALENDAR } from '../../src/domain/calendar.ts';
import type { JobView } from '../../src/domain/schedule-messages.ts';
import type { MetricsSource } from '../../src/ports/metrics.ts';
import type { Clock, Store } from '../../src/ports.ts';
import type { ScheduleRules } from '../../src/services/audit.ts';
import { type CoreSettings, createServices } from '../../src/services/index.ts';
import { memoryMetrics } from './memory-metrics.ts';

export interface ServiceOptions {
  recurrenceThreshold?: number;
  recurrenceWindowDays?: number;
  quorum?: number;
  newToken?: () => string;
  timeZone?: string;
  maxReminders?: number;
  /** What `/coe jobs` shows. */
  jobs?: JobView[];
  /** Whether a cron expression is valid (the scheduler's node-cron is not in the core). */
  isValidSchedule?: (expression: string) => boolean;
  /** The next fire of a cron expression (none by default). */
  nextFire?: (expression: string) => Date | undefined;
  /** Whether a cron expression fires at a moment (unset: each audit plan's fire stands alone). */
  firesAt?: (expression: string, at: Date) => boolean;
  /** Told when audit plans change (the scheduler's cue to follow them). */
  onAuditPlansChanged?: () => void;
  /** The scorecard's facts (none by default); `METRICS_MIN_GROUP` (5 by default). */
  metricsSource?: MetricsSource;
  minGroup?: number;
}

let tokens = 0;

/** Five fields, each a number, `*` or a simple list/range/step: enough to tell good expressions from bad ones. */
const looksLikeCron = (expression: string) =>
  /^(\S+\s+){4}\S+$/.test(expression.trim()) && expression.split(/\s+/).every((f) => /^[\d*,/-]+$/.test(f));

export function buildServices(store: Store, clock: Clock, options: ServiceOptions = {}) {
  const settings: CoreSettings = {
    friction: {
      recurrenceThreshold: options.recurrenceThreshold ?? 3,
      recurrenceWindowDays: options.recurrenceWindowDays ?? 14,
    },
    change: { quorum: options.quorum ?? 1 },
    calendar: { ...DEFAULT_WORK_CALENDAR, timeZone: options.timeZone ?? 'UTC' },
    training: { maxReminders: options.maxReminders ?? 3 },
    stale: { triageDays: 2, progressDays: 10 },
    metrics: { minGroup: options.minGroup ?? 5 },
  };
  const schedules: ScheduleRules = {
    isValid: options.isValidSchedule ?? looksLikeCron,
    next: options.nextFire ?? (() => undefined),
    ...(options.firesAt ? { firesAt: options.firesAt } : {}),
  };
  return createServices(store, clock, settings, {
    newToken: options.newToken ?? (() => `token-${String(++tokens).padStart(8, '0')}`),
    jobs: { board: async () => options.jobs ?? [] },
    metricsSource: options.metricsSource ?? memoryMetrics(store),
    schedules,
    ...(options.onAuditPlansChanged ? { onAuditPlansChanged: options.onAuditPlansChanged } : {}),
    log: { error: () => {} },
  });
}
