/**
 * The loop before the scanners, in the previous metrics window: label printers jam on cold mornings. Two reports,
 * an audit breach of its own (drafted, then rejected as the same cause), a tool change approved and released as
 * SOP-label-printing v1.1 to Logistics and Warehouse South, with a training most people complete by its due date.
 * It gives the scorecard a "before" to compare the scanner loop with.
 */
import { COE, LOGISTICS, managerOf, membersOf, WAREHOUSE_SOUTH, workerOf } from './cast.ts';
import { type ReleaseMade, textNote } from './hands.ts';
import type { Story } from './story.ts';
import { PROPOSED, TRAINING_WIKI } from './texts.ts';

const TOOL = 'Label printer';

export function labelStory(s: Story): void {
  const { hands } = s;
  const { rita, otto, priya } = COE;
  const reports: number[] = [];
  let change = 0;
  let release: ReleaseMade | undefined;
  let training = 0;
  const teams = [LOGISTICS, WAREHOUSE_SOUTH];
  const frList = () => reports.map((n) => `FR-${n}`).join(', ');

  s.at(3, '09:40', async () => {
    const number = await hands.report(managerOf(LOGISTICS), {
      kind: 'tool_friction',
      title: 'Label printer jams on cold mornings',
      description: 'Before 10:00 the dock printers jam on every third label; parcels wait for a reprint.',
      team: LOGISTICS.name,
      tool: TOOL,
      frequency: 'daily',
      impact: 'high',
      relatedSop: 'label-printing',
    });
    reports.push(number);
    s.line(`FR-${number} "Label printer jams on cold mornings" reported by a Logistics manager (${TOOL}, high impact)`);
  });
  s.at(4, '14:10', async () => {
    const number = await hands.report(workerOf(WAREHOUSE_SOUTH, 0), {
      kind: 'tool_friction',
      title: 'Labels smear when the dock is cold',
      description: 'Barcodes come out grey in the morning and fail at the carrier scan.',
      team: WAREHOUSE_SOUTH.name,
      tool: TOOL,
      frequency: 'daily',
      impact: 'medium',
      relatedSop: 'label-printing',
    });
    reports.push(number);
    s.line(`FR-${number} "Labels smear when the dock is cold" reported by a Warehouse South worker`);
  });
  s.at(8, '10:00', async () => {
    for (const number of reports) await hands.decide(otto, 'triage', number);
    s.line(`the CoE triages ${frList()}`);
  });
  s.at(10, '15:00', async () => {
    const cause =
      'The printers stand by the dock doors; below 10 °C the print head needs a warm-up that the workflow never gives it.';
    for (const number of reports) await hands.decide(otto, 'rootCause', number, { rootCause: cause });
    s.line(`root cause recorded on ${frList()}: ${cause}`);
  });
  s.at(11, '10:00', async () => {
    change = await hands.change(rita, {
      kind: 'tool',
      sop: 'label-printing',
      title: 'Warm-up label at shift start; printers moved away from the dock doors',
      change:
        'The shift lead prints one warm-up label at shift start. The two dock printers move to the packing benches.',
      why: 'Cold print heads jam and smear the first labels of the day.',
      friction: frList(),
      risk: 'low',
      improvement: 'simplify',
      proposedText: PROPOSED.labelsV11,
    });
    s.line(
      `CR-${change} "Warm-up label at shift start; printers moved away from the dock doors" raised by the CoE, linked to ${frList()}`,
    );
  });
  s.at(15, '10:30', async () => {
    await hands.decideChange(priya, 'approve', change);
    s.line(`CR-${change} approved: ${frList()} now in change`);
    const draft = s.org.drafts.find((d) => d.plan === s.org.audits.labels);
    if (draft) {
      await hands.decideChange(priya, 'reject', draft.change, `Same cause as ${frList()}: CR-${change} changes it.`);
      s.line(`CR-${draft.change} (the label audit's breach draft) rejected: same cause, CR-${change} changes it`);
    }
  });
  s.at(17, '11:00', async () => {
    release = await hands.release(rita, 'label-printing', {
      changes: [`CR-${change}`],
      teams: teams.map((t) => t.name),
    });
    s.line(`${release.name} released to Logistics, Warehouse South: ${frList()} resolved${textNote(release)}`);
  });
  s.at(17, '11:30', async () => {
    training = await hands.assign(rita, {
      title: 'Label printer cold-start routine',
      material: `${TRAINING_WIKI}/label-cold-start`,
      sop: 'label-printing',
      teams: teams.map((t) => t.name),
      due: s.dateOf(25),
    });
    s.line(
      `TR-${training} "Label printer cold-start routine" assigned to Logistics and Warehouse South, due ${s.dateOf(25)}`,
    );
  });
  for (const [day, time, team] of [
    [18, '09:15', LOGISTICS],
    [22, '10:00', WAREHOUSE_SOUTH],
  ] as const) {
    s.at(day, time, async () => {
      if (!release) throw new Error('demo: no label release');
      await hands.deployed(managerOf(team), release, team.name);
      s.line(`${team.name} deployed ${release.name}`);
    });
  }
  const learners = teams.flatMap(membersOf);
  const done: number[] = [];
  learners.forEach((person, i) => {
    if (i === 11) return;
    const days = i % 8 === 3 ? [29, 30] : s.workingDays(18).slice(0, 6);
    const day = days[Math.floor(s.random() * days.length)] as number;
    done.push(day);
    s.at(day, '11:00', async () => {
      await hands.complete(person, training);
    });
  });
  for (const day of [22, 24]) {
    s.at(day, '10:00', async () => {
      s.line(`training reminders (job training-reminders): ${await s.world.services.trainings.remind()}`);
    });
  }
  s.at(25, '17:30', async () => {
    const inTime = done.filter((day) => day <= 25).length;
    s.line(`TR-${training} due today: ${inTime} of ${learners.length} completed in time`);
  });
}
