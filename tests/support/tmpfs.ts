/**
 * Small tmpfs mounts for tests about a full or read-only disk (root only: `mount -t tmpfs`). Every mount is tracked
 * and `unmountAll()` (afterEach) takes it down and removes its mount point, whatever state the test left it in.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { mkdtemp, open, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const mounts = new Set<string>();

/** Why tmpfs cannot be mounted here (undefined when it can): tried once, with a 1 MB mount taken down at once. */
export function tmpfsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const dir = mkdtempSync(path.join(tmpdir(), 'coe-tmpfs-probe-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { timeout: 10_000 });
    if (mounted.status !== 0) return `mount -t tmpfs failed: ${String(mounted.stderr || mounted.error).trim()}`;
    spawnSync('umount', [dir], { timeout: 10_000 });
    return undefined;
  } finally {
    rmdirSync(dir);
  }
}

/** A new tmpfs of `megabytes`, mounted on a new folder; returns the folder. */
export async function mountTmpfs(megabytes: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'coe-tmpfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0755`, 'tmpfs', dir]);
  } catch (error) {
    await rmdir(dir);
    throw error;
  }
  mounts.add(dir);
  return dir;
}

export async function remount(dir: string, mode: 'ro' | 'rw'): Promise<void> {
  await run('mount', ['-o', `remount,${mode}`, dir]);
}

/** Writes a filler file in `dir` until the file system says it is full (ENOSPC). */
export async function fillUp(dir: string): Promise<void> {
  const file = await open(path.join(dir, 'filler'), 'w');
  try {
    for (const size of [1024 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          await file.write(chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    await file.close().catch(() => {});
  }
}

/** Unmounts every tmpfs mounted here (lazily if something still holds it) and removes the mount points. */
export async function unmountAll(): Promise<void> {
  for (const dir of mounts) {
    await run('umount', [dir]).catch(() => run('umount', ['-l', dir]));
    await rmdir(dir);
    mounts.delete(dir);
  }
}

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')}: ${stderr || error.message}`));
      else resolve();
    });
  });
}
