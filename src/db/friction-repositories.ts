/**
 * The Prisma repositories of friction intake: reports (one at a time, or a group of submissions in a few statements)
 * and the recurring-pattern alerts they raise. Each works inside the caller's transaction.
 */
import { FRICTION_ID_PREFIX, type Frequency, type Impact, OPEN_STATUSES } from '../domain/friction.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { FrictionReport, FrictionRepository, NewFrictionReport, RecurringPatternRepository } from '../ports.ts';

type Tx = Prisma.TransactionClient;

type FrictionRow = Awaited<ReturnType<Tx['frictionReport']['findUniqueOrThrow']>>;

function toReport(row: FrictionRow): FrictionReport {
  const { submissionKey: _key, titleWords: _words, updatedAt: _updated, frequency, impact, ...rest } = row;
  return { ...rest, frequency: frequency as Frequency, impact: impact as Impact };
}

interface InsertedRow {
  number: number;
  submission_key: string;
  created_at: Date;
}

/** One INSERT with one array per column (not one parameter per cell), numbered in the order given. */
function insertReports(reports: readonly NewFrictionReport[], onConflict: Prisma.Sql): Prisma.Sql {
  const column = <K extends keyof NewFrictionReport>(key: K) => reports.map((r) => r[key]);
  return Prisma.sql`
    INSERT INTO friction_report (kind, title, description, team, tool, tool_key, frequency, impact, related_sop,
                                 source_link, reporter_person_id, submission_key, claim_token, status_changed_at,
                                 title_words)
    SELECT kind::"FrictionKind", title, description, team, tool, tool_key, frequency, impact, related_sop,
           source_link, reporter_person_id, submission_key, claim_token, status_changed_at,
           -- One text[] per report, passed as its JSON: Postgres has no arrays of arrays of different lengths.
           ARRAY(SELECT jsonb_array_elements_text(title_words::jsonb))
    FROM unnest(${column('kind')}::text[], ${column('title')}::text[], ${column('description')}::text[],
                ${column('team')}::text[], ${column('tool')}::text[], ${column('toolKey')}::text[],
                ${column('frequency')}::text[], ${column('impact')}::text[], ${column('relatedSop')}::text[],
                ${column('sourceLink')}::text[], ${column('reporterPersonId')}::int[],
                ${column('submissionKey')}::text[], ${column('claimToken')}::text[],
                ${reports.map((r) => r.statusChangedAt.toISOString())}::timestamptz[],
                ${reports.map((r) => JSON.stringify(r.titleWords))}::text[])
      WITH ORDINALITY AS r(kind, title, description, team, tool, tool_key, frequency, impact, related_sop,
                           source_link, reporter_person_id, submission_key, claim_token, status_changed_at,
                           title_words, n)
    ORDER BY n
    ${onConflict}
    RETURNING number, submission_key, created_at, reporter_person_id`;
}

/** A report just stored: what was given, and what the database set. */
function newReport(
  { submissionKey: _key, titleWords: _words, ...report }: NewFrictionReport,
  row: InsertedRow,
): FrictionReport {
  return {
    ...report,
    number: row.number,
    status: 'new',
    ownerPersonId: null,
    rootCause: null,
    declineLane: null,
    declineReason: null,
    declineStandard: null,
    duplicateOf: null,
    plusOnes: 0,
    version: 1,
    createdAt: row.created_at,
  };
}

/**
 * The open reports, written as the predicate of `friction_report_open_number_idx` (the planner uses a partial index
 * only for a query that states its condition): constants, not a parameter.
 */
export const IS_OPEN = Prisma.raw(`status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`);

type SummaryTuple = [number, string, string, number, string, string[]];

