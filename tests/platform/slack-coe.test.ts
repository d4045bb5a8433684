/**
 * `/coe` through the real Bolt app: signed HTTP requests in, a fake Slack Web API behind.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../support/bot.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeSlackApi } from '../support/fake-slack-api.ts';
import { postToSlackApp, slashCommandBody } from '../support/slack-request.ts';

const COE = 'UCOE1';
const WORKER = 'UWORK1';

describe.each(databaseKinds())('/coe in Slack (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let slack: FakeSlackApi;
  let bot: TestBot;

  beforeAll(async () => {
    db = await testDatabase(kind);
    await db.reset();
    slack = await FakeSlackApi.start();
    bot = await startTestBot({ database: db, slack, env: { COE_MEMBERS: `slack:${COE}` } });
  });
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
  });
  beforeEach(() => slack.reset());

  const coe = (text: string, user = COE, extra: Record<string, string> = {}) =>
    postToSlackApp(
      `${bot.url}/slack/events`,
      SIGNING_SECRET,
      slashCommandBody({
        command: '/coe',
        text,
        user_id: user,
        channel_id: 'C0REVIEW',
        channel_name: 'coe-review',
        ...extra,
      }),
    );

  it('answers /coe help privately, within the ack', async () => {
    const res = await coe('help', WORKER);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    // A worker's own list (slack-help.test.ts has the rest): set-up is the CoE's.
    expect(body.text).toContain('`/friction [what happened]`');
    expect(JSON.stringify(body)).not.toContain('/coe setup review-channel');
    expect(body.blocks.length).toBeGreaterThan(0);
  });

  it('answers an unknown subcommand with help, not silence', async () => {
    const body = (await (await coe('frobnicate now', WORKER)).json()) as { text: string };
    expect(body.text).toContain('I don\'t know "frobnicate now"');
    expect(body.text).toContain('/coe help');
  });

  it.each([
    ['forged', { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' }],
    ['stale (over 5 minutes old)', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
    ['unsigned', { signature: null }],
  ])('rejects a %s request with 401 and calls no Slack API', async (_name, options) => {
    const before = slack.calls().length;
    const res = await postToSlackApp(
      `${bot.url}/slack/events`,
      SIGNING_SECRET,
      slashCommandBody({ command: '/coe', text: 'setup review-channel', user_id: COE, channel_id: 'C0REVIEW' }),
      options,
    );
    expect(res.status).toBe(401);
    await bot.deliverer.flush(Date.now() + 300);
    expect(slack.calls().length).toBe(before);
    expect(await db.prisma.reviewChannel.count()).toBe(0);
  });

  it('refuses setup to a worker and changes nothing', async () => {
    const body = (await (await coe('setup review-channel', WORKER)).json()) as { text: string };
    expect(body.text).toMatch(/only CoE members/i);
    expect(await db.prisma.reviewChannel.count()).toBe(0);
    expect(await db.prisma.outboxMessage.count()).toBe(0);
  });

  it('lets a CoE member register the review channel, announced there through the outbox', async () => {
    const body = (await (await coe('setup review-channel')).json()) as { text: string };
    expect(body.text).toMatch(/now the CoE review channel/);
    expect((await db.prisma.reviewChannel.findUnique({ where: { platform: 'slack' } }))?.channelId).toBe('C0REVIEW');
    await slack.waitForCalls('chat.postMessage', 1);
    const [post] = slack.calls('chat.postMessage');
    expect(post?.args.channel).toBe('C0REVIEW');
    expect(String(post?.args.text)).toMatch(/review channel/);
    const events = await db.prisma.event.findMany({ where: { action: 'review-channel.set' } });
    expect(events).toHaveLength(1);
  });

  it('handles a repeated command (same trigger) once', async () => {
    const first = await coe('role <@UBOB|bob> manager', COE, { trigger_id: 'trigger-dup' });
    const second = await coe('role <@UBOB|bob> manager', COE, { trigger_id: 'trigger-dup' });
    expect(((await first.json()) as { text: string }).text).toMatch(/bob is now a manager/);
    expect(((await second.json()) as { text: string }).text).toBe('Already done.');
    expect(
      await db.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: 'slack:command:trigger-dup' } } }),
    ).toBe(1);
  });

  it('grants a role and tells the person by direct message', async () => {
    await coe('role <@UEXEC|erin> executive');
    const identity = await db.prisma.platformIdentity.findUnique({
      where: { platform_externalId: { platform: 'slack', externalId: 'UEXEC' } },
      include: { person: true },
    });
    expect(identity?.person.layer).toBe('executive');
    await slack.waitFor(() => slack.calls('chat.postMessage').some((c) => String(c.args.text).includes('executive')));
    expect(slack.calls('conversations.open')[0]?.args.users).toBe('UEXEC');
  });

  it('explains the usage when a role command is malformed', async () => {
    const body = (await (await coe('role someone boss')).json()) as { text: string };
    expect(body.text).toContain('/coe role @person coe|manager|executive|worker');
  });
});
