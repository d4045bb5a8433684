/**
 * The clarity part of "quality of standards" (issue 11): of the versions released in the window (to the team, for a
 * team's view), those whose text the clarity check found nothing unclear in (vague words, steps with no one doing them, long
 * sentences, acronyms never spelled out), as recorded when each version's text was written. Growing longer than the
 * version it replaces is advice about minimalism, not unclarity: alone it does not fail a version (a standard that
 * gains a needed step is not less clear). Versions without text, or written before the check was recorded, are left out. Kept apart from
 * `metrics-queries.ts`, which puts it into the quality figure's facts.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ClarityFacts, MetricsWindow } from '../ports/metrics.ts';

type Db = Pick<PrismaClient, '$queryRaw'>;

export async function clarity(db: Db, p: MetricsWindow & { teamId: number | null }): Promise<ClarityFacts> {
  // The standard worth a look is judged by its last version released in the window: one released since may have
  // cleared what an earlier one had.
  const [row] = await db.$queryRaw<ClarityFacts[]>`
    WITH released AS (
      SELECT r.sop_key, r.major, r.minor, t.clarity_findings AS findings, coalesce(t.clarity_rules, '{}') AS rules
      FROM sop_release r
        LEFT JOIN sop_text t ON t.sop_key = r.sop_key AND t.major = r.major AND t.minor = r.minor
      WHERE r.published_at >= ${p.from} AND r.published_at < ${p.to}
        AND (${p.teamId}::int IS NULL OR ${p.teamId}::int = ANY (r.team_ids))
    ), latest AS (
      SELECT DISTINCT ON (sop_key) * FROM released ORDER BY sop_key, major DESC, minor DESC
    )
    SELECT count(*) FILTER (WHERE findings IS NOT NULL)::int AS "versions",
      count(*) FILTER (WHERE findings IS NOT NULL AND rules <@ ARRAY['longer']::text[])::int AS "clear",
      (SELECT json_build_object('sopKey', sop_key, 'version', 'v' || major || '.' || minor, 'findings', findings,
          'rules', to_json(rules))
        FROM latest WHERE NOT rules <@ ARRAY['longer']::text[] ORDER BY findings DESC, sop_key LIMIT 1) AS "mostFindings"
    FROM released`;
  return row ?? { versions: 0, clear: 0, mostFindings: null };
}
