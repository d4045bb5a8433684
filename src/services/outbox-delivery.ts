/**
 * Drains the durable outbox: every outbound chat message was written as a row first; this sends each one, honours
 * Retry-After and backs off exponentially on failures, records the platform's message reference, and never sends a
 * row twice. Claims are leases, so several replicas may drain one database; an in-doubt row (its sender vanished
 * mid-send) is first looked for on the platform before it is sent again.
 */
import type { Platform } from '../domain/people.ts';
import { NO_TELEMETRY, type Telemetry } from '../ports/telemetry.ts';
import {
  type Clock,
  DeliveryError,
  type MessageRef,
  type MessageSender,
  type OutboxQueue,
  type OutboxRow,
} from '../ports.ts';

export interface DeliveryLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DelivererOptions {
  queue: OutboxQueue;
  senders: Partial<Record<Platform, MessageSender>>;
  clock: Clock;
  /** Unique per process: the lease owner. */
  worker: string;
  logger?: DeliveryLogger;
  batchSize?: number;
  /** Messages in flight at once. */
  concurrency?: number;
  leaseMs?: number;
  /** How often to look for work that another replica queued or that became due. */
  pollMs?: number;
  /** Transient failures are retried for this long before a row is given up as failed. */
  giveUpAfterMs?: number;
  /** Told about every row that reached its platform or failed for good, and why (a fan-out counts its progress). */
  onSettled?: (row: OutboxRow, outcome: 'sent' | 'failed', error?: string) => void | Promise<void>;
  /** Counts deliveries and retries for the operators (nothing by default). */
  telemetry?: Pick<Telemetry, 'delivered' | 'retried'>;
}

const SECOND = 1000;

export class OutboxDeliverer {
  private readonly o: Required<Omit<DelivererOptions, 'logger' | 'onSettled'>> &
    Pick<DelivererOptions, 'logger' | 'onSettled'>;
  private readonly pausedUntil = new Map<Platform, number>();
  private readonly lastSentToChannel = new Map<string, number>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pokedWhileBusy = false;

  constructor(options: DelivererOptions) {
    this.o = {
      // A claimed row is "in doubt" if this process dies, and rows to one channel go out a second apart: small
      // batches keep both the doubt after a crash and the time a lease must cover short.
      batchSize: 16,
      concurrency: 16,
      leaseMs: 60 * SECOND,
      pollMs: 1 * SECOND,
      giveUpAfterMs: 24 * 3600 * SECOND,
      ...options,
      telemetry: options.telemetry ?? NO_TELEMETRY,
    };
  }

  /** Starts draining in the background until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New rows were queued: look now instead of at the next poll. */
  poke(): void {
    this.pokedWhileBusy = true;
    this.wake?.();
  }

  /** Stops taking new rows; waits for the messages in flight (claimed rows not started yet are put back). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * Sends what is due until nothing is left or the deadline passes (used at shutdown and in tests). Returns how many
   * rows are still waiting.
   */
  async flush(deadline: number): Promise<number> {
    const beforeDeadline = () => this.o.clock.now().getTime() < deadline;
    while (beforeDeadline()) {
      const handled = await this.deliverDue(beforeDeadline);
      if (handled === 0) {
        const { pending, nextDueAt } = await this.o.queue.backlog();
        if (pending === 0) return 0;
        const wait = Math.min(
          (nextDueAt?.getTime() ?? 0) - this.o.clock.now().getTime(),
          deadline - this.o.clock.now().getTime(),
        );
        await sleep(Math.max(20, Math.min(wait, 250)));
      }
    }
    return (await this.o.queue.backlog()).pending;
  }

