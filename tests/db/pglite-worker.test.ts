/**
 * The embedded database's worker thread as the main thread meets it (`pglite-remote.ts`): a connection handed out
 * before the worker is up, which describes itself as the worker's own adapter does and waits for it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PGLITE_CONNECTION_INFO, PgliteWorker } from '../../src/db/pglite-remote.ts';

const started: Promise<PgliteWorker>[] = [];
// The empty database the global set-up dumped once (a fresh in-memory PGlite runs initdb: seconds).
const template = process.env.COE_PGLITE_EMPTY_TEMPLATE;
const fresh = { dataDir: undefined, settings: [], ...(template ? { loadDataDir: template } : {}) };

function start(data: Parameters<typeof PgliteWorker.start>[0]): Promise<PgliteWorker> {
  const starting = PgliteWorker.start(data);
  started.push(starting);
  return starting;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.then((w) => w.close()).catch(() => {})));
});

describe('the embedded database worker', () => {
  it('hands out a connection before it is up, described as its own adapter describes it', async () => {
    const starting = start(fresh);
    let up = false;
    void starting.then(() => {
      up = true;
    });

    const early = await PgliteWorker.factoryOnceStarted(starting).connect();
    // Prisma reads this as it connects, and plans its queries from it (relation joins or not).
    expect(up).toBe(false);
    const own = await (await starting).factory().connect();
    expect(early.getConnectionInfo?.()).toEqual(own.getConnectionInfo?.());
    expect(own.getConnectionInfo?.()).toMatchObject(PGLITE_CONNECTION_INFO);

    const result = await early.queryRaw({ sql: 'SELECT 41 + 1 AS answer', args: [], argTypes: [] });
    expect(result.columnNames).toEqual(['answer']);
    expect(result.rows).toEqual([[42]]);
    const tx = await early.startTransaction();
    await tx.executeRaw({ sql: 'CREATE TABLE kept (n int)', args: [], argTypes: [] });
    await tx.commit();
    expect(await early.executeRaw({ sql: 'INSERT INTO kept VALUES (1), (2)', args: [], argTypes: [] })).toBe(2);
  });

  it('fails the early connection’s calls as its start failed', async () => {
    const starting = start({ dataDir: undefined, loadDataDir: '/nonexistent/coe-dump.tar', settings: [] });
    const early = await PgliteWorker.factoryOnceStarted(starting).connect();
    await expect(starting).rejects.toThrow(/ENOENT/);
    await expect(early.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] })).rejects.toThrow(/ENOENT/);
  });
});
