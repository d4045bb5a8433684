/**
 * Working days and hours in the organisation's time zone: reminders and nudges go out only then (seed §7 "the CoE
 * does not punish": nobody is chased at night or at weekends). Pure functions on instants and an IANA time zone.
 */

/** Days of the week as JavaScript numbers them: 0 Sunday … 6 Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface WorkCalendar {
  timeZone: string;
  days: readonly Weekday[];
  /** Minutes after local midnight: work starts at `start` and ends before `end`. */
  start: number;
  end: number;
}

export const DEFAULT_WORK_CALENDAR: Omit<WorkCalendar, 'timeZone'> = {
  days: [1, 2, 3, 4, 5],
  start: 9 * 60,
  end: 17 * 60,
};

export interface LocalTime {
  /** `2026-12-01` */
  date: string;
  weekday: Weekday;
  /** Minutes after local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, Weekday> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** What the wall clock says at `instant` in `timeZone`. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday as string] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

export const localDate = (instant: Date, timeZone: string) => localTime(instant, timeZone).date;

export function isWorkingDay(date: string, calendar: Pick<WorkCalendar, 'days'>): boolean {
  return calendar.days.includes(new Date(`${date}T12:00:00Z`).getUTCDay() as Weekday);
}

/** Within working hours on a working day, in the calendar's time zone. */
export function isWorkingTime(instant: Date, calendar: WorkCalendar): boolean {
  const local = localTime(instant, calendar.timeZone);
  return calendar.days.includes(local.weekday) && local.minutes >= calendar.start && local.minutes < calendar.end;
}

/** The calendar date `days` after `date` (both `YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Working days that have begun since `from`, up to `to`: the working dates after `from`'s date, up to and including
 * `to`'s. Reported on Monday, it is 2 on Wednesday and 3 on Thursday.
 */
export function workingDaysSince(from: Date, to: Date, calendar: WorkCalendar): number {
  const last = localDate(to, calendar.timeZone);
  let date = localDate(from, calendar.timeZone);
  let count = 0;
  // Bounded: a year of days at most, whatever the dates.
  for (let i = 0; i < 366 && date < last; i++) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) count++;
  }
  return count;
}

/** Whole calendar days from `from`'s local date to `to`'s. */
export function daysBetween(from: string, to: string): number {
  return Math.round((new Date(`${to}T12:00:00Z`).getTime() - new Date(`${from}T12:00:00Z`).getTime()) / 86_400_000);
}

/** `mon-fri`, `mon,tue,thu`, `1-5` → weekdays; undefined when it is not that. */
export function parseWorkDays(text: string): Weekday[] | undefined {
  const names = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  // A day's name or its start (`mon`, `tues`), three letters at least: `monkey` is no day.
  const day = (word: string): number | undefined => {
    const w = word.trim().toLowerCase();
    if (/^[0-6]$/.test(w)) return Number(w);
    const i = w.length >= 3 ? names.findIndex((name) => name.startsWith(w)) : -1;
    return i >= 0 ? i : undefined;
  };
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [a, b, ...rest] = part.split('-');
    const from = day(a ?? '');
    const to = b === undefined ? from : day(b);
    if (from === undefined || to === undefined || rest.length > 0) return undefined;
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return days.size > 0 ? ([...days].sort() as Weekday[]) : undefined;
}

/** `09:00-17:00` → minutes after midnight; undefined when it is not that, or ends before it starts. */
export function parseWorkHours(text: string): { start: number; end: number } | undefined {
  const match = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!match) return undefined;
  const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59 || (h2 === 24 && m2 > 0)) return undefined;
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  return end > start ? { start, end } : undefined;
}
