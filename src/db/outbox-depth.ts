/**
 * The outbox as an operator sees it (`GET /metrics`): per platform, the messages not delivered yet (waiting or being
 * sent) and when the oldest of them was queued. One grouped query, read at scrape time.
 */
import type { Platform } from '../domain/people.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

export interface OutboxDepth {
  platform: Platform;
  /** Rows pending or being sent, as `OutboxQueue.backlog()` counts them. */
  depth: number;
  /** When the oldest of them was queued. */
  oldest: Date | undefined;
}

export async function outboxDepth(prisma: PrismaClient): Promise<OutboxDepth[]> {
  const groups = await prisma.outboxMessage.groupBy({
    by: ['platform'],
    where: { status: { in: ['pending', 'sending'] } },
    _count: { _all: true },
    _min: { createdAt: true },
  });
  return groups.map((g) => ({ platform: g.platform, depth: g._count._all, oldest: g._min.createdAt ?? undefined }));
}
