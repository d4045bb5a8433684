import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BurstThreads, threadTimes } from '../../bench/cpu.ts';

/** A pid above Linux's largest (2^22): no such process. */
const GONE = 2 ** 22 + 1;

describe('the bench: threads of a process during a burst (/proc schedstat)', () => {
  it.runIf(existsSync('/proc/self/task'))("counts the main thread's time on a core from send to last ack", () => {
    const threads = new BurstThreads(process.pid);
    threads.sending();
    // 40 ms of this process's CPU, nearly all of it this (main) thread's busy loop.
    const since = process.cpuUsage();
    let spins = 0;
    while (cpuMs(process.cpuUsage(since)) < 40) spins++;
    threads.answered();
    const [burst] = threads.bursts;
    expect(spins).toBeGreaterThan(0);
    expect(burst?.mainRun).toBeGreaterThan(20);
    expect(burst?.mainWait).toBeGreaterThanOrEqual(0);
    expect(burst?.othersRun).toBeGreaterThanOrEqual(0);
  });

  it('tells nothing of a process that is gone, rather than a zero', () => {
    expect(threadTimes(GONE)).toBeUndefined();
    const threads = new BurstThreads(GONE);
    threads.sending();
    threads.answered();
    expect(threads.bursts).toEqual([undefined]);
  });
});

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
