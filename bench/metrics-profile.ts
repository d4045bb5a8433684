/**
 * Where the scorecard's time goes: a stand-in for Prisma's `$queryRaw` that runs each of the scorecard's queries as
 * usual and notes which function of `src/db/metrics-queries.ts` sent it (from the call stack), how long it took and
 * how many rows came back to Node — the proof that the figures are aggregated in SQL, not from tables read whole.
 * `explain` runs one of them again under EXPLAIN (ANALYZE, BUFFERS) for the bench's verbose mode.
 */
import { performance } from 'node:perf_hooks';
import type { Database } from '../src/db/client.ts';
import { Prisma, type PrismaClient } from '../src/generated/prisma/client.ts';

export interface QueryTiming {
  /** The function of metrics-queries.ts and the line the query starts on, e.g. `speed:45`. */
  label: string;
  ms: number;
  rows: number;
  /** The rows as JSON, in bytes: what crossed into Node. */
  bytes: number;
  sql: Prisma.Sql;
}

/** The caller in metrics-queries.ts, from a stack trace taken inside the stand-in. */
function caller(stack: string | undefined): string {
  const line = stack?.split('\n').find((l) => l.includes('metrics-queries.ts'));
  const match = line && /at (?:async )?(\S+) .*metrics-queries\.ts:(\d+)/.exec(line);
  return match ? `${match[1]}:${match[2]}` : 'unknown';
}

type Runner = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

/** `$queryRaw` of `runner` (the scorecard's transaction), recording every query into `timings`. */
function recording(runner: Runner, timings: QueryTiming[]): Runner {
  const queryRaw = async (strings: TemplateStringsArray, ...values: unknown[]) => {
    const label = caller(new Error().stack);
    const sql = Prisma.sql(strings, ...values);
    const started = performance.now();
    const rows = await runner.$queryRaw<unknown[]>(sql);
    const ms = performance.now() - started;
    const bytes = Buffer.byteLength(JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? String(v) : v)));
    timings.push({ label, ms, rows: rows.length, bytes, sql });
    return rows;
  };
  const executeRaw = (strings: TemplateStringsArray, ...values: unknown[]) => runner.$executeRaw(strings, ...values);
  return {
    $queryRaw: queryRaw as unknown as Runner['$queryRaw'],
    $executeRaw: executeRaw as unknown as Runner['$executeRaw'],
  };
}

/** A client for `prismaMetrics` whose scorecard transaction records every query into `timings`. */
export function recordingDb(db: Database, timings: QueryTiming[]): Pick<PrismaClient, '$queryRaw' | '$transaction'> {
  const transaction = (work: (tx: Runner) => Promise<unknown>, options?: Parameters<PrismaClient['$transaction']>[1]) =>
    db.prisma.$transaction((tx) => work(recording(tx, timings)), options);
  return {
    $queryRaw: recording(db.prisma, timings).$queryRaw,
    $transaction: transaction as unknown as PrismaClient['$transaction'],
  };
}

/** The query's plan as it ran, with timings and buffers; with JIT off as the scorecard runs it, unless `jit`. */
export async function explain(db: Database, sql: Prisma.Sql, jit = false): Promise<string> {
  return db.prisma.$transaction(async (tx) => {
    if (!jit) await tx.$executeRaw`SET LOCAL jit = off`;
    const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`,
      ...sql.values,
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}
