/**
 * The in-memory repository of executive direction (EX-n), for `MemoryStore` (memory.ts): it mirrors
 * `constraintRepository` of src/db/change-repositories.ts over the store's table of constraints.
 */
import type { ExecutiveConstraint } from '../../src/domain/constraint.ts';
import type { Clock, ConstraintRepository } from '../../src/ports.ts';

export interface StoredConstraint extends ExecutiveConstraint {
  createdByPersonId: number;
}

export function constraintRepository(
  rows: StoredConstraint[],
  seq: { constraint: number },
  clock: Clock,
): ConstraintRepository {
  const shape = ({ createdByPersonId: _by, ...c }: StoredConstraint): ExecutiveConstraint => structuredClone(c);
  return {
    async create(constraint) {
      const row: StoredConstraint = { ...constraint, number: seq.constraint++, createdAt: clock.now(), endedAt: null };
      rows.push(row);
      return shape(row);
    },
    async get(number) {
      const row = rows.find((c) => c.number === number);
      return row && shape(row);
    },
    async list() {
      return [...rows].sort((a, b) => b.number - a.number).map(shape);
    },
    async end(number, at) {
      const row = rows.find((c) => c.number === number);
      if (!row || row.endedAt) return false;
      row.endedAt = at;
      return true;
    },
  };
}
