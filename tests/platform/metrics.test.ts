/**
 * The scorecard returns to the CoE on both platforms (issue 10): `/coe metrics` in Slack answers privately through
 * its response_url with the figures and a chart uploaded as a PNG (files.getUploadURLExternal →
 * files.completeUploadExternal) shown in an image block; `metrics` in Teams answers with a card whose chart
 * validates; the weekly digest is posted once per platform however many replicas run the job; a team of three shows
 * none of its own figures; and nothing anywhere names a person. History from tests/support/metrics-history.ts, read
 * with the clock at 2026-11-30 so "the last 90 days" is the hand-checked window.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_COLOURS } from '../../src/charts/echarts-option.ts';
import { JobRuns } from '../../src/db/job-runs.ts';
import { JOB_NAMES, staticJobs } from '../../src/jobs/index.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import type { TestBot } from '../support/bot.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeBotConnector, uuidFrom } from '../support/fake-bot-connector.ts';
import { FakeSlackApi } from '../support/fake-slack-api.ts';
import { ManualClock } from '../support/memory.ts';
import { seedMetricsHistory } from '../support/metrics-history.ts';
import { decodePng, inkIn, PNG_SIGNATURE, pixelsNear, pngHeader } from '../support/png.ts';
import { slackHarness, startSlackBot } from '../support/slack-harness.ts';
import { eventBody } from '../support/slack-request.ts';
import { type Card, cardButtons, cardsOfActivity, readableText, type TeamsAccount } from '../support/teams-activity.ts';
import { teamsHarness } from '../support/teams-harness.ts';

type Json = Record<string, unknown>;

const SLACK_COE = { id: 'UCOE1', name: 'cora' };
const SLACK_WORKER = { id: 'UWORK1', name: 'wanda' };
const TEAMS_COE: Required<TeamsAccount> = { id: '29:user-tom', name: 'Tom CoE', aadObjectId: uuidFrom('user-tom') };
const TEAMS_WORKER: Required<TeamsAccount> = {
  id: '29:user-wim',
  name: 'Wim Worker',
  aadObjectId: uuidFrom('user-wim'),
};
const SLACK_REVIEW = 'C0REVIEW';
const TEAMS_REVIEW = '19:review@thread.tacv2';
const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
/** SCAN v1.1 passed, PICK v2.0 did not (DOCK v1.1 unchecked); the window before, SCAN v1.0 did not. */
const CLARITY =
  'Clarity: 1 of 2 versions released in the window passed the clarity check (nothing unclear), 50% ▲ better than 0%';

