/**
 * The ends of lifecycles in Teams (issue 12), through the real botbuilder CloudAdapter and a fake Bot Connector:
 * `audit pause | resume | change | stop AUD-n` said to the bot (change opens the plan's dialog, filled), `training
 * due | cancel TR-n`, `sop retire <key>`, `team rename | archive | member remove` and `constraint end EX-n`. Each is
 * done by a CoE member (ending a constraint: an executive) and refused for the others with nothing changed; answers
 * about a person go to their personal chat; whom it concerns is told; the audit jobs follow.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayText } from '../../src/domain/schedule-messages.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import {
  type Card,
  cardButtons,
  cardErrors,
  cardInputs,
  cardsOfActivity,
  TEAMS_CHANNEL_ID,
  type TeamsAccount,
  taskModuleCard,
  taskModuleText,
} from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const MANAGER = account('mona', 'Mona Manager');
const ADA = account('ada', 'Ada Lovelace');
const EVE = account('eve', 'Eve Executive');
const PEOPLE = [COE_USER, MANAGER, ADA, EVE];
const WAREHOUSE_CHANNEL = '19:warehouse@thread.tacv2';
const CHECKLIST = 'Battery saver is off on every scanner\nScanners are docked at the end of each shift';

/** Monday 1 March 2027, 10:00 UTC (the bot runs with TZ=UTC). */
const NOW = new Date('2027-03-01T10:00:00.000Z');

