/**
 * One event, one message per person in Teams (issue 12) for audits, through the real botbuilder CloudAdapter with a
 * clock the test moves: two audit plans Mona owns fire in the same minute, and she gets one card — AUD-1's checklist
 * first, AUD-2 as a line with its own "Record" button that opens AUD-2's form — however both jobs' fires arrive.
 * Activities in, a fake Bot Connector behind, on each database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import { type Card, cardButtons, cardsOfActivity, taskModuleCard } from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const MANAGER = account('mona', 'Mona Manager');
const PEOPLE = [COE_USER, MANAGER];

/** Monday 1 March 2027, 08:30 UTC (the bot runs with TZ=UTC); the plans fire at 09:00. */
const MONDAY = new Date('2027-03-01T08:30:00.000Z');
const NINE = new Date('2027-03-01T09:00:00.000Z');

describe.each(databaseKinds())('audits due together in Teams (%s)', (kind: DatabaseKind) => {
  const clock = new ManualClock(MONDAY);
  const story = teamsStory(kind, { coe: [COE_USER], people: PEOPLE, clock, env: { TZ: 'UTC' } });
  const { say, flush, chatOf, lastInChat, resetConnector } = story;
  let { db, bot } = story;
  beforeEach(async () => {
    ({ db, bot } = story);
    clock.set(MONDAY);
    for (const person of PEOPLE) await say('help', { from: person });
    await say('setup review-channel', { from: COE_USER, channel: true });
    await say(`role <at>${MANAGER.name}</at> manager`, { from: COE_USER, mentioning: [MANAGER] });
    await say('sop new inventory-scanning Inventory scanning', { from: COE_USER });
    await flush();
    resetConnector();
  });
  afterEach(() => {
    expectValidCards(story.cardsSent());
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  /** The scheduler follows the plans in the background: waits until its audit jobs are exactly these. */
  const waitForAuditJobs = async (wanted: string[]) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const jobs = (await bot.scheduler.board()).filter((j) => j.name.startsWith('audit:')).map((j) => j.name);
      if (JSON.stringify(jobs) === JSON.stringify(wanted)) return;
      if (Date.now() > deadline) throw new Error(`audit jobs: ${JSON.stringify(jobs)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const plan = async (owner: string, checklist: string) => {
    const planned = await story.submitTask(
      { coeAction: 'audit.submit', sop: 'inventory-scanning', schedule: '0 9 * * 1', checklist, variance: '5', owner },
      { from: COE_USER },
    );
    expect(words(taskModuleCard(planned))).toContain('Done: AUD-');
  };

  it('sends the owner of two plans due in the same minute one card, each run with its own button', async () => {
    const mona = String(
      (await db.prisma.platformIdentity.findFirstOrThrow({ where: { externalId: MANAGER.aadObjectId } })).personId,
    );
    await plan(mona, 'Battery saver is off on every scanner\nScanners are docked at the end of each shift');
    await plan(mona, 'Cold store is below 4°C');
    await waitForAuditJobs(['audit:AUD-1', 'audit:AUD-2']);
    await flush();
    resetConnector();

    // Both jobs fire at 09:00 (in either order): the first opens both runs, the second finds its run open.
    clock.set(NINE);
    expect(await bot.scheduler.execute('audit:AUD-2', NINE)).toBe(true);
    expect(await bot.scheduler.execute('audit:AUD-1', NINE)).toBe(true);
    await flush();
    expect(chatOf(MANAGER)).toHaveLength(1);
    const card = lastInChat(MANAGER);
    expect((card as { summary?: string }).summary).toBe(
      'Audit AUD-1 of SOP-inventory-scanning v1.0 is due: 2 items — Audit AUD-2 of SOP-inventory-scanning v1.0 is due too: 1 item, listed in its form.',
    );
    const [first] = cardsOfActivity(card) as Card[];
    expect(words((first?.body as unknown[] | undefined)?.[0])).toBe('Audit AUD-1 · SOP-inventory-scanning v1.0');
    const runs = await db.prisma.auditRun.findMany({ orderBy: { planNumber: 'asc' } });
    expect(runs.map((r) => [r.planNumber, r.dueAt])).toEqual([
      [1, NINE],
      [2, NINE],
    ]);
    const buttons = cardButtons(first as Card);
    expect(buttons.map((b) => [b.title, b.data])).toEqual([
      ['Record results', { msteams: { type: 'task/fetch' }, coeAction: 'audit.record', value: String(runs[0]?.id) }],
      [
        'Record AUD-2 results',
        { msteams: { type: 'task/fetch' }, coeAction: 'audit.record', value: String(runs[1]?.id) },
      ],
    ]);
    // AUD-2's button opens AUD-2's form.
    const form = taskModuleCard(await story.fetchTask(buttons[1]?.data, { from: MANAGER }));
    expect(words(form)).toContain('Cold store is below 4°C');
    expect(words(form)).not.toContain('Battery saver');
  });
});
