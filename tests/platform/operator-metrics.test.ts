/**
 * `GET /metrics` on the running bot (issue 10, "Operators"): the real HTTP server, Bolt app and botbuilder adapter
 * on each database. A scrape parses as Prometheus text; a signed Slack command and a Teams activity are counted per
 * platform with their ack time; the outbox's depth and oldest age, deliveries and retries, job runs and the database's
 * connections are there with the values the test caused. Loopback reads it freely; a forwarded request (as from a
 * proxy, the way to be "not loopback" without binding another interface) needs METRICS_TOKEN. No person's id or
 * name appears anywhere in it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../src/db/store.ts';
import { message } from '../../src/domain/message.ts';
import type { TestBot } from '../support/bot.ts';
import { SIGNING_SECRET } from '../support/bot.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeBotConnector } from '../support/fake-bot-connector.ts';
import { FakeSlackApi } from '../support/fake-slack-api.ts';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.ts';
import { startSlackBot } from '../support/slack-harness.ts';
import { postToSlackApp, slashCommandBody } from '../support/slack-request.ts';
import { DEFAULT_TEAMS_USER, postActivity, teamsMessage } from '../support/teams-activity.ts';

const TOKEN = 'ops-7c1e5a9d3b2f4e6a8c0d';
const WORKER = { id: 'UWORKER42', name: 'wanda' };
const OPS_CHANNEL = 'C0OPSROOM';

describe.each(databaseKinds())('GET /metrics (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let slack: FakeSlackApi;
  let connector: FakeBotConnector;
  let bot: TestBot;

  beforeAll(async () => {
    db = await testDatabase(kind);
    await db.reset();
    slack = await FakeSlackApi.start();
    connector = await FakeBotConnector.start();
    bot = await startSlackBot({ database: db, slack, env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await bot?.stop({ flushMs: 0 });
    await slack?.close();
    await connector?.close();
  });

  const get = (headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${bot.url}/metrics`, { method, headers });
  const scrape = async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    return { text, metrics: parsePrometheusText(text) };
  };
  const value = (m: Awaited<ReturnType<typeof scrape>>['metrics'], name: string, labels: Record<string, string>) =>
    sampleValue(m, name, labels) ?? 0;

  it('counts each platform’s requests and their ack time', async () => {
    const { metrics: before } = await scrape();
    const command = slashCommandBody({ command: '/coe', text: 'help', user_id: WORKER.id, user_name: WORKER.name });
    expect((await postToSlackApp(`${bot.url}/slack/events`, SIGNING_SECRET, command)).status).toBe(200);
    const activity = teamsMessage({ serviceUrl: connector.serviceUrl, text: 'help' });
    expect((await postActivity(bot.url, activity)).status).toBeLessThan(300);
    const refused = await fetch(`${bot.url}/api/messages`, { method: 'POST', body: 'hi' });
    expect(refused.status).toBe(415);
    const { metrics: after } = await scrape();

    const delta = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta('coe_http_requests_total', { platform: 'slack', status: '200' })).toBe(1);
    expect(
      delta('coe_http_requests_total', { platform: 'teams', status: '200' }) +
        delta('coe_http_requests_total', { platform: 'teams', status: '201' }),
    ).toBe(1);
    expect(delta('coe_http_requests_total', { platform: 'teams', status: '415' })).toBe(1);
    expect(delta('coe_http_ack_seconds_count', { platform: 'slack' })).toBe(1);
    expect(delta('coe_http_ack_seconds_count', { platform: 'teams' })).toBe(2);
    const slackAck = delta('coe_http_ack_seconds_sum', { platform: 'slack' });
    expect(slackAck).toBeGreaterThan(0);
    expect(slackAck).toBeLessThan(3);
    expect(after.get('coe_http_ack_seconds')?.type).toBe('histogram');
  });

  it('shows the outbox’s depth and the age of its oldest message, per platform', async () => {
    // Queued two minutes ago and not due for an hour: it stays in the outbox while the test looks.
    await db.prisma.outboxMessage.create({
      data: {
        idempotencyKey: `metrics-test-${randomUUID()}`,
        platform: 'teams',
        kind: 'channel',
        target: { kind: 'channel', channelId: '19:ops@thread.tacv2' },
        body: JSON.parse(JSON.stringify(message('waiting'))),
        nextAttemptAt: new Date(Date.now() + 3600_000),
        createdAt: new Date(Date.now() - 120_000),
      },
    });
    const { metrics } = await scrape();
    expect(metrics.get('coe_outbox_depth')?.type).toBe('gauge');
    expect(value(metrics, 'coe_outbox_depth', { platform: 'teams' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(metrics, 'coe_outbox_depth', { platform: 'slack' })).toBeGreaterThanOrEqual(0);
    const age = value(metrics, 'coe_outbox_oldest_pending_age_seconds', { platform: 'teams' });
    expect(age).toBeGreaterThanOrEqual(119);
    expect(age).toBeLessThan(600);
    await db.prisma.outboxMessage.deleteMany({ where: { idempotencyKey: { startsWith: 'metrics-test-' } } });
  });

  it('counts deliveries and retries: a 500 from Slack, then the message sent', async () => {
    const { metrics: before } = await scrape();
    slack.failNext('chat.postMessage', { status: 500 });
    const key = `metrics-delivery-${randomUUID()}`;
    await new PrismaStore(db.prisma, { afterCommit: () => bot.deliverer.poke() }).transaction((repos) =>
      repos.outbox.enqueue({
        key,
        platform: 'slack',
        target: { kind: 'channel', channelId: OPS_CHANNEL },
        body: message('the outbox works'),
      }),
    );
    await slack.waitFor(() => slack.messages(OPS_CHANNEL).length === 1, 10_000);
    // Counted once the row is marked sent, just after Slack answered.
    const sent = { platform: 'slack', outcome: 'sent' };
    let after = (await scrape()).metrics;
    for (
      let i = 0;
      i < 100 &&
      value(after, 'coe_outbox_deliveries_total', sent) === value(before, 'coe_outbox_deliveries_total', sent);
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = (await scrape()).metrics;
    }
    expect((await db.prisma.outboxMessage.findUnique({ where: { idempotencyKey: key } }))?.status).toBe('sent');
    const delta = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta('coe_outbox_retries_total', { platform: 'slack', outcome: 'transient' })).toBe(1);
    expect(delta('coe_outbox_deliveries_total', { platform: 'slack', outcome: 'sent' })).toBe(1);
    expect(delta('coe_outbox_deliveries_total', { platform: 'slack', outcome: 'failed' })).toBe(0);
    expect(value(after, 'coe_outbox_depth', { platform: 'slack' })).toBe(0);
  });

  it('counts job runs by job and outcome', async () => {
    const { metrics: before } = await scrape();
    const fire = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 7 * 24 * 3600_000);
    expect(await bot.scheduler.execute('stale-nudges', fire)).toBe(true);
    const { metrics: after } = await scrape();
    const labels = { job: 'stale-nudges', outcome: 'ok' };
    expect(value(after, 'coe_job_runs_total', labels) - value(before, 'coe_job_runs_total', labels)).toBe(1);
    expect(value(after, 'coe_job_duration_seconds_count', { job: 'stale-nudges' })).toBeGreaterThanOrEqual(1);
  });

  it('shows the database’s connections as they stand', async () => {
    const { metrics } = await scrape();
    if (kind === 'postgres') {
      const idle = value(metrics, 'coe_db_pool_connections', { status: 'idle' });
      const busy = value(metrics, 'coe_db_pool_connections', { status: 'busy' });
      expect(idle + busy).toBeGreaterThanOrEqual(1);
      expect(idle + busy).toBeLessThanOrEqual(10);
      expect(sampleValue(metrics, 'coe_db_pool_waiting', {})).toBe(0);
      expect(sampleValue(metrics, 'coe_db_pool_max_connections', {})).toBe(10);
    } else {
      expect(sampleValue(metrics, 'coe_db_pending_queries', {})).toBeGreaterThanOrEqual(0);
      expect(metrics.has('coe_db_pool_connections')).toBe(false);
    }
  });

  it('serves loopback without a token; a forwarded request needs the right bearer token', async () => {
    expect((await get()).status).toBe(200);
    expect((await get({}, 'HEAD')).status).toBe(200);
    const forwarded = { 'x-forwarded-for': '203.0.113.9' };
    const none = await get(forwarded);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'send Authorization: Bearer <METRICS_TOKEN>' });
    expect((await get({ ...forwarded, authorization: `Bearer ${TOKEN}0` })).status).toBe(401);
    expect((await get({ ...forwarded, authorization: 'Bearer nope' })).status).toBe(401);
    const right = await get({ ...forwarded, authorization: `Bearer ${TOKEN}` });
    expect(right.status).toBe(200);
    expect(parsePrometheusText(await right.text()).has('coe_outbox_depth')).toBe(true);
  });

  it('names nobody: no person’s id or name, no channel, no token in any line', async () => {
    const { text, metrics } = await scrape();
    for (const secret of [
      WORKER.id,
      WORKER.name,
      DEFAULT_TEAMS_USER.id,
      DEFAULT_TEAMS_USER.name,
      DEFAULT_TEAMS_USER.aadObjectId,
      OPS_CHANNEL,
      TOKEN,
    ]) {
      expect(text).not.toContain(secret);
    }
    const allowed = new Set(['platform', 'route', 'job', 'outcome', 'status', 'le']);
    for (const family of [...metrics.values()].filter((f) => f.name.startsWith('coe_'))) {
      for (const sample of family.samples) {
        expect(
          Object.keys(sample.labels).filter((l) => !allowed.has(l)),
          sample.name,
        ).toEqual([]);
      }
    }
  });
});
