/**
 * Finding standards by words in SQL (issue 11), alike on PGlite and Postgres: each word is looked for with ILIKE in
 * the key, the title and the current version's text (the newest release's, else the baseline's), so "scanner" finds
 * "Scanners"; a standard must hold every word. Ranked in the query: the standard whose key the words are, then the
 * most words in the key or title, then the most recently current. A few hundred standards of up to 40,000 characters
 * each are read in milliseconds without an index; full-text search would stem words differently per configuration
 * and miss parts of words ("scan" in "scanner").
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { SopSearchHit, SopSearchRepository } from '../ports.ts';

type Tx = Pick<Prisma.TransactionClient, '$queryRaw'>;

/** Characters of text kept before the first word found, and the whole window sent back (the snippet is cut from it). */
const BEFORE = 150;
const WINDOW = 450;

/** A word as an ILIKE pattern matching it anywhere: its `%`, `_` and `\` taken literally. */
export const containing = (word: string) => `%${word.replace(/[\\%_]/g, '\\$&')}%`;

interface Row {
  key: string;
  title: string;
  major: number;
  minor: number;
  since: Date;
  in_name: number;
  excerpt: string;
  excerpt_at: number;
  text_length: number;
}

export function sopSearchRepository(tx: Tx): SopSearchRepository {
  return {
    async search({ words, key, limit }) {
      const patterns = words.map(containing);
      const rows = await tx.$queryRaw<Row[]>`
        WITH current AS (
          SELECT s.key, s.title, v.major, v.minor, v.since, coalesce(t.text, '') AS text
          FROM sop s
          CROSS JOIN LATERAL (
            (SELECT r.major, r.minor, r.published_at AS since FROM sop_release r WHERE r.sop_key = s.key
             ORDER BY r.major DESC, r.minor DESC LIMIT 1)
            UNION ALL
            (SELECT 1, 0, s.created_at WHERE s.baseline)
            ORDER BY 1 DESC, 2 DESC
            LIMIT 1
          ) v
          LEFT JOIN sop_text t ON t.sop_key = s.key AND t.major = v.major AND t.minor = v.minor
          WHERE s.retired_at IS NULL
        ), matched AS (
          SELECT c.*,
            (SELECT count(*) FROM unnest(${patterns}::text[]) p WHERE c.key ILIKE p OR c.title ILIKE p)::int AS in_name,
            (SELECT min(strpos(lower(c.text), w)) FROM unnest(${words}::text[]) w
             WHERE strpos(lower(c.text), w) > 0) AS at
          FROM current c
          WHERE NOT EXISTS (
            SELECT 1 FROM unnest(${patterns}::text[]) p
            WHERE NOT (c.key ILIKE p OR c.title ILIKE p OR c.text ILIKE p))
        )
        SELECT key, title, major, minor, since, in_name,
               substr(text, greatest(coalesce(at, 1) - ${BEFORE}::int, 1), ${WINDOW}::int) AS excerpt,
               (greatest(coalesce(at, 1) - ${BEFORE}::int, 1) - 1)::int AS excerpt_at,
               char_length(text)::int AS text_length
        FROM matched
        ORDER BY key = ${key} DESC, in_name DESC, since DESC, key
        LIMIT ${limit}::int`;
      return rows.map(
        (r): SopSearchHit => ({
          key: r.key,
          title: r.title,
          version: { major: r.major, minor: r.minor },
          since: r.since,
          inName: r.in_name,
          excerpt: r.excerpt,
          excerptAt: r.excerpt_at,
          textLength: r.text_length,
        }),
      );
    },
  };
}
