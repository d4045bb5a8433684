/**
 * Executive direction (seed §5: "Executives determine direction, priorities, constraints, outcomes"): priorities,
 * constraints and outcome targets, each with an optional end date. Change requests say which one they serve, so
 * alignment with executive constraints can be measured (§9).
 */
export const CONSTRAINT_KINDS = ['priority', 'constraint', 'target'] as const;
export type ConstraintKind = (typeof CONSTRAINT_KINDS)[number];
export const CONSTRAINT_KIND_LABELS: Record<ConstraintKind, string> = {
  priority: 'Priority',
  constraint: 'Constraint',
  target: 'Outcome target',
};

export const CONSTRAINT_TEXT_MAX = 300;

export interface ConstraintInput {
  kind: ConstraintKind;
  text: string;
  /** The last day it applies; open-ended when absent. */
  until?: string;
}

export interface ExecutiveConstraint extends Omit<ConstraintInput, 'until'> {
  number: number;
  until: Date | null;
  createdAt: Date;
  /** Ended early (`constraint end EX-2`): no longer active, whatever `until` says. */
  endedAt: Date | null;
}

/** Active on `now`: not ended early, and no end date or an end date (the whole day) not passed yet. */
export function isActive(constraint: { until: Date | null; endedAt?: Date | null }, now: Date): boolean {
  if (constraint.endedAt) return false;
  return constraint.until === null || constraint.until.getTime() + 24 * 3600 * 1000 > now.getTime();
}

/**
 * `priority Improve quality`, `target Reduce cycle time by 15% until 2027-06-30`, `constraint Stay within the Q3
 * budget`. Returns what is wrong in words when it is not that.
 */
export function parseConstraint(words: readonly string[], today: Date): ConstraintInput | { problem: string } {
  const [first = '', ...rest] = words;
  const kind = first.toLowerCase().replace(/s$/, '');
  const alias: Record<string, ConstraintKind> = {
    priority: 'priority',
    constraint: 'constraint',
    target: 'target',
    outcome: 'target',
  };
  const known = alias[kind];
  if (!known) return { problem: 'Say what it is first: priority, constraint or target.' };
  let tail = rest;
  let until: string | undefined;
  const untilAt = tail.findIndex((w) => w.toLowerCase() === 'until');
  if (untilAt >= 0) {
    until = tail[untilAt + 1];
    if (!until || tail.length !== untilAt + 2 || !isDate(until)) {
      return { problem: 'Give the end date as YYYY-MM-DD, last, like "until 2027-06-30".' };
    }
    if (new Date(`${until}T00:00:00Z`).getTime() + 24 * 3600 * 1000 <= today.getTime()) {
      return { problem: `${until} has passed already.` };
    }
    tail = tail.slice(0, untilAt);
  }
  const text = tail.join(' ').trim();
  if (!text) return { problem: `Say what the ${CONSTRAINT_KIND_LABELS[known].toLowerCase()} is.` };
  if (text.length > CONSTRAINT_TEXT_MAX) return { problem: `Keep it under ${CONSTRAINT_TEXT_MAX} characters.` };
  return { kind: known, text, ...(until ? { until } : {}) };
}

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