describe.each(databaseKinds())('the ends of lifecycles in Teams (%s)', (kind: DatabaseKind) => {
  const clock = new ManualClock(NOW);
  const story = teamsStory(kind, { coe: [COE_USER], people: PEOPLE, clock, env: { TZ: 'UTC' } });
  const { say, flush, chatOf, lastInChat, postsIn, buttonData, resetConnector } = story;
  let { db, bot } = story;
  const fetchTask = (data: unknown, from: TeamsAccount) => story.fetchTask(data, { from });
  const submitTask = (data: unknown, from: TeamsAccount) => story.submitTask(data, { from });
  const said = (person: TeamsAccount) => words(lastInChat(person));
  /** Says `text`, and what the bot answered in the sayer's personal chat: one new message, however it was said. */
  const answer = async (text: string, where: { from: TeamsAccount; channel?: true; id?: string }) => {
    const before = chatOf(where.from).length;
    await say(text, where);
    const chat = chatOf(where.from);
    expect(chat).toHaveLength(before + 1);
    return words(chat.at(-1));
  };

  beforeEach(async () => {
    ({ db, bot } = story);
    clock.set(NOW);
    for (const person of PEOPLE) await say('help', { from: person });
    await say('setup review-channel', { from: COE_USER, channel: true });
    await say(`role <at>${MANAGER.name}</at> manager`, { from: COE_USER, mentioning: [MANAGER] });
    await say('sop new inventory-scanning Inventory scanning', { from: COE_USER });
    await say('team add Warehouse', { from: COE_USER });
    await say('team channel Warehouse', { from: COE_USER, channel: WAREHOUSE_CHANNEL });
    await say(`team member <at>${ADA.name}</at> Warehouse`, { from: COE_USER, mentioning: [ADA] });
    await flush();
    resetConnector();
  });
  afterEach(() => {
    expectValidCards(story.cardsSent());
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  /** The audit jobs follow the plans in the background: waits until they are exactly these. */
  const waitForAuditJobs = async (wanted: Record<string, string>) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const jobs = (await bot.scheduler.board()).filter((j) => j.name.startsWith('audit:'));
      const have = Object.fromEntries(jobs.map((j) => [j.name, j.schedule]));
      if (JSON.stringify(have) === JSON.stringify(wanted)) return;
      if (Date.now() > deadline) throw new Error(`audit jobs: ${JSON.stringify(have)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const plan = () => db.prisma.auditPlan.findUniqueOrThrow({ where: { number: 1 } });
  const monaId = async () =>
    String(
      (await db.prisma.platformIdentity.findFirstOrThrow({ where: { externalId: MANAGER.aadObjectId } })).personId,
    );

  /** AUD-1 planned through its dialog, owned by Mona. */
  const planAudit = async () => {
    await say('audit plan', { from: COE_USER });
    await fetchTask(buttonData(COE_USER), COE_USER);
    const owner = await monaId();
    const planned = await submitTask(
      {
        coeAction: 'audit.submit',
        sop: 'inventory-scanning',
        schedule: '0 9 * * 1',
        checklist: CHECKLIST,
        variance: '5',
        owner,
      },
      COE_USER,
    );
    expect(words(taskModuleCard(planned))).toContain('Done: AUD-1');
    await waitForAuditJobs({ 'audit:AUD-1': '0 9 * * 1' });
    await flush();
    resetConnector();
  };

  it('pauses, resumes, changes and stops AUD-1: the CoE only, its owner told, its job following', async () => {
    await planAudit();
    const only = 'Only CoE members pause, resume, change or stop audits. Nothing was changed.';

    expect(await answer('audit pause AUD-2', { from: MANAGER })).toContain(only);
    expect(await answer('audit pause AUD-1', { from: ADA })).toContain(only);
    expect((await plan()).state).toBe('active');

    expect(await answer('audit pause AUD-1', { from: COE_USER })).toContain(
      'Paused: AUD-1 (SOP-inventory-scanning v1.0) does not run until it is resumed with audit resume AUD-1.',
    );
    expect((await plan()).state).toBe('paused');
    await waitForAuditJobs({});
    await flush();
    expect(said(MANAGER)).toContain(
      'The CoE paused AUD-1, the audit of SOP-inventory-scanning v1.0 you own: no checklist comes until it is resumed.',
    );
    expect(await answer('audit pause AUD-1', { from: COE_USER })).toContain(
      'AUD-1 is paused already. Resume it with audit resume AUD-1.',
    );

    // Said in a channel, the answer is private: in the personal chat, not the thread.
    const id = String(Date.now() + 2_000_000);
    await say('audit resume AUD-1', { from: COE_USER, channel: true, id });
    expect(story.connector.activities(`${TEAMS_CHANNEL_ID};messageid=${id}`)).toEqual([]);
    expect(said(COE_USER)).toMatch(/^Resumed: AUD-1 runs again on "0 9 \* \* 1"/);
    await waitForAuditJobs({ 'audit:AUD-1': '0 9 * * 1' });

    // `audit change`: refused before any card for the owner; the CoE gets the opener, then the plan's form, filled.
    expect(await answer('audit change AUD-1', { from: MANAGER })).toContain(only);
    expect(cardsOfActivity(lastInChat(MANAGER)).flatMap(cardButtons)).toEqual([]);
    await say('audit change AUD-1', { from: COE_USER });
    const opener = buttonData(COE_USER);
    expect(opener).toEqual({ msteams: { type: 'task/fetch' }, coeAction: 'audit.change.open', value: 'AUD-1' });
    expect(taskModuleText(await fetchTask(opener, MANAGER))).toBe(only);
    const form = taskModuleCard(await fetchTask(opener, COE_USER));
    expect(words(form)).toContain('Audits SOP-inventory-scanning · Inventory scanning');
    const inputs = cardInputs(form);
    expect([...inputs.keys()]).toEqual(['schedule', 'checklist', 'variance', 'owner']);
    expect(inputs.get('schedule')?.value).toBe('0 9 * * 1');
    expect(inputs.get('checklist')?.value).toBe(CHECKLIST);
    expect(inputs.get('variance')?.value).toBe('5');
    expect(inputs.get('owner')?.value).toBe(await monaId());
    const save = cardButtons(form)[0]?.data as Record<string, string>;
    expect(save).toEqual({ coeAction: 'audit.change.submit', value: 'AUD-1' });

    const values = { schedule: '0 9 * * 1', checklist: CHECKLIST, variance: '5', owner: await monaId() };
    expect(taskModuleText(await submitTask({ ...save, ...values, schedule: '0 7 * * 3' }, ADA))).toBe(only);
    const wrong = taskModuleCard(await submitTask({ ...save, ...values, schedule: 'weekly' }, COE_USER));
    expect(cardErrors(wrong)).toEqual({
      schedule: '"weekly" is not a cron expression; write minute hour day month weekday, like 0 9 * * 1.',
    });
    expect(cardInputs(wrong).get('schedule')?.value).toBe('weekly');
    expect((await plan()).schedule).toBe('0 9 * * 1');
    const saved = await submitTask({ ...save, ...values, schedule: '0 7 * * 3', variance: '4' }, COE_USER);
    expect(words(taskModuleCard(saved))).toContain(
      'Done: AUD-1 audits SOP-inventory-scanning v1.0 on "0 7 * * 3", 2 items, acceptable variance 4%',
    );
    expect(await plan()).toMatchObject({ schedule: '0 7 * * 3', acceptableVariance: 4, sopKey: 'inventory-scanning' });
    await waitForAuditJobs({ 'audit:AUD-1': '0 7 * * 3' });
    await flush();
    expect(said(MANAGER)).toMatch(/^The CoE changed AUD-1: it runs on "0 7 \* \* 3"/);

    expect(await answer('audit stop AUD-1', { from: ADA })).toContain(only);
    expect(await answer('audit stop AUD-1', { from: COE_USER })).toMatch(/^Stopped: AUD-1 will not run again/);
    expect((await plan()).state).toBe('stopped');
    await waitForAuditJobs({});
    expect(await answer('audit list', { from: ADA })).toContain('AUD-1 · SOP-inventory-scanning v1.0 · stopped');
    expect(
      (await db.prisma.event.findMany({ where: { subject: 'AUD-1' }, orderBy: { id: 'asc' } })).map((e) => e.action),
    ).toEqual(['audit.planned', 'audit.paused', 'audit.resumed', 'audit.changed', 'audit.stopped']);
  });

  it('moves a training’s due date and cancels it: the CoE only, those not done told', async () => {
    const team = await db.prisma.team.findFirstOrThrow({ where: { name: 'Warehouse' } });
    await say('training assign', { from: COE_USER });
    await fetchTask(buttonData(COE_USER), COE_USER);
    const assigned = await submitTask(
      {
        coeAction: 'training.submit',
        title: 'Battery saver off on the scanners',
        material: 'https://learn.example.com/scanners',
        sop: '',
        layers: '',
        teams: String(team.id),
        due: '2027-03-05',
      },
      COE_USER,
    );
    expect(words(taskModuleCard(assigned))).toContain('Done: TR-1');
    await flush();
    resetConnector();
    const only = 'Only CoE members cancel a training or move its due date. Nothing was changed.';

    expect(await answer('training due TR-1 2027-03-12', { from: MANAGER })).toContain(only);
    expect(await answer('training due TR-1 2027-03-12', { from: ADA })).toContain(only);
    expect(await answer('training due TR-1 2027-03-12', { from: COE_USER })).toContain(
      `Done: TR-1 "Battery saver off on the scanners" is now due ${dayText('2027-03-12')} (it was ${dayText('2027-03-05')}); everyone who has not completed it is told.`,
    );
    await flush();
    const moved = `Training TR-1 "Battery saver off on the scanners" is now due ${dayText('2027-03-12')} (it was ${dayText('2027-03-05')}).`;
    expect(said(ADA)).toContain(moved);
    expect(cardButtons(cardsOfActivity(lastInChat(ADA))[0] as Card).map((b) => b.title)).toEqual(['Mark complete']);
    expect(postsIn(WAREHOUSE_CHANNEL).map(words)).toEqual([expect.stringContaining(moved)]);

    expect(await answer('training cancel TR-1', { from: ADA })).toContain(only);
    expect((await db.prisma.training.findUniqueOrThrow({ where: { number: 1 } })).cancelledAt).toBeNull();
    expect(await answer('training cancel TR-1', { from: COE_USER })).toContain(
      'Cancelled: TR-1 "Battery saver off on the scanners". Its reminders stop, and its history stays. Everyone who had not completed it is told.',
    );
    expect((await db.prisma.training.findUniqueOrThrow({ where: { number: 1 } })).cancelledAt).toEqual(NOW);
    await flush();
    const cancelled = 'is cancelled: there is nothing more to do for it, and no more reminders.';
    expect(said(ADA)).toContain(cancelled);
    expect(await answer('training cancel TR-1', { from: COE_USER })).toContain('is cancelled already');
    await flush();
    expect(chatOf(ADA).filter((b) => words(b).includes(cancelled))).toHaveLength(1);
  });

  it('retires a standard: the CoE only; listed as retired, its teams told once, no more releases', async () => {
    expect(await answer('sop retire inventory-scanning', { from: MANAGER })).toContain(
      'Only CoE members retire standards. Nothing was changed.',
    );
    expect((await db.prisma.sop.findUniqueOrThrow({ where: { key: 'inventory-scanning' } })).retiredAt).toBeNull();
    expect(await answer('sop retire inventory-scanning', { from: COE_USER })).toMatch(
      /^Retired: SOP-inventory-scanning/,
    );
    expect((await db.prisma.sop.findUniqueOrThrow({ where: { key: 'inventory-scanning' } })).retiredAt).toEqual(NOW);
    expect(await answer('sop retire inventory-scanning', { from: COE_USER })).toMatch(/is retired already/);
    await flush();
    expect(postsIn(WAREHOUSE_CHANNEL).map(words)).toEqual([
      expect.stringContaining('SOP-inventory-scanning "Inventory scanning" is retired: it no longer applies.'),
    ]);
    expect(await answer('sop list', { from: ADA })).toContain('SOP-inventory-scanning · v1.0 · retired');
    expect(await answer('release inventory-scanning', { from: COE_USER })).toContain(
      'SOP-inventory-scanning is retired: it takes no new releases. Nothing was published.',
    );
  });

  it('renames and archives a team: the CoE only; its channel told once each, no form offers it after', async () => {
    expect(await answer('team archive Warehouse', { from: MANAGER })).toContain(
      'Only CoE members rename or archive teams or change who is in them. Nothing was changed.',
    );
    expect(await answer('team rename Warehouse to Stores', { from: COE_USER })).toMatch(
      /^Renamed: Warehouse is now Stores/,
    );
    expect(await answer('team archive Stores', { from: COE_USER })).toMatch(/^Archived: Stores\./);
    expect((await db.prisma.team.findUniqueOrThrow({ where: { name: 'Stores' } })).archivedAt).toEqual(NOW);
    expect(await answer('team archive Stores', { from: COE_USER })).toContain(
      'Stores is archived already, since 2027-03-01.',
    );
    await flush();
    expect(postsIn(WAREHOUSE_CHANNEL).map(words)).toEqual([
      expect.stringContaining('This team, Warehouse, is now called Stores.'),
      expect.stringContaining('Stores is archived:'),
    ]);
    expect(await answer('team list', { from: ADA })).not.toContain('Stores');
  });

  it('takes a member out of a team: the CoE only; they are told once', async () => {
    const removal = { mentioning: [ADA] };
    const text = `team member remove <at>${ADA.name}</at> Warehouse`;
    expect(await answer(text, { from: MANAGER, ...removal })).toContain(
      'Only CoE members rename or archive teams or change who is in them. Nothing was changed.',
    );
    expect(await db.prisma.teamMember.count()).toBe(1);
    expect(await answer(text, { from: COE_USER, ...removal })).toContain(
      'Done: Ada Lovelace is no longer in Warehouse. They are told.',
    );
    expect(await db.prisma.teamMember.count()).toBe(0);
    expect(await answer(text, { from: COE_USER, ...removal })).toContain(
      'Ada Lovelace is not in Warehouse, so nothing changed.',
    );
    await flush();
    expect(
      chatOf(ADA)
        .map(words)
        .filter((t) => t.startsWith('You are no longer in Warehouse')),
    ).toHaveLength(1);
  });

  it('ends a constraint: executives only; listed as ended, out of the change form, the CoE told once', async () => {
    await say(`role <at>${EVE.name}</at> executive`, { from: COE_USER, mentioning: [EVE] });
    // Eve is told of her new layer first, so each answer below is one new message in her chat.
    await flush();
    expect(await answer('constraint add priority Faster counts', { from: EVE })).toMatch(/^Done: EX-1/);
    const ended = async () => (await db.prisma.executiveConstraint.findUniqueOrThrow({ where: { number: 1 } })).endedAt;
    for (const from of [MANAGER, COE_USER]) {
      expect(await answer('constraint end EX-1', { from })).toContain(
        'Only executives end priorities, constraints and outcome targets. Nothing was changed.',
      );
    }
    expect(await ended()).toBeNull();
    expect(await answer('constraint end EX-9', { from: EVE })).toMatch(/^There is no EX-9\./);
    expect(await answer('constraint end EX-1', { from: EVE })).toMatch(/^Ended: EX-1 \(priority\)/);
    expect(await ended()).toEqual(NOW);
    expect(await answer('constraint end EX-1', { from: EVE })).toContain('EX-1 was ended already, on 2027-03-01.');
    await flush();
    expect(postsIn(TEAMS_CHANNEL_ID).map(words)).toEqual([
      expect.stringContaining('EX-1 (priority) "Faster counts" was ended early by an executive.'),
    ]);
    expect(await answer('constraint list', { from: ADA })).toContain('Faster counts (ended 2027-03-01)');
    await say('change request', { from: MANAGER });
    expect(JSON.stringify(await fetchTask(buttonData(MANAGER), MANAGER))).not.toContain('EX-1');
  });
});
