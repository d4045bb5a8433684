/**
 * Prisma's own schema engine, compiled to WebAssembly, run in-process so migrations work with no native binary and
 * no network (see PLATFORM-NOTES.md). Prisma 7 does not document this entry point, so everything that touches it
 * stays in this one module, and `@prisma/schema-engine-wasm` is pinned to the engine of the installed `prisma`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);

// Node has WebAssembly, but @types/node only types it together with the DOM library; this is the part we call.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, object>): Promise<{ exports: Record<string, unknown> }>;
};
const NO_FILTER = { externalTables: [], externalEnums: [] };

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
let bindings: Promise<Bindings> | undefined;

/** Compiles and starts the engine's WebAssembly once per process. */
function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const bg: Bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    const module = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': bg });
    const exports = instance.exports as { __wbindgen_start(): void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  return bindings;
}

export interface SchemaFile {
  path: string;
  content: string;
}

export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../prisma/migrations');

export async function readSchema(schemaPath = SCHEMA_PATH): Promise<SchemaFile> {
  return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
}

/** Loads `prisma/migrations` the way Prisma's CLI hands it to the engine. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    folders.map(async (name) => {
      const file = path.join(dir, name, 'migration.sql');
      const content = await readFile(file, 'utf8').then(
        (ok) => ({ tag: 'ok' as const, value: ok }),
        (error: Error) => ({ tag: 'error' as const, value: error.message }),
      );
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  const lockPath = path.join(dir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** A schema engine bound to one database (through a driver adapter factory). Call `close()` when done. */
export class Migrator {
  private constructor(
    private readonly engine: SchemaEngine,
    private readonly schema: SchemaFile,
  ) {}

  static async open(adapterFactory: SqlMigrationAwareDriverAdapterFactory, schema?: SchemaFile): Promise<Migrator> {
    const bg = await loadBindings();
    const file = schema ?? (await readSchema());
    const engine = await bg.SchemaEngine.new(
      { datamodels: [[file.path, file.content]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(adapterFactory),
    );
    return new Migrator(engine, file);
  }

  /** Applies every migration not yet in `_prisma_migrations`; returns the names it applied. */
  async apply(migrations?: MigrationList): Promise<string[]> {
    const migrationsList = migrations ?? (await readMigrations());
    const out = await this.engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return out.appliedMigrationNames;
  }

  /**
   * SQL that takes this (migrated) database to the schema file; empty when they agree. This is both how a new
   * migration is written and how drift between `schema.prisma` and the migrations is detected.
   */
  async diffToSchema(): Promise<string> {
    const out = await this.engine.diff({
      from: { tag: 'schemaDatasource', files: [this.schema], configDir: path.dirname(this.schema.path) },
      to: { tag: 'schemaDatamodel', files: [this.schema] },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    });
    return out.exitCode === 2 ? (out.stdout ?? '') : '';
  }

  close(): void {
    this.engine.free();
  }
}
