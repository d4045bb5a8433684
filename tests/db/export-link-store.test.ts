/**
 * Single-use download links on PGlite and real Postgres (issue 10): a link is served once even when two downloads
 * arrive together (on Postgres, on two connections, as two replicas would), not after its expiry, not for a token
 * never made; only the token's hash is stored, and expired rows are deleted when a link is made or asked for.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prismaExportLinks } from '../../src/db/export-link-repository.ts';
import type { NewExportLink } from '../../src/ports/export-links.ts';
import { tokenHash } from '../../src/services/export-links.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';

const AT = new Date('2026-11-30T10:00:00.000Z');
const MINUTE = 60_000;
const later = (minutes: number) => new Date(AT.getTime() + minutes * MINUTE);

/** A CSV with what a file may hold: quotes, commas, line breaks, accents. */
const CSV = 'team,reports\r\n"Ops, ""night""",3\r\nLager Süd,too few to show\r\n';

const link = (token: string, overrides: Partial<NewExportLink> = {}): NewExportLink => ({
  tokenHash: tokenHash(token),
  filename: 'coe-metrics-2026-09-01-to-2026-11-30.csv',
  csv: CSV,
  createdByPersonId: 1,
  createdAt: AT,
  expiresAt: later(15),
  ...overrides,
});

describe.each(databaseKinds())('export links on the database (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let links: ReturnType<typeof prismaExportLinks>;

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    links = prismaExportLinks(db.prisma);
  });

  const rows = () =>
    db.prisma.$queryRaw<{ token_hash: string; csv: string; used_at: Date | null }[]>`
      SELECT token_hash, csv, used_at FROM export_link ORDER BY token_hash`;

  it('serves a link once, as written, and keeps only the hash of its token', async () => {
    await links.add(link('token-one'));
    const stored = await rows();
    expect(stored).toEqual([{ token_hash: tokenHash('token-one'), csv: CSV, used_at: null }]);
    expect(stored[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await links.consume(tokenHash('token-one'), later(1))).toEqual({
      filename: 'coe-metrics-2026-09-01-to-2026-11-30.csv',
      csv: CSV,
    });
    expect((await rows())[0]?.used_at).toEqual(later(1));
    expect(await links.consume(tokenHash('token-one'), later(2))).toBeUndefined();
  });

  it('serves it to one of two downloads that arrive together', async () => {
    for (let round = 0; round < 5; round++) {
      const token = `together-${round}`;
      await links.add(link(token));
      // On Postgres each call takes a connection of its own from the pool: two replicas racing.
      const results = await Promise.all([
        prismaExportLinks(db.prisma).consume(tokenHash(token), later(1)),
        prismaExportLinks(db.prisma).consume(tokenHash(token), later(1)),
        prismaExportLinks(db.prisma).consume(tokenHash(token), later(1)),
      ]);
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    }
  });

  it('does not serve a link at or after its expiry, nor a token never made', async () => {
    await links.add(link('late'));
    expect(await links.consume(tokenHash('late'), later(15))).toBeUndefined();
    expect(await links.consume(tokenHash('never-made'), later(1))).toBeUndefined();
    expect(await links.consume('', later(1))).toBeUndefined();
  });

  it('deletes expired links when a link is made or asked for, used or not', async () => {
    await links.add(link('old-used'));
    await links.consume(tokenHash('old-used'), later(1));
    await links.add(link('old-unused'));
    await links.add(link('fresh', { createdAt: later(10), expiresAt: later(25) }));
    expect((await rows()).length).toBe(3);
    await links.add(link('newest', { createdAt: later(15), expiresAt: later(30) }));
    expect((await rows()).map((r) => r.token_hash).sort()).toEqual([tokenHash('fresh'), tokenHash('newest')].sort());
    await links.consume(tokenHash('nothing'), later(26));
    expect((await rows()).map((r) => r.token_hash)).toEqual([tokenHash('newest')]);
  });
});
