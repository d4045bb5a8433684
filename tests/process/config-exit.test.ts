/**
 * The runtime contract's promise about configuration, checked on the real process: a bad or incomplete environment
 * stops start-up with exit code 2 and one line per bad variable (plus a closing hint), never a stack trace; a `.env`
 * in the working directory is read, and the real environment wins over it.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, spawnBot, stopAllBots } from './bot-process.ts';

const HINT = /^config: fix the variables above .*start again\.$/;

afterEach(async () => {
  await stopAllBots();
  await removeTempDirs();
});

/** Starts the bot expecting a configuration failure; returns stderr's lines. */
async function configFailure(env: Record<string, string>, cwd?: string): Promise<string[]> {
  const dataDir = await makeTempDir();
  const bot = spawnBot({ env: { DATA_DIR: dataDir, PORT: '0', ...env }, cwd });
  const result = await bot.exited;
  expect(result, `stderr:\n${bot.stderr()}\nstdout:\n${bot.stdout()}`).toEqual({ code: 2, signal: null });
  // It stopped before it listened or opened anything.
  expect(bot.logs.find((l) => l.msg.startsWith('listening on'))).toBeUndefined();
  const lines = bot.stderr().trimEnd().split('\n');
  expect(lines.at(-1)).toMatch(HINT);
  // No stack trace, no Node warning: only `config:` lines.
  for (const line of lines) expect(line).toMatch(/^config: /);
  expect(bot.stderr()).not.toMatch(/^\s+at /m);
  return lines.slice(0, -1);
}

describe('configuration errors stop start-up', () => {
  it('PORT=abc: exit 2, one line naming PORT', async () => {
    const problems = await configFailure({ PORT: 'abc' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^config: PORT "abc" is not a port; use a whole number/);
  });

  it('DATABASE_URL=nonsense: exit 2, names DATABASE_URL and how to fix it', async () => {
    const problems = await configFailure({ DATABASE_URL: 'nonsense' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^config: DATABASE_URL .*postgres:\/\//);
  });

  it('two bad variables: one line each', async () => {
    const problems = await configFailure({ PORT: '70000', SLACK_BOT_TOKEN: 'not-a-token', SLACK_SIGNING_SECRET: 's' });
    expect(problems).toHaveLength(2);
    expect(problems.some((l) => l.startsWith('config: PORT '))).toBe(true);
    expect(problems.some((l) => l.startsWith('config: SLACK_BOT_TOKEN '))).toBe(true);
  });

  it('an incomplete pair names the missing variable', async () => {
    const problems = await configFailure({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(problems).toEqual([expect.stringMatching(/^config: SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN/)]);
  });
});

describe('a configuration error with a database from an earlier start', () => {
  // main.ts begins opening an existing embedded database before it validates the configuration: a bad value must
  // still stop the start with exit 2, and the database it began to open must be let go cleanly.
  it('exits 2 with the config lines only, and the next start opens the database as before', async () => {
    const dataDir = await makeTempDir();
    const first = spawnBot({ env: { DATA_DIR: dataDir, PORT: '0' } });
    await first.ready(45_000);
    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);

    const failed = spawnBot({ env: { DATA_DIR: dataDir, PORT: 'abc' } });
    expect(await failed.exited, failed.stderr()).toEqual({ code: 2, signal: null });
    const lines = failed.stderr().trimEnd().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^config: PORT "abc" is not a port/), expect.stringMatching(HINT)]);

    const again = spawnBot({ env: { DATA_DIR: dataDir, PORT: '0' } });
    const url = await again.ready(45_000);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(again.logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(await again.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(again.stderr()).toBe('');
  }, 90_000);
});

describe('.env in the working directory', () => {
  it('is read, and a variable set in the environment wins over it', async () => {
    const cwd = await makeTempDir();
    // PORT is bad in .env but good in the environment; TZ is bad in .env only.
    await writeFile(path.join(cwd, '.env'), 'PORT=abc\nTZ=Mars/Olympus_Mons\n');
    const problems = await configFailure({ PORT: '0' }, cwd);
    expect(problems).toEqual([expect.stringMatching(/^config: TZ is not a time zone/)]);
  });

  it('configures a full start from a working directory outside the repository', async () => {
    const cwd = await makeTempDir();
    await writeFile(path.join(cwd, '.env'), '# comment\nDATA_DIR=dotenv-data\nPORT=abc\n');
    const bot = spawnBot({ env: { PORT: '0' }, cwd });
    const url = await bot.ready(45_000);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // DATA_DIR came from .env, relative to the working directory, and was created.
    expect(existsSync(path.join(cwd, 'dotenv-data', 'PG_VERSION'))).toBe(true);
    expect(await bot.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(bot.stderr()).toBe('');
  }, 60_000);
});
