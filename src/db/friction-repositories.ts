/**
 * The Prisma repositories of friction intake: reports (one at a time, or a group of submissions in a few statements)
 * and the recurring-pattern alerts they raise. Each works inside the caller's transaction.
 */
import type { Frequency, Impact } from '../domain/friction.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { FrictionReport, FrictionRepository, NewFrictionReport, RecurringPatternRepository } from '../ports.ts';

type Tx = Prisma.TransactionClient;

type FrictionRow = Awaited<ReturnType<Tx['frictionReport']['findUniqueOrThrow']>>;

function toReport(row: FrictionRow): FrictionReport {
  const { submissionKey: _key, updatedAt: _updated, frequency, impact, ...rest } = row;
  return { ...rest, frequency: frequency as Frequency, impact: impact as Impact };
}

export function frictionRepository(tx: Tx): FrictionRepository {
  const OPEN = ['new', 'triaged', 'analysing'] as const;
  return {
    async create(report) {
      return toReport(await tx.frictionReport.create({ data: report }));
    },
    async createMany(reports) {
      if (reports.length === 0) return [];
      const column = <K extends keyof NewFrictionReport>(key: K) => reports.map((r) => r[key]);
      // One statement with one array per column (not one parameter per cell): numbered in the order given.
      const rows = await tx.$queryRaw<{ number: number; submission_key: string; created_at: Date }[]>`
        INSERT INTO friction_report (kind, title, description, team, tool, tool_key, frequency, impact, related_sop,
                                     source_link, reporter_person_id, submission_key, claim_token, status_changed_at)
        SELECT kind::"FrictionKind", title, description, team, tool, tool_key, frequency, impact, related_sop,
               source_link, reporter_person_id, submission_key, claim_token, status_changed_at
        FROM unnest(${column('kind')}::text[], ${column('title')}::text[], ${column('description')}::text[],
                    ${column('team')}::text[], ${column('tool')}::text[], ${column('toolKey')}::text[],
                    ${column('frequency')}::text[], ${column('impact')}::text[], ${column('relatedSop')}::text[],
                    ${column('sourceLink')}::text[], ${column('reporterPersonId')}::int[],
                    ${column('submissionKey')}::text[], ${column('claimToken')}::text[],
                    ${reports.map((r) => r.statusChangedAt.toISOString())}::timestamptz[])
          WITH ORDINALITY AS r(kind, title, description, team, tool, tool_key, frequency, impact, related_sop,
                               source_link, reporter_person_id, submission_key, claim_token, status_changed_at, n)
        ORDER BY n
        RETURNING number, submission_key, created_at`;
      const stored = new Map(rows.map((row) => [row.submission_key, row]));
      return reports.map(({ submissionKey, ...report }) => {
        const row = stored.get(submissionKey);
        if (!row) throw new Error(`friction report ${submissionKey} was not stored`);
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
    async bySubmissionKeys(keys) {
      const rows = await tx.frictionReport.findMany({ where: { submissionKey: { in: [...keys] } } });
      return new Map(rows.map((row) => [row.submissionKey, toReport(row)]));
    },
    async update(number, changes) {
      return toReport(
        await tx.frictionReport.update({ where: { number }, data: { ...changes, version: { increment: 1 } } }),
      );
    },
    async open(options = {}) {
      const rows = await tx.frictionReport.findMany({
        where: { status: { in: [...OPEN] }, ...(options.except ? { number: { not: options.except } } : {}) },
        orderBy: { number: 'asc' },
        ...(options.limit ? { take: options.limit } : {}),
      });
      return rows.map(toReport);
    },
    async openSummaries(limit) {
      return tx.frictionReport.findMany({
        where: { status: { in: [...OPEN] } },
        orderBy: { number: 'asc' },
        take: limit,
        select: { number: true, title: true, tool: true, plusOnes: true },
      });
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

export function patternRepository(tx: Tx): RecurringPatternRepository {
  return {
    async due(toolKeys, since, threshold) {
      const keys = [...new Set(toolKeys)].sort();
      if (keys.length === 0) return new Map();
      // One lock per tool, taken in a fixed order so two groups of reports never wait on each other in a circle.
      await tx.$executeRaw`
        SELECT pg_advisory_xact_lock(hashtext(k))
        FROM (SELECT k FROM unnest(${keys.map((k) => `pattern:${k}`)}::text[]) AS k ORDER BY k) AS locks`;
      const rows = await tx.$queryRaw<{ tool_key: string; numbers: number[] }[]>`
        SELECT r.tool_key, array_agg(r.number ORDER BY r.number) AS numbers
        FROM friction_report r
        WHERE r.tool_key = ANY(${keys}::text[]) AND r.created_at >= ${since}
          AND NOT EXISTS (
            SELECT 1 FROM recurring_pattern p WHERE p.tool_key = r.tool_key AND p.alerted_at >= ${since})
        GROUP BY r.tool_key
        HAVING count(*) >= ${threshold}`;
      return new Map(rows.map((r) => [r.tool_key, r.numbers]));
    },
    async record(pattern) {
      await tx.recurringPattern.create({ data: pattern });
    },
  };
}
