/**
 * A value read from the database and kept for a few seconds, for reads every request would otherwise make (the team
 * names a friction form offers, the review channels a report's review goes to). A change made through this process
 * forgets it at once; one made by another replica is seen within `ttlMs`.
 */
export class RecentValue<T> {
  private value: T | undefined;
  private at = 0;
  /** The read under way, which every caller that finds nothing kept shares. */
  private reading: Promise<T> | undefined;
  /** Bumped by `forget`: a read begun before a change is not kept after it. */
  private generation = 0;

  constructor(private readonly ttlMs = 5_000) {}

  get(): T | undefined {
    return this.value !== undefined && Date.now() - this.at < this.ttlMs ? this.value : undefined;
  }

  set(value: T): void {
    this.value = value;
    this.at = Date.now();
  }

  /**
   * The kept value, or else one read for everyone asking now: when it runs out under load, fifty forms opening at
   * once cost one read, not fifty queued behind each other. `alone`: a read inside a transaction neither shares nor
   * is shared, since it may wait for, or be waited on by, the one session the embedded database has.
   */
  async read(load: () => Promise<T>, { alone = false } = {}): Promise<T> {
    const kept = this.get();
    if (kept !== undefined) return kept;
    if (this.reading && !alone) return this.reading;
    const generation = this.generation;
    const reading = load().then((value) => {
      if (this.generation === generation) this.set(value);
      return value;
    });
    if (alone) return reading;
    this.reading = reading;
    try {
      return await reading;
    } finally {
      if (this.reading === reading) this.reading = undefined;
    }
  }

  /** Forgotten at once, not on commit: a rollback only costs one more read. */
  forget(): void {
    this.value = undefined;
    this.reading = undefined;
    this.generation++;
  }
}
