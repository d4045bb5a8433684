/**
 * An in-memory `ExportLinkStore` for unit tests, behaving like the Prisma one (src/db/export-link-repository.ts,
 * tested on both databases in tests/db/export-link-store.test.ts): a link is served once, before its expiry, and
 * expired links go whenever a link is made or asked for.
 */
import type { ExportFile, ExportLinkStore, NewExportLink } from '../../src/ports/export-links.ts';

export interface MemoryExportLinks extends ExportLinkStore {
  /** The rows as the database would hold them, by token hash. */
  rows: Map<string, NewExportLink & { usedAt: Date | null }>;
}

export function memoryExportLinks(): MemoryExportLinks {
  const rows: MemoryExportLinks['rows'] = new Map();
  const deleteExpired = (now: Date) => {
    for (const [hash, row] of rows) if (row.expiresAt <= now) rows.delete(hash);
  };
  return {
    rows,
    async add(link) {
      deleteExpired(link.createdAt);
      if (rows.has(link.tokenHash)) throw new Error('duplicate key value violates unique constraint');
      rows.set(link.tokenHash, { ...link, usedAt: null });
    },
    async consume(tokenHash, now) {
      const row = rows.get(tokenHash);
      let file: ExportFile | undefined;
      if (row && row.usedAt === null && row.expiresAt > now) {
        row.usedAt = now;
        file = { filename: row.filename, csv: row.csv };
      }
      deleteExpired(now);
      return file;
    },
  };
}
