/**
 * `npm run bench -- metrics`: the scorecard (issue 10) over a year's history of a large organisation — 100,000
 * friction reports, 10,000 change requests, 2,000 releases, 50 teams (bench/metrics-seed.ts) — on the embedded
 * database (PGlite on its worker thread, as the bot runs it, in a temp DATA_DIR) and on Postgres (a database of its own
 * on postgres://postgres@127.0.0.1:5432, or BENCH_POSTGRES_URL, dropped afterwards; skipped with a line saying why
 * when it does not answer).
 *
 * What one `/coe metrics` costs, as the service computes it: the 90-day window and the one before (two `scorecard()`
 * calls), for the organisation and for one team (plus `teamSizes()`), against a trivial `SELECT count(*)` of the
 * reports on the same database. Each database is seeded, closed and opened again (a restarted bot), and its first
 * answer is shown on its own: it reads the files cold. Then BENCH_ROUNDS rounds (default 3), the databases alternating
 * within each round: every round's figures, then the median and p95 (nearest rank: the highest of fewer than 20
 * rounds); the 30-day and quarter windows once. Peak RSS of this process (its high-water mark, reset before each
 * measure): the PGlite worker is a thread of this process, so its WebAssembly memory counts there, while a Postgres
 * server's memory is its own. Last, each query of one scorecard with its time and the rows it sent to Node; `--verbose`
 * (or BENCH_VERBOSE=1) adds the plan of the slowest under EXPLAIN ANALYZE on each database.
 *
 * Postgres is ANALYZEd after the seed, as its autovacuum would soon do; PGlite runs no autovacuum and the bot never
 * runs ANALYZE, so it is measured on the statistics-free planner it would really have.
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Database, openDatabase } from '../src/db/client.ts';
import { prismaMetrics } from '../src/db/metrics-queries.ts';
import { migrate } from '../src/db/migrations.ts';
import { MIN_GROUP_DEFAULT, metricsWindows, scorecard, type WindowName } from '../src/domain/metrics.ts';
import type { MetricsScope, MetricsSource } from '../src/ports/metrics.ts';
import { makeTempDir } from '../tests/process/bot-process.ts';
import { mb, median, ms, type Row, say, type Table } from './common.ts';
import { withPeakRss } from './memory.ts';
import { explain, type QueryTiming, recordingDb } from './metrics-profile.ts';
import { seedMetricsVolume } from './metrics-seed.ts';
import { createBenchDatabase, postgresProblem } from './postgres.ts';

const DEFAULT_ROUNDS = 3;
const TARGET_MS = 1000;
const ORGANISATION: MetricsScope = { kind: 'organisation' };
/** A team of 7 with a year of reports, releases and trainings. */
const TEAM_ID = 12;
const TEAM: MetricsScope = { kind: 'team', teamId: TEAM_ID, teamName: 'Team 12' };
const VERBOSE = process.argv.includes('--verbose') || process.env.BENCH_VERBOSE === '1';

interface Target {
  label: string;
  db: Database;
  source: MetricsSource;
  seedMs: number;
  /** The first answer after opening the seeded database. */
  first: { result: Answer; rssBefore: number; peak: number };
}

/** One `/coe metrics`: this window and the one before, as MetricsService.compute asks for them. */
interface Answer {
  total: number;
  current: number;
  previous: number;
}

interface RoundFigures {
  baseline: number;
  org: Answer;
  team: Answer;
  rssBefore: number;
  peak: number;
}

