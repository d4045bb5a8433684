/**
 * Real Postgres for the friction bench: a database of its own per bot run (`coe_bench_<random>`), created through
 * the admin connection, handed to the bot as DATABASE_URL (it migrates on start) and dropped afterwards — also when
 * the bench is interrupted (bench/common.ts `onCleanup`). `BENCH_POSTGRES_URL` overrides the server;
 * `BENCH_POSTGRES_URL=none` skips it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { onCleanup } from './common.ts';

export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONNECT_TIMEOUT_MS = 5_000;

export interface BenchDatabase {
  /** For the bot's DATABASE_URL. */
  url: string;
  /** friction_report rows (after the bot stopped). */
  countReports(): Promise<number>;
  drop(): Promise<void>;
}

/** Runs `work` on a fresh connection to `url`, closing it afterwards. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A connection that breaks after connect() emits 'error'; without a listener that would crash the bench.
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Why Postgres cannot be used for the bench, in words, or undefined when it answers. */
export async function postgresProblem(): Promise<string | undefined> {
  if (POSTGRES_URL === 'none') return 'BENCH_POSTGRES_URL=none';
  try {
    await withClient(POSTGRES_URL, (client) => client.query('SELECT 1'));
    return undefined;
  } catch (error) {
    const why = error instanceof Error ? error.message || error.name : String(error);
    return `Postgres at ${POSTGRES_URL} does not answer (${why})`;
  }
}

/** A new empty database on the server; dropped by `drop()` or, failing that, at the bench's clean-up. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `coe_bench_${randomBytes(5).toString('hex')}`;
  await withClient(POSTGRES_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  // FORCE: a connection the bot left behind (killed mid-run) must not keep the database alive.
  const drop = onCleanup(async () => {
    await withClient(POSTGRES_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });
  return {
    url: url.href,
    countReports: () =>
      withClient(url.href, async (client) => {
        const result = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM friction_report');
        return result.rows[0]?.n ?? 0;
      }),
    drop,
  };
}
