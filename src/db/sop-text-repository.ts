/**
 * The Prisma repository of what each version of a standard says (`sop_text`): read, and written once per version.
 * Nothing here updates a row: a version's text stays as it was written (seed §8).
 */
import type { ClarityRule } from '../domain/clarity.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { SopTextRepository } from '../ports.ts';

type Tx = Prisma.TransactionClient;

export function sopTextRepository(tx: Tx): SopTextRepository {
  return {
    async get(sopKey, { major, minor }) {
      const row = await tx.sopText.findUnique({ where: { sopKey_major_minor: { sopKey, major, minor } } });
      if (!row) return undefined;
      const { clarityFindings, clarityRules, ...text } = row;
      const clarity =
        clarityFindings === null ? null : { findings: clarityFindings, rules: clarityRules as ClarityRule[] };
      return { ...text, clarity };
    },
    async add(text) {
      const clarity = text.clarity ?? null;
      const inserted = await tx.$executeRaw`
        INSERT INTO sop_text (sop_key, major, minor, text, link, created_by_person_id, clarity_findings, clarity_rules)
        VALUES (${text.sopKey}, ${text.major}, ${text.minor}, ${text.text}, ${text.link}, ${text.createdByPersonId},
          ${clarity?.findings ?? null}::int, ${clarity?.rules ?? []}::text[])
        ON CONFLICT DO NOTHING`;
      return inserted > 0;
    },
  };
}
