// Compiles src/ to dist/ (`npm run build`; also after `npm install`, and by `npm start` when dist/ is older than
// the sources). Production runs plain JavaScript: no transpiler in the running process.
//
// `node scripts/build.mjs --if-stale` builds only when a source is newer than the last build; without the
// TypeScript compiler (`npm ci --omit=dev`) it says so and leaves dist/ as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const STAMP = path.join(root, 'dist', '.built');
const SOURCES = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under `target` (a file or a folder), in ms. */
function newest(target) {
  const full = path.join(root, target);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(full).reduce((max, name) => Math.max(max, newest(path.join(target, name))), stat.mtimeMs);
}

export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((source) => newest(source) > built);
}

export function build() {
  let tsc;
  try {
    const manifest = createRequire(path.join(root, 'package.json')).resolve('typescript/package.json');
    tsc = path.join(path.dirname(manifest), 'bin', 'tsc');
  } catch {
    return {
      ok: existsSync(STAMP),
      missing: true,
      why: 'the TypeScript compiler is not installed (npm ci --omit=dev?)',
    };
  }
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) return { ok: false, why: `tsc exited with ${result.status ?? result.signal}` };
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return { ok: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
  const { ok, why, missing } = build();
  // Without a compiler there is nothing to do here: `npm start` says what is missing if dist/ is too.
  if (missing) console.log(`build: ${why}; dist/ is left as it is`);
  else if (!ok) {
    console.error(`build: ${why}`);
    process.exit(1);
  }
}
