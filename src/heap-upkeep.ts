/**
 * After a busy spell, one full garbage collection once the bot has gone quiet. A storm of submissions grows V8's heap
 * (on Postgres from ~70 MB to ~145 MB of heap pages), and V8 gives that back only when its memory reducer happens to
 * run: measured 40 s after a storm, the process held either ~125 MB or ~240 MB, depending on whether it had. The
 * collection frees what the storm left (its heap in use fell from ~100 MB to ~34 MB) and usually sets the reducer off
 * within seconds, which also shrinks the young generation; not always (see issue 9's notes). While requests keep
 * coming it never runs, so no answer waits behind it.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface HeapUpkeepOptions {
  /** How long without a request counts as quiet. */
  quietMs: number;
  /** Requests since the last collection that make a spell busy enough to be worth one. */
  busyRequests: number;
  /** The collection itself (tests count calls); V8's own full collection by default. */
  collect?: () => void;
  now?: () => number;
}

export interface HeapUpkeep {
  /** Called for every request answered. */
  request(): void;
  stop(): void;
}

export const DEFAULT_HEAP_UPKEEP = { quietMs: 5_000, busyRequests: 200 } as const;

export function heapUpkeep(options: HeapUpkeepOptions): HeapUpkeep {
  // Found on first use: a bot that is never busy leaves V8's flags as they are.
  const collect = options.collect ?? (() => fullCollection()());
  const now = options.now ?? Date.now;
  let requests = 0;
  let last = now();
  const check = setInterval(
    () => {
      if (requests < options.busyRequests || now() - last < options.quietMs) return;
      requests = 0;
      collect();
    },
    Math.max(1, options.quietMs / 5),
  );
  check.unref();
  return {
    request() {
      requests++;
      last = now();
    },
    stop() {
      clearInterval(check);
    },
  };
}

/**
 * V8's full collection, as `node --expose-gc` offers it, without asking `npm start` for the flag: the flag only adds
 * `gc` to contexts made after it is set, so one is made for it.
 */
let exposedGc: (() => void) | undefined;

function fullCollection(): () => void {
  exposedGc ??= (globalThis as { gc?: () => void }).gc;
  if (!exposedGc) {
    setFlagsFromString('--expose-gc');
    exposedGc = runInNewContext('gc') as () => void;
  }
  return exposedGc;
}
