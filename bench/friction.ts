/**
 * `npm run bench -- friction`: the friction path under load, side by side in one run, over signed HTTP exactly as
 * Slack sends it, against a fake Slack Web API in a process of its own (bench/slack-api-process.ts):
 *
 *   bare Bolt        bench/bare-bolt.ts, which only acks: what Bolt itself costs (the yardstick);
 *   bot, embedded    the bot spawned as `npm start` runs it (the compiled build) on a new DATA_DIR (PGlite);
 *   bot, Postgres    the same on a new database of the real Postgres (postgres://postgres@127.0.0.1:5432, or
 *                    BENCH_POSTGRES_URL), dropped afterwards; skipped, with one line saying why, when it does not
 *                    answer.
 *
 * Per target (bench/friction-run.ts): a submission storm of 1,000 friction forms from 50 users (ack p50/p99,
 * submissions per second, answers past 3 s, none within 10 s; for a bot every submission stored exactly once),
 * `/friction` ack p99 in bursts and during the storm (each with bot / bare), the lag to views.open, and RSS of the
 * process and its tree, idle and at the storm's peak. The targets of the issue stand next to the figures.
 *
 * BENCH_ROUNDS rounds (default 2), each in the order bare → embedded → Postgres, every process started fresh per
 * round (a bot on a new database, created and migrated by a first start that is not measured, so that its memory is
 * that of every later start): a table per round, then the medians. A submission not stored exactly once (or answered
 * with anything but its confirmation) fails the part, after the tables. What it starts it stops; its databases and
 * temp folders are removed.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../tests/process/bot-process.ts';
import type { Row, Table } from './common.ts';
import { say } from './common.ts';
import { measureTarget, STORM_SUBMISSIONS } from './friction-run.ts';
import { STORM_COMMAND_USERS } from './friction-storm.ts';
import { frictionTable, medianSummaries, type Summary } from './friction-table.ts';
import { postgresProblem } from './postgres.ts';
import { USERS } from './slack-load.ts';
import { LABELS, type TargetKind } from './targets.ts';

const DEFAULT_ROUNDS = 2;

export async function benchFriction(_rows: Row[], tables: Table[]): Promise<void> {
  const rounds = roundsFromEnv();
  buildIfStale();
  const kinds: TargetKind[] = ['bare', 'embedded'];
  const notes = [
    `${STORM_SUBMISSIONS} submissions from ${USERS} users, ${USERS} in flight, beside ${STORM_COMMAND_USERS} users ` +
      'sending /friction; every process started fresh per round; "—": not for the bare app.',
    'A p99 of fewer than 100 acks is their maximum. The bare app runs under tsx: its loader (and an esbuild child, ' +
      'while it has one) count in its RSS.',
  ];
  const problem = await postgresProblem();
  if (problem === undefined) kinds.push('postgres');
  else {
    const line = `${problem}: the "bot, Postgres" column is skipped.`;
    say(`friction: ${line}`);
    notes.push(line);
  }

  const all: Map<TargetKind, Summary>[] = [];
  const problems: string[] = [];
  const own: Table[] = [];
  for (let round = 1; round <= rounds; round++) {
    const summaries = new Map<TargetKind, Summary>();
    for (const kind of kinds.filter(chosen)) {
      say(`friction: round ${round}/${rounds}, ${LABELS[kind]}…`);
      const started = performance.now();
      const result = await measureTarget(kind, round);
      say(`friction: round ${round}/${rounds}, ${LABELS[kind]} done in ${seconds(started)}`);
      summaries.set(kind, result.summary);
      problems.push(...result.problems.map((p) => `round ${round}, ${p}`));
    }
    all.push(summaries);
    const only = rounds === 1 ? ' (the only one, so also the median)' : '';
    own.push(frictionTable(`friction, round ${round} of ${rounds}${only}`, summaries));
  }
  if (rounds > 1)
    own.push(frictionTable(`friction, median of ${rounds} rounds (ratios of the medians)`, medianSummaries(all)));
  // The notes once, under the last table.
  const last = own.at(-1);
  if (last) last.notes = notes;
  tables.push(...own);
  if (problems.length > 0) {
    throw new Error(`friction: a submission not stored exactly once, or not confirmed:\n${problems.join('\n')}`);
  }
}

/** BENCH_TARGETS=bare,postgres: only those columns (for trying a change quickly; the note wants them all). */
function chosen(kind: TargetKind): boolean {
  const only = process.env.BENCH_TARGETS?.split(',').map((t) => t.trim());
  return !only?.length || only.includes(kind);
}

function roundsFromEnv(): number {
  const raw = process.env.BENCH_ROUNDS ?? String(DEFAULT_ROUNDS);
  const rounds = Number(raw);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`BENCH_ROUNDS=${raw}: give a whole number from 1 on`);
  return rounds;
}

/** The bots run the compiled build, as `npm start` does; build it now rather than inside the first measured start. */
function buildIfStale(): void {
  say('friction: building dist/ if a source changed (node scripts/build.mjs --if-stale)…');
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs'), '--if-stale'], {
    cwd: REPO_ROOT,
    // Its output goes to stderr with the progress lines; stdout is the table's.
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    throw new Error(`node scripts/build.mjs --if-stale exited with ${result.status ?? result.signal}`);
  }
}

const seconds = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;
