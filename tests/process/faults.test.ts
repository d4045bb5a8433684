/**
 * Faults around the real bot process while people report friction through Slack (signed view submissions; the fake
 * Slack Web API in this process): Slack failing and then unreachable, a SIGKILL in the middle of a burst, and its
 * Postgres restarted under it. What must hold each time: a person is either told their report's number (and then it
 * is stored, once) or told that nothing was changed; each stored report reaches the CoE's review channel exactly once.
 * A SIGKILL during a release's fan-out is in release-fanout.test.ts; the embedded database's disk in
 * faults-disk.test.ts.
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { FakeSlackApi } from '../support/fake-slack-api.ts';
import { OutageProxy } from '../support/outage-proxy.ts';
import { findPostgresBinaries, type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';
import {
  type BotProcess,
  delay,
  eventually,
  httpGet,
  makeTempDir,
  removeTempDirs,
  spawnBot,
  stopAllBots,
} from './bot-process.ts';
import {
  describeReviewPosts,
  exactlyOnce,
  frictionBotEnv,
  frictionSubmission,
  type Outcome,
  openFrictionForm,
  reviewKey,
  reviewPostAttempts,
  reviewPosts,
  type Submission,
  seedDataDir,
  storedReports,
  storedReportsIn,
  submitFriction,
} from './friction-forms.ts';

let fake: FakeSlackApi;
let seededDir: string;
/** The bots' working directory: empty, so no `.env` of the repository's configures them. */
let cwd: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  cwd = await makeTempDir('coe-faults-cwd-');
  seededDir = path.join(await makeTempDir('coe-faults-seed-'), 'data');
  await seedDataDir(seededDir);
}, 60_000);

afterEach(async () => {
  await stopAllBots();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  fake.reset();
});

afterAll(async () => {
  await fake?.close();
  await removeTempDirs();
});

async function freshDataDir(): Promise<string> {
  const dataDir = path.join(await makeTempDir('coe-faults-'), 'data');
  await cp(seededDir, dataDir, { recursive: true });
  return dataDir;
}

const startBot = (env: Record<string, string>) => spawnBot({ cwd, env });
const stored = (o: Outcome | undefined): o is Extract<Outcome, { kind: 'stored' }> => o?.kind === 'stored';
const numberOf = (o: Outcome | undefined) => (stored(o) ? o.number : Number.NaN);
const FAILED = 'outbox: delivery failed; will retry';

/** Until each of `numbers` has its review message, then a while longer: a late duplicate would show. */
async function waitForReviewPosts(bot: BotProcess, numbers: number[], timeoutMs: number): Promise<void> {
  await eventually(
    () => numbers.every((n) => reviewPosts(fake).has(n)),
    timeoutMs,
    () => `${describeReviewPosts(fake, numbers)}\n${bot.stdout().slice(-3000)}`,
  );
  await delay(1500);
}

describe('Slack failing, then unreachable, then back', () => {
  it('every report is acked and stored meanwhile; once Slack is back each review message is posted once', async () => {
    const dataDir = await freshDataDir();
    const proxy = await OutageProxy.start(fake.url);
    cleanups.push(() => proxy.close());
    const bot = startBot(frictionBotEnv(proxy.url(fake.url), { DATA_DIR: dataDir }));
    const url = await bot.ready(30_000);
    const form = await openFrictionForm(url, fake);
    const submissions: Submission[] = [];
    const report = async () => {
      const submission = frictionSubmission(form, 'outage', submissions.length + 1);
      submissions.push(submission);
      const outcome = await submitFriction(url, submission);
      expect(outcome, submission.title).toMatchObject({ kind: 'stored' });
      return numberOf(outcome);
    };

    // Slack answers every call with 500: the reports are taken, and the outbox tries each review message again.
    fake.setFaultPolicy(() => ({ status: 500 }));
    const during500 = [await report(), await report(), await report()];
    await fake.waitFor(() => during500.every((n) => reviewPostAttempts(fake, n).length >= 2), 15_000);

    // Slack refuses connections: still taken; the bot's attempts fail before they reach Slack, and it keeps trying.
    await proxy.refuse();
    const whileRefused = [await report(), await report(), await report()];
    const failedAttempts = (n: number) => bot.logs.filter((l) => l.msg === FAILED && l.key === reviewKey(n)).length;
    await eventually(
      () => whileRefused.every((n) => failedAttempts(n) >= 2),
      15_000,
      () => `failed attempts: ${whileRefused.map((n) => `FR-${n}: ${failedAttempts(n)}`).join(', ')}`,
    );
    expect(whileRefused.map((n) => reviewPostAttempts(fake, n).length)).toEqual([0, 0, 0]);

    // Slack is back.
    fake.setFaultPolicy(undefined);
    const backAt = Date.now();
    await proxy.restore();
    const all = [...during500, ...whileRefused];
    expect(new Set(all).size).toBe(6);
    await waitForReviewPosts(bot, all, 30_000);
    expect(describeReviewPosts(fake, all)).toBe(exactlyOnce(all));
    for (const n of all) expect(reviewPosts(fake).get(n)?.[0]?.at).toBeGreaterThanOrEqual(backAt);

    // Before that, Slack's 500s were retried with a growing back-off (0.25 s × 2^(attempt-1), half of it at least).
    for (const n of during500) {
      const attempts = reviewPostAttempts(fake, n).filter((c) => c.faulted);
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      attempts.slice(1).forEach((call, i) => {
        expect(call.at - (attempts[i]?.at ?? 0), `FR-${n}, retry ${i + 1}`).toBeGreaterThanOrEqual(125 * 2 ** i - 25);
      });
    }

    expect(await bot.stop('SIGTERM'), bot.stdout().slice(-3000)).toEqual({ code: 0, signal: null });
    const db = await storedReportsIn(dataDir);
    expect(db.reports.map((r) => r.submissionKey)).toEqual(submissions.map((s) => s.key));
    expect(db.reports.map((r) => r.number)).toEqual(all);
    expect(db.reviewRows.map((r) => r.status)).toEqual(all.map(() => 'sent'));
  }, 60_000);
});

