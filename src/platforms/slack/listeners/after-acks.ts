/**
 * Follow-up work after an ack (opening a form) waits here until the requests around it are acknowledged: it starts
 * once no Slack request has come in for QUIET_MS, or once it has waited MAX_WAIT_MS (requests that never stop coming,
 * as in a storm of submissions, hold a form back that long and no longer: Slack takes a trigger for 3 s). Then one
 * piece runs per turn of the event loop, so that requests arriving meanwhile are read and acknowledged between pieces.
 *
 * A burst of fifty `/friction` commands arrives over several milliseconds, with gaps when the machine is busy.
 * Opening a form costs the bot about a millisecond of CPU and Slack's side some more; started in those gaps, that
 * work delayed the last acks of a burst by tens of milliseconds now and then (issue 9: 10-40 ms per burst, against
 * 10-30 with the quiet window). QUIET_MS spans a busy machine's scheduling slice; a form opens that much later.
 */
const QUIET_MS = 10;
const MAX_WAIT_MS = 100;

/** The queue; one per process (`afterAcks`, `requestArrived`), its own in a test. */
export class AckFirst {
  private readonly waiting: { resolve: () => void; since: number }[] = [];
  private scheduled = false;
  private lastRequest = Number.NEGATIVE_INFINITY;

  /** Called for every request that comes in, before it is answered. */
  requestArrived(): void {
    this.lastRequest = performance.now();
  }

  /** Resolves once the requests around this one have been acknowledged (see above). */
  after(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ resolve, since: performance.now() });
      if (!this.scheduled) this.schedule();
    });
  }

  private schedule(): void {
    const first = this.waiting[0];
    this.scheduled = first !== undefined;
    if (!first) return;
    const now = performance.now();
    const wait = Math.min(this.lastRequest + QUIET_MS - now, first.since + MAX_WAIT_MS - now);
    if (wait > 0) {
      setTimeout(() => this.schedule(), Math.ceil(wait));
      return;
    }
    // setImmediate runs after the poll phase, where incoming requests are read: a turn's requests come first.
    setImmediate(() => {
      this.waiting.shift()?.resolve();
      this.schedule();
    });
  }
}

const queue = new AckFirst();
export const afterAcks = (): Promise<void> => queue.after();
export const requestArrived = (): void => queue.requestArrived();
