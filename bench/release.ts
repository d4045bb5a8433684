/**
 * `npm run bench -- release`: a release announced in 500 team channels, end to end, while Slack misbehaves. The bot
 * is spawned the way `npm start` runs on a DATA_DIR seeded with 500 teams (one Slack channel each), a standard and
 * one approved change request; the CoE member publishes through Slack as a person does (a signed `/coe release`, then
 * the modal the bot opened, submitted with every team); the fake Slack Web API in this process answers 10% of
 * chat.postMessage calls with a fault, chosen by a seeded random stream: half 429 with Retry-After 1, half 500.
 *
 * From the publish ack until every channel has its announcement: the total time; the Retry-After lower bound (the
 * union of [answered, answered + Retry-After] over the 429s the fake gave: the time the bot had to hold the platform,
 * overlapping pauses counted once) and total / bound; delivered, lost and duplicated channels; throughput; and what
 * the CoE saw in the review channel (progress up to "sent 500/500", one summary reply). Bounded: 120 s for the
 * fan-out, then the bot is stopped (bench/index.ts removes the temp folders).
 */
import path from 'node:path';
import {
  announcementsByChannel,
  fanOutCounts,
  fanOutEnv,
  fanOutOutbox,
  makeTempDir,
  publishFanOut,
  reviewChannelView,
  seedReleaseFanOut,
  spawnBot,
} from '../tests/process/bot-process.ts';
import { FakeSlackApi, randomSlackFaults, type SlackCall } from '../tests/support/fake-slack-api.ts';
import { ms, type Row, say, sleep, stopClean } from './common.ts';

const CHANNELS = 500;
const RATE_LIMITED = 0.05;
const SERVER_ERRORS = 0.05;
const RETRY_AFTER_S = 1;
const FAULT_SEED = 20_240_604;
const DEADLINE_MS = 120_000;
/** After the last announcement: how long the CoE's final progress and summary may take (refreshed each second). */
const SUMMARY_WAIT_MS = 15_000;

export async function benchRelease(rows: Row[]): Promise<void> {
  const dataDir = path.join(await makeTempDir('coe-bench-release-'), 'data');
  say(`release: seeding ${CHANNELS} teams with a channel each, a standard and an approved change…`);
  const channels = await seedReleaseFanOut(dataDir, CHANNELS);
  const fake = await FakeSlackApi.start();
  try {
    const bot = spawnBot({ env: fanOutEnv(dataDir, fake) });
    const url = await bot.ready(60_000);
    fake.setFaultPolicy(
      randomSlackFaults({
        seed: FAULT_SEED,
        method: 'chat.postMessage',
        rateLimited: RATE_LIMITED,
        serverErrors: SERVER_ERRORS,
        retryAfter: RETRY_AFTER_S,
      }),
    );
    say('release: /coe release, then the form submitted with every team…');
    const { ackedAt } = await publishFanOut(url, fake);
    say(`release: announcing in ${CHANNELS} channels (deadline ${DEADLINE_MS / 1000} s)…`);
    const allIn = await until(() => fanOutCounts(fake, channels).delivered === CHANNELS, ackedAt + DEADLINE_MS);
    const finished = () => {
      const { progress, replies } = reviewChannelView(fake);
      return String(progress.at(-1)?.args.text).includes(`sent ${CHANNELS}/${CHANNELS}`) && replies.length > 0;
    };
    if (allIn) await until(finished, Date.now() + SUMMARY_WAIT_MS);
    // A moment more, so a second summary or a late duplicate would be seen too.
    await sleep(1500);
    await stopClean(bot);
    const outbox = await fanOutOutbox(dataDir);
    report(rows, fake, channels, ackedAt, outbox);
    if (!allIn) throw new Error(`release: ${fanOutCounts(fake, channels).describe} after ${DEADLINE_MS / 1000} s`);
  } finally {
    await fake.close();
  }
}