export async function benchMetrics(_rows: Row[], tables: Table[]): Promise<void> {
  const rounds = roundsFromEnv();
  const loadBefore = os.loadavg()[0] ?? Number.NaN;
  const rssAtStart = await procKb('VmRSS');
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const targets: Target[] = [];
  const notes: string[] = [];
  try {
    const dataDir = path.join(await makeTempDir('coe-bench-'), 'data');
    targets.push(await prepare('PGlite (worker)', () => openDatabase({ kind: 'pglite', dataDir }), now, false));
    const problem = await postgresProblem();
    if (problem === undefined) {
      const { url } = await createBenchDatabase();
      targets.push(await prepare('Postgres', () => openDatabase({ kind: 'postgres', url }), now, true));
    } else {
      say(`metrics: ${problem}: Postgres is skipped.`);
      notes.push(`${problem}: Postgres is skipped.`);
    }
    tables.push(firstTable(targets));

    const figures = new Map<Target, RoundFigures[]>(targets.map((t) => [t, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const target of targets) {
        say(`metrics: round ${round}/${rounds}, ${target.label}…`);
        figures.get(target)?.push(await measureRound(target, now));
      }
    }
    tables.push(roundsTable(figures, rounds), summaryTable(figures, rounds));

    const once: string[][] = [];
    for (const target of targets) {
      for (const window of ['30d', 'quarter'] as const) {
        say(`metrics: ${window} window once, ${target.label}…`);
        const org = await answer(target.source, window, ORGANISATION, now);
        const team = await answer(target.source, window, TEAM, now);
        once.push([
          target.label,
          window,
          ...[org, team].flatMap((a) => [ms(a.total), `${ms(a.current)} + ${ms(a.previous)}`]),
        ]);
      }
    }
    tables.push({
      title: 'metrics, the other windows (once each)',
      header: ['database', 'window', 'organisation', 'this + previous', 'Team 12', 'this + previous'],
      rows: once,
    });

    for (const target of targets) tables.push(await profileTable(target, now));
    notes.push(await sameFacts(targets, now));
    const last = tables.at(-1);
    const machine =
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${mb(os.totalmem() / 1024)} RAM; ` +
      `load average ${loadBefore.toFixed(1)} at the start, ${(os.loadavg()[0] ?? Number.NaN).toFixed(1)} at the end. ` +
      `RSS of this process before it opened any database: ${mb(rssAtStart)} (tsx, Prisma); it holds both databases' ` +
      'clients, and what the seed left of the heap, throughout.';
    if (last) last.notes = [...(last.notes ?? []), ...notes.filter(Boolean), ...(await dataNotes(targets)), machine];
  } finally {
    for (const target of targets) await target.db.close().catch(() => {});
  }
}

/** Migrated and seeded, then closed and opened again as a restarted bot would, and asked once (the first answer). */
async function prepare(label: string, open: () => Promise<Database>, now: Date, analyze: boolean): Promise<Target> {
  say(`metrics: ${label}: migrating…`);
  const seeding = await open();
  let seedMs: number;
  try {
    await migrate(seeding);
    const started = performance.now();
    await seedMetricsVolume(seeding, now, (what) => say(`metrics: ${label}: seeding ${what}…`));
    if (analyze) await seeding.prisma.$executeRawUnsafe('ANALYZE');
    seedMs = performance.now() - started;
    say(`metrics: ${label}: seeded in ${ms(seedMs)}; reopening it…`);
  } finally {
    await seeding.close();
  }
  const db = await open();
  const source = prismaMetrics(db.prisma);
  const first = await withPeak(() => answer(source, '90d', ORGANISATION, now));
  return { label, db, source, seedMs, first };
}

async function answer(source: MetricsSource, window: WindowName, scope: MetricsScope, now: Date): Promise<Answer> {
  const windows = metricsWindows(window, now);
  const started = performance.now();
  const facts = await source.scorecard(windows.current, scope);
  const between = performance.now();
  const before = await source.scorecard(windows.previous, scope);
  scorecard(windows, scope, facts, before, MIN_GROUP_DEFAULT);
  if (scope.kind === 'team') await source.teamSizes();
  const ended = performance.now();
  return { total: ended - started, current: between - started, previous: ended - between };
}

/** `work`, with this process's RSS before and its peak during (high-water mark, reset first; else 50 ms samples). */
async function withPeak<T>(work: () => Promise<T>): Promise<{ result: T; rssBefore: number; peak: number }> {
  const rssBefore = await procKb('VmRSS');
  const reset = await writeFile('/proc/self/clear_refs', '5').then(
    () => true,
    () => false,
  );
  const { result, peak } = await withPeakRss(process.pid, work);
  const hwm = reset ? await procKb('VmHWM') : Number.NaN;
  return { result, rssBefore, peak: Number.isFinite(hwm) ? hwm : peak.process };
}

async function measureRound(target: Target, now: Date): Promise<RoundFigures> {
  const started = performance.now();
  await target.db.prisma.$queryRaw`SELECT count(*)::int AS n FROM friction_report`;
  const baseline = performance.now() - started;
  const { result, rssBefore, peak } = await withPeak(async () => ({
    org: await answer(target.source, '90d', ORGANISATION, now),
    team: await answer(target.source, '90d', TEAM, now),
  }));
  return { baseline, ...result, rssBefore, peak };
}

async function procKb(field: string): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
}

const split = (a: Answer) => `${ms(a.current)} + ${ms(a.previous)}`;

function firstTable(targets: readonly Target[]): Table {
  return {
    title: 'metrics, the first `/coe metrics` after opening the database (as after a restart; organisation, 90 days)',
    header: ['database', 'time', 'this + previous', 'RSS before', 'peak RSS of the process'],
    rows: targets.map((t) => [
      t.label,
      ms(t.first.result.total),
      split(t.first.result),
      mb(t.first.rssBefore),
      mb(t.first.peak),
    ]),
  };
}

function roundsTable(figures: Map<Target, RoundFigures[]>, rounds: number): Table {
  const rows: string[][] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [target, all] of figures) {
      const f = all[round];
      if (!f) continue;
      rows.push([
        String(round + 1),
        target.label,
        ms(f.baseline),
        ms(f.org.total),
        split(f.org),
        ms(f.team.total),
        split(f.team),
        `${mb(f.peak)} (${mb(f.rssBefore)} before)`,
      ]);
    }
  }
  return {
    title: `metrics, every round (${rounds}): one \`/coe metrics\` over 90 days = this window + the previous one`,
    header: [
      'round',
      'database',
      'count(*) baseline',
      'organisation',
      'this + previous',
      'Team 12',
      'this + previous',
      'peak RSS of the process',
    ],
    rows,
  };
}

/** Nearest rank. */
function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
}

