/**
 * Every scheduled job as a named node-cron task in the configured time zone. node-cron's run coordinator hook asks
 * the database before each fire (a unique row per job and fire time), so a fire runs once however many replicas
 * share the database; every run is recorded with its outcome. node-cron keeps nothing across restarts, so at start
 * the fires missed while the bot was down are found and run, each once. A job that throws is recorded as failed and
 * runs again at its next fire; it never takes the process down.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { JobRuns } from '../db/job-runs.ts';
import type { JobView } from '../domain/schedule-messages.ts';
import type { Telemetry } from '../ports/telemetry.ts';

export interface Job {
  /** Unique, stable: it keys the runs in the database. */
  name: string;
  /** A node-cron expression (5 fields, or 6 with seconds). */
  schedule: string;
  /** The job's work: one service call. `fireTime` is the fire it runs for. Returns a line for the log. */
  run(fireTime: Date): Promise<string | undefined>;
}

export interface SchedulerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SchedulerOptions {
  runs: JobRuns;
  timeZone: string;
  /** This process, in the run records. */
  instance: string;
  logger: SchedulerLogger;
  /** How far back missed fires are caught up, and how many of them at most per job. */
  catchUp?: { withinMs: number; max: number };
  /** A run still "running" after this long died with its process. */
  runLeaseMs?: number;
  /** Counts runs and failures for the operators (nothing by default). */
  telemetry?: Pick<Telemetry, 'jobRan'>;
}

interface Scheduled {
  job: Job;
  task: ScheduledTask;
}

const HOUR = 3600 * 1000;

export class Scheduler {
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private started = false;

  /** node-cron's own messages (a coordinator that failed, a fire skipped) in our log. */
  private readonly cronLogger;

  constructor(private readonly o: SchedulerOptions) {
    const line = (message: string | Error, error?: Error) => ({
      source: 'node-cron',
      ...(error || message instanceof Error ? { err: error ?? message } : {}),
    });
    const text = (message: string | Error) => (message instanceof Error ? message.message : message);
    this.cronLogger = {
      info: (message: string) => o.logger.info({ source: 'node-cron' }, message),
      warn: (message: string) => o.logger.warn({ source: 'node-cron' }, message),
      error: (message: string | Error, error?: Error) => o.logger.error(line(message, error), text(message)),
      debug: () => {},
    };
  }

  /** Schedules a job (before or after `start`); a job of the same name is replaced. */
  async add(job: Job): Promise<void> {
    if (!cron.validate(job.schedule)) throw new Error(`job ${job.name}: "${job.schedule}" is not a cron expression`);
    await this.remove(job.name);
    const task = cron.createTask(job.schedule, (context) => this.track(this.runClaimed(job, context.date)), {
      name: job.name,
      timezone: this.o.timeZone,
      noOverlap: true,
      distributed: true,
      runCoordinator: {
        // node-cron keys each fire `<name>:<ISO time of the fire>`: the row for that fire is the election.
        shouldRun: (key) => this.o.runs.claim(job.name, new Date(key.slice(job.name.length + 1)), this.o.instance),
      },
      logger: this.cronLogger,
    });
    this.scheduled.set(job.name, { job, task });
    if (!this.started) return;
    try {
      await this.begin(job, task);
    } catch (error) {
      // Not kept half-added (scheduled but never started): the next sync tries it again.
      await this.remove(job.name);
      throw error;
    }
  }

  async remove(name: string): Promise<void> {
    const existing = this.scheduled.get(name);
    if (!existing) return;
    this.scheduled.delete(name);
    await existing.task.destroy();
  }

