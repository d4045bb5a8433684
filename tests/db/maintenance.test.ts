/**
 * The embedded database's upkeep: PGlite has none of Postgres' background workers, so no autovacuum ever gathers the
 * planner's statistics or reclaims the room of changed rows there; `maintain` (the `database-maintenance` job) does.
 */
import { describe, expect, it } from 'vitest';
import { type DatabaseKind, databaseKinds, testDatabase } from '../support/databases.ts';

describe.each(databaseKinds())('database upkeep (%s)', (kind: DatabaseKind) => {
  it(kind === 'pglite' ? 'gathers the statistics the planner needs' : 'is left to autovacuum', async () => {
    const db = await testDatabase(kind);
    await db.reset();
    if (kind === 'postgres') {
      expect(db.maintain).toBeUndefined();
      return;
    }
    // A table of its own: the database is shared with other test files, which may have run the upkeep already.
    await db.prisma.$executeRaw`CREATE TABLE upkeep_probe (id int PRIMARY KEY, name text)`;
    try {
      await db.prisma.$executeRaw`INSERT INTO upkeep_probe SELECT g, 'row ' || g FROM generate_series(1, 300) AS g`;
      await db.prisma.$executeRaw`UPDATE upkeep_probe SET name = name || ' (changed)' WHERE id % 2 = 0`;
      const known = async () => {
        const [row] = await db.prisma.$queryRaw<{ tuples: number; columns: bigint }[]>`
            SELECT c.reltuples::float8 AS tuples,
                   (SELECT count(*) FROM pg_stats s WHERE s.tablename = 'upkeep_probe') AS columns
            FROM pg_class c WHERE c.oid = 'public.upkeep_probe'::regclass`;
        return { tuples: row?.tuples, columns: Number(row?.columns) };
      };
      // Never analysed: the planner would guess.
      expect(await known()).toEqual({ tuples: -1, columns: 0 });
      expect(await db.maintain?.()).toMatch(/^the embedded database vacuumed and analysed in \d+ ms$/);
      expect(await known()).toEqual({ tuples: 300, columns: 2 });
    } finally {
      await db.prisma.$executeRaw`DROP TABLE upkeep_probe`;
    }
  });
});
