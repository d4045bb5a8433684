/**
 * The embedded database's disk at start, on the real process: DATA_DIR on a read-only or a full file system (a small
 * tmpfs; root only), or below a regular file (anywhere). The bot must stop with a non-zero exit code and one line
 * naming DATA_DIR, its path and the reason, instead of a stack trace; and an existing database in that folder must come
 * out of it untouched, so that the bot starts on it once the disk is fixed.
 */
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fillUp, mountTmpfs, remount, tmpfsUnavailable, unmountAll } from '../support/tmpfs.ts';
import { delay, makeTempDir, removeTempDirs, spawnBot, stopAllBots } from './bot-process.ts';
import { seedDataDir, storedReportsIn } from './friction-forms.ts';

/** The seeded database is about 40 MB. */
const TMPFS_MB = 64;

let seededDir: string;
let cwd: string;

beforeAll(async () => {
  cwd = await makeTempDir('coe-disk-cwd-');
  seededDir = path.join(await makeTempDir('coe-disk-seed-'), 'data');
  await seedDataDir(seededDir);
}, 60_000);

afterEach(async () => {
  await stopAllBots();
  await unmountAll();
});

afterAll(async () => {
  await removeTempDirs();
});

const env = (dataDir: string) => ({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });

/**
 * Starts the bot on `dataDir` expecting it to give up: exit code 1 within 45 s, having never been ready, and one
 * stderr line about DATA_DIR, the last one, without a stack trace. Returns that line.
 */
async function failsToStart(dataDir: string): Promise<string> {
  const bot = spawnBot({ cwd, env: env(dataDir) });
  const exit = await Promise.race([bot.exited, delay(45_000).then(() => 'still running after 45 s')]);
  const output = `stderr:\n${bot.stderr()}\nstdout:\n${bot.stdout().slice(-3000)}`;
  expect(exit, output).toEqual({ code: 1, signal: null });
  expect(bot.logs.some((l) => l.msg === 'ready')).toBe(false);
  const lines = bot.stderr().trimEnd().split('\n');
  const aboutDataDir = lines.filter((l) => l.includes('DATA_DIR'));
  expect(aboutDataDir, output).toHaveLength(1);
  expect(lines.at(-1)).toBe(aboutDataDir[0]);
  expect(bot.stderr(), output).not.toMatch(/^\s+at /m);
  // The same words reach the JSON log, for whoever reads that instead.
  expect(bot.logs.some((l) => l.level === 60 && l.msg.startsWith(`DATA_DIR ${dataDir}:`))).toBe(true);
  return aboutDataDir[0] ?? '';
}

/** The one line, with the path and the reason the operating system gave. */
function expectedLine(dataDir: string, reason: string): RegExp {
  const escaped = dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^DATA_DIR ${escaped}: the embedded database cannot be opened there: ${reason}.*start again\\.$`);
}

/** Starts the bot on `dataDir` and stops it cleanly; the seeded data is still there. */
async function startsOn(dataDir: string): Promise<void> {
  const bot = spawnBot({ cwd, env: env(dataDir) });
  await bot.ready(45_000);
  expect(await bot.stop('SIGTERM'), bot.stdout().slice(-3000)).toEqual({ code: 0, signal: null });
  expect((await storedReportsIn(dataDir)).marker).toBe(true);
}

/** Every file below `dir` with a hash of its bytes. */
async function contents(dir: string): Promise<Record<string, string>> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const entries = await Promise.all(
    files.map(async (f) => {
      const file = path.join(f.parentPath, f.name);
      return [
        path.relative(dir, file),
        createHash('sha256')
          .update(await readFile(file))
          .digest('hex'),
      ] as const;
    }),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

const noTmpfs = tmpfsUnavailable();
if (noTmpfs) console.warn(`\n!!! tests/process/faults-disk.test.ts: the tmpfs cases are skipped: ${noTmpfs}\n`);

describe.skipIf(noTmpfs !== undefined)(
  `the embedded database on a small tmpfs${noTmpfs ? ` — skipped: ${noTmpfs}` : ''}`,
  () => {
    it('read-only at start: exit 1 and one line naming DATA_DIR; the database is untouched and starts once writable', async () => {
      const mount = await mountTmpfs(TMPFS_MB);
      const dataDir = path.join(mount, 'data');
      await cp(seededDir, dataDir, { recursive: true });
      const before = await contents(dataDir);
      await remount(mount, 'ro');

      expect(await failsToStart(dataDir)).toMatch(expectedLine(dataDir, 'EROFS: read-only file system'));
      await remount(mount, 'rw');
      expect(await contents(dataDir)).toEqual(before);
      await startsOn(dataDir);
    }, 120_000);

    it('full at start: exit 1 and one line naming DATA_DIR; the database is untouched and a copy of it starts', async () => {
      const mount = await mountTmpfs(TMPFS_MB);
      const dataDir = path.join(mount, 'data');
      await cp(seededDir, dataDir, { recursive: true });
      const before = await contents(dataDir);
      await fillUp(mount);

      expect(await failsToStart(dataDir)).toMatch(expectedLine(dataDir, 'ENOSPC: no space left on device'));
      expect(await contents(dataDir)).toEqual(before);
      // Moved to a disk with room, it works as before.
      const healthy = path.join(await makeTempDir('coe-disk-healthy-'), 'data');
      await cp(dataDir, healthy, { recursive: true });
      await startsOn(healthy);
    }, 120_000);

    it('first start on a disk too small for a new database: PGlite fails as it fills it; the same one line', async () => {
      // Above the bot's 16 MB minimum, below the ~40 MB a new database takes: the failure comes from PGlite itself.
      const mount = await mountTmpfs(24);
      const dataDir = path.join(mount, 'data');
      expect(await failsToStart(dataDir)).toMatch(expectedLine(dataDir, 'ENOSPC: no space left on device'));
      // It got as far as writing the new database (and filling the disk).
      expect(await readdir(dataDir)).toContain('pg_wal');
    }, 120_000);
  },
);

describe('DATA_DIR that cannot be a folder (no mount needed)', () => {
  it('below a regular file: exit 1 and one line naming DATA_DIR, its path and ENOTDIR', async () => {
    const file = path.join(await makeTempDir('coe-disk-file-'), 'not-a-folder');
    await writeFile(file, 'a regular file\n');
    const dataDir = path.join(file, 'data');
    expect(await failsToStart(dataDir)).toMatch(expectedLine(dataDir, 'ENOTDIR: not a directory'));
  }, 60_000);
});
