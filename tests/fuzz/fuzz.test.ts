/**
 * The project's own fuzz suite, the short run of `npm test` (issue 8): a few hundred seeded requests to both
 * endpoints of the real bot — every Slack command, button, modal, shortcut and event and every Teams message and
 * invoke, well-formed and then mutated, signed and forged — and the properties each must keep: the process never
 * dies, no 5xx, an answer within 3 s, no Block Kit or Adaptive Card violation in anything the bot sends or answers,
 * nothing half-written in the database, and 401 for a forged Slack request.
 *
 * FUZZ_SEED replays another run (the seed is printed on failure), FUZZ_RUNS changes its length; `npm run fuzz` is
 * the long run (10,000 cases).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport, fuzz } from './engine.ts';
import { FuzzTarget } from './target.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_801);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

describe('fuzz: hostile and malformed requests to both endpoints', () => {
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await FuzzTarget.start();
  });
  afterAll(async () => {
    await target?.close();
  });

  it(
    `${RUNS} cases (seed ${SEED}) keep every property`,
    async () => {
      // A failure is shrunk to its smallest request, a few classes at most, so a failing run still ends.
      const report = await fuzz(target, {
        runs: RUNS,
        seed: SEED,
        resetEvery: 100,
        shrinkMs: 15_000,
        shrinkClasses: 4,
      });
      const failures = report.classes.map((c) => c.key);
      expect(failures, formatReport(report)).toEqual([]);
      expect(report.counts.get('cases')).toBe(RUNS);
      // The cases name the records the seed makes: without them, most would stop at "there is no FR-1".
      expect(report.seedProblems).toEqual([]);
    },
    15 * 60_000,
  );
});
