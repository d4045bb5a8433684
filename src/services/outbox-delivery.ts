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
  laneOf,
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
  /** Rows one claim takes at most; a lane at work takes the room of one. */
  batchSize?: number;
  /** Lanes (channels, people) sent to at once. */
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
const FIRST_BACKOFF_MS = 250;

export class OutboxDeliverer {
  private readonly o: Required<Omit<DelivererOptions, 'logger' | 'onSettled'>> &
    Pick<DelivererOptions, 'logger' | 'onSettled'>;
  private readonly pausedUntil = new Map<Platform, number>();
  /** When the rows this process put back for a retry are due: it looks again then, not at the next poll. */
  private retriesDueAt: number[] = [];
  private readonly lastSentToChannel = new Map<string, number>();
  /** The lanes this process is sending on, each working through its rows in order; claims leave their rows alone. */
  private readonly lanesAtWork = new Map<string, Promise<void>>();
  private lanesSending = 0;
  private readonly waitingForASlot: (() => void)[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pokedWhileBusy = false;
  private roomFreed = false;

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

  /** New rows were queued: look now (while lanes are at work: once one ends, or at the poll). */
  poke(): void {
    this.pokedWhileBusy = true;
    // While lanes are at work the new rows wait for one of them to end, or for the poll: in a storm of reports every
    // commit pokes, and a claim reads every due row (the busy lane's hundreds too) only to leave them.
    if (this.lanesAtWork.size === 0) this.wake?.();
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
   * One pass: claims due rows and delivers them. Returns how many rows it claimed. A claimed batch may hold many rows
   * to one channel, sent a second apart: once `going()` turns false (a stop, a deadline) the rows not started yet are
   * put back at once, for this or another process, instead of holding the stop for the whole batch.
   */
  async deliverDue(going: () => boolean = () => true): Promise<number> {
    const claimed = await this.claimAndSend(this.room(), going);
    await Promise.all(this.lanesAtWork.values());
    return claimed;
  }

  /**
   * Claims as many due rows as there is room for and sends them, lane by lane, without waiting for them: a lane that
   * waits (a second between messages to one channel, a slow answer) holds only itself, never the rows behind it in
   * other lanes. Its own later rows are left in the outbox until it is done, so each lane keeps its order.
   */
  private async claimAndSend(room: number, going: () => boolean): Promise<number> {
    if (room <= 0) return 0;
    const rows = await this.o.queue.claim(this.o.worker, room, this.o.leaseMs, {
      platforms: this.paused(),
      lanes: [...this.lanesAtWork.keys()],
    });
    const lanes = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const lane = laneOf(row.platform, row.target);
      lanes.set(lane, [...(lanes.get(lane) ?? []), row]);
    }
    for (const [lane, laneRows] of lanes) {
      const before = this.lanesAtWork.get(lane) ?? Promise.resolve();
      const work = before
        .then(() => this.sendLane(laneRows, going))
        .finally(() => {
          if (this.lanesAtWork.get(lane) === work) this.lanesAtWork.delete(lane);
          // Room for half a batch: time for the next claim.
          if (this.room() >= this.o.batchSize / 2) {
            this.roomFreed = true;
            this.wake?.();
          }
        });
      this.lanesAtWork.set(lane, work);
    }
    return rows.length;
  }

  /**
   * How many more rows a claim may take: a batch, less one for each lane at work. A lane counts once however many rows
   * it holds, so a burst of messages to one channel (sent a second apart) leaves room for everybody else's.
   */
  private room(): number {
    return this.o.batchSize - this.lanesAtWork.size;
  }

  private async sendLane(rows: readonly OutboxRow[], going: () => boolean): Promise<void> {
    if (this.lanesSending >= this.o.concurrency)
      await new Promise<void>((resolve) => this.waitingForASlot.push(resolve));
    else this.lanesSending++;
    try {
      for (const row of rows) {
        try {
          if (going()) await this.deliver(row);
          else await this.release(row, this.o.clock.now());
        } catch (error) {
          // The database failed us mid-way: the row keeps its lease, and comes back in doubt when the lease ends.
          this.o.logger?.error({ err: error, key: row.key }, 'outbox: could not record a delivery; will look again');
        }
      }
    } finally {
      const next = this.waitingForASlot.shift();
      if (next) next();
      else this.lanesSending--;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pokedWhileBusy = false;
      this.roomFreed = false;
      let full = false;
      try {
        const room = this.room();
        full = room > 0 && (await this.claimAndSend(room, () => this.running)) === room;
      } catch (error) {
        this.o.logger?.error({ err: error }, 'outbox: could not claim messages; will retry');
      }
      if (!this.running) break;
      // More may be due right away; otherwise a lane that ends, a poke, a pause that ends or the poll wakes us.
      if ((full && this.room() > 0) || this.roomFreed || (this.pokedWhileBusy && this.lanesAtWork.size === 0)) continue;
      // Back when a pause ends or a retry is due, not a whole poll later. A pause that ended after the claim skipped
      // its platform is still here (pauses are forgotten at the next claim): its rows go at once too.
      const now = this.o.clock.now().getTime();
      const resume = Math.min(...this.pausedUntil.values(), ...this.retriesDueAt);
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
    await Promise.all(this.lanesAtWork.values());
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
    const lane = laneOf(row.platform, row.target);
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

  /** The platforms a 429 holds right now: their rows are not even claimed meanwhile. Forgets pauses and retries past. */
  private paused(): Platform[] {
    const now = this.o.clock.now().getTime();
    this.retriesDueAt = this.retriesDueAt.filter((at) => at > now);
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
      // A 500 or a dropped connection is mostly a blip: the first retry comes within a quarter of a second, then
      // each waits twice as long, up to five minutes.
      const backoff = Math.min(5 * 60 * SECOND, FIRST_BACKOFF_MS * 2 ** Math.min(row.attempts - 1, 11));
      at = Math.round(now + backoff / 2 + Math.random() * (backoff / 2));
    }
    this.o.logger?.warn({ key: row.key, kind: e.kind, retryInMs: at - now }, 'outbox: delivery failed; will retry');
    await queue.retryAt(row.id, worker, new Date(at), e.message);
    this.retriesDueAt.push(at);
    this.o.telemetry.retried(row.platform, e.kind === 'rate-limited' ? 'rate_limited' : 'transient');
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
