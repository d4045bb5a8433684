/**
 * The scheduler on the real database (PGlite and Postgres) and real node-cron: each (job, fire time) runs once
 * across replicas, every run is recorded with its outcome, a job that throws is recorded and runs again at its next
 * fire, fires missed while no replica was up are caught up once at start, and `/coe jobs` shows last and next runs.
 * Live checks use six-field every-second expressions for a few seconds, with assertions that do not depend on exact
 * timing.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobRuns } from '../../src/db/job-runs.ts';
import { cronRules } from '../../src/jobs/index.ts';
import { type Job, missedFires, Scheduler, type SchedulerLogger } from '../../src/jobs/scheduler.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';

const MINUTE = 60_000;

interface LogLine {
  level: 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `predicate` holds, checking every 50 ms; fails after `timeoutMs`. */
async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Waits, if need be, until the minute is at least `after` ms old and has at least `before` ms left, so that an
 * every-minute job's fires stay put while a test looks at them.
 */
async function awayFromMinuteEdge(after = 1_000, before = 15_000) {
  const into = Date.now() % MINUTE;
  if (into < after) await sleep(after - into);
  else if (into > MINUTE - before) await sleep(MINUTE - into + after);
}

describe.each(databaseKinds())('the scheduler (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let lines: LogLine[];
  const schedulers: Scheduler[] = [];
  const logger: SchedulerLogger = {
    info: (obj, msg) => lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
  };

  /** A replica's scheduler on the shared database. */
  function replica(instance: string, options: Partial<ConstructorParameters<typeof Scheduler>[0]> = {}) {
    const scheduler = new Scheduler({ runs: new JobRuns(db.prisma), timeZone: 'UTC', instance, logger, ...options });
    schedulers.push(scheduler);
    return scheduler;
  }

  /** A job that counts its runs per fire time. */
  function counting(
    name: string,
    schedule: string,
    work: (fire: Date) => Promise<string | undefined> = async () => 'done',
  ) {
    const ran = new Map<string, number>();
    const job: Job = {
      name,
      schedule,
      run: async (fire) => {
        ran.set(fire.toISOString(), (ran.get(fire.toISOString()) ?? 0) + 1);
        return work(fire);
      },
    };
    return { job, ran, total: () => [...ran.values()].reduce((n, c) => n + c, 0) };
  }

  const rows = (job: string) => db.prisma.jobRun.findMany({ where: { job }, orderBy: { fireTime: 'asc' } });
  const messages = (msg: string) => lines.filter((l) => l.msg === msg);

  /** History as a stopped replica left it: the job registered long ago, and its runs until `lastFire`. */
  async function history(job: string, expression: string, fires: Date[]) {
    await db.prisma.jobSchedule.create({
      data: { job, expression, timeZone: 'UTC', registeredAt: new Date(Date.now() - 7 * 24 * 3600 * 1000) },
    });
    await db.prisma.jobRun.createMany({
      data: fires.map((fireTime) => ({
        job,
        fireTime,
        startedAt: fireTime,
        finishedAt: fireTime,
        outcome: 'ok',
        instance: 'gone',
      })),
    });
  }

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    lines = [];
  });
  afterEach(async () => {
    for (const scheduler of schedulers.splice(0)) {
      await scheduler.stop();
      for (const view of await scheduler.board()) await scheduler.remove(view.name);
    }
  });

  it('execute() runs a fire once, here and on any other replica, and records it', async () => {
    const a = replica('a');
    const b = replica('b');
    const reminders = counting('training-reminders', '0 9 * * *', async () => 'reminded 2 people');
    await a.add(reminders.job);
    await b.add(reminders.job);
    const fire = new Date('2026-12-07T09:00:00.000Z');
    expect(await a.execute('training-reminders', fire)).toBe(true);
    expect(await a.execute('training-reminders', new Date(fire))).toBe(false);
    expect(await b.execute('training-reminders', fire)).toBe(false);
    expect(reminders.ran).toEqual(new Map([['2026-12-07T09:00:00.000Z', 1]]));
    expect(await rows('training-reminders')).toEqual([
      expect.objectContaining({
        fireTime: fire,
        outcome: 'ok',
        error: null,
        instance: 'a',
        finishedAt: expect.any(Date),
      }),
    ]);
    expect(messages('jobs: training-reminders ran')).toEqual([
      expect.objectContaining({
        obj: { job: 'training-reminders', fireTime: fire.toISOString(), summary: 'reminded 2 people' },
      }),
    ]);
    // Replicas racing for the same fire: one runs it.
    const next = new Date('2026-12-08T09:00:00.000Z');
    const raced = await Promise.all([a.execute('training-reminders', next), b.execute('training-reminders', next)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(reminders.ran.get(next.toISOString())).toBe(1);
    await expect(a.execute('nothing', fire)).rejects.toThrow('no job nothing');
  });

  it('a job that throws is recorded as failed with its error, and its next fire runs', async () => {
    const scheduler = replica('a');
    let calls = 0;
    await scheduler.add({
      name: 'stale-nudges',
      schedule: '0 10 * * *',
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('database gone');
        return 'raised 0';
      },
    });
    const first = new Date('2026-12-07T10:00:00.000Z');
    const second = new Date('2026-12-08T10:00:00.000Z');
    expect(await scheduler.execute('stale-nudges', first)).toBe(true);
    expect(await scheduler.execute('stale-nudges', second)).toBe(true);
    expect(await rows('stale-nudges')).toEqual([
      expect.objectContaining({
        fireTime: first,
        outcome: 'failed',
        error: 'database gone',
        finishedAt: expect.any(Date),
      }),
      expect.objectContaining({ fireTime: second, outcome: 'ok', error: null }),
    ]);
    expect(messages('jobs: stale-nudges failed; it runs again at its next fire')).toEqual([
      expect.objectContaining({
        level: 'error',
        obj: expect.objectContaining({ job: 'stale-nudges', err: expect.any(Error) }),
      }),
    ]);
    // A failed fire is not run again by a later execute of the same fire: the next fire is the retry.
    expect(await scheduler.execute('stale-nudges', first)).toBe(false);
    expect(calls).toBe(2);
    // A throw that is not an Error is recorded as text.
    await scheduler.add({
      name: 'odd',
      schedule: '0 10 * * *',
      run: async () => {
        throw 'just a string';
      },
    });
    expect(await scheduler.execute('odd', first)).toBe(true);
    expect((await rows('odd'))[0]).toMatchObject({ outcome: 'failed', error: 'just a string' });
  });

  it('refuses a job whose schedule is no cron expression', async () => {
    await expect(replica('a').add({ name: 'bad', schedule: 'every day', run: async () => 'x' })).rejects.toThrow(
      'job bad: "every day" is not a cron expression',
    );
  });

  it('catches up each fire missed while no replica was up, once, whichever replicas start', async () => {
    await awayFromMinuteEdge();
    const thisMinute = Math.floor(Date.now() / MINUTE) * MINUTE;
    // The last run recorded was two fire times ago: the fires of the minute before and of this minute were missed.
    await history('every-minute', '* * * * *', [new Date(thisMinute - 3 * MINUTE), new Date(thisMinute - 2 * MINUTE)]);
    const missed = [new Date(thisMinute - MINUTE).toISOString(), new Date(thisMinute).toISOString()];
    const a = counting('every-minute', '* * * * *');
    const b = counting('every-minute', '* * * * *');
    const first = replica('a');
    const second = replica('b');
    await first.add(a.job);
    await second.add(b.job);
    // Two replicas starting at the same time: each missed fire runs on one of them.
    await Promise.all([first.start(), second.start()]);
    const ranAt = (fire: string) => (a.ran.get(fire) ?? 0) + (b.ran.get(fire) ?? 0);
    expect(missed.map(ranAt)).toEqual([1, 1]);
    expect(a.total() + b.total()).toBe(2);
    expect((await rows('every-minute')).map((r) => [r.fireTime.toISOString(), r.outcome])).toEqual([
      [new Date(thisMinute - 3 * MINUTE).toISOString(), 'ok'],
      [new Date(thisMinute - 2 * MINUTE).toISOString(), 'ok'],
      [missed[0], 'ok'],
      [missed[1], 'ok'],
    ]);
    expect(messages('jobs: missed fire caught up').map((l) => l.obj.fireTime)).toEqual(expect.arrayContaining(missed));
    expect(messages('jobs: missed fire caught up')).toHaveLength(2);

    // A third replica starting later in the minute catches up nothing again.
    const c = counting('every-minute', '* * * * *');
    const third = replica('c');
    await third.add(c.job);
    await third.start();
    expect(c.total()).toBe(0);
    expect(messages('jobs: missed fire caught up')).toHaveLength(2);
    expect(await db.prisma.jobRun.count({ where: { job: 'every-minute' } })).toBe(4);
  });

  it('a job registered for the first time has nothing to catch up', async () => {
    await awayFromMinuteEdge();
    const job = counting('brand-new', '* * * * *');
    const scheduler = replica('a');
    await scheduler.add(job.job);
    await scheduler.start();
    expect(job.total()).toBe(0);
    expect(await db.prisma.jobSchedule.findUnique({ where: { job: 'brand-new' } })).toMatchObject({
      expression: '* * * * *',
    });
  });

  it('catches up the latest missed fires only, within the window, and says how many it skipped', async () => {
    await awayFromMinuteEdge();
    const thisMinute = Math.floor(Date.now() / MINUTE) * MINUTE;
    await history('every-minute', '* * * * *', [new Date(thisMinute - 30 * MINUTE)]);
    const job = counting('every-minute', '* * * * *');
    const scheduler = replica('a', { catchUp: { withinMs: 20 * MINUTE, max: 3 } });
    await scheduler.add(job.job);
    await scheduler.start();
    // The window holds 20 fires (the last 20 minutes); the 3 latest are run.
    expect([...job.ran.keys()]).toEqual([2, 1, 0].map((m) => new Date(thisMinute - m * MINUTE).toISOString()));
    expect(messages('jobs: only the latest missed fires are caught up')).toEqual([
      expect.objectContaining({ level: 'warn', obj: { job: 'every-minute', skipped: 17 } }),
    ]);
  });

  it('marks the runs left running past the lease as interrupted at start', async () => {
    const now = Date.now();
    await db.prisma.jobRun.createMany({
      data: [
        { job: 'training-reminders', fireTime: new Date(now - 10 * MINUTE), startedAt: new Date(now - 10 * MINUTE) },
        { job: 'training-reminders', fireTime: new Date(now - MINUTE), startedAt: new Date(now - 1000) },
      ],
    });
    const scheduler = replica('a', { runLeaseMs: 5 * MINUTE });
    await scheduler.start();
    expect((await rows('training-reminders')).map((r) => [r.outcome, r.error])).toEqual([
      ['interrupted', 'the process running it stopped'],
      ['running', null],
    ]);
    expect(messages('jobs: runs cut short by an earlier stop were marked')).toEqual([
      expect.objectContaining({ level: 'warn', obj: { interrupted: 1 } }),
    ]);
  });

  it('board() shows each job’s schedule, last run and outcome, and next run', async () => {
    const scheduler = replica('a');
    await scheduler.add({ name: 'training-reminders', schedule: '0 9 * * *', run: async () => 'ok' });
    await scheduler.add({
      name: 'stale-nudges',
      schedule: '0 10 * * *',
      run: async () => {
        throw new Error('database gone');
      },
    });
    await scheduler.add({ name: 'audit:AUD-1', schedule: '0 9 * * 1', run: async () => 'ok' });
    await scheduler.start();
    const fire = new Date('2026-12-07T10:00:00.000Z');
    await scheduler.execute('stale-nudges', fire);
    await scheduler.execute('training-reminders', new Date('2026-12-07T09:00:00.000Z'));
    const board = await scheduler.board();
    expect(board.map((j) => j.name)).toEqual(['audit:AUD-1', 'stale-nudges', 'training-reminders']);
    expect(board[0]).toEqual({ name: 'audit:AUD-1', schedule: '0 9 * * 1', timeZone: 'UTC', next: expect.any(Date) });
    expect(board[1]).toEqual({
      name: 'stale-nudges',
      schedule: '0 10 * * *',
      timeZone: 'UTC',
      last: { fireTime: fire, outcome: 'failed', error: 'database gone' },
      next: expect.any(Date),
    });
    expect(board[2]?.last).toEqual({ fireTime: new Date('2026-12-07T09:00:00.000Z'), outcome: 'ok', error: null });
    // The next run is the schedule's next fire: 10:00 UTC, within a day.
    const next = board[1]?.next as Date;
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
    expect(next.toISOString()).toMatch(/T10:00:00\.000Z$/);
    const monday = board[0]?.next as Date;
    expect([monday.getUTCDay(), monday.getUTCHours(), monday.getUTCMinutes()]).toEqual([1, 9, 0]);
  });

  it('keeps the audit jobs in step with the plans: added, rescheduled, removed', async () => {
    const scheduler = replica('a');
    await scheduler.add({ name: 'training-reminders', schedule: '0 9 * * *', run: async () => 'ok' });
    const audit = (n: number, schedule: string): Job => ({
      name: `audit:AUD-${n}`,
      schedule,
      run: async () => `AUD-${n}`,
    });
    await scheduler.sync('audit:', [audit(1, '0 9 * * 1'), audit(2, '0 9 * * 2')]);
    await scheduler.sync('audit:', [audit(1, '0 10 * * 1')]);
    expect((await scheduler.board()).map((j) => [j.name, j.schedule])).toEqual([
      ['audit:AUD-1', '0 10 * * 1'],
      ['training-reminders', '0 9 * * *'],
    ]);
    await expect(scheduler.execute('audit:AUD-2', new Date())).rejects.toThrow('no job audit:AUD-2');
  });

  it('fires with real node-cron once per second across two replicas, each fire once, all recorded', async () => {
    const a = counting('every-second', '* * * * * *');
    const b = counting('every-second', '* * * * * *');
    const first = replica('a');
    const second = replica('b');
    await first.add(a.job);
    await second.add(b.job);
    await Promise.all([first.start(), second.start()]);
    await until(() => a.total() + b.total() >= 4, 15_000, 'four fires');
    await Promise.all([first.stop(), second.stop()]);
    const ran = new Map<string, number>();
    for (const [fire, n] of [...a.ran, ...b.ran]) ran.set(fire, (ran.get(fire) ?? 0) + n);
    // Each fire ran once, on one replica.
    expect([...ran.values()].every((n) => n === 1)).toBe(true);
    const recorded = await rows('every-second');
    expect(recorded.map((r) => r.fireTime.toISOString()).sort()).toEqual([...ran.keys()].sort());
    expect(recorded.every((r) => r.outcome === 'ok' && r.fireTime.getUTCMilliseconds() === 0)).toBe(true);
    expect(new Set(recorded.map((r) => r.instance)).size).toBeGreaterThanOrEqual(1);
    expect(messages('jobs: every-second ran')).toHaveLength(recorded.length);
    // Stopped: nothing more fires.
    const count = recorded.length;
    await sleep(1_500);
    expect(await db.prisma.jobRun.count({ where: { job: 'every-second' } })).toBe(count);
  }, 30_000);

  it('a live job that throws is recorded as failed and fires again the next second', async () => {
    let calls = 0;
    const scheduler = replica('a');
    await scheduler.add({
      name: 'flaky',
      schedule: '* * * * * *',
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('first fire fails');
        return 'fine';
      },
    });
    await scheduler.start();
    await until(
      async () => (await db.prisma.jobRun.count({ where: { job: 'flaky', outcome: 'ok' } })) >= 2,
      15_000,
      'two good fires',
    );
    await scheduler.stop();
    const recorded = await rows('flaky');
    expect(recorded[0]).toMatchObject({ outcome: 'failed', error: 'first fire fails' });
    expect(recorded.slice(1).every((r) => r.outcome === 'ok')).toBe(true);
    expect(recorded[1]?.fireTime.getTime()).toBeGreaterThan(recorded[0]?.fireTime.getTime() ?? 0);
  }, 30_000);

  it('a fire that falls while the catch-up runs is not lost between the catch-up and node-cron', async () => {
    const startedAt = Date.now();
    const lastSecond = Math.floor(startedAt / 1000) * 1000 - 3000;
    await history('every-second', '* * * * * *', [new Date(lastSecond)]);
    // Catching up is slow (each missed fire takes 700 ms); the fires after the start are quick.
    const job = counting('every-second', '* * * * * *', async (fire) => {
      if (fire.getTime() <= startedAt) await sleep(700);
      return 'ok';
    });
    const scheduler = replica('a');
    await scheduler.add(job.job);
    await scheduler.start();
    await until(
      () => [...job.ran.keys()].some((f) => Date.parse(f) > startedAt + 3000),
      15_000,
      'a fire after the catch-up',
    );
    await scheduler.stop();
    const seconds = (await rows('every-second')).map((r) => r.fireTime.getTime());
    // Every second from the last recorded one to the latest, none missing and none twice.
    const expected = Array.from(
      { length: (Math.max(...seconds) - lastSecond) / 1000 + 1 },
      (_, i) => lastSecond + i * 1000,
    );
    expect(seconds).toEqual(expected);
    expect([...job.ran.values()].every((n) => n === 1)).toBe(true);
  }, 30_000);
});

