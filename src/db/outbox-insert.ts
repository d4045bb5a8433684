/**
 * Queueing posts (messages to a channel or a person, not updates) in one statement: one array per column, not one
 * parameter per cell. A key queued before is left alone. Also a CTE of a larger write (friction intake).
 */
import { Prisma } from '../generated/prisma/client.ts';
import type { OutboundMessage } from '../ports.ts';

export function insertPosts(posts: readonly OutboundMessage[]): Prisma.Sql {
  if (posts.some((m) => m.target.kind === 'update')) throw new Error('insertPosts: an update is not a post');
  return Prisma.sql`
    INSERT INTO outbox_message (idempotency_key, platform, kind, target, body, batch)
    SELECT key, platform::"Platform", kind, target::jsonb, body::jsonb, batch
    FROM unnest(${posts.map((m) => m.key)}::text[], ${posts.map((m) => m.platform)}::text[],
                ${posts.map((m) => m.target.kind)}::text[], ${posts.map((m) => JSON.stringify(m.target))}::text[],
                ${posts.map((m) => JSON.stringify(m.body))}::text[], ${posts.map((m) => m.batch ?? null)}::text[])
      AS m(key, platform, kind, target, body, batch)
    ON CONFLICT (idempotency_key) DO NOTHING`;
}
