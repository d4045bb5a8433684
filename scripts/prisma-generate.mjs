// Generates the Prisma client on any machine, with or without internet.
//
// `prisma generate` never runs the native schema engine, but the CLI insists on finding (or downloading) it first.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies that check offline; migrations run through
// the WebAssembly schema engine instead (src/db/schema-engine.ts). An operator's own setting is left alone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const prismaCli = fileURLToPath(new URL('../node_modules/prisma/build/index.js', import.meta.url));
if (!existsSync(prismaCli)) {
  // `npm ci --omit=dev` on a production image: the client was generated at build time.
  console.log('prisma CLI not installed; skipping client generation');
  process.exit(0);
}
const result = spawnSync(process.execPath, [prismaCli, 'generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
