/**
 * Seed §10, end to end: managers report "Inventory scanners fail after 30 minutes"; the reports add up to a
 * recurring-pattern alert; the CoE triages, finds the root cause, and redesigns — the workflow, the training, the
 * scanners' configuration — in change requests that serve the executives' target; another CoE member approves them;
 * the new standard is released to the warehouse teams with its training; managers press Deployed; workers complete
 * the training; the weekly audit, which had breached, passes from then on. Then the loop turns once more: a worker's
 * question about v2.0 becomes the clarification v2.1.
 */
import { toolKey } from '../domain/friction.ts';
import {
  COE,
  INVENTORY_CONTROL,
  managerOf,
  membersOf,
  SCANNING_TEAMS,
  WAREHOUSE_NORTH,
  WAREHOUSE_SOUTH,
  workerOf,
} from './cast.ts';
import { type ReleaseMade, textNote } from './hands.ts';
import type { Story } from './story.ts';
import { PROPOSED, SCANNING_V21, TRAINING_WIKI } from './texts.ts';

const TOOL = 'Handheld scanner';
const TITLE = 'Inventory scanners fail after 30 minutes';
const ROOT_CAUSE =
  'The scanner profile scans for Wi-Fi every 30 s with the screen at full brightness and never sleeps, and the workflow keeps each scanner off its dock for the whole shift with no spare battery: the battery is flat after about 30 minutes.';

