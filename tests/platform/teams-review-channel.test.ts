/**
 * Moving the CoE review channel in Teams (issue 12): `setup review-channel` said in another channel, by a CoE member
 * only. Kept in the history (who, from which channel, to which), the old channel told where review went (by name when
 * Teams gives one), the new one its usual announcement. Through the real botbuilder adapter and a fake Bot Connector.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { TEAMS_CHANNEL_ID, type TeamsAccount } from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const CORA = account('coe', 'Cora CoE');
const MONA = account('mona', 'Mona Manager');
const ADA = account('ada', 'Ada Lovelace');
const PEOPLE = [CORA, MONA, ADA];
const OLD = TEAMS_CHANNEL_ID;
const NEW = '19:review-2@thread.tacv2';
const THIRD = '19:review-3@thread.tacv2';

describe.each(databaseKinds())('moving the review channel in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [CORA], people: PEOPLE });
  const { say, flush, chatOf, postsIn, resetConnector } = story;

  beforeEach(async () => {
    for (const person of PEOPLE) await say('help', { from: person });
    await say('setup review-channel', { from: CORA, channel: true });
    await say(`role <at>${MONA.name}</at> manager`, { from: CORA, mentioning: [MONA] });
    await flush();
    resetConnector();
  });
  afterEach(() => {
    expectValidCards(story.cardsSent());
    expect(story.bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  /** `setup review-channel` said in `channel` (named `name` in channelData, as Teams sometimes sends it). */
  const setupIn = async (channel: string, from: TeamsAccount, name?: string) => {
    const before = chatOf(from).length;
    const activity = story.messageActivity('setup review-channel', { from, channel });
    if (name) activity.channelData.channel = { id: channel, name };
    const res = await story.post(activity);
    expect(res.status).toBe(200);
    // Anything about the person (a confirmation, a refusal) is answered in their personal chat.
    expect(chatOf(from)).toHaveLength(before + 1);
    return words(chatOf(from).at(-1));
  };
  const moves = () =>
    story.db.prisma.event.findMany({ where: { action: 'review-channel.moved' }, orderBy: { id: 'asc' } });
  const channelNow = async () =>
    (await story.db.prisma.reviewChannel.findUnique({ where: { platform: 'teams' } }))?.channelId;
  const movedNotes = (channel: string) =>
    postsIn(channel)
      .map(words)
      .filter((w) => w.includes('CoE review moved'));

  it('is refused to a manager and a worker, with nothing changed or said in any channel', async () => {
    for (const person of [MONA, ADA]) {
      expect(await setupIn(NEW, person, 'CoE review 2')).toContain('Only CoE members');
    }
    await flush();
    expect(await channelNow()).toBe(OLD);
    expect(await moves()).toEqual([]);
    expect(postsIn(NEW)).toEqual([]);
    expect(postsIn(OLD)).toEqual([]);
  });

  it('moves it for a CoE member: recorded, the old channel told where review went and by whom', async () => {
    expect(await setupIn(NEW, CORA, 'CoE review 2')).toContain('The old one is told where review moved');
    await flush();
    expect(await channelNow()).toBe(NEW);
    const notes = movedNotes(OLD);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('CoE review moved to #CoE review 2.');
    expect(notes[0]).toContain('Moved by Cora CoE.');
    expect(postsIn(NEW).map(words)).toEqual([expect.stringContaining('This channel is now the CoE review channel.')]);

    // Teams seldom names the channel in a message: then the note says "another channel".
    expect(await setupIn(THIRD, CORA)).toContain('Done: this channel is now the CoE review channel.');
    await flush();
    expect(movedNotes(NEW)).toEqual([expect.stringContaining('CoE review moved to another channel.')]);
    expect(movedNotes(OLD)).toHaveLength(1);

    const cora = await story.db.prisma.platformIdentity.findFirstOrThrow({ where: { externalId: CORA.aadObjectId } });
    expect(await moves()).toEqual([
      expect.objectContaining({ actorPersonId: cora.personId, fromState: OLD, toState: NEW }),
      expect.objectContaining({ actorPersonId: cora.personId, fromState: NEW, toState: THIRD }),
    ]);
  });
});
