/**
 * The scorecard's facts, aggregated in SQL (medians with `percentile_cont`), so a figure over 100,000 reports reads a
 * handful of rows. Every query takes the window and, for a team's view, the team (its id for releases, training and
 * acknowledgements; its name for reports, which name their team). The definitions are the README's.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import type {
  AdoptionFacts,
  AuditFacts,
  BlockerFacts,
  ConsistencyFacts,
  ConstraintFacts,
  ConstraintServing,
  MetricsScope,
  MetricsSource,
  MetricsWindow,
  QualityFacts,
  ScorecardFacts,
  ServingChange,
  SpeedFacts,
  ToolFacts,
  TrainingFacts,
} from '../ports/metrics.ts';
import { clarity } from './metrics-clarity-query.ts';
import { teamRows } from './metrics-export-queries.ts';
import { nextAuditOnVersion } from './next-audit-sql.ts';

/** What one figure's queries need; the scorecard runs them in a transaction of its own. */
type Db = Pick<PrismaClient, '$queryRaw'>;

/** Postgres and PGlite settle the longest scorecard in well under this; a stuck one must not hold a connection. */
const SCORECARD_TIMEOUT_MS = 60_000;

/** A serving change as JSON brings it: the release's date as text. */
type RawServingChange = Omit<ServingChange, 'release'> & {
  release: { sopKey: string; version: string; publishedAt: string } | null;
};

/** The window and team as query parameters; `teamId`/`teamName` are null for the organisation. */
interface Params {
  from: Date;
  to: Date;
  teamId: number | null;
  teamName: string | null;
}

const CLOSED = ['resolved', 'declined', 'duplicate'];

async function speed(db: Db, p: Params): Promise<SpeedFacts> {
  const [row] = await db.$queryRaw<SpeedFacts[]>`
    WITH rel AS (
      SELECT r.id, r.published_at, r.changes,
        (SELECT min(a.at) FROM release_ack a
          WHERE a.release_id = r.id AND (${p.teamId}::int IS NULL OR a.team_id = ${p.teamId}::int)) AS first_ack
      FROM sop_release r
      WHERE r.published_at >= ${p.from} AND r.published_at < ${p.to}
        AND (${p.teamId}::int IS NULL OR ${p.teamId}::int = ANY (r.team_ids))
    ), cr AS (
      SELECT c.number, c.friction, rel.published_at,
        (SELECT min(e.at) FROM event e WHERE e.subject = 'CR-' || c.number AND e.action = 'change.approved') AS approved_at
      FROM rel JOIN change_request c ON c.number = ANY (rel.changes)
    ), fr AS (
      SELECT DISTINCT ON (f.number) f.number, f.created_at, cr.published_at, cr.approved_at,
        (SELECT min(e.at) FROM event e
          WHERE e.subject = 'FR-' || f.number AND e.action LIKE 'friction.%' AND e.from_state = 'new') AS triaged_at
      FROM cr JOIN friction_report f ON f.number = ANY (cr.friction)
      WHERE ${p.teamName}::text IS NULL OR f.team = ${p.teamName}::text
      ORDER BY f.number, cr.published_at
    )
    SELECT
      (SELECT count(*)::int FROM fr) AS "reports",
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at)::float8 / 86400)
        FROM fr) AS "total",
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM triaged_at - created_at)::float8 / 86400)
        FROM fr WHERE triaged_at IS NOT NULL) AS "reportedToTriaged",
      (SELECT percentile_cont(0.5) WITHIN GROUP
          (ORDER BY greatest(0, extract(epoch FROM approved_at - triaged_at)::float8 / 86400))
        FROM fr WHERE triaged_at IS NOT NULL AND approved_at IS NOT NULL) AS "triagedToApproved",
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - approved_at)::float8 / 86400)
        FROM cr WHERE approved_at IS NOT NULL) AS "approvedToReleased",
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_ack - published_at)::float8 / 86400)
        FROM rel WHERE first_ack IS NOT NULL) AS "releasedToDeployed"`;
  return row as SpeedFacts;
}

