/**
 * The Prisma repository of what each version of a standard says (`sop_text`): read, and written once per version.
 * Nothing here updates a row: a version's text stays as it was written (seed §8).
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { SopTextRepository } from '../ports.ts';

type Tx = Prisma.TransactionClient;

export function sopTextRepository(tx: Tx): SopTextRepository {
  return {
    async get(sopKey, { major, minor }) {
      return (await tx.sopText.findUnique({ where: { sopKey_major_minor: { sopKey, major, minor } } })) ?? undefined;
    },
    async add(text) {
      const inserted = await tx.$executeRaw`
        INSERT INTO sop_text (sop_key, major, minor, text, link, created_by_person_id)
        VALUES (${text.sopKey}, ${text.major}, ${text.minor}, ${text.text}, ${text.link}, ${text.createdByPersonId})
        ON CONFLICT DO NOTHING`;
      return inserted > 0;
    },
  };
}