function summaryTable(figures: Map<Target, RoundFigures[]>, rounds: number): Table {
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const [target, all] of figures) {
    const cell = (pick: (f: RoundFigures) => number, format = ms) =>
      `${format(median(all.map(pick)))} / ${format(p95(all.map(pick)))}`;
    rows.push([
      target.label,
      cell((f) => f.baseline),
      cell((f) => f.org.total),
      cell((f) => f.org.current),
      cell((f) => f.team.total),
      cell((f) => f.peak, mb),
    ]);
    const slowest = all.map((f) => Math.max(f.org.total, f.team.total));
    const over = slowest.flatMap((time, i) => (time > TARGET_MS ? [`round ${i + 1} (${ms(time)})`] : []));
    verdicts.push(
      `${target.label}: median ${median(slowest) <= TARGET_MS ? 'within' : 'OVER'} ${ms(TARGET_MS)}` +
        (over.length > 0 ? `; over it in ${over.join(', ')}` : '; every round within it'),
    );
  }
  return {
    title: `metrics, median / p95 of ${rounds} rounds`,
    header: [
      'database',
      'count(*) baseline',
      'organisation, 90 d',
      'of which this window',
      'Team 12, 90 d',
      'peak RSS',
    ],
    rows,
    notes: [`Target, one \`/coe metrics\` (both windows) in ${ms(TARGET_MS)}: ${verdicts.join('. ')}.`],
  };
}

async function profileTable(target: Target, now: Date): Promise<Table> {
  say(`metrics: per-query profile, ${target.label}…`);
  const timings: QueryTiming[] = [];
  const source = prismaMetrics(recordingDb(target.db, timings));
  await source.scorecard(metricsWindows('90d', now).current, ORGANISATION);
  const total = timings.reduce((sum, t) => sum + t.ms, 0);
  const rows = timings.map((t) => [
    t.label,
    ms(t.ms),
    `${((t.ms / total) * 100).toFixed(0)} %`,
    String(t.rows),
    `${t.bytes}`,
  ]);
  const returned = timings.reduce((sum, t) => sum + t.bytes, 0);
  const notes = [
    `${timings.length} queries, ${ms(total)} in all; ${timings.reduce((n, t) => n + t.rows, 0)} rows ` +
      `(${(returned / 1024).toFixed(1)} kB as JSON) came back to Node for the whole scorecard.`,
  ];
  const slowest = [...timings].sort((a, b) => b.ms - a.ms)[0];
  if (VERBOSE && slowest) {
    notes.push(`EXPLAIN (ANALYZE, BUFFERS) of the slowest, ${slowest.label}, on ${target.label}:\n`);
    notes.push(`\`\`\`\n${await explain(target.db, slowest.sql)}\n\`\`\``);
    // Why the scorecard turns JIT off: the same query as Postgres would otherwise run it.
    const speed = timings.find((t) => t.label.startsWith('speed:'));
    if (target.db.kind === 'postgres' && speed) {
      const plan = await explain(target.db, speed.sql, true);
      const jit = /Timing: .*Total ([\d.]+ ms)/.exec(plan)?.[1];
      const run = /Execution Time: ([\d.]+ ms)/.exec(plan)?.[1];
      notes.push(
        jit
          ? `With JIT on (the server's default), ${speed.label} took ${run}, of which JIT compilation ${jit}.`
          : `With JIT on (the server's default), ${speed.label} took ${run}: the server did not compile it.`,
      );
    }
  }
  return {
    title: `metrics, per query: the organisation's scorecard, this 90-day window, ${target.label}`,
    header: ['query (function:line in metrics-queries.ts)', 'time', 'share', 'rows to Node', 'bytes'],
    rows,
    notes,
  };
}

/** The databases hold the same rows (bench/metrics-seed.ts), so they must answer the same facts. */
async function sameFacts(targets: readonly Target[], now: Date): Promise<string> {
  const window = metricsWindows('90d', now).current;
  const answers = await Promise.all(
    targets.map(async (t) => JSON.stringify(await t.source.scorecard(window, ORGANISATION))),
  );
  if (answers.length < 2) return '';
  return answers.every((a) => a === answers[0])
    ? 'Every database answered the same facts for the organisation over 90 days.'
    : `The databases answered different facts: ${targets.map((t, i) => `${t.label}: ${answers[i]}`).join('; ')}`;
}

async function dataNotes(targets: readonly Target[]): Promise<string[]> {
  const [first] = targets;
  if (!first) return [];
  const counts: string[] = [];
  for (const table of ['friction_report', 'event', 'change_request', 'sop_release', 'release_ack', 'team', 'person']) {
    const [row] = await first.db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
    counts.push(`${table} ${row?.n ?? 0}`);
  }
  return [
    `Data: ${counts.join(', ')} (the same on every database); seeded set-based in ` +
      `${targets.map((t) => `${ms(t.seedMs)} (${t.label})`).join(', ')}.`,
  ];
}

function roundsFromEnv(): number {
  const raw = process.env.BENCH_ROUNDS ?? String(DEFAULT_ROUNDS);
  const rounds = Number(raw);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`BENCH_ROUNDS=${raw}: give a whole number from 1 on`);
  return rounds;
}