async function quality(db: Db, p: Params): Promise<QualityFacts> {
  // A follow-up came after its release and within 30 days, so in the 30 days before the window and in the window: the
  // reports and changes are narrowed to those dates first (an index range, not every report ever made), then matched.
  // Items are numbers, change requests positive and reports negative, so that they never need a text key.
  const [row] = await db.$queryRaw<QualityFacts[]>`
    WITH rel AS (
      SELECT r.id, r.sop_key, r.published_at, r.changes FROM sop_release r
      WHERE r.published_at + interval '30 days' >= ${p.from} AND r.published_at + interval '30 days' < ${p.to}
        AND (${p.teamId}::int IS NULL OR ${p.teamId}::int = ANY (r.team_ids))
    ), reports AS MATERIALIZED (
      SELECT f.number, upper(trim(f.related_sop)) AS sop_key, f.created_at FROM friction_report f
      WHERE f.related_sop IS NOT NULL
        AND f.created_at > ${p.from}::timestamptz - interval '31 days' AND f.created_at < ${p.to}
    ), followed AS (
      SELECT rel.id, rel.sop_key, c.number AS item FROM rel JOIN change_request c ON c.sop_key = rel.sop_key
        AND c.created_at > rel.published_at AND c.created_at <= rel.published_at + interval '30 days'
        AND NOT (c.number = ANY (rel.changes))
      WHERE c.created_at > ${p.from}::timestamptz - interval '31 days' AND c.created_at < ${p.to}
      UNION ALL
      SELECT rel.id, rel.sop_key, -f.number FROM rel JOIN reports f ON f.sop_key = upper(rel.sop_key)
        AND f.created_at > rel.published_at AND f.created_at <= rel.published_at + interval '30 days'
    ), worst AS (
      SELECT sop_key, count(DISTINCT item)::int AS corrections FROM followed
      GROUP BY sop_key ORDER BY 2 DESC, 1 LIMIT 1
    )
    SELECT (SELECT count(*)::int FROM rel) AS "releases",
      (SELECT count(*)::int FROM rel WHERE rel.id NOT IN (SELECT id FROM followed)) AS "clean",
      (SELECT json_build_object('sopKey', sop_key, 'corrections', corrections) FROM worst) AS "mostCorrected"`;
  return { ...(row as QualityFacts), clarity: await clarity(db, p) };
}

async function tools(db: Db, p: Params): Promise<ToolFacts> {
  // One pass over the window's tool reports: the ten tools with most, and (before the LIMIT) the total of all.
  const rows = await db.$queryRaw<
    { tool: string; reports: number; medianDaysToResolve: number | null; total: number }[]
  >`
    SELECT min(f.tool) AS "tool", count(*)::int AS "reports",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.status_changed_at - f.created_at)::float8 / 86400)
        FILTER (WHERE f.status = 'resolved') AS "medianDaysToResolve",
      (sum(count(*)) OVER ())::int AS "total"
    FROM friction_report f
    WHERE f.kind = 'tool_friction' AND f.created_at >= ${p.from} AND f.created_at < ${p.to}
      AND (${p.teamName}::text IS NULL OR f.team = ${p.teamName}::text)
    GROUP BY f.tool_key ORDER BY count(*) DESC, min(f.tool) LIMIT 10`;
  const alerted = await db.$queryRaw<{ tool: string }[]>`
    SELECT min(tool) AS "tool" FROM recurring_pattern
    WHERE alerted_at >= ${p.from} AND alerted_at < ${p.to} GROUP BY tool_key ORDER BY 1`;
  return {
    tools: rows.map(({ total: _, ...tool }) => tool),
    reports: rows[0]?.total ?? 0,
    alerted: alerted.map((a) => a.tool),
  };
}

