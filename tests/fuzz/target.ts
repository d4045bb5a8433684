/**
 * The bot under fuzz: the real bot in-process (HTTP server, Bolt, botbuilder, outbox) on a PGlite test database,
 * Slack pointed at the fake Web API and Teams replying to the fake Bot Connector. One case = one request; after it,
 * the bot is given time to finish what the request set off, and everything it sent meanwhile is handed to the checks.
 */
import { startTestBot, type TestBot } from '../support/bot.ts';
import { type TestDatabase, testDatabase } from '../support/databases.ts';
import { type ConnectorRequest, FakeBotConnector } from '../support/fake-bot-connector.ts';
import { FakeSlackApi, type SlackCall } from '../support/fake-slack-api.ts';
import { databaseProblems } from './invariants.ts';
import { type Answer, closeConnections, type FuzzRequest, send } from './request.ts';
import { seed } from './seed.ts';
import { COE_MEMBERS, SLACK_COE, TEAMS_COE, TEAMS_WORKER } from './world.ts';

/** What one case made the bot do. */
export interface CaseOutput {
  answer: Answer;
  /** Calls the bot made to the Slack Web API while the case ran and settled. */
  slackCalls: SlackCall[];
  /** Requests the bot made to the Bot Connector meanwhile. */
  connectorRequests: ConnectorRequest[];
  /** Unhandled rejections and uncaught exceptions meanwhile. */
  crashes: string[];
  /** The bot's error-level log lines meanwhile (messages only). */
  errorLogs: string[];
  /** Invariants of the database that do not hold after the case. */
  databaseProblems: string[];
}

/** How long the client waits for an answer: past Slack's 3 s, so a late answer is seen for what it is. */
export const DEFAULT_WAIT_MS = 5000;
/** The bot is done with a case when nothing new happened for this long (no call, no log line, nothing due). */
const QUIET_MS = 20;
const SETTLE_MAX_MS = 2000;

export class FuzzTarget {
  readonly seedProblems: string[] = [];
  #crashes: string[] = [];
  #slackSeen = 0;
  #connectorSeen = 0;
  readonly #onRejection = (reason: unknown) => {
    this.#crashes.push(`unhandledRejection: ${describeError(reason)}`);
  };
  readonly #onException = (error: unknown) => {
    this.#crashes.push(`uncaughtException: ${describeError(error)}`);
  };

  private constructor(
    readonly db: TestDatabase,
    readonly slack: FakeSlackApi,
    readonly connector: FakeBotConnector,
    readonly bot: TestBot,
  ) {}

  static async start(): Promise<FuzzTarget> {
    const db = await testDatabase('pglite');
    await db.reset();
    const slack = await FakeSlackApi.start();
    const connector = await FakeBotConnector.start();
    const bot = await startTestBot({ database: db, slack, env: { COE_MEMBERS } });
    // Slack's 1 message/s per channel would make every case wait; the fake does not need it.
    Object.defineProperty(bot.slack?.sender, 'perChannelIntervalMs', { value: 0 });
    const target = new FuzzTarget(db, slack, connector, bot);
    process.on('unhandledRejection', target.#onRejection);
    process.on('uncaughtException', target.#onException);
    await target.reset();
    return target;
  }

  /** Empties the database and both fakes, and seeds the world the cases talk about. */
  async reset(): Promise<void> {
    await this.settle();
    await this.db.reset();
    this.bot.forgetCached();
    this.slack.reset();
    this.connector.reset();
    for (const p of [TEAMS_COE, TEAMS_WORKER]) this.connector.addMember({ ...p });
    await this.bot.services.admin.bootstrapCoeMembers([
      { platform: 'slack', externalId: SLACK_COE.id },
      { platform: 'teams', externalId: TEAMS_COE.aadObjectId },
    ]);
    this.seedProblems.length = 0;
    this.seedProblems.push(...(await seed(this)));
    await this.settle();
    this.#slackSeen = this.slack.calls().length;
    this.#connectorSeen = this.connector.requests().length;
    this.bot.logs.length = 0;
    this.#crashes = [];
  }

  /** Sends one case and collects everything it made the bot do. */
  async run(request: FuzzRequest, waitMs = DEFAULT_WAIT_MS): Promise<CaseOutput> {
    const answer = await send(this.bot.url, request, waitMs);
    await this.settle();
    const slackCalls = this.slack.calls().slice(this.#slackSeen);
    const connectorRequests = this.connector.requests().slice(this.#connectorSeen);
    this.#slackSeen += slackCalls.length;
    this.#connectorSeen += connectorRequests.length;
    const errorLogs = this.bot.logs.filter(isErrorLine).map(errorText);
    this.bot.logs.length = 0;
    const crashes = this.#crashes;
    this.#crashes = [];
    return {
      answer,
      slackCalls,
      connectorRequests,
      crashes,
      errorLogs,
      databaseProblems: await databaseProblems(this.db).catch((error: unknown) => [
        `the invariants could not be read: ${describeError(error)}`,
      ]),
    };
  }

  /** Waits until the bot has been quiet for a moment: no new call to either fake, no log line, nothing due to send. */
  async settle(): Promise<void> {
    const deadline = Date.now() + SETTLE_MAX_MS;
    let last = '';
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      const calls = this.slack.calls();
      const unanswered = calls.filter((c) => c.answeredAt === undefined).length;
      const now = `${calls.length},${unanswered},${this.connector.requests().length},${this.bot.logs.length}`;
      if (now !== last) {
        last = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= QUIET_MS && unanswered === 0) {
        // Quiet: done, unless the outbox still has something to send (it is poked on commit, and sends at once).
        if ((await dueOutboxRows(this.db)) === 0) return;
        quietSince = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    process.off('unhandledRejection', this.#onRejection);
    process.off('uncaughtException', this.#onException);
    closeConnections();
    await this.bot.stop({ flushMs: 0 });
    await this.slack.close();
    await this.connector.close();
  }
}

async function dueOutboxRows(db: TestDatabase): Promise<number> {
  const [row] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM outbox_message
     WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND locked_until > now())`,
  );
  return row?.n ?? 0;
}

/** An error the bot logged; Bolt says what the error was in a debug line after it ("Error details: …"). */
const isErrorLine = (line: Record<string, unknown>) =>
  Number(line.level) >= 50 || String(line.msg).startsWith('Error details:');

function errorText(line: Record<string, unknown>): string {
  const err = line.err as { message?: unknown } | undefined;
  const text = `${String(line.msg)}${err?.message ? `: ${String(err.message)}` : ''}`;
  return text.replace(/, storedResponse: .*$/s, '').split('\n')[0] as string;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.split('\n')[0] as string;
  return String(error);
}