  /**
   * One pass: claims due rows and delivers them. Returns how many rows it handled. A claimed batch may hold many rows
   * to one channel, sent a second apart: once `going()` turns false (a stop, a deadline) the rows not started yet are
   * put back at once, for this or another process, instead of holding the stop for the whole batch.
   */
  async deliverDue(going: () => boolean = () => true): Promise<number> {
    const rows = await this.o.queue.claim(this.o.worker, this.o.batchSize, this.o.leaseMs, this.paused());
    if (rows.length === 0) return 0;
    // Rows to one channel keep their order; different channels go out in parallel.
    const lanes = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const lane = laneOf(row);
      lanes.set(lane, [...(lanes.get(lane) ?? []), row]);
    }
    const queue = [...lanes.values()];
    const workers = Array.from({ length: Math.min(this.o.concurrency, queue.length) }, async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const row of lane) {
          if (going()) await this.deliver(row);
          else await this.release(row, this.o.clock.now());
        }
      }
    });
    await Promise.all(workers);
    return rows.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pokedWhileBusy = false;
      let handled = 0;
      try {
        handled = await this.deliverDue(() => this.running);
      } catch (error) {
        this.o.logger?.error({ err: error }, 'outbox: could not claim messages; will retry');
      }
      if (handled > 0 || this.pokedWhileBusy || !this.running) continue;
      // Back when a pause ends, not a whole poll later: what it held is due at once. A pause that ended after the
      // claim skipped its platform is still here (pauses are forgotten at the next claim): its rows go at once too,
      // rather than a whole poll later.
      const now = this.o.clock.now().getTime();
      const resume = Math.min(...this.pausedUntil.values());
      const wait = Math.max(10, Math.min(this.o.pollMs, resume - now));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const { queue, clock } = this.o;
    const now = clock.now().getTime();
    const sender = this.o.senders[row.platform];
    if (!sender) {
      // The platform is switched off in this process; another replica (or a restart with credentials) sends it.
      await this.release(row, new Date(now + 60 * SECOND), `${row.platform} is not configured`);
      return;
    }
    if (await this.heldByRateLimit(row)) return;
    const spacing = sender.perChannelIntervalMs ?? 0;
    const lane = laneOf(row);
    const last = this.lastSentToChannel.get(lane) ?? 0;
    if (spacing > 0 && now - last < spacing) await sleep(spacing - (now - last));

    let parent: MessageRef | undefined;
    const parentKey =
      row.target.kind === 'update' ? row.target.of : row.target.kind === 'channel' ? row.target.threadOf : undefined;
    if (parentKey) {
      const ref = await queue.refOf(parentKey);
      if (ref === null) {
        await this.markFailed(row, `the message it refers to (${parentKey}) was never delivered`);
        return;
      }
      if (ref === undefined) {
        await this.release(row, new Date(now + SECOND), 'waiting for the message it refers to');
        return;
      }
      parent = ref;
    }
    // Again after the waits above: a 429 on another row may have paused the platform meanwhile.
    if (await this.heldByRateLimit(row)) return;

    try {
      if (row.inDoubt && sender.findDelivered) {
        const found = await sender.findDelivered(row, parent);
        if (found) {
          await this.markSent(row, found);
          this.o.logger?.info({ key: row.key }, 'outbox: in-doubt message was already delivered');
          return;
        }
      }
      this.o.logger?.debug({ key: row.key }, 'outbox: sending');
      const ref = await sender.send(row, parent);
      this.lastSentToChannel.set(lane, clock.now().getTime());
      if (!(await this.markSent(row, ref))) {
        this.o.logger?.warn({ key: row.key }, 'outbox: lease lost while sending; the new owner will reconcile');
      }
    } catch (error) {
      await this.failed(row, error);
    }
  }

  private async markSent(row: OutboxRow, ref: MessageRef): Promise<boolean> {
    const marked = await this.o.queue.markSent(row.id, this.o.worker, ref);
    if (marked) {
      this.o.telemetry.delivered(row.platform, 'sent');
      this.o.onSettled?.(row, 'sent');
    }
    return marked;
  }

  private async markFailed(row: OutboxRow, error: string): Promise<void> {
    await this.o.queue.markFailed(row.id, this.o.worker, error);
    this.o.telemetry.delivered(row.platform, 'failed');
    // Awaited: what a failure sets off (a note to the CoE) is queued before this row counts as handled.
    await this.o.onSettled?.(row, 'failed', error);
  }

  /** While a 429 holds the row's platform, puts the row back until the pause ends and says so. */
  private async heldByRateLimit(row: OutboxRow): Promise<boolean> {
    const paused = this.pausedUntil.get(row.platform) ?? 0;
    if (paused <= this.o.clock.now().getTime()) return false;
    await this.release(row, new Date(paused));
    return true;
  }

  /** Puts a row back untried: not an attempt (its backoff stays where it was), in doubt if it was. */
  private release(row: OutboxRow, at: Date, note?: string): Promise<void> {
    return this.o.queue.release(row.id, this.o.worker, at, row.inDoubt, note);
  }

  /** The platforms a 429 holds right now: their rows are not even claimed meanwhile. Forgets the pauses that ended. */
  private paused(): Platform[] {
    const now = this.o.clock.now().getTime();
    for (const [platform, until] of this.pausedUntil) if (until <= now) this.pausedUntil.delete(platform);
    return [...this.pausedUntil.keys()];
  }

  private async failed(row: OutboxRow, error: unknown): Promise<void> {
    const { queue, worker, clock } = this.o;
    const now = clock.now().getTime();
    const e = error instanceof DeliveryError ? error : new DeliveryError('transient', errorText(error));
    if (e.kind === 'permanent') {
      this.o.logger?.error({ key: row.key, error: e.message }, 'outbox: message refused for good');
      await this.markFailed(row, e.message);
      return;
    }
    if (now - row.createdAt.getTime() > this.o.giveUpAfterMs) {
      await this.markFailed(row, `gave up after ${row.attempts} attempts: ${e.message}`);
      return;
    }
    let at: number;
    if (e.kind === 'rate-limited') {
      at = now + (e.retryAfterMs ?? SECOND);
      // Slack's limits are per method and workspace: hold the whole platform, like its own SDK does.
      this.pausedUntil.set(row.platform, Math.max(this.pausedUntil.get(row.platform) ?? 0, at));
    } else {
      const backoff = Math.min(5 * 60 * SECOND, SECOND * 2 ** Math.min(row.attempts - 1, 9));
      at = now + backoff / 2 + Math.random() * (backoff / 2);
    }
    this.o.logger?.warn({ key: row.key, kind: e.kind, retryInMs: at - now }, 'outbox: delivery failed; will retry');
    await queue.retryAt(row.id, worker, new Date(at), e.message);
    this.o.telemetry.retried(row.platform, e.kind === 'rate-limited' ? 'rate_limited' : 'transient');
  }
}

function laneOf(row: OutboxRow): string {
  const t = row.target;
  return `${row.platform}:${t.kind === 'channel' ? t.channelId : t.kind === 'dm' ? `dm:${t.externalId}` : `update:${t.of}`}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
