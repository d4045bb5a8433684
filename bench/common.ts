/**
 * What the parts of `npm run bench` share: the rows of the one printed table, progress lines on stderr, time
 * formatting, and a clean stop of a spawned bot.
 */
import type { BotProcess } from '../tests/process/bot-process.ts';

export interface Row {
  metric: string;
  value: string;
  note: string;
}

export const say = (text: string) => process.stderr.write(`bench: ${text}\n`);

/** Milliseconds for the table: a decimal below 100 ms (acks take a few), seconds from 1 s on. */
export function ms(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

export const sleep = (time: number) => new Promise<void>((resolve) => setTimeout(resolve, time));

/** SIGTERM, and a failure unless the bot exits 0 within 15 s (its own shutdown limit is 10 s). */
export async function stopClean(bot: BotProcess): Promise<void> {
  const result = await bot.stop('SIGTERM', 15_000);
  if (result.code !== 0) {
    const output = `stdout:\n${bot.stdout().slice(-3000)}\nstderr:\n${bot.stderr().slice(-3000)}`;
    throw new Error(`the bot did not stop cleanly: ${JSON.stringify(result)}\n${output}`);
  }
}
