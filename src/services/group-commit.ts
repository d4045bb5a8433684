/**
 * Group commit: work items that arrive while a group is being committed wait and are committed together in the next
 * one, so a burst costs one transaction per group instead of one per item. Nothing waits for company: an item that
 * arrives when no group is running starts one at once. Each caller is answered only when its own group is done.
 */
export type Outcome<T> = { value: T } | { error: unknown };

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private running = false;

  /**
   * `commit` gets a group and answers one outcome per item, in order; if it throws, every item of the group gets the
   * error.
   */
  constructor(
    private readonly commit: (items: I[]) => Promise<Outcome<O>[]>,
    private readonly maxGroup = 64,
  ) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    // Items sent in the same turn of the event loop (one socket's requests read together) share the first group.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.maxGroup);
      let outcomes: Outcome<O>[];
      try {
        outcomes = await this.commit(group.map((w) => w.item));
      } catch (error) {
        outcomes = group.map(() => ({ error }));
      }
      for (const [i, w] of group.entries()) {
        const outcome = outcomes[i] ?? { error: new Error('group commit: no outcome for an item') };
        if ('value' in outcome) w.resolve(outcome.value);
        else w.reject(outcome.error);
      }
    }
    this.running = false;
  }
}
