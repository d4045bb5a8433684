/**
 * `npm run db:migrate` applies the migrations to the configured database (DATABASE_URL, or the embedded one in
 * DATA_DIR); `npm run db:migration -- <name>` writes the next migration from `prisma/schema.prisma`. Both offline.
 */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from './client.ts';
import { createMigration, migrate } from './migrations.ts';

async function run(command: string | undefined, args: string[]): Promise<number> {
  if (command === 'new') {
    const name = args.join(' ').trim();
    if (!name) {
      console.error('usage: npm run db:migration -- <name>   (e.g. npm run db:migration -- add team motto)');
      return 2;
    }
    const folder = await createMigration(name);
    console.log(folder ? `wrote ${folder}/migration.sql` : 'schema.prisma and the migrations agree: nothing to write');
    return 0;
  }
  if (command === 'migrate') {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const config = loadConfig();
    const db = await openDatabase(config.database);
    try {
      const applied = await migrate(db);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    } finally {
      await db.close();
    }
    return 0;
  }
  console.error('usage: tsx src/db/cli.ts migrate | new <name>');
  return 2;
}

try {
  process.exitCode = await run(process.argv[2], process.argv.slice(3));
} catch (error) {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) console.error(`config: ${problem}`);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
