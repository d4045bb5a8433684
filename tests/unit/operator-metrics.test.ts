/**
 * `GET /metrics` without a network (issue 10, "Operators"): who may read it (loopback; elsewhere only with
 * METRICS_TOKEN as a bearer token), METRICS_TOKEN's validation, and what the prom-client registry says for given
 * sources: outbox depth and age per platform, the database's connections, counters, and labels that never carry
 * anything but platform, route, job, outcome and status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { DatabaseLoad } from '../../src/db/client.ts';
import type { OutboxDepth } from '../../src/db/outbox-depth.ts';
import { metricsAccess, metricsRoute } from '../../src/metrics-endpoint.ts';
import { createPromTelemetry } from '../../src/telemetry.ts';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.ts';

const TOKEN = 'a3f1c9e07b2d4e6f8a0b1c2d3e4f5a6b';
const ALLOWED_LABELS = new Set(['platform', 'route', 'job', 'outcome', 'status', 'le']);

const from = (remoteAddress: string | undefined, authorization?: string, forwarded = false) => ({
  remoteAddress,
  authorization,
  forwarded,
});

describe('who may read /metrics', () => {
  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('loopback (%s) may, with or without a token set', (address) => {
    expect(metricsAccess(from(address), undefined)).toEqual({ allowed: true });
    expect(metricsAccess(from(address), TOKEN)).toEqual({ allowed: true });
    expect(metricsAccess(from(address, 'Bearer wrong-token-wrong-token'), TOKEN)).toEqual({ allowed: true });
  });

  it.each(['10.0.0.7', '192.168.1.20', '::ffff:10.0.0.7', 'fe80::1', '127.0.0.2.evil', undefined])(
    'elsewhere (%s) without METRICS_TOKEN set: 403 with a one-line reason',
    (address) => {
      const access = metricsAccess(from(address, `Bearer ${TOKEN}`), undefined);
      expect(access).toMatchObject({ allowed: false, status: 403 });
      expect(access.allowed ? '' : access.reason).toMatch(/^[^\n]*METRICS_TOKEN[^\n]*$/);
    },
  );

  it('a request forwarded by a proxy on this machine is not loopback', () => {
    expect(metricsAccess(from('127.0.0.1', undefined, true), undefined)).toMatchObject({ allowed: false, status: 403 });
    expect(metricsAccess(from('127.0.0.1', undefined, true), TOKEN)).toMatchObject({ allowed: false, status: 401 });
    expect(metricsAccess(from('127.0.0.1', `Bearer ${TOKEN}`, true), TOKEN)).toEqual({ allowed: true });
  });

  it('elsewhere with METRICS_TOKEN set: refused without the token or with a wrong one, served with the right one', () => {
    const remote = (authorization?: string) => metricsAccess(from('10.0.0.7', authorization), TOKEN);
    expect(remote()).toMatchObject({ allowed: false, status: 401 });
    for (const wrong of [
      'Bearer nope',
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
      `Bearer${TOKEN}`,
      TOKEN,
      'Bearer ',
    ]) {
      expect(remote(wrong), wrong).toMatchObject({ allowed: false, status: 401 });
    }
    expect(remote(`Bearer ${TOKEN}`)).toEqual({ allowed: true });
    expect(remote(`bearer ${TOKEN}`)).toEqual({ allowed: true });
  });

  it('the route answers a refusal with its status and reason, and the metrics with their content type', async () => {
    const route = metricsRoute(TOKEN, async () => ({ contentType: 'text/plain; version=0.0.4', body: 'up 1\n' }));
    const call = async (remoteAddress: string, headers: Record<string, string>, method = 'GET') => {
      const out: { status?: number; headers?: Record<string, string>; body?: string } = {};
      const res = {
        writeHead(status: number, h: Record<string, string>) {
          out.status = status;
          out.headers = h;
          return res;
        },
        end(body?: string) {
          out.body = body;
          return res;
        },
      };
      await route(
        { socket: { remoteAddress }, headers, method } as unknown as IncomingMessage,
        res as unknown as ServerResponse,
      );
      return out;
    };
    const refused = await call('10.1.2.3', {});
    expect(refused.status).toBe(401);
    expect(refused.headers?.['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.parse(refused.body ?? '')).toEqual({ error: 'send Authorization: Bearer <METRICS_TOKEN>' });
    expect((await call('10.1.2.3', { authorization: 'Bearer wrong' })).status).toBe(401);
    const served = await call('10.1.2.3', { authorization: `Bearer ${TOKEN}` });
    expect(served).toMatchObject({ status: 200, body: 'up 1\n' });
    expect(served.headers?.['content-type']).toBe('text/plain; version=0.0.4');
    expect(await call('127.0.0.1', {}, 'HEAD')).toMatchObject({ status: 200, body: undefined });
    expect((await call('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(401);
  });
});

describe('METRICS_TOKEN', () => {
  it('is optional, and kept when given', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
  });

  it.each(['short', 'sixteen chars no', ' '.repeat(3) + 'x'.repeat(10)])('refuses %j, naming it', (token) => {
    try {
      loadConfig({ METRICS_TOKEN: token });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^METRICS_TOKEN must be at least 16/)]);
    }
  });
});

describe('the registry', () => {
  const telemetry = (outbox: () => Promise<OutboxDepth[]>, load?: () => DatabaseLoad, errors: unknown[] = []) =>
    createPromTelemetry({ outbox, load, onError: (e) => errors.push(e) });
  const scrape = async (t: ReturnType<typeof telemetry>) => parsePrometheusText((await t.render()).body);

  it('counts requests, deliveries, retries and job runs, and reads the outbox at scrape time', async () => {
    const queued = new Date(Date.now() - 90_000);
    const t = telemetry(
      async () => [{ platform: 'slack', depth: 4, oldest: queued }],
      () => ({ kind: 'pglite', pending: 2 }),
    );
    t.request('slack', 200, 0.12);
    t.request('slack', 200, 0.03);
    t.request('teams', 415, 0.001);
    t.request('teams', 'aborted', 5);
    t.delivered('slack', 'sent');
    t.delivered('teams', 'failed');
    t.retried('slack', 'rate_limited');
    t.jobRan('stale-nudges', 'ok', 0.2);
    t.jobRan('audit:AUD-2', 'failed', 1.5);
    const { contentType } = await t.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = await scrape(t);

    expect(sampleValue(m, 'coe_http_requests_total', { platform: 'slack', status: '200' })).toBe(2);
    expect(sampleValue(m, 'coe_http_requests_total', { platform: 'teams', status: '415' })).toBe(1);
    expect(sampleValue(m, 'coe_http_requests_total', { platform: 'teams', status: 'aborted' })).toBe(1);
    expect(sampleValue(m, 'coe_http_ack_seconds_count', { platform: 'slack' })).toBe(2);
    expect(sampleValue(m, 'coe_http_ack_seconds_count', { platform: 'teams' })).toBe(1);
    expect(sampleValue(m, 'coe_http_ack_seconds_bucket', { platform: 'slack', le: '0.05' })).toBe(1);
    expect(sampleValue(m, 'coe_http_ack_seconds_sum', { platform: 'slack' })).toBeCloseTo(0.15);
    expect(sampleValue(m, 'coe_outbox_deliveries_total', { platform: 'slack', outcome: 'sent' })).toBe(1);
    expect(sampleValue(m, 'coe_outbox_deliveries_total', { platform: 'slack', outcome: 'failed' })).toBe(0);
    expect(sampleValue(m, 'coe_outbox_deliveries_total', { platform: 'teams', outcome: 'failed' })).toBe(1);
    expect(sampleValue(m, 'coe_outbox_retries_total', { platform: 'slack', outcome: 'rate_limited' })).toBe(1);
    expect(sampleValue(m, 'coe_outbox_retries_total', { platform: 'slack', outcome: 'transient' })).toBe(0);
    expect(sampleValue(m, 'coe_job_runs_total', { job: 'stale-nudges', outcome: 'ok' })).toBe(1);
    expect(sampleValue(m, 'coe_job_runs_total', { job: 'audit:AUD-2', outcome: 'failed' })).toBe(1);
    expect(sampleValue(m, 'coe_job_duration_seconds_count', { job: 'audit:AUD-2' })).toBe(1);

    expect(sampleValue(m, 'coe_outbox_depth', { platform: 'slack' })).toBe(4);
    expect(sampleValue(m, 'coe_outbox_depth', { platform: 'teams' })).toBe(0);
    const age = sampleValue(m, 'coe_outbox_oldest_pending_age_seconds', { platform: 'slack' }) ?? 0;
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
    expect(sampleValue(m, 'coe_outbox_oldest_pending_age_seconds', { platform: 'teams' })).toBe(0);
    expect(sampleValue(m, 'coe_db_pending_queries')).toBe(2);
    expect(m.has('coe_db_pool_connections')).toBe(false);
    // The process itself, from prom-client's default metrics.
    expect(sampleValue(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    for (const family of [...m.values()].filter((f) => f.name.startsWith('coe_'))) {
      for (const sample of family.samples) {
        for (const label of Object.keys(sample.labels)) expect(ALLOWED_LABELS, sample.name).toContain(label);
      }
    }
  });

  it('reads the outbox once per scrape, and afresh at the next one however soon', async () => {
    let reads = 0;
    let depth = 1;
    const t = telemetry(async () => {
      reads++;
      return [{ platform: 'teams', depth, oldest: new Date() }];
    });
    expect(sampleValue(await scrape(t), 'coe_outbox_depth', { platform: 'teams' })).toBe(1);
    expect(reads).toBe(1);
    depth = 7;
    expect(sampleValue(await scrape(t), 'coe_outbox_depth', { platform: 'teams' })).toBe(7);
    expect(reads).toBe(2);
  });

  it('shows the Postgres pool: idle and busy connections, queries waiting, the most it opens', async () => {
    const t = telemetry(
      async () => [],
      () => ({ kind: 'postgres', total: 6, idle: 2, waiting: 3, max: 10 }),
    );
    const m = await scrape(t);
    expect(sampleValue(m, 'coe_db_pool_connections', { status: 'idle' })).toBe(2);
    expect(sampleValue(m, 'coe_db_pool_connections', { status: 'busy' })).toBe(4);
    expect(sampleValue(m, 'coe_db_pool_waiting')).toBe(3);
    expect(sampleValue(m, 'coe_db_pool_max_connections')).toBe(10);
    expect(m.has('coe_db_pending_queries')).toBe(false);
  });

  it('leaves the outbox gauges out of a scrape whose query failed, says why, and serves the rest', async () => {
    const errors: unknown[] = [];
    const t = telemetry(
      async () => {
        throw new Error('database is down');
      },
      undefined,
      errors,
    );
    t.request('slack', 200, 0.01);
    const m = await scrape(t);
    expect(m.get('coe_outbox_depth')?.samples).toEqual([]);
    expect(m.get('coe_outbox_oldest_pending_age_seconds')?.samples).toEqual([]);
    expect(sampleValue(m, 'coe_http_requests_total', { platform: 'slack', status: '200' })).toBe(1);
    expect(errors).toEqual([new Error('database is down')]);
  });

  it('keeps a registry per bot: two side by side count apart', async () => {
    const a = telemetry(async () => []);
    const b = telemetry(async () => []);
    a.delivered('slack', 'sent');
    expect(sampleValue(await scrape(a), 'coe_outbox_deliveries_total', { platform: 'slack', outcome: 'sent' })).toBe(1);
    expect(sampleValue(await scrape(b), 'coe_outbox_deliveries_total', { platform: 'slack', outcome: 'sent' })).toBe(0);
  });
});
