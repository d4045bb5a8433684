/**
 * Follow-up work after an ack (opening a form, a name lookup) waits its turn here: one piece per turn of the event
 * loop, each after the requests that arrived meanwhile have been read and acknowledged. A burst of fifty `/friction`
 * commands is acknowledged first, and the forms open after, one by one; without the queue each turn ran the
 * follow-up work of every request read in it (about a millisecond of CPU each) before the next requests were read.
 */
const waiting: (() => void)[] = [];
let scheduled = false;

/** Resolves in a later turn of the event loop, after the requests that arrived meanwhile were handled. */
export function afterAcks(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) schedule();
  });
}

function schedule(): void {
  scheduled = true;
  // setImmediate runs after the poll phase, where incoming requests are read: a turn's requests come first.
  setImmediate(() => {
    waiting.shift()?.();
    if (waiting.length > 0) schedule();
    else scheduled = false;
  });
}
