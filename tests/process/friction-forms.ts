/**
 * People reporting friction to a bot process over Slack, for the fault tests: the form opened once through a signed
 * `/friction` (as the bot rendered it for the fake Slack API), then submitted as many times as needed, each time as
 * another view (its own id and hash, so its own idempotency key) with its own title and tool. Plus what the CoE saw
 * of it in the review channel, and what the database holds.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { type Database, openDatabase, wrapPglite } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrations.ts';
import { FRICTION_FORM_BLOCKS } from '../../src/platforms/slack/ids.ts';
import type { FakeSlackApi, SlackCall } from '../support/fake-slack-api.ts';
import { viewSubmissionPayload } from '../support/slack-interactions.ts';
import { interactionBody, postToSlackApp, slashCommandBody } from '../support/slack-request.ts';

export const FRICTION_BOT = {
  signingSecret: 'faults-signing-secret',
  botToken: 'xoxb-faults',
  reviewChannel: 'C0FAULTREVIEW',
  reporter: { id: 'UREPORTER', name: 'rita' },
  /** A team row every seeded database holds: found again after a fault means the database was not damaged. */
  markerTeam: 'Fault-test marker team',
} as const;

type Json = Record<string, unknown>;

/** The bot's environment: Slack over HTTP against `slackApiUrl`, the review channel set, and a database. */
export function frictionBotEnv(slackApiUrl: string, database: { DATA_DIR: string } | { DATABASE_URL: string }) {
  return {
    ...database,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: FRICTION_BOT.botToken,
    SLACK_SIGNING_SECRET: FRICTION_BOT.signingSecret,
    SLACK_API_URL: slackApiUrl,
    COE_SLACK_CHANNEL_ID: FRICTION_BOT.reviewChannel,
  };
}

/**
 * A migrated DATA_DIR holding the marker team: from the template the suite's global setup built (a new PGlite
 * folder costs many seconds), or created and migrated when there is none.
 */
export async function seedDataDir(dataDir: string): Promise<void> {
  const template = process.env.COE_PGLITE_TEMPLATE;
  let db: Database;
  if (template) {
    db = await wrapPglite(await PGlite.create(dataDir, { loadDataDir: new Blob([await readFile(template)]) }));
  } else {
    db = await openDatabase({ kind: 'pglite', dataDir });
    await migrate(db);
  }
  try {
    await db.prisma.team.create({ data: { name: FRICTION_BOT.markerTeam } });
  } finally {
    await db.close();
  }
}

/** `/friction` from the reporter; resolves with the form the bot opened on that trigger. */
export async function openFrictionForm(botUrl: string, fake: FakeSlackApi): Promise<Json> {
  const trigger = `${Date.now()}.faults`;
  const res = await postToSlackApp(
    `${botUrl}/slack/events`,
    FRICTION_BOT.signingSecret,
    slashCommandBody({
      command: '/friction',
      user_id: FRICTION_BOT.reporter.id,
      user_name: FRICTION_BOT.reporter.name,
      trigger_id: trigger,
    }),
  );
  if (res.status !== 200) throw new Error(`/friction answered ${res.status}: ${res.text.slice(0, 500)}`);
  await fake.waitFor(() => fake.calls('views.open').some((c) => !c.faulted && c.args.trigger_id === trigger), 10_000);
  return fake.calls('views.open').find((c) => !c.faulted && c.args.trigger_id === trigger)?.args.view as Json;
}

export interface Submission {
  /** The report's title: unique per submission. */
  title: string;
  /** The bot's idempotency key for it (`slack:view:<id>:<hash>`), the report's `submissionKey` once stored. */
  key: string;
  /** The request's body: a new one each time (a new trigger id), as when a person presses Submit again. */
  body(): string;
}

/** Submission `i` of a run (`tag` keeps runs apart): the form filled in as a new view. */
export function frictionSubmission(form: Json, tag: string, i: number): Submission {
  const viewId = `V${tag.toUpperCase()}${String(i).padStart(3, '0')}`;
  const hash = `${tag}.${i}`;
  const title = `${tag} report ${i}: the label printer jams`;
  const payload = () =>
    viewSubmissionPayload({
      user: FRICTION_BOT.reporter,
      view: form,
      viewId,
      hash,
      values: {
        [FRICTION_FORM_BLOCKS.kind]: 'tool_friction',
        [FRICTION_FORM_BLOCKS.title]: title,
        [FRICTION_FORM_BLOCKS.description]: `Submission ${i} of the ${tag} run: the printer jams on every third label.`,
        // A tool of its own: no "recurring pattern" alert joins the review messages.
        [FRICTION_FORM_BLOCKS.tool]: `${tag} printer ${i}`,
        [FRICTION_FORM_BLOCKS.frequency]: 'daily',
        [FRICTION_FORM_BLOCKS.impact]: 'high',
      },
    });
  return { title, key: `slack:view:${viewId}:${hash}`, body: () => interactionBody(payload()) };
}

