/**
 * `GET /metrics` for operators: served to this machine (loopback) by default; from elsewhere only with
 * `Authorization: Bearer <METRICS_TOKEN>`, and not at all while METRICS_TOKEN is unset.
 *
 * A request that came through a proxy (it carries `Forwarded`, `X-Forwarded-For` or `X-Real-IP`) does not count as
 * loopback even when the proxy runs on this machine: it may be forwarding anyone.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type MetricsAccess = { allowed: true } | { allowed: false; status: 401 | 403; reason: string };

export interface MetricsRequest {
  /** The peer's address as the socket sees it. */
  remoteAddress: string | undefined;
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
  /** Whether a proxy header says the request was forwarded. */
  forwarded: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Whether a request may read the metrics, and if not, the status and a one-line reason. */
export function metricsAccess(request: MetricsRequest, token: string | undefined): MetricsAccess {
  if (request.remoteAddress && LOOPBACK.has(request.remoteAddress) && !request.forwarded) return { allowed: true };
  if (!token) {
    return {
      allowed: false,
      status: 403,
      reason: 'metrics are served to loopback only; set METRICS_TOKEN to scrape them from elsewhere',
    };
  }
  const bearer = /^Bearer +(\S+) *$/i.exec(request.authorization ?? '')?.[1];
  if (!bearer) return { allowed: false, status: 401, reason: 'send Authorization: Bearer <METRICS_TOKEN>' };
  if (!sameSecret(bearer, token)) return { allowed: false, status: 401, reason: 'wrong metrics token' };
  return { allowed: true };
}

/** Compares in constant time, whatever the lengths (both are hashed to 32 bytes first). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** What a request says about itself, for `metricsAccess`. */
export function metricsRequestOf(req: IncomingMessage): MetricsRequest {
  const h = req.headers;
  return {
    remoteAddress: req.socket.remoteAddress,
    authorization: h.authorization,
    forwarded: h.forwarded !== undefined || h['x-forwarded-for'] !== undefined || h['x-real-ip'] !== undefined,
  };
}

/** The `/metrics` handler: checks access, then answers with the registry's text. */
export function metricsRoute(
  token: string | undefined,
  render: () => Promise<{ contentType: string; body: string }>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const access = metricsAccess(metricsRequestOf(req), token);
    if (!access.allowed) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (access.status === 401) headers['www-authenticate'] = 'Bearer realm="metrics"';
      res.writeHead(access.status, headers).end(JSON.stringify({ error: access.reason }));
      return;
    }
    const { contentType, body } = await render();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
