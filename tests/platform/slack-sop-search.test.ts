/**
 * Finding the current standard in Slack (issue 11), through the real Bolt app: `/coe sop find <words>` answers
 * privately with the matches (key, title, version, a snippet), each with "Share in channel"; pressing it posts the
 * current version's card in the channel it was asked in, once even on a double click; where the bot may not post, it
 * says privately how to invite it — signed HTTP requests in, a fake Slack Web API behind, on each database.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SOP_TEXT_ACTIONS } from '../../src/domain/sop-text-messages.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { blocksText, slackStory } from '../support/slack-harness.ts';
import { messageButtonPayload, secondClick } from '../support/slack-interactions.ts';
import { longStandard } from '../support/standard-texts.ts';

const COE = { id: 'UCOE1', name: 'cora' };
const WORKER = { id: 'UWORK1', name: 'wendy' };
const REVIEW = 'C0REVIEW';
const GENERAL = 'C0GENERAL';
const PRIVATE = 'G0PRIVATE';

type Json = Record<string, unknown>;

const SCANNING = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners before the shift.
2. Picker: scan each item.

- [ ] Spare scanner on the charger
`;

describe.each(databaseKinds())('finding a standard in Slack (%s)', (kind: DatabaseKind) => {
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW });
  const { coe, interact, flush, ephemeralsTo } = story;
  let { slack, bot } = story;
  let keys = 0;
  beforeEach(async () => {
    ({ slack, bot } = story);
    const register = (key: string, title: string, text: string) =>
      bot.services.standards.registerSop(
        { actor: { platform: 'slack', externalId: COE.id }, key: `register-${++keys}` },
        key,
        title,
        { text },
      );
    await register('inventory-scanning', 'Inventory scanning', SCANNING);
    await register('scanner-repairs', 'Scanner repairs', '1. Lead: send a broken scanner to IT with a ticket.');
    await register('cold-storage', 'Cold storage', longStandard(20_000).replace('Inventory scanning', 'Cold storage'));
  });

  /** The private answer as a message whose button `value` can be pressed (its blocks cut to that button). */
  const answerWith = (answer: { text: string; blocks?: unknown[] }, value: string) => {
    const blocks = (answer.blocks ?? []).filter((b) => JSON.stringify(b).includes(`"value":"${value}"`));
    expect(blocks, value).toHaveLength(1);
    return { ts: '1700000000.000300', text: answer.text, blocks };
  };
  const sharePress = (answer: { text: string; blocks?: unknown[] }, value: string, channel = GENERAL) =>
    messageButtonPayload({
      user: WORKER,
      channel,
      message: answerWith(answer, value),
      actionId: SOP_TEXT_ACTIONS.share,
    });
  /** Waits for the private answers to `user` to reach `count`, and returns them. */
  const privately = async (count: number) => {
    await slack.waitFor(() => ephemeralsTo(WORKER).length >= count);
    return ephemeralsTo(WORKER);
  };
  const cardsIn = (channel: string) => slack.messages(channel).filter((m) => m.text.startsWith('SOP-'));

  it('answers privately with the matches: key, title, version and snippet, each with Share in channel', async () => {
    // The title holds the word first; then text matches, the most recently registered first.
    const answer = await coe('sop find scanner', WORKER, GENERAL);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe(
      'Standards matching “scanner”: SOP-scanner-repairs v1.0, SOP-cold-storage v1.0, SOP-inventory-scanning v1.0',
    );
    const shown = blocksText(answer.blocks);
    expect(shown).toContain('*SOP-scanner-repairs v1.0* · Scanner repairs');
    expect(shown).toContain('charge the *scanners* before the shift');
    expect(shown).toContain('`/coe sop show scanner-repairs`');
    const buttons = (answer.blocks as Json[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements as Json[])
      .map((e) => [e.action_id, e.value]);
    expect(buttons).toEqual([
      [SOP_TEXT_ACTIONS.share, 'scanner-repairs'],
      [SOP_TEXT_ACTIONS.share, 'cold-storage'],
      [SOP_TEXT_ACTIONS.share, 'inventory-scanning'],
    ]);
    expect(blockKitProblems(answer)).toEqual([]);
    // Nothing was posted for anyone else to see.
    expect(slack.calls('chat.postMessage')).toEqual([]);
  });

  it('says when nothing matches, and what the words are for when there are none', async () => {
    const none = await coe('sop find payroll', WORKER, GENERAL);
    expect(none.text).toBe(
      'No standard matches “payroll”. Try other words, or see every standard with `/coe sop list`.',
    );
    const empty = await coe('sop find', WORKER, GENERAL);
    expect(empty.text).toMatch(/^Say what to look for, like: sop find scanner\./);
  });

  it('posts the current version’s card in the channel once, even on a double click', async () => {
    const answer = await coe('sop find inventory', WORKER, GENERAL);
    const press = sharePress(answer, 'inventory-scanning');
    expect((await interact(press)).status).toBe(200);
    expect((await interact(secondClick(press))).status).toBe(200);
    const answers = await privately(2);
    await flush();
    const cards = cardsIn(GENERAL);
    expect(cards).toHaveLength(1);
    expect(cards[0]?.text).toBe('SOP-inventory-scanning v1.0: Inventory scanning');
    const card = blocksText(cards[0]?.blocks);
    expect(card).toContain('SOP-inventory-scanning v1.0 · Inventory scanning');
    expect(card).toContain('Shift lead: charge the scanners before the shift.');
    expect(card).toContain('`/coe sop show inventory-scanning`');
    expect(blockKitProblems({ text: cards[0]?.text ?? '', blocks: cards[0]?.blocks as unknown[] })).toEqual([]);
    expect(answers.map((a) => a.text).sort()).toEqual([
      'Already shared: one card per press.',
      'Done: SOP-inventory-scanning v1.0 is shared in this channel.',
    ]);
    expect(answers.every((a) => a.channel === GENERAL)).toBe(true);
    expect(story.blockKit().problems).toEqual([]);
  });

  it('shares a long standard’s first part; Read it gives the whole version privately', async () => {
    const answer = await coe('sop find cold', WORKER, GENERAL);
    await interact(sharePress(answer, 'cold-storage'));
    await privately(1);
    await flush();
    const [card] = cardsIn(GENERAL);
    expect(blocksText(card?.blocks)).toContain(
      'That is the first part. Read it all with `/coe sop show cold-storage`.',
    );
    expect(JSON.stringify(card?.blocks).length).toBeLessThan(6000);
    const before = slack.calls('chat.postEphemeral').length;
    await interact(
      messageButtonPayload({
        user: WORKER,
        channel: GENERAL,
        message: { ts: card?.ts ?? '', text: card?.text ?? '', blocks: card?.blocks },
        actionId: SOP_TEXT_ACTIONS.more,
      }),
    );
    const [read] = (await slack.waitForCalls('chat.postEphemeral', before + 1)).slice(before);
    expect(String(read?.args.text)).toMatch(/^SOP-cold-storage v1\.0: Cold storage \(page 1 of \d+\)$/);
    expect(cardsIn(GENERAL)).toHaveLength(1);
  });

  it('says privately how to invite the bot where it may not post, and posts nothing', async () => {
    slack.setChannel({ id: PRIVATE, name: 'night-shift', is_private: true, is_member: false });
    const answer = await coe('sop find scanner', WORKER, PRIVATE);
    await interact(sharePress(answer, 'scanner-repairs', PRIVATE));
    const [told] = await privately(1);
    expect(told?.text).toBe(
      'I am not in this conversation, so I cannot post the card here. Add me with `/invite @CoE`, then press Share in channel again.',
    );
    await flush();
    expect(cardsIn(PRIVATE)).toEqual([]);
    // Once invited, the same button works.
    slack.setChannel({ id: PRIVATE, name: 'night-shift', is_private: true, is_member: true });
    await interact(secondClick(sharePress(answer, 'scanner-repairs', PRIVATE)));
    await privately(2);
    await flush();
    expect(cardsIn(PRIVATE)).toHaveLength(1);
  });

  it('offers no Share button in a direct message with the bot', async () => {
    const answer = await coe('sop find scanner', WORKER, `D${WORKER.id}`);
    expect(JSON.stringify(answer.blocks)).not.toContain(SOP_TEXT_ACTIONS.share);
    expect(answer.text).toMatch(/^Standards matching “scanner”/);
  });
});
