/**
 * In-memory fakes of the core's ports for unit tests: a `Store` with real transaction semantics, an `OutboxQueue`
 * that behaves like `PrismaOutboxQueue` (src/db/store.ts) over the rows the store enqueues, and a clock tests move.
 *
 * Transactions run one at a time (like serializable ones) on a copy of the committed tables; the copy replaces the
 * tables when the work returns and is dropped when it throws. Outbox rows are buffered in the transaction and
 * appended on commit, so the queue can update committed rows meanwhile without either side losing a write.
 */
import type { Layer, Person, PersonRef, Platform } from '../../src/domain/people.ts';
import type {
  Clock,
  MessageRef,
  OutboundMessage,
  OutboxQueue,
  OutboxRow,
  Repositories,
  StateChange,
  Store,
} from '../../src/ports.ts';

/** A clock that stands still until the test moves it. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date | string = '2025-03-03T09:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'superseded';

/** An outbox row with the columns of `outbox_message`. */
export interface MemoryOutboxRow extends OutboundMessage {
  id: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lockedBy: string | null;
  lastError: string | null;
  ref: MessageRef | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface RecordedEvent extends StateChange {
  at: Date;
}

interface Tables {
  people: Map<number, Person>;
  /** `platform:externalId` → person id. */
  identities: Map<string, number>;
  reviewChannels: Map<Platform, string>;
  events: RecordedEvent[];
  processed: Set<string>;
  nextPersonId: number;
}

const identityKey = (ref: Pick<PersonRef, 'platform' | 'externalId'>) => `${ref.platform}:${ref.externalId}`;

export class MemoryStore implements Store {
  private tables: Tables = {
    people: new Map(),
    identities: new Map(),
    reviewChannels: new Map(),
    events: [],
    processed: new Set(),
    nextPersonId: 1,
  };
  /** The outbox table; share it with `MemoryOutboxQueue`. */
  readonly outbox: MemoryOutboxRow[] = [];
  private nextOutboxId = 1;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clock: Clock = new ManualClock(),
    /** Runs after every commit, like `PrismaStore`'s hook. */
    private readonly afterCommit: () => void = () => {},
  ) {}

  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.run(work));
  }

  once<T>(
    key: string,
    work: (repos: Repositories) => Promise<T>,
  ): Promise<{ duplicate: false; value: T } | { duplicate: true }> {
    return this.exclusive(async () => {
      if (this.tables.processed.has(key)) return { duplicate: true as const };
      const value = await this.run(work, (draft) => draft.processed.add(key));
      return { duplicate: false as const, value };
    });
  }

  // Committed state, for assertions.
  get people(): Person[] {
    return [...this.tables.people.values()].map((p) => ({ ...p }));
  }
  get events(): RecordedEvent[] {
    return structuredClone(this.tables.events);
  }
  personByIdentity(platform: Platform, externalId: string): Person | undefined {
    const id = this.tables.identities.get(identityKey({ platform, externalId }));
    const person = id === undefined ? undefined : this.tables.people.get(id);
    return person && { ...person };
  }
  reviewChannel(platform: Platform): string | undefined {
    return this.tables.reviewChannels.get(platform);
  }
  processed(key: string): boolean {
    return this.tables.processed.has(key);
  }

  /** Queues `fn` behind every transaction already running or waiting. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.lock.then(fn);
    this.lock = result.catch(() => {});
    return result;
  }

  private async run<T>(work: (repos: Repositories) => Promise<T>, prepare?: (draft: Tables) => void): Promise<T> {
    const draft = structuredClone(this.tables);
    const queued: OutboundMessage[] = [];
    prepare?.(draft);
    const value = await work(this.repositories(draft, queued));
    this.tables = draft;
    for (const message of queued) this.append(message);
    this.afterCommit();
    return value;
  }

  private repositories(t: Tables, queued: OutboundMessage[]): Repositories {
    const clock = this.clock;
    const outbox = this.outbox;
    return {
      people: {
        async identify(ref) {
          const id = t.identities.get(identityKey(ref));
          const found = id === undefined ? undefined : t.people.get(id);
          if (found) {
            if (ref.displayName) found.displayName = ref.displayName;
            return { ...found };
          }
          const person: Person = { id: t.nextPersonId++, layer: 'worker', displayName: ref.displayName ?? null };
          t.people.set(person.id, person);
          t.identities.set(identityKey(ref), person.id);
          return { ...person };
        },
        async setLayer(personId: number, layer: Layer) {
          const person = t.people.get(personId);
          if (!person) throw new Error(`no person ${personId}`);
          person.layer = layer;
        },
        async identitiesOf(personId: number) {
          return [...t.identities]
            .filter(([, id]) => id === personId)
            .map(([key]) => {
              const [platform, ...rest] = key.split(':');
              return { platform: platform as Platform, externalId: rest.join(':') };
            });
        },
      },
      reviewChannels: {
        async set(platform, channelId) {
          t.reviewChannels.set(platform, channelId);
        },
        async get(platform) {
          return t.reviewChannels.get(platform);
        },
      },
      events: {
        async record(change) {
          t.events.push({ ...structuredClone(change), at: clock.now() });
        },
      },
      outbox: {
        async enqueue(message) {
          if (outbox.some((r) => r.key === message.key) || queued.some((m) => m.key === message.key)) return;
          queued.push(structuredClone(message));
        },
      },
    };
  }

  private append(message: OutboundMessage): void {
    const now = this.clock.now();
    const target = message.target;
    if (target.kind === 'update') {
      // As in PrismaStore: only the newest content of a message matters; older waiting updates are dropped.
      for (const row of this.outbox) {
        if (row.status === 'pending' && row.target.kind === 'update' && row.target.of === target.of) {
          row.status = 'superseded';
        }
      }
    }
    this.outbox.push({
      ...message,
      id: String(this.nextOutboxId++),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      lockedBy: null,
      lastError: null,
      ref: null,
      createdAt: now,
      sentAt: null,
    });
  }
}

/** `PrismaOutboxQueue` over an in-memory outbox table, on the given clock. Each call is atomic. */
export class MemoryOutboxQueue implements OutboxQueue {
  constructor(
    readonly rows: MemoryOutboxRow[],
    private readonly clock: Clock,
  ) {}

