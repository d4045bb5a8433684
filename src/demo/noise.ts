/**
 * The everyday noise of a real organisation around the scanner loop: reports on other tools (some still open at the
 * end, one blocking), reports the CoE declines to keep in its lane (a manager's call, an executive's call, a people
 * matter, one covered by a standard), reports still waiting for triage when the story ends, and the jobs that look
 * at them. The change requests around them are in changes.ts.
 */
import type { PersonRef } from '../domain/people.ts';
import {
  COE,
  FRONT_DESK,
  INVENTORY_CONTROL,
  LOGISTICS,
  managerOf,
  WAREHOUSE_NORTH,
  WAREHOUSE_SOUTH,
  workerOf,
} from './cast.ts';
import { changeNoise } from './changes.ts';
import { frictionDesk } from './desk.ts';
import type { Story } from './story.ts';

export function noiseStory(s: Story): void {
  const { hands, world } = s;
  const { otto, priya } = COE;
  const desk = frictionDesk(s);
  const { report, fr, triage, decline } = desk;

  // Before the scanners: the previous window's noise.
  report({
    day: 11,
    time: '15:30',
    who: managerOf(FRONT_DESK),
    as: 'a Front Desk manager',
    team: FRONT_DESK,
    title: 'Visitor badge printer offline every Monday',
    tool: 'Badge printer',
    impact: 'medium',
  });
  triage(15, '11:00', 'Visitor badge printer offline every Monday', otto);
  report({
    day: 16,
    time: '15:00',
    who: workerOf(WAREHOUSE_SOUTH, 4),
    as: 'a Warehouse South worker',
    team: WAREHOUSE_SOUTH,
    title: 'Night shift always gets the returns',
    tool: 'Shift plan',
    kind: 'cross_team',
    impact: 'low',
  });
  decline(
    17,
    '09:30',
    'Night shift always gets the returns',
    'manager_call',
    'Who works which shift is your manager’s call: raise it at your team meeting.',
  );
  report({
    day: 24,
    time: '11:00',
    who: managerOf(LOGISTICS),
    as: 'a Logistics manager',
    team: LOGISTICS,
    title: 'We need a second forklift for dock 2',
    tool: 'Forklift',
    kind: 'cross_team',
    impact: 'high',
    frequency: 'daily',
  });
  decline(
    25,
    '10:00',
    'We need a second forklift for dock 2',
    'executive_call',
    'Equipment budget is the executives’ call; it was passed on to them.',
  );

  // Around the scanner loop.
  report({
    day: 38,
    time: '11:00',
    who: workerOf(LOGISTICS, 1),
    as: 'a Logistics worker',
    team: LOGISTICS,
    title: 'Route planner times out after 17:00',
    tool: 'Route planner',
    impact: 'medium',
  });
  triage(43, '10:00', 'Route planner times out after 17:00', priya);
  s.at(50, '14:00', async () => {
    const rootCause = "The planner's nightly sync starts at 17:00 and locks the routes.";
    await hands.decide(priya, 'rootCause', fr('Route planner times out after 17:00'), { rootCause });
    s.line(`FR-${fr('Route planner times out after 17:00')} root cause: ${rootCause} (a fix is being designed)`);
  });
  report({
    day: 43,
    time: '16:00',
    who: workerOf(WAREHOUSE_NORTH, 6),
    as: '',
    team: WAREHOUSE_NORTH,
    title: 'A colleague keeps skipping the pallet checklist',
    tool: 'Pallet checklist',
    kind: 'quality_variance',
    impact: 'medium',
    anonymous: true,
  });
  decline(44, '10:00', 'A colleague keeps skipping the pallet checklist', 'people_matter');
  report({
    day: 53,
    time: '10:00',
    who: workerOf(FRONT_DESK, 0),
    as: 'a Front Desk worker',
    team: FRONT_DESK,
    title: 'How do I label a customer return?',
    tool: 'Returns labelling',
    kind: 'training_gap',
    impact: 'low',
    frequency: 'once',
  });
  decline(
    56,
    '11:00',
    'How do I label a customer return?',
    'covered_by_standard',
    'The Returns part of SOP-label-printing covers it.',
    'label-printing',
  );
  report({
    day: 57,
    time: '08:30',
    who: workerOf(WAREHOUSE_NORTH, 1),
    as: 'a Warehouse North worker',
    team: WAREHOUSE_NORTH,
    title: 'Dock door 3 sensor stuck open',
    tool: 'Dock door sensor',
    kind: 'failure_pattern',
    impact: 'blocking',
    frequency: 'daily',
  });
  triage(58, '09:00', 'Dock door 3 sensor stuck open', otto);
  changeNoise(s, desk);

  report({
    day: 87,
    time: '11:00',
    who: workerOf(INVENTORY_CONTROL, 2),
    as: 'an Inventory Control worker',
    team: INVENTORY_CONTROL,
    title: 'Cycle count export to finance fails at month end',
    tool: 'Stock system',
    impact: 'high',
    frequency: 'weekly',
  });
  triage(88, '10:00', 'Cycle count export to finance fails at month end', priya);
  report({
    day: 99,
    time: '10:00',
    who: WAREHOUSE_NORTH.managers[1] as PersonRef,
    as: 'a Warehouse North manager',
    team: WAREHOUSE_NORTH,
    title: 'Pick carts squeak in aisle 4',
    tool: 'Pick carts',
    impact: 'low',
  });
  decline(
    100,
    '10:00',
    'Pick carts squeak in aisle 4',
    'other',
    'A facilities repair, not a standard: logged with facilities.',
  );
  report({
    day: 106,
    time: '10:00',
    who: workerOf(LOGISTICS, 4),
    as: 'a Logistics worker',
    team: LOGISTICS,
    title: 'Label printer ribbon runs out mid-shift',
    tool: 'Label printer',
    impact: 'medium',
    relatedSop: 'label-printing',
  });
  triage(
    107,
    '10:00',
    'Label printer ribbon runs out mid-shift',
    otto,
    'Ribbons are changed only at the morning check; a busy day uses more than one.',
  );
  report({
    day: 113,
    time: '14:00',
    who: workerOf(WAREHOUSE_SOUTH, 7),
    as: 'a Warehouse South worker',
    team: WAREHOUSE_SOUTH,
    title: 'Scanner holster straps break',
    tool: 'Scanner holster',
    impact: 'low',
  });
  report({
    day: 115,
    time: '16:00',
    who: workerOf(LOGISTICS, 5),
    as: '',
    team: LOGISTICS,
    title: 'Break room clock runs 10 minutes fast',
    tool: 'Break room clock',
    impact: 'low',
    anonymous: true,
  });
  s.at(116, '09:30', async () => {
    s.line(`stale-report nudges (job stale-nudges): ${await world.services.nudges.run()}`);
  });
  s.at(119, '09:00', async () => {
    s.line(`weekly digest (job metrics-digest): ${await world.services.metrics.digest(world.time.now())}`);
  });
}
