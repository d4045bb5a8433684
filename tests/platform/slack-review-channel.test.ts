/**
 * Moving the CoE review channel in Slack (issue 12): `/coe setup review-channel` in another channel, by a CoE member
 * only. Kept in the history (who, from which channel, to which), the old channel told where review went, the new one
 * its usual announcement; review messages already posted keep working where they are. Through the real Bolt app with
 * signed requests against the fake Slack Web API.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChangeField } from '../../src/domain/change.ts';
import { CHANGE_ACTIONS } from '../../src/domain/change-messages.ts';
import { CHANGE_FORM_BLOCKS } from '../../src/platforms/slack/ids.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { blocksText, mention, slackStory } from '../support/slack-harness.ts';
import type { InputValue } from '../support/slack-interactions.ts';

const CORA = { id: 'UCOE1', name: 'cora', realName: 'Cora Oyelaran' };
const MIKE = { id: 'UMGR1', name: 'mike', realName: 'Mike Brandt' };
const WENDY = { id: 'UWORK1', name: 'wendy', realName: 'Wendy Park' };
const OLD = 'C0REVIEW';
const NEW = 'C0REVIEW2';

const change = (title: string): Record<string, InputValue> => {
  const values: Partial<Record<ChangeField, InputValue>> = {
    kind: 'tool',
    newSop: 'inventory-scanning',
    title,
    change: 'Shift leads restart every handheld scanner at the start of each shift.',
    why: 'Scanners freeze after about 30 minutes and counts get lost.',
    risk: 'low',
    improvement: 'clarify',
  };
  return Object.fromEntries(Object.entries(values).map(([f, v]) => [CHANGE_FORM_BLOCKS[f as ChangeField], v]));
};

describe.each(databaseKinds())('moving the review channel in Slack (%s)', (kind: DatabaseKind) => {
  const story = slackStory(kind, { coe: CORA, reviewChannel: OLD });
  const { coe, command, flush, openFrom, submit, press, topLevel, repliesTo, updatesOf, waitForEphemeral } = story;
  beforeEach(() => {
    for (const u of [CORA, MIKE, WENDY]) {
      story.slack.setUser({ id: u.id, name: u.name, real_name: u.realName, display_name: u.name });
    }
  });

  const setupIn = async (channel: string, user: { id: string; name: string }, channelName: string) => {
    const res = await command('/coe', 'setup review-channel', user, { channel_id: channel, channel_name: channelName });
    expect(res.status).toBe(200);
    return res.json<{ text: string }>().text;
  };
  const raiseChange = async (title: string) => {
    const view = await openFrom('/change-request', '', MIKE);
    expect((await submit(view, change(title), MIKE)).response_action).toBe('update');
    await flush();
  };
  const moves = () => story.db.prisma.event.findMany({ where: { action: 'review-channel.moved' } });
  const channelNow = async () =>
    (await story.db.prisma.reviewChannel.findUnique({ where: { platform: 'slack' } }))?.channelId;

  it('moves it for a CoE member only: recorded, the old channel told where review went, old reviews still work', async () => {
    expect((await coe('setup review-channel')).text).toMatch(/now the CoE review channel/);
    expect((await coe(`role ${mention(MIKE)} manager`)).text).toMatch(/^Done/);
    await raiseChange('Restart scanners at every shift change');
    const first = topLevel(OLD, 'CR-1 ');

    // A manager and a worker are refused, and nothing changes.
    for (const user of [MIKE, WENDY]) {
      expect(await setupIn(NEW, user, 'coe-review-2')).toMatch(/Only CoE members/);
    }
    await flush();
    expect(await channelNow()).toBe(OLD);
    expect(await moves()).toEqual([]);
    expect(story.slack.messages(NEW)).toEqual([]);
    expect(story.slack.messages(OLD).map((m) => m.text)).not.toContainEqual(expect.stringMatching(/moved/));

    const reply = await setupIn(NEW, CORA, 'coe-review-2');
    expect(reply).toMatch(/^Done: this channel is now the CoE review channel\. The old one is told where review moved/);
    await flush();
    expect(await channelNow()).toBe(NEW);
    const cora = await story.db.prisma.platformIdentity.findFirstOrThrow({ where: { externalId: CORA.id } });
    expect(await moves()).toEqual([
      expect.objectContaining({
        actorPersonId: cora.personId,
        subject: 'review-channel:slack',
        fromState: OLD,
        toState: NEW,
      }),
    ]);
    // The old channel: one note, where review went and who moved it. The new one: its usual announcement.
    const notes = story.slack.messages(OLD).filter((m) => m.text.startsWith('CoE review moved'));
    expect(notes.map((m) => m.text)).toEqual(['CoE review moved to #coe-review-2.']);
    expect(blocksText(notes[0]?.blocks)).toContain('Moved by Cora Oyelaran.');
    expect(story.slack.messages(NEW).map((m) => m.text)).toEqual(['This channel is now the CoE review channel.']);
    // Said again there: nothing more.
    expect(await setupIn(NEW, CORA, 'coe-review-2')).toMatch(/already/);
    await flush();
    expect(story.slack.messages(OLD).filter((m) => m.text.startsWith('CoE review moved'))).toHaveLength(1);
    expect(await moves()).toHaveLength(1);

    // CR-1's review message stays in the old channel, and its buttons still work there.
    await press(CORA, OLD, first, CHANGE_ACTIONS.approve);
    await waitForEphemeral(CORA, /CR-1 is approved/);
    await flush();
    expect(updatesOf(first)).toHaveLength(1);
    expect(topLevel(OLD, 'CR-1 ').text).toMatch(/^CR-1 approved/);
    expect(repliesTo(OLD, first).map((m) => m.text)).toEqual(['Cora Oyelaran approved it.']);
    // New reviews arrive in the new channel.
    await raiseChange('Dock scanners at the end of each shift');
    expect(topLevel(NEW, 'CR-2 ').text).toMatch(/Dock scanners/);
    expect(story.slack.messages(OLD).some((m) => m.text.startsWith('CR-2 '))).toBe(false);
    expect(story.blockKit().problems).toEqual([]);
  });
});
