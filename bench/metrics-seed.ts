/**
 * The history `npm run bench -- metrics` measures the scorecard on, written set-based (INSERT … SELECT FROM
 * generate_series, a statement per table) so that PGlite builds it in seconds rather than the minutes a row at a time
 * would take: 300 people in 50 teams (eight of them under 5), 100 standards, 100,000 friction reports over 400 days
 * with their status events, 10,000 change requests (some linked to reports, some serving a constraint, about 400
 * breach drafts of audits), 2,000 releases to 1–8 teams each with the teams' acknowledgements, 200 executive
 * constraints, 60 audit plans with weekly runs (recorded ones against the version a target team had deployed), 150
 * trainings with their assignments and 40 recurring-pattern alerts, all ending at `now`.
 *
 * Pseudo-random but the same on every database: every draw is `hashint4` of the row's number and a salt, so PGlite
 * and Postgres hold the same rows and answer the same figures.
 */
import type { Database } from '../src/db/client.ts';

export const VOLUME = { teams: 50, people: 300, reports: 100_000, changes: 9_600, releases: 2_000, standards: 100 };

/** A uniform draw in [0, 1) from the row's number `n` and a salt (< 2000, so `n + salt * 1000003` fits an int). */
const u = (n: string, salt: number) =>
  `(abs(hashint4((${n})::int + ${salt} * 1000003)::bigint)::float8 / 2147483648.0)`;
/** A whole number in [0, m). */
const pick = (n: string, salt: number, m: number | string) =>
  `(abs(hashint4((${n})::int + ${salt} * 1000003)::bigint) % (${m}))::int`;
const std = (n: string) => `'STD-' || lpad((${n})::text, 3, '0')`;

