import type { Server } from 'node:http';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeHttpFetch } from '../../src/platforms/slack/node-fetch.ts';
import { closeServer, listenOnLoopback, readBody } from '../support/test-server.ts';

let server: Server;
let base: string;
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  const started = await listenOnLoopback(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/elsewhere' }).end();
    } else if (req.url === '/cut') {
      // Promises 100 bytes, sends 5, then drops the connection.
      res.writeHead(200, { 'content-length': '100' });
      res.write('hello');
      setTimeout(() => res.socket?.destroy(), 10);
    } else if (req.url === '/slow') {
      setTimeout(() => res.writeHead(200).end('late'), 2_000);
    } else if (req.url === '/api/views.open') {
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-oauth-scopes': 'commands, chat:write' })
        .end(JSON.stringify({ ok: true, view: { id: 'V1' } }));
    } else {
      res.writeHead(429, { 'retry-after': '7', 'set-cookie': ['a=1', 'b=2'] }).end('{"ok":false}');
    }
  });
  server = started.server;
  base = `http://127.0.0.1:${started.port}`;
});

afterAll(async () => {
  await closeServer(server);
});

describe('nodeHttpFetch', () => {
  it('sends a text body over node:http and answers with a real Response: status, every header, the body', async () => {
    const fetch = nodeHttpFetch();
    const answer = await fetch(`${base}/limited`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer xoxb-1' },
      body: 'channel=C1&text=h%C3%A9',
    });
    expect(answer).toBeInstanceOf(Response);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await answer.text()).toBe('{"ok":false}');
    const request = seen.at(-1);
    expect(request).toMatchObject({ method: 'POST', url: '/limited', body: 'channel=C1&text=h%C3%A9' });
    expect(request?.headers).toMatchObject({ authorization: 'Bearer xoxb-1' });
  });

  it("is what Slack's Web API client calls through, answers and scopes included", async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: `${base}/api/`, fetch: nodeHttpFetch() });
    const result = await client.views.open({
      trigger_id: 'T1',
      view: { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
    });
    expect(result.ok).toBe(true);
    expect(result.response_metadata?.scopes).toEqual(['commands', 'chat:write']);
    const request = seen.at(-1);
    expect(request?.url).toBe('/api/views.open');
    expect(new URLSearchParams(request?.body).get('trigger_id')).toBe('T1');
  });

  it('refuses a redirect when asked to, as fetch does', async () => {
    await expect(nodeHttpFetch()(`${base}/moved`, { method: 'POST', body: 'x=1', redirect: 'error' })).rejects.toThrow(
      /redirected/,
    );
  });

  it('fails an answer cut off mid-body, and a call whose signal aborts', async () => {
    const fetch = nodeHttpFetch();
    await expect(fetch(`${base}/cut`, { method: 'POST', body: '' })).rejects.toThrow();
    await expect(
      fetch(`${base}/slow`, { method: 'POST', body: '', signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
  });

  it("hands anything but a text body to the platform's fetch (a file upload's form)", async () => {
    const fallback = vi.fn(async () => new Response('uploaded'));
    const form = new FormData();
    form.append('file', new Blob(['png']), 'chart.png');
    const answer = await nodeHttpFetch(fallback)(`${base}/upload`, { method: 'POST', body: form });
    expect(await answer.text()).toBe('uploaded');
    expect(fallback).toHaveBeenCalledOnce();
  });
});
