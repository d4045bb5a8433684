/**
 * Reaching people in Teams who never wrote to the bot (issue 12): installed in a team, the bot reads the team's roster,
 * so a member named a manager is told in a personal chat the bot opens for them, once. Through the real botbuilder
 * adapter against the fake Bot Connector.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import { postActivity, readableText, TEAMS_CHANNEL_ID, teamsConversationUpdate } from '../support/teams-activity.ts';
import { account, teamsStory } from '../support/teams-harness.ts';

const COE = account('coe', 'Cora CoE');
/** In the team, but never writes to the bot. */
const NINA = account('nina', 'Nina Newcomer');
const LATE = account('leo', 'Leo Later');

describe.each(databaseKinds())('reaching people in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE], people: [COE], botPerTest: true });
  const { say, flush } = story;
  let { connector, bot } = story;
  beforeEach(() => {
    ({ connector, bot } = story);
  });

  const channelUpdate = (membersAdded?: { id: string; name: string; aadObjectId: string }[]) =>
    postActivity(
      bot.url,
      teamsConversationUpdate({
        serviceUrl: connector.serviceUrl,
        from: COE,
        conversation: { conversationType: 'channel' },
        ...(membersAdded ? { membersAdded } : {}),
      }),
    );
  const created = () => connector.requests().filter((r) => r.kind === 'create' && !r.faulted);
  const chatWith = (conversationId: string | undefined) =>
    connector.activities(conversationId ?? 'none').map((r) => readableText(r.body));

  it('installed in a team: a member who never wrote is made a manager and told, in a chat opened once', async () => {
    // The team's roster: a few people and Nina.
    for (let i = 0; i < 3; i++)
      connector.addMember({ id: `29:filler-${i}`, name: `Filler ${i}`, aadObjectId: `f-${i}` });
    connector.addMember({ id: NINA.id, name: NINA.name, aadObjectId: NINA.aadObjectId });
    expect((await channelUpdate()).status).toBe(200);
    expect(connector.requests().some((r) => r.kind === 'pagedMembers')).toBe(true);

    await say('help', { from: COE });
    await say(`role <at>${NINA.name}</at> manager`, { from: COE, mentioning: [NINA] });
    await flush();
    const opened = created().filter((r) => JSON.stringify(r.body).includes(NINA.id));
    expect(opened).toHaveLength(1);
    expect(chatWith(opened[0]?.conversationId).join('\n')).toMatch(/manager/i);

    // A second message to her goes to the same chat: no second conversation.
    await say(`role <at>${NINA.name}</at> worker`, { from: COE, mentioning: [NINA] });
    await flush();
    expect(created().filter((r) => JSON.stringify(r.body).includes(NINA.id))).toHaveLength(1);
    expect(chatWith(opened[0]?.conversationId)).toHaveLength(2);
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it('a member who joins the team later is reachable too, without the roster being read again', async () => {
    expect((await channelUpdate()).status).toBe(200);
    const rosterReads = connector.requests().filter((r) => r.kind === 'pagedMembers').length;
    connector.addMember({ id: LATE.id, name: LATE.name, aadObjectId: LATE.aadObjectId });
    expect((await channelUpdate([LATE])).status).toBe(200);
    expect(connector.requests().filter((r) => r.kind === 'pagedMembers')).toHaveLength(rosterReads);

    await say('help', { from: COE });
    await say(`role <at>${LATE.name}</at> manager`, { from: COE, mentioning: [LATE] });
    await flush();
    const opened = created().filter((r) => JSON.stringify(r.body).includes(LATE.id));
    expect(opened).toHaveLength(1);
    expect(chatWith(opened[0]?.conversationId).join('\n')).toMatch(/manager/i);
  });

  it('someone the bot cannot reach: one note to the CoE in the review channel, and the row keeps the reason', async () => {
    // Stan is in the directory (so the mention resolves) but in no team the bot is installed in.
    const STAN = account('stan', 'Stan Stranger');
    connector.addMember({ id: STAN.id, name: STAN.name, aadObjectId: STAN.aadObjectId });
    await say('setup review-channel', { from: COE, channel: true });
    await say(`role <at>${STAN.name}</at> manager`, { from: COE, mentioning: [STAN] });
    await flush();
    // The note follows the failure (the deliverer that gave up may be the bot's own, running beside this flush).
    const noted = () =>
      connector
        .messages(TEAMS_CHANNEL_ID)
        .map((m) => readableText(m))
        .filter((t) => t.includes('Could not reach'));
    await connector.waitFor(() => noted().length > 0, 10_000);
    await flush();
    const notes = noted();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('Could not reach Stan Stranger in Teams: the bot has not met them in Teams yet.');
    expect(notes[0]).toContain('add the CoE app to a team they are in');
    const rows = await story.db.prisma.outboxMessage.findMany({ where: { kind: 'dm', status: 'failed' } });
    expect(rows.map((r) => r.lastError)).toEqual(['the bot has not met this person in Teams yet']);
  });
});

describe.each(databaseKinds())('a training reminder reaches a member who never wrote (%s)', (kind: DatabaseKind) => {
  const MONDAY = '2027-03-01';
  const at = (day: number, time: string) => new Date(`${addDays(MONDAY, day)}T${time}:00.000Z`);
  const WAREHOUSE_CHANNEL = '19:warehouse@thread.tacv2';
  const clock = new ManualClock(at(0, '08:30'));
  const story = teamsStory(kind, { coe: [COE], people: [COE], clock, env: { TZ: 'UTC' }, botPerTest: true });
  const { say, flush, buttonData } = story;

  it('installed in the team, the bot reminds Nina in a chat it opens for her', async () => {
    const { connector, bot } = story;
    connector.addMember({ id: NINA.id, name: NINA.name, aadObjectId: NINA.aadObjectId });
    const installed = teamsConversationUpdate({
      serviceUrl: connector.serviceUrl,
      from: COE,
      conversation: { conversationType: 'channel' },
      channel: { id: WAREHOUSE_CHANNEL },
    });
    expect((await postActivity(bot.url, installed)).status).toBe(200);

    await say('help', { from: COE });
    await say('team add Warehouse', { from: COE });
    await say('team channel Warehouse', { from: COE, channel: WAREHOUSE_CHANNEL });
    await say(`team member <at>${NINA.name}</at> Warehouse`, { from: COE, mentioning: [NINA] });
    const team = await story.db.prisma.team.findFirst({ where: { name: 'Warehouse' } });
    await say('training assign', { from: COE });
    await story.fetchTask(buttonData(COE), { from: COE });
    await story.submitTask(
      {
        coeAction: 'training.submit',
        title: 'Battery saver off on the scanners',
        material: 'https://learn.example.com/scanners',
        sop: '',
        layers: '',
        teams: String(team?.id),
        due: addDays(MONDAY, 4),
      },
      { from: COE },
    );
    await flush();

    clock.set(at(1, '09:00'));
    expect(await bot.scheduler.execute('training-reminders', at(1, '09:00'))).toBe(true);
    await flush();
    const opened = connector
      .requests()
      .filter((r) => r.kind === 'create' && !r.faulted && JSON.stringify(r.body).includes(NINA.id));
    expect(opened).toHaveLength(1);
    const chat = connector.activities(opened[0]?.conversationId ?? 'none').map((r) => readableText(r.body));
    expect(chat.join('\n')).toContain('Reminder: training TR-1 is not marked complete yet');
  });
});
