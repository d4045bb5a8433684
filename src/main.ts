/**
 * `npm start`: reads `.env` (the environment wins), validates the configuration, runs the bot, and shuts down
 * cleanly on SIGTERM/SIGINT within 10 seconds.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Bot } from './app.ts';
import type { Database } from './db/client.ts';

const SHUTDOWN_LIMIT_MS = 9_500;

async function main(): Promise<void> {
  // Node's own loader: values already in the environment are kept.
  if (existsSync('.env')) process.loadEnvFile('.env');
  // An embedded database from an earlier start begins opening on its own thread now, while the rest loads.
  const { DataDirError, openDatabase, openExistingEmbedded } = await import('./db/client.ts');
  const early = openExistingEmbedded(process.env);
  const { ConfigError, loadConfig } = await import('./config.ts');
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`config: ${problem}`);
    console.error('config: fix the variables above (see .env.example) and start again.');
    await closeEarly(early?.opening);
    process.exit(2);
  }
  const { createLogger } = await import('./logger.ts');
  const logger = createLogger(config.logLevel);
  let bot: Bot | undefined;
  let stopRequested: string | undefined;
  const shutdown = (signal: string) => {
    if (stopRequested) return;
    stopRequested = signal;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    // Still starting: `startBot` stops it as soon as it is up (below).
    if (!bot) return;
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // A promise some background work forgot to catch is a bug to fix, not a reason to drop every request in flight:
  // it is logged (without its data) and the bot goes on. What was stored stays stored either way.
  process.on('unhandledRejection', (reason) => {
    logger.error(
      { err: reason instanceof Error ? reason : new Error(String(reason).slice(0, 200)) },
      'unhandled rejection',
    );
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  // Loaded only now: a configuration error is reported without loading both chat SDKs first. The database starts
  // opening before the rest of the bot is loaded: the embedded one starts on its own thread (and Postgres connects)
  // while this thread loads the code.
  const { database } = config;
  const reuse = early && database.kind === 'pglite' && path.resolve(database.dataDir) === early.dataDir;
  if (!reuse) await closeEarly(early?.opening);
  const opening = reuse ? early.opening : openDatabase(database);
  opening.catch(() => {}); // awaited by startBot, which reports it
  const { startBot } = await import('./app.ts');
  bot = await startBot(config, { logger, opening }).catch((error: unknown) => {
    if (error instanceof DataDirError) {
      // Not a bad value (exit 2): the same DATA_DIR works again once the disk has room or is writable.
      logger.fatal({ err: error.cause, dataDir: error.dataDir }, error.message);
      console.error(`${error.message}. Fix the folder or point DATA_DIR elsewhere, then start again.`);
    } else {
      logger.fatal({ err: error }, 'could not start');
    }
    process.exit(1);
  });
  if (stopRequested) {
    await bot.stop();
    process.exit(0);
  }
}

/** An early opening the configuration did not confirm: let go of the database cleanly, whether it opened or not. */
async function closeEarly(opening: Promise<Database> | undefined): Promise<void> {
  const db = await opening?.catch(() => undefined);
  await db?.close().catch(() => {});
}

await main();
