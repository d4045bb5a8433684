/**
 * `metrics export [window]` as a single-use download link (Teams, where a bot cannot simply drop a file into a chat):
 * the export is made exactly as everywhere (`MetricsService.export`: CoE members and executives only, the same
 * minimum group), kept behind the SHA-256 of a random token for `EXPORT_LINK_MINUTES`, and served once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CoeError } from '../domain/errors.ts';
import type { Message } from '../domain/message.ts';
import type { WindowName } from '../domain/metrics.ts';
import { exportLinkMessage } from '../domain/metrics-export.ts';
import type { ExportFile, ExportLinkStore } from '../ports/export-links.ts';
import type { Clock, Store } from '../ports.ts';
import type { CoeRequest } from './coe-admin.ts';
import type { MetricsService } from './metrics.ts';

/** How long a download link works (it works once). */
export const EXPORT_LINK_MINUTES = 15;

/** 32 random bytes in base64url: what a token in a link looks like; anything else is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The hex SHA-256 of a token: all the database ever holds of it. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export const newExportToken = () => randomBytes(32).toString('base64url');

export class ExportLinkService {
  constructor(
    private readonly store: Store,
    private readonly metrics: Pick<MetricsService, 'export'>,
    private readonly links: ExportLinkStore,
    private readonly clock: Clock,
    private readonly newToken: () => string = newExportToken,
  ) {}

  /**
   * Makes the export and a link to it; `linkTo` turns the token into the address the bot serves it at. Anyone but
   * the CoE and executives is refused (by the export itself) before anything is kept.
   */
  async offer(
    request: CoeRequest,
    window: WindowName | undefined,
    linkTo: (token: string) => string,
  ): Promise<Message> {
    const file = await this.metrics.export(request, window);
    const person = await this.store.read((repos) => repos.people.find(request.actor));
    if (!person) throw new CoeError('PERMISSION.DENIED', 'The export of every team is for the CoE and executives.');
    const token = this.newToken();
    const now = this.clock.now();
    await this.links.add({
      tokenHash: tokenHash(token),
      filename: file.filename,
      csv: file.csv,
      createdByPersonId: person.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + EXPORT_LINK_MINUTES * 60_000),
    });
    return exportLinkMessage(file, linkTo(token), EXPORT_LINK_MINUTES);
  }

  /** The file behind a link, the first time it is asked for before it expires; otherwise undefined. */
  async download(token: string): Promise<ExportFile | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    return this.links.consume(tokenHash(token), this.clock.now());
  }
}
