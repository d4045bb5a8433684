/**
 * The schema and the migration history must agree, and the offline migration workflow must work end to end.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createMigration, migrate, pendingSchemaChanges } from '../../src/db/migrations.ts';
import { MIGRATIONS_DIR, Migrator, SCHEMA_PATH } from '../../src/db/schema-engine.ts';
import { databaseKinds, emptyScratchDatabase, testDatabase } from '../support/databases.ts';

describe('migrations', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  it('agree with schema.prisma (run `npm run db:migration -- <name>` after editing the schema)', async () => {
    expect(await pendingSchemaChanges({ scratch: emptyScratchDatabase })).toBe('');
  });

  it('notice a schema change, and write it as the next migration', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'coe-migrations-'));
    scratch.push(dir);
    const migrations = path.join(dir, 'migrations');
    await cp(MIGRATIONS_DIR, migrations, { recursive: true });
    const schema = path.join(dir, 'schema.prisma');
    const changed = (await readFile(SCHEMA_PATH, 'utf8')).replace(
      'model Team {\n',
      'model Team {\n  motto     String?\n',
    );
    await writeFile(schema, changed);

    const sources = { migrationsDir: migrations, schemaPath: schema, scratch: emptyScratchDatabase };
    const sql = await pendingSchemaChanges(sources);
    expect(sql).toMatch(/ALTER TABLE "team" ADD COLUMN\s+"motto" TEXT/);

    const folder = await createMigration('add team motto', sources);
    expect(folder && path.basename(folder)).toMatch(/^\d{14}_add_team_motto$/);
    expect(await pendingSchemaChanges(sources)).toBe('');
  });

  it('load the schema engine only when there is something to apply', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'coe-migrations-'));
    scratch.push(dir);
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const db = await emptyScratchDatabase();
    const engine = vi.spyOn(Migrator, 'open');
    try {
      const all = await migrate(db, dir);
      expect(all.length).toBeGreaterThan(0);
      expect(engine).toHaveBeenCalledTimes(1);
      expect(await migrate(db, dir)).toEqual([]);
      expect(engine).toHaveBeenCalledTimes(1); // up to date: answered from _prisma_migrations alone
      await mkdir(path.join(dir, '29990101000000_later'));
      await writeFile(path.join(dir, '29990101000000_later', 'migration.sql'), 'CREATE TABLE "later" (id INT);\n');
      expect(await migrate(db, dir)).toEqual(['29990101000000_later']);
      expect(engine).toHaveBeenCalledTimes(2);
    } finally {
      engine.mockRestore();
      await db.close();
    }
  });

  it.each(databaseKinds())('are all applied on %s, and re-applying changes nothing', async (kind) => {
    const db = await testDatabase(kind);
    const applied = await db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM _prisma_migrations`;
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.every((m) => m.finished_at !== null)).toBe(true);
    expect(await migrate(db)).toEqual([]);
  });
});
