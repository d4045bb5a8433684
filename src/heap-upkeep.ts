/**
 * After a busy spell, one full garbage collection once the bot has gone quiet, with V8 asked to favour size until the
 * next request. A storm of submissions grows V8's heap (on Postgres from ~55 MB to ~110 MB of committed heap pages),
 * and a collection frees the objects but gives the pages back only when V8's memory reducer runs, which it does when
 * it judges the allocation rate low: the outbox posting a review a second after a burst could hold it off for the
 * whole 40 s the bench waits (idle 117–203 MB over five runs). With `--optimize-for-size` on while quiet, the reducer
 * ran 13–14 s after the storm in 9 runs of 9 (idle 106–129 MB), at no cost to throughput: the flag is off again at
 * the next request. While requests keep coming none of this runs, so no answer waits behind it.
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
  /** Asks V8 to favour size over speed (true) or not (false); V8's `--optimize-for-size` by default. */
  favourSize?: (on: boolean) => void;
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
  const favourSize =
    options.favourSize ?? ((on: boolean) => setFlagsFromString(`--${on ? '' : 'no-'}optimize-for-size`));
  const now = options.now ?? Date.now;
  let requests = 0;
  let small = false;
  let last = now();
  const check = setInterval(
    () => {
      if (requests < options.busyRequests || now() - last < options.quietMs) return;
      requests = 0;
      small = true;
      favourSize(true);
      collect();
    },
    Math.max(1, options.quietMs / 5),
  );
  check.unref();
  return {
    request() {
      if (small) {
        small = false;
        favourSize(false);
      }
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
