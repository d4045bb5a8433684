/**
 * The scheduler's record in the database: which jobs exist since when, and one row per (job, fire time) — the row is
 * the lock that makes a fire run once across replicas, and then the record of how the run went.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';

export interface JobRunRecord {
  fireTime: Date;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: string;
  error: string | null;
  instance: string | null;
}

export class JobRuns {
  constructor(private readonly prisma: PrismaClient) {}

  /** Records that a job is scheduled; the first registration's time stays (missed fires count from it). */
  async register(job: string, expression: string, timeZone: string): Promise<Date> {
    const row = await this.prisma.jobSchedule.upsert({
      where: { job },
      create: { job, expression, timeZone },
      update: { expression, timeZone },
    });
    return row.registeredAt;
  }

  /** Takes a fire for this instance: false when another instance (or an earlier catch-up) has it already. */
  async claim(job: string, fireTime: Date, instance: string): Promise<boolean> {
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO job_run (job, fire_time, instance) VALUES (${job}, ${fireTime}, ${instance})
      ON CONFLICT (job, fire_time) DO NOTHING`;
    return inserted > 0;
  }

  async finish(job: string, fireTime: Date, outcome: 'ok' | 'failed', error?: string): Promise<void> {
    await this.prisma.jobRun.updateMany({
      where: { job, fireTime },
      data: { outcome, error: error ?? null, finishedAt: new Date() },
    });
  }

  /** The latest fire recorded for a job. */
  async last(job: string): Promise<JobRunRecord | undefined> {
    const row = await this.prisma.jobRun.findFirst({ where: { job }, orderBy: { fireTime: 'desc' } });
    return row ?? undefined;
  }

  /** Runs of a job, newest first (tests and `/coe jobs`). */
  async runs(job: string, limit = 100): Promise<JobRunRecord[]> {
    return this.prisma.jobRun.findMany({ where: { job }, orderBy: { fireTime: 'desc' }, take: limit });
  }

  /**
   * Marks as interrupted the runs still "running" long after they started: their process died mid-run. They are not
   * run again (each job's work is idempotent per day, the next fire does it).
   */
  async interrupt(startedBefore: Date): Promise<number> {
    const { count } = await this.prisma.jobRun.updateMany({
      where: { outcome: 'running', startedAt: { lt: startedBefore } },
      data: { outcome: 'interrupted', finishedAt: new Date(), error: 'the process running it stopped' },
    });
    return count;
  }
}
