/**
 * One HTTP server for every endpoint of the runtime contract: Slack events, Bot Framework messages, health and
 * readiness. It knows routes, not platforms: each handler is handed in by the composition root.
 *
 * It is also the first edge against a careless or hostile client: a body has a size and a time limit and a content
 * type, and every refusal is an answer (413, 408, 415, 400) written before the connection is closed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EXPORT_PATH } from './export-endpoint.ts';

/** A platform's endpoint: the request, and its whole body (within the limits). */
export type BodyRoute = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void>;

export interface Routes {
  /** `POST /slack/events`, when Slack is on over HTTP; it checks the signature against the raw body. */
  slack?: BodyRoute;
  /** `POST /api/messages`, when Teams is on. */
  teams?: BodyRoute;
  /**
   * Whether the bot takes requests (database migrated, services wired, not stopping). A flag, not a query: Slack and
   * Teams requests must not each pay a database round trip before they are even routed.
   */
  accepting: boolean;
  /** `GET /readyz`: true once the database answers and migrations are applied. */
  ready(): Promise<boolean>;
  /** `GET /metrics` for operators (Prometheus text); it checks who may read it. */
  metrics?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** `GET /exports/<token>`: a single-use download; `token` is the rest of the path. */
  exports?: (req: IncomingMessage, res: ServerResponse, token: string) => Promise<void>;
}

/** Told when a platform's request was answered (its status) or abandoned by the client, and how long it took. */
export type RequestObserver = (platform: 'slack' | 'teams', status: number | 'aborted', seconds: number) => void;

export interface HttpLimits {
  /** The largest body taken (Slack's and the Bot Framework's are far below). */
  maxBodyBytes: number;
  /** From the request's start to its last body byte; Slack gives up after 3 s, the Bot Framework after 15 s. */
  bodyTimeoutMs: number;
  /** From the connection to the end of the headers. */
  headersTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxBodyBytes: 1024 * 1024,
  bodyTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
};

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

interface Endpoint {
  platform: 'slack' | 'teams';
  route: (routes: Routes) => BodyRoute | undefined;
  types: readonly string[];
  off: string;
}

const ENDPOINTS: Record<string, Endpoint> = {
  '/slack/events': {
    platform: 'slack',
    route: (r) => r.slack,
    types: [FORM, JSON_TYPE],
    off: 'Slack is not enabled here (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)',
  },
  // JSON only: a web page can post a form or text/plain to a local endpoint without asking, but not JSON.
  '/api/messages': {
    platform: 'teams',
    route: (r) => r.teams,
    types: [JSON_TYPE],
    off: 'Teams is not enabled here (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)',
  },
};

export function createHttpServer(
  routes: () => Routes,
  onError: (error: unknown) => void,
  limits: HttpLimits = DEFAULT_HTTP_LIMITS,
  observe?: RequestObserver,
): Server {
  const server = createServer(
    // Node checks its request timeout this often; its default (30 s) let a slow body stay twice as long.
    { connectionsCheckingInterval: 1000 },
    async (req, res) => {
      try {
        await route(routes(), req, res, limits, observe);
      } catch (error) {
        onError(error);
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
        else res.end();
      }
    },
  );
  server.requestTimeout = limits.bodyTimeoutMs + limits.headersTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  return server;
}

async function route(
  routes: Routes,
  req: IncomingMessage,
  res: ServerResponse,
  limits: HttpLimits,
  observe?: RequestObserver,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return json(res, 200, { status: 'ok' });
  if (path === '/readyz' && (req.method === 'GET' || req.method === 'HEAD')) {
    const ready = await routes.ready().catch(() => false);
    return json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'starting' });
  }
  if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
    return routes.metrics ? routes.metrics(req, res) : refuse(req, res, 503, 'starting');
  }
  if (path.startsWith(EXPORT_PATH)) {
    // GET only: a HEAD (a link checker, a preview) must not use up a single-use link.
    if (req.method !== 'GET') return refuse(req, res, 405, 'use GET');
    if (!routes.accepting || !routes.exports) return refuse(req, res, 503, 'starting');
    return routes.exports(req, res, path.slice(EXPORT_PATH.length));
  }
  const endpoint = Object.hasOwn(ENDPOINTS, path) ? ENDPOINTS[path] : undefined;
  if (!endpoint) return refuse(req, res, 404, 'not found');
  if (observe) timed(res, endpoint.platform, observe);
  if (req.method !== 'POST') return refuse(req, res, 405, 'use POST');
  if (!routes.accepting) return refuse(req, res, 503, 'starting');
  const handler = endpoint.route(routes);
  if (!handler) return refuse(req, res, 404, endpoint.off);
  const type = mediaType(req);
  if (!endpoint.types.includes(type)) return refuse(req, res, 415, `the body must be ${endpoint.types.join(' or ')}`);
  const body = await readBody(req, limits);
  if (body === 'too large') return refuse(req, res, 413, 'the body is too large');
  if (body === 'too slow') return refuse(req, res, 408, 'the body took too long');
  if (body === 'aborted') return;
  return handler(req, res, body);
}

/** Reports the request's answer and its time, from now (the request has just arrived) to the answer's last byte. */
function timed(res: ServerResponse, platform: 'slack' | 'teams', observe: RequestObserver): void {
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    observe(platform, res.writableFinished ? res.statusCode : 'aborted', seconds);
  });
}

/** The request's content type without its parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

type BodyResult = Buffer | 'too large' | 'too slow' | 'aborted';

/** The whole body, or why not: over the size limit, or not all there within the time limit. */
function readBody(req: IncomingMessage, limits: HttpLimits): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (declared > limits.maxBodyBytes) return Promise.resolve('too large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: BodyResult) => {
      clearTimeout(timer);
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBodyBytes) return done('too large');
      chunks.push(chunk);
    };
    const timer = setTimeout(() => done('too slow'), limits.bodyTimeoutMs);
    req.on('data', onData);
    req.once('end', () => done(Buffer.concat(chunks)));
    req.once('error', () => done('aborted'));
    req.once('close', () => {
      if (!req.complete) done('aborted');
    });
  });
}

/**
 * Answers with `status` and closes the connection once the answer is out. What is left of the body is read and
 * dropped meanwhile (for at most a second): a client still sending would otherwise see the connection reset before
 * it reads the answer.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  if (!req.complete) {
    res.setHeader('connection', 'close');
    req.on('data', () => {});
    req.resume();
    setTimeout(() => req.socket.destroy(), 1000).unref();
  }
  json(res, status, { error });
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
