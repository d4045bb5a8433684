/**
 * The export's CSV and the executives' constraint report (issue 10): suppression of small teams with one more hidden
 * where the total would give it away, spreadsheet-safe cells, and the monthly summary to whoever set a constraint.
 */
import { describe, expect, it } from 'vitest';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import { constraintReportMessage } from '../../src/domain/constraint-report.ts';
import { csvCell, exportFilename, metricsCsv } from '../../src/domain/metrics-export.ts';
import type { ConstraintServing, TeamRowFacts } from '../../src/domain/metrics-facts.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import { expectCoeError, mona, olga, wanda } from '../support/cast.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { memoryMetrics } from '../support/memory-metrics.ts';
import { buildServices } from '../support/services.ts';

const row = (team: string, members: number, overrides: Partial<TeamRowFacts> = {}): TeamRowFacts => ({
  team,
  members,
  reports: 10,
  blockingReports: 2,
  trainingAssigned: members,
  trainingDoneByDue: members - 1,
  releases: 3,
  deployedIn14: 2,
  adopted: 1,
  ...overrides,
});

/** A minimal RFC 4180 reader: enough to prove the CSV parses back into its cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let cell = '';
  let line: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      line.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      line.push(cell);
      rows.push(line);
      line = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('metrics export CSV', () => {
  it('has a row per team and the organisation, and parses back', () => {
    const csv = metricsCsv([row('Dock', 6), row('Warehouse', 8)], 5);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
      'team',
      'reports',
      'high_or_blocking_reports',
      'training_assigned',
      'training_done_by_due_date',
      'releases_sent',
      'deployed_within_14_days',
      'adopted_not_failed_by_next_audit',
    ]);
    expect(rows.slice(1)).toEqual([
      ['Dock', '10', '2', '6', '5', '3', '2', '1'],
      ['Warehouse', '10', '2', '8', '7', '3', '2', '1'],
      ['Organisation (all teams)', '20', '4', '14', '12', '6', '4', '2'],
    ]);
  });

  it('hides a team of three, and the smallest other team too so the totals give nothing away', () => {
    const rows = parseCsv(metricsCsv([row('Dock', 6), row('Office', 3), row('Warehouse', 8)], 5));
    expect(rows[1]).toEqual(['Dock', ...Array(7).fill('too few to show')]);
    expect(rows[2]).toEqual(['Office', ...Array(7).fill('too few to show')]);
    expect(rows[3]).toEqual(['Warehouse', '10', '2', '8', '7', '3', '2', '1']);
    expect(rows[4]?.[0]).toBe('Organisation (all teams)');
  });

  it('keeps a team with nobody assigned training from hiding others', () => {
    const rows = parseCsv(
      metricsCsv(
        [row('Dock', 6), row('Yard', 7, { trainingAssigned: 0, trainingDoneByDue: 0 }), row('Warehouse', 8)],
        5,
      ),
    );
    expect(rows[1]?.slice(3, 5)).toEqual(['6', '5']);
    expect(rows[2]?.slice(3, 5)).toEqual(['0', '0']);
  });

  it('quotes commas and quotes, and turns would-be formulas into text', () => {
    expect(csvCell('Ops, "night"')).toBe('"Ops, ""night"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(12)).toBe('12');
    expect(exportFilename(new Date('2026-09-01T00:00:00Z'), new Date('2026-11-30T00:00:00Z'))).toBe(
      'coe-metrics-2026-09-01-to-2026-11-30.csv',
    );
  });

  it('reads `metrics export [window]`, and refuses a team name there', () => {
    expect(parseCoeCommand('metrics export 30d')).toEqual({ kind: 'metrics', view: 'export', window: '30d' });
    expect(parseCoeCommand('metrics export')).toEqual({ kind: 'metrics', view: 'export' });
    expect(parseCoeCommand('metrics constraints')).toEqual({ kind: 'metrics', view: 'constraints' });
    expect(parseCoeCommand('metrics export Warehouse').kind).toBe('invalid');
  });
});

const ezra: PersonRef = { platform: 'slack', externalId: 'U0EZRA', displayName: 'Ezra Executive' };

const serving = (createdByPersonId: number): ConstraintServing[] => [
  {
    number: 1,
    kind: 'priority',
    text: 'Fewer scanner outages',
    until: null,
    endedAt: null,
    createdByPersonId,
    changes: [
      {
        number: 4,
        title: 'Swap batteries at shift start',
        status: 'released',
        release: { sopKey: 'SCAN', version: 'v1.1', publishedAt: new Date('2026-10-01T10:00:00Z') },
      },
      { number: 7, title: 'Charge overnight', status: 'approved', release: null },
      { number: 8, title: 'Refused idea', status: 'rejected', release: null },
    ],
  },
  {
    number: 2,
    kind: 'target',
    text: 'Cut returns by 10%',
    until: new Date('2027-03-31'),
    endedAt: null,
    createdByPersonId,
    changes: [],
  },
];

describe('executive constraints and what serves them', () => {
  const now = new Date('2026-11-30T10:00:00Z');

  it('lists each constraint with its released and open changes, leaving refused ones out', () => {
    const message = constraintReportMessage(serving(1), now);
    expect(message.text).toBe('Executive direction and the changes serving it: 1 of 2 served by a released change.');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('EX-1 · Priority** (open-ended): Fewer scanner outages');
    expect(text).toContain('1 released, 1 still open.');
    expect(text).toContain('CR-4 Swap batteries at shift start: released in SOP-SCAN v1.1 on Thu, 1 Oct 2026');
    expect(text).toContain('CR-7 Charge overnight: approved');
    expect(text).not.toContain('CR-8');
    expect(text).toContain('EX-2 · Outcome target** (until Wed, 31 Mar 2027): Cut returns by 10%');
    expect(text).toContain('No change request serves it yet.');
  });

  it('shows it to executives and the CoE, and sends each setter a monthly summary once', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2026-12-01T09:00:00.000Z');
    let ezraId = 0;
    const services = buildServices(store, clock, {
      metricsSource: memoryMetrics(store, undefined, () => serving(ezraId)),
    });
    await services.admin.bootstrapCoeMembers([olga]);
    await store.transaction(async (r) => {
      const person = await r.people.identify(ezra);
      ezraId = person.id;
      await r.people.setLayer(person.id, 'executive');
      await r.people.setLayer((await r.people.identify(mona)).id, 'manager');
      await r.people.identify(wanda);
    });
    const ask = (actor: PersonRef) =>
      services.commands.handle({ actor, key: `c-${actor.externalId}` }, parseCoeCommand('metrics constraints'));
    expect((await ask(ezra)).text).toContain('1 of 2 served');
    expect((await ask(olga)).text).toContain('1 of 2 served');
    for (const who of [mona, wanda]) {
      await expectCoeError(ask(who), 'PERMISSION.DENIED', /^Executives and the CoE follow executive direction here/);
    }
    const fire = new Date('2026-12-01T09:00:00.000Z');
    expect(await services.metrics.constraintSummaries(fire)).toBe('1 executive told');
    expect(await services.metrics.constraintSummaries(fire)).toBe('1 executive told');
    const sent = store.outbox.filter((m) => m.key.startsWith('constraint-summary:'));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.target).toEqual({ kind: 'dm', externalId: ezra.externalId });
    expect(sent[0]?.body.text).toMatch(/^Your direction this month/);
  });
});
