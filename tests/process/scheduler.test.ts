/**
 * The acceptance for the scheduler, on real processes and real Postgres: three bots on one DATABASE_URL with
 * the training reminders firing every second record exactly one run per fire second, each executed once; a bot
 * stopped across fire times catches up each missed fire once when one starts again, and a second one starting right
 * after catches up none of them again. Postgres only (the embedded database is one process's): a database of its own,
 * dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotProcess,
  delay,
  eventually,
  type LogLine,
  makeTempDir,
  removeTempDirs,
  spawnBot,
  stopAllBots,
} from './bot-process.ts';

const adminUrl = process.env.TEST_POSTGRES_URL;
const JOB = 'training-reminders';
const RAN = `jobs: ${JOB} ran`;
const CAUGHT_UP = 'jobs: missed fire caught up';

if (!adminUrl) {
  console.warn('\n!!! tests/process/scheduler.test.ts skipped: TEST_POSTGRES_URL is unset (no Postgres answered)\n');
}

describe.skipIf(!adminUrl)('scheduled jobs across bot processes on one Postgres', () => {
  const name = `coe_sched_${process.pid}_${randomBytes(3).toString('hex')}`;
  let databaseUrl: string;
  let client: pg.Client;
  let cwd: string;

  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl as string);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // No .env of the repository's: the bots get only what the test gives them.
    cwd = await makeTempDir('coe-scheduler-');
  });

  afterEach(async () => {
    await stopAllBots();
  });

  afterAll(async () => {
    await client?.end();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await removeTempDirs();
  });

  function startBot(): BotProcess {
    return spawnBot({
      cwd,
      env: {
        DATABASE_URL: databaseUrl,
        PORT: '0',
        TZ: 'UTC',
        TRAINING_REMINDER_SCHEDULE: '* * * * * *',
        LOG_LEVEL: 'info',
      },
    });
  }

  const second = (ms: number) => Math.floor(ms / 1000) * 1000;
  const timeOf = (line: LogLine) => Date.parse(String(line.time));
  const ranLines = (bots: BotProcess[]) => bots.flatMap((b) => b.logs.filter((l) => l.msg === RAN));
  const fireOf = (line: LogLine) => Date.parse(String(line.fireTime));

  async function runs(): Promise<{ fire: number; instance: string; outcome: string }[]> {
    const { rows } = await client.query<{ fire_time: Date; instance: string; outcome: string }>(
      'SELECT fire_time, instance, outcome FROM job_run WHERE job = $1 ORDER BY fire_time',
      [JOB],
    );
    return rows.map((r) => ({ fire: r.fire_time.getTime(), instance: r.instance, outcome: r.outcome }));
  }

  const secondsFrom = (from: number, to: number) =>
    Array.from({ length: (to - from) / 1000 + 1 }, (_, i) => from + i * 1000);

  it('three bots, a job every second, ~30 fires: one recorded run per fire second, each executed once', async () => {
    await client.query('TRUNCATE job_run, job_schedule').catch(() => {});
    const bots = [startBot(), startBot(), startBot()];
    await Promise.all(bots.map((b) => b.waitForLog((l) => l.msg === 'ready', 45_000)));
    const allUp = Math.max(...bots.map((b) => timeOf(b.logs.find((l) => l.msg === 'ready') as LogLine)));
    const windowStart = second(allUp) + 2000;
    await eventually(
      () => Date.now() > windowStart + 30_500,
      40_000,
      () => 'thirty seconds',
    );
    const stopAt = Date.now();
    await Promise.all(bots.map((b) => b.stop('SIGTERM')));
    const windowEnd = second(stopAt) - 1000;

    const all = await runs();
    const inWindow = all.filter((r) => r.fire >= windowStart && r.fire <= windowEnd);
    const expected = secondsFrom(windowStart, windowEnd);
    expect(expected.length).toBeGreaterThanOrEqual(30);
    // No gap and no duplicate while all three were up.
    expect(inWindow.map((r) => r.fire)).toEqual(expected);
    expect(inWindow.every((r) => r.outcome === 'ok')).toBe(true);
    // Every run was one of the three bots.
    const pids = bots.map((b) => `${b.pid}-`);
    expect(inWindow.every((r) => pids.some((p) => r.instance.startsWith(p)))).toBe(true);
    // Each fire executed once: as many "ran" lines across the three as runs, and one per fire second.
    const lines = ranLines(bots).filter((l) => fireOf(l) >= windowStart && fireOf(l) <= windowEnd);
    expect(lines).toHaveLength(inWindow.length);
    expect(new Set(lines.map(fireOf)).size).toBe(inWindow.length);
    // And overall, in the whole run, never one fire twice.
    expect(ranLines(bots)).toHaveLength(new Set(ranLines(bots).map(fireOf)).size);
    for (const bot of bots)
      expect(
        bot.logs.filter((l) => l.level >= 50),
        bot.stdout(),
      ).toEqual([]);
  }, 90_000);

  it('a bot stopped across fire times: the next start catches each missed fire up once, a second start none', async () => {
    await client.query('TRUNCATE job_run, job_schedule');
    const first = startBot();
    await first.waitForLog((l) => l.msg === 'ready', 30_000);
    await eventually(
      () => ranLines([first]).length >= 2,
      10_000,
      () => 'two fires of the first bot',
    );
    await first.stop('SIGTERM');
    const lastOfFirst = Math.max(...(await runs()).map((r) => r.fire));
    // Down across (at least) two fire times.
    await delay(2_500);
    const downUntil = Date.now();
    const second_ = startBot();
    await second_.waitForLog((l) => l.msg === 'ready', 30_000);
    const third = startBot();
    await third.waitForLog((l) => l.msg === 'ready', 30_000);
    await delay(1_500);
    await Promise.all([second_.stop('SIGTERM'), third.stop('SIGTERM')]);

    const missed = secondsFrom(lastOfFirst + 1000, second(downUntil));
    expect(missed.length).toBeGreaterThanOrEqual(2);
    const caughtUp = (bot: BotProcess) =>
      bot.logs.filter((l) => l.msg === CAUGHT_UP).map((l) => Date.parse(String(l.fireTime)));
    // The second bot caught up every fire missed while none ran...
    expect(caughtUp(second_)).toEqual(expect.arrayContaining(missed));
    // ...and the third, starting right after, none of them again.
    expect(caughtUp(third).filter((f) => missed.includes(f))).toEqual([]);
    const recorded = await runs();
    for (const fire of missed) {
      expect(recorded.filter((r) => r.fire === fire)).toEqual([
        expect.objectContaining({ outcome: 'ok', instance: expect.stringMatching(new RegExp(`^${second_.pid}-`)) }),
      ]);
    }
    // From the first bot's first fire to the last, every second once: nothing lost, nothing twice.
    const fires = recorded.map((r) => r.fire);
    expect(fires).toEqual(secondsFrom(fires[0] as number, fires.at(-1) as number));
    const bots = [first, second_, third];
    expect(
      ranLines(bots)
        .map(fireOf)
        .sort((a, b) => a - b),
    ).toEqual(fires);
    for (const bot of bots)
      expect(
        bot.logs.filter((l) => l.level >= 50),
        bot.stdout(),
      ).toEqual([]);
  }, 90_000);
});
