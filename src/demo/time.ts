/**
 * The demo's moved clock. The services take a `Clock`, but the database stamps most rows itself (`now()` in column
 * defaults, Prisma's `@updatedAt`): a history of 120 days written in a few seconds needs both to agree on when
 * "now" is. So, in the demo's own process only, `Date` answers the simulated time — the embedded Postgres runs on
 * this thread and reads the time through `Date.now()` — and moves forward at real pace between two `moveTo`s, so the
 * rows of one step keep their order. Nothing else in the process is touched: timers and `performance.now()` keep real
 * time.
 */
import type { Clock } from '../ports.ts';

const RealDate = Date;
const realNow = () => RealDate.now();

export class DemoTime implements Clock {
  private base: number;
  private setAt = realNow();
  /** The last moment moved to: a step may not go before it. */
  private last: number;
  private installed = false;

  constructor(start: Date) {
    this.base = start.getTime();
    this.last = this.base;
  }

  /** Milliseconds since the epoch, simulated. */
  ms(): number {
    return this.base + (realNow() - this.setAt);
  }

  now(): Date {
    return new RealDate(this.ms());
  }

  /**
   * Moves the clock to `at`; never back (the history must stay in order). Several steps at one moment follow each
   * other: the clock goes on from where the previous one left it.
   */
  moveTo(at: Date): void {
    const target = at.getTime();
    if (target < this.last) {
      throw new Error(`demo clock: ${at.toISOString()} is before ${new RealDate(this.last).toISOString()}`);
    }
    this.last = target;
    if (target <= this.ms()) return;
    this.base = target;
    this.setAt = realNow();
  }

  /**
   * From now on, `new Date()` and `Date.now()` answer this clock, in the whole process. Dates built from a value,
   * `Date.UTC`, `Date.parse` and `instanceof Date` are unchanged (every date is still a real `Date`).
   */
  install(): void {
    if (this.installed) return;
    this.installed = true;
    const clock = this;
    globalThis.Date = new Proxy(RealDate, {
      construct(target, args, newTarget) {
        return Reflect.construct(target, args.length === 0 ? [clock.ms()] : args, newTarget);
      },
      apply() {
        return new RealDate(clock.ms()).toString();
      },
      get(target, property, receiver) {
        if (property === 'now') return () => clock.ms();
        return Reflect.get(target, property, receiver);
      },
    });
  }
}

/** Real time, whatever the demo clock says: for how long the demo itself took. */
export const wallClockMs = realNow;
