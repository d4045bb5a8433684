/**
 * Where the demo happens: a fresh embedded database (refused when it already holds data), the core's services on it
 * with the demo's moved clock and the bot's default settings, and an outbox deliverer whose sender records what the
 * bot posted, so the history's messages count as delivered in their day and the bot later starts with an empty
 * outbox. The database runs on this thread (not on the bot's worker thread) so that it shares the moved clock.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../config.ts';
import { type Database, wrapPglite } from '../db/client.ts';
import { prismaMetrics } from '../db/metrics-queries.ts';
import { migrate } from '../db/migrations.ts';
import { PrismaOutboxQueue, PrismaStore } from '../db/store.ts';
import { cronRules } from '../jobs/index.ts';
import type { MessageRef, MessageSender, OutboxRow } from '../ports.ts';
import { createServices, type Services } from '../services/index.ts';
import { OutboxDeliverer } from '../services/outbox-delivery.ts';
import type { DemoTime } from './time.ts';

/** The demo will not build here; `message` says why and what to do instead. */
export class DemoRefusal extends Error {}

/** Tables whose rows mean "this database is someone's organisation already". */
const DATA_TABLES = ['person', 'team', 'sop', 'friction_report'] as const;

async function holdsData(db: Database): Promise<boolean> {
  for (const table of DATA_TABLES) {
    const [found] = await db.prisma.$queryRawUnsafe<{ present: boolean }[]>(
      `SELECT to_regclass('public.${table}') IS NOT NULL AS present`,
    );
    if (!found?.present) continue;
    const [row] = await db.prisma.$queryRawUnsafe<{ any: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS any`);
    if (row?.any) return true;
  }
  return false;
}

/**
 * Opens the embedded database in `dataDir` for the demo: a new or empty folder, or an embedded database with no
 * organisation in it yet. Anything else is refused before a byte is written.
 */
export async function openFreshDatabase(dataDir: string): Promise<Database> {
  if (existsSync(dataDir)) {
    if (!statSync(dataDir).isDirectory()) throw new DemoRefusal(`${dataDir} is a file, not a folder.`);
    const entries = readdirSync(dataDir);
    if (entries.length > 0 && !entries.includes('PG_VERSION')) {
      throw new DemoRefusal(`${dataDir} is not empty, and it is not an embedded database.`);
    }
  }
  await mkdir(dataDir, { recursive: true });
  const db = await wrapPglite(await PGlite.create(dataDir));
  try {
    if (await holdsData(db)) throw new DemoRefusal(`${dataDir} holds an organisation's data already.`);
    await migrate(db);
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** The platform "sends" each message at once and remembers it: the story looks at what the bot posted. */
class StorySender implements MessageSender {
  readonly posted: OutboxRow[] = [];
  private count = 0;

  async send(row: OutboxRow, parent: MessageRef | undefined): Promise<MessageRef> {
    this.posted.push(row);
    if (row.target.kind === 'update' && parent) return parent;
    const channel = row.target.kind === 'dm' ? `D${row.target.externalId}` : (parent?.channel ?? channelOf(row));
    return { channel, ts: `${Math.floor(Date.now() / 1000)}.${String(++this.count).padStart(6, '0')}` };
  }
}

const channelOf = (row: OutboxRow) => (row.target.kind === 'channel' ? row.target.channelId : 'unknown');

export interface World {
  db: Database;
  store: PrismaStore;
  services: Services;
  time: DemoTime;
  /** Delivers everything queued (and what delivering it queues: release progress, summaries); returns what went. */
  settle(): Promise<OutboxRow[]>;
  /** Messages delivered over the whole story. */
  delivered(): number;
}

export function createWorld(db: Database, time: DemoTime): World {
  // The bot's defaults (as `npm start` runs with no variables set), in UTC so the story reads the same anywhere.
  const config = loadConfig({ TZ: 'UTC' });
  const store = new PrismaStore(db.prisma);
  let token = 0;
  const services = createServices(store, time, config, {
    // Claim tokens let an anonymous reporter follow a report; the demo's are fixed, its story is a fiction.
    newToken: () => `demo-token-${String(++token).padStart(6, '0')}`,
    jobs: { board: async () => [] },
    metricsSource: prismaMetrics(db.prisma),
    schedules: cronRules(config.timeZone),
    log: { error: (obj, msg) => console.error(`demo: ${msg}`, obj) },
  });
  const sender = new StorySender();
  const releases = new Set<number>();
  const deliverer = new OutboxDeliverer({
    queue: new PrismaOutboxQueue(db.prisma),
    senders: { slack: sender },
    clock: time,
    worker: 'demo',
    batchSize: 64,
    onSettled: (row) => {
      const id = /^release:(\d+)$/.exec(row.batch ?? '')?.[1];
      if (id !== undefined) releases.add(Number(id));
    },
  });
  return {
    db,
    store,
    services,
    time,
    async settle() {
      const from = sender.posted.length;
      for (let round = 0; round < 10; round++) {
        const left = await deliverer.flush(time.now().getTime() + 30_000);
        if (left > 0) throw new Error(`demo: ${left} messages could not be delivered`);
        if (releases.size === 0) break;
        // What the deliverer's hook does in the bot, without its one-second wait: the release's progress.
        const settled = [...releases];
        releases.clear();
        for (const id of settled) await services.releases.refresh(id);
      }
      return sender.posted.slice(from);
    },
    delivered: () => sender.posted.length,
  };
}