export function scannerStory(s: Story): void {
  const { hands, world } = s;
  const { rita, otto, priya } = COE;
  const reports: number[] = [];
  let duplicate = 0;
  const changes = { workflow: 0, tool: 0, training: 0 };
  let release: ReleaseMade | undefined;
  let training = 0;
  const scanningTeams = SCANNING_TEAMS.map((t) => t.name);
  const frList = () => reports.map((n) => `FR-${n}`).join(', ');

  const report = (
    day: number,
    time: string,
    who: typeof WAREHOUSE_NORTH,
    title: string,
    impact: string,
    what: string,
  ) =>
    s.at(day, time, async () => {
      const number = await hands.report(managerOf(who), {
        kind: 'tool_friction',
        title,
        description: what,
        team: who.name,
        tool: TOOL,
        frequency: 'daily',
        impact,
        relatedSop: 'inventory-scanning',
      });
      reports.push(number);
      s.org.scannerReport ??= number;
      s.line(
        `FR-${number} "${title}" reported by ${/^[AEIOU]/.test(who.name) ? 'an' : 'a'} ${who.name} manager (${TOOL}, ${impact} impact)`,
      );
      const alerted = await world.store.read((r) => r.outbox.has(`pattern:${toolKey(TOOL)}:${number}:slack`));
      if (alerted) {
        s.line(
          `recurring-pattern alert in the CoE review channel: ${reports.length} reports about "${TOOL}" within 14 days (${frList()})`,
        );
      }
    });

  report(
    37,
    '08:50',
    WAREHOUSE_NORTH,
    TITLE,
    'high',
    'Since the new shift pattern the handheld scanners die about 30 minutes into a shift. Pickers queue at the charging rack and key counts in by hand.',
  );
  report(
    38,
    '10:20',
    WAREHOUSE_SOUTH,
    'Handheld scanners drop out after half an hour',
    'high',
    'Scanners go dark around 30 minutes after shift start; we pick from paper lists until they charge.',
  );
  report(
    39,
    '09:05',
    INVENTORY_CONTROL,
    'Scanners dead in the middle of the cycle count',
    'blocking',
    'The 15:00 cycle count stopped twice this week: every scanner in the zone was flat.',
  );

  s.at(39, '13:30', async () => {
    duplicate = await hands.report(workerOf(WAREHOUSE_NORTH, 3), {
      kind: 'tool_friction',
      title: 'Scanner battery empty again',
      description: 'Third time today. The spare scanners are flat too.',
      team: WAREHOUSE_NORTH.name,
      tool: 'handheld scanner',
      frequency: 'daily',
      impact: 'medium',
    });
    s.line(`FR-${duplicate} "Scanner battery empty again" reported by a Warehouse North worker`);
  });

  s.at(42, '10:15', async () => {
    for (const number of reports) await hands.decide(otto, 'triage', number);
    await hands.decide(otto, 'duplicate', duplicate, { duplicateOf: `FR-${reports[0]}` });
    s.line(
      `the CoE triages ${frList()} and merges FR-${duplicate} into FR-${reports[0]} as a duplicate (its reporter now follows FR-${reports[0]})`,
    );
  });

  s.at(44, '16:00', async () => {
    for (const number of reports) await hands.decide(otto, 'rootCause', number, { rootCause: ROOT_CAUSE });
    s.line(`root cause recorded on ${frList()}: ${ROOT_CAUSE}`);
  });

  const common = () => ({
    sop: 'inventory-scanning',
    friction: frList(),
    constraint: `EX-${s.org.constraints.target}`,
  });
  s.at(45, '10:00', async () => {
    changes.workflow = await hands.change(rita, {
      ...common(),
      kind: 'workflow',
      title: 'Dock scanners between pick waves; swap batteries at the half-shift break',
      change:
        'Pickers put the scanner on its dock between pick waves. The shift lead hands out a charged spare battery at the half-shift break. The charging rack moves next to the pick-wave board.',
      why: 'The workflow kept scanners off their docks for a whole shift with no spare battery.',
      risk: 'medium',
      improvement: 'workflow_change',
      proposedText: PROPOSED.scanningV2,
    });
    s.line(
      `CR-${changes.workflow} "Dock scanners between pick waves; swap batteries at the half-shift break" (workflow change) raised by the CoE, linked to ${frList()}, serving EX-${s.org.constraints.target}`,
    );
    changes.tool = await hands.change(rita, {
      ...common(),
      kind: 'tool',
      title: 'Scanner profile: Wi-Fi scan every 5 minutes, screen at 40%, sleep after 2 idle minutes',
      change:
        'New scanner profile warehouse-2: wifi.roam_scan_interval 300s, display.brightness 40%, sleep.after_idle 120s.',
      why: 'The default profile drains a full battery in about 30 minutes.',
      risk: 'low',
      improvement: 'improve_alignment',
    });
    s.line(
      `CR-${changes.tool} "Scanner profile: Wi-Fi scan every 5 minutes, screen at 40%, sleep after 2 idle minutes" (tool configuration) raised by the CoE`,
    );
    changes.training = await hands.change(rita, {
      ...common(),
      kind: 'training',
      title: 'Training: docking and battery swaps in the scanning workflow',
      change:
        'A 20-minute session on the floor: where the docks are, when to dock, how to swap a battery, who hands out spares.',
      why: 'The new workflow only works if every picker knows it by the first shift under it.',
      risk: 'low',
      improvement: 'clarify',
    });
    s.line(
      `CR-${changes.training} "Training: docking and battery swaps in the scanning workflow" (training) raised by the CoE`,
    );
  });

  s.at(46, '10:00', async () => {
    await hands.decideChange(
      priya,
      'requestChanges',
      changes.tool,
      'Name the firmware the profile needs, and who pushes it to the scanners.',
    );
    s.line(
      `CR-${changes.tool} sent back to its requester by another CoE member: "Name the firmware the profile needs, and who pushes it to the scanners."`,
    );
  });

  s.at(49, '15:00', async () => {
    await hands.change(
      rita,
      {
        ...common(),
        kind: 'tool',
        title: 'Scanner profile: Wi-Fi scan every 5 minutes, screen at 40%, sleep after 2 idle minutes',
        change:
          'New scanner profile warehouse-2 (firmware 11.4 or later), pushed by the inventory controller from the device console: wifi.roam_scan_interval 300s, display.brightness 40%, sleep.after_idle 120s.',
        why: 'The default profile drains a full battery in about 30 minutes.',
        risk: 'low',
        improvement: 'improve_alignment',
      },
      changes.tool,
    );
    s.line(`CR-${changes.tool} revised (firmware and who pushes the profile) and resubmitted`);
  });

  s.at(50, '10:00', async () => {
    const [first, second] = s.org.drafts.filter((d) => d.plan === s.org.audits.scanning && d.day >= 42);
    const approve = [changes.workflow, changes.tool, changes.training, ...(first ? [first.change] : [])].sort(
      (a, b) => a - b,
    );
    for (const number of approve) await hands.decideChange(otto, 'approve', number);
    s.line(
      `${approve.map((n) => `CR-${n}`).join(', ')} approved by a CoE member who did not raise them: ${frList()} now in change`,
    );
    if (second) {
      await hands.decideChange(
        otto,
        'reject',
        second.change,
        `Same cause as CR-${first?.change}: the redesign in CR-${changes.workflow} covers it.`,
      );
      s.line(`CR-${second.change} (the second breach draft) rejected: same cause as CR-${first?.change}`);
    }
  });

  s.at(51, '11:00', async () => {
    const approved = (await world.store.read((r) => r.changes.approved())).filter(
      (c) => c.sopKey === 'inventory-scanning',
    );
    release = await hands.release(rita, 'inventory-scanning', {
      changes: approved.map((c) => `CR-${c.number}`),
      notes:
        'Scanners dock between pick waves and get a spare battery at the half-shift break; new scanner profile warehouse-2; the training follows today.',
      teams: scanningTeams,
    });
    s.org.scanningV2 = release;
    s.line(
      `${release.name} released to ${scanningTeams.join(', ')} (${approved.map((c) => `CR-${c.number}`).join(', ')}): ${frList()} resolved, announced in each team's channel${textNote(release)}`,
    );
    training = await hands.assign(rita, {
      title: 'Scanning with docks and battery swaps (v2.0)',
      material: `${TRAINING_WIKI}/scanning-v2`,
      sop: 'inventory-scanning',
      teams: scanningTeams,
      due: s.dateOf(65),
    });
    s.org.scannerTraining = training;
    const people = SCANNING_TEAMS.reduce((n, t) => n + membersOf(t).length, 0);
    s.line(
      `TR-${training} "Scanning with docks and battery swaps (v2.0)" assigned to ${people} people in ${scanningTeams.length} teams, due ${s.dateOf(65)}`,
    );
  });

  const deployed = (day: number, time: string, team: typeof WAREHOUSE_NORTH) =>
    s.at(day, time, async () => {
      if (!release) throw new Error('demo: no release to deploy');
      await hands.deployed(managerOf(team), release, team.name);
      s.line(`${team.name} deployed ${release.name} (its manager pressed Deployed in the team channel)`);
    });
  deployed(51, '16:00', WAREHOUSE_NORTH);
  deployed(52, '09:30', INVENTORY_CONTROL);
  deployed(56, '08:45', WAREHOUSE_SOUTH);

  // Workers complete the training over the next two weeks; two a little late, two not at all.
  const learners = SCANNING_TEAMS.flatMap(membersOf);
  const completions = learners.map((person, i) => {
    if (i % 14 === 5) return undefined;
    const late = i % 14 === 9;
    const days = s.workingDays(late ? 66 : 52).slice(0, late ? 4 : 10);
    return { person, day: days[Math.floor(s.random() * days.length)] as number };
  });
  for (const c of completions) {
    if (!c) continue;
    s.at(c.day, '12:00', async () => {
      await hands.complete(c.person, training);
    });
  }
  for (const day of [53, 58, 63]) {
    s.at(day, '10:00', async () => {
      const outcome = await world.services.trainings.remind();
      s.line(`training reminders (job training-reminders): ${outcome}`);
    });
  }
  s.at(65, '17:30', async () => {
    const done = completions.filter((c) => c && c.day <= 65).length;
    s.line(`TR-${training} due today: ${done} of ${learners.length} completed in time`);
  });

  // The loop turns again: v2.0 says to swap batteries, not where the spares are.
  let question = 0;
  let clarify = 0;
  let v21: ReleaseMade | undefined;
  s.at(66, '09:40', async () => {
    question = await hands.report(workerOf(WAREHOUSE_SOUTH, 2), {
      kind: 'training_gap',
      title: 'Where are the spare scanner batteries kept?',
      description: 'v2.0 says to swap the battery at the break. Nobody on our shift knows where the spares are.',
      team: WAREHOUSE_SOUTH.name,
      tool: TOOL,
      frequency: 'once',
      impact: 'low',
      relatedSop: 'inventory-scanning',
      anonymous: true,
    });
    s.line(`FR-${question} "Where are the spare scanner batteries kept?" reported anonymously (no trace of who)`);
  });
  s.at(67, '10:00', async () => {
    await hands.decide(otto, 'triage', question);
    await hands.decide(otto, 'rootCause', question, {
      rootCause: 'v2.0 names the battery swap but not the cabinet the spares are kept in, in either warehouse.',
    });
    s.line(`FR-${question} triaged; root cause: v2.0 names the battery swap, not where the spares are kept`);
  });
  s.at(70, '10:00', async () => {
    clarify = await hands.change(rita, {
      kind: 'standard',
      sop: 'inventory-scanning',
      title: 'Name the spare-battery cabinet in each warehouse',
      change: 'Step 3 of v2.0 names the cabinet: North by the pick-wave board, South at dock 1.',
      why: `FR-${question}: pickers could not find the spares.`,
      friction: `FR-${question}`,
      constraint: `EX-${s.org.constraints.target}`,
      risk: 'low',
      improvement: 'clarify',
      proposedText: SCANNING_V21,
    });
    s.line(`CR-${clarify} "Name the spare-battery cabinet in each warehouse" (clarify) raised by the CoE`);
  });
  s.at(72, '10:00', async () => {
    await hands.decideChange(priya, 'approve', clarify);
    s.line(`CR-${clarify} approved`);
  });
  s.at(73, '11:00', async () => {
    v21 = await hands.release(rita, 'inventory-scanning', { changes: [`CR-${clarify}`], teams: scanningTeams });
    s.line(`${v21.name} released to ${scanningTeams.join(', ')}: FR-${question} resolved${textNote(v21)}`);
  });
  for (const [day, time, team] of [
    [73, '15:00', WAREHOUSE_NORTH],
    [74, '09:10', INVENTORY_CONTROL],
    [79, '11:20', WAREHOUSE_SOUTH],
  ] as const) {
    s.at(day, time, async () => {
      if (!v21) throw new Error('demo: no v2.1');
      await hands.deployed(managerOf(team), v21, team.name);
      s.line(`${team.name} deployed ${v21.name}`);
    });
  }
}
