/**
 * The Prisma implementation of the core's ports: repositories inside one transaction, inbound idempotency keys,
 * and the outbox queue the deliverer drains.
 */

import type { Message } from '../domain/message.ts';
import type { Platform } from '../domain/people.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type {
  ClaimSkip,
  MessageRef,
  OutboundMessage,
  OutboxQueue,
  OutboxRow,
  OutboxTarget,
  OutboxWriter,
  Repositories,
  StateChange,
  Store,
} from '../ports.ts';
import {
  aiRuleRepository,
  changeRepository,
  constraintRepository,
  sopRepository,
  teamRepository,
} from './change-repositories.ts';
import { changeTextRepository } from './change-text-repository.ts';
import { intakeRepository } from './friction-intake-repository.ts';
import { frictionRepository } from './friction-repositories.ts';
import { insertPosts } from './outbox-insert.ts';
import { peopleRepository } from './people-repositories.ts';
import { RecentValue } from './recent-value.ts';
import { auditRepository, nudgeRepository, trainingRepository } from './schedule-repositories.ts';
import { sopSearchRepository } from './sop-search-repository.ts';
import { sopTextRepository } from './sop-text-repository.ts';

type Tx = Prisma.TransactionClient;

const ENQUEUE_CHUNK = 1000;

/** Thrown inside a transaction to roll it back when its interaction key was already handled. */
class Duplicate extends Error {}

/** What every transaction's repositories share: reads kept for a few seconds, and how the database is used. */
export interface StoreContext {
  teamNames: RecentValue<string[]>;
  reviewChannels: RecentValue<Map<Platform, string>>;
  /**
   * Transactions run one after another on one session (the embedded database: PGlite holds its one session for a
   * whole transaction), so no other writer can come between a read and a write: no advisory locks to take.
   */
  oneSession: boolean;
}

export interface PrismaStoreOptions {
  /** Runs after every committed transaction: the composition root wakes the outbox deliverer there. */
  afterCommit?: () => void;
  /** See `StoreContext.oneSession`. */
  oneSession?: boolean;
}

export class PrismaStore implements Store {
  private readonly context: StoreContext;
  private readonly afterCommit: () => void;

  constructor(
    private readonly prisma: PrismaClient,
    options: PrismaStoreOptions = {},
  ) {
    this.afterCommit = options.afterCommit ?? (() => {});
    this.context = {
      teamNames: new RecentValue(),
      reviewChannels: new RecentValue(),
      oneSession: options.oneSession ?? false,
    };
  }

  async transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    const value = await this.prisma.$transaction((tx) => work(repositories(tx, this.context)), {
      timeout: 15_000,
      maxWait: 10_000,
    });
    this.afterCommit();
    return value;
  }

  /**
   * Drops the reads kept for a few seconds. For when the database changed behind this process's back (a restore, a
   * test's reset): a replica's own changes forget them already.
   */
  forgetCached(): void {
    this.context.teamNames.forget();
    this.context.reviewChannels.forget();
  }

  read<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return work(repositories(this.prisma, this.context, { inTransaction: false }));
  }

  async once<T>(key: string, work: (repos: Repositories) => Promise<T>) {
    try {
      const value = await this.prisma.$transaction(
        async (tx) => {
          const inserted = await tx.$executeRaw`
            INSERT INTO processed_interaction (key) VALUES (${key}) ON CONFLICT (key) DO NOTHING`;
          if (inserted === 0) throw new Duplicate();
          return work(repositories(tx, this.context));
        },
        { timeout: 15_000, maxWait: 10_000 },
      );
      this.afterCommit();
      return { duplicate: false as const, value };
    } catch (error) {
      if (error instanceof Duplicate) return { duplicate: true as const };
      throw error;
    }
  }
}

