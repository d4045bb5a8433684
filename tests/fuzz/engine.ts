/**
 * Runs the fuzz cases against the bot and reports: counts by answer, every class of failure with how often it was
 * seen, and, for each class, the smallest request fast-check could shrink it to (replayed from the run's seed and the
 * failing case's path, so the minimal request really shows that failure).
 */
import fc from 'fast-check';
import { answerBuckets, type Violation, violations } from './properties.ts';
import { describeRequest, type FuzzRequest } from './request.ts';
import { slackRequest } from './slack-cases.ts';
import { type CaseOutput, describeError, type FuzzTarget } from './target.ts';
import { teamsRequest } from './teams-cases.ts';

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** The database and fakes are emptied and seeded again every this many cases (a long run's tables stay small). */
  resetEvery?: number;
  /** How long shrinking one class may take. */
  shrinkMs?: number;
  /** Classes to shrink at most (the rest are listed with the case that first showed them). */
  shrinkClasses?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface FailureClass {
  key: string;
  count: number;
  /** The generators (before mutation) whose cases showed it, with how often. */
  kinds: Map<string, number>;
  /** The first case that showed it, by its place in the run (fast-check's path). */
  path: number;
  first: { request: FuzzRequest; violation: Violation; output: CaseOutput };
  /** The smallest request that still shows it, when shrinking found one. */
  minimal?: { request: FuzzRequest; violation: Violation; output: CaseOutput; shrinks: number };
}

export interface FuzzReport {
  seed: number;
  runs: number;
  ms: number;
  /** Of which running the cases (the rest is shrinking). */
  surveyMs: number;
  counts: Map<string, number>;
  classes: FailureClass[];
  /** Steps of the seed that did not work (the world the cases talk about is thinner then). */
  seedProblems: string[];
}

/** Every request the suite sends: Slack and Teams, well-formed and mutated. */
export function fuzzRequest(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { arbitrary: slackRequest, weight: 1 },
    { arbitrary: teamsRequest(target.connector.serviceUrl), weight: 1 },
  );
}

async function runCase(target: FuzzTarget, request: FuzzRequest): Promise<{ output: CaseOutput; found: Violation[] }> {
  try {
    const output = await target.run(request);
    return { output, found: violations(request, output) };
  } catch (error) {
    const output: CaseOutput = {
      answer: { status: 0, body: '', ms: 0, error: describeError(error) },
      slackCalls: [],
      connectorRequests: [],
      crashes: [],
      errorLogs: [],
      databaseProblems: [],
    };
    const detail = `the harness failed: ${describeError(error)}`;
    return { output, found: [{ property: 'died', detail, key: `harness: ${detail.slice(0, 120)}` }] };
  }
}

export async function fuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const resetEvery = options.resetEvery ?? 250;
  const counts = new Map<string, number>();
  const classes = new Map<string, FailureClass>();
  const count = (bucket: string) => counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  const arbitrary = fuzzRequest(target);

  let index = 0;
  await target.reset();
  const seedProblems = [...target.seedProblems];
  const survey = fc.asyncProperty(arbitrary, async (request) => {
    const path = index++;
    if (path > 0 && path % resetEvery === 0) {
      await target.reset();
      seedProblems.push(...target.seedProblems.filter((p) => !seedProblems.includes(p)));
    }
    const { output, found } = await runCase(target, request);
    count('cases');
    for (const bucket of answerBuckets(request, output)) count(bucket);
    for (const violation of found) {
      count(`violation: ${violation.property}`);
      const known = classes.get(violation.key);
      if (known) {
        known.count++;
        known.kinds.set(request.kind, (known.kinds.get(request.kind) ?? 0) + 1);
      } else {
        const kinds = new Map([[request.kind, 1]]);
        classes.set(violation.key, {
          key: violation.key,
          count: 1,
          kinds,
          path,
          first: { request, violation, output },
        });
        log(`case ${path}: new failure class: ${violation.key}`);
      }
    }
    if ((path + 1) % 500 === 0)
      log(`${path + 1} cases, ${classes.size} failure classes, ${Math.round((Date.now() - started) / 1000)} s`);
    return true;
  });
  const surveyed = await fc.check(survey, { seed: options.seed, numRuns: options.runs });
  const surveyMs = Date.now() - started;
  if (surveyed.failed) {
    // Only the harness can fail here (the property itself never does): say so rather than report a short run.
    const detail = `the run stopped: ${describeError(surveyed.errorInstance)}`;
    const request = surveyed.counterexample?.[0] as FuzzRequest;
    const output = (await runCase(target, request)).output;
    const violation: Violation = { property: 'died', detail, key: `harness: ${detail.slice(0, 160)}` };
    classes.set(violation.key, {
      key: violation.key,
      count: 1,
      kinds: new Map(),
      path: index - 1,
      first: { request, violation, output },
    });
  }

  const sorted = [...classes.values()].sort((a, b) => a.path - b.path);
  for (const failure of sorted.slice(0, options.shrinkClasses ?? sorted.length)) {
    log(`shrinking: ${failure.key} (first seen in case ${failure.path})`);
    failure.minimal = await shrink(log, target, arbitrary, options, failure);
  }
  return { seed: options.seed, runs: index, ms: Date.now() - started, surveyMs, counts, classes: sorted, seedProblems };
}