describe.each(databaseKinds())('metrics on Slack and Teams (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let slack: FakeSlackApi;
  let connector: FakeBotConnector;
  let bot: TestBot;
  /** Every CSV downloaded from an export link. */
  const downloads: string[] = [];

  beforeAll(async () => {
    db = await testDatabase(kind);
    await db.reset();
    await seedMetricsHistory(db);
    slack = await FakeSlackApi.start();
    connector = await FakeBotConnector.start();
    connector.addMember({ id: TEAMS_COE.id, name: TEAMS_COE.name, aadObjectId: TEAMS_COE.aadObjectId });
    bot = await startSlackBot({
      database: db,
      slack,
      clock: new ManualClock('2026-11-30T00:00:00.000Z'),
      env: { COE_MEMBERS: `slack:${SLACK_COE.id},teams:${TEAMS_COE.aadObjectId}` },
    });
  });
  afterAll(async () => {
    await bot?.stop({ flushMs: 0 });
    await slack?.close();
    await connector?.close();
  });

  const inSlack = slackHarness({ bot: () => bot, slack: () => slack, coe: SLACK_COE, reviewChannel: SLACK_REVIEW });
  const { say, flush, lastInChat, messageActivity } = teamsHarness({ bot: () => bot, connector: () => connector });

  /** `/coe metrics …` in Slack → the ack, then what the bot posted to the command's response_url. */
  const slackMetrics = async (text: string, user = SLACK_COE) => {
    const id = randomUUID();
    const res = await inSlack.command('/coe', text, user, { response_url: slack.responseUrl(id) });
    expect(res.status).toBe(200);
    await slack.waitFor(() => slack.responses(id).length > 0, 15_000);
    return slack.responses(id)[0] as { response_type: string; text: string; blocks: Json[] };
  };

  it('answers /coe metrics in Slack privately, with the nine figures and the stage chart as an uploaded PNG', async () => {
    const answer = await slackMetrics('metrics');
    expect(answer.response_type).toBe('ephemeral');
    expect(blockKitProblems(answer)).toEqual([]);
    const text = JSON.stringify(answer.blocks);
    expect(text).toContain('CoE scorecard · the organisation · the last 90 days');
    for (const title of [
      'Speed of iteration',
      'Quality of standards',
      'Tool reliability',
      'Training effectiveness',
      'Reduction in blockers',
      'Cross-department consistency',
      'Audit accuracy',
      'Alignment with executive constraints',
      'Adoption success rate',
    ]) {
      expect(text).toContain(`*${title}*`);
    }
    expect(text).toContain('Speed of iteration* · 28.5 days');
    expect(text).toContain(CLARITY);
    // The chart: a PNG uploaded privately, processed, and referenced by the image block.
    const image = answer.blocks.find((b) => b.type === 'image') as { slack_file: { id: string }; alt_text: string };
    expect(image.alt_text).toContain('Median days per stage of the loop');
    const file = slack.files.get(image.slack_file.id);
    expect(file?.completed).toBe(true);
    expect(file?.channels).toEqual([]);
    const png = file?.bytes as Buffer;
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngHeader(png)).toMatchObject({ width: 1600, height: 840 });
    // Not blank: ink in the title and bars in the chart's two series colours.
    const pixels = decodePng(png);
    expect(inkIn(pixels, { x: 0, y: 0, width: 1600, height: 160 })).toBeGreaterThan(500);
    expect(pixelsNear(pixels, CHART_COLOURS[0], { x: 0, y: 160, width: 1600, height: 600 })).toBeGreaterThan(500);
    expect(pixelsNear(pixels, CHART_COLOURS[1], { x: 0, y: 160, width: 1600, height: 600 })).toBeGreaterThan(500);
  });

  it('hides a team of three: its figures read "too few to show" in the Slack answer, and no chart is drawn', async () => {
    const answer = await slackMetrics('metrics 90d Office');
    const text = JSON.stringify(answer);
    expect(text).toContain('Office has too few people for figures of its own');
    expect(text).toContain('Training effectiveness* · too few to show');
    expect(answer.blocks.some((b) => b.type === 'image')).toBe(false);
    // Office's own training completion (1 of 3 by the due date) appears nowhere, in the organisation's view either.
    const organisation = JSON.stringify(await slackMetrics('metrics'));
    expect(organisation).toContain('Office: too few to show');
    expect(organisation).not.toMatch(/Office: \d/);
  });

  it('refuses a worker in words, privately, and changes nothing', async () => {
    const before = await db.prisma.outboxMessage.count();
    const answer = await slackMetrics('metrics', SLACK_WORKER);
    expect(answer.text).toMatch(/^Metrics are for managers, executives and the CoE/);
    expect(await db.prisma.outboxMessage.count()).toBe(before);
  });

  it('answers metrics in Teams with a card whose chart has a fallback and validates', async () => {
    await say('metrics', { from: TEAMS_COE });
    const reply = lastInChat(TEAMS_COE);
    expect(readableText(reply)).toContain('CoE scorecard · the organisation · the last 90 days');
    expect(readableText(reply)).toContain(CLARITY);
    const [card] = cardsOfActivity(reply);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('"Chart.VerticalBar.Grouped"');
    expect(json).toContain('"fallback"');
    expect(json.length).toBeLessThan(28_000);
  });

  it('posts the weekly digest once per platform, with three replicas running the job', async () => {
    expect((await inSlack.coe('setup review-channel')).text).toMatch(/review channel/);
    await say('setup review-channel', { from: TEAMS_COE, channel: TEAMS_REVIEW });
    await flush();
    const slackBefore = slack.messages(SLACK_REVIEW).length;
    const teamsBefore = connector.messages(TEAMS_REVIEW).length;
    const replicas = [bot.scheduler];
    for (const instance of ['replica-2', 'replica-3']) {
      const replica = new Scheduler({ runs: new JobRuns(db.prisma), timeZone: 'UTC', instance, logger: quiet });
      for (const job of staticJobs(bot.services, {
        trainingReminders: '0 9 * * *',
        staleNudges: '0 10 * * *',
        metricsDigest: '0 9 * * 1',
        constraintSummary: '0 9 1 * *',
      })) {
        await replica.add(job);
      }
      replicas.push(replica);
    }
    const monday = new Date('2026-11-30T09:00:00.000Z');
    const ran = await Promise.all(replicas.map((r) => r.execute(JOB_NAMES.metricsDigest, monday)));
    expect(ran.filter(Boolean)).toHaveLength(1);
    for (const replica of replicas.slice(1)) await replica.stop();
    await flush();
    const slackDigests = slack.messages(SLACK_REVIEW).slice(slackBefore);
    expect(slackDigests).toHaveLength(1);
    expect(slackDigests[0]?.text).toMatch(/^Weekly CoE digest: /);
    const blocks = (slackDigests[0]?.blocks ?? []) as Json[];
    expect(JSON.stringify(blocks)).toContain('Worth your attention');
    // PICK, the most corrected standard, is also the one whose last release the clarity check found most in.
    expect(JSON.stringify(blocks)).toContain('and the clarity check found 3 things in its v2.0');
    expect(blocks.some((b) => b.type === 'image')).toBe(true);
    const teamsDigests = connector.messages(TEAMS_REVIEW).slice(teamsBefore);
    expect(teamsDigests).toHaveLength(1);
    expect(readableText(teamsDigests[0])).toContain('Worth your attention');
    expect(adaptiveCardProblems(cardsOfActivity(teamsDigests[0])[0])).toEqual([]);
  });

  it('sends the export as a CSV file in the Slack DM, with the team of three hidden', async () => {
    const answer = await slackMetrics('metrics export');
    expect(answer.text).toMatch(
      /^CoE metrics per team, the last 90 days: coe-metrics-2026-09-01-to-2026-11-30\.csv is in your direct messages/,
    );
    const file = slack.files.all().find((f) => f.filename.endsWith('.csv'));
    expect(file?.completed).toBe(true);
    expect(file?.channels).toEqual([`D${SLACK_COE.id}`]);
    const rows = (file?.bytes?.toString('utf8') ?? '')
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(rows[0]?.[0]).toBe('team');
    // Office (3) is too small; Warehouse (5), the smallest other, goes too, or the totals would give Office away.
    for (const team of ['Office', 'Warehouse']) {
      expect(rows.find((r) => r[0] === team)?.slice(1)).toEqual(Array(7).fill('too few to show'));
    }
    // Dock: FR-2 (high) in the window; release 1 and 3 sent, only 3 deployed within 14 days, no audit failed it since.
    expect(rows.find((r) => r[0] === 'Dock')?.slice(1)).toEqual(['1', '1', '0', '0', '2', '1', '1']);
    expect(rows.at(-1)?.[0]).toBe('Organisation (all teams)');
  });

  /** The download button's link on the last card in someone's personal chat. */
  const downloadLink = (who: TeamsAccount) => {
    const [card] = cardsOfActivity(lastInChat(who));
    expect(adaptiveCardProblems(card)).toEqual([]);
    const button = cardButtons(card as Card).find((b) => b.type === 'Action.OpenUrl');
    expect(button?.title).toBe('Download CSV');
    return new URL(String(button?.url));
  };
  const exportLinks = () => db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM export_link`;

  it('answers metrics export in Teams with a single-use link the bot serves, holding the same CSV as Slack', async () => {
    await say('metrics export', { from: TEAMS_COE });
    const reply = lastInChat(TEAMS_COE);
    expect(readableText(reply)).toContain('CoE metrics per team, the last 90 days');
    expect(readableText(reply)).toContain('This link works once, for 15 minutes.');
    expect(readableText(reply)).toMatch(/\b\d+ teams\b/);
    // PUBLIC_URL is unset here: the link starts with the address the Teams request came to, this bot's.
    const link = downloadLink(TEAMS_COE);
    expect(link.origin).toBe(bot.url);
    expect(link.pathname).toMatch(/^\/exports\/[A-Za-z0-9_-]{43}$/);
    // The token is nowhere in the database, only its hash.
    const token = link.pathname.split('/').pop() as string;
    const stored = await db.prisma.$queryRaw<{ token_hash: string }[]>`SELECT token_hash FROM export_link`;
    expect(JSON.stringify(stored)).not.toContain(token);

    const [first, second] = [await fetch(link), await fetch(link)];
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(first.headers.get('content-disposition')).toBe(
      'attachment; filename="coe-metrics-2026-09-01-to-2026-11-30.csv"',
    );
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    const csv = await first.text();
    downloads.push(csv);
    const rows = csv
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(rows[0]).toEqual([
      'team',
      'reports',
      'high_or_blocking_reports',
      'training_assigned',
      'training_done_by_due_date',
      'releases_sent',
      'deployed_within_14_days',
      'adopted_not_failed_by_next_audit',
    ]);
    for (const team of ['Office', 'Warehouse']) {
      expect(rows.find((r) => r[0] === team)?.slice(1)).toEqual(Array(7).fill('too few to show'));
    }
    // Dock deployed one of its two releases in time, and no audit since failed it.
    expect(rows.find((r) => r[0] === 'Dock')?.slice(1)).toEqual(['1', '1', '0', '0', '2', '1', '1']);
    expect(rows.at(-1)?.[0]).toBe('Organisation (all teams)');
    // About teams only: no person's name or id (every output is checked again at the end of the file).
    const people = await db.prisma.person.findMany({ include: { identities: true } });
    for (const p of people) {
      for (const id of [p.displayName, ...p.identities.map((i) => i.externalId)].filter(Boolean)) {
        expect(csv).not.toContain(id as string);
      }
    }
    // Used once: the second download, and any made-up link, get the same short answer and nothing else.
    expect(second.status).toBe(404);
    expect(second.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const gone = await second.text();
    expect(gone).toMatch(/^This download link has been used or has expired/);
    const madeUp = await fetch(new URL(`/exports/${'x'.repeat(43)}`, bot.url));
    expect([madeUp.status, await madeUp.text()]).toEqual([404, gone]);
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(405);
  });

  it('sends the link to the personal chat when asked in a channel, starting with PUBLIC_URL behind a proxy', async () => {
    const before = connector.messages(TEAMS_REVIEW).length;
    const activity = messageActivity('metrics export 30d', { from: TEAMS_COE, channel: TEAMS_REVIEW });
    const res = await fetch(new URL('/api/messages', bot.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-host': 'coe.example.com',
        'x-forwarded-proto': 'https',
      },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(200);
    await flush();
    expect(connector.messages(TEAMS_REVIEW).slice(before).map(readableText).join()).not.toContain('exports');
    expect(readableText(lastInChat(TEAMS_COE))).toContain('CoE metrics per team, the last 30 days');
    const link = downloadLink(TEAMS_COE);
    expect(link.origin).toBe('https://coe.example.com');
    // What the proxy would forward to the bot: served once.
    const local = new URL(link.pathname, bot.url);
    expect((await fetch(local)).status).toBe(200);
    expect((await fetch(local)).status).toBe(404);
  });

  it('refuses the export to a Teams worker in words, and makes no link', async () => {
    const before = (await exportLinks())[0]?.n;
    await say('metrics export', { from: TEAMS_WORKER });
    const reply = lastInChat(TEAMS_WORKER);
    expect(readableText(reply)).toContain('The export of every team is for the CoE and executives.');
    expect(cardsOfActivity(reply).flatMap((c) => cardButtons(c))).toEqual([]);
    expect((await exportLinks())[0]?.n).toBe(before);
  });

  it('shows the constraints report to the CoE in Teams', async () => {
    await say('metrics constraints', { from: TEAMS_COE });
    const report = readableText(lastInChat(TEAMS_COE));
    expect(report).toContain('Executive direction and the changes serving it');
    expect(report).toContain('CR-1 Change 1: released in SOP-SCAN v1.1');
    expect(adaptiveCardProblems(cardsOfActivity(lastInChat(TEAMS_COE))[0])).toEqual([]);
  });

  it('shows the scorecard at home: the organisation to the CoE, and nothing of its own for a team of three', async () => {
    const home = async (user: string) => {
      const before = slack.calls('views.publish').length;
      await inSlack.post(eventBody({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' }));
      const calls = await slack.waitForCalls('views.publish', before + 1);
      return JSON.stringify((calls.at(-1)?.args.view as Json | undefined)?.blocks);
    };
    expect(await home(SLACK_COE.id)).toContain('Speed of iteration*\\n28.5 days');
    // Office's manager, who works in Slack: Office has three people, so its training and adoption stay hidden.
    const office = await db.prisma.teamMember.findFirstOrThrow({
      where: { isManager: true, team: { name: 'Office' } },
    });
    await db.prisma.platformIdentity.create({
      data: { platform: 'slack', externalId: 'UOFFICE', personId: office.personId },
    });
    await db.prisma.person.update({ where: { id: office.personId }, data: { layer: 'manager' } });
    const officeHome = await home('UOFFICE');
    expect(officeHome).toContain('CoE scorecard · Office · the last 90 days');
    expect(officeHome).toContain('Training effectiveness*\\ntoo few to show');
    expect(officeHome).toContain('Adoption success rate*\\ntoo few to show');
  });

  it('names nobody in any metrics output: messages, cards, uploads or logs', async () => {
    const people = await db.prisma.person.findMany({ include: { identities: true } });
    const names = people.flatMap((p) => [p.displayName, ...p.identities.map((i) => i.externalId)]).filter(Boolean);
    const outputs = [
      JSON.stringify(slack.responses()),
      JSON.stringify(slack.messages(SLACK_REVIEW).filter((m) => m.text.startsWith('Weekly'))),
      JSON.stringify(connector.messages(TEAMS_REVIEW).filter((m) => readableText(m).includes('Weekly'))),
      JSON.stringify(slack.files.all().map((f) => [f.title, f.altText, f.filename, f.bytes?.toString('utf8')])),
      JSON.stringify(downloads),
      // Info and above, as the bot logs by default (the Web API's debug lines echo the fake's `D<user id>` DM ids).
      JSON.stringify(bot.logs.filter((l) => Number(l.level) >= 30 && JSON.stringify(l).includes('metric'))),
    ].join('\n');
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const at = outputs.indexOf(name as string);
      expect(at, `${name} in …${outputs.slice(at - 80, at + 40)}`).toBe(-1);
    }
  });
});
