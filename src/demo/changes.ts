/**
 * The change requests around the scanner loop: an AI usage rule released to every team (changed only through an
 * approved change request and a release, seed §6 and §8), the vague step the clarity check flagged coming back as
 * friction and clarified, a request rejected against an executive constraint and one withdrawn, a training for a team
 * too small to show its completion, and a new executive priority no change serves yet.
 */
import {
  COE,
  EXECUTIVES,
  FRONT_DESK,
  INVENTORY_CONTROL,
  LOGISTICS,
  managerOf,
  WAREHOUSE_SOUTH,
  workerOf,
} from './cast.ts';
import type { FrictionDesk } from './desk.ts';
import { type ReleaseMade, textNote } from './hands.ts';
import type { Story } from './story.ts';
import { PROPOSED, TRAINING_WIKI } from './texts.ts';

export function changeNoise(s: Story, desk: FrictionDesk): void {
  const { hands, world } = s;
  const { rita, otto, priya } = COE;
  const { report, fr, triage } = desk;

  // An AI usage rule: changed only through an approved change request and a release (seed §6, §8).
  let aiChange = 0;
  let aiRelease: ReleaseMade | undefined;
  s.at(59, '10:00', async () => {
    aiChange = await hands.change(managerOf(FRONT_DESK), {
      kind: 'ai_rule',
      title: 'Allow ChatGPT for drafting visitor emails',
      change:
        'ChatGPT may draft visitor emails from public and internal information; a person reads every draft before it is sent.',
      why: 'Front Desk writes the same directions and parking emails many times a day.',
      risk: 'medium',
      improvement: 'clarify',
      aiTool: 'ChatGPT',
      aiStatus: 'restricted',
      aiDataClasses: 'public, internal',
      aiForbiddenInputs: 'Customer names and addresses, order numbers, anything about an employee',
      aiHumanReview: true,
      aiLayers: 'worker, manager',
    });
    s.line(`CR-${aiChange} "Allow ChatGPT for drafting visitor emails" (AI rule) raised by a Front Desk manager`);
  });
  s.at(60, '10:00', async () => {
    await hands.decideChange(otto, 'approve', aiChange);
    s.line(`CR-${aiChange} approved`);
  });
  s.at(63, '11:00', async () => {
    aiRelease = await hands.release(priya, 'ai-usage-rules', { changes: [`CR-${aiChange}`] });
    s.line(
      `${aiRelease.name} released to every team: "ai ChatGPT" now answers restricted, public and internal data only`,
    );
  });
  for (const [day, time, team] of [
    [63, '14:00', FRONT_DESK],
    [64, '09:00', LOGISTICS],
    [66, '10:00', INVENTORY_CONTROL],
  ] as const) {
    s.at(day, time, async () => {
      if (!aiRelease) throw new Error('demo: no AI rules release');
      await hands.deployed(managerOf(team), aiRelease, team.name);
      s.line(`${team.name} deployed ${aiRelease.name}`);
    });
  }

  // The clarity check's "as needed" comes back as friction, and is clarified.
  const vague = "Receiving SOP says 'check pallets as needed'";
  let clarify = 0;
  let receiving: ReleaseMade | undefined;
  report({
    day: 64,
    time: '10:00',
    who: managerOf(LOGISTICS),
    as: 'a Logistics manager',
    team: LOGISTICS,
    title: vague,
    tool: 'Goods receiving',
    kind: 'quality_variance',
    impact: 'medium',
    relatedSop: 'goods-receiving',
  });
  triage(65, '10:00', vague, priya, 'Step 2 says to check pallets "as needed" and nobody is told when.');
  s.at(66, '11:00', async () => {
    clarify = await hands.change(managerOf(LOGISTICS), {
      kind: 'standard',
      sop: 'goods-receiving',
      title: 'Check every pallet with torn wrap or a tilted load',
      change: 'Step 2 becomes: "Receiver: open and count every pallet whose wrap is torn or whose load tilts."',
      why: '"As needed" left the call to each receiver.',
      friction: `FR-${fr(vague)}`,
      risk: 'low',
      improvement: 'remove_ambiguity',
      proposedText: PROPOSED.receivingV11,
    });
    s.line(
      `CR-${clarify} "Check every pallet with torn wrap or a tilted load" (remove ambiguity) raised by a Logistics manager`,
    );
  });
  s.at(67, '10:00', async () => {
    await hands.decideChange(rita, 'approve', clarify);
    s.line(`CR-${clarify} approved`);
  });
  s.at(70, '11:00', async () => {
    receiving = await hands.release(rita, 'goods-receiving', {
      changes: [`CR-${clarify}`],
      teams: [LOGISTICS.name, WAREHOUSE_SOUTH.name],
    });
    s.line(`${receiving.name} released to Logistics, Warehouse South: FR-${fr(vague)} resolved${textNote(receiving)}`);
  });
  s.at(70, '15:00', async () => {
    if (!receiving) throw new Error('demo: no goods-receiving release');
    await hands.deployed(managerOf(LOGISTICS), receiving, LOGISTICS.name);
    s.line(`Logistics deployed ${receiving.name} (Warehouse South has not said yet)`);
  });

  // Change requests that do not go through.
  let vendor = 0;
  s.at(71, '10:00', async () => {
    vendor = await hands.change(managerOf(WAREHOUSE_SOUTH), {
      kind: 'tool',
      sop: 'inventory-scanning',
      title: 'Replace the handheld scanners with a new model',
      change: 'Buy 40 scanners of a newer model with hot-swap batteries.',
      why: 'Our scanners are five years old.',
      risk: 'high',
      improvement: 'improve_alignment',
    });
    s.line(`CR-${vendor} "Replace the handheld scanners with a new model" raised by a Warehouse South manager`);
  });
  s.at(72, '11:00', async () => {
    const reason = `EX-${s.org.constraints.noNewTools} rules out new tool purchases before the next budget round, and the v2.0 profile brought battery life back.`;
    await hands.decideChange(priya, 'reject', vendor, reason);
    s.line(`CR-${vendor} rejected: ${reason}`);
  });
  let second = 0;
  s.at(92, '10:00', async () => {
    second = await hands.change(managerOf(INVENTORY_CONTROL), {
      kind: 'workflow',
      sop: 'inventory-scanning',
      title: 'Second count for high-value items',
      change: 'Items over 500 € are counted twice in the cycle count.',
      why: 'Count errors on expensive items cost the most.',
      constraint: `EX-${s.org.constraints.target}`,
      risk: 'medium',
      improvement: 'workflow_change',
    });
    s.line(`CR-${second} "Second count for high-value items" raised by an Inventory Control manager`);
  });
  s.at(94, '09:00', async () => {
    await hands.withdraw(managerOf(INVENTORY_CONTROL), second);
    s.line(`CR-${second} withdrawn by its requester (to be reported as friction first)`);
  });

  // A training for a team of three: its completion is never shown (fewer than METRICS_MIN_GROUP people).
  let frontDesk = 0;
  s.at(78, '10:00', async () => {
    frontDesk = await hands.assign(rita, {
      title: 'Visitor hand-off with the new badge printer',
      material: `${TRAINING_WIKI}/visitor-handoff`,
      sop: 'visitor-handoff',
      teams: [FRONT_DESK.name],
      due: s.dateOf(88),
    });
    s.line(`TR-${frontDesk} "Visitor hand-off with the new badge printer" assigned to Front Desk, due ${s.dateOf(88)}`);
  });
  s.at(79, '12:00', async () => void (await hands.complete(managerOf(FRONT_DESK), frontDesk)));
  s.at(80, '12:00', async () => void (await hands.complete(workerOf(FRONT_DESK, 0), frontDesk)));
  s.at(88, '17:30', async () => {
    const status = await world.services.trainings.status(`TR-${frontDesk}`);
    const shown = /too few to show/i.test(JSON.stringify(status)) ? 'too few to show' : 'shown';
    s.line(`TR-${frontDesk} due today: Front Desk's completion reads "${shown}" (3 people, fewer than 5)`);
  });

  s.at(85, '10:00', async () => {
    await hands.coe(
      EXECUTIVES.victor,
      'constraint add priority Same-day dispatch for every order received before 14:00',
    );
    const [made] = await world.store.read((r) => r.constraints.list());
    s.line(`EX-${made?.number} (priority) "${made?.text}" set by an executive`);
  });
}
