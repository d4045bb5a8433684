/**
 * Polling helper shared by the fakes: tests wait for something the app does in the background (a retry, a queued
 * send) without sleeping for a fixed time.
 */

const POLL_INTERVAL_MS = 10;

/**
 * Resolves as soon as `predicate()` is true (checked at once, then every 10 ms). On timeout it rejects with
 * `describe()`'s text, so the failure says what the fake had seen instead of just "timed out".
 */
export async function pollUntil(predicate: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() >= deadline) {
      throw new Error(`waitFor timed out after ${timeoutMs} ms; ${describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
