/**
 * What the parts of `npm run bench` share: the rows of the one printed table, the side-by-side tables of a part that
 * compares several targets, Markdown rendering (aligned, so it reads in a terminal and pastes as Markdown), progress
 * lines on stderr, time and size formatting, percentiles, clean-up hooks and a clean stop of a spawned bot.
 */
import type { BotProcess } from '../tests/process/bot-process.ts';

export interface Row {
  metric: string;
  value: string;
  note: string;
}

/** A table of its own, printed after the rows: one column per target measured side by side. */
export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  /** Lines printed under the table. */
  notes?: string[];
}

export const say = (text: string) => process.stderr.write(`bench: ${text}\n`);

/** Milliseconds for the table: a decimal below 100 ms (acks take a few), seconds from 1 s on. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

/** Kibibytes (as /proc reports them) in MB. */
export const mb = (kb: number) => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : 'n/a');

export const sleep = (time: number) => new Promise<void>((resolve) => setTimeout(resolve, time));

/** Nearest-rank percentiles. */
export function stats(latencies: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { p50: rank(0.5), p99: rank(0.99), max: rank(1) };
}

/** The middle value, or the mean of the two middle ones of an even count; NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const upper = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[sorted.length / 2 - 1] ?? Number.NaN) + upper) / 2;
}

/**
 * A Markdown table with padded columns: `right` columns (figures) are right-aligned, the others left. A `|` inside a
 * cell is escaped so it cannot split the cell.
 */
export function markdownTable(header: readonly string[], rows: readonly string[][], right: readonly boolean[]): string {
  const cell = (text: string | undefined) => (text ?? '').replaceAll('|', '\\|');
  const all = [header, ...rows].map((row) => header.map((_, i) => cell(row[i])));
  const widths = header.map((_, i) => Math.max(3, ...all.map((row) => row[i]?.length ?? 0)));
  const pad = (text: string, i: number) => (right[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0));
  const line = (row: string[]) => `| ${row.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  const [head, ...body] = all;
  return [line(head ?? []), rule, ...body.map(line)].join('\n');
}

const cleanups = new Set<() => Promise<void>>();

/**
 * Registers what must be undone even when the bench is interrupted (a database to drop, a process that is not a
 * bot); returns the function that runs it. It runs once: a second call (the interrupt handler and the normal clean-up
 * racing) waits for the same run, so nobody exits the process while it is still under way.
 */
export function onCleanup(undo: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  const once = () => {
    running ??= undo().finally(() => cleanups.delete(once));
    return running;
  };
  cleanups.add(once);
  return once;
}

/** Runs every registered clean-up still pending; one failing does not keep the others from running. */
export async function runCleanups(): Promise<void> {
  const results = await Promise.allSettled([...cleanups].map((undo) => undo()));
  for (const result of results) if (result.status === 'rejected') say(`clean-up failed: ${String(result.reason)}`);
}

/** SIGTERM, and a failure unless the bot exits 0 within 15 s (its own shutdown limit is 10 s). */
export async function stopClean(bot: BotProcess): Promise<void> {
  const result = await bot.stop('SIGTERM', 15_000);
  if (result.code !== 0) {
    const output = `stdout:\n${bot.stdout().slice(-3000)}\nstderr:\n${bot.stderr().slice(-3000)}`;
    throw new Error(`the bot did not stop cleanly: ${JSON.stringify(result)}\n${output}`);
  }
}
