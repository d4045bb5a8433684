/**
 * Resident memory of a spawned process and of its whole process tree, read from /proc (Linux). The tree is found by
 * parent pid over /proc/<pid>/stat: /proc/<pid>/task/<tid>/children is not available on every kernel. Threads (the
 * bot's PGlite worker) live in the process itself, so the process's VmRSS already counts them; a child process adds
 * its own.
 */
import { readdir, readFile } from 'node:fs/promises';

export interface Rss {
  /** VmRSS of the process, in kB. */
  process: number;
  /** VmRSS of the process and every descendant, in kB. */
  tree: number;
  /** Processes in the tree, the process included. */
  processes: number;
}

const NONE: Rss = { process: Number.NaN, tree: Number.NaN, processes: 0 };

async function vmRssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
}

/** Every running process's parent, from /proc/<pid>/stat (the parent is the 2nd field after the `(comm)`). */
async function parents(): Promise<Map<number, number>> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const byPid = new Map<number, number>();
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (Number.isInteger(ppid)) byPid.set(Number(pid), ppid);
    }),
  );
  return byPid;
}

export async function descendants(root: number): Promise<number[]> {
  const byPid = await parents();
  const found: number[] = [];
  let level = [root];
  while (level.length > 0) {
    const next = [...byPid].filter(([, ppid]) => level.includes(ppid)).map(([pid]) => pid);
    found.push(...next);
    level = next;
  }
  return found;
}

/** The process's RSS and its tree's, now; NaN once it is gone. */
export async function treeRss(pid: number): Promise<Rss> {
  const own = await vmRssKb(pid);
  if (!Number.isFinite(own)) return NONE;
  const children = await Promise.all((await descendants(pid)).map(vmRssKb));
  const alive = children.filter(Number.isFinite);
  return { process: own, tree: own + alive.reduce((sum, kb) => sum + kb, 0), processes: 1 + alive.length };
}

/**
 * Runs `work` while sampling `treeRss(pid)` every `everyMs`; the peak is the highest process and tree figures seen
 * (each its own maximum: they may peak at different samples).
 */
export async function withPeakRss<T>(
  pid: number,
  work: () => Promise<T>,
  everyMs = 50,
): Promise<{ result: T; peak: Rss }> {
  let peak: Rss = { process: 0, tree: 0, processes: 0 };
  let running = true;
  const sampling = (async () => {
    while (running) {
      const now = await treeRss(pid);
      if (Number.isFinite(now.process)) {
        peak = {
          process: Math.max(peak.process, now.process),
          tree: Math.max(peak.tree, now.tree),
          processes: Math.max(peak.processes, now.processes),
        };
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  let result: T;
  try {
    result = await work();
  } finally {
    running = false;
    await sampling;
  }
  return { result, peak: peak.processes === 0 ? NONE : peak };
}
