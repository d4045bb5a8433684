/**
 * The Prisma repository of friction intake: a group of submissions read in one statement and written in one, whatever
 * the group's size. The report numbers are drawn in the read, so the review messages that name them are built before
 * the write and go in with the reports. Works inside the caller's transaction.
 */
import { FRICTION_ID_PREFIX } from '../domain/friction.ts';
import type { KnownIdentity } from '../domain/people.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { FrictionIntakeRepository, FrictionReport, IntakeSurvey, OpenReportSummary } from '../ports.ts';
import { IS_OPEN, insertReports, toReport } from './friction-repositories.ts';
import { insertPosts } from './outbox-insert.ts';
import { knownIdentities } from './people-repositories.ts';

type Tx = Prisma.TransactionClient;

type SummaryTuple = [number, string, string, number, string, string[]];

interface SurveyRow {
  drawn: number[] | null;
  earlier: [string, number][] | null;
  open: SummaryTuple[] | null;
  recent: [string, number[]][] | null;
  known: KnownIdentity[] | null;
}

/**
 * `locks`: take a lock per tool before reading its recent reports, so that two processes storing reports about one
 * tool at once raise one alert, not two. Not needed where transactions run one after another on one session.
 */
export function intakeRepository(tx: Tx, { locks }: { locks: boolean }): FrictionIntakeRepository {
  return {
    async survey({ keys, scan, near, patterns: { toolKeys, since }, people }) {
      const tools = [...new Set(toolKeys)].sort();
      // One lock per tool, taken in a fixed order so two groups never wait on each other in a circle; in a statement
      // of its own, so that the read below sees whatever the lock's last holder committed.
      if (locks && tools.length > 0) {
        await tx.$executeRaw`
          SELECT pg_advisory_xact_lock(hashtext(k))
          FROM (SELECT k FROM unnest(${tools.map((k) => `pattern:${k}`)}::text[]) AS k ORDER BY k) AS locks`;
      }
      // Each answer comes as one JSON value, not a row each: a few hundred rows cost more to pass through the driver
      // and Prisma than to find. A tool alerted within the window is passed over before its reports are read. The
      // reporters the bot knows come with it: one round trip less for every group.
      const [row] = await tx.$queryRaw<SurveyRow[]>`
        WITH earlier AS MATERIALIZED (
               SELECT number, submission_key FROM friction_report WHERE submission_key = ANY(${keys}::text[])),
             drawn AS MATERIALIZED (
               SELECT nextval(pg_get_serial_sequence('friction_report', 'number'))::int AS number
               FROM unnest(${keys}::text[]) AS k(key)
               WHERE k.key NOT IN (SELECT submission_key FROM earlier))
        SELECT
          (SELECT json_agg(number) FROM drawn) AS drawn,
          (SELECT json_agg(json_build_array(submission_key, number)) FROM earlier) AS earlier,
          (SELECT json_agg(json_build_array(number, title, tool, plus_ones, tool_key, title_words) ORDER BY number)
           FROM (SELECT number, title, tool, plus_ones, tool_key, title_words FROM friction_report
                 WHERE ${IS_OPEN} ORDER BY number LIMIT ${scan}) AS oldest
           WHERE tool_key = ANY(${[...near.toolKeys]}::text[]) OR title_words && ${[...near.words]}::text[]
              OR cardinality(title_words) = 0) AS open,
          (SELECT json_agg(json_build_array(k.tool_key, coalesce(recent.numbers, '{}')))
           FROM unnest(${tools}::text[]) AS k(tool_key)
           CROSS JOIN LATERAL (
             SELECT array_agg(r.number ORDER BY r.number) AS numbers FROM friction_report r
             WHERE r.tool_key = k.tool_key AND r.created_at >= ${since}) AS recent
           WHERE NOT EXISTS (
             SELECT 1 FROM recurring_pattern p WHERE p.tool_key = k.tool_key AND p.alerted_at >= ${since})) AS recent,
          (SELECT json_agg(identities) FROM (${knownIdentities(people)}) AS identities) AS known`;
      const earlier = new Map(row?.earlier ?? []);
      const drawn = [...(row?.drawn ?? [])].sort((a, b) => a - b);
      const numbers = new Map(keys.filter((key) => !earlier.has(key)).map((key, i) => [key, drawn[i] as number]));
      return {
        numbers,
        before: await storedBefore(tx, earlier),
        open: summaries(row?.open),
        recent: new Map(row?.recent),
        known: row?.known ?? [],
      };
    },

    async store({ reports, event, posts, teams, patterns }) {
      if (reports.length === 0 && posts.length === 0 && teams.length === 0 && patterns.length === 0) return new Map();
      const rows = await tx.$queryRaw<{ submission_key: string; created_at: Date }[]>`
        WITH inserted AS (${insertReports(reports, Prisma.sql`ON CONFLICT (submission_key) DO NOTHING`)}),
             recorded AS (
               INSERT INTO event (actor_person_id, subject, action, to_state)
               SELECT reporter_person_id, ${FRICTION_ID_PREFIX} || number, ${event.action}, ${event.to}
               FROM inserted ORDER BY number),
             queued AS (${insertPosts(posts)}),
             moved AS (
               UPDATE person SET last_team = t.team
               FROM unnest(${teams.map((t) => t.personId)}::int[], ${teams.map((t) => t.team)}::text[]) AS t(id, team)
               WHERE person.id = t.id),
             alerted AS (
               INSERT INTO recurring_pattern (tool_key, tool, reports)
               SELECT tool_key, tool, ARRAY(SELECT jsonb_array_elements_text(reports::jsonb)::int)
               FROM unnest(${patterns.map((p) => p.toolKey)}::text[], ${patterns.map((p) => p.tool)}::text[],
                           ${patterns.map((p) => JSON.stringify(p.reports))}::text[]) AS p(tool_key, tool, reports))
        SELECT submission_key, created_at FROM inserted`;
      const stored = new Map(rows.map((r) => [r.submission_key, r.created_at]));
      // Another process stored one of these keys since the survey: the caller's transaction must not commit.
      const missing = reports.find((r) => !stored.has(r.submissionKey));
      if (missing) throw new Error(`friction intake: submission ${missing.submissionKey} was stored meanwhile`);
      return stored;
    },
  };
}

/** A repeated submission is rare (a retry, a double click): only then are the earlier reports read in full. */
async function storedBefore(tx: Tx, earlier: Map<string, number>): Promise<IntakeSurvey['before']> {
  const before = new Map<string, FrictionReport>();
  if (earlier.size === 0) return before;
  const found = await tx.frictionReport.findMany({ where: { number: { in: [...earlier.values()] } } });
  for (const row of found) before.set(row.submissionKey, toReport(row));
  return before;
}

function summaries(tuples: SummaryTuple[] | null | undefined): OpenReportSummary[] {
  return (tuples ?? []).map(([number, title, tool, plusOnes, toolKey, titleWords]) => ({
    number,
    title,
    tool,
    plusOnes,
    toolKey,
    titleWords,
  }));
}
