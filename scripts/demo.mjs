// `npm run demo`: the Raccoons Inc. demonstration organisation (src/demo/), run from the compiled build like
// `npm start` runs the bot (rebuilt first when a source changed since the last build).
import { build, isStale } from './build.mjs';

if (isStale()) {
  const { ok, why } = build();
  if (!ok) {
    console.error(`demo: cannot build the bot: ${why}`);
    process.exit(1);
  }
}
await import('../dist/demo/main.js');
