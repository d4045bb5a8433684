/**
 * The embedded Postgres on a thread of its own. PGlite runs its WebAssembly Postgres on the thread that calls it:
 * on the main thread every query stalled the HTTP server, and acks waited behind the database. Here PGlite and its
 * Prisma driver adapter live in a worker thread; the main thread's adapter (`pglite-remote.ts`) sends it each
 * driver-adapter call as a message and gets the result back.
 *
 * Messages in: `{ id, op, target?, ... }`, where `target` names an adapter or a transaction opened earlier. Out:
 * `{ id, ok: true, value }` or `{ id, ok: false, error }`; first of all `{ ready: true }` or `{ ready: false, error }`.
 * The main thread numbers the connections and transactions it opens (`handle`), so it can send a transaction's first
 * statement right behind its `begin` without waiting for the answer: every call on a handle waits here for it to open.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export interface PgliteWorkerData {
  /** undefined: in memory. */
  dataDir: string | undefined;
  /** A data folder dump (`dumpDataDir`) to start from: tests load a migrated template this way. */
  loadDataDir?: string;
  settings: string[];
}

export type WorkerRequest =
  | { id: number; op: 'connect'; handle: number; shadow: boolean }
  | { id: number; op: 'query' | 'execute'; target: number; query: SqlQuery }
  | { id: number; op: 'script'; target: number; script: string }
  | { id: number; op: 'begin'; target: number; handle: number; isolationLevel?: string }
  | { id: number; op: 'commit' | 'rollback' | 'dispose'; target: number }
  | { id: number; op: 'close' };

/** An error as it crosses the thread: a driver error keeps Prisma's structured cause. */
export type WorkerError =
  | { kind: 'driver'; cause: unknown }
  | { kind: 'error'; name: string; message: string; code?: string };

const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs as a worker thread');

const data = workerData as PgliteWorkerData;

// Between messages this thread's event loop has nothing else to wait on, and Node then blocks the thread until every
// background task of V8's (WebAssembly compilation, GC) has finished: right after PGlite starts, that held the first
// query back ~200 ms while Postgres' functions were still being optimised. A timer that never fires keeps the loop
// busy waiting instead, so a message is taken as soon as it arrives; `terminate()` ends the thread regardless.
setInterval(() => {}, 2 ** 30);
/** Each handle's connection or transaction as it opens: a failed `begin` fails every call made on its transaction. */
const handles = new Map<number, Promise<SqlDriverAdapter | Transaction>>();

function describe(error: unknown): WorkerError {
  const e = error as { name?: unknown; cause?: unknown; message?: unknown; code?: unknown };
  if (e?.name === 'DriverAdapterError') return { kind: 'driver', cause: e.cause };
  return {
    kind: 'error',
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

async function handle<T>(target: number): Promise<T> {
  const found = handles.get(target);
  if (!found) throw new Error(`no open connection or transaction ${target}`);
  return (await found) as T;
}

/** Keeps what a handle opens, and answers once it is open (or failed to). */
function open(id: number, opening: Promise<SqlDriverAdapter | Transaction>): Promise<SqlDriverAdapter | Transaction> {
  // Its failure is told to whoever uses the handle, not reported as unhandled here.
  opening.catch(() => {});
  handles.set(id, opening);
  return opening;
}

async function start(): Promise<void> {
  const loadDataDir = data.loadDataDir ? new Blob([await readFile(data.loadDataDir)]) : undefined;
  const pglite = await PGlite.create(data.dataDir, {
    postgresqlconf: data.settings,
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  const factory = new PrismaPGlite(pglite);

  async function run(request: WorkerRequest): Promise<unknown> {
    switch (request.op) {
      case 'connect': {
        const connecting = request.shadow ? factory.connectToShadowDb() : factory.connect();
        const adapter = (await open(request.handle, connecting as Promise<never>)) as SqlDriverAdapter;
        return { adapterName: adapter.adapterName, info: adapter.getConnectionInfo?.() };
      }
      case 'query':
        return (await handle<SqlDriverAdapter>(request.target)).queryRaw(request.query);
      case 'execute':
        return (await handle<SqlDriverAdapter>(request.target)).executeRaw(request.query);
      case 'script':
        return (await handle<SqlDriverAdapter>(request.target)).executeScript(request.script);
      case 'begin': {
        // Kept at once, before PGlite has begun it: the statements sent right behind this wait for it.
        const beginning = handle<SqlDriverAdapter>(request.target).then((adapter) =>
          adapter.startTransaction(request.isolationLevel as never),
        );
        const tx = (await open(request.handle, beginning)) as Transaction;
        return { options: tx.options };
      }
      case 'commit':
      case 'rollback': {
        const ending = handle<Transaction>(request.target);
        handles.delete(request.target);
        const tx = await ending;
        return request.op === 'commit' ? tx.commit() : tx.rollback();
      }
      case 'dispose': {
        const disposing = handles.get(request.target) as Promise<SqlDriverAdapter> | undefined;
        handles.delete(request.target);
        return (await disposing?.catch(() => undefined))?.dispose();
      }
      case 'close':
        if (!pglite.closed) await pglite.close();
        return undefined;
    }
  }

  port?.on('message', (request: WorkerRequest) => {
    run(request).then(
      (value) => port.postMessage({ id: request.id, ok: true, value }),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: describe(error) }),
    );
  });
}

start().then(
  () => port.postMessage({ ready: true }),
  (error: unknown) => port.postMessage({ ready: false, error: describe(error) }),
);