  /** Keeps exactly these jobs among those whose name starts with `prefix` (the audit plans, say). */
  async sync(prefix: string, jobs: readonly Job[]): Promise<void> {
    const wanted = new Map(jobs.map((j) => [j.name, j]));
    for (const [name, { job }] of this.scheduled) {
      const next = wanted.get(name);
      if (name.startsWith(prefix) && (!next || next.schedule !== job.schedule)) await this.remove(name);
    }
    // Each on its own: one job that cannot start (a database hiccup) does not keep the others from it.
    const failures: unknown[] = [];
    for (const job of jobs) {
      if (!this.scheduled.has(job.name)) await this.add(job).catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw failures[0];
  }

  /** Records the jobs, catches up what was missed, then lets node-cron fire them. */
  async start(): Promise<void> {
    this.started = true;
    const interrupted = await this.o.runs.interrupt(new Date(Date.now() - (this.o.runLeaseMs ?? 6 * HOUR)));
    if (interrupted > 0) this.o.logger.warn({ interrupted }, 'jobs: runs cut short by an earlier stop were marked');
    for (const { job, task } of this.scheduled.values()) await this.begin(job, task);
  }

  /** Stops firing and waits for the runs in progress. */
  async stop(): Promise<void> {
    this.started = false;
    for (const { task } of this.scheduled.values()) await task.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs a fire now, once across replicas (catch-up, tests): false when it ran already or elsewhere. */
  async execute(name: string, fireTime: Date): Promise<boolean> {
    const entry = this.scheduled.get(name);
    if (!entry) throw new Error(`no job ${name}`);
    if (!(await this.o.runs.claim(name, fireTime, this.o.instance))) return false;
    await this.track(this.runClaimed(entry.job, fireTime));
    return true;
  }

  /** What `/coe jobs` shows: each job, its last recorded run and its next fire. */
  async board(): Promise<JobView[]> {
    const views: JobView[] = [];
    for (const { job, task } of [...this.scheduled.values()].sort((a, b) => a.job.name.localeCompare(b.job.name))) {
      const last = await this.o.runs.last(job.name);
      const next = task.getNextRun();
      views.push({
        name: job.name,
        schedule: job.schedule,
        timeZone: this.o.timeZone,
        ...(last ? { last: { fireTime: last.fireTime, outcome: last.outcome, error: last.error } } : {}),
        ...(next ? { next } : {}),
      });
    }
    return views;
  }

  private async begin(job: Job, task: ScheduledTask): Promise<void> {
    const registeredAt = await this.o.runs.register(job.name, job.schedule, this.o.timeZone);
    const last = (await this.o.runs.last(job.name))?.fireTime ?? registeredAt;
    // node-cron takes the fires from now on before the catch-up looks back: a fire that falls while the catch-up
    // runs is node-cron's, not lost between the two (the claim keeps the overlap to one run).
    await task.start();
    await this.catchUp(job, task, last);
  }

  /** The fires between the last one recorded (or the job's registration) and now, oldest first, each run once. */
  private async catchUp(job: Job, task: ScheduledTask, last: Date): Promise<void> {
    const { withinMs, max } = this.o.catchUp ?? { withinMs: 24 * HOUR, max: 10 };
    const now = Date.now();
    const missed = missedFires(task, job.schedule, Math.max(last.getTime(), now - withinMs), now);
    if (missed.length === 0) return;
    const kept = missed.slice(-max);
    if (kept.length < missed.length) {
      this.o.logger.warn(
        { job: job.name, skipped: missed.length - kept.length },
        'jobs: only the latest missed fires are caught up',
      );
    }
    for (const fire of kept) {
      const ran = await this.execute(job.name, fire);
      this.o.logger.info(
        { job: job.name, fireTime: fire.toISOString(), ran },
        ran ? 'jobs: missed fire caught up' : 'jobs: missed fire was run elsewhere',
      );
    }
  }

  /** The job's work for a claimed fire, recorded as ok or failed; never throws. */
  private async runClaimed(job: Job, fireTime: Date): Promise<void> {
    const log = this.o.logger;
    const started = performance.now();
    const counted = (outcome: 'ok' | 'failed') =>
      this.o.telemetry?.jobRan(job.name, outcome, (performance.now() - started) / 1000);
    try {
      const summary = await job.run(fireTime);
      await this.o.runs.finish(job.name, fireTime, 'ok');
      counted('ok');
      log.info({ job: job.name, fireTime: fireTime.toISOString(), summary }, `jobs: ${job.name} ran`);
    } catch (error) {
      counted('failed');
      const text = error instanceof Error ? error.message : String(error);
      log.error(
        { job: job.name, fireTime: fireTime.toISOString(), err: error },
        `jobs: ${job.name} failed; it runs again at its next fire`,
      );
      await this.o.runs.finish(job.name, fireTime, 'failed', text).catch((e: unknown) => {
        log.error({ err: e, job: job.name }, 'jobs: could not record a failed run');
      });
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }
}

/**
 * The fire times of a task strictly after `fromMs` and before `toMs`. node-cron only says whether a moment matches,
 * so this walks the window: by the minute for a five-field expression (it fires at second 0), by the second for a
 * six-field one (whose window is then kept to the last hour).
 */
export function missedFires(
  task: Pick<ScheduledTask, 'match'>,
  expression: string,
  fromMs: number,
  toMs: number,
): Date[] {
  const withSeconds = expression.trim().split(/\s+/).length === 6;
  const step = withSeconds ? 1000 : 60_000;
  const start = Math.max(fromMs, withSeconds ? toMs - HOUR : fromMs);
  const fires: Date[] = [];
  for (let t = Math.floor(start / step) * step + step; t < toMs; t += step) {
    const at = new Date(t);
    if (task.match(at)) fires.push(at);
  }
  return fires;
}
