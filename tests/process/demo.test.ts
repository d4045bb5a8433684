/**
 * `npm run demo` as a newcomer meets it (issue 10, seed §10): the compiled demo (scripts/demo.mjs, what the npm script
 * runs) builds Raccoons Inc. in a fresh DATA_DIR, prints the scanner loop as it happens and the scorecard's nine
 * figures (naming nobody), writes the digest chart as a PNG, says how to start the bot on it, and refuses a second
 * run on the same folder. The database it leaves holds the story, dated by the moved clock.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { EVERYONE } from '../../src/demo/cast.ts';
import { decodePng } from '../support/png.ts';
import { makeTempDir, REPO_ROOT, removeTempDirs } from './bot-process.ts';

const DEMO = path.join(REPO_ROOT, 'scripts/demo.mjs');
const TODAY = '2026-12-01';
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'SYSTEMROOT'];

const FIGURES = [
  'Speed of iteration',
  'Quality of standards',
  'Tool reliability',
  'Training effectiveness',
  'Reduction in blockers',
  'Cross-department consistency',
  'Audit accuracy',
  'Alignment with executive constraints',
  'Adoption success rate',
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the demo as `npm run demo -- …` does, with nothing of the developer's environment but the basics. */
function demo(args: string[]): Promise<Run> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) if (process.env[name] !== undefined) env[name] = process.env[name] as string;
  const child = spawn(process.execPath, [DEMO, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The line that matches, or a failure that shows the whole output. */
function lineOf(out: string, pattern: RegExp): string {
  const line = out.split('\n').find((l) => pattern.test(l));
  expect(line, `no line matches ${pattern} in:\n${out}`).toBeDefined();
  return line as string;
}

const indexOf = (out: string, pattern: RegExp) => out.split('\n').findIndex((l) => pattern.test(l));

let dataDir: string;
let first: Run;

beforeAll(async () => {
  dataDir = path.join(await makeTempDir('coe-demo-'), 'raccoons');
  first = await demo(['--data-dir', dataDir, '--today', TODAY]);
}, 120_000);

afterAll(async () => {
  await removeTempDirs();
});

describe('npm run demo', () => {
  it('builds Raccoons Inc. and exits 0', () => {
    expect(first.code, `stderr:\n${first.stderr}\nstdout:\n${first.stdout}`).toBe(0);
    expect(first.stderr).toBe('');
    const dated = first.stdout.split('\n').filter((l) => /^\d{4}-\d{2}-\d{2} {2}/.test(l));
    expect(dated.length).toBeGreaterThan(60);
    // About 120 days, ending the day before --today, in time order.
    expect(dated[0]).toMatch(/^2026-08-03 {2}Raccoons Inc\. sets up its CoE/);
    expect(dated.at(-1)?.slice(0, 10)).toBe('2026-11-30');
    const dates = dated.map((l) => l.slice(0, 10));
    expect([...dates].sort()).toEqual(dates);
  });

  it('prints the scanner loop of seed §10 as it happens, in order', () => {
    const out = first.stdout;
    const steps = [
      /FR-\d+ "Inventory scanners fail after 30 minutes" reported by a Warehouse North manager/,
      /reported by a Warehouse South manager \(Handheld scanner/,
      /reported by an Inventory Control manager \(Handheld scanner, blocking impact\)/,
      /recurring-pattern alert in the CoE review channel: 3 reports about "Handheld scanner" within 14 days/,
      /the CoE triages FR-\d+, FR-\d+, FR-\d+ and merges FR-\d+ into FR-\d+ as a duplicate/,
      /AUD-1 run: largest variance 15% > 5% acceptable → breach: CR-\d+ drafted/,
      /root cause recorded on FR-\d+, FR-\d+, FR-\d+: The scanner profile/,
      /CR-\d+ "Dock scanners between pick waves; swap batteries at the half-shift break" \(workflow change\) raised by the CoE, linked to FR-\d+, FR-\d+, FR-\d+, serving EX-1/,
      /\(tool configuration\) raised by the CoE/,
      /\(training\) raised by the CoE/,
      /CR-\d+ sent back to its requester/,
      /CR-\d+ revised .* and resubmitted/,
      /approved by a CoE member who did not raise them: FR-\d+, FR-\d+, FR-\d+ now in change/,
      /SOP-inventory-scanning v2\.0 released to Warehouse North, Warehouse South, Inventory Control .*resolved/,
      /TR-\d+ "Scanning with docks and battery swaps \(v2\.0\)" assigned to 28 people in 3 teams/,
      /Warehouse North deployed SOP-inventory-scanning v2\.0/,
      /Inventory Control deployed SOP-inventory-scanning v2\.0/,
      /Warehouse South deployed SOP-inventory-scanning v2\.0/,
      /TR-\d+ due today: 2\d of 28 completed in time/,
      /SOP-inventory-scanning v2\.1 released/,
    ];
    let at = -1;
    for (const step of steps) {
      const next = indexOf(out, step);
      expect(next, `${step} missing in:\n${out}`).toBeGreaterThan(at);
      at = next;
    }
    // Audits confirm the improvement: every run after v2.0 is within the acceptable variance.
    const lines = out.split('\n');
    const released = indexOf(out, /SOP-inventory-scanning v2\.0 released/);
    const after = lines.slice(released).filter((l) => /^\S+ {2}AUD-1 run/.test(l));
    expect(after.length).toBeGreaterThan(5);
    for (const line of after) expect(line).toMatch(/: within$/);
  });

  it('prints the everyday noise: declines in their lanes, other releases, the privacy rule', () => {
    const out = first.stdout;
    for (const lane of ['manager call', 'executive call', 'people matter', 'covered by standard', 'other']) {
      lineOf(out, new RegExp(`declined, kept in its lane: ${lane}`));
    }
    lineOf(out, /SOP-label-printing v1\.1 released/);
    lineOf(out, /SOP-ai-usage-rules v1\.0 released to every team/);
    lineOf(out, /SOP-goods-receiving v1\.1 released/);
    lineOf(out, /clarity check: "as needed" leaves the call to the reader/);
    lineOf(out, /CR-\d+ rejected: EX-2 rules out new tool purchases/);
    lineOf(out, /CR-\d+ withdrawn by its requester/);
    lineOf(out, /Front Desk's completion reads "too few to show"/);
  });

  it('prints the scorecard with its nine figures and names nobody', () => {
    const out = first.stdout;
    const heading = indexOf(out, /^The CoE scorecard · the organisation · the last 90 days/);
    expect(heading).toBeGreaterThan(0);
    FIGURES.forEach((title, i) => {
      expect(indexOf(out, new RegExp(`^ ?${i + 1}\\. ${title}: `))).toBeGreaterThan(heading);
    });
    // Its standards have text, so quality of standards has its clarity part.
    expect(
      indexOf(out, /^ {6}Clarity: \d+ of \d+ versions? released in the window passed the clarity check/),
    ).toBeGreaterThan(heading);
    for (const person of EVERYONE) {
      expect(out).not.toContain(person.displayName);
      expect(out).not.toContain(person.externalId);
    }
  });

  it('writes the digest chart as a PNG in DATA_DIR and says how to start the bot on it', () => {
    const file = path.join(dataDir, 'digest-chart.png');
    lineOf(
      first.stdout,
      new RegExp(`^digest chart .*: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(1600×840 PNG`),
    );
    const png = decodePng(readFileSync(file));
    expect([png.width, png.height]).toEqual([1600, 840]);
    let ink = 0;
    for (let i = 0; i < png.rgba.length; i += 4) if ((png.rgba[i] ?? 255) < 200) ink++;
    expect(ink).toBeGreaterThan(5000);
    lineOf(first.stdout, new RegExp(`^ {2}DATA_DIR=${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} npm start$`));
    lineOf(first.stdout, /Bot Framework Emulator on http:\/\/127\.0\.0\.1:3000\/api\/messages/);
    lineOf(first.stdout, /help · sop list · sop show inventory-scanning/);
  });

  it('refuses a second run on the same DATA_DIR, and a folder that is not a database', async () => {
    const again = await demo(['--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/holds an organisation's data already/);
    expect(again.stdout).not.toMatch(/^\d{4}-\d{2}-\d{2} {2}/m);
    const other = await makeTempDir('coe-demo-other-');
    await writeFile(path.join(other, 'notes.txt'), 'mine');
    const refused = await demo(['--data-dir', other]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty, and it is not an embedded database/);
    expect(existsSync(path.join(other, 'PG_VERSION'))).toBe(false);
  }, 60_000);

  it('leaves the story in the database, dated by the moved clock, with nothing left to send', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const p = db.prisma;
      const release = await p.sopRelease.findFirstOrThrow({
        where: { sopKey: 'inventory-scanning', major: 2, minor: 0 },
      });
      const printed = lineOf(first.stdout, /SOP-inventory-scanning v2\.0 released/).slice(0, 10);
      expect(release.publishedAt.toISOString().slice(0, 10)).toBe(printed);
      const acks = await p.releaseAck.findMany({ where: { releaseId: release.id } });
      const teams = await p.team.findMany({ where: { id: { in: acks.map((a) => a.teamId) } } });
      expect(teams.map((t) => t.name).sort()).toEqual(['Inventory Control', 'Warehouse North', 'Warehouse South']);
      // Each pressed by a manager of that team, at the story's time: within days of the release.
      for (const ack of acks) expect(ack.at.getTime() - release.publishedAt.getTime()).toBeLessThan(14 * 86_400_000);
      const report = await p.frictionReport.findFirstOrThrow({
        where: { title: 'Inventory scanners fail after 30 minutes' },
      });
      expect(report.status).toBe('resolved');
      expect(report.createdAt.getTime()).toBeLessThan(release.publishedAt.getTime());
      const text = (major: number, minor: number) =>
        p.sopText.findFirstOrThrow({ where: { sopKey: 'inventory-scanning', major, minor } });
      const baseline = await text(1, 0);
      expect(baseline.text).toMatch(/^# Inventory scanning\n/);
      expect(baseline.text).toContain('- [ ] Scanner battery above 80%');
      // The redesign's text, as its change request proposed it: the new workflow and the scanners' configuration.
      const redesigned = await text(2, 0);
      expect(redesigned.text).toContain('put the scanner on its dock at the pick-wave board between pick waves');
      expect(redesigned.text).toContain('profile: warehouse-2');
      expect((await text(2, 1)).text).toContain('spare-battery cabinet');
      const span = await p.frictionReport.aggregate({ _min: { createdAt: true }, _max: { createdAt: true } });
      const days = ((span._max.createdAt?.getTime() ?? 0) - (span._min.createdAt?.getTime() ?? 0)) / 86_400_000;
      expect(days).toBeGreaterThan(100);
      // Delivered in the story's time (an update replaced by a later one is superseded, never sent).
      expect(await p.outboxMessage.count({ where: { status: { in: ['pending', 'sending', 'failed'] } } })).toBe(0);
      expect(await p.sopRelease.count({ where: { delivered: false } })).toBe(0);
    } finally {
      await db.close();
    }
  });
});
