/**
 * The port of single-use download links (`metrics export` in Teams): an export kept in the database behind the hash
 * of a token, so that any replica behind the load balancer serves it, a restart keeps it, and it is served once.
 */

/** What a link serves: a file's name and its text. */
export interface ExportFile {
  filename: string;
  csv: string;
}

export interface NewExportLink extends ExportFile {
  /** Hex SHA-256 of the token in the link; the token itself is never stored. */
  tokenHash: string;
  createdByPersonId: number;
  createdAt: Date;
  expiresAt: Date;
}

export interface ExportLinkStore {
  /** Keeps a new link. Links expired by its `createdAt` are deleted on the way: they can never be served. */
  add(link: NewExportLink): Promise<void>;
  /**
   * Serves a link once: when `tokenHash` names a link not used yet whose expiry is after `now`, marks it used and
   * returns its file, in one statement (of two simultaneous calls, one gets the file). Otherwise undefined: unknown,
   * used and expired are not told apart. Links expired by `now` are deleted on the way.
   */
  consume(tokenHash: string, now: Date): Promise<ExportFile | undefined>;
}
