/**
 * Opens the database: embedded PGlite in DATA_DIR when no DATABASE_URL is given, Postgres through
 * `@prisma/adapter-pg` otherwise. Both speak the same schema and the same migrations.
 */
import { constants, existsSync } from 'node:fs';
import { access, mkdir, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PrismaPGlite } from 'pglite-prisma-adapter';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { embeddedDataDir } from './data-dir.ts';
import { PgliteWorker } from './pglite-remote.ts';
import type { PgliteWorkerData } from './pglite-worker.ts';

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
  /** How busy the connections are right now, for `GET /metrics` (absent where nothing honest can be said). */
  load?(): DatabaseLoad;
  /**
   * The upkeep Postgres' autovacuum does on its own, for the embedded database, which has no background workers:
   * without it PGlite never gathers the statistics the planner works from, and never reclaims the room of updated
   * and deleted rows. Absent on Postgres. Answers a line for the log.
   */
  maintain?(): Promise<string>;
}

/**
 * Postgres: the pool's connections (open, idle) and the queries waiting for one. The embedded database has one
 * session on its worker thread: the calls sent to it and not answered yet.
 */
export type DatabaseLoad =
  | { kind: 'postgres'; total: number; idle: number; waiting: number; max: number }
  | { kind: 'pglite'; pending: number };

/** Connections to Postgres per process. */
const POOL_MAX = 10;

/**
 * Prisma's client is loaded once a database is being opened, not with this module: the embedded database's worker
 * starts first, and Prisma (~100 ms of loading) is read while PGlite starts on the worker's thread.
 */
async function prismaClient(): Promise<typeof PrismaClient> {
  return (await import('../generated/prisma/client.ts')).PrismaClient;
}

/** `dataDir: undefined` opens an in-memory PGlite (tests, scratch databases). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    // Loaded only for Postgres (the embedded database's adapter lives on its worker thread).
    const [PrismaClient, { PrismaPg }, { default: pg }] = await Promise.all([
      prismaClient(),
      import('@prisma/adapter-pg'),
      import('pg'),
    ]);
    // The pool is made here, not inside the adapter, so that its state can be read; the adapter still ends it.
    const pool = new pg.Pool({ connectionString: target.url, max: POOL_MAX });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
    return {
      kind: 'postgres',
      prisma,
      migrationConnection: () => disposable(new PrismaPg({ connectionString: target.url, max: 1 })),
      close: () => prisma.$disconnect(),
      load: () => ({
        kind: 'postgres',
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
        max: POOL_MAX,
      }),
    };
  }
  const { dataDir } = target;
  if (!dataDir) return openPgliteWorker({ dataDir: undefined, settings: EMBEDDED_SETTINGS });
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
    // On a full disk PGlite may still open, and then fail at the first write that needs room, mid-transaction.
    if (await lacksRoom(dataDir)) throw Object.assign(new Error(NO_ROOM), { code: 'ENOSPC' });
    return await openPgliteWorker({ dataDir, settings: EMBEDDED_SETTINGS });
  } catch (error) {
    throw new DataDirError(path.resolve(dataDir), await reasonOf(dataDir, error), error);
  }
}

/**
 * The embedded database an earlier start left in DATA_DIR (`./data` when unset), opened at once from the raw
 * environment, before the configuration's validator has even loaded: PGlite's start is most of the bot's, and it
 * begins ~100 ms sooner this way. Only a folder that already holds a database is opened (a first start, or a bad
 * value, creates nothing before the configuration is checked); `main.ts` uses it only when the validated
 * configuration names the same folder, and closes it otherwise.
 */
export function openExistingEmbedded(
  env: NodeJS.ProcessEnv,
): { dataDir: string; opening: Promise<Database> } | undefined {
  if (env.DATABASE_URL?.trim()) return undefined;
  const dataDir = path.resolve(embeddedDataDir(env.DATA_DIR));
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) return undefined;
  const opening = openDatabase({ kind: 'pglite', dataDir });
  opening.catch(() => {}); // reported by whoever awaits it
  return { dataDir, opening };
}

/** DATA_DIR cannot hold the embedded database (read-only, full, not a folder…); `main.ts` says so in one line. */
export class DataDirError extends Error {
  constructor(
    readonly dataDir: string,
    readonly reason: string,
    cause: unknown,
  ) {
    super(`DATA_DIR ${dataDir}: the embedded database cannot be opened there: ${reason}`, { cause });
  }
}

/** Room for one more write-ahead log segment (16 MB), which Postgres may need at any write. */
const MIN_FREE_BYTES = 16 * 1024 * 1024;
const NO_ROOM = 'ENOSPC: no space left on device (less than 16 MB free)';

async function lacksRoom(dataDir: string): Promise<boolean> {
  const disk = await statfs(dataDir);
  return disk.bavail * disk.bsize < MIN_FREE_BYTES;
}

/**
 * The operating system's words when it gave any; PGlite reports a disk that filled up while it wrote as a bare
 * WebAssembly errno or "failed to initialize", so the disk is asked again.
 */
async function reasonOf(dataDir: string, error: unknown): Promise<string> {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && typeof e.message === 'string') return e.message;
  if (await lacksRoom(dataDir).catch(() => false)) return NO_ROOM;
  return typeof e.message === 'string' ? e.message : String(error);
}

/**
 * The embedded database on a worker thread of its own (`pglite-worker.ts`), so that no query runs on the thread that
 * answers HTTP. `loadDataDir` starts it from a dump (tests load a migrated template).
 */
export async function openPgliteWorker(
  data: Omit<PgliteWorkerData, 'settings'> & { settings?: string[] },
): Promise<Database> {
  const starting = PgliteWorker.start({ settings: EMBEDDED_SETTINGS, ...data });
  starting.catch(() => {}); // awaited below, once Prisma is loaded
  const factory = PgliteWorker.factoryOnceStarted(starting);
  const PrismaClient = await prismaClient();
  const prisma = new PrismaClient({ adapter: factory as unknown as PrismaPGlite });
  // Prisma compiles its query compiler (WebAssembly) on this thread while PGlite starts on the worker's: the two
  // overlap instead of following each other.
  const connecting = prisma.$connect();
  connecting.catch(() => {}); // a worker that failed to start is reported below, once
  const worker = await starting;
  await connecting;
  return {
    kind: 'pglite',
    prisma,
    // One session in the worker: the engine's advisory lock is re-entrant there, and closing it would close PGlite.
    migrationConnection: () => ({ factory, release: async () => {} }),
    async close() {
      await prisma.$disconnect();
      await worker.close();
    },
    load: () => ({ kind: 'pglite', pending: worker.pendingCalls }),
    maintain: () => vacuumAndAnalyze(prisma),
  };
}

/** VACUUM (ANALYZE) of every table: runs outside a transaction, as VACUUM must. */
async function vacuumAndAnalyze(prisma: PrismaClient): Promise<string> {
  const started = performance.now();
  await prisma.$executeRawUnsafe('VACUUM (ANALYZE)');
  return `the embedded database vacuumed and analysed in ${Math.round(performance.now() - started)} ms`;
}

/** PGlite on the calling thread: for tools that hold the PGlite object itself (dumps in the test set-up). */
export async function wrapPglite(pglite: PGlite): Promise<Database> {
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  // The adapter bundles its own copy of the driver-adapter types; the runtime contract is the same.
  const adapterFactory = new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;
  const PrismaClient = await prismaClient();
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
