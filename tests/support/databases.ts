/**
 * Database fixtures: one migrated database per test worker and kind, wiped between tests.
 *
 * - PGlite: in memory, loaded from a migrated template that `global-setup.ts` built once for the whole run (a fresh
 *   PGlite costs seconds; loading the template costs a fraction of that).
 * - Postgres: the real server at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres when it
 *   answers); each worker gets a database of its own, created and migrated on first use.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, openDatabase, openPgliteWorker, wrapPglite } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrations.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  /** Empties every table (the migration history stays). */
  reset(): Promise<void>;
}

const workerId = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
const cache = new Map<DatabaseKind, Promise<TestDatabase>>();

/** The kinds this run covers: PGlite always; Postgres when it answers (CI makes sure it does, or says loudly why not). */
export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_POSTGRES_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export function testDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  let db = cache.get(kind);
  if (!db) {
    db = kind === 'pglite' ? pgliteFromTemplate() : postgresForWorker();
    cache.set(kind, db);
  }
  return db;
}

let scratchPglite: Promise<PGlite> | undefined;

/**
 * An empty (not migrated) in-memory database for replaying migration histories: one PGlite per worker, emptied by
 * dropping its public schema on every call (a fresh PGlite or a clone costs seconds).
 */
export async function emptyScratchDatabase(): Promise<Database> {
  scratchPglite ??= (async () => {
    const templatePath = process.env.COE_PGLITE_EMPTY_TEMPLATE;
    return templatePath ? PGlite.create({ loadDataDir: new Blob([await readFile(templatePath)]) }) : PGlite.create();
  })();
  const pglite = await scratchPglite;
  await pglite.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  const db = await wrapPglite(pglite);
  return { ...db, close: () => db.prisma.$disconnect() };
}

/** In memory, on a worker thread as the bot runs it (`openPgliteWorker`), from the migrated template when there is one. */
async function pgliteFromTemplate(): Promise<TestDatabase> {
  const templatePath = process.env.COE_PGLITE_TEMPLATE;
  const db = await openPgliteWorker({ dataDir: undefined, ...(templatePath ? { loadDataDir: templatePath } : {}) });
  if (!templatePath) await migrate(db);
  return withReset(db);
}

async function postgresForWorker(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_POSTGRES_URL as string;
  const name = `coe_test_${process.pid}_${workerId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString() });
  await migrate(db);
  const wrapped = withReset(db);
  const close = wrapped.close;
  wrapped.close = async () => {
    await close();
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => cleanup.end());
  };
  return wrapped;
}

function withReset(db: Database): TestDatabase {
  let tables: string[] | undefined;
  return Object.assign(db, {
    async reset() {
      tables ??= (
        await db.prisma.$queryRaw<{ tablename: string }[]>`
          SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`
      ).map((t) => `"${t.tablename}"`);
      // The previous test's bot may still be finishing background work (a delivery, a progress refresh): TRUNCATE
      // locks every table, so the two can deadlock. Postgres then aborts one of them; if it is this one, again.
      for (let attempt = 1; ; attempt++) {
        try {
          await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
          return;
        } catch (error) {
          if (attempt >= 5 || !String((error as Error).message).includes('deadlock detected')) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
    },
  });
}
