/**
 * One event, one message per person (issue 12, item 3) through the real Bolt app: an approval tells each person it
 * concerns once, in one direct message whose first line is the approval — signed HTTP requests in, a fake Slack Web
 * API behind, on each database.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChangeField } from '../../src/domain/change.ts';
import { CHANGE_ACTIONS } from '../../src/domain/change-messages.ts';
import { CHANGE_FORM_BLOCKS } from '../../src/platforms/slack/ids.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { blocksText, mention, slackStory } from '../support/slack-harness.ts';
import type { InputValue } from '../support/slack-interactions.ts';

interface User {
  id: string;
  name: string;
  realName: string;
}
const COE: User = { id: 'UCOE1', name: 'cora', realName: 'Cora Oyelaran' };
const MGR: User = { id: 'UMGR1', name: 'mike', realName: 'Mike Brandt' };
const WORKER: User = { id: 'UWORK1', name: 'wendy', realName: 'Wendy Park' };
const REVIEW = 'C0REVIEW';

type Json = Record<string, unknown>;

const FRICTION_FORM = {
  'friction.kind': 'tool_friction',
  'friction.title': 'Inventory scanners fail after 30 minutes',
  'friction.description': 'The handheld scanners freeze after about half an hour and need a restart.',
  'friction.tool': 'Inventory scanner',
  'friction.frequency': 'daily',
  'friction.impact': 'high',
};

const SCANNER_CHANGE: Partial<Record<ChangeField, InputValue>> = {
  kind: 'tool',
  sop: 'inventory-scanning',
  title: 'Restart scanners at every shift change',
  change: 'Shift leads restart every handheld scanner at the start of each shift, before counting starts.',
  why: 'Scanners freeze after about 30 minutes and counts get lost (FR-1).',
  friction: 'FR-1',
  risk: 'low',
  improvement: 'clarify',
};
const changeByBlock = (values: Partial<Record<ChangeField, InputValue>>) =>
  Object.fromEntries(Object.entries(values).map(([field, value]) => [CHANGE_FORM_BLOCKS[field as ChangeField], value]));

describe.each(databaseKinds())('one message per person in Slack (%s)', (kind: DatabaseKind) => {
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW });
  const { coe, flush, submit, openFrom, press, waitForEphemeral, dms, topLevel } = story;
  let { slack } = story;
  beforeEach(() => {
    ({ slack } = story);
    for (const u of [COE, MGR, WORKER]) {
      slack.setUser({ id: u.id, name: u.name, real_name: u.realName, display_name: u.name });
    }
  });

  /** The review channel, the standard, and a manager who may raise change requests. */
  const setUp = async () => {
    expect((await coe('setup review-channel')).text).toMatch(/review channel/);
    expect((await coe('sop new inventory-scanning Inventory scanning')).text).toMatch(/registered/);
    expect((await coe(`role ${mention(MGR)} manager`)).text).toMatch(/^Done/);
  };
  const reportFriction = async (user: User) => {
    const view = await openFrom('/friction', '', user);
    expect((await submit(view, FRICTION_FORM, user)).response_action).toBe('update');
  };
  const raiseChange = async () => {
    const view = await openFrom('/change-request', '', MGR);
    const body = await submit(view, changeByBlock(SCANNER_CHANGE), MGR);
    expect(body.response_action, JSON.stringify(body)).toBe('update');
    await flush();
  };
  /** Approves CR-1 from its review message; returns how many direct messages each person had before. */
  const approveCr1 = async () => {
    const before = { mgr: dms(MGR).length, worker: dms(WORKER).length, coe: dms(COE).length };
    await press(COE, REVIEW, topLevel(REVIEW, 'CR-1 '), CHANGE_ACTIONS.approve);
    await waitForEphemeral(COE, /CR-1 is approved/);
    await flush();
    return before;
  };

  it('One approval of a change with a linked report sends its requester and the report’s reporter one message each', async () => {
    await setUp();
    await reportFriction(WORKER);
    await raiseChange();
    const before = await approveCr1();

    const toRequester = dms(MGR).slice(before.mgr);
    expect(toRequester.map((m) => m.text)).toEqual(['CR-1 "Restart scanners at every shift change" is now approved.']);
    const toReporter = dms(WORKER).slice(before.worker);
    expect(toReporter.map((m) => m.text)).toEqual([
      'FR-1 "Inventory scanners fail after 30 minutes" is now in change.',
    ]);
    expect(blocksText(toReporter[0]?.blocks)).toContain('was approved: the CoE is changing what caused it');
    // The approver hears it privately, not as a direct message.
    expect(dms(COE).length).toBe(before.coe);
  });

  it('tells a requester who also reported the linked report once, the approval on the first line', async () => {
    await setUp();
    await reportFriction(MGR);
    await raiseChange();
    const before = await approveCr1();

    const [only, ...more] = dms(MGR).slice(before.mgr);
    expect(more).toEqual([]);
    expect(only?.text).toBe(
      'CR-1 "Restart scanners at every shift change" is now approved — FR-1 "Inventory scanners fail after 30 minutes", which you reported, is now in change.',
    );
    const blocks = (only?.blocks ?? []) as Json[];
    expect(blocksText(blocks[0])).toContain('*CR-1* \\"Restart scanners at every shift change\\" is now *approved*.');
    expect(blocksText(blocks)).toContain('which you reported, is now *in change*');
    expect(blocks.some((b) => b.type === 'divider')).toBe(true);
    expect(dms(WORKER)).toEqual([]);
  });

  it('kept every message it sent within the Block Kit limits', () => {
    expect(story.blockKit().problems).toEqual([]);
  });
});
