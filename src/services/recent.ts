/**
 * A process-local memo that keeps the most recently written `max` entries: caches of names and usual teams must not
 * grow with every person an organisation has ever had.
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Stores the entry as the newest; the oldest one goes when there are more than `max`. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
