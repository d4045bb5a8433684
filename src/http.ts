/**
 * One HTTP server for every endpoint of the runtime contract: Slack events, Bot Framework messages, health and
 * readiness. It knows routes, not platforms: each handler is handed in by the composition root.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

export interface Routes {
  /** `POST /slack/events`, when Slack is on over HTTP. Bolt reads the raw body itself (it checks the signature). */
  slack?: RequestListener;
  /** `POST /api/messages`, when Teams is on; receives the parsed JSON body. */
  teams?: (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<void>;
  /**
   * Whether the bot takes requests (database migrated, services wired, not stopping). A flag, not a query: Slack and
   * Teams requests must not each pay a database round trip before they are even routed.
   */
  accepting: boolean;
  /** `GET /readyz`: true once the database answers and migrations are applied. */
  ready(): Promise<boolean>;
}

const MAX_ACTIVITY_BYTES = 1024 * 1024;

export function createHttpServer(routes: () => Routes, onError: (error: unknown) => void): Server {
  const server = createServer(async (req, res) => {
    try {
      await route(routes(), req, res);
    } catch (error) {
      onError(error);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.end();
    }
  });
  // Slack waits 3 s for an ack and the Bot Framework 15 s: a request that takes longer is dead anyway.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}

async function route(routes: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return json(res, 200, { status: 'ok' });
  if (path === '/readyz' && (req.method === 'GET' || req.method === 'HEAD')) {
    const ready = await routes.ready().catch(() => false);
    return json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'starting' });
  }
  if (path === '/slack/events') {
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
    if (!routes.accepting) return json(res, 503, { error: 'starting' });
    if (!routes.slack)
      return json(res, 404, { error: 'Slack is not enabled here (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)' });
    return routes.slack(req, res);
  }
  if (path === '/api/messages') {
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
    if (!routes.accepting) return json(res, 503, { error: 'starting' });
    if (!routes.teams)
      return json(res, 404, { error: 'Teams is not enabled here (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)' });
    const raw = await readBody(req, MAX_ACTIVITY_BYTES);
    if (raw === undefined) return json(res, 413, { error: 'activity too large' });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return json(res, 400, { error: 'the body is not JSON' });
    }
    if (typeof body !== 'object' || body === null || typeof (body as { type?: unknown }).type !== 'string') {
      return json(res, 400, { error: 'the body is not a Bot Framework activity' });
    }
    return routes.teams(req, res, body);
  }
  return json(res, 404, { error: 'not found' });
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