/**
 * What the person saw: the confirmation with their report's number; the bot's apology (over the form, or under its
 * first input, the form kept: "nothing was changed" / "not saved"); the form kept with "taking longer than usual,
 * press Submit again" (the listener was still busy at Slack's deadline); or no answer at all.
 */
export type Outcome =
  | { kind: 'stored'; number: number }
  | { kind: 'sorry'; text: string }
  | { kind: 'busy'; text: string }
  | { kind: 'no answer'; error: string }
  | { kind: 'other'; status: number; text: string };

const SORRY = /nothing was changed\. Please try again|this was not saved\. Please send it again/;
const BUSY = /taking longer than usual\. Please press Submit again/;

export async function submitFriction(botUrl: string, submission: Submission): Promise<Outcome> {
  let res: Awaited<ReturnType<typeof postToSlackApp>>;
  try {
    res = await postToSlackApp(`${botUrl}/slack/events`, FRICTION_BOT.signingSecret, submission.body());
  } catch (error) {
    return { kind: 'no answer', error: String((error as Error).cause ?? error) };
  }
  const body = res.status === 200 && res.text ? (JSON.parse(res.text) as Json) : {};
  const text = JSON.stringify(body.response_action === 'errors' ? body.errors : (body.view as Json)?.blocks);
  const number = /your report is FR-(\d+)/.exec(text)?.[1];
  if (body.response_action === 'update' && number) return { kind: 'stored', number: Number(number) };
  if (['push', 'errors'].includes(String(body.response_action)) && SORRY.test(text)) return { kind: 'sorry', text };
  if (body.response_action === 'errors' && BUSY.test(text)) return { kind: 'busy', text };
  return { kind: 'other', status: res.status, text: res.text.slice(0, 500) };
}

/** The review message of FR-`number` in the outbox (and in its metadata on Slack). */
export const reviewKey = (number: number) => `FR-${number}:review:slack`;

const keyOf = (call: SlackCall) =>
  (call.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;

/** Calls that tried to post the review message of FR-`number` (those answered with a fault included). */
export function reviewPostAttempts(fake: FakeSlackApi, number: number): SlackCall[] {
  return fake.calls('chat.postMessage').filter((c) => keyOf(c) === reviewKey(number));
}

/** The review messages the CoE has: successful posts to the review channel, by report number. */
export function reviewPosts(fake: FakeSlackApi): Map<number, SlackCall[]> {
  const byReport = new Map<number, SlackCall[]>();
  for (const call of fake.calls('chat.postMessage')) {
    const number = /^FR-(\d+):review:slack$/.exec(keyOf(call) ?? '')?.[1];
    if (call.faulted || !number || call.args.channel !== FRICTION_BOT.reviewChannel) continue;
    byReport.set(Number(number), [...(byReport.get(Number(number)) ?? []), call]);
  }
  return byReport;
}

/** "FR-1×1, FR-2×1, …" for every report in `numbers`: what exactly-once looks like, and what a failure shows. */
export function describeReviewPosts(fake: FakeSlackApi, numbers: readonly number[]): string {
  const posts = reviewPosts(fake);
  return [...numbers]
    .sort((a, b) => a - b)
    .map((n) => `FR-${n}×${posts.get(n)?.length ?? 0}`)
    .join(', ');
}

export const exactlyOnce = (numbers: readonly number[]) =>
  [...numbers]
    .sort((a, b) => a - b)
    .map((n) => `FR-${n}×1`)
    .join(', ');

/** The stored reports (number, title, submission key) and the review rows' statuses, from an open database. */
export async function storedReports(db: Database) {
  const reports = await db.prisma.frictionReport.findMany({
    select: { number: true, title: true, submissionKey: true },
    orderBy: { number: 'asc' },
  });
  const rows = await db.prisma.outboxMessage.findMany({
    where: { idempotencyKey: { endsWith: ':review:slack' } },
    select: { idempotencyKey: true, status: true },
  });
  const marker = await db.prisma.team.findUnique({ where: { name: FRICTION_BOT.markerTeam } });
  return { reports, reviewRows: rows, marker: marker !== null };
}

/** `storedReports` of a DATA_DIR (the bot must be stopped: the embedded database has one process at a time). */
export async function storedReportsIn(dataDir: string) {
  const db = await openDatabase({ kind: 'pglite', dataDir });
  try {
    return await storedReports(db);
  } finally {
    await db.close();
  }
}
