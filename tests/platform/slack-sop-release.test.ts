/**
 * Issue 11's first acceptance point in Slack, through the real Bolt app and the fake Slack API: a baseline with text
 * → a change request proposing a new text (the clarity check shown to the requester and on the review message) →
 * approved → released, the release form showing the difference first; the announcement says what changed and offers
 * the whole version; `sop show` gives the new text, `sop show <key> v1.0` the old, `sop diff` both ways. And the
 * release form that comes back when what it would publish is not what it showed, or when two texts clash.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CHANGE_ACTIONS } from '../../src/domain/change-messages.ts';
import { SOP_TEXT_ACTIONS } from '../../src/domain/sop-text-messages.ts';
import {
  CHANGE_FORM_BLOCKS,
  changeTextPart,
  DECISION_BLOCKS,
  RELEASE_FORM_BLOCKS,
  SOP_FORM_BLOCKS,
  VIEWS,
} from '../../src/platforms/slack/ids.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { blocksText, element, mention, slackStory } from '../support/slack-harness.ts';
import { messageButtonPayload } from '../support/slack-interactions.ts';
import { longStandard } from '../support/standard-texts.ts';

const COE = { id: 'UCOE1', name: 'cora' };
const MGR = { id: 'UMGR1', name: 'mike' };
const WORKER = { id: 'UWORK1', name: 'wendy' };
const REVIEW = 'C0REVIEW';
const WARE = 'C0WARE';
const GENERAL = 'C0GENERAL';

type Json = Record<string, unknown>;

const V1 = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners.
2. Picker: scan each item.

## Checklist

- [ ] Scanners charged`;

/** v1.0 with one step changed and two added: vague words, a step nobody does, an acronym never spelled out. */
const PROPOSED = `${V1.replace('charge the scanners.', 'charge the scanners at every break.')}
3. Picker: scan the shelf labels as needed, etc.
4. Report a broken scanner to the WMS desk ASAP.`;

const C = CHANGE_FORM_BLOCKS;
const R = RELEASE_FORM_BLOCKS;

