/**
 * The main thread's side of the embedded database: a Prisma driver adapter whose every call is a message to the
 * PGlite worker thread (`pglite-worker.ts`). The HTTP server's thread only sends and receives; Postgres itself runs
 * elsewhere, so an ack never waits behind a query.
 */
import { Worker } from 'node:worker_threads';
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from '@prisma/driver-adapter-utils';
import type { PgliteWorkerData, WorkerError, WorkerRequest } from './pglite-worker.ts';

type Call = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

const ADAPTER_NAME = '@prisma/adapter-pglite-worker';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The worker's file next to this one: compiled JavaScript in the build, or a loader for the sources under tsx. */
function workerFile(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './pglite-worker-dev.mjs' : './pglite-worker.js', import.meta.url);
}

export class PgliteWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** The connections and transactions opened, numbered here: see the worker's `handle`. */
  private nextHandle = 1;
  private stopped: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: WorkerError }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(toError(message.error));
    });
    const fail = (error: Error) => {
      this.stopped = error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`the embedded database stopped: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`the embedded database stopped (exit code ${code})`)));
  }

  /** Starts PGlite in a worker thread; resolves once it is open, rejects with PGlite's own error otherwise. */
  static async start(data: PgliteWorkerData): Promise<PgliteWorker> {
    const worker = new Worker(workerFile(), {
      workerData: data,
      // The worker's own JavaScript only passes queries and results on (PGlite's memory is WebAssembly's, apart):
      // a young generation of 8 MB instead of V8's 32 MB serves it, and keeps ~25 MB less resident.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; error?: WorkerError }) => {
        if (message.ready === undefined) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        if (message.ready) resolve();
        else {
          reject(toError(message.error));
          void worker.terminate();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return new PgliteWorker(worker);
  }

  /** Calls sent to the worker and not answered yet (queries queued there or running): the embedded database's load. */
  get pendingCalls(): number {
    return this.pending.size;
  }

  newHandle(): number {
    return this.nextHandle++;
  }

  call<T>(call: Call): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...call, id });
    });
  }

  /**
   * A factory usable before the worker is up. Its connection is handed out at once and its calls wait for the worker:
   * Prisma connects before it loads its query compiler, so the compiler is prepared while PGlite starts, not after.
   * Calls fail as the start failed.
   */
  static factoryOnceStarted(starting: Promise<PgliteWorker>): SqlMigrationAwareDriverAdapterFactory {
    return {
      provider: 'postgres',
      adapterName: ADAPTER_NAME,
      connect: async () => new DeferredAdapter(starting.then((worker) => worker.factory().connect())),
      connectToShadowDb: async () => (await starting).factory().connectToShadowDb(),
    };
  }

  /** The driver adapter factory Prisma and the schema engine use. */
  factory(): SqlMigrationAwareDriverAdapterFactory {
    const connect = async (shadow: boolean) => {
      const handle = this.newHandle();
      const opened = await this.call<{ adapterName: string; info?: unknown }>({ op: 'connect', handle, shadow });
      return new RemoteAdapter(this, handle, opened.adapterName, opened.info);
    };
    return {
      provider: 'postgres',
      adapterName: ADAPTER_NAME,
      connect: () => connect(false),
      connectToShadowDb: () => connect(true),
    };
  }

  async close(): Promise<void> {
    if (!this.stopped) await this.call({ op: 'close' }).catch(() => {});
    await this.worker.terminate();
  }
}

class RemoteQueryable {
  readonly provider = 'postgres' as const;

  constructor(
    protected readonly worker: PgliteWorker,
    protected readonly handle: number,
    readonly adapterName: string,
  ) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.worker.call({ op: 'query', target: this.handle, query });
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.worker.call({ op: 'execute', target: this.handle, query });
  }
}

class RemoteAdapter extends RemoteQueryable implements SqlDriverAdapter {
  constructor(
    worker: PgliteWorker,
    handle: number,
    adapterName: string,
    private readonly info: unknown,
  ) {
    super(worker, handle, adapterName);
  }

  executeScript(script: string): Promise<void> {
    return this.worker.call({ op: 'script', target: this.handle, script });
  }

  /**
   * Begins without waiting for the worker's answer: the transaction's first statement goes right behind the `begin`
   * and waits for it there, so a transaction costs one round trip less between the threads. If it cannot begin, its
   * statements and its commit fail with that error.
   */
  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const handle = this.worker.newHandle();
    this.worker
      .call({ op: 'begin', target: this.handle, handle, ...(isolationLevel ? { isolationLevel } : {}) })
      .catch(() => {});
    return new RemoteTransaction(this.worker, handle, this.adapterName, PGLITE_TRANSACTION_OPTIONS);
  }

  getConnectionInfo() {
    return this.info as ReturnType<NonNullable<SqlDriverAdapter['getConnectionInfo']>>;
  }

  dispose(): Promise<void> {
    return this.worker.call({ op: 'dispose', target: this.handle });
  }
}

/**
 * What the worker's adapter (pglite-prisma-adapter) says of its connection; Prisma reads it as it connects, before the
 * worker may be up. A test holds the two equal.
 */
export const PGLITE_CONNECTION_INFO = { supportsRelationJoins: true } as const;

/** What the worker's adapter says of each transaction it begins, known before it has begun; a test holds them equal. */
export const PGLITE_TRANSACTION_OPTIONS: TransactionOptions = { usePhantomQuery: true };

/** The connection of `factoryOnceStarted`: every call waits for the worker's own, then goes straight to it. */
class DeferredAdapter implements SqlDriverAdapter {
  readonly provider = 'postgres' as const;
  readonly adapterName = ADAPTER_NAME;
  private connected: SqlDriverAdapter | undefined;

  constructor(private readonly connecting: Promise<SqlDriverAdapter>) {
    connecting.then(
      (adapter) => {
        this.connected = adapter;
      },
      () => {}, // each call that waited rejects with it
    );
  }

  private use<T>(call: (adapter: SqlDriverAdapter) => Promise<T>): Promise<T> {
    return this.connected ? call(this.connected) : this.connecting.then(call);
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.use((adapter) => adapter.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.use((adapter) => adapter.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.use((adapter) => adapter.executeScript(script));
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return this.use((adapter) => adapter.startTransaction(isolationLevel));
  }

  getConnectionInfo() {
    return PGLITE_CONNECTION_INFO;
  }

  dispose(): Promise<void> {
    return this.use((adapter) => adapter.dispose());
  }
}

class RemoteTransaction extends RemoteQueryable implements Transaction {
  constructor(
    worker: PgliteWorker,
    handle: number,
    adapterName: string,
    readonly options: TransactionOptions,
  ) {
    super(worker, handle, adapterName);
  }

  commit(): Promise<void> {
    return this.worker.call({ op: 'commit', target: this.handle });
  }

  rollback(): Promise<void> {
    return this.worker.call({ op: 'rollback', target: this.handle });
  }
}

function toError(error: WorkerError | undefined): Error {
  if (!error) return new Error('the embedded database failed');
  if (error.kind === 'driver')
    return new DriverAdapterError(error.cause as ConstructorParameters<typeof DriverAdapterError>[0]);
  return Object.assign(new Error(error.message), { name: error.name, ...(error.code ? { code: error.code } : {}) });
}
