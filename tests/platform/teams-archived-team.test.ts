/**
 * An archived team in Teams (issue 12), through the real botbuilder CloudAdapter: "Deployed in my team" pressed on a
 * release announcement posted before the team was archived says the team is archived and records nothing, while the
 * other team still records its own. Activities in, a fake Bot Connector behind, on each database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { type Card, cardButtons, cardInputs, TEAMS_CHANNEL_ID, taskModuleCard } from '../support/teams-activity.ts';
import { account, buttonsByAction, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const OTHER_COE = account('otto', 'Otto CoE');
const MANAGER = account('mona', 'Mona Manager');
const PEOPLE = [COE_USER, OTHER_COE, MANAGER];
/** The review channel is the support code's default channel; each team has a channel of its own. */
const REVIEW_CHANNEL = TEAMS_CHANNEL_ID;
const WAREHOUSE_CHANNEL = '19:warehouse@thread.tacv2';
const LOGISTICS_CHANNEL = '19:logistics@thread.tacv2';

const CHANGE: Record<string, string> = {
  kind: 'tool',
  sop: 'inventory-scanning',
  newSop: '',
  title: 'Turn off battery saver on the scanners',
  change: 'Scanners run with battery saver off; the shift lead checks it at the start of each shift.',
  why: 'Battery saver drops the Wi-Fi after 30 minutes and the scanner freezes.',
  friction: '',
  constraint: '',
  risk: 'low',
  improvement: 'clarify',
  aiTool: '',
  aiStatus: '',
  aiDataClasses: '',
  aiForbiddenInputs: '',
  aiHumanReview: 'false',
  aiLayers: '',
};

describe.each(databaseKinds())('an archived team in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE_USER, OTHER_COE], people: PEOPLE });
  const { say, submitTask, fetchTask, press, flush, chatOf, lastInChat, buttonData, cardIn, updatesOf } = story;
  let { db, bot, connector } = story;
  beforeEach(async () => {
    ({ db, bot, connector } = story);
    for (const person of PEOPLE) await say('help', { from: person });
    await say('setup review-channel', { from: COE_USER, channel: true });
    await say(`role <at>${MANAGER.name}</at> manager`, { from: COE_USER, mentioning: [MANAGER] });
    await say('sop new inventory-scanning Inventory scanning', { from: COE_USER });
    for (const [team, channel] of [
      ['Warehouse', WAREHOUSE_CHANNEL],
      ['Logistics', LOGISTICS_CHANNEL],
    ] as const) {
      await say(`team add ${team}`, { from: COE_USER });
      await say(`team channel ${team}`, { from: COE_USER, channel });
      await say(`team member <at>${MANAGER.name}</at> ${team} manager`, { from: COE_USER, mentioning: [MANAGER] });
    }
    await flush();
  });
  afterEach(() => {
    expectValidCards(story.cardsSent());
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  /** CR-1, raised by Mona and approved by Otto, released to both teams as v1.1. */
  const release = async () => {
    const raised = await submitTask({ coeAction: 'change.submit', ...CHANGE }, { from: MANAGER });
    expect(words(taskModuleCard(raised))).toMatch(/your change request is CR-1/);
    await flush();
    const review = cardIn(REVIEW_CHANNEL, 'CR-1 · ');
    await press({ coeAction: 'change.approve', value: 'CR-1' }, OTHER_COE, {
      channel: REVIEW_CHANNEL,
      activityId: review.activityId,
    });
    await flush();
    await say('release', { from: COE_USER });
    const form = taskModuleCard(await fetchTask(buttonData(COE_USER), { from: COE_USER }));
    const submit = cardButtons(form)[0]?.data as Record<string, string>;
    const values = Object.fromEntries([...cardInputs(form)].map(([input, e]) => [input, String(e.value ?? '')]));
    await submitTask({ ...submit, ...values }, { from: COE_USER });
    await flush();
  };
  const announcementIn = (channel: string) => cardIn(channel, 'New standard: SOP-inventory-scanning v1.1');
  const deployedOf = (card: Card) => buttonsByAction(card)['release.deployed']?.data;

  it('answers "Deployed in my team" on an archived team’s announcement: archived, nothing recorded', async () => {
    await release();
    const warehouse = announcementIn(WAREHOUSE_CHANNEL);
    const logistics = announcementIn(LOGISTICS_CHANNEL);
    await say('team archive Warehouse', { from: COE_USER });
    expect(words(lastInChat(COE_USER))).toContain('Archived: Warehouse.');
    await flush();

    const before = chatOf(MANAGER).length;
    await press(deployedOf(warehouse.card), MANAGER, { channel: WAREHOUSE_CHANNEL, ...warehouse });
    await connector.waitFor(() => chatOf(MANAGER).length === before + 1);
    expect(words(lastInChat(MANAGER))).toContain(
      'This team is archived, so SOP-inventory-scanning v1.1 cannot be recorded as deployed there. Nothing was recorded.',
    );
    await flush();
    expect(await db.prisma.releaseAck.count()).toBe(0);
    expect(updatesOf(warehouse.activityId)).toEqual([]);

    // Logistics is not archived: Mona records it there.
    await press(deployedOf(logistics.card), MANAGER, { channel: LOGISTICS_CHANNEL, ...logistics });
    await flush();
    expect(words(lastInChat(MANAGER))).toContain('Recorded: Logistics works to SOP-inventory-scanning v1.1');
    expect((await db.prisma.releaseAck.findMany({ include: { release: true } })).map((a) => a.teamId)).toEqual([
      (await db.prisma.team.findFirstOrThrow({ where: { name: 'Logistics' } })).id,
    ]);
  });
});
