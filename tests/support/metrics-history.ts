/**
 * A small history with hand-checked figures (tests/db/metrics-store.test.ts works each one out): three teams, seven
 * reports, five change requests, four releases and their versions' texts, an audit plan with five runs and two
 * more whose six runs know the team and version they audited, a training and three constraints, on dates in 2026.
 * Written straight into the tables, so every timestamp is what the figures need.
 */
import type { Database } from '../../src/db/client.ts';

export const at = (day: string) => new Date(`2026-${day}T10:00:00.000Z`);

/** Warehouse (5 people), Office (3), Dock (6), one executive in no team. */
export async function seedMetricsHistory(db: Database) {
  const p = db.prisma;
  const team = async (name: string, size: number) => {
    const t = await p.team.create({ data: { name } });
    const people: number[] = [];
    for (let i = 0; i < size; i++) {
      const person = await p.person.create({ data: { displayName: `${name} ${i}` } });
      await p.teamMember.create({ data: { teamId: t.id, personId: person.id, isManager: i === 0 } });
      people.push(person.id);
    }
    return { id: t.id, people };
  };
  const warehouse = await team('Warehouse', 5);
  const office = await team('Office', 3);
  const dock = await team('Dock', 6);
  const exec = await p.person.create({ data: { layer: 'executive', displayName: 'Eve' } });

  const report = (
    number: number,
    fields: { kind?: 'tool_friction' | 'failure_pattern' | 'quality_variance'; tool: string; team?: string },
    impact: string,
    created: string,
    status: 'new' | 'triaged' | 'resolved' | 'declined',
    changed: string,
    relatedSop?: string,
  ) =>
    p.frictionReport.create({
      data: {
        number,
        kind: fields.kind ?? 'tool_friction',
        title: `Report ${number}`,
        description: 'd',
        team: fields.team ?? null,
        tool: fields.tool,
        toolKey: fields.tool.toLowerCase(),
        frequency: 'daily',
        impact,
        relatedSop: relatedSop ?? null,
        status,
        statusChangedAt: at(changed),
        submissionKey: `fr-${number}`,
        claimToken: 't',
        createdAt: at(created),
      },
    });
  await report(1, { tool: 'Scanner', team: 'Warehouse' }, 'blocking', '09-02', 'resolved', '10-01');
  await report(2, { tool: 'Scanner', team: 'Dock' }, 'high', '09-03', 'resolved', '10-01');
  await report(3, { tool: 'Printer', team: 'Warehouse' }, 'low', '09-10', 'new', '09-10');
  await report(4, { kind: 'failure_pattern', tool: 'Picking', team: 'Office' }, 'high', '05-01', 'triaged', '05-03');
  await report(5, { kind: 'quality_variance', tool: 'Picking' }, 'medium', '10-15', 'new', '10-15', 'pick');
  await report(6, { tool: 'Scanner', team: 'Dock' }, 'blocking', '07-01', 'declined', '08-01');
  await report(7, { kind: 'failure_pattern', tool: 'Dock doors' }, 'high', '08-15', 'resolved', '09-15');
  const event = (subject: string, action: string, on: string, from: string, to: string) =>
    p.event.create({ data: { subject, action, at: at(on), fromState: from, toState: to } });
  await event('FR-1', 'friction.triaged', '09-04', 'new', 'triaged');
  await event('FR-2', 'friction.triaged', '09-07', 'new', 'triaged');
  await event('FR-7', 'friction.resolved', '09-15', 'new', 'resolved');
  await event('CR-1', 'change.approved', '09-20', 'in_review', 'approved');
  await event('CR-3', 'change.approved', '09-25', 'in_review', 'approved');
  await p.recurringPattern.create({
    data: { toolKey: 'scanner', tool: 'Scanner', reports: [1, 2], alertedAt: at('09-03') },
  });

  for (const key of ['SCAN', 'PICK', 'DOCK']) await p.sop.create({ data: { key, title: key } });
  const release = (
    id: number,
    sopKey: string,
    version: [number, number],
    on: string,
    changes: number[],
    teams: number[],
  ) =>
    p.sopRelease.create({
      data: {
        id,
        sopKey,
        major: version[0],
        minor: version[1],
        notes: 'n',
        changes,
        teamIds: teams,
        publishedAt: at(on),
        submissionKey: `rel-${id}`,
      },
    });
  await release(10, 'SCAN', [1, 0], '06-10', [], [warehouse.id]);
  await release(1, 'SCAN', [1, 1], '10-01', [1], [warehouse.id, dock.id]);
  await release(2, 'PICK', [2, 0], '10-01', [3], [office.id]);
  await release(3, 'DOCK', [1, 1], '09-15', [], [dock.id]);
  const ack = (releaseId: number, teamId: number, on: string) =>
    p.releaseAck.create({ data: { releaseId, teamId, at: at(on) } });
  await ack(10, warehouse.id, '06-12');
  await ack(1, warehouse.id, '10-03');
  await ack(1, dock.id, '10-20');
  await ack(3, dock.id, '09-25');
  // What the clarity check found in each version's text when it was written (null: written before it was kept).
  const text = (sopKey: string, version: [number, number], findings: number | null, rules: string[] = []) =>
    p.sopText.create({
      data: { sopKey, major: version[0], minor: version[1], text: 't', clarityFindings: findings, clarityRules: rules },
    });
  await text('SCAN', [1, 0], 2, ['vague', 'should']);
  // Growing longer alone is not unclear: SCAN v1.1 passes.
  await text('SCAN', [1, 1], 1, ['longer']);
  await text('PICK', [2, 0], 3, ['no-actor', 'acronym']);
  await text('DOCK', [1, 0], 5, ['vague']);
  await text('DOCK', [1, 1], null);

  await p.executiveConstraint.create({
    data: { number: 1, kind: 'priority', text: 'a', createdByPersonId: exec.id, createdAt: at('08-01') },
  });
  await p.executiveConstraint.create({
    data: {
      number: 2,
      kind: 'constraint',
      text: 'b',
      createdByPersonId: exec.id,
      createdAt: at('07-01'),
      endedAt: at('08-15'),
    },
  });
  await p.executiveConstraint.create({
    data: {
      number: 3,
      kind: 'target',
      text: 'c',
      createdByPersonId: exec.id,
      createdAt: at('10-01'),
      until: new Date('2026-12-31'),
    },
  });

  const change = (number: number, sopKey: string, on: string, status: string, extra: Record<string, unknown> = {}) =>
    p.changeRequest.create({
      data: {
        number,
        kind: 'standard',
        sopKey,
        title: `Change ${number}`,
        change: 'c',
        why: 'w',
        risk: 'low',
        improvement: 'clarify',
        status: status as 'released',
        submissionKey: `cr-${number}`,
        createdAt: at(on),
        ...extra,
      },
    });
  await change(1, 'SCAN', '09-05', 'released', { friction: [1, 2], releaseId: 1, constraint: 1 });
  await change(2, 'SCAN', '10-10', 'submitted');
  await change(3, 'PICK', '09-06', 'released', { releaseId: 2 });
  await change(4, 'PICK', '10-20', 'approved', { origin: 'audit AUD-1' });
  await change(5, 'PICK', '11-03', 'draft', { origin: 'audit AUD-1' });

  const plan = await p.auditPlan.create({
    data: {
      sopKey: 'PICK',
      schedule: '0 9 * * 1',
      checklist: ['a'],
      acceptableVariance: 5,
      ownerPersonId: exec.id,
      createdByPersonId: exec.id,
      submissionKey: 'aud-1',
    },
  });
  const run = (due: string, breach: boolean | null, recorded: string | null, changeNumber?: number) =>
    p.auditRun.create({
      data: {
        planNumber: plan.number,
        dueAt: at(due),
        breach,
        recordedAt: recorded ? at(recorded) : null,
        changeNumber: changeNumber ?? null,
      },
    });
  await run('08-20', false, '08-21');
  await run('09-07', false, '09-08');
  await run('10-05', true, '10-20', 4);
  await run('11-02', true, '11-03', 5);
  await run('11-25', null, null);
  // Audits that know the team and the version they audited (issue 11): of SCAN, owned in Warehouse, and of DOCK.
  const teamPlan = async (sopKey: string, ownerPersonId: number) =>
    p.auditPlan.create({
      data: {
        sopKey,
        schedule: '0 9 * * 1',
        checklist: ['a'],
        acceptableVariance: 5,
        ownerPersonId,
        createdByPersonId: exec.id,
        submissionKey: `aud-${sopKey}`,
      },
    });
  const scanPlan = await teamPlan('SCAN', warehouse.people[0] as number);
  const dockPlan = await teamPlan('DOCK', dock.people[0] as number);
  const audited = (plan: number, teamId: number, version: [number, number], due: string, breach: boolean) =>
    p.auditRun.create({
      data: {
        planNumber: plan,
        dueAt: at(due),
        breach,
        recordedAt: new Date(at(due).getTime() + 86_400_000),
        teamId,
        sopMajor: version[0],
        sopMinor: version[1],
      },
    });
  // Each recorded the day after it was due.
  await audited(scanPlan.number, warehouse.id, [1, 0], '09-02', true);
  await audited(scanPlan.number, warehouse.id, [1, 1], '10-12', true);
  await audited(scanPlan.number, warehouse.id, [1, 1], '10-26', false);
  await audited(scanPlan.number, dock.id, [1, 1], '10-27', false);
  await audited(dockPlan.number, dock.id, [1, 1], '09-19', true);
  await audited(dockPlan.number, dock.id, [1, 1], '10-05', false);

  const training = await p.training.create({
    data: {
      title: 'Picking',
      material: 'm',
      sopKey: 'PICK',
      teamIds: [warehouse.id, office.id],
      layers: ['executive'],
      dueOn: new Date('2026-10-10'),
      createdByPersonId: exec.id,
      submissionKey: 'tr-1',
    },
  });
  const assign = (personId: number, teamId: number | null, completed: string | null) =>
    p.trainingAssignment.create({
      data: { trainingNumber: training.number, personId, teamId, completedAt: completed ? at(completed) : null },
    });
  const [w1, w2, w3, w4, w5] = warehouse.people as [number, number, number, number, number];
  const [o1, o2, o3] = office.people as [number, number, number];
  for (const id of [w1, w2, w3]) await assign(id, warehouse.id, '10-05');
  await assign(w4, warehouse.id, '10-12');
  await assign(w5, warehouse.id, null);
  await assign(o1, office.id, '10-01');
  await assign(o2, office.id, null);
  await assign(o3, office.id, null);
  await assign(exec.id, null, '10-09');
  return { warehouse, office, dock };
}