describe('missed fires', () => {
  const everyMinute = { match: (d: Date) => d.getUTCSeconds() === 0 };
  const everySecond = { match: () => true };

  it('are the fire times strictly between the last one and now', () => {
    const from = Date.parse('2026-12-07T09:00:00.000Z');
    expect(missedFires(everyMinute, '* * * * *', from, from + 3 * MINUTE).map((d) => d.toISOString())).toEqual([
      '2026-12-07T09:01:00.000Z',
      '2026-12-07T09:02:00.000Z',
    ]);
    expect(missedFires(everyMinute, '* * * * *', from, from + 3 * MINUTE + 1)).toHaveLength(3);
    expect(missedFires(everyMinute, '* * * * *', from, from)).toEqual([]);
  });

  it('walk by the second for a six-field expression, within the last hour only', () => {
    const to = Date.parse('2026-12-07T12:00:00.000Z');
    expect(missedFires(everySecond, '* * * * * *', to - 3500, to)).toHaveLength(3);
    expect(missedFires(everySecond, '* * * * * *', to - 24 * 3600 * 1000, to)).toHaveLength(3599);
  });
});

describe('cron rules for the services', () => {
  it('validate expressions and give the next fire in the configured time zone', () => {
    const rules = cronRules('Europe/Berlin');
    expect(rules.isValid('0 9 * * 1')).toBe(true);
    expect(rules.isValid('every monday')).toBe(false);
    expect(rules.next('every monday')).toBeUndefined();
    const next = rules.next('0 9 * * 1') as Date;
    expect(next).toBeInstanceOf(Date);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(next);
    expect(local).toBe('Mon 09:00');
  });

  it('say whether an expression fires at a moment, in the configured time zone (audits due together)', () => {
    const rules = cronRules('Europe/Berlin');
    // Monday 14 December 2026, 09:00 in Berlin is 08:00 UTC.
    expect(rules.firesAt?.('0 9 * * 1', new Date('2026-12-14T08:00:00.000Z'))).toBe(true);
    expect(rules.firesAt?.('0 9 * * 1-5', new Date('2026-12-14T08:00:00.000Z'))).toBe(true);
    expect(rules.firesAt?.('0 9 * * 1', new Date('2026-12-14T09:00:00.000Z'))).toBe(false);
    expect(rules.firesAt?.('0 9 * * 1', new Date('2026-12-15T08:00:00.000Z'))).toBe(false);
    expect(rules.firesAt?.('every monday', new Date('2026-12-14T08:00:00.000Z'))).toBe(false);
  });
});
