/**
 * Fault injection shared by the fakes: one-shot faults queued with `failNext`, plus an optional policy consulted for
 * every call that no queued fault claimed (for probabilistic or conditional faults).
 */

export type FaultPolicy<Call, Fault> = (call: Call) => Fault | undefined;

interface QueuedFault<Target extends string, Fault> {
  target: Target | '*';
  fault: Fault;
  remaining: number;
}

export class FaultQueue<Target extends string, Call, Fault> {
  #queued: QueuedFault<Target, Fault>[] = [];
  #policy: FaultPolicy<Call, Fault> | undefined;

  /** Fail the next `times` calls that match `target` ('*' matches every call). */
  failNext(target: Target | '*', fault: Fault, times = 1): void {
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`failNext: times must be a positive integer, got ${times}`);
    }
    this.#queued.push({ target, fault, remaining: times });
  }

  setPolicy(policy: FaultPolicy<Call, Fault> | undefined): void {
    this.#policy = policy;
  }

  /**
   * The fault for this call, if any: the oldest queued fault whose target matches any of `targets` wins (and is used
   * up), else the policy decides.
   */
  take(targets: readonly Target[], call: Call): Fault | undefined {
    const index = this.#queued.findIndex((q) => q.target === '*' || targets.includes(q.target));
    const queued = this.#queued[index];
    if (queued !== undefined) {
      queued.remaining -= 1;
      if (queued.remaining === 0) this.#queued.splice(index, 1);
      return queued.fault;
    }
    return this.#policy?.(call);
  }

  clear(): void {
    this.#queued = [];
    this.#policy = undefined;
  }
}

/** A deterministic stream of numbers in [0, 1) from a seed (mulberry32): "random" faults that every run repeats. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A policy that answers a share of the calls `applies` to with each fault (shares add up to at most 1), drawn from a
 * seeded stream: the calls it hits look random but are the same on every run with the same call order.
 */
export function randomFaults<Call, Fault>(
  seed: number,
  applies: (call: Call) => boolean,
  shares: readonly { fault: Fault; share: number }[],
): FaultPolicy<Call, Fault> {
  const next = seededRandom(seed);
  return (call) => {
    if (!applies(call)) return undefined;
    let draw = next();
    for (const { fault, share } of shares) {
      if (draw < share) return fault;
      draw -= share;
    }
    return undefined;
  };
}
