/**
 * The Prisma store of single-use download links (`export_link`). Serving a link is one UPDATE … RETURNING that only
 * matches an unused, unexpired row: two simultaneous downloads, on one replica or two, serve it once. Expired rows
 * are deleted whenever a link is made or asked for, so an export stays no longer than someone uses the feature.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ExportFile, ExportLinkStore } from '../ports/export-links.ts';

type Db = Pick<PrismaClient, '$executeRaw' | '$queryRaw'>;

export function prismaExportLinks(db: Db): ExportLinkStore {
  const deleteExpired = (now: Date) => db.$executeRaw`DELETE FROM export_link WHERE expires_at <= ${now}`;
  return {
    async add(link) {
      await deleteExpired(link.createdAt);
      await db.$executeRaw`
        INSERT INTO export_link (token_hash, filename, csv, created_by_person_id, created_at, expires_at)
        VALUES (${link.tokenHash}, ${link.filename}, ${link.csv}, ${link.createdByPersonId}, ${link.createdAt},
          ${link.expiresAt})`;
    },
    async consume(tokenHash, now) {
      const [file] = await db.$queryRaw<ExportFile[]>`
        UPDATE export_link SET used_at = ${now}
        WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > ${now}
        RETURNING filename, csv`;
      await deleteExpired(now);
      return file ? { filename: file.filename, csv: file.csv } : undefined;
    },
  };
}
