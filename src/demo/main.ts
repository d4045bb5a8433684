/**
 * `npm run demo [-- --data-dir <folder>] [--today YYYY-MM-DD]`: builds Raccoons Inc. (seed §10) in a fresh embedded
 * database — `./data-demo` unless DATA_DIR or `--data-dir` names another, never the bot's `./data` by default — with
 * about 120 days of history ending yesterday (or the day before `--today`), then prints the scorecard, writes the
 * digest chart and says how to start the bot on it. Exit code 0 when built, 1 when refused or failed, 2 for bad
 * arguments.
 *
 * Only the moved clock is loaded before it is installed: every other module (the database above all) loads after,
 * so they all read the story's time.
 */
import { historyStart } from './story.ts';
import { DemoTime } from './time.ts';

const USAGE = 'usage: npm run demo [-- --data-dir <folder>] [--today YYYY-MM-DD]';

function parse(argv: readonly string[]): { dataDir?: string; today?: string; help?: boolean } | string {
  const out: { dataDir?: string; today?: string; help?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = () => inline ?? argv[++i];
    if (name === '--help' || name === '-h') out.help = true;
    else if (name === '--data-dir') out.dataDir = value();
    else if (name === '--today') out.today = value();
    else return `unknown argument "${arg}"`;
  }
  if (out.dataDir === '') return '--data-dir needs a folder';
  if (out.today !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(out.today) || Number.isNaN(Date.parse(out.today)))) {
    return '--today needs a date like 2026-12-01';
  }
  return out;
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`demo: ${args}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = args.dataDir ?? process.env.DATA_DIR ?? './data-demo';
  if (process.env.DATABASE_URL)
    console.log('demo: DATABASE_URL is ignored: the demo always builds an embedded database.');
  const today = args.today ?? new Date().toISOString().slice(0, 10);
  const end = new Date(`${today}T00:00:00.000Z`);
  const start = historyStart(end);
  const time = new DemoTime(new Date(start.getTime() + 7 * 3600_000));
  time.install();
  const { runDemo } = await import('./run.ts');
  return runDemo({
    dataDir,
    start,
    end,
    time,
    print: (line) => console.log(line),
    fail: (line) => console.error(line),
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('demo: failed:', error);
    process.exitCode = 1;
  },
);
