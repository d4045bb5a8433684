/**
 * Runs the real bot as a child process, the way `npm start` does (`tsx src/main.ts`), with an environment the test
 * controls: nothing inherited but PATH/HOME/locale, so a developer's SLACK_*, MICROSOFT_*, DATABASE_URL or PORT never
 * leak in. One node process (`node --import tsx`, no tsx CLI wrapper), so signals and /proc figures hit the bot itself.
 *
 * The bot logs pino JSON on stdout; `PORT=0` lets the OS pick a port and the `listening on <url>` line tells it.
 * Every spawned process is tracked: `stopAllBots()` (afterEach) kills what is still running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const MAIN_PATH = path.join(REPO_ROOT, 'src/main.ts');
/** Absolute, so the bot also starts from a cwd outside the repository (where `--import tsx` would not resolve). */
export const TSX_LOADER = pathToFileURL(createRequire(path.join(REPO_ROOT, 'package.json')).resolve('tsx')).href;

/** Inherited from the parent: what a shell needs, nothing that configures the bot. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'SYSTEMROOT'];

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** pino lines parsed from stdout so far. */
  readonly logs: LogLine[];
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ExitResult>;
  /** The base URL from the `listening on …` line. */
  url(timeoutMs?: number): Promise<string>;
  /** Waits until `/readyz` answers 200; returns the base URL. */
  ready(timeoutMs?: number): Promise<string>;
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Sends `signal` and waits for the exit; SIGKILLs after `timeoutMs` if it is still running. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitResult>;
}

export interface SpawnOptions {
  /** Variables for the bot; added to the inherited PATH/HOME. `undefined` values are left out. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

const running = new Set<BotProcess>();

export function spawnBot(options: SpawnOptions = {}): BotProcess {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value !== undefined) env[name] = value;
  }
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN_PATH], {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not spawn the bot');

  let out = '';
  let err = '';
  let partial = '';
  const logs: LogLine[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const parsed = JSON.parse(line) as unknown;
        if (typeof parsed === 'object' && parsed !== null && 'msg' in parsed) logs.push(parsed as LogLine);
      } catch {
        // Not a pino line (nothing else should print to stdout, but a test should not crash on it).
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<ExitResult>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let exitResult: ExitResult | undefined;
  void exited.then((r) => {
    exitResult = r;
  });

  const describe = () =>
    `bot pid ${child.pid}${exitResult ? ` exited (${exitResult.code ?? exitResult.signal})` : ' running'}\n` +
    `stdout:\n${out.slice(-4000)}\nstderr:\n${err.slice(-4000)}`;

  const waitForLog = async (predicate: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = logs.find(predicate);
      if (found) return found;
      if (exitResult) throw new Error(`the bot exited before the expected log line; ${describe()}`);
      if (Date.now() > deadline) throw new Error(`no expected log line after ${timeoutMs} ms; ${describe()}`);
      await delay(20);
    }
  };

  const url = async (timeoutMs = 30_000) => {
    const line = await waitForLog((l) => l.msg.startsWith('listening on '), timeoutMs);
    return line.msg.slice('listening on '.length);
  };

  const bot: BotProcess = {
    child,
    pid: child.pid,
    logs,
    stdout: () => out,
    stderr: () => err,
    exited,
    url,
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const base = await url(timeoutMs);
      let last = 'no answer yet';
      for (;;) {
        if (exitResult) throw new Error(`the bot exited before it was ready; ${describe()}`);
        try {
          const res = await httpGet(`${base}/readyz`, 15_000);
          last = `${res.status} ${res.body}`;
          if (res.status === 200) return base;
        } catch (error) {
          last = String(error);
        }
        if (Date.now() > deadline) throw new Error(`/readyz not 200 after ${timeoutMs} ms (${last}); ${describe()}`);
        await delay(50);
      }
    },
    waitForLog,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (!exitResult) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  running.add(bot);
  void exited.then(() => running.delete(bot));
  return bot;
}

/** Kills every bot still running (SIGKILL: a test that wanted a clean stop did it itself). */
export async function stopAllBots(): Promise<void> {
  await Promise.all([...running].map((bot) => bot.stop('SIGKILL', 5_000)));
}

const tempDirs = new Set<string>();

export async function makeTempDir(prefix = 'coe-process-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(
    [...tempDirs].map(async (dir) => {
      await rm(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }),
  );
}

/** Resolves `predicate` until it returns true; rejects with `describe()` after `timeoutMs`. */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await delay(intervalMs);
  }
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A GET on a fresh connection (no keep-alive). While PGlite creates a new data folder the bot's event loop is blocked
 * for seconds; a pooled keep-alive socket (fetch's default) can then be closed by the server just as the next request
 * goes out (ECONNRESET). Probes from a load balancer or kubelet open a connection per probe too.
 */
export function httpGet(url: string, timeoutMs = 15_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
