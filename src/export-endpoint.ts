/**
 * `GET /exports/<token>`: a single-use download (the metrics export in Teams). The file is served once, as an
 * attachment nobody caches; an unknown, used or expired link gets one short plain-text answer that tells them apart
 * in no way. Also: the address a request came to, for links back to the bot when `PUBLIC_URL` is unset.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExportFile } from './ports/export-links.ts';
import { EXPORT_LINK_MINUTES } from './services/export-links.ts';

/** Where downloads are served: `<public url>/exports/<token>`. */
export const EXPORT_PATH = '/exports/';

const GONE = `This download link has been used or has expired: each link works once, for ${EXPORT_LINK_MINUTES} minutes. Ask the CoE bot for a new one with "metrics export".\n`;

/** Nothing kept by the browser or a proxy, and the link never sent on as a Referer. */
const PRIVATE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };

/** The handler: `token` is what follows `/exports/` in the path. */
export function exportRoute(
  download: (token: string) => Promise<ExportFile | undefined>,
): (req: IncomingMessage, res: ServerResponse, token: string) => Promise<void> {
  return async (_req, res, token) => {
    const file = await download(token);
    if (!file) {
      res.writeHead(404, { ...PRIVATE, 'content-type': 'text/plain; charset=utf-8' }).end(GONE);
      return;
    }
    res
      .writeHead(200, {
        ...PRIVATE,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`,
      })
      .end(file.csv);
  };
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The address a request came to (`https://bot.example.com`), as a reverse proxy tells it (`X-Forwarded-Proto`,
 * `X-Forwarded-Host`, first value of each) or else the request itself (`Host`, TLS or not); undefined when the host
 * is not a plain host name or address.
 */
export function requestOrigin(req: Pick<IncomingMessage, 'headers' | 'socket'>): string | undefined {
  const first = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
  const host = first(req.headers['x-forwarded-host']) ?? first(req.headers.host);
  if (!host || !HOST.test(host)) return undefined;
  const forwarded = first(req.headers['x-forwarded-proto'])?.toLowerCase();
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const proto = forwarded === 'http' || forwarded === 'https' ? forwarded : encrypted ? 'https' : 'http';
  return `${proto}://${host}`;
}