describe.each(databaseKinds())('a standard’s text changed through the loop, in Slack (%s)', (kind: DatabaseKind) => {
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW });
  const { coe, openFrom, submit, press, interact, flush, topLevel, waitForEphemeral, dms } = story;
  let { db, slack } = story;
  beforeEach(() => {
    ({ db, slack } = story);
  });

  /** The review channel, a manager, a team with its channel, and SOP-inventory-scanning v1.0 with its text. */
  const setUp = async () => {
    expect((await coe('setup review-channel')).text).toMatch(/review channel/);
    expect((await coe(`role ${mention(MGR)} manager`)).text).toMatch(/^Done/);
    expect((await coe(`team add Warehouse <#${WARE}|warehouse>`)).text).toMatch(/with its channel/);
    const view = await openFrom('/coe', 'sop new', COE);
    const registered = await submit(
      view,
      {
        [SOP_FORM_BLOCKS.key]: 'inventory-scanning',
        [SOP_FORM_BLOCKS.title]: 'Inventory scanning',
        [SOP_FORM_BLOCKS.text]: V1,
      },
      COE,
    );
    expect(registered.response_action).toBe('update');
    await flush();
  };
  /** `/change-request` filled in by the manager, proposing `text`: the ack's body. */
  const raise = async (title: string, text: Record<string, string>) => {
    const view = await openFrom('/change-request', '', MGR);
    return submit(
      view,
      {
        [C.kind]: 'standard',
        [C.sop]: 'inventory-scanning',
        [C.title]: title,
        [C.change]: 'Charge the scanners at every break, and scan the shelf labels.',
        [C.why]: 'Scanners die mid-shift and labels go unscanned.',
        [C.risk]: 'low',
        [C.improvement]: 'clarify',
        ...text,
      },
      MGR,
    );
  };
  const reviewMessage = (number: number) => topLevel(REVIEW, `CR-${number} `);
  const approve = async (number: number) => {
    await press(COE, REVIEW, reviewMessage(number), CHANGE_ACTIONS.approve);
    await waitForEphemeral(COE, new RegExp(`CR-${number} is approved`));
    await flush();
  };
  const version = (minor: number) =>
    db.prisma.sopText.findUnique({
      where: { sopKey_major_minor: { sopKey: 'inventory-scanning', major: 1, minor } },
    });

  it('takes a proposed text from request to release: difference shown, announced, readable, comparable', async () => {
    await setUp();

    // The change form has the optional proposed text, in a box and boxes to go on in (Slack's 3,000 a box).
    const form = await openFrom('/change-request', '', MGR);
    expect(element(form, C.proposedText)).toMatchObject({
      type: 'plain_text_input',
      multiline: true,
      max_length: 3000,
    });
    expect((form.blocks as Json[]).find((b) => b.block_id === C.proposedText)?.optional).toBe(true);
    expect(element(form, changeTextPart(4)).max_length).toBe(3000);

    // The text comes in two boxes; the requester's confirmation has the clarity check.
    const [first, rest] = [
      PROPOSED.slice(0, PROPOSED.indexOf('3. Picker')).trimEnd(),
      PROPOSED.slice(PROPOSED.indexOf('3. Picker')),
    ];
    const body = await raise('Charge at every break, scan the labels', {
      [C.proposedText]: first,
      [changeTextPart(2)]: rest,
    });
    expect(body.response_action).toBe('update');
    const confirmation = blocksText((body.view as Json).blocks);
    expect(confirmation).toContain('Thanks: your change request is CR-1');
    expect(confirmation).toContain('*Proposed text of the standard*');
    expect(confirmation).toContain('against v1.0: 3 lines added, 1 line removed.');
    expect(confirmation).toContain('*Clarity check*');
    expect(confirmation).toMatch(/as needed/);
    expect(confirmation).toMatch(/ASAP/);
    expect((await db.prisma.changeText.findUnique({ where: { changeNumber: 1 } }))?.text).toBe(PROPOSED);
    await flush();

    // The reviewers: the changed lines and a few of the findings, "and N more".
    const review = reviewMessage(1);
    const reviewed = blocksText(review.blocks);
    expect(reviewed).toContain('+ 1. Shift lead: charge the scanners at every break.');
    expect(reviewed).toContain('- 1. Shift lead: charge the scanners.');
    expect(reviewed).toContain('*Clarity check*');
    expect(reviewed).toMatch(/…and \d+ more\./);
    expect(blockKitProblems({ text: review.text, blocks: review.blocks as unknown[] })).toEqual([]);

    await approve(1);

    // The release form shows the next version's text: what it takes, and the lines it changes, before publishing.
    const release = await openFrom('/coe', 'release inventory-scanning', COE);
    expect(release.callback_id).toBe(VIEWS.releaseForm);
    const shown = blocksText(release.blocks);
    expect(shown).toContain('*The text of v1.1*');
    expect(shown).toContain('v1.1 takes the text CR-1 proposes.');
    expect(shown).toContain('Against v1.0: 3 lines added, 1 line removed.');
    expect(shown).toContain('+ 3. Picker: scan the shelf labels as needed, etc.');
    expect(element(release, R.text).initial_option).toMatchObject({ value: 'combine' });
    expect(JSON.parse(String(release.private_metadata))).toEqual({ previewed: expect.any(String) });
    const published = await submit(release, {}, COE);
    expect(published.response_action).toBe('update');
    expect(blocksText((published.view as Json).blocks)).toContain('Published SOP-inventory-scanning v1.1');
    expect((await version(1))?.text).toBe(PROPOSED);
    expect((await version(0))?.text).toBe(V1.trim());
    await flush();

    // The announcement says what changed in the text, with a way to read the whole version.
    const announcement = topLevel(WARE, 'New standard: SOP-inventory-scanning v1.1');
    const announced = blocksText(announcement.blocks);
    expect(announced).toContain('*The text* since v1.0: +3 lines, −1 line.');
    expect(announced).toContain('- 1. Shift lead: charge the scanners.');
    expect(announced).toContain('`/coe sop show inventory-scanning v1.1`');
    expect(announced).toContain('`/coe sop diff inventory-scanning v1.0 v1.1`');
    expect(blockKitProblems({ text: announcement.text, blocks: announcement.blocks as unknown[] })).toEqual([]);
    const before = slack.calls('chat.postEphemeral').length;
    await interact(
      messageButtonPayload({ user: WORKER, channel: WARE, message: announcement, actionId: SOP_TEXT_ACTIONS.more }),
    );
    const [read] = (await slack.waitForCalls('chat.postEphemeral', before + 1)).slice(before);
    expect(read?.args).toMatchObject({
      user: WORKER.id,
      channel: WARE,
      text: 'SOP-inventory-scanning v1.1: Inventory scanning',
    });
    expect(blocksText(read?.args.blocks)).toContain('at every break');

    // Anyone reads the new text, the old one by its version, and compares them both ways.
    const now = await coe('sop show inventory-scanning', WORKER, GENERAL);
    expect(blocksText(now.blocks)).toContain('4. Report a broken scanner to the WMS desk ASAP.');
    const old = await coe('sop show inventory-scanning v1.0', WORKER, GENERAL);
    expect(blocksText(old.blocks)).not.toContain('at every break');
    expect(blocksText(old.blocks)).toContain('the current one is v1.1');
    const diff = await coe('sop diff inventory-scanning v1.0 v1.1', WORKER, GENERAL);
    expect(diff.text).toBe('SOP-inventory-scanning v1.0 → v1.1: 3 lines added, 1 line removed.');
    const back = await coe('sop diff inventory-scanning v1.1 v1.0', WORKER, GENERAL);
    expect(back.text).toBe('SOP-inventory-scanning v1.1 → v1.0: 1 line added, 3 lines removed.');
    expect(story.blockKit().problems).toEqual([]);
  });

  it('shows the form again when the text is not what it showed, and lets the CoE settle two texts that clash', async () => {
    await setUp();
    const a = await raise('Charge at lunch', {
      [C.proposedText]: V1.replace('charge the scanners.', 'charge the scanners at lunch.'),
    });
    const b = await raise('Charge at shift end', {
      [C.proposedText]: V1.replace('charge the scanners.', 'charge the scanners at shift end.'),
    });
    expect([a.response_action, b.response_action]).toEqual(['update', 'update']);
    await flush();
    await approve(1);
    await approve(2);

    // The form shows the clash; publishing it as it is brings the form back with why, and nothing is published.
    const release = await openFrom('/coe', 'release inventory-scanning', COE);
    expect(blocksText(release.blocks)).toContain('CR-1 and CR-2 change line 5 of v1.0 in different ways');
    const clash = await submit(release, {}, COE);
    expect(clash.response_action).toBe('update');
    const again = clash.view as Json;
    expect(again.callback_id).toBe(VIEWS.releaseForm);
    expect(blocksText(again.blocks)).toContain(':warning: CR-1 and CR-2 change line 5 of v1.0');
    expect(await db.prisma.sopRelease.count()).toBe(0);

    // CR-2's text picked: the form shows what that means before it publishes anything.
    const picked = await submit(again, { [R.text]: 'CR-2' }, COE);
    expect(picked.response_action).toBe('update');
    const confirm = picked.view as Json;
    expect(blocksText(confirm.blocks)).toContain('The next version’s text is not what this form showed');
    expect(blocksText(confirm.blocks)).toContain(
      'v1.1 takes the text CR-2 proposes, as proposed. The text CR-1 proposes is left out.',
    );
    expect(element(confirm, R.text).initial_option).toMatchObject({ value: 'CR-2' });
    expect(await db.prisma.sopRelease.count()).toBe(0);
    const done = await submit(confirm, {}, COE);
    expect(blocksText((done.view as Json).blocks)).toContain('Published SOP-inventory-scanning v1.1');
    expect((await version(1))?.text).toContain('charge the scanners at shift end.');
    expect(story.blockKit().problems).toEqual([]);
  });

  it('fills a revision’s boxes with the text it proposed, however long, and keeps it as it was', async () => {
    await setUp();
    const long = longStandard(11_000);
    const boxes: string[] = [];
    for (const line of long.split('\n')) {
      const last = boxes.at(-1);
      if (last !== undefined && last.length + 1 + line.length <= 3000) boxes[boxes.length - 1] = `${last}\n${line}`;
      else boxes.push(line);
    }
    const values = Object.fromEntries(boxes.map((box, i) => [i === 0 ? C.proposedText : changeTextPart(i + 1), box]));
    expect((await raise('Rewrite the standard', values)).response_action).toBe('update');
    await flush();
    const sent = await db.prisma.changeText.findUnique({ where: { changeNumber: 1 } });
    expect(sent?.text).toBe(long.trim());

    // Sent back: "Revise and resubmit" opens the form with the text in its boxes, each within Slack's limit.
    const reasonOpened = slack.calls('views.open').length;
    await press(COE, REVIEW, reviewMessage(1), CHANGE_ACTIONS.requestChanges);
    const [reason] = (await slack.waitForCalls('views.open', reasonOpened + 1)).slice(reasonOpened);
    await submit(reason?.args.view as Json, { [DECISION_BLOCKS.reason]: 'Shorter, please.' }, COE);
    await waitForEphemeral(COE, /CR-1 went back to its requester for changes/);
    await flush();
    const dm = dms(MGR).find((m) => blocksText(m.blocks).includes(CHANGE_ACTIONS.revise));
    if (!dm) throw new Error(`no Revise button in ${dms(MGR).map((m) => m.text)}`);
    const opened = slack.calls('views.open').length;
    await press(MGR, `D${MGR.id}`, dm, CHANGE_ACTIONS.revise);
    const [revise] = (await slack.waitForCalls('views.open', opened + 1)).slice(opened);
    const view = revise?.args.view as Json;
    const filled = [C.proposedText, ...[2, 3, 4, 5, 6].map(changeTextPart)]
      .map((id) => element(view, id).initial_value as string | undefined)
      .filter((t): t is string => t !== undefined);
    expect(filled.every((t) => t.length <= 3000)).toBe(true);
    expect(filled.join('\n')).toBe(long.trim());
    const resubmitted = await submit(view, {}, MGR);
    expect(resubmitted.response_action).toBe('update');
    expect((await db.prisma.changeText.findUnique({ where: { changeNumber: 1 } }))?.text).toBe(long.trim());
    expect(story.blockKit().problems).toEqual([]);
  });
});
