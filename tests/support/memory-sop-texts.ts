/**
 * The in-memory repository of what each version of a standard says, for `MemoryStore` (memory.ts): it mirrors
 * `sopTextRepository` of src/db/sop-text-repository.ts over the store's table of texts.
 */
import type { Clock, Sop, SopText, SopTextRepository } from '../../src/ports.ts';

export function sopTextRepository(rows: SopText[], sops: Map<string, Sop>, clock: Clock): SopTextRepository {
  return {
    async get(sopKey, { major, minor }) {
      const row = rows.find((r) => r.sopKey === sopKey && r.major === major && r.minor === minor);
      return row && structuredClone(row);
    },
    async add(text) {
      if (!sops.has(text.sopKey)) throw new Error(`Foreign key constraint violated: no SOP ${text.sopKey}`);
      if (rows.some((r) => r.sopKey === text.sopKey && r.major === text.major && r.minor === text.minor)) return false;
      rows.push({ ...structuredClone(text), clarity: structuredClone(text.clarity ?? null), createdAt: clock.now() });
      return true;
    },
  };
}