function report(
  rows: Row[],
  fake: FakeSlackApi,
  channels: readonly string[],
  ackedAt: number,
  outbox: Record<string, number>,
): void {
  const counts = fanOutCounts(fake, channels);
  const firsts = [...announcementsByChannel(fake, channels).values()].flatMap((calls) => calls.slice(0, 1));
  const lastAt = Math.max(...firsts.map((c) => c.at));
  // Short of every channel, the fan-out took longer than the deadline; the figures are then lower limits.
  const complete = counts.lost === 0;
  const total = complete ? lastAt - ackedAt : DEADLINE_MS;
  const over = complete ? '' : '> ';
  const posts = fake.calls('chat.postMessage');
  const limited = posts.filter((c) => c.fault?.status === 429);
  const serverErrors = posts.filter((c) => c.fault?.status === 500).length;
  const { bound, lastPauseEnd } = pausedAtLeast(limited);
  const { progress, replies } = reviewChannelView(fake);
  const seenBeforeDone = progress.filter((c) => c.at <= lastAt).length;
  const last = String(progress.at(-1)?.args.text ?? '(none)');
  const when = (c: SlackCall | undefined) => (c ? `+${ms(c.at - ackedAt)}` : 'never');

  rows.push({
    metric: `release to ${channels.length} channels, total`,
    value: `${over}${ms(total)}`,
    note: complete
      ? `publish ack → the last channel's first announcement; ${posts.length} chat.postMessage calls in all`
      : `NOT DONE: ${counts.lost} channels still without it at the deadline; the last of the ${counts.delivered} came at +${ms(lastAt - ackedAt)}; ${posts.length} chat.postMessage calls in all`,
  });
  rows.push({
    metric: 'Retry-After lower bound',
    value: ms(bound),
    note: `union of [answered, answered + ${RETRY_AFTER_S} s] over the ${limited.length} 429s (overlaps once)`,
  });
  rows.push({
    metric: 'total / lower bound',
    value: bound > 0 ? `${over}${(total / bound).toFixed(2)}×` : 'n/a',
    note: 'how far above the time the platform had to be held',
  });
  if (complete && bound > 0) {
    rows.push({
      metric: 'sending outside the pauses',
      value: ms(total - bound),
      note: `the rest of the total: posts between the pauses, and ${ms(Math.max(0, lastAt - lastPauseEnd))} after the last one ended (retries of 500s among them)`,
    });
  }
  rows.push({
    metric: 'channels delivered / lost / dup',
    value: `${counts.delivered} / ${counts.lost} / ${counts.duplicated}`,
    note: `lost: no announcement by the deadline; outbox rows of the release after the stop: ${JSON.stringify(outbox)}`,
  });
  rows.push({
    metric: 'throughput',
    value: `${(counts.delivered / ((lastAt - ackedAt) / 1000)).toFixed(1)} ch/s`,
    note: 'channels announced ÷ time to the last of them',
  });
  rows.push({
    metric: 'faults given',
    value: `${limited.length} × 429, ${serverErrors} × 500`,
    note: `seeded: ${RATE_LIMITED * 100}% 429 (Retry-After ${RETRY_AFTER_S}), ${SERVER_ERRORS * 100}% 500 of chat.postMessage`,
  });
  rows.push({
    metric: 'CoE progress',
    value: last.includes(`sent ${channels.length}/${channels.length}`)
      ? `sent ${channels.length}/${channels.length}`
      : 'not final',
    note: `first shown ${when(progress[0])}, ${seenBeforeDone} versions before the last announcement, ${progress.length} in all; last: "${last}"`,
  });
  rows.push({
    metric: 'CoE summary replies',
    value: String(replies.length),
    note: `at ${when(replies[0])}: "${String(replies[0]?.args.text ?? '(none)')}"`,
  });
}

/**
 * The length of the union of [answered, answered + Retry-After] over the 429s (overlapping pauses count once), and
 * when the last of them ended.
 */
function pausedAtLeast(limited: readonly SlackCall[]): { bound: number; lastPauseEnd: number } {
  const spans = limited
    .map((c) => {
      const from = c.answeredAt ?? c.at;
      return [from, from + (c.fault?.status === 429 ? c.fault.retryAfter : 0) * 1000] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  let sum = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    sum += to - Math.max(from, end);
    end = to;
  }
  return { bound: sum, lastPauseEnd: end };
}

/** Polls `done` until it holds (true) or `deadline` passes (false). */
async function until(done: () => boolean, deadline: number): Promise<boolean> {
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}
