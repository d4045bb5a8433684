/**
 * Once the bot has gone quiet, one full garbage collection if V8's old generation has grown since the last one, with
 * V8 asked to favour size until the next request.
 *
 * Why in a quiet moment: what a busy spell promotes has to be marked and compacted some time, and V8 does it when the
 * old generation reaches the limit it set at its last full collection — for a bot fresh from start-up, whose limit
 * was set before its code had run, that was the first burst of `/friction` after a quiet spell: the scavenges and the
 * mark-compact (~40 ms of pauses) landed among its 50 acks, which is why that burst was the bench's slowest in most
 * rounds. Collected in the quiet spell before, the same burst had one 3 ms scavenge.
 *
 * Why favour size: a storm grows V8's heap (on Postgres from ~55 MB to ~110 MB of committed heap pages), and a
 * collection frees the objects but gives the pages back only when V8's memory reducer runs, which it does when it
 * judges the allocation rate low: the outbox posting a review a second after a burst could hold it off for the whole
 * 40 s the bench waits (idle 117–203 MB over five runs). With `--optimize-for-size` on while quiet, the reducer ran
 * 13–14 s after the storm in 9 runs of 9 (idle 106–129 MB), at no cost to throughput: the flag is off again at the
 * next request. While requests keep coming none of this runs, so no answer waits behind it.
 */

import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface HeapUpkeepOptions {
  /** How long without a request counts as quiet. */
  quietMs: number;
  /** Growth of V8's old generation since the last full collection (bytes) that makes one worth running. */
  grownBytes: number;
  /** The collection itself (tests count calls); V8's own full collection by default, with room left after it. */
  collect?: () => void;
  /** Asks V8 to favour size over speed (true) or not (false); V8's `--optimize-for-size` by default. */
  favourSize?: (on: boolean) => void;
  /** Bytes in use in V8's old generation (every space but the young one); V8's own figures by default. */
  oldGeneration?: () => number;
  now?: () => number;
}

export interface HeapUpkeep {
  /** Called for every request answered. */
  request(): void;
  stop(): void;
}

export const DEFAULT_HEAP_UPKEEP = { quietMs: 3_000, grownBytes: 8 * 1024 * 1024 } as const;

export function heapUpkeep(options: HeapUpkeepOptions): HeapUpkeep {
  // Found on first use: a bot whose heap never grows leaves V8's flags as they are.
  const collect = options.collect ?? collectWithHeadroom;
  const favourSize =
    options.favourSize ?? ((on: boolean) => setFlagsFromString(`--${on ? '' : 'no-'}optimize-for-size`));
  const now = options.now ?? Date.now;
  const oldGeneration = options.oldGeneration ?? oldGenerationBytes;
  // The old generation's size after the last full collection: ours, or V8's own (seen as the size going down).
  let floor = oldGeneration();
  let favouringSize = false;
  let last = now();
  const check = setInterval(
    () => {
      const used = oldGeneration();
      floor = Math.min(floor, used);
      if (now() - last < options.quietMs || used - floor < options.grownBytes) return;
      if (!favouringSize) favourSize(true);
      favouringSize = true;
      collect();
      floor = oldGeneration();
    },
    Math.max(1, options.quietMs / 5),
  );
  check.unref();
  return {
    request() {
      if (favouringSize) {
        favouringSize = false;
        favourSize(false);
      }
      last = now();
    },
    stop() {
      clearInterval(check);
    },
  };
}

/**
 * The collection, with room for the next busy spell: V8 sets the next limit of the old generation at this collection,
 * and left to itself it leaves only ~10 MB above what survives. A burst of 50 `/friction` promotes 0.7–1 MB, so the
 * next mark-compact fell among the acks of the bench's eighth to tenth burst (traced: 2 rounds of 2); with the limit
 * at twice what survives, it fell in the storm that follows, once instead of three or four times (4 rounds of 4).
 * V8's own collections after it set their limits as usual, and its memory reducer gives the room back when the bot
 * stays quiet.
 */
function collectWithHeadroom(): void {
  const gc = fullCollection();
  setFlagsFromString('--heap-growing-percent=100');
  try {
    gc();
  } finally {
    // 0 is V8's default: a growth factor of its own choosing.
    setFlagsFromString('--heap-growing-percent=0');
  }
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

function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (!space.space_name.startsWith('new_')) bytes += space.space_used_size;
  }
  return bytes;
}
