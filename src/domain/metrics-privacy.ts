/**
 * The minimum group size (DOMAIN.md privacy rules): no team-level figure about fewer than `METRICS_MIN_GROUP` people;
 * such a cell reads "too few to show", and one more is hidden where a total minus the others would give it away.
 * Re-exported by metrics.ts; kept apart so the figures' own modules use it without importing the scorecard.
 */

export const TOO_FEW = 'too few to show';
/** The default and the floor of `METRICS_MIN_GROUP`. */
export const MIN_GROUP_DEFAULT = 5;
export const MIN_GROUP_FLOOR = 3;

/** A cell of a breakdown: what it says, and how many people it describes. */
export interface Cell<T> {
  value: T;
  people: number;
  /** Hidden already, whatever its size (its team is too small to show anything). */
  hidden?: boolean;
}

/**
 * Which cells may be shown: none describing fewer than `minGroup` people; and where the total is shown too, enough
 * more (the smallest first) that the hidden ones together describe at least `minGroup` people and are never one alone.
 */
export function shownCells<T>(cells: readonly Cell<T>[], minGroup: number, totalShown: boolean): boolean[] {
  const shown = cells.map((c) => !c.hidden && c.people >= minGroup);
  if (!totalShown) return shown;
  const hiddenPeople = () => cells.reduce((n, c, i) => n + (shown[i] ? 0 : c.people), 0);
  const hiddenCount = () => shown.filter((s) => !s).length;
  while (hiddenCount() > 0 && (hiddenCount() === 1 || hiddenPeople() < minGroup)) {
    let smallest = -1;
    for (let i = 0; i < cells.length; i++) {
      if (shown[i] && (smallest < 0 || (cells[i] as Cell<T>).people < (cells[smallest] as Cell<T>).people))
        smallest = i;
    }
    if (smallest < 0) break;
    shown[smallest] = false;
  }
  return shown;
}