async function training(db: Db, p: Params): Promise<TrainingFacts> {
  const due = { from: p.from.toISOString().slice(0, 10), to: p.to.toISOString().slice(0, 10) };
  const teams = await db.$queryRaw<TrainingFacts['teams']>`
    SELECT a.team_id AS "teamId", t.name AS "team", count(*)::int AS "assigned",
      count(*) FILTER (WHERE a.completed_at < tr.due_on + interval '1 day')::int AS "doneByDue"
    FROM training tr JOIN training_assignment a ON a.training_number = tr.number JOIN team t ON t.id = a.team_id
    WHERE tr.cancelled_at IS NULL AND tr.due_on >= ${due.from}::date AND tr.due_on < ${due.to}::date
      AND (${p.teamId}::int IS NULL OR a.team_id = ${p.teamId}::int)
    GROUP BY a.team_id, t.name ORDER BY t.name`;
  const layers =
    p.teamId === null
      ? await db.$queryRaw<TrainingFacts['layers']>`
        SELECT pe.layer::text AS "layer", count(*)::int AS "assigned",
          count(*) FILTER (WHERE a.completed_at < tr.due_on + interval '1 day')::int AS "doneByDue"
        FROM training tr JOIN training_assignment a ON a.training_number = tr.number
          JOIN person pe ON pe.id = a.person_id
        WHERE tr.cancelled_at IS NULL AND tr.due_on >= ${due.from}::date AND tr.due_on < ${due.to}::date
          AND a.team_id IS NULL
        GROUP BY pe.layer ORDER BY pe.layer`
      : [];
  const [audits] = await db.$queryRaw<
    { trainings: number; beforeRuns: number; beforePassed: number; afterRuns: number; afterPassed: number }[]
  >`
    WITH tr AS (
      SELECT tr.number, tr.sop_key, tr.due_on::timestamp AS due FROM training tr
      WHERE tr.cancelled_at IS NULL AND tr.due_on >= ${due.from}::date AND tr.due_on < ${due.to}::date
        AND (${p.teamId}::int IS NULL OR ${p.teamId}::int = ANY (tr.team_ids))
    ), runs AS (
      SELECT run.due_at < tr.due AS before, NOT run.breach AS passed
      FROM tr JOIN audit_plan pl ON pl.sop_key = tr.sop_key
        JOIN audit_run run ON run.plan_number = pl.number AND run.breach IS NOT NULL
          AND run.due_at >= tr.due - interval '60 days' AND run.due_at < tr.due + interval '60 days'
    )
    SELECT (SELECT count(*)::int FROM tr) AS "trainings",
      count(*) FILTER (WHERE before)::int AS "beforeRuns",
      count(*) FILTER (WHERE before AND passed)::int AS "beforePassed",
      count(*) FILTER (WHERE NOT before)::int AS "afterRuns",
      count(*) FILTER (WHERE NOT before AND passed)::int AS "afterPassed"
    FROM runs`;
  const a = audits ?? { trainings: 0, beforeRuns: 0, beforePassed: 0, afterRuns: 0, afterPassed: 0 };
  return {
    trainings: a.trainings,
    teams,
    layers,
    auditsBefore: { runs: a.beforeRuns, passed: a.beforePassed },
    auditsAfter: { runs: a.afterRuns, passed: a.afterPassed },
  };
}

async function blockers(db: Db, p: Params): Promise<BlockerFacts> {
  // The status at the window's end: the current one when it last changed before then, else the last status event.
  const [row] = await db.$queryRaw<BlockerFacts[]>`
    SELECT
      count(*) FILTER (WHERE
        CASE WHEN f.status_changed_at < ${p.to} THEN f.status::text
          ELSE coalesce((SELECT e.to_state FROM event e
            WHERE e.subject = 'FR-' || f.number AND e.action LIKE 'friction.%' AND e.to_state IS NOT NULL
              AND e.at < ${p.to} ORDER BY e.at DESC, e.id DESC LIMIT 1), 'new')
        END <> ALL (${CLOSED}::text[]))::int AS "openAtEnd",
      count(*) FILTER (WHERE f.created_at >= ${p.from})::int AS "newInWindow"
    FROM friction_report f
    WHERE f.impact IN ('high', 'blocking') AND f.created_at < ${p.to}
      AND (${p.teamName}::text IS NULL OR f.team = ${p.teamName}::text)`;
  return row as BlockerFacts;
}

async function consistency(db: Db, p: Params): Promise<ConsistencyFacts> {
  const standards = await db.$queryRaw<ConsistencyFacts['standards']>`
    WITH current AS (
      SELECT DISTINCT ON (r.sop_key) r.id, r.sop_key, r.major, r.minor, r.team_ids FROM sop_release r
        JOIN sop s ON s.key = r.sop_key AND (s.retired_at IS NULL OR s.retired_at >= ${p.to})
      WHERE r.published_at < ${p.to}
      ORDER BY r.sop_key, r.major DESC, r.minor DESC
    ), targets AS (
      SELECT current.id, current.sop_key, current.major, current.minor, t.id AS team_id FROM current
        JOIN team t ON t.id = ANY (current.team_ids) AND (t.archived_at IS NULL OR t.archived_at >= ${p.to})
      WHERE ${p.teamId}::int IS NULL OR t.id = ${p.teamId}::int
    )
    SELECT targets.sop_key AS "sopKey", 'v' || targets.major || '.' || targets.minor AS "version",
      count(*)::int AS "targets", count(a.team_id)::int AS "deployed"
    FROM targets LEFT JOIN release_ack a ON a.release_id = targets.id AND a.team_id = targets.team_id AND a.at < ${p.to}
    GROUP BY targets.sop_key, targets.major, targets.minor ORDER BY targets.sop_key`;
  const auditPassRates = await db.$queryRaw<ConsistencyFacts['auditPassRates']>`
    SELECT pl.sop_key AS "sopKey", count(*)::int AS "runs", count(*) FILTER (WHERE NOT run.breach)::int AS "passed"
    FROM audit_run run JOIN audit_plan pl ON pl.number = run.plan_number
    WHERE run.breach IS NOT NULL AND run.due_at >= ${p.from} AND run.due_at < ${p.to}
    GROUP BY pl.sop_key ORDER BY pl.sop_key`;
  return { standards, auditPassRates };
}

