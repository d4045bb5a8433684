/**
 * The story's frame: a timeline of beats on simulated days (day 0 is a Monday about 120 days before the demo's
 * "today"), played in time order with the clock moved to each beat and the outbox delivered after it; one printed
 * line per step, dated. Each part of the story (set-up, the scanner loop, the everyday noise) adds its beats; what
 * one beat learns (a report's number) is kept in closures or in `org` for the later beats.
 */
import type { Hands, ReleaseMade } from './hands.ts';
import type { World } from './world.ts';

const DAY = 86_400_000;
/** How far back the history starts: about 120 days, from a Monday. */
export const HISTORY_DAYS = 120;

/** What the set-up creates that later beats refer to. */
export interface Org {
  constraints: { target: number; noNewTools: number };
  audits: { scanning: number; labels: number };
  /** Change requests drafted by audit breaches, in the order they came. */
  drafts: { plan: number; day: number; change: number }[];
  /** The scanning standard's v2.0, once released; the first scanner report; its training. */
  scanningV2?: ReleaseMade;
  scannerReport?: number;
  scannerTraining?: number;
}

export interface Story {
  world: World;
  hands: Hands;
  org: Org;
  /** Adds a beat at `time` (HH:MM, UTC) on day `day`; beats on one day run in time order, then in the order added. */
  at(day: number, time: string, run: () => Promise<void>): void;
  /** The moment of a day and time. */
  moment(day: number, time?: string): Date;
  /** YYYY-MM-DD of a day. */
  dateOf(day: number): string;
  /** Every working day from `from` to the day before the demo's today. */
  workingDays(from: number): number[];
  /** Prints one line of the story, dated by the clock. */
  line(text: string): void;
  /** A deterministic number in [0, 1): the same story every run. */
  random(): number;
}

interface Beat {
  day: number;
  time: string;
  order: number;
  run: () => Promise<void>;
}

/** The Monday on or before `HISTORY_DAYS` days before `end` (midnight UTC). */
export function historyStart(end: Date): Date {
  const back = new Date(end.getTime() - HISTORY_DAYS * DAY);
  const weekday = (back.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(Date.UTC(back.getUTCFullYear(), back.getUTCMonth(), back.getUTCDate() - weekday));
}

/** mulberry32: small, fast and the same on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export class Timeline {
  private readonly beats: Beat[] = [];
  readonly story: Story;

  constructor(
    world: World,
    hands: Hands,
    start: Date,
    private readonly end: Date,
    print: (line: string) => void,
  ) {
    const moment = (day: number, time = '09:00') => {
      const [h = 0, m = 0] = time.split(':').map(Number);
      return new Date(start.getTime() + day * DAY + (h * 60 + m) * 60_000);
    };
    this.story = {
      world,
      hands,
      org: { constraints: { target: 0, noNewTools: 0 }, audits: { scanning: 0, labels: 0 }, drafts: [] },
      at: (day, time, run) => {
        if (day % 7 > 4) throw new Error(`demo: day ${day} is a weekend; the story happens on working days`);
        if (moment(day, time) >= end) throw new Error(`demo: day ${day} ${time} is not before the demo's today`);
        this.beats.push({ day, time, order: this.beats.length, run });
      },
      moment,
      dateOf: (day) => isoDate(moment(day)),
      workingDays: (from) => {
        const last = Math.floor((end.getTime() - start.getTime()) / DAY) - 1;
        const out: number[] = [];
        for (let d = from; d <= last; d++) if (d % 7 < 5) out.push(d);
        return out;
      },
      line: (text) => print(`${isoDate(world.time.now())}  ${text}`),
      random: seeded(10),
    };
  }

  /** Plays every beat in time order; ends with the clock at the demo's today. */
  async play(): Promise<void> {
    const { world } = this.story;
    const ordered = [...this.beats].sort((a, b) => a.day - b.day || a.time.localeCompare(b.time) || a.order - b.order);
    for (const beat of ordered) {
      world.time.moveTo(this.story.moment(beat.day, beat.time));
      await beat.run();
      await world.settle();
    }
    world.time.moveTo(this.end);
  }
}