/** `inTransaction`: `tx` is a transaction's, whose reads of the kept values are made alone (`RecentValue.read`). */
export function repositories(tx: Tx, context?: StoreContext, { inTransaction = true } = {}): Repositories {
  const channels = context?.reviewChannels;
  // Every report's review goes to these: kept for a few seconds rather than read by every group of reports.
  const allChannels = async () => {
    const read = async () => {
      const rows = await tx.reviewChannel.findMany({ select: { platform: true, channelId: true } });
      return new Map(rows.map((r) => [r.platform, r.channelId]));
    };
    return new Map(channels ? await channels.read(read, { alone: inTransaction }) : await read());
  };
  return {
    people: peopleRepository(tx),
    reviewChannels: {
      async set(platform: Platform, channelId: string) {
        await tx.reviewChannel.upsert({
          where: { platform },
          create: { platform, channelId },
          update: { channelId, setAt: new Date() },
        });
        channels?.forget();
      },
      get: async (platform: Platform) => (await allChannels()).get(platform),
      async current(platform: Platform) {
        const row = await tx.reviewChannel.findUnique({ where: { platform }, select: { channelId: true } });
        return row?.channelId;
      },
      all: allChannels,
    },
    events: {
      async record(change) {
        await tx.event.create({ data: eventRow(change) });
      },
      async recordMany(changes) {
        if (changes.length === 0) return;
        const rows = changes.map(eventRow);
        const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key] ?? null);
        await tx.$executeRaw`
          INSERT INTO event (actor_person_id, subject, action, from_state, to_state, reason, data)
          SELECT * FROM unnest(${column('actorPersonId')}::int[], ${column('subject')}::text[],
                               ${column('action')}::text[], ${column('fromState')}::text[], ${column('toState')}::text[],
                               ${column('reason')}::text[], ${rows.map((r) => (r.data === undefined ? null : JSON.stringify(r.data)))}::jsonb[])`;
      },
    },
    outbox: outboxWriter(tx),
    friction: frictionRepository(tx),
    intake: intakeRepository(tx, { locks: !context?.oneSession }),
    teams: teamRepository(tx, context?.teamNames && { kept: context.teamNames, alone: inTransaction }),
    changes: changeRepository(tx),
    sops: sopRepository(tx),
    sopTexts: sopTextRepository(tx),
    sopSearch: sopSearchRepository(tx),
    changeTexts: changeTextRepository(tx),
    constraints: constraintRepository(tx),
    aiRules: aiRuleRepository(tx),
    trainings: trainingRepository(tx),
    nudges: nudgeRepository(tx),
    audits: auditRepository(tx),
  };
}

function eventRow(change: StateChange): Prisma.EventCreateManyInput {
  return {
    actorPersonId: change.actorPersonId,
    subject: change.subject,
    action: change.action,
    fromState: change.from ?? null,
    toState: change.to ?? null,
    reason: change.reason ?? null,
    data: (change.data ?? undefined) as Prisma.InputJsonValue | undefined,
  };
}

function outboxWriter(tx: Tx): OutboxWriter {
  const writer: OutboxWriter = {
    async enqueue(message: OutboundMessage) {
      const inserted = await tx.$executeRaw`
        INSERT INTO outbox_message (idempotency_key, platform, kind, target, body, batch)
        VALUES (${message.key}, ${message.platform}::"Platform", ${message.target.kind},
                ${JSON.stringify(message.target)}::jsonb, ${JSON.stringify(message.body)}::jsonb,
                ${message.batch ?? null})
        ON CONFLICT (idempotency_key) DO NOTHING`;
      if (inserted > 0 && message.target.kind === 'update') {
        // Only the newest content of a message matters: older updates still waiting are dropped.
        await tx.$executeRaw`
          UPDATE outbox_message SET status = 'superseded'
          WHERE kind = 'update' AND status = 'pending' AND target->>'of' = ${message.target.of}
            AND idempotency_key <> ${message.key}`;
      }
    },
    async enqueueMany(messages) {
      // One statement per chunk: a release to hundreds of channels is queued in milliseconds, not seconds.
      const posts = messages.filter((m) => m.target.kind !== 'update');
      for (let i = 0; i < posts.length; i += ENQUEUE_CHUNK) {
        const chunk = posts.slice(i, i + ENQUEUE_CHUNK);
        await tx.$executeRaw`${insertPosts(chunk)}`;
      }
      for (const update of messages.filter((m) => m.target.kind === 'update')) await writer.enqueue(update);
    },
    async batchProgress(batch, maxFailures) {
      const counts = await tx.outboxMessage.groupBy({ by: ['status'], where: { batch }, _count: true });
      const count = (status: string) => counts.find((c) => c.status === status)?._count ?? 0;
      const failed = await tx.outboxMessage.findMany({
        where: { batch, status: 'failed' },
        orderBy: { id: 'asc' },
        take: maxFailures,
        select: { platform: true, target: true, lastError: true },
      });
      return {
        total: counts.reduce((sum, c) => sum + c._count, 0),
        sent: count('sent'),
        failed: count('failed'),
        failures: failed.map((f) => ({
          platform: f.platform,
          target: f.target as OutboxTarget,
          error: f.lastError ?? 'unknown error',
        })),
      };
    },
    async has(key: string) {
      return (await tx.outboxMessage.count({ where: { idempotencyKey: key } })) > 0;
    },
    async failedDirectMessages(since) {
      const rows = await tx.outboxMessage.findMany({
        where: { kind: 'dm', status: 'failed', createdAt: { gte: since } },
        orderBy: { id: 'asc' },
        select: { idempotencyKey: true, platform: true, target: true, lastError: true },
      });
      return rows.map((r) => ({
        key: r.idempotencyKey,
        platform: r.platform,
        externalId: (r.target as { externalId?: string }).externalId ?? '',
        error: r.lastError ?? 'unknown error',
      }));
    },
  };
  return writer;
}

