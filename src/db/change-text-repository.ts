/**
 * The Prisma repository of the texts change requests propose (`change_text`): one row per request that proposes a
 * text, replaced by a revision. A version's text is elsewhere (`sop_text`) and never rewritten.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { ChangeText, ChangeTextRepository } from '../ports.ts';

type Tx = Prisma.TransactionClient;

type Row = { changeNumber: number; text: string; baseMajor: number | null; baseMinor: number | null; updatedAt: Date };

const toChangeText = (row: Row): ChangeText => ({
  changeNumber: row.changeNumber,
  text: row.text,
  base: row.baseMajor === null || row.baseMinor === null ? null : { major: row.baseMajor, minor: row.baseMinor },
  updatedAt: row.updatedAt,
});

export function changeTextRepository(tx: Tx): ChangeTextRepository {
  return {
    async get(changeNumber) {
      const row = await tx.changeText.findUnique({ where: { changeNumber } });
      return row ? toChangeText(row) : undefined;
    },
    async many(changeNumbers) {
      if (changeNumbers.length === 0) return [];
      const rows = await tx.changeText.findMany({
        where: { changeNumber: { in: [...changeNumbers] } },
        orderBy: { changeNumber: 'asc' },
      });
      return rows.map(toChangeText);
    },
    async put(changeNumber, text, base) {
      if (text === null) {
        await tx.changeText.deleteMany({ where: { changeNumber } });
        return;
      }
      const columns = { text, baseMajor: base?.major ?? null, baseMinor: base?.minor ?? null, updatedAt: new Date() };
      await tx.changeText.upsert({ where: { changeNumber }, create: { changeNumber, ...columns }, update: columns });
    },
  };
}
