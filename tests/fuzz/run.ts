/**
 * `npm run fuzz [-- --runs N --seed S --shrink-seconds T --reset-every R]`: the long fuzz run (10,000 cases by default)
 * against the real bot in-process. Prints the seed, counts by answer and every class of failure with the smallest
 * request that shows it; exits 1 when anything failed.
 */
import { parseArgs } from 'node:util';
import { formatReport, fuzz } from './engine.ts';
import { FuzzTarget } from './target.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31) },
    'shrink-seconds': { type: 'string', default: '60' },
    'shrink-classes': { type: 'string', default: '50' },
    'reset-every': { type: 'string', default: '250' },
    quiet: { type: 'boolean', default: false },
  },
});

const number = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, not ${String(values[name])}`);
    process.exit(2);
  }
  return n;
};

const options = {
  runs: number('runs'),
  seed: number('seed'),
  shrinkMs: number('shrink-seconds') * 1000,
  shrinkClasses: number('shrink-classes'),
  resetEvery: Math.max(1, number('reset-every')),
  log: values.quiet ? undefined : (line: string) => console.error(`[fuzz] ${line}`),
};

// The bot's own logs are kept in memory by the test bot; LOG_LEVEL does not reach them.
console.error(`[fuzz] seed ${options.seed}, ${options.runs} cases; starting the bot`);
const target = await FuzzTarget.start();
let failed = true;
try {
  const report = await fuzz(target, options);
  console.log(formatReport(report));
  failed = report.classes.length > 0;
} finally {
  await target.close().catch((error: unknown) => console.error('[fuzz] could not stop the bot:', error));
}
process.exit(failed ? 1 : 0);
