/**
 * CPU time spent, read from /proc (Linux): what a run cost the machine, whatever else ran beside it. Wall-clock
 * figures on a shared 2-core machine move with the neighbours; CPU seconds per submission much less, so they are the
 * figure to compare a change with.
 */
import { readdir, readFile } from 'node:fs/promises';
import { descendants } from './memory.ts';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/** utime + stime of one process (all its threads), in ms; 0 once it is gone. */
async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (!stat) return 0;
  // Fields after `(comm)`: state is the 3rd field, utime the 14th and stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** CPU ms of a process and its descendants so far. */
export async function treeCpuMs(pid: number): Promise<number> {
  const pids = [pid, ...(await descendants(pid))];
  const each = await Promise.all(pids.map(cpuMsOf));
  return each.reduce((sum, ms) => sum + ms, 0);
}

/** CPU ms of every process of the local Postgres server so far (its backends come and go; read them all). */
export async function postgresCpuMs(): Promise<number> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const each = await Promise.all(
    pids.map(async (pid) => {
      const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
      return comm === 'postgres' ? cpuMsOf(Number(pid)) : 0;
    }),
  );
  return each.reduce((sum, ms) => sum + ms, 0);
}
