/**
 * Nobody left out silently, in Slack (issue 12): a direct message Slack will never take (a deactivated account) ends
 * in one note to the CoE's review channel, and its outbox row keeps the reason. Through the real Bolt app with signed
 * requests against the fake Slack Web API.
 */
import { describe, expect, it } from 'vitest';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { mention, slackStory } from '../support/slack-harness.ts';

const COE = { id: 'UCOE1', name: 'cora' };
const GONE = { id: 'UGONE9', name: 'gus' };
const REVIEW = 'C0REVIEW';

describe.each(databaseKinds())('reaching people in Slack (%s)', (kind: DatabaseKind) => {
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW });
  const { coe, flush } = story;

  it('a deactivated account: one note to the CoE saying who, why and what to do; the row keeps the reason', async () => {
    story.slack.setUser({ id: GONE.id, name: GONE.name, real_name: 'Gus Gone', display_name: 'gus' });
    expect((await coe('setup review-channel')).text).toMatch(/review channel/);
    // Slack refuses every direct message to Gus: his account was deactivated.
    story.slack.setFaultPolicy((call) =>
      call.method === 'conversations.open' && String(call.args.users) === GONE.id
        ? { status: 200, error: 'user_disabled' }
        : undefined,
    );
    expect((await coe(`role ${mention(GONE)} manager`)).text).toMatch(/manager/);
    await flush();
    // The note follows the failure (the deliverer that gave up may be the bot's own, running beside this flush).
    const noted = () => story.slack.messages(REVIEW).filter((m) => m.text.startsWith('Could not reach'));
    await story.slack.waitFor(() => noted().length > 0, 10_000);
    await flush();
    const notes = noted();
    expect(notes.map((m) => m.text)).toEqual([
      // Named as Slack shows him (users.info), though he was only ever mentioned.
      expect.stringMatching(/^Could not reach Gus Gone in Slack: their Slack account is deactivated\./),
    ]);
    expect(JSON.stringify(notes[0]?.blocks)).toContain('What to do: hand over what they own');
    const rows = await story.db.prisma.outboxMessage.findMany({ where: { kind: 'dm', status: 'failed' } });
    expect(rows.map((r) => r.lastError)).toEqual(['Slack: user_disabled']);
    // A restart sweeps the failures again: still one note.
    await story.restart();
    await story.bot.deliverer.flush(Date.now() + 3000);
    expect(story.slack.messages(REVIEW).filter((m) => m.text.startsWith('Could not reach'))).toHaveLength(1);
  });
});
