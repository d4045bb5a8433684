// `npm start`: the compiled bot (dist/main.js), rebuilt first when a source changed since the last build. One node
// process, so signals and exit codes are the bot's own. package.json starts it with `--v8-pool-size=1` (README, "Under
// load"): the pool is made when Node starts, before any script could ask for it.
import { setFlagsFromString } from 'node:v8';
import { build, isStale } from './build.mjs';

if (isStale()) {
  const { ok, why } = build();
  if (!ok) {
    console.error(`start: cannot build the bot: ${why}`);
    process.exit(1);
  }
}
// Every function the bot compiles from here on runs as Sparkplug's baseline code from its first call, not in V8's
// interpreter until it has been called often enough (README, "Under load"): a young bot's first bursts cost less.
setFlagsFromString('--always-sparkplug');
await import('../dist/main.js');
