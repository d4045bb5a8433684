/** How a scorecard figure moved against the previous window (metrics.ts, metrics-clarity.ts). Pure. */

/** Up, down or the same, and whether that is better (undefined: no change). */
export interface Trend {
  direction: 'up' | 'down' | 'same';
  better: boolean | undefined;
}

/** Compared with the previous window, when both have a number. */
export function trendOf(current: number | null, previous: number | null, higherIsBetter: boolean): Trend | undefined {
  if (current === null || previous === null) return undefined;
  const same = Math.abs(current - previous) < 1e-9;
  const direction = same ? 'same' : current > previous ? 'up' : 'down';
  return { direction, better: same ? undefined : (direction === 'up') === higherIsBetter };
}
