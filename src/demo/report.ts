/**
 * The end of the demo: the organisation's scorecard for the last 90 days as the weekly digest computes it (the nine
 * figures with their trends, as text: nothing about one person), the digest's chart written as a PNG next to the
 * database, what the database now holds, and how to start the bot on it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderChartPng } from '../charts/png.ts';
import type { Scorecard } from '../domain/metrics.ts';
import { stageChart, trendText } from '../domain/metrics-messages.ts';
import { COE } from './cast.ts';
import type { Org } from './story.ts';
import type { World } from './world.ts';

/** The scorecard as lines of text: each figure, its details, how it is computed; then what needs attention. */
export function scorecardLines(card: Scorecard): string[] {
  const lines = [`The CoE scorecard · ${card.scopeLabel} · ${card.windowLabel}, against the 90 days before`];
  card.figures.forEach((f, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${f.title}: ${f.value} ${trendText(f)}`);
    for (const detail of f.details) lines.push(`      ${detail.replace(/\*\*/g, '')}`);
    if (f.also) lines.push(`      ${f.also.label}: ${f.also.counted}, ${f.also.value} ${trendText(f.also)}`);
    lines.push(`      how: ${f.how}`);
  });
  if (card.attention.length > 0) {
    lines.push('Worth the CoE’s attention:');
    for (const a of card.attention) lines.push(`  • ${a}`);
  }
  return lines;
}

/** The organisation's 90-day scorecard, asked for as a CoE member would (`metrics`). */
export function organisationScorecard(world: World): Promise<Scorecard> {
  return world.services.metrics.scorecardFor({ actor: COE.rita, key: 'demo:metrics' }, { window: '90d' });
}

/** The digest's chart (median days per stage, this window against the previous) as `<dataDir>/digest-chart.png`. */
export async function writeDigestChart(card: Scorecard, dataDir: string) {
  const chart = await renderChartPng(stageChart(card));
  const file = path.join(dataDir, 'digest-chart.png');
  await writeFile(file, chart.png);
  return { file, width: chart.width, height: chart.height, bytes: chart.png.length };
}

/** What the story left in the database, counted per kind of record. */
export async function holdings(world: World): Promise<string> {
  const p = world.db.prisma;
  const [reports, changes, releases, acks, trainings, runs, people, teams] = await Promise.all([
    p.frictionReport.count(),
    p.changeRequest.count(),
    p.sopRelease.count(),
    p.releaseAck.count(),
    p.training.count(),
    p.auditRun.count(),
    p.person.count(),
    p.team.count(),
  ]);
  return `${people} people in ${teams} teams, ${reports} friction reports, ${changes} change requests, ${releases} releases (${acks} Deployed), ${trainings} trainings, ${runs} audit runs; ${world.delivered()} messages delivered in the story's time`;
}

/** How to start the bot on the demo's data, and what to try there. */
export function howToStart(dataDir: string, org: Org): string[] {
  const relative = path.relative(process.cwd(), path.resolve(dataDir));
  const shown =
    relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? `./${relative}` : path.resolve(dataDir);
  const dir = /\s/.test(shown) ? `"${shown}"` : shown;
  const fr = org.scannerReport ?? 1;
  const tr = org.scannerTraining ?? 1;
  return [
    'Start the bot on Raccoons Inc.:',
    `  DATA_DIR=${dir} npm start`,
    'Then open the Bot Framework Emulator on http://127.0.0.1:3000/api/messages and say:',
    `  help · sop list · sop show inventory-scanning · sop diff inventory-scanning v1.0 · status FR-${fr} · training status TR-${tr} · audit list · ai ChatGPT · constraint list · team list`,
    'To see the CoE’s side (metrics with its chart, the triage queue, the jobs), start it as a CoE member:',
    `  COE_MEMBERS=teams:<your Emulator user id> DATA_DIR=${dir} npm start`,
    '  and say: metrics · metrics 30d · metrics Warehouse North · metrics Front Desk · metrics constraints · queue · jobs',
    'In Slack or Teams, configure the platform as the README says, add yourself with COE_MEMBERS=slack:<your id> (or teams:…), and',
    '  say "setup review-channel" in your CoE channel: the demo’s people and channels are Raccoons Inc.’s, not your workspace’s.',
  ];
}
