/**
 * The bot's scheduled jobs, each one service call: training reminders, nudges about reports that wait too long, the
 * weekly metrics digest, the monthly summary to executives of what serves their constraints, one job per active
 * audit plan (kept in step with the plans as they are added), and the embedded database's upkeep.
 */
import cron from 'node-cron';
import type { AuditService, ScheduleRules } from '../services/audit.ts';
import type { MetricsService } from '../services/metrics.ts';
import type { StaleNudgeService } from '../services/stale-nudges.ts';
import type { TrainingService } from '../services/training.ts';
import type { Job, Scheduler } from './scheduler.ts';

export const JOB_NAMES = {
  trainingReminders: 'training-reminders',
  staleNudges: 'stale-nudges',
  metricsDigest: 'metrics-digest',
  constraintSummary: 'constraint-summary',
  databaseMaintenance: 'database-maintenance',
} as const;

/** Audit plan jobs are named after their plan. */
export const AUDIT_JOB_PREFIX = 'audit:';

export interface JobSchedules {
  trainingReminders: string;
  staleNudges: string;
  metricsDigest: string;
  constraintSummary: string;
}

export function staticJobs(
  services: { trainings: TrainingService; nudges: StaleNudgeService; metrics: MetricsService },
  schedules: JobSchedules,
): Job[] {
  return [
    {
      name: JOB_NAMES.trainingReminders,
      schedule: schedules.trainingReminders,
      run: () => services.trainings.remind(),
    },
    { name: JOB_NAMES.staleNudges, schedule: schedules.staleNudges, run: () => services.nudges.run() },
    {
      name: JOB_NAMES.metricsDigest,
      schedule: schedules.metricsDigest,
      run: (fireTime) => services.metrics.digest(fireTime),
    },
    {
      name: JOB_NAMES.constraintSummary,
      schedule: schedules.constraintSummary,
      run: (fireTime) => services.metrics.constraintSummaries(fireTime),
    },
  ];
}

/** The embedded database's upkeep; none on Postgres, whose autovacuum does it (`Database.maintain`). */
export function databaseJobs(maintain: (() => Promise<string>) | undefined, schedule: string): Job[] {
  return maintain ? [{ name: JOB_NAMES.databaseMaintenance, schedule, run: maintain }] : [];
}

/** One job per active audit plan, firing on the plan's own schedule. */
export async function auditJobs(audits: AuditService): Promise<Job[]> {
  return (await audits.schedules()).map((plan) => ({
    name: `${AUDIT_JOB_PREFIX}AUD-${plan.number}`,
    schedule: plan.schedule,
    run: (fireTime) => audits.fire(plan.number, fireTime),
  }));
}

/** Brings the scheduler's audit jobs in line with the plans. */
export async function syncAuditJobs(scheduler: Scheduler, audits: AuditService): Promise<void> {
  await scheduler.sync(AUDIT_JOB_PREFIX, await auditJobs(audits));
}

/** Cron expressions as node-cron reads them, for the services that must check or show one. */
export function cronRules(timeZone: string): ScheduleRules {
  return {
    isValid: (expression) => cron.validate(expression),
    next(expression) {
      if (!cron.validate(expression)) return undefined;
      const task = cron.createTask(expression, () => {}, { timezone: timeZone });
      try {
        // getNextRun() answers null for a task that was never started: ask the schedule itself.
        return task.getNextRuns(1)[0];
      } finally {
        void task.destroy();
      }
    },
    firesAt(expression, at) {
      if (!cron.validate(expression)) return false;
      const task = cron.createTask(expression, () => {}, { timezone: timeZone });
      try {
        return task.match(at);
      } finally {
        void task.destroy();
      }
    },
  };
}
