/**
 * A Postgres cluster of a test's own, which the test may stop and start at will (never the machine's shared server
 * on 5432): `initdb` into a temporary folder and `pg_ctl` on a free loopback port, with the Debian binaries in
 * /usr/lib/postgresql/<version>/bin. Postgres refuses to run as root, so under root it runs as the `postgres` OS
 * user (the folder is handed to that user). Everything is asynchronous: the test process also serves the fakes.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const COMMAND_TIMEOUT_MS = 30_000;

/** The newest installed version's bin folder with initdb and pg_ctl, or why a private cluster cannot run here. */
export function findPostgresBinaries(): { bin: string } | { missing: string } {
  if (process.getuid?.() === 0 && !/^postgres:/m.test(readFileSync('/etc/passwd', 'utf8'))) {
    return { missing: 'running as root and there is no `postgres` OS user to run Postgres as' };
  }
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT).sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  for (const version of versions) {
    const bin = path.join(DEBIAN_ROOT, version, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return { bin };
  }
  return { missing: `no initdb and pg_ctl in ${DEBIAN_ROOT}/*/bin` };
}

export interface PrivatePostgres {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly url: string;
  /** `pg_ctl stop -m fast`: sessions are cut, committed work is kept. */
  stop(): Promise<void>;
  /** `pg_ctl start`, waiting until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server (if running) and removes its folder. */
  destroy(): Promise<void>;
  /** The server's log, for failure messages. */
  log(): Promise<string>;
}

export async function startPrivatePostgres(bin: string): Promise<PrivatePostgres> {
  const runAs = process.getuid?.() === 0 ? await osUser('postgres') : undefined;
  const root = await mkdtemp(path.join(tmpdir(), 'coe-private-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'postgres.log');
  const run = (tool: string, args: string[]) => runCommand(path.join(bin, tool), args, runAs);
  let running = false;
  try {
    if (runAs) await chown(root, runAs.uid, runAs.gid);
    await run('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await freePort();
    // Loopback only, its socket in its own folder, and small: it serves one bot.
    const settings = { port, listen_addresses: "'127.0.0.1'", unix_socket_directories: `'${root}'` };
    const extra = { max_connections: 40, shared_buffers: "'16MB'" };
    await appendFile(
      path.join(dataDir, 'postgresql.conf'),
      `\n${Object.entries({ ...settings, ...extra })
        .map(([k, v]) => `${k} = ${v}`)
        .join('\n')}\n`,
    );
    const pg: PrivatePostgres = {
      port,
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async start() {
        await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '30', 'start']);
        running = true;
      },
      async stop() {
        await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
        running = false;
      },
      async destroy() {
        if (running) {
          await pg.stop().catch(() => run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {}));
        }
        await rm(root, { recursive: true, force: true });
      },
      log: () => runCommand('tail', ['-n', '40', logFile]).catch((error: unknown) => String(error)),
    };
    await pg.start();
    return pg;
  } catch (error) {
    if (running) await run('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']).catch(() => {});
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function osUser(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([runCommand('id', ['-u', name]), runCommand('id', ['-g', name])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/** Runs a command (as `user` when given), resolving with its stdout; rejects with its output on failure. */
function runCommand(file: string, args: string[], user?: { uid: number; gid: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: COMMAND_TIMEOUT_MS, cwd: tmpdir(), ...(user ? { uid: user.uid, gid: user.gid } : {}) },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** A port nothing listens on right now (the OS's pick for a moment's listener). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
