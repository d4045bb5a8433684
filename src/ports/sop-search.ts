/**
 * The port of finding a standard where people work (issue 11): standards not retired, by words of their key, their
 * title or what their current version says, searched where the texts are (SQL on the database). Only current versions
 * are searched: an earlier one is read on request (`sop show <key> vX.Y`). Kept apart from `../ports.ts` (which
 * re-exports it).
 */
import type { SopVersion } from '../domain/sop.ts';

export interface SopSearchQuery {
  /**
   * Lower-case words (`searchWords` in src/domain/sop-search.ts), each found as a part of the key, the title or the
   * current version's text, whatever its case; a standard must hold every one. None: the most recent standards.
   */
  words: readonly string[];
  /** The words as a key (`inventory-scanning`): a standard of exactly that key comes first. */
  key: string;
  limit: number;
}

export interface SopSearchHit {
  key: string;
  title: string;
  /** The current version: the newest release, else the baseline. */
  version: SopVersion;
  /** When it became current: its release, or the baseline's registration. */
  since: Date;
  /** How many of the words the key or the title hold. */
  inName: number;
  /** A window of the current version's text around the first word found in it, else its beginning ('' when none). */
  excerpt: string;
  /** Where the excerpt starts in the text (characters). */
  excerptAt: number;
  /** The text's length (characters), to tell whether the excerpt stops before its end. */
  textLength: number;
}

export interface SopSearchRepository {
  /**
   * Matches, best first: a standard whose key is the words first, then those whose key or title hold the most words,
   * then the most recently current; at most `limit`. No words: the most recently current standards.
   */
  search(query: SopSearchQuery): Promise<SopSearchHit[]>;
}