describe('SIGKILL in the middle of a stream of reports (embedded database)', () => {
  const PEOPLE = 10;
  const EACH = 2;
  const KILL_AFTER_ACKS = 6;

  it('restart on the same DATA_DIR: every acked report is stored once and reaches the review channel once', async () => {
    const dataDir = await freshDataDir();
    const env = frictionBotEnv(fake.url, { DATA_DIR: dataDir });
    const first = startBot(env);
    const url = await first.ready(30_000);
    const form = await openFrictionForm(url, fake);
    const submissions = Array.from({ length: PEOPLE * EACH }, (_, i) => frictionSubmission(form, 'stream', i + 1));
    const mine = (person: number) => submissions.filter((_, i) => i % PEOPLE === person);

    // Ten people each submit one report after another, so groups of them are being committed all the time; the bot
    // is killed the moment the sixth person has their report's number, with the others' group on its way.
    let acks = 0;
    let killed = false;
    const outcomes = new Map<Submission, Outcome>();
    await Promise.all(
      Array.from({ length: PEOPLE }, async (_, person) => {
        for (const s of mine(person)) {
          if (killed) return;
          const outcome = await submitFriction(url, s);
          outcomes.set(s, outcome);
          if (stored(outcome) && ++acks === KILL_AFTER_ACKS) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      }),
    );
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const kinds = [...outcomes.values()].map((o) => o.kind);
    expect(kinds.filter((k) => k === 'stored').length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    // The kill cut the stream: some people got no answer at all (and nobody an error; at most "press Submit again").
    expect(kinds.filter((k) => k === 'no answer').length, JSON.stringify([...outcomes.values()])).toBeGreaterThan(0);
    expect(kinds.filter((k) => !['stored', 'no answer', 'busy'].includes(k))).toEqual([]);

    // Read with the bot down: every acked report is there under its number, and nothing is there twice.
    const afterKill = await storedReportsIn(dataDir);
    const keyOfNumber = new Map(afterKill.reports.map((r) => [r.number, r.submissionKey]));
    for (const [s, o] of outcomes) if (stored(o)) expect(keyOfNumber.get(o.number)).toBe(s.key);
    expect(new Set(afterKill.reports.map((r) => r.submissionKey)).size).toBe(afterKill.reports.length);

    const second = startBot(env);
    const url2 = await second.ready(30_000);
    // Those who got no answer submit the same form again, and everyone sends what they had left; one who was
    // answered presses again too and gets the same number.
    const final = await Promise.all(
      submissions.map(async (s) => {
        const before = outcomes.get(s);
        return stored(before) ? before : submitFriction(url2, s);
      }),
    );
    expect(final.map((o) => o.kind)).toEqual(submissions.map(() => 'stored'));
    const [answered, answer] = [...outcomes].find(([, o]) => stored(o)) as [Submission, Outcome];
    expect(await submitFriction(url2, answered)).toEqual(answer);
    // A report stored before the kill without its answer getting out is found again, not stored again.
    for (const [i, o] of final.entries()) {
      const before = afterKill.reports.find((r) => r.submissionKey === submissions[i]?.key);
      if (before) expect(numberOf(o)).toBe(before.number);
    }

    const numbers = final.map(numberOf);
    expect(new Set(numbers).size).toBe(PEOPLE * EACH);
    await waitForReviewPosts(second, numbers, 60_000);
    expect(describeReviewPosts(fake, numbers)).toBe(exactlyOnce(numbers));
    expect(await second.stop('SIGTERM'), second.stdout().slice(-3000)).toEqual({ code: 0, signal: null });

    const db = await storedReportsIn(dataDir);
    expect(db.reports.map((r) => r.submissionKey).sort()).toEqual(submissions.map((s) => s.key).sort());
    expect(db.reports.map((r) => r.number).sort((a, b) => a - b)).toEqual([...numbers].sort((a, b) => a - b));
    expect(db.reviewRows.map((r) => r.status)).toEqual(numbers.map(() => 'sent'));
  }, 120_000);
});

const postgres = findPostgresBinaries();
const skipPostgres = 'missing' in postgres ? postgres.missing : undefined;
if (skipPostgres)
  console.warn(`\n!!! tests/process/faults.test.ts: the Postgres restart is skipped: ${skipPostgres}\n`);

describe.skipIf(skipPostgres !== undefined)(
  `Postgres restarted mid-traffic (a private cluster)${skipPostgres ? ` — skipped: ${skipPostgres}` : ''}`,
  () => {
    let pg: PrivatePostgres | undefined;
    afterAll(async () => {
      await stopAllBots();
      await pg?.destroy();
    });

    it('people are told nothing was changed while it is down; nothing acked is lost or stored twice; /readyz recovers', async () => {
      pg = await startPrivatePostgres((postgres as { bin: string }).bin);
      const server = pg;
      const bot = startBot(frictionBotEnv(fake.url, { DATABASE_URL: server.url }));
      const url = await bot.ready(60_000);
      const form = await openFrictionForm(url, fake);

      // Three people keep submitting, one report after another each.
      const submissions: Submission[] = [];
      const outcomes: Outcome[] = [];
      let traffic = true;
      const person = async () => {
        while (traffic) {
          const submission = frictionSubmission(form, 'pg', submissions.length + 1);
          const at = submissions.push(submission) - 1;
          outcomes[at] = await submitFriction(url, submission);
          await delay(50);
        }
      };
      const people = [person(), person(), person()];
      let whileDown = { status: 0, body: '' };
      const describeOutcomes = () => outcomes.map((o) => (stored(o) ? `FR-${o.number}` : o.kind)).join(', ');
      const count = (from: number, kind: Outcome['kind']) =>
        outcomes.slice(from).filter((o) => o?.kind === kind).length;
      try {
        await eventually(() => count(0, 'stored') >= 3, 20_000, describeOutcomes);
        const stoppedAt = submissions.length;
        await server.stop();
        await eventually(() => count(stoppedAt, 'sorry') >= 3, 20_000, describeOutcomes);
        whileDown = await httpGet(`${url}/readyz`);
        const startedAt = submissions.length;
        await server.start();
        await eventually(() => count(startedAt, 'stored') >= 3, 20_000, describeOutcomes);
      } finally {
        traffic = false;
        await Promise.all(people);
      }
      // Everyone got an answer: their report's number, or the apology (or, if slow, "press Submit again"); the form
      // stays, with what they typed.
      const told = (o: Outcome) => stored(o) || o.kind === 'sorry' || o.kind === 'busy';
      expect(
        outcomes.filter((o) => !told(o)),
        describeOutcomes(),
      ).toEqual([]);
      expect(outcomes.find((o) => o.kind === 'sorry')).toMatchObject({
        text: expect.stringMatching(
          /Sorry, something went wrong on our side and (nothing was changed|this was not saved)/,
        ),
      });
      // Not ready while its database was down; ready again without a restart.
      expect(whileDown.status).toBe(503);
      await eventually(
        async () => (await httpGet(`${url}/readyz`)).status === 200,
        15_000,
        () => bot.stdout().slice(-3000),
      );
      expect(bot.child.exitCode, 'the bot kept running').toBeNull();

      // Every acknowledged report is stored under its number; none twice.
      const db = await openDatabase({ kind: 'postgres', url: server.url });
      cleanups.push(() => db.close());
      const keyOfNumber = async () =>
        new Map((await storedReports(db)).reports.map((r) => [r.number, r.submissionKey]));
      const afterRestart = await keyOfNumber();
      outcomes.forEach((o, i) => {
        if (stored(o)) expect(afterRestart.get(o.number), `FR-${o.number}`).toBe(submissions[i]?.key);
      });

      // Those told to try again do, with the same form: each is stored once (found again if it had been after all).
      const retried = await Promise.all(
        submissions.map((s, i) => (stored(outcomes[i]) ? (outcomes[i] as Outcome) : submitFriction(url, s))),
      );
      expect(
        retried.filter((o) => !stored(o)),
        bot.stdout().slice(-8000),
      ).toEqual([]);
      const final = await storedReports(db);
      expect(final.reports.map((r) => r.submissionKey).sort()).toEqual(submissions.map((s) => s.key).sort());
      expect(new Set(final.reports.map((r) => r.title)).size).toBe(submissions.length);
      expect(final.reports.map((r) => r.number).sort()).toEqual(retried.map(numberOf).sort());
      const keptNumbers = await keyOfNumber();
      for (const [number, key] of afterRestart) expect(keptNumbers.get(number)).toBe(key);
      // Each has its one review message queued (delivery to Slack is the outbox's, covered above).
      expect(final.reviewRows.map((r) => r.idempotencyKey).sort()).toEqual(
        final.reports.map((r) => reviewKey(r.number)).sort(),
      );
      expect(await bot.stop('SIGTERM'), bot.stdout().slice(-3000)).toEqual({ code: 0, signal: null });
    }, 90_000);
  },
);
