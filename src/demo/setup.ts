/**
 * Day 0 to 2: Raccoons Inc. sets up its CoE in the bot — CoE members (from COE_MEMBERS, as at start-up), the review
 * channel, layers, teams with their channels, members and managers; the standards already in use, registered with
 * their text; the executives' direction; the audit plans of the two standards the floor depends on.
 */
import { checkClarity } from '../domain/clarity.ts';
import { COE, EXECUTIVES, managerOf, membersOf, REVIEW_CHANNEL, TEAMS } from './cast.ts';
import type { Story } from './story.ts';
import { STANDARDS } from './texts.ts';

const DAY = 86_400_000;

export const SCANNING_CHECKLIST = [
  'Scanners charged above 80% at shift start',
  'Cycle count matches the stock system',
  'Every pick scanned, none keyed in by hand',
];
export const LABEL_CHECKLIST = [
  'Labels scan first time at the dock',
  'Printer head clean',
  'Spare roll at each printer',
];

export function setUp(s: Story): void {
  const { hands, world } = s;
  const { rita } = COE;

  s.at(0, '08:30', async () => {
    // What `COE_MEMBERS=slack:…` does when the bot starts.
    await world.services.admin.bootstrapCoeMembers(Object.values(COE));
    await hands.coe(rita, 'setup review-channel', { channelId: REVIEW_CHANNEL.id });
    for (const executive of Object.values(EXECUTIVES)) {
      await hands.coe(rita, 'role @mention executive', { mentions: [executive] });
    }
    for (const team of TEAMS) {
      await hands.coe(rita, `team add ${team.name} #channel`, { channels: [team.channel] });
      for (const manager of team.managers) {
        await hands.coe(rita, 'role @mention manager', { mentions: [manager] });
        await hands.coe(rita, `team member @mention ${team.name} manager`, { mentions: [manager] });
      }
      for (const worker of team.workers) {
        await hands.coe(rita, `team member @mention ${team.name}`, { mentions: [worker] });
      }
    }
    const people = TEAMS.reduce((n, t) => n + membersOf(t).length, 0);
    s.line(
      `Raccoons Inc. sets up its CoE in the bot: ${Object.keys(COE).length} CoE members, ${Object.keys(EXECUTIVES).length} executives, ${TEAMS.length} teams of ${people} people, CoE review in ${REVIEW_CHANNEL.name}`,
    );
    s.line(`teams: ${TEAMS.map((t) => `${t.name} (${membersOf(t).length}, ${t.channelName})`).join(' · ')}`);
  });

  s.at(0, '11:00', async () => {
    for (const standard of STANDARDS) {
      const result = await world.services.sopTexts.submit(
        { actor: rita, key: `demo:sop:${standard.key}` },
        {
          key: standard.key,
          title: standard.title,
          text: standard.text,
          ...(standard.link ? { link: standard.link } : {}),
        },
      );
      if (!result.ok) throw new Error(`demo: SOP-${standard.key} was refused: ${JSON.stringify(result.errors)}`);
      const advice = checkClarity(standard.text);
      const clarity =
        advice.length === 0
          ? 'clarity check: nothing to advise'
          : `clarity check: ${advice.map((a) => `${a.reason} (${a.where})`).join('; ')}`;
      s.line(
        `SOP-${standard.key} v1.0 "${standard.title}" registered with its text (${standard.text.length} characters); ${clarity}`,
      );
    }
  });

  s.at(1, '10:00', async () => {
    const until = (days: number) => new Date(world.time.now().getTime() + days * DAY).toISOString().slice(0, 10);
    const set = async (who: keyof typeof EXECUTIVES, words: string) => {
      await hands.coe(EXECUTIVES[who], `constraint add ${words}`);
      // Newest first.
      const [made] = await world.store.read((r) => r.constraints.list());
      if (!made) throw new Error('demo: no constraint stored');
      s.line(`EX-${made.number} (${made.kind}) "${made.text}" set by an executive`);
      return made.number;
    };
    s.org.constraints.target = await set('victor', `target Cut inventory count errors by 20% until ${until(200)}`);
    s.org.constraints.noNewTools = await set(
      'helen',
      `constraint No new tool purchases before the next budget round until ${until(150)}`,
    );
  });

  s.at(2, '10:00', async () => {
    const inventory = TEAMS.find((t) => t.name === 'Inventory Control');
    const logistics = TEAMS.find((t) => t.name === 'Logistics');
    if (!inventory || !logistics) throw new Error('demo: teams missing');
    s.org.audits.scanning = await hands.planAudit(
      rita,
      { sop: 'inventory-scanning', schedule: '0 9 * * 1', checklist: SCANNING_CHECKLIST.join('\n'), variance: '5' },
      managerOf(inventory),
    );
    s.line(
      `AUD-${s.org.audits.scanning} planned: SOP-inventory-scanning every Monday 09:00, ${SCANNING_CHECKLIST.length} checks, acceptable variance 5%, owned by Inventory Control's manager`,
    );
    s.org.audits.labels = await hands.planAudit(
      rita,
      { sop: 'label-printing', schedule: '0 9 * * 3', checklist: LABEL_CHECKLIST.join('\n'), variance: '5' },
      managerOf(logistics),
    );
    s.line(
      `AUD-${s.org.audits.labels} planned: SOP-label-printing every Wednesday 09:00, acceptable variance 5%, owned by Logistics' manager`,
    );
  });
}