async function audits(db: Db, p: Params): Promise<AuditFacts> {
  const [runs] = await db.$queryRaw<{ due: number; onSchedule: number }[]>`
    SELECT count(*)::int AS "due",
      count(*) FILTER (WHERE run.recorded_at <= run.due_at + interval '7 days')::int AS "onSchedule"
    FROM audit_run run
    WHERE run.due_at >= ${p.from} AND run.due_at < ${p.to}
      AND (run.recorded_at IS NOT NULL OR run.due_at + interval '7 days' <= ${p.to})`;
  const [drafts] = await db.$queryRaw<{ breachDrafts: number; breachDecided: number; breachApproved: number }[]>`
    SELECT count(*)::int AS "breachDrafts",
      count(*) FILTER (WHERE c.status IN ('approved', 'released', 'rejected', 'withdrawn'))::int AS "breachDecided",
      count(*) FILTER (WHERE c.status IN ('approved', 'released'))::int AS "breachApproved"
    FROM audit_run run JOIN change_request c ON c.number = run.change_number
    WHERE c.created_at >= ${p.from} AND c.created_at < ${p.to}`;
  return {
    ...(runs ?? { due: 0, onSchedule: 0 }),
    ...(drafts ?? { breachDrafts: 0, breachDecided: 0, breachApproved: 0 }),
  };
}

async function constraints(db: Db, p: Params): Promise<ConstraintFacts> {
  const [row] = await db.$queryRaw<ConstraintFacts[]>`
    WITH released AS (
      SELECT c.number, c."constraint" FROM change_request c JOIN sop_release r ON r.id = c.release_id
      WHERE r.published_at >= ${p.from} AND r.published_at < ${p.to}
        AND (${p.teamId}::int IS NULL OR ${p.teamId}::int = ANY (r.team_ids))
    ), active AS (
      SELECT x.number FROM executive_constraint x
      WHERE x.created_at < ${p.to} AND (x.ended_at IS NULL OR x.ended_at >= ${p.from})
        AND (x.until IS NULL OR x.until >= ${p.from}::date)
    )
    SELECT (SELECT count(*)::int FROM active) AS "active",
      (SELECT count(*)::int FROM active WHERE active.number IN (SELECT "constraint" FROM released
        WHERE "constraint" IS NOT NULL)) AS "served",
      (SELECT count(*)::int FROM released) AS "released",
      (SELECT count(*)::int FROM released WHERE "constraint" IS NULL) AS "servingNone",
      (SELECT coalesce(json_agg(json_build_object('number', u.number, 'text', u.text) ORDER BY u.number), '[]')
        FROM (SELECT x.number, x.text FROM executive_constraint x JOIN active ON active.number = x.number
          WHERE x.number NOT IN (SELECT "constraint" FROM released WHERE "constraint" IS NOT NULL)
          ORDER BY x.number LIMIT 3) u) AS "unserved"`;
  return row as ConstraintFacts;
}