  /** The row behind an idempotency key (test helper). */
  row(key: string): MemoryOutboxRow {
    const row = this.rows.find((r) => r.key === key);
    if (!row) throw new Error(`no outbox row ${key}`);
    return row;
  }

  async claim(worker: string, limit: number, leaseMs: number): Promise<OutboxRow[]> {
    const now = this.clock.now();
    const due = this.rows
      .filter(
        (r) =>
          (r.status === 'pending' && r.nextAttemptAt <= now) ||
          (r.status === 'sending' && r.lockedUntil !== null && r.lockedUntil < now),
      )
      .sort((a, b) => Number(a.id) - Number(b.id))
      .slice(0, limit);
    return due.map((r) => {
      const inDoubt = r.status === 'sending';
      r.status = 'sending';
      r.lockedBy = worker;
      r.lockedUntil = new Date(now.getTime() + leaseMs);
      r.attempts += 1;
      return {
        id: r.id,
        key: r.key,
        platform: r.platform,
        target: structuredClone(r.target),
        body: structuredClone(r.body),
        attempts: r.attempts,
        createdAt: r.createdAt,
        inDoubt,
      };
    });
  }

  async refOf(key: string): Promise<MessageRef | null | undefined> {
    const row = this.rows.find((r) => r.key === key);
    if (!row || row.status === 'failed') return null;
    return row.status === 'sent' ? { ...(row.ref ?? {}) } : undefined;
  }

  async markSent(id: string, worker: string, ref: MessageRef): Promise<boolean> {
    const row = this.owned(id, worker);
    if (!row) return false;
    Object.assign(row, {
      status: 'sent',
      ref: { ...ref },
      sentAt: this.clock.now(),
      lockedUntil: null,
      lastError: null,
    });
    return true;
  }

  async retryAt(id: string, worker: string, at: Date, error?: string): Promise<void> {
    const row = this.owned(id, worker);
    if (row) Object.assign(row, { status: 'pending', nextAttemptAt: at, lockedUntil: null, lastError: error ?? null });
  }

  async markFailed(id: string, worker: string, error: string): Promise<void> {
    const row = this.owned(id, worker);
    if (row) Object.assign(row, { status: 'failed', lockedUntil: null, lastError: error });
  }

  async backlog(): Promise<{ pending: number; nextDueAt: Date | undefined }> {
    const pending = this.rows.filter((r) => r.status === 'pending' || r.status === 'sending').length;
    const due = this.rows.filter((r) => r.status === 'pending').map((r) => r.nextAttemptAt.getTime());
    return { pending, nextDueAt: due.length > 0 ? new Date(Math.min(...due)) : undefined };
  }

  /** The row only while `worker` holds its lease, as the SQL's `WHERE locked_by = worker AND status = 'sending'`. */
  private owned(id: string, worker: string): MemoryOutboxRow | undefined {
    return this.rows.find((r) => r.id === id && r.lockedBy === worker && r.status === 'sending');
  }
}
