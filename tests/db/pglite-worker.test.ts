/**
 * The embedded database's worker thread as the main thread meets it (`pglite-remote.ts`): a connection handed out
 * before the worker is up, which describes itself as the worker's own adapter does and waits for it.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { PGLITE_CONNECTION_INFO, PGLITE_TRANSACTION_OPTIONS, PgliteWorker } from '../../src/db/pglite-remote.ts';

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

  it('sends a transaction’s first statement behind its begin, and fails them both if it cannot begin', async () => {
    const db = await (await start(fresh)).factory().connect();
    const sql = (text: string) => ({ sql: text, args: [], argTypes: [] });
    await db.executeRaw(sql('CREATE TABLE kept (n int)'));

    const tx = await db.startTransaction();
    expect(tx.options).toEqual(PGLITE_TRANSACTION_OPTIONS);
    await tx.executeRaw(sql('INSERT INTO kept VALUES (1)'));
    // Inside the transaction, not on its own: a rollback takes the row away.
    await tx.rollback();
    const ended = await db.startTransaction();
    await ended.executeRaw(sql('INSERT INTO kept VALUES (2)'));
    await ended.commit();
    expect((await db.queryRaw(sql('SELECT n FROM kept'))).rows).toEqual([[2]]);

    // PGlite refuses the isolation level, so the transaction never begins: what is sent on it fails with that.
    const refused = await db.startTransaction('NOT A LEVEL' as never);
    await expect(refused.executeRaw(sql('INSERT INTO kept VALUES (3)'))).rejects.toThrow();
    await expect(refused.commit()).rejects.toThrow();
    expect((await db.queryRaw(sql('SELECT n FROM kept ORDER BY n'))).rows).toEqual([[2]]);
  });

  it('knows the options the worker’s adapter gives each transaction before it has begun', async () => {
    const pglite = await PGlite.create(template ? { loadDataDir: new Blob([await readFile(template)]) } : {});
    try {
      const tx = await (await new PrismaPGlite(pglite).connect()).startTransaction();
      expect(tx.options).toEqual(PGLITE_TRANSACTION_OPTIONS);
      await tx.rollback();
    } finally {
      await pglite.close();
    }
  });
});
