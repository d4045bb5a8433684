/**
 * The in-memory repository of the texts change requests propose, for `MemoryStore` (memory.ts): it mirrors
 * `changeTextRepository` of src/db/change-text-repository.ts over the store's table of proposed texts.
 */
import type { ChangeText, ChangeTextRepository, Clock } from '../../src/ports.ts';

export function changeTextRepository(
  rows: ChangeText[],
  changes: ReadonlyMap<number, unknown>,
  clock: Clock,
): ChangeTextRepository {
  return {
    async get(changeNumber) {
      const row = rows.find((r) => r.changeNumber === changeNumber);
      return row && structuredClone(row);
    },
    async many(changeNumbers) {
      return rows
        .filter((r) => changeNumbers.includes(r.changeNumber))
        .sort((a, b) => a.changeNumber - b.changeNumber)
        .map((r) => structuredClone(r));
    },
    async put(changeNumber, text, base) {
      if (!changes.has(changeNumber)) throw new Error(`Foreign key constraint violated: no CR-${changeNumber}`);
      const at = rows.findIndex((r) => r.changeNumber === changeNumber);
      if (text === null) {
        if (at >= 0) rows.splice(at, 1);
        return;
      }
      const row: ChangeText = { changeNumber, text, base: base && { ...base }, updatedAt: clock.now() };
      if (at >= 0) rows[at] = row;
      else rows.push(row);
    },
  };
}
