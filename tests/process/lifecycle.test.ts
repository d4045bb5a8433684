/**
 * `npm start` as an operator meets it: with no platform credentials the bot binds to loopback only, answers
 * `/healthz` at once and `/readyz` once the embedded database is migrated, says per platform how to turn it on, and
 * stops cleanly (exit 0) within 10 seconds of SIGTERM or SIGINT. A second start reuses the same database.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotProcess,
  httpGet,
  makeTempDir,
  REPO_ROOT,
  removeTempDirs,
  START_NODE_ARGS,
  spawnBot,
  stopAllBots,
} from './bot-process.ts';

const SHUTDOWN_LIMIT_MS = 10_000;

let dataDir: string;
let firstApplied: string[] = [];

beforeAll(async () => {
  // Not created yet: the bot must create DATA_DIR itself.
  dataDir = path.join(await makeTempDir(), 'data');
});

afterEach(async () => {
  await stopAllBots();
});

afterAll(async () => {
  await removeTempDirs();
});

/** Sends `signal`, expects exit code 0 within the limit, and returns how long it took. */
async function stopsCleanly(bot: BotProcess, signal: NodeJS.Signals): Promise<number> {
  const started = Date.now();
  bot.child.kill(signal);
  const result = await Promise.race([
    bot.exited,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), SHUTDOWN_LIMIT_MS).unref()),
  ]);
  const took = Date.now() - started;
  expect(result, `after ${signal}; stdout:\n${bot.stdout()}\nstderr:\n${bot.stderr()}`).toEqual({
    code: 0,
    signal: null,
  });
  expect(bot.logs.some((l) => l.msg === 'shutting down' && l.signal === signal)).toBe(true);
  expect(bot.logs.at(-1)?.msg).toBe('stopped');
  return took;
}

// The two tests share one DATA_DIR and run in order: the first creates the database, the second reopens it.
describe.sequential('start and stop', () => {
  it('first start: loopback, healthz at once, readyz after migrations, one hint per platform, SIGTERM → 0', async () => {
    const bot = spawnBot({ env: { DATA_DIR: dataDir, PORT: '0' } });
    const url = await bot.url(30_000);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Alive before the database is: /healthz answers while the (fresh, slow) embedded database is being created.
    // (The answer may take seconds: creating a PGlite data folder blocks the event loop for about 10 s.)
    expect((await httpGet(`${url}/healthz`)).status).toBe(200);

    // /readyz: 503 while starting, then 200 for good.
    const statuses: number[] = [];
    const deadline = Date.now() + 45_000;
    while (statuses.at(-1) !== 200) {
      if (Date.now() > deadline) throw new Error(`/readyz never 200: ${statuses.join(',')}\n${bot.stdout()}`);
      statuses.push((await httpGet(`${url}/readyz`)).status);
      if (statuses.at(-1) !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(new Set(statuses.slice(0, -1))).not.toContain(200);
    for (const s of statuses) expect([200, 503]).toContain(s);
    await bot.waitForLog((l) => l.msg === 'ready', 5_000);
    const applied = bot.logs.find((l) => /^migrations applied: /.test(l.msg))?.applied;
    expect(applied).toEqual(expect.arrayContaining([expect.stringMatching(/_init$/)]));
    firstApplied = applied as string[];
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    expect((await httpGet(`${url}/readyz`)).status).toBe(200);
    expect(await httpGet(`${url}/nope`)).toEqual({ status: 404, body: JSON.stringify({ error: 'not found' }) });

    // One line per platform, each naming the variables that turn it on.
    const slack = bot.logs.filter((l) => l.msg.startsWith('slack:'));
    const teams = bot.logs.filter((l) => l.msg.startsWith('teams:'));
    expect(slack).toHaveLength(1);
    expect(slack[0]?.msg).toMatch(/SLACK_BOT_TOKEN.*SLACK_SIGNING_SECRET/);
    expect(teams).toHaveLength(1);
    expect(teams[0]?.msg).toMatch(/MICROSOFT_APP_ID.*MICROSOFT_APP_PASSWORD/);
    // Slack is off: its endpoint says so instead of pretending.
    expect((await fetch(`${url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);

    const took = await stopsCleanly(bot, 'SIGTERM');
    expect(took).toBeLessThan(SHUTDOWN_LIMIT_MS);
    await expect(httpGet(`${url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
    expect(bot.stderr()).toBe('');
  }, 60_000);

  it('second start, as npm start runs it (compiled, no transpiler), on the same DATA_DIR: ready, SIGINT → 0', async () => {
    const bot = spawnBot({ env: { DATA_DIR: dataDir, PORT: '0' }, compiled: true });
    const url = await bot.ready(30_000);
    await bot.waitForLog((l) => l.msg === 'ready', 5_000);
    // The existing database is used as it is: nothing the first start applied is applied again. (Normally nothing at
    // all is applied; a migration added to the repository in between would be, which is what an upgrade does.)
    const migrated = bot.logs.find((l) => l.database === 'pglite' && Array.isArray(l.applied));
    expect(migrated, bot.stdout()).toBeDefined();
    expect(firstApplied.length).toBeGreaterThan(0);
    expect(((migrated?.applied ?? []) as string[]).filter((m) => firstApplied.includes(m))).toEqual([]);
    expect((await httpGet(`${url}/healthz`)).status).toBe(200);
    // Plain Node on the build: only `npm start`'s own options (no loader), and the build is there.
    const commandLine = readFileSync(`/proc/${bot.pid}/cmdline`, 'utf8').split('\0');
    expect(commandLine.filter((arg) => arg.startsWith('--'))).toEqual(START_NODE_ARGS);
    expect(START_NODE_ARGS.filter((arg) => /^--(import|loader|require|experimental)/.test(arg))).toEqual([]);
    expect(existsSync(path.join(REPO_ROOT, 'dist', 'main.js'))).toBe(true);

    const took = await stopsCleanly(bot, 'SIGINT');
    expect(took).toBeLessThan(SHUTDOWN_LIMIT_MS);
    expect(bot.stderr()).toBe('');
  }, 60_000);
});