interface ClaimedRow {
  id: bigint;
  idempotency_key: string;
  platform: Platform;
  target: OutboxTarget;
  body: Message;
  attempts: number;
  created_at: Date;
  batch: string | null;
  was: string;
}

export class PrismaOutboxQueue implements OutboxQueue {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(worker: string, limit: number, leaseMs: number, skip: ClaimSkip = {}): Promise<OutboxRow[]> {
    const now = new Date();
    const until = new Date(now.getTime() + leaseMs);
    // The lane as `laneOf` (ports.ts) spells it.
    const rows = await this.prisma.$queryRaw<ClaimedRow[]>`
      WITH due AS (
        SELECT id, status AS was FROM outbox_message
        WHERE ((status = 'pending' AND next_attempt_at <= ${now})
           OR (status = 'sending' AND locked_until < ${now}))
          AND platform::text <> ALL(${[...(skip.platforms ?? [])]}::text[])
          AND platform::text || ':' || CASE target->>'kind'
                WHEN 'channel' THEN target->>'channelId'
                WHEN 'dm' THEN 'dm:' || (target->>'externalId')
                ELSE 'update:' || (target->>'of') END <> ALL(${[...(skip.lanes ?? [])]}::text[])
        ORDER BY (batch IS NOT NULL), id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE outbox_message o
      SET status = 'sending', locked_by = ${worker}, locked_until = ${until}, attempts = o.attempts + 1
      FROM due WHERE o.id = due.id
      RETURNING o.id, o.idempotency_key, o.platform, o.target, o.body, o.attempts, o.created_at, o.batch,
                due.was::text AS was`;
    // In the order they were chosen: other messages first, then the fan-out's, each by id.
    return rows
      .sort((a, b) => Number(a.batch !== null) - Number(b.batch !== null) || (a.id < b.id ? -1 : 1))
      .map((r) => ({
        id: r.id.toString(),
        key: r.idempotency_key,
        platform: r.platform,
        target: r.target,
        body: r.body,
        attempts: r.attempts,
        createdAt: r.created_at,
        inDoubt: r.was === 'sending',
        ...(r.batch ? { batch: r.batch } : {}),
      }));
  }

  /**
   * Makes every row still marked as being sent due now, as in doubt. Only safe when no other process can be sending:
   * an embedded database is opened by one process at a time, so its `sending` rows died with the previous one.
   */
  async releaseOrphans(): Promise<number> {
    const { count } = await this.prisma.outboxMessage.updateMany({
      where: { status: 'sending' },
      data: { lockedUntil: new Date(0) },
    });
    return count;
  }

  async refOf(key: string): Promise<MessageRef | null | undefined> {
    const row = await this.prisma.outboxMessage.findUnique({
      where: { idempotencyKey: key },
      select: { status: true, ref: true },
    });
    if (!row) return null;
    if (row.status === 'failed') return null;
    return row.status === 'sent' ? (row.ref as MessageRef) : undefined;
  }

  async markSent(id: string, worker: string, ref: MessageRef): Promise<boolean> {
    const { count } = await this.prisma.outboxMessage.updateMany({
      where: { id: BigInt(id), lockedBy: worker, status: 'sending' },
      data: { status: 'sent', ref, sentAt: new Date(), lockedUntil: null, lastError: null },
    });
    return count === 1;
  }

  async release(id: string, worker: string, at: Date, inDoubt: boolean, note?: string): Promise<void> {
    // A row in doubt keeps its `sending` status, unowned, with a lease that ends at `at`: the next claim takes it as
    // in doubt again, so it is looked for on the platform before it is sent.
    await this.prisma.outboxMessage.updateMany({
      where: { id: BigInt(id), lockedBy: worker, status: 'sending' },
      data: {
        attempts: { decrement: 1 },
        lockedBy: null,
        ...(note ? { lastError: note } : {}),
        ...(inDoubt ? { lockedUntil: at } : { lockedUntil: null, status: 'pending', nextAttemptAt: at }),
      },
    });
  }

  async retryAt(id: string, worker: string, at: Date, error?: string): Promise<void> {
    await this.prisma.outboxMessage.updateMany({
      where: { id: BigInt(id), lockedBy: worker, status: 'sending' },
      data: { status: 'pending', nextAttemptAt: at, lockedUntil: null, lastError: error ?? null },
    });
  }

  async markFailed(id: string, worker: string, error: string): Promise<void> {
    await this.prisma.outboxMessage.updateMany({
      where: { id: BigInt(id), lockedBy: worker, status: 'sending' },
      data: { status: 'failed', lockedUntil: null, lastError: error },
    });
  }

  async backlog() {
    const [pending, next] = await Promise.all([
      this.prisma.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } }),
      this.prisma.outboxMessage.aggregate({ where: { status: 'pending' }, _min: { nextAttemptAt: true } }),
    ]);
    return { pending, nextDueAt: next._min.nextAttemptAt ?? undefined };
  }
}
