/**
 * What loading the Slack platform costs: in HTTP mode `@slack/socket-mode` and the undici client it brings stay
 * unloaded (Bolt's App module requires them; `bolt.ts` puts a stand-in in their place), and the stand-in hands on the
 * real package the moment something reads from it. Run in a fresh node process: the test runner's own module cache
 * is shared between test files.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, TSX_LOADER } from './bot-process.ts';

const run = promisify(execFile);

async function probe(script: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--import', TSX_LOADER, '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

const SLACK_APP = JSON.stringify(path.join(REPO_ROOT, 'src/platforms/slack/app.ts'));
const LOADED = `(await import('node:module')).createRequire(import.meta.url).cache`;

describe('loading the Slack platform', () => {
  it('leaves Socket Mode and undici unloaded until something uses them, then hands on the real client', async () => {
    const result = await probe(`
      await import(${SLACK_APP});
      const cache = ${LOADED};
      const count = (part) => Object.keys(cache).filter((file) => file.includes(part)).length;
      const before = { undici: count('/node_modules/undici/'), socketMode: count('/@slack/socket-mode/dist/src/SocketModeClient.js') };
      const { SocketModeClient } = await import('@slack/socket-mode');
      const client = new SocketModeClient({ appToken: 'xapp-test' });
      console.log(JSON.stringify({
        before,
        after: { undici: count('/node_modules/undici/') > 0, socketMode: count('/@slack/socket-mode/dist/src/SocketModeClient.js') > 0 },
        real: typeof client.start === 'function' && typeof client.disconnect === 'function',
      }));
    `);
    expect(result).toEqual({
      before: { undici: 0, socketMode: 0 },
      after: { undici: true, socketMode: true },
      real: true,
    });
  }, 60_000);
});