/** Replays the class's first case from the run's seed and path, and lets fast-check shrink it within the class. */
async function shrink(
  log: (line: string) => void,
  target: FuzzTarget,
  arbitrary: fc.Arbitrary<FuzzRequest>,
  options: FuzzOptions,
  failure: FailureClass,
): Promise<FailureClass['minimal']> {
  try {
    await target.reset();
  } catch (error) {
    log(`could not reset before shrinking: ${describeError(error)}`);
    return undefined;
  }
  let last: { request: FuzzRequest; violation: Violation; output: CaseOutput } | undefined;
  // Past the deadline every candidate counts as passing, so fast-check ends with the smallest failure so far. (Its
  // own time limit would leave the case in flight running on, into the next class's cases.)
  const deadline = Date.now() + (options.shrinkMs ?? 60_000);
  const property = fc.asyncProperty(arbitrary, async (request) => {
    if (last && Date.now() > deadline) return true;
    const { output, found } = await runCase(target, request);
    const violation = found.find((v) => v.key === failure.key);
    if (violation) last = { request, violation, output };
    return violation === undefined;
  });
  const details = await fc.check(property, { seed: options.seed, path: String(failure.path), numRuns: 1 });
  if (!details.failed || !last) return undefined;
  // The last run that failed is the counterexample: fast-check only moves on from a failure to smaller candidates.
  return { ...last, shrinks: details.numShrinks };
}

/** The report as text: the seed, counts by answer, and each class of failure with its (smallest) request. */
export function formatReport(report: FuzzReport): string {
  const lines = [
    `fuzz: ${report.runs} cases, seed ${report.seed}, ${(report.surveyMs / 1000).toFixed(1)} s` +
      (report.ms > report.surveyMs ? ` (+ ${((report.ms - report.surveyMs) / 1000).toFixed(1)} s shrinking)` : ''),
    '',
    'answers:',
    ...[...report.counts].sort(([a], [b]) => a.localeCompare(b)).map(([bucket, n]) => `  ${bucket}: ${n}`),
  ];
  if (report.seedProblems.length > 0)
    lines.push('', 'the seed did not fully work:', ...report.seedProblems.map((p) => `  ${p}`));
  if (report.classes.length === 0) {
    lines.push('', 'no failures: 0 deaths, 0 5xx, 0 answers past 3 s, 0 violations');
    return lines.join('\n');
  }
  lines.push('', `${report.classes.length} classes of failure (replay one: FUZZ_SEED=${report.seed}, its path):`);
  for (const [i, c] of report.classes.entries()) {
    const shown = c.minimal ?? c.first;
    const { answer } = shown.output;
    lines.push(
      '',
      `#${i + 1} ${c.key}`,
      `  seen ${c.count} times, first in case ${c.path}${c.minimal ? `; smallest after ${c.minimal.shrinks} shrinks:` : '; not shrunk, as first seen:'}`,
      `  from: ${[...c.kinds]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ×${n}`)
        .join(', ')}`,
      `  ${shown.violation.detail}`,
      ...describeRequest(shown.request)
        .split('\n')
        .map((l) => `  ${l}`),
      `  answer: ${answer.status || answer.error} after ${answer.ms} ms ${answer.body.slice(0, 300)}`,
    );
  }
  return lines.join('\n');
}
