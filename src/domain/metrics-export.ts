/**
 * `metrics export [window]`: the team-level rows as CSV, under the same rules as every other figure. A team smaller
 * than the minimum group shows no counts of its own; in each column, one more team is hidden where the organisation's
 * total minus the teams shown would give a hidden one away. Cells a spreadsheet would run as a formula are quoted
 * as text.
 */
import type { Message } from './message.ts';
import { shownCells, TOO_FEW } from './metrics.ts';
import type { TeamRowFacts } from './metrics-facts.ts';

const COLUMNS = [
  'team',
  'reports',
  'high_or_blocking_reports',
  'training_assigned',
  'training_done_by_due_date',
  'releases_sent',
  'deployed_within_14_days',
  'adopted_not_failed_by_next_audit',
] as const;

type Cell = string | number;

/** RFC 4180 quoting, and a leading `'` where a spreadsheet would otherwise read a formula (=, +, -, @). */
export function csvCell(value: Cell): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The export's file name: `coe-metrics-2026-09-01-to-2026-11-30.csv`. */
export function exportFilename(from: Date, to: Date): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return `coe-metrics-${day(from)}-to-${day(to)}.csv`;
}

/**
 * The CSV: a header, one row per team, then the organisation's totals. Counts about a team are shown only where it
 * has at least `minGroup` people; training counts where at least `minGroup` were assigned.
 */
export function metricsCsv(rows: readonly TeamRowFacts[], minGroup: number): string {
  const teamShown = shownCells(
    rows.map((r) => ({ value: r, people: r.members })),
    minGroup,
    true,
  );
  // Training: among the teams with someone assigned (a hidden team counts as too small whatever its number).
  const trained = rows.flatMap((r, i) => (r.trainingAssigned > 0 ? [i] : []));
  const trainedShown = shownCells(
    trained.map((i) => ({ value: i, people: (rows[i] as TeamRowFacts).trainingAssigned, hidden: !teamShown[i] })),
    minGroup,
    true,
  );
  const trainingShown = rows.map((_r, i) => {
    const at = trained.indexOf(i);
    return at < 0 || trainedShown[at] === true;
  });
  const sum = (pick: (r: TeamRowFacts) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const people = sum((r) => r.members);
  const assigned = sum((r) => r.trainingAssigned);
  const lines: Cell[][] = [[...COLUMNS]];
  rows.forEach((r, i) => {
    const team = teamShown[i];
    const training = team && trainingShown[i];
    lines.push([
      r.team,
      team ? r.reports : TOO_FEW,
      team ? r.blockingReports : TOO_FEW,
      training ? r.trainingAssigned : TOO_FEW,
      training ? r.trainingDoneByDue : TOO_FEW,
      team ? r.releases : TOO_FEW,
      team ? r.deployedIn14 : TOO_FEW,
      team ? r.adopted : TOO_FEW,
    ]);
  });
  const organisation = people >= minGroup;
  lines.push([
    'Organisation (all teams)',
    organisation ? sum((r) => r.reports) : TOO_FEW,
    organisation ? sum((r) => r.blockingReports) : TOO_FEW,
    assigned >= minGroup || assigned === 0 ? assigned : TOO_FEW,
    assigned >= minGroup ? sum((r) => r.trainingDoneByDue) : assigned === 0 ? 0 : TOO_FEW,
    organisation ? sum((r) => r.releases) : TOO_FEW,
    organisation ? sum((r) => r.deployedIn14) : TOO_FEW,
    organisation ? sum((r) => r.adopted) : TOO_FEW,
  ]);
  return `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The export shown in a message: the CSV's lines as typed, to copy into a spreadsheet (where no file can go). */
export function exportMessage(e: { title: string; filename: string; csv: string; teams: number }): Message {
  const lines = e.csv.trimEnd().split('\r\n');
  return {
    text: `${e.title}: ${e.teams} ${e.teams === 1 ? 'team' : 'teams'}, as CSV (${e.filename}).`,
    blocks: [
      { type: 'heading', text: e.title },
      {
        type: 'note',
        text: `${e.filename}: copy the lines below into a spreadsheet. Groups too small to stay anonymous read "${TOO_FEW}".`,
      },
      { type: 'document', blocks: lines.map((text) => ({ kind: 'code' as const, text })) },
    ],
  };
}

/** The button of the export's download link (opens the link; no action comes back to the bot). */
export const EXPORT_DOWNLOAD_ACTION = 'metrics-export-download';

/**
 * The export offered as a single-use download link (Teams): what it holds, that the link works once and for how long,
 * and the button that opens it. The link itself stays out of the plain text, which notifications show.
 */
export function exportLinkMessage(
  e: { title: string; filename: string; teams: number },
  url: string,
  minutes: number,
): Message {
  const teams = `${e.teams} ${e.teams === 1 ? 'team' : 'teams'}`;
  const once = `This link works once, for ${minutes} minutes.`;
  return {
    text: `${e.title}: ${teams} as CSV, to download. ${once}`,
    blocks: [
      { type: 'heading', text: e.title },
      { type: 'paragraph', text: `${e.filename}: ${teams}, one row each, and the organisation's totals.` },
      {
        type: 'note',
        text: `${once} Groups too small to stay anonymous read "${TOO_FEW}". Ask again for a new link.`,
      },
      {
        type: 'actions',
        actions: [{ id: EXPORT_DOWNLOAD_ACTION, label: 'Download CSV', value: '', url, style: 'primary' }],
      },
    ],
  };
}

/** Where the export went, when it went as a file. */
export function exportSentMessage(e: { title: string; filename: string; teams: number }): Message {
  const text = `${e.title}: ${e.filename} is in your direct messages with the bot (${e.teams} ${e.teams === 1 ? 'team' : 'teams'}, one row each).`;
  return { text, blocks: [{ type: 'paragraph', text }] };
}
