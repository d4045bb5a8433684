/**
 * The `fetch` our Slack Web API clients are given (web-api's `fetch` option). Node's own `fetch` (undici) builds WHATWG
 * streams for every request and answer: a `views.open` cost ~300 µs of CPU that way against ~150 µs over `node:http`
 * with a keep-alive agent, measured in issue 9, and a burst of `/friction` opens a form for each command right after
 * its ack. A request with a text body (every Web API call: a form or JSON) goes over `node:http(s)`, and its answer is
 * a real `Response`; anything else (a file upload's multipart body) goes to Node's `fetch` as before.
 */
import http from 'node:http';
import https from 'node:https';

type Fetch = typeof globalThis.fetch;

export function nodeHttpFetch(fallback: Fetch = globalThis.fetch): Fetch {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  return (input, init) => {
    const url = input instanceof Request ? undefined : new URL(String(input));
    const body = init?.body;
    const protocol = url?.protocol;
    if (!url || (protocol !== 'http:' && protocol !== 'https:') || (body != null && typeof body !== 'string')) {
      return fallback(input, init);
    }
    return send(url, agents[protocol], init ?? {});
  };
}

function send(url: URL, agent: http.Agent, init: RequestInit): Promise<Response> {
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        headers: headerObject(init.headers),
        agent,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // `redirect: 'error'`, as the Web API client asks: Slack's API never redirects a call.
        if (init.redirect === 'error' && status >= 300 && status < 400) {
          res.resume();
          reject(new TypeError(`fetch failed: redirected to ${res.headers.location ?? 'nowhere'}`));
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        // An answer cut off (the connection closed mid-body) fails the call rather than leaving it waiting.
        res.on('close', () => {
          if (!res.complete) reject(new TypeError('fetch failed: the answer was cut off'));
        });
        res.on('end', () => {
          try {
            resolve(answer(res, status, init.method === 'HEAD' ? [] : chunks));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(init.body as string | undefined);
  });
}

function answer(res: http.IncomingMessage, status: number, chunks: Buffer[]): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
  }
  const empty = status === 204 || status === 304 || chunks.length === 0;
  return new Response(empty ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers });
}

function headerObject(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return headers as Record<string, string>;
}
