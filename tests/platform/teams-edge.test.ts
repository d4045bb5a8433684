/**
 * The HTTP server and the Teams edge against careless and hostile clients (issue 8): oversized, slow and mistyped
 * bodies get their answer (413, 408, 415) before the connection closes; an activity botbuilder would choke on gets a
 * 400 that leaks nothing, and never reaches botbuilder. PGlite only: nothing here depends on the database kind.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeBotConnector } from '../support/fake-bot-connector.ts';
import { postActivity, teamsInvoke, teamsMessage } from '../support/teams-activity.ts';

const BODY_TIMEOUT_MS = 800;

/** A raw request, so a test controls how the body arrives; resolves with the answer, or how the connection ended. */
function rawPost(
  url: string,
  options: { headers?: Record<string, string>; chunks: (string | Buffer)[]; pauseMs?: number; end?: boolean },
): Promise<{ status?: number; body: string; ms: number; error?: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, body, ms: Date.now() - started }));
    });
    req.on('error', (error) => resolve({ body: '', ms: Date.now() - started, error: error.message }));
    (async () => {
      for (const chunk of options.chunks) {
        if (req.destroyed) return;
        req.write(chunk);
        if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
      }
      if (options.end !== false && !req.destroyed) req.end();
    })();
  });
}

describe('the HTTP server and the Teams edge', () => {
  let db: TestDatabase;
  let connector: FakeBotConnector;
  let bot: TestBot;
  const failures: unknown[] = [];
  const onFailure = (error: unknown) => failures.push(error);

  beforeAll(async () => {
    db = await testDatabase('pglite');
    await db.reset();
    connector = await FakeBotConnector.start();
    bot = await startTestBot({ database: db, http: { bodyTimeoutMs: BODY_TIMEOUT_MS } });
    process.on('unhandledRejection', onFailure);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onFailure);
    await bot?.stop({ flushMs: 0 });
    await connector?.close();
  });
  beforeEach(() => connector.reset());

  const messages = () => `${bot.url}/api/messages`;
  const valid = () => teamsMessage({ serviceUrl: connector.serviceUrl, text: 'help' });

  it('answers an oversized activity with 413, which the client reads before the connection closes', async () => {
    const big = Buffer.alloc(256 * 1024, 'a');
    const res = await rawPost(messages(), {
      headers: { 'content-type': 'application/json' },
      chunks: [Buffer.from('{"type":"message","text":"'), big, big, big, big, big, Buffer.from('"}')],
    });
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: 'the body is too large' });
  });

  it('answers a declared oversized length with 413 without reading the body', async () => {
    const res = await rawPost(messages(), {
      headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
      chunks: ['{'],
      end: false,
    });
    expect(res.status).toBe(413);
  });

  it('answers a body that stops arriving with 408 within the body time limit', async () => {
    const res = await rawPost(messages(), {
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
      chunks: ['{"type":'],
      end: false,
    });
    expect(res.status).toBe(408);
    expect(res.ms).toBeLessThan(BODY_TIMEOUT_MS + 1500);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content type', {}],
  ])('refuses an activity sent as %s with 415 and hands nothing to the bot', async (_name, headers) => {
    const res = await rawPost(messages(), { headers, chunks: [JSON.stringify(valid())] });
    expect(res.status).toBe(415);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(connector.requests()).toEqual([]);
  });

  it.each([
    ['serviceUrl is not a string', { serviceUrl: 12 }],
    ['serviceUrl is missing', { serviceUrl: undefined }],
    ['serviceUrl is not http(s)', { serviceUrl: 'file:///etc/passwd' }],
    ['from.id is 150 KB', { from: { id: 'x'.repeat(150 * 1024), name: 'junk' } }],
    ['from is null', { from: null }],
    ['conversation is a string', { conversation: 'c' }],
    ['type is missing', { type: undefined }],
  ])('answers an activity whose %s with 400, without an internal message or any outgoing call', async (_n, patch) => {
    const res = await postActivity(bot.url, { ...valid(), ...patch } as never);
    expect(res.status).toBe(400);
    const { error } = res.body as { error: string };
    expect(error).toMatch(/^not a Bot Framework activity: /);
    expect(error).not.toMatch(/toLowerCase|TypeError|undefined is not/);
    expect(error.length).toBeLessThan(300);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(connector.requests()).toEqual([]);
    expect(failures).toEqual([]);
  });

  it.each(['null', '[]', '"text"', '{"type":'])('answers the body %s with 400', async (body) => {
    const res = await rawPost(messages(), { headers: { 'content-type': 'application/json' }, chunks: [body] });
    expect(res.status).toBe(400);
  });

  it.each([
    ['a message extension search it does not offer', 'composeExtension/query', { commandId: 'x' }, undefined],
    ['an invoke of a kind it does not know', 'something/else', {}, undefined],
    ['a Universal Action', 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'old' } }, /out of date/],
  ])('answers %s with 200 and a notice, not 501', async (_name, name, value, notice) => {
    const res = await postActivity(bot.url, teamsInvoke({ serviceUrl: connector.serviceUrl, name, value }));
    expect(res.status).toBe(200);
    if (notice) expect(JSON.stringify(res.body)).toMatch(notice);
  });

  it('still answers a valid activity after all of that', async () => {
    const res = await postActivity(bot.url, valid());
    expect(res.status).toBe(200);
    await connector.waitFor(() => connector.requests().length > 0);
    expect(connector.requests().length).toBeGreaterThan(0);
  });
});
