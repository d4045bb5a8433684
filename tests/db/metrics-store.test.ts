/**
 * The scorecard's facts from SQL on PGlite and real Postgres (issue 10), over a small history whose every figure is
 * worked out by hand in the comments: the current window, the previous one, and one team's view.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prismaMetrics } from '../../src/db/metrics-queries.ts';
import type { MetricsSource } from '../../src/ports/metrics.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { seedMetricsHistory } from '../support/metrics-history.ts';

const current = { from: new Date('2026-09-01T00:00:00.000Z'), to: new Date('2026-11-30T00:00:00.000Z') };
const previous = { from: new Date('2026-06-03T00:00:00.000Z'), to: current.from };
const organisation = { kind: 'organisation' } as const;

describe.each(databaseKinds())('scorecard facts in SQL (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let metrics: MetricsSource;
  let teams: Awaited<ReturnType<typeof seedMetricsHistory>>;

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    metrics = prismaMetrics(db.prisma);
    teams = await seedMetricsHistory(db);
  });

  it('computes every figure of the current window for the organisation', async () => {
    const facts = await metrics.scorecard(current, organisation);
    // FR-1: 09-02 → released 10-01 (29 d), triaged 09-04 (2 d), CR-1 approved 09-20 (16 d after triage).
    // FR-2: 09-03 → 10-01 (28 d), triaged 09-07 (4 d), approved 13 d after. CR-1: 11 d to release, CR-3: 6 d.
    // First deployed: release 1 after 2 d (Warehouse), release 3 after 10 d; release 2 never (left out).
    expect(facts.speed).toEqual({
      reports: 2,
      total: 28.5,
      reportedToTriaged: 3,
      triagedToApproved: 14.5,
      approvedToReleased: 8.5,
      releasedToDeployed: 6,
    });
    // Releases 1, 2 (30 days end 10-31) and 3 (10-15); 1 is followed by CR-2, 2 by FR-5 and CR-4; 3 by nothing.
    // SCAN drew CR-2; PICK drew FR-5 and CR-4.
    // Clarity: released in the window SCAN v1.1 (only "longer": passes), PICK v2.0 (3) and DOCK v1.1 (not checked: left out);
    // 1 of 2 passed. DOCK v1.0's 5 findings are a baseline's, not a release's. Most: PICK v2.0.
    expect(facts.quality).toEqual({
      releases: 3,
      clean: 1,
      mostCorrected: { sopKey: 'PICK', corrections: 2 },
      clarity: {
        versions: 2,
        clear: 1,
        mostFindings: { sopKey: 'PICK', version: 'v2.0', findings: 3, rules: ['no-actor', 'acronym'] },
      },
    });
    expect(facts.tools).toEqual({
      tools: [
        { tool: 'Scanner', reports: 2, medianDaysToResolve: 28.5 },
        { tool: 'Printer', reports: 1, medianDaysToResolve: null },
      ],
      reports: 3,
      alerted: ['Scanner'],
    });
    // TR-1 due 10-10: Warehouse 3 of 5 by the due date (one finished late), Office 1 of 3, the executive layer 1 of 1.
    // Audits of PICK in the 60 days before 10-10: 08-20 pass, 09-07 pass, 10-05 breach; after: 11-02 breach.
    expect(facts.training).toEqual({
      trainings: 1,
      teams: [
        { teamId: teams.office.id, team: 'Office', assigned: 3, doneByDue: 1 },
        { teamId: teams.warehouse.id, team: 'Warehouse', assigned: 5, doneByDue: 3 },
      ],
      layers: [{ layer: 'executive', assigned: 1, doneByDue: 1 }],
      auditsBefore: { runs: 3, passed: 2 },
      auditsAfter: { runs: 1, passed: 0 },
    });
    // High and blocking: FR-4 is still open; FR-1, FR-2 and FR-7 resolved, FR-6 declined. New: FR-1, FR-2.
    expect(facts.blockers).toEqual({ openAtEnd: 1, newInWindow: 2 });
    expect(facts.consistency).toEqual({
      standards: [
        { sopKey: 'DOCK', version: 'v1.1', targets: 1, deployed: 1 },
        { sopKey: 'PICK', version: 'v2.0', targets: 1, deployed: 0 },
        { sopKey: 'SCAN', version: 'v1.1', targets: 2, deployed: 2 },
      ],
      // DOCK: 09-19 breach, 10-05 pass. SCAN: 09-02 and 10-12 breaches, 10-26 and 10-27 passes.
      auditPassRates: [
        { sopKey: 'DOCK', runs: 2, passed: 1 },
        { sopKey: 'PICK', runs: 3, passed: 1 },
        { sopKey: 'SCAN', runs: 4, passed: 2 },
      ],
    });
    // Due in the window: PICK's 09-07, 10-05, 11-02 (11-25 still has its week), on schedule 09-07 and 11-02; and the
    // six runs of SCAN and DOCK, each recorded the day after.
    expect(facts.audits).toEqual({ due: 9, onSchedule: 8, breachDrafts: 2, breachDecided: 1, breachApproved: 1 });
    // EX-1 and EX-3 active (EX-2 ended before); EX-1 served by CR-1. CR-1 and CR-3 released; CR-3 serves none.
    expect(facts.constraints).toEqual({
      active: 2,
      served: 1,
      released: 2,
      servingNone: 1,
      unserved: [{ number: 3, text: 'c' }],
    });
    // 14 days ended in the window for releases 3 (09-29), 1 and 2 (10-15). The next audit on the version after the
    // Deployed: DOCK v1.1, deployed by Dock 09-25: its 09-20 breach came before, its 10-06 pass is next → passed.
    // SCAN v1.1, Warehouse deployed 10-03 (Dock only 10-20, too late): its 09-03 breach was on v1.0 and before; next
    // on v1.1 the 10-13 breach → not passed (the 10-27 pass comes after it). PICK v2.0: Office never deployed.
    // People in the target teams: Dock 6; Warehouse 5 + Dock 6; Office 3.
    expect(facts.adoption).toEqual({
      releases: [
        { sopKey: 'DOCK', version: 'v1.1', targets: 1, deployedIn14: 1, audited: 1, passed: 1, people: 6 },
        { sopKey: 'SCAN', version: 'v1.1', targets: 2, deployedIn14: 1, audited: 1, passed: 0, people: 11 },
        { sopKey: 'PICK', version: 'v2.0', targets: 1, deployedIn14: 0, audited: 0, passed: 0, people: 3 },
      ],
    });
  });

  it('computes the previous window from the history as it stood then', async () => {
    const facts = await metrics.scorecard(previous, organisation);
    expect(facts.speed).toEqual({
      reports: 0,
      total: null,
      reportedToTriaged: null,
      triagedToApproved: null,
      approvedToReleased: null,
      releasedToDeployed: 2,
    });
    // At 09-01: FR-4 open, FR-7 not resolved until 09-15, FR-6 declined on 08-01.
    expect(facts.blockers).toEqual({ openAtEnd: 2, newInWindow: 2 });
    expect(facts.constraints).toEqual({
      active: 2,
      served: 0,
      released: 0,
      servingNone: 0,
      unserved: [
        { number: 1, text: 'a' },
        { number: 2, text: 'b' },
      ],
    });
    // SCAN v1.0's 30 days ended 07-10 with no correction; released 06-10, its text had 2 clarity findings.
    expect(facts.quality).toEqual({
      releases: 1,
      clean: 1,
      mostCorrected: null,
      clarity: {
        versions: 1,
        clear: 0,
        mostFindings: { sopKey: 'SCAN', version: 'v1.0', findings: 2, rules: ['vague', 'should'] },
      },
    });
    // SCAN v1.0, deployed by Warehouse 06-12: its next audit on v1.0 (09-03, a breach) came after this window's end,
    // so none existed then: the Deployed counts alone.
    expect(facts.adoption.releases).toEqual([
      { sopKey: 'SCAN', version: 'v1.0', targets: 1, deployedIn14: 1, audited: 0, passed: 0, people: 5 },
    ]);
    expect(facts.consistency.standards).toEqual([{ sopKey: 'SCAN', version: 'v1.0', targets: 1, deployed: 1 }]);
    expect(facts.audits).toEqual({ due: 1, onSchedule: 1, breachDrafts: 0, breachDecided: 0, breachApproved: 0 });
  });

  it('narrows to one team: its reports, the releases it was sent, its own training', async () => {
    const facts = await metrics.scorecard(current, { kind: 'team', teamId: teams.warehouse.id, teamName: 'Warehouse' });
    expect(facts.speed).toEqual({
      reports: 1,
      total: 29,
      reportedToTriaged: 2,
      triagedToApproved: 16,
      approvedToReleased: 11,
      releasedToDeployed: 2,
    });
    expect(facts.training.teams).toEqual([
      { teamId: teams.warehouse.id, team: 'Warehouse', assigned: 5, doneByDue: 3 },
    ]);
    expect(facts.training.layers).toEqual([]);
    expect(facts.blockers).toEqual({ openAtEnd: 0, newInWindow: 1 });
    // Warehouse alone: deployed SCAN v1.1 within 14 days, failed its next audit on it (10-13).
    expect(facts.adoption.releases).toEqual([
      { sopKey: 'SCAN', version: 'v1.1', targets: 1, deployedIn14: 1, audited: 1, passed: 0, people: 5 },
    ]);
    expect(facts.tools.reports).toBe(2);
    // Clarity: of the releases sent to Warehouse in the window, SCAN v1.1, with only "longer" (passes).
    expect(facts.quality.clarity).toEqual({ versions: 1, clear: 1, mostFindings: null });
  });

  it("gives the export's adoption per team: deployed within 14 days, and not failed by its next audit", async () => {
    const rows = await metrics.teamRows(current);
    const adoption = rows.map((r) => [r.team, r.releases, r.deployedIn14, r.adopted]);
    // Dock: SCAN v1.1 (Deployed 10-20, past its 14 days) and DOCK v1.1 (Deployed 09-25, audit on v1.1 passed) → 1, 1.
    // Office: PICK v2.0, never deployed. Warehouse: SCAN v1.1 Deployed 10-03, then its audit on v1.1 (10-13) failed.
    expect(adoption).toEqual([
      ['Dock', 2, 1, 1],
      ['Office', 1, 0, 0],
      ['Warehouse', 1, 1, 0],
    ]);
  });

  it('judges clarity by the versions released in the window, a standard by its last one', async () => {
    const since = { from: new Date('2026-06-01T00:00:00.000Z'), to: current.to };
    const warehouse = { kind: 'team', teamId: teams.warehouse.id, teamName: 'Warehouse' } as const;
    // Warehouse was sent SCAN v1.0 (2 findings, 06-10) and v1.1 (only "longer", 10-01): 1 of 2 passed, and SCAN is not worth
    // a look, its last version having cleared what v1.0 had.
    expect((await metrics.scorecard(since, warehouse)).quality.clarity).toEqual({
      versions: 2,
      clear: 1,
      mostFindings: null,
    });
    // The organisation: SCAN v1.0, v1.1, PICK v2.0 (DOCK v1.1 unchecked); the last ones: SCAN v1.1 (passes), PICK v2.0 (3).
    expect((await metrics.scorecard(since, organisation)).quality.clarity).toEqual({
      versions: 3,
      clear: 1,
      mostFindings: { sopKey: 'PICK', version: 'v2.0', findings: 3, rules: ['no-actor', 'acronym'] },
    });
  });

  it('knows how many people each active team has', async () => {
    const sizes = await metrics.teamSizes();
    expect([...sizes.values()].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'Dock', members: 6 },
      { name: 'Office', members: 3 },
      { name: 'Warehouse', members: 5 },
    ]);
  });
});