/** The statements, in order, each with what it writes (for the progress line). */
function statements(now: Date): [string, string][] {
  const T0 = `'${now.toISOString()}'::timestamptz`;
  const start = `(${T0} - interval '400 days')`;
  return [
    [
      'teams',
      `INSERT INTO team (id, name, created_at, archived_at)
       SELECT t, 'Team ' || lpad(t::text, 2, '0'), ${T0} - interval '500 days',
         CASE WHEN t = 50 THEN ${T0} - interval '20 days' END
       FROM generate_series(1, ${VOLUME.teams}) t`,
    ],
    [
      'people',
      `INSERT INTO person (id, layer, display_name, created_at)
       SELECT p, (CASE WHEN p BETWEEN 281 AND 290 THEN 'coe' WHEN p BETWEEN 291 AND 295 THEN 'executive'
         ELSE 'worker' END)::"Layer", 'Person ' || p, ${T0} - interval '500 days'
       FROM generate_series(1, ${VOLUME.people}) p`,
    ],
    [
      'team members',
      // Teams 1–8 have 3 or 4 people, the others 5 to 7: 280 members; the first of each team manages it.
      `WITH sizes AS (
         SELECT t, CASE WHEN t <= 8 THEN 3 + t % 2 ELSE 5 + t % 3 END AS size FROM generate_series(1, 50) t
       ), spans AS (SELECT t, size, sum(size) OVER (ORDER BY t) - size AS first FROM sizes)
       INSERT INTO team_member (team_id, person_id, is_manager)
       SELECT t, first + k, k = 1 FROM spans, generate_series(1, size) k`,
    ],
    [
      'managers',
      `UPDATE person SET layer = 'manager' WHERE id IN (SELECT person_id FROM team_member WHERE is_manager)`,
    ],
    [
      'standards',
      `INSERT INTO sop (key, title, baseline, created_at, retired_at)
       SELECT ${std('s')}, 'Standard ' || s, s <= 20, ${T0} - interval '450 days',
         CASE WHEN s % 37 = 0 THEN ${T0} - interval '40 days' END
       FROM generate_series(1, ${VOLUME.standards}) s`,
    ],
    [
      'friction reports',
      // Older reports are more often closed; closed ones took 1–41 days, open ones moved within 10 (or not yet).
      `INSERT INTO friction_report (number, kind, title, description, team, tool, tool_key, frequency, impact,
         related_sop, status, reporter_person_id, owner_person_id, decline_lane, duplicate_of, plus_ones,
         submission_key, claim_token, created_at, status_changed_at, updated_at)
       SELECT i, kind::"FrictionKind", 'Report ' || i, 'bench', team, 'Tool ' || tool, 'tool ' || tool, 'daily', impact,
         related_sop, status::"FrictionStatus", 1 + ${pick('i', 7, 280)},
         CASE WHEN status <> 'new' THEN 281 + ${pick('i', 8, 10)} END,
         CASE WHEN status = 'declined' THEN 'other'::"DeclineLane" END,
         CASE WHEN status = 'duplicate' THEN greatest(1, i - 1 - ${pick('i', 9, 100)}) END, ${pick('i', 10, 3)},
         'bench-fr-' || i, 't', created_at, changed_at, changed_at
       FROM (
         SELECT i, created_at, kind, team, tool, impact, related_sop,
           CASE WHEN planned < ${T0} THEN status ELSE 'new' END AS status,
           CASE WHEN planned < ${T0} THEN planned ELSE created_at END AS changed_at
         FROM (
           SELECT drawn.*, CASE WHEN status = 'new' THEN created_at
               ELSE created_at + interval '1 day' * CASE WHEN status IN ('resolved', 'declined', 'duplicate')
                 THEN 1 + 40 * ${u('i', 11)} ELSE 10 * ${u('i', 11)} END END AS planned
           FROM (
             SELECT i, ${start} + (i - 1) * interval '345.6 seconds' AS created_at,
               CASE WHEN ${u('i', 1)} < 0.4 THEN 'tool_friction' WHEN ${u('i', 1)} < 0.6 THEN 'failure_pattern'
                 WHEN ${u('i', 1)} < 0.75 THEN 'training_gap' WHEN ${u('i', 1)} < 0.9 THEN 'quality_variance'
                 ELSE 'cross_team' END AS kind,
               CASE WHEN ${u('i', 2)} < 0.95 THEN 'Team ' || lpad((1 + ${pick('i', 3, 50)})::text, 2, '0') END AS team,
               1 + ${pick('i', 4, 30)} AS tool,
               CASE WHEN ${u('i', 5)} < 0.35 THEN 'low' WHEN ${u('i', 5)} < 0.7 THEN 'medium'
                 WHEN ${u('i', 5)} < 0.9 THEN 'high' ELSE 'blocking' END AS impact,
               CASE WHEN ${u('i', 6)} < 0.1 THEN ${std(`1 + floor(100 * ${u('i', 12)} ^ 3)`)}
                 WHEN ${u('i', 6)} < 0.15 THEN ' ' || lower(${std(`1 + floor(100 * ${u('i', 12)} ^ 3)`)})
               END AS related_sop,
               CASE WHEN ${u('i', 13)} < least(0.9, 0.2 + (${VOLUME.reports} - i) * 0.004 / 60)
                   THEN CASE WHEN ${u('i', 14)} < 0.7 THEN 'resolved' WHEN ${u('i', 14)} < 0.9 THEN 'declined'
                     ELSE 'duplicate' END
                 WHEN ${u('i', 13)} < least(0.95, 0.3 + (${VOLUME.reports} - i) * 0.004 / 40)
                   THEN (ARRAY['triaged', 'analysing', 'in_change'])[1 + ${pick('i', 15, 3)}]
                 ELSE 'new' END AS status
             FROM generate_series(1, ${VOLUME.reports}) i
           ) drawn
         ) planned
       ) timed`,
    ],
    [
      'report events',
      // Every report's submission; a triage for the triaged and 85% of those that moved further; their last move.
      `INSERT INTO event (at, actor_person_id, subject, action, from_state, to_state)
       SELECT created_at, reporter_person_id, 'FR-' || number, 'friction.submitted', NULL, 'new' FROM friction_report
       UNION ALL
       SELECT CASE WHEN status = 'triaged' THEN status_changed_at
           ELSE created_at + (status_changed_at - created_at) * (0.1 + 0.4 * ${u('number', 20)}) END,
         owner_person_id, 'FR-' || number, 'friction.triaged', 'new', 'triaged'
       FROM friction_report WHERE status = 'triaged' OR (status <> 'new' AND ${u('number', 21)} < 0.85)
       UNION ALL
       SELECT status_changed_at, owner_person_id, 'FR-' || number, 'friction.' || status,
         CASE WHEN ${u('number', 21)} < 0.85 THEN 'triaged' ELSE 'new' END, status::text
       FROM friction_report WHERE status NOT IN ('new', 'triaged')`,
    ],
    [
      'constraints',
      `INSERT INTO executive_constraint (number, kind, text, until, created_by_person_id, created_at, ended_at)
       SELECT x, (ARRAY['priority', 'constraint', 'target'])[1 + ${pick('x', 30, 3)}]::"ConstraintKind",
         'Constraint ' || x,
         CASE WHEN ${u('x', 31)} < 0.2 THEN (${start} + x * interval '2 days' + interval '120 days')::date END,
         291 + ${pick('x', 32, 5)}, ${start} + x * interval '2 days',
         CASE WHEN ${u('x', 33)} < 0.25 AND ${start} + x * interval '2 days' + interval '60 days' < ${T0}
           THEN ${start} + x * interval '2 days' + interval '60 days' END
       FROM generate_series(1, 200) x`,
    ],
    [
      'audit plans',
      `INSERT INTO audit_plan (number, sop_key, schedule, checklist, acceptable_variance, owner_person_id,
         created_by_person_id, submission_key, created_at, runs_from, state)
       SELECT n, ${std('n')}, '0 9 * * 1', ARRAY['check'], 5, 281 + n % 10, 281, 'bench-aud-' || n,
         ${T0} - interval '420 days', ${start}, 'active'
       FROM generate_series(1, 60) n`,
    ],
    [
      'audit runs',
      // Weekly; 90% recorded (within 0–10 days, so some late), 12% of those a breach; the rest never recorded.
      `INSERT INTO audit_run (plan_number, due_at, breach, recorded_by_person_id, recorded_at)
       SELECT n, due_at, CASE WHEN recorded_at IS NOT NULL THEN ${u('n * 100 + w', 41)} < 0.12 END,
         CASE WHEN recorded_at IS NOT NULL THEN 281 + n % 10 END, recorded_at
       FROM (
         SELECT n, w, ${start} + n * interval '1 hour' + w * interval '7 days' AS due_at,
           CASE WHEN ${u('n * 100 + w', 40)} < 0.9
               AND ${start} + n * interval '1 hour' + (w * 7 + 10 * ${u('n * 100 + w', 42)}) * interval '1 day' < ${T0}
             THEN ${start} + n * interval '1 hour' + (w * 7 + 10 * ${u('n * 100 + w', 42)}) * interval '1 day' END
             AS recorded_at
         FROM generate_series(1, 60) n, generate_series(0, 57) w
       ) runs`,
    ],
    [
      'change requests',
      // 40% name 1–3 reports made before them, 15% serve a constraint set before them.
      `INSERT INTO change_request (number, kind, sop_key, title, change, why, friction, "constraint", risk,
         improvement, status, requester_person_id, submission_key, created_at, updated_at)
       SELECT j, (ARRAY['workflow', 'template', 'tool', 'standard', 'training'])[1 + ${pick('j', 50, 5)}]::"ChangeKind",
         ${std(`1 + floor(100 * ${u('j', 51)} ^ 2)`)}, 'Change ' || j, 'c', 'w',
         CASE WHEN ${u('j', 52)} < 0.4 THEN ARRAY(SELECT DISTINCT greatest(1, reached - ${pick('j * 4 + g', 53, 3000)})
           FROM generate_series(1, 1 + ${pick('j', 54, 3)}) g) END,
         CASE WHEN ${u('j', 55)} < 0.15 THEN least(200, 1 + ${pick('j', 56, 'greatest(1, days / 2)')}) END,
         'low', (ARRAY['clarify', 'simplify', 'remove_ambiguity', 'improve_alignment', 'workflow_change'])
           [1 + ${pick('j', 57, 5)}]::"Improvement",
         (CASE WHEN days > 380 AND ${u('j', 58)} < 0.6
             THEN (ARRAY['draft', 'submitted', 'in_review', 'changes_requested'])[1 + ${pick('j', 59, 4)}]
           WHEN ${u('j', 60)} < 0.62 THEN 'released' WHEN ${u('j', 60)} < 0.72 THEN 'rejected'
           WHEN ${u('j', 60)} < 0.77 THEN 'withdrawn' WHEN ${u('j', 60)} < 0.85 THEN 'approved'
           ELSE (ARRAY['submitted', 'in_review', 'changes_requested'])[1 + ${pick('j', 59, 3)}] END)::"ChangeStatus",
         1 + ${pick('j', 61, 280)}, 'bench-cr-' || j, created_at, created_at
       FROM (
         SELECT j, ${start} + (j - 1) * interval '1 day' * 400 / ${VOLUME.changes} AS created_at,
           ((j - 1) * 400 / ${VOLUME.changes})::int AS days,
           greatest(1, ((j - 1)::bigint * ${VOLUME.reports} / ${VOLUME.changes})::int) AS reached
         FROM generate_series(1, ${VOLUME.changes}) j
       ) c`,
    ],
    [
      'breach drafts',
      // One change request per breached audit, drafted when it was recorded.
      `INSERT INTO change_request (number, kind, sop_key, title, change, why, risk, improvement, status, origin,
         submission_key, created_at, updated_at)
       SELECT ${VOLUME.changes} + row_number() OVER (ORDER BY run.id), 'standard', pl.sop_key, 'Audit breach', 'c', 'w',
         'low', 'clarify',
         (CASE WHEN ${u('run.id', 70)} < 0.3 THEN 'draft' WHEN ${u('run.id', 70)} < 0.5 THEN 'approved'
           WHEN ${u('run.id', 70)} < 0.75 THEN 'released' WHEN ${u('run.id', 70)} < 0.9 THEN 'rejected'
           ELSE 'withdrawn' END)::"ChangeStatus",
         'audit AUD-' || pl.number, 'bench-cr-audit-' || run.id, run.recorded_at, run.recorded_at
       FROM audit_run run JOIN audit_plan pl ON pl.number = run.plan_number WHERE run.breach`,
    ],
    [
      'breach links',
      `UPDATE audit_run run SET change_number = d.number
       FROM (SELECT id, ${VOLUME.changes} + row_number() OVER (ORDER BY id) AS number FROM audit_run WHERE breach) d
       WHERE d.id = run.id`,
    ],
    [
      'releases',
      // 20 versions of each of 100 standards, one every 20 days, to 1–8 teams.
      `INSERT INTO sop_release (id, sop_key, major, minor, notes, changes, team_ids, published_by_person_id,
         published_at, delivered, submission_key)
       SELECT k, ${std('1 + (k - 1) % 100')}, 1 + (k - 1) / 100 / 5, (k - 1) / 100 % 5, 'n', '{}',
         ARRAY(SELECT DISTINCT 1 + ${pick('k * 10 + g', 80, 50)} FROM generate_series(1, 1 + ${pick('k', 81, 8)}) g
           ORDER BY 1),
         281 + k % 10,
         ${start} + ((k - 1) / 100 * 20 + (k - 1) % 100 % 19) * interval '1 day'
           + ${pick('k', 82, 600)} * interval '1 minute',
         true, 'bench-rel-' || k
       FROM generate_series(1, ${VOLUME.releases}) k`,
    ],
    [
      'released changes',
      // A released change went out in its standard's first release at least 3 days after it; none yet: approved.
      `WITH chosen AS (
         SELECT c.number, (SELECT r.id FROM sop_release r WHERE r.sop_key = c.sop_key
           AND r.published_at > c.created_at + interval '3 days' ORDER BY r.published_at LIMIT 1) AS release_id
         FROM change_request c WHERE c.status = 'released'
       )
       UPDATE change_request c SET release_id = chosen.release_id,
         status = CASE WHEN chosen.release_id IS NULL THEN 'approved'::"ChangeStatus" ELSE c.status END
       FROM chosen WHERE chosen.number = c.number`,
    ],
    [
      'release contents',
      `UPDATE sop_release r SET changes = x.changes
       FROM (SELECT release_id, array_agg(number ORDER BY number) AS changes FROM change_request
         WHERE release_id IS NOT NULL GROUP BY release_id) x
       WHERE x.release_id = r.id`,
    ],
    [
      'acknowledgements',
      // 80% of target teams press Deployed, most within days (the square skews early), up to 30 days.
      `INSERT INTO release_ack (release_id, team_id, person_id, at)
       SELECT a.id, a.team_id, m.person_id, a.at FROM (
         SELECT r.id, t.team_id, r.published_at + ${u('r.id * 64 + t.team_id', 91)} ^ 2 * interval '30 days' AS at,
           ${u('r.id * 64 + t.team_id', 90)} AS draw
         FROM sop_release r CROSS JOIN LATERAL unnest(r.team_ids) AS t(team_id)
       ) a JOIN team_member m ON m.team_id = a.team_id AND m.is_manager
       WHERE a.draw < 0.8 AND a.at <= ${T0}`,
    ],
    [
      'audited teams',
      // A recorded run audits one of the teams its standard's latest release went to, against the version that team
      // had deployed then (runs of teams that had deployed none keep no team, as an owner in no single team does).
      `UPDATE audit_run run SET team_id = x.team_id, sop_major = x.major, sop_minor = x.minor
       FROM (
         SELECT run.id, t.team_id, v.major, v.minor
         FROM audit_run run JOIN audit_plan pl ON pl.number = run.plan_number
           CROSS JOIN LATERAL (SELECT r.team_ids FROM sop_release r
             WHERE r.sop_key = pl.sop_key AND r.published_at < run.recorded_at
             ORDER BY r.published_at DESC LIMIT 1) cur
           CROSS JOIN LATERAL (SELECT cur.team_ids[1 + ${pick('run.id', 120, 'cardinality(cur.team_ids)')}] AS team_id) t
           CROSS JOIN LATERAL (SELECT r.major, r.minor FROM release_ack a JOIN sop_release r ON r.id = a.release_id
             WHERE r.sop_key = pl.sop_key AND a.team_id = t.team_id AND a.at < run.recorded_at
             ORDER BY r.major DESC, r.minor DESC LIMIT 1) v
         WHERE run.recorded_at IS NOT NULL
       ) x
       WHERE x.id = run.id`,
    ],
    [
      'change and release events',
      `INSERT INTO event (at, actor_person_id, subject, action, from_state, to_state)
       SELECT created_at, requester_person_id, 'CR-' || number, 'change.submitted', NULL, 'submitted'
       FROM change_request WHERE origin IS NULL
       UNION ALL
       SELECT CASE WHEN r.id IS NULL
             THEN least(${T0} - interval '1 hour', c.created_at + 10 * ${u('c.number', 92)} * interval '1 day')
           ELSE c.created_at + (r.published_at - c.created_at) * (0.3 + 0.6 * ${u('c.number', 92)}) END,
         281 + c.number % 10, 'CR-' || c.number, 'change.approved', 'in_review', 'approved'
       FROM change_request c LEFT JOIN sop_release r ON r.id = c.release_id
       WHERE c.status IN ('approved', 'released')
       UNION ALL
       SELECT published_at, published_by_person_id, 'SOP-' || sop_key, 'sop.released', NULL, NULL FROM sop_release
       UNION ALL
       SELECT a.at, a.person_id, 'SOP-' || r.sop_key, 'release.deployed', NULL, NULL
       FROM release_ack a JOIN sop_release r ON r.id = a.release_id`,
    ],
    [
      'trainings',
      // Every tenth for the CoE and executive layers (no team), the others for 1–4 teams; due 30 days on.
      `INSERT INTO training (number, title, material, sop_key, team_ids, layers, due_on, created_by_person_id,
         submission_key, created_at, cancelled_at)
       SELECT n, 'Training ' || n, 'm', ${std(`1 + ${pick('n', 100, 100)}`)},
         CASE WHEN n % 10 = 0 THEN '{}'::int[] ELSE ARRAY(SELECT DISTINCT 1 + ${pick('n * 8 + g', 101, 50)}
           FROM generate_series(1, 1 + ${pick('n', 102, 4)}) g ORDER BY 1) END,
         CASE WHEN n % 10 = 0 THEN ARRAY['coe', 'executive']::"Layer"[] END,
         (${start} + n * interval '2.6 days' + interval '30 days')::date, 281, 'bench-tr-' || n,
         ${start} + n * interval '2.6 days',
         CASE WHEN ${u('n', 103)} < 0.05 THEN ${start} + n * interval '2.6 days' + interval '5 days' END
       FROM generate_series(1, 150) n`,
    ],
    [
      'training assignments',
      // 75% done by the due date, 10% late, the rest not (yet).
      `INSERT INTO training_assignment (training_number, person_id, team_id, completed_at)
       SELECT number, person_id, team_id,
         CASE WHEN draw < 0.75 THEN least(${T0} - interval '1 hour',
             created_at + (due_on::timestamptz - created_at) * ${u('number * 400 + person_id', 111)})
           WHEN draw < 0.85 AND due_on + interval '5 days' < ${T0} THEN due_on + interval '5 days' END
       FROM (
         SELECT tr.number, tr.created_at, tr.due_on, m.person_id, m.team_id,
           ${u('tr.number * 400 + m.person_id', 110)} AS draw
         FROM training tr JOIN team_member m ON m.team_id = ANY (tr.team_ids)
         UNION ALL
         SELECT tr.number, tr.created_at, tr.due_on, p.id, NULL, ${u('tr.number * 400 + p.id', 110)}
         FROM training tr JOIN person p ON p.layer::text = ANY (tr.layers::text[])
       ) a`,
    ],
    [
      'recurring patterns',
      `INSERT INTO recurring_pattern (tool_key, tool, reports, alerted_at)
       SELECT 'tool ' || (1 + n % 30), 'Tool ' || (1 + n % 30), ARRAY[n * 2000, n * 2000 + 1, n * 2000 + 2],
         ${start} + n * interval '9.5 days'
       FROM generate_series(1, 40) n`,
    ],
    ...(
      [
        ['person', 'id'],
        ['team', 'id'],
        ['friction_report', 'number'],
        ['change_request', 'number'],
        ['sop_release', 'id'],
        ['executive_constraint', 'number'],
        ['audit_plan', 'number'],
        ['training', 'number'],
      ] as const
    ).map(([table, column]): [string, string] => [
      `${table} sequence`,
      `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), (SELECT max(${column}) FROM ${table}))`,
    ]),
  ];
}

/** Writes the history; returns the rows per table. */
export async function seedMetricsVolume(
  db: Database,
  now: Date,
  progress: (what: string) => void,
): Promise<Record<string, number>> {
  for (const [what, sql] of statements(now)) {
    progress(what);
    if (sql.trimStart().startsWith('SELECT')) await db.prisma.$queryRawUnsafe(sql);
    else await db.prisma.$executeRawUnsafe(sql);
  }
  const tables = [
    'team',
    'person',
    'friction_report',
    'event',
    'change_request',
    'sop_release',
    'release_ack',
    'executive_constraint',
    'audit_run',
    'training',
    'training_assignment',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = row?.n ?? 0;
  }
  return counts;
}