async function adoption(db: Db, p: Params): Promise<AdoptionFacts> {
  // Per release and target team: Deployed within 14 days, then the team's next audit on that version (its first run
  // recorded after the Deployed and before the window's end, with the team and version it was recorded against).
  const releases = await db.$queryRaw<AdoptionFacts['releases']>`
    WITH target AS (
      SELECT r.id, r.sop_key, r.major, r.minor, r.published_at, t.id AS team_id, a.at AS deployed_at
      FROM sop_release r CROSS JOIN LATERAL unnest(r.team_ids) AS t(id)
        LEFT JOIN release_ack a ON a.release_id = r.id AND a.team_id = t.id
          AND a.at <= r.published_at + interval '14 days'
      WHERE r.published_at + interval '14 days' >= ${p.from} AND r.published_at + interval '14 days' < ${p.to}
        AND (${p.teamId}::int IS NULL OR t.id = ${p.teamId}::int)
    ), sizes AS (
      SELECT m.team_id, count(*)::int AS members FROM team_member m GROUP BY m.team_id
    )
    SELECT t.sop_key AS "sopKey", 'v' || t.major || '.' || t.minor AS "version", count(*)::int AS "targets",
      count(t.deployed_at)::int AS "deployedIn14", count(next.passed)::int AS "audited",
      count(*) FILTER (WHERE next.passed)::int AS "passed", coalesce(sum(sizes.members), 0)::int AS "people"
    FROM target t LEFT JOIN sizes ON sizes.team_id = t.team_id
      LEFT JOIN LATERAL ${nextAuditOnVersion(
        { team: 't.team_id', sopKey: 't.sop_key', major: 't.major', minor: 't.minor', deployedAt: 't.deployed_at' },
        p.to,
      )} next ON true
    GROUP BY t.id, t.sop_key, t.major, t.minor, t.published_at
    ORDER BY t.published_at, t.id`;
  return { releases };
}

export function prismaMetrics(db: Db & Pick<PrismaClient, '$transaction'>): MetricsSource {
  return {
    async scorecard(window: MetricsWindow, scope: MetricsScope): Promise<ScorecardFacts> {
      const p: Params = {
        ...window,
        teamId: scope.kind === 'team' ? scope.teamId : null,
        teamName: scope.kind === 'team' ? scope.teamName : null,
      };
      // One snapshot for the nine figures, one query after another (the embedded database answers one at a time
      // anyway, and on Postgres the scorecard holds one connection of the pool). JIT off: Postgres compiles a query
      // whose estimated cost passes jit_above_cost, and these estimates run high (an array of report numbers is
      // guessed at ten); over 100,000 reports it spent 0.6 s compiling a query that then ran in 20 ms.
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SET LOCAL jit = off`;
          return {
            speed: await speed(tx, p),
            quality: await quality(tx, p),
            tools: await tools(tx, p),
            training: await training(tx, p),
            blockers: await blockers(tx, p),
            consistency: await consistency(tx, p),
            audits: await audits(tx, p),
            constraints: await constraints(tx, p),
            adoption: await adoption(tx, p),
          };
        },
        { isolationLevel: 'RepeatableRead', timeout: SCORECARD_TIMEOUT_MS, maxWait: 10_000 },
      );
    },
    teamRows: (window) => teamRows(db, window),
    async constraintServing(since) {
      const rows = await db.$queryRaw<(Omit<ConstraintServing, 'changes'> & { changes: RawServingChange[] })[]>`
        SELECT x.number, x.kind::text AS "kind", x.text, x.until, x.ended_at AS "endedAt",
          x.created_by_person_id AS "createdByPersonId",
          coalesce((SELECT json_agg(json_build_object(
              'number', c.number, 'title', c.title, 'status', c.status,
              'release', CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object(
                'sopKey', r.sop_key, 'version', 'v' || r.major || '.' || r.minor, 'publishedAt', r.published_at) END)
              ORDER BY c.number)
            FROM change_request c LEFT JOIN sop_release r ON r.id = c.release_id
            WHERE c."constraint" = x.number), '[]') AS "changes"
        FROM executive_constraint x
        WHERE x.ended_at IS NULL OR x.ended_at >= ${since}
        ORDER BY x.number`;
      return rows.map((row) => ({
        ...row,
        changes: row.changes.map((c) => ({
          ...c,
          release: c.release ? { ...c.release, publishedAt: new Date(c.release.publishedAt) } : null,
        })),
      }));
    },
    async teamSizes() {
      const rows = await db.$queryRaw<{ id: number; name: string; members: number }[]>`
        SELECT t.id, t.name, count(m.person_id)::int AS "members"
        FROM team t LEFT JOIN team_member m ON m.team_id = t.id
        WHERE t.archived_at IS NULL GROUP BY t.id, t.name`;
      return new Map(rows.map((r) => [r.id, { name: r.name, members: r.members }]));
    },
  };
}
