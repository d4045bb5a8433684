/**
 * The demo from start to end, once the moved clock is installed (`main.ts`): a fresh embedded database, the story
 * played through the services, the scorecard, the digest chart, and how to start the bot on it.
 */
import { auditRuns } from './audits.ts';
import { Hands } from './hands.ts';
import { labelStory } from './labels.ts';
import { noiseStory } from './noise.ts';
import { holdings, howToStart, organisationScorecard, scorecardLines, writeDigestChart } from './report.ts';
import { scannerStory } from './scanner.ts';
import { setUp } from './setup.ts';
import { isoDate, Timeline } from './story.ts';
import { type DemoTime, wallClockMs } from './time.ts';
import { createWorld, DemoRefusal, openFreshDatabase } from './world.ts';

export interface DemoOptions {
  dataDir: string;
  start: Date;
  end: Date;
  time: DemoTime;
  print: (line: string) => void;
  fail: (line: string) => void;
}

/** Runs the demo; the process's exit code. */
export async function runDemo(o: DemoOptions): Promise<number> {
  const began = wallClockMs();
  o.print(`Raccoons Inc.: a demonstration organisation for the CoE bot (seed §10), in ${o.dataDir}`);
  let db: Awaited<ReturnType<typeof openFreshDatabase>>;
  try {
    db = await openFreshDatabase(o.dataDir);
  } catch (error) {
    if (!(error instanceof DemoRefusal)) throw error;
    o.fail(`demo: ${error.message} The demo builds a new organisation and never writes over data:`);
    o.fail('demo: remove that folder, or give another one with --data-dir <folder> (or DATA_DIR=<folder>).');
    return 1;
  }
  o.print(
    `history from ${isoDate(o.start)} to ${isoDate(new Date(o.end.getTime() - 1))}, through the bot's services with a moved clock`,
  );
  o.print('');
  try {
    const world = createWorld(db, o.time);
    const timeline = new Timeline(world, new Hands(world), o.start, o.end, o.print);
    const story = timeline.story;
    setUp(story);
    labelStory(story);
    auditRuns(story);
    scannerStory(story);
    noiseStory(story);
    await timeline.play();

    o.print('');
    const card = await organisationScorecard(world);
    for (const line of scorecardLines(card)) o.print(line);
    o.print('');
    const chart = await writeDigestChart(card, o.dataDir);
    o.print(
      `digest chart (median days per stage of the loop, this window and the previous): ${chart.file} (${chart.width}×${chart.height} PNG, ${Math.round(chart.bytes / 1024)} KB)`,
    );
    o.print(`in the database: ${await holdings(world)}`);
    o.print(`built in ${((wallClockMs() - began) / 1000).toFixed(1)} s`);
    o.print('');
    for (const line of howToStart(o.dataDir, story.org)) o.print(line);
    return 0;
  } finally {
    await db.close();
  }
}
