/**
 * The export's rows: one per active team, every count about the team for one window, in one query (each part
 * grouped by team, then joined), so 50 teams cost what one does.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { MetricsWindow, TeamRowFacts } from '../ports/metrics.ts';
import { nextAuditOnVersion } from './next-audit-sql.ts';

export async function teamRows(db: Pick<PrismaClient, '$queryRaw'>, window: MetricsWindow): Promise<TeamRowFacts[]> {
  const { from, to } = window;
  const due = { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
  return db.$queryRaw<TeamRowFacts[]>`
    WITH teams AS (
      SELECT t.id, t.name, (SELECT count(*)::int FROM team_member m WHERE m.team_id = t.id) AS members
      FROM team t WHERE t.archived_at IS NULL
    ), reports AS (
      SELECT f.team, count(*)::int AS reports,
        count(*) FILTER (WHERE f.impact IN ('high', 'blocking'))::int AS blocking
      FROM friction_report f WHERE f.created_at >= ${from} AND f.created_at < ${to} AND f.team IS NOT NULL
      GROUP BY f.team
    ), training AS (
      SELECT a.team_id, count(*)::int AS assigned,
        count(*) FILTER (WHERE a.completed_at < tr.due_on + interval '1 day')::int AS done
      FROM training tr JOIN training_assignment a ON a.training_number = tr.number
      WHERE tr.cancelled_at IS NULL AND tr.due_on >= ${due.from}::date AND tr.due_on < ${due.to}::date
        AND a.team_id IS NOT NULL
      GROUP BY a.team_id
    ), adoption AS (
      SELECT target.id AS team_id, count(*)::int AS releases, count(a.team_id)::int AS deployed,
        count(a.team_id) FILTER (WHERE next.passed IS NOT false)::int AS adopted
      FROM sop_release r CROSS JOIN LATERAL unnest(r.team_ids) AS target(id)
        LEFT JOIN release_ack a ON a.release_id = r.id AND a.team_id = target.id
          AND a.at <= r.published_at + interval '14 days'
        -- The same next audit as the scorecard counts (next-audit-sql.ts).
        LEFT JOIN LATERAL ${nextAuditOnVersion(
          { team: 'target.id', sopKey: 'r.sop_key', major: 'r.major', minor: 'r.minor', deployedAt: 'a.at' },
          to,
        )} next ON true
      WHERE r.published_at + interval '14 days' >= ${from} AND r.published_at + interval '14 days' < ${to}
      GROUP BY target.id
    )
    SELECT teams.name AS "team", teams.members AS "members",
      coalesce(reports.reports, 0) AS "reports", coalesce(reports.blocking, 0) AS "blockingReports",
      coalesce(training.assigned, 0) AS "trainingAssigned", coalesce(training.done, 0) AS "trainingDoneByDue",
      coalesce(adoption.releases, 0) AS "releases", coalesce(adoption.deployed, 0) AS "deployedIn14",
      coalesce(adoption.adopted, 0) AS "adopted"
    FROM teams
      LEFT JOIN reports ON reports.team = teams.name
      LEFT JOIN training ON training.team_id = teams.id
      LEFT JOIN adoption ON adoption.team_id = teams.id
    ORDER BY teams.name`;
}
