/**
 * The Prisma repository of friction reports: stored one at a time or many in one statement, read, updated and
 * supported. Works inside the caller's transaction (a group of submissions: friction-intake-repository.ts).
 */
import { type Frequency, type Impact, OPEN_STATUSES } from '../domain/friction.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { type FrictionReport, type FrictionRepository, freshReport, type NewFrictionReport } from '../ports.ts';

type Tx = Prisma.TransactionClient;

type FrictionRow = Awaited<ReturnType<Tx['frictionReport']['findUniqueOrThrow']>>;

export function toReport(row: FrictionRow): FrictionReport {
  const { submissionKey: _key, titleWords: _words, updatedAt: _updated, frequency, impact, ...rest } = row;
  return { ...rest, frequency: frequency as Frequency, impact: impact as Impact };
}

interface InsertedRow {
  number: number;
  submission_key: string;
  created_at: Date;
}

/**
 * One INSERT with one array per column (not one parameter per cell), numbered in the order given, or with the numbers
 * given (drawn from the table's sequence beforehand).
 */
export function insertReports(
  reports: readonly (NewFrictionReport & { number?: number })[],
  onConflict: Prisma.Sql,
): Prisma.Sql {
  const column = <K extends keyof NewFrictionReport>(key: K) => reports.map((r) => r[key]);
  const numbered = reports.length > 0 && reports.every((r) => r.number !== undefined);
  return Prisma.sql`
    INSERT INTO friction_report (${numbered ? Prisma.sql`number, ` : Prisma.empty}kind, title, description, team, tool,
                                 tool_key, frequency, impact, related_sop, source_link, reporter_person_id,
                                 submission_key, claim_token, status_changed_at, title_words)
    SELECT ${numbered ? Prisma.sql`number, ` : Prisma.empty}kind::"FrictionKind", title, description, team, tool,
           tool_key, frequency, impact, related_sop, source_link, reporter_person_id, submission_key, claim_token,
           status_changed_at,
           -- One text[] per report, passed as its JSON: Postgres has no arrays of arrays of different lengths.
           ARRAY(SELECT jsonb_array_elements_text(title_words::jsonb))
    FROM unnest(${column('kind')}::text[], ${column('title')}::text[], ${column('description')}::text[],
                ${column('team')}::text[], ${column('tool')}::text[], ${column('toolKey')}::text[],
                ${column('frequency')}::text[], ${column('impact')}::text[], ${column('relatedSop')}::text[],
                ${column('sourceLink')}::text[], ${column('reporterPersonId')}::int[],
                ${column('submissionKey')}::text[], ${column('claimToken')}::text[],
                ${reports.map((r) => r.statusChangedAt.toISOString())}::timestamptz[],
                ${reports.map((r) => JSON.stringify(r.titleWords))}::text[],
                ${reports.map((r) => r.number ?? null)}::int[])
      WITH ORDINALITY AS r(kind, title, description, team, tool, tool_key, frequency, impact, related_sop,
                           source_link, reporter_person_id, submission_key, claim_token, status_changed_at,
                           title_words, number, n)
    ORDER BY n
    ${onConflict}
    RETURNING number, submission_key, created_at, reporter_person_id`;
}

/**
 * The open reports, written as the predicate of `friction_report_open_number_idx` (the planner uses a partial index
 * only for a query that states its condition): constants, not a parameter.
 */
export const IS_OPEN = Prisma.raw(`status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`);

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
        return freshReport({ ...report, number: row.number }, row.created_at);
      });
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
