/**
 * How often something is nudged about (seed §9 "reduction in blockers", with Dispatch's and Monzo Response's habits):
 * once a day at first, then weekly, never twice a day, and not while snoozed. Pure.
 */
import { daysBetween } from './calendar.ts';

export interface NudgeState {
  count: number;
  /** Local date of the last nudge. */
  lastOn: string | null;
  snoozedUntil: Date | null;
}

export interface NudgePolicy {
  /** Nudges sent a day apart before they slow down. */
  daily: number;
  /** Then one every this many days. */
  thenEveryDays: number;
}

export const STALE_POLICY: NudgePolicy = { daily: 3, thenEveryDays: 7 };

/** How long "Snooze" keeps a stale report quiet. */
export const STALE_SNOOZE_MS = 7 * 24 * 3600 * 1000;

export function nudgeDue(state: NudgeState | undefined, today: string, now: Date, policy: NudgePolicy): boolean {
  if (!state) return true;
  if (state.snoozedUntil && state.snoozedUntil > now) return false;
  if (state.lastOn === today) return false;
  if (state.count < policy.daily || state.lastOn === null) return true;
  return daysBetween(state.lastOn, today) >= policy.thenEveryDays;
}

/** Friction reports that wait too long: untriaged past `triageDays` working days, or no progress past `progressDays`. */
export interface StaleSettings {
  triageDays: number;
  progressDays: number;
}
