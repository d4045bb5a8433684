/**
 * A value read from the database and kept for a few seconds, for reads every request would otherwise make (the team
 * names a friction form offers, the review channels a report's review goes to). A change made through this process
 * forgets it at once; one made by another replica is seen within `ttlMs`.
 */
export class RecentValue<T> {
  private value: T | undefined;
  private at = 0;

  constructor(private readonly ttlMs = 5_000) {}

  get(): T | undefined {
    return this.value !== undefined && Date.now() - this.at < this.ttlMs ? this.value : undefined;
  }

  set(value: T): void {
    this.value = value;
    this.at = Date.now();
  }

  /** Forgotten at once, not on commit: a rollback only costs one more read. */
  forget(): void {
    this.value = undefined;
  }
}