export function frictionRepository(tx: Tx): FrictionRepository {
  return {
    async create(report) {
      return toReport(await tx.frictionReport.create({ data: report }));
    },
    async createMany(reports) {
      if (reports.length === 0) return [];
      const rows = await tx.$queryRaw<InsertedRow[]>`${insertReports(reports, Prisma.empty)}`;
      const stored = new Map(rows.map((row) => [row.submission_key, row]));
      return reports.map((report) => {
        const row = stored.get(report.submissionKey);
        if (!row) throw new Error(`friction report ${report.submissionKey} was not stored`);
        return newReport(report, row);
      });
    },
    async createNew(reports, event) {
      if (reports.length === 0) return { created: new Map(), before: new Map() };
      // One statement: the unique index, not a read first, tells a new submission from a repeat. The outer SELECT
      // sees the table as it was before the INSERT, so it finds exactly the reports stored earlier. The new reports'
      // events go in with them: one round trip less for every group of submissions.
      const rows = await tx.$queryRaw<(InsertedRow & { created: boolean })[]>`
        WITH inserted AS (${insertReports(reports, Prisma.sql`ON CONFLICT (submission_key) DO NOTHING`)}),
             recorded AS (
               INSERT INTO event (actor_person_id, subject, action, to_state)
               SELECT reporter_person_id, ${FRICTION_ID_PREFIX} || number, ${event.action}, ${event.to}
               FROM inserted ORDER BY number)
        SELECT number, submission_key, created_at, true AS created FROM inserted
        UNION ALL
        SELECT number, submission_key, created_at, false FROM friction_report
        WHERE submission_key = ANY(${reports.map((r) => r.submissionKey)}::text[])`;
      const made = new Map(rows.filter((row) => row.created).map((row) => [row.submission_key, row]));
      const created = new Map<string, FrictionReport>();
      for (const report of reports) {
        const row = made.get(report.submissionKey);
        if (row) created.set(report.submissionKey, newReport(report, row));
      }
      const earlier = rows.filter((row) => !row.created).map((row) => row.number);
      const before = new Map<string, FrictionReport>();
      // A repeated submission is rare (a retry, a double click): only then is the earlier report read in full.
      if (earlier.length > 0) {
        const found = await tx.frictionReport.findMany({ where: { number: { in: earlier } } });
        for (const row of found) before.set(row.submissionKey, toReport(row));
      }
      return { created, before };
    },
    async get(number) {
      const row = await tx.frictionReport.findUnique({ where: { number } });
      return row ? toReport(row) : undefined;
    },
    async getForUpdate(number) {
      await tx.$executeRaw`SELECT 1 FROM friction_report WHERE number = ${number} FOR UPDATE`;
      const row = await tx.frictionReport.findUnique({ where: { number } });
      return row ? toReport(row) : undefined;
    },
    async bySubmissionKey(key) {
      const row = await tx.frictionReport.findUnique({ where: { submissionKey: key } });
      return row ? toReport(row) : undefined;
    },
    async update(number, changes) {
      return toReport(
        await tx.frictionReport.update({ where: { number }, data: { ...changes, version: { increment: 1 } } }),
      );
    },
    async open(options = {}) {
      const rows = await tx.frictionReport.findMany({
        where: { status: { in: [...OPEN_STATUSES] }, ...(options.except ? { number: { not: options.except } } : {}) },
        orderBy: { number: 'asc' },
        ...(options.limit ? { take: options.limit } : {}),
      });
      return rows.map(toReport);
    },
    async openSummaries(limit, near) {
      // The oldest open reports, then only those sharing a tool or a title word with the new ones (a report stored
      // before its words were kept has none, and is always sent). They come as one JSON value, not a row each: a
      // few hundred rows cost more to pass through the driver and Prisma than to find.
      const [found] = await tx.$queryRaw<{ open: SummaryTuple[] | null }[]>`
        SELECT json_agg(json_build_array(number, title, tool, plus_ones, tool_key, title_words) ORDER BY number) AS open
        FROM (SELECT number, title, tool, plus_ones, tool_key, title_words FROM friction_report
              WHERE ${IS_OPEN} ORDER BY number LIMIT ${limit}) AS oldest
        WHERE tool_key = ANY(${[...near.toolKeys]}::text[]) OR title_words && ${[...near.words]}::text[]
           OR cardinality(title_words) = 0`;
      return (found?.open ?? []).map(([number, title, tool, plusOnes, toolKey, titleWords]) => ({
        number,
        title,
        tool,
        plusOnes,
        toolKey,
        titleWords,
      }));
    },
    async aboutTool(toolKey, since) {
      const rows = await tx.frictionReport.findMany({
        where: { toolKey, createdAt: { gte: since } },
        orderBy: { number: 'asc' },
      });
      return rows.map(toReport);
    },
    async stuck(statuses, before) {
      const rows = await tx.frictionReport.findMany({
        where: { status: { in: [...statuses] }, statusChangedAt: { lt: before } },
        orderBy: { number: 'asc' },
      });
      return rows.map(toReport);
    },
    async byReporter(personId, limit) {
      const rows = await tx.frictionReport.findMany({
        where: { reporterPersonId: personId },
        orderBy: { number: 'desc' },
        take: limit,
      });
      return rows.map(toReport);
    },
    async addSupporter(number, personId) {
      const inserted = await tx.$executeRaw`
        INSERT INTO friction_supporter (report_number, person_id) VALUES (${number}, ${personId})
        ON CONFLICT DO NOTHING`;
      return inserted > 0;
    },
    async supporters(number) {
      const rows = await tx.frictionSupporter.findMany({ where: { reportNumber: number }, orderBy: { at: 'asc' } });
      return rows.map((r) => r.personId);
    },
  };
}

/**
 * `locks`: take a lock per tool before reading whether its pattern is due, so that two replicas storing reports about
 * one tool at once raise one alert, not two. Not needed where transactions run one after another on one session.
 */
export function patternRepository(tx: Tx, { locks }: { locks: boolean }): RecurringPatternRepository {
  return {
    async due(toolKeys, since, threshold) {
      const keys = [...new Set(toolKeys)].sort();
      if (keys.length === 0) return new Map();
      // One lock per tool, taken in a fixed order so two groups of reports never wait on each other in a circle; in a
      // statement of its own, so that the read below sees whatever the lock's last holder committed.
      if (locks) {
        await tx.$executeRaw`
          SELECT pg_advisory_xact_lock(hashtext(k))
          FROM (SELECT k FROM unnest(${keys.map((k) => `pattern:${k}`)}::text[]) AS k ORDER BY k) AS locks`;
      }
      // A tool alerted within the window is passed over before its reports are read: a tool people report every day
      // does not cost a read of all its reports with each new one.
      const rows = await tx.$queryRaw<{ tool_key: string; numbers: number[] }[]>`
        SELECT k.tool_key, recent.numbers
        FROM unnest(${keys}::text[]) AS k(tool_key)
        CROSS JOIN LATERAL (
          SELECT array_agg(r.number ORDER BY r.number) AS numbers
          FROM friction_report r
          WHERE r.tool_key = k.tool_key AND r.created_at >= ${since}) AS recent
        WHERE NOT EXISTS (
            SELECT 1 FROM recurring_pattern p WHERE p.tool_key = k.tool_key AND p.alerted_at >= ${since})
          AND cardinality(recent.numbers) >= ${threshold}`;
      return new Map(rows.map((r) => [r.tool_key, r.numbers]));
    },
    async record(pattern) {
      await tx.recurringPattern.create({ data: pattern });
    },
  };
}
