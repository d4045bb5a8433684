/**
 * The port of executive direction: priorities, constraints and outcome targets (EX-n). Kept apart from `../ports.ts`
 * (which re-exports it) so that file does not grow past reading in one go.
 */
import type { ConstraintKind, ExecutiveConstraint } from '../domain/constraint.ts';

export interface ConstraintRepository {
  create(constraint: {
    kind: ConstraintKind;
    text: string;
    until: Date | null;
    createdByPersonId: number;
  }): Promise<ExecutiveConstraint>;
  get(number: number): Promise<ExecutiveConstraint | undefined>;
  /** Every constraint, newest first. */
  list(): Promise<ExecutiveConstraint[]>;
  /** Ends one early; false when it had ended already (or does not exist). */
  end(number: number, at: Date): Promise<boolean>;
}
