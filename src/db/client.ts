/**
 * Opens the database: embedded PGlite in DATA_DIR when no DATABASE_URL is given, Postgres through
 * `@prisma/adapter-pg` otherwise. Both speak the same schema and the same migrations.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';

/**
 * The embedded Postgres serves one bot: Postgres' default 128 MB of shared buffers, held in the WebAssembly memory
 * from the first query on, were a quarter of the idle process. 32 MB holds this database's working set many times.
 */
const EMBEDDED_SETTINGS = ['shared_buffers=32MB'];

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | undefined };

export interface Database {
  readonly kind: DatabaseTarget['kind'];
  readonly prisma: PrismaClient;
  /**
   * A connection for the schema engine (migrations, drift checks) and how to let go of it. On Postgres it is a
   * connection of its own: the engine takes a session-level advisory lock that only ending the session releases.
   */
  migrationConnection(): { factory: SqlMigrationAwareDriverAdapterFactory; release(): Promise<void> };
  close(): Promise<void>;
}

/** `dataDir: undefined` opens an in-memory PGlite (tests, scratch databases). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.url, max: 10 }) });
    return {
      kind: 'postgres',
      prisma,
      migrationConnection: () => disposable(new PrismaPg({ connectionString: target.url, max: 1 })),
      close: () => prisma.$disconnect(),
    };
  }
  if (target.dataDir) await mkdir(target.dataDir, { recursive: true });
  const pglite = await PGlite.create(target.dataDir, { postgresqlconf: EMBEDDED_SETTINGS });
  return wrapPglite(pglite);
}

export function wrapPglite(pglite: PGlite): Database {
  // The adapter bundles its own copy of the driver-adapter types; the runtime contract is the same.
  const adapterFactory = new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;
  const prisma = new PrismaClient({ adapter: adapterFactory as unknown as PrismaPGlite });
  return {
    kind: 'pglite',
    prisma,
    // One in-process session: the engine's advisory lock is re-entrant there, and closing it would close PGlite.
    migrationConnection: () => ({ factory: adapterFactory, release: async () => {} }),
    async close() {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** Wraps a factory so that every connection it opened can be disposed of afterwards. */
function disposable(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened: { dispose(): Promise<void> }[] = [];
  const track = async <T extends { dispose(): Promise<void> }>(adapter: Promise<T>) => {
    const a = await adapter;
    opened.push(a);
    return a;
  };
  const wrapped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  };
  return {
    factory: wrapped,
    release: async () => {
      await Promise.all(opened.splice(0).map((a) => a.dispose()));
    },
  };
}
