/**
 * Runs once before the whole suite: builds a migrated PGlite template that every worker loads (instead of paying
 * PGlite's initdb per worker), and decides whether the real Postgres takes part.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { wrapPglite } from '../src/db/client.ts';
import { migrate } from '../src/db/migrations.ts';

const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup() {
  const dir = await mkdtemp(path.join(tmpdir(), 'coe-test-'));
  const pglite = await PGlite.create();
  const dump = async (name: string) => {
    const file = path.join(dir, name);
    await writeFile(file, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    return file;
  };
  process.env.COE_PGLITE_EMPTY_TEMPLATE = await dump('empty.tar');
  const db = await wrapPglite(pglite);
  await migrate(db);
  process.env.COE_PGLITE_TEMPLATE = await dump('migrated.tar');
  await db.close();

  const postgresUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES;
  if (process.env.TEST_DATABASE_URL !== 'none' && (await answers(postgresUrl))) {
    process.env.TEST_POSTGRES_URL = postgresUrl;
    await dropDatabasesOfEndedRuns(postgresUrl);
  } else {
    const why = `no Postgres at ${postgresUrl}: database tests run on PGlite only`;
    if (process.env.REQUIRE_POSTGRES) throw new Error(`${why}, but REQUIRE_POSTGRES is set`);
    console.warn(`\n!!! ${why}\n`);
  }
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Each test worker makes a Postgres database of its own, `coe_test_<pid>_<worker>`, which a run that was cut short
 * leaves behind: the ones whose process is gone are dropped, so the server does not fill up run after run.
 */
async function dropDatabasesOfEndedRuns(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^coe_test_[0-9]+_[0-9]+$'",
    );
    for (const { datname } of rows) {
      const pid = Number(datname.split('_')[2]);
      if (isRunning(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
