/**
 * "The team's next audit on that version" (adoption, figure 9), as a SQL fragment for a LEFT JOIN LATERAL: the first
 * audit run of that team on that standard and version recorded after its Deployed and before the window's end, and
 * whether it passed. The scorecard and the export both use it, so they count alike.
 */
import { Prisma } from '../generated/prisma/client.ts';

/** Columns of the outer query (trusted names, never input), and the window's end. */
export interface NextAuditColumns {
  team: string;
  sopKey: string;
  major: string;
  minor: string;
  deployedAt: string;
}

export function nextAuditOnVersion(c: NextAuditColumns, to: Date): Prisma.Sql {
  const col = Prisma.raw;
  return Prisma.sql`(
    SELECT NOT run.breach AS passed FROM audit_run run JOIN audit_plan pl ON pl.number = run.plan_number
    WHERE ${col(c.deployedAt)} IS NOT NULL AND run.team_id = ${col(c.team)} AND pl.sop_key = ${col(c.sopKey)}
      AND run.breach IS NOT NULL AND run.sop_major = ${col(c.major)} AND run.sop_minor = ${col(c.minor)}
      AND run.recorded_at > ${col(c.deployedAt)} AND run.recorded_at < ${to}
    ORDER BY run.recorded_at, run.id LIMIT 1
  )`;
}
