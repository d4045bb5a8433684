/**
 * CPU time spent, read from /proc (Linux): what a run cost the machine, whatever else ran beside it. Wall-clock
 * figures on a shared 2-core machine move with the neighbours; CPU seconds per submission much less, so they are the
 * figure to compare a change with.
 */
import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * A process's threads on the scheduler so far, in ms, from /proc/<pid>/task/<tid>/schedstat: its main thread's time
 * on a core and its time ready to run with no core free, and the time its other threads ran (V8's compiler and GC
 * helpers, a bot's database worker, libuv's pool). Read synchronously: it is taken at the edges of a burst.
 */
export interface ThreadTimes {
  mainRun: number;
  mainWait: number;
  othersRun: number;
}

export function threadTimes(pid: number): ThreadTimes | undefined {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const times = { mainRun: 0, mainWait: 0, othersRun: 0 };
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // "<ns on a core> <ns waiting for one> <time slices>"
    const [run = 0, wait = 0] = stat.split(' ').map((field) => Number(field) / 1e6);
    if (tid === String(pid)) {
      times.mainRun = run;
      times.mainWait = wait;
    } else {
      times.othersRun += run;
    }
  }
  return times;
}

/** Each burst's thread times, from just before it is sent to its last ack (undefined where /proc could not tell). */
export class BurstThreads {
  readonly bursts: (ThreadTimes | undefined)[] = [];
  private start: ThreadTimes | undefined;

  constructor(private readonly pid: number) {}

  readonly sending = (): void => {
    this.start = threadTimes(this.pid);
  };

  readonly answered = (): void => {
    const end = threadTimes(this.pid);
    const start = this.start;
    this.bursts.push(
      start && end
        ? {
            mainRun: end.mainRun - start.mainRun,
            mainWait: end.mainWait - start.mainWait,
            // A thread that ended in between takes its time with it: never below nothing.
            othersRun: Math.max(0, end.othersRun - start.othersRun),
          }
        : undefined,
    );
  };
}
