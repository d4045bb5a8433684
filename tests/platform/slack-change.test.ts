/**
 * Change management through the real Bolt app (issue 4): change requests and their review, executive constraints,
 * SOP releases announced in team channels and acknowledged per team, and the AI usage rules — signed HTTP requests
 * in (slash commands, view submissions, button presses, events), a fake Slack Web API behind, on each database.
 */

import { beforeEach, describe, expect, it } from 'vitest';
import type { ChangeField } from '../../src/domain/change.ts';
import { CHANGE_ACTIONS } from '../../src/domain/change-messages.ts';
import { RELEASE_ACTIONS } from '../../src/domain/release-messages.ts';
import {
  CHANGE_FORM_BLOCKS,
  changeTextPart,
  DECISION_BLOCKS,
  RELEASE_FORM_BLOCKS,
  VIEWS,
} from '../../src/platforms/slack/ids.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { blocksText, element, mention, slackStory } from '../support/slack-harness.ts';
import {
  type InputValue,
  messageButtonPayload,
  secondClick,
  viewSubmissionPayload,
} from '../support/slack-interactions.ts';
import { eventBody } from '../support/slack-request.ts';

interface User {
  id: string;
  /** The username a command carries; Slack's `users.info` gives `realName`, which is what records show. */
  name: string;
  realName: string;
}
const COE: User = { id: 'UCOE1', name: 'cora', realName: 'Cora Oyelaran' };
const MGR: User = { id: 'UMGR1', name: 'mike', realName: 'Mike Brandt' };
const EXEC: User = { id: 'UEXEC1', name: 'erin', realName: 'Erin Vasquez' };
const WORKER: User = { id: 'UWORK1', name: 'wendy', realName: 'Wendy Park' };
const REVIEW = 'C0REVIEW';
const WARE = 'C0WARE';
const FIN = 'C0FIN';

type Json = Record<string, unknown>;
type ChangeValues = Partial<Record<ChangeField, InputValue>>;

const SCANNER_CHANGE: ChangeValues = {
  kind: 'tool',
  sop: 'inventory-scanning',
  title: 'Restart scanners at every shift change',
  change: 'Shift leads restart every handheld scanner at the start of each shift, before counting starts.',
  why: 'Scanners freeze after about 30 minutes and counts get lost (FR-1).',
  friction: 'FR-1',
  risk: 'low',
  improvement: 'clarify',
};

const CHATGPT_RULE: ChangeValues = {
  kind: 'ai_rule',
  title: 'ChatGPT for drafting customer letters',
  change: 'Managers may draft customer letters with ChatGPT; a person reviews every letter before it is sent.',
  why: 'Teams use it already without a rule.',
  risk: 'medium',
  improvement: 'clarify',
  aiTool: 'ChatGPT',
  aiStatus: 'restricted',
  aiDataClasses: 'public, internal',
  aiForbiddenInputs: 'customer personal data, credentials',
  aiHumanReview: true,
  aiLayers: ['manager', 'coe'],
};

const FRICTION_FORM = {
  'friction.kind': 'tool_friction',
  'friction.title': 'Inventory scanners fail after 30 minutes',
  'friction.description': 'The handheld scanners freeze after about half an hour and need a restart.',
  'friction.tool': 'Inventory scanner',
  'friction.frequency': 'daily',
  'friction.impact': 'high',
};

const changeByBlock = (values: ChangeValues) =>
  Object.fromEntries(Object.entries(values).map(([field, value]) => [CHANGE_FORM_BLOCKS[field as ChangeField], value]));

describe.each(databaseKinds())('change management in Slack (%s)', (kind: DatabaseKind) => {
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW });
  const { post, interact, command, coe, flush, submit, openFrom, press } = story;
  const { waitForEphemeral, dms, topLevel, repliesTo, updatesOf } = story;
  // The story's database and fake (set before each test), by the names the tests use.
  let { db, slack } = story;
  beforeEach(() => {
    ({ db, slack } = story);
    for (const u of [COE, MGR, EXEC, WORKER]) {
      slack.setUser({ id: u.id, name: u.name, real_name: u.realName, display_name: u.name });
    }
  });

  const role = async (user: User, layer: string) => {
    expect((await coe(`role ${mention(user)} ${layer}`)).text).toMatch(/^Done/);
  };
  const setUpReviewChannel = async () => {
    expect((await coe('setup review-channel')).text).toMatch(/review channel/);
  };
  const openChangeForm = (user = MGR, text = '') => openFrom('/change-request', text, user);
  const openReleaseForm = (text = 'release', user = COE) => openFrom('/coe', text, user);

  /** `/friction` filled in and sent: FR-n. */
  const reportFriction = async (user = WORKER) => {
    const view = await openFrom('/friction', '', user);
    expect((await submit(view, FRICTION_FORM, user)).response_action).toBe('update');
  };
  /** `/change-request`, the form filled in and sent. */
  const raiseChange = async (values: ChangeValues = SCANNER_CHANGE, user = MGR) => {
    const view = await openChangeForm(user);
    const body = await submit(view, changeByBlock(values), user);
    expect(body.response_action, JSON.stringify(body)).toBe('update');
    return body.view as Json;
  };

  const reviewMessage = (number: number) => topLevel(REVIEW, `CR-${number} `);
  /** What the bot told `user` privately. */
  const ephemeralsTo = (user: User) => story.ephemeralsTo(user).map((e) => e.text);
  const change = (number: number) => db.prisma.changeRequest.findUnique({ where: { number } });

  /** A reason form opened by a review-message button, then submitted with `reason`. */
  const decideWithReason = async (user: User, number: number, actionId: string, reason: string) => {
    const before = slack.calls('views.open').length;
    await press(user, REVIEW, reviewMessage(number), actionId);
    const [open] = (await slack.waitForCalls('views.open', before + 1)).slice(before);
    const view = open?.args.view as Json;
    const body = await submit(view, { [DECISION_BLOCKS.reason]: reason }, user);
    return { view, body };
  };

  /** The story up to a release: SOP registered, FR-1 reported, CR-1 raised by a manager and approved, two teams. */
  const approvedScannerChange = async () => {
    expect((await coe('sop new inventory-scanning Inventory scanning')).text).toMatch(/SOP-inventory-scanning v1.0/);
    await reportFriction();
    await role(MGR, 'manager');
    await raiseChange();
    await flush();
    await press(COE, REVIEW, reviewMessage(1), CHANGE_ACTIONS.approve);
    await waitForEphemeral(COE, /CR-1 is approved/);
    expect((await coe(`team add Warehouse Nord <#${WARE}|warehouse>`)).text).toMatch(/with its channel/);
    expect((await coe(`team add Finance <#${FIN}|finance>`)).text).toMatch(/with its channel/);
    await flush();
  };
  const publish = async (text = 'release', ids?: { viewId: string; hash: string }) => {
    const view = await openReleaseForm(text);
    const body = await submit(view, {}, COE, ids);
    expect(body.response_action, JSON.stringify(body)).toBe('update');
    return { view, confirmation: body.view as Json };
  };
  const announcementIn = (channel: string) => topLevel(channel, 'New standard:');

  it('takes a manager’s /change-request to CR-1 linked to FR-1, with the review message in the CoE channel', async () => {
    await setUpReviewChannel();
    expect((await coe('sop new inventory-scanning Inventory scanning')).text).toMatch(/registered/);
    await reportFriction();
    await role(MGR, 'manager');

    const view = await openChangeForm(MGR, 'Restart scanners at every shift change');
    expect(view.callback_id).toBe(VIEWS.changeForm);
    expect(view.private_metadata).toBe('');
    const blockIds = (view.blocks as Json[]).map((b) => b.block_id).filter(Boolean);
    // Every field has its input, but the constraint: there is no active one to serve yet.
    // …and the proposed text goes on in three more boxes (Slack's 3,000 characters a box).
    const expected = Object.entries(CHANGE_FORM_BLOCKS)
      .filter(([field]) => field !== 'constraint')
      .map(([, block]) => block)
      .concat([2, 3, 4].map(changeTextPart));
    expect([...blockIds].sort()).toEqual([...expected].sort());
    expect(element(view, CHANGE_FORM_BLOCKS.title)).toMatchObject({
      initial_value: 'Restart scanners at every shift change',
      max_length: 120,
    });
    expect(element(view, CHANGE_FORM_BLOCKS.change).max_length).toBe(3000);
    expect(element(view, CHANGE_FORM_BLOCKS.why).max_length).toBe(2000);
    expect(element(view, CHANGE_FORM_BLOCKS.aiTool).max_length).toBe(80);
    const sop = element(view, CHANGE_FORM_BLOCKS.sop);
    expect(sop.type).toBe('static_select');
    expect(sop.options).toEqual([expect.objectContaining({ value: 'inventory-scanning' })]);
    const improvements = (element(view, CHANGE_FORM_BLOCKS.improvement).options as Json[]).map(
      (o) => (o.text as Json).text,
    );
    expect(improvements).toContain('Clarify (minor)');
    expect(improvements).toContain('Workflow change (major)');
    expect((element(view, CHANGE_FORM_BLOCKS.aiLayers).options as Json[]).map((o) => o.value)).toEqual([
      'worker',
      'manager',
      'executive',
      'coe',
    ]);

    // Invalid submissions come back under their inputs, and store nothing.
    const tooLong = await submit(view, changeByBlock({ ...SCANNER_CHANGE, title: '', change: 'x'.repeat(5000) }), MGR);
    expect(tooLong.response_action).toBe('errors');
    const errors = tooLong.errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual([CHANGE_FORM_BLOCKS.title, CHANGE_FORM_BLOCKS.change].sort());
    expect(errors[CHANGE_FORM_BLOCKS.title]).toMatch(/fill in a title/);
    expect(errors[CHANGE_FORM_BLOCKS.change]).toMatch(/under 3000 characters \(it has 5000\)/);
    expect(await submit(view, changeByBlock({ ...SCANNER_CHANGE, friction: 'FR-99' }), MGR)).toEqual({
      response_action: 'errors',
      errors: { [CHANGE_FORM_BLOCKS.friction]: 'There is no FR-99.' },
    });
    // A standard that is not offered (a forged or out-of-date form).
    expect(await submit(view, changeByBlock({ ...SCANNER_CHANGE, sop: 'atlantis' }), MGR)).toEqual({
      response_action: 'errors',
      errors: { [CHANGE_FORM_BLOCKS.sop]: expect.stringMatching(/no SOP-atlantis/) },
    });
    await flush();
    expect(await db.prisma.changeRequest.count()).toBe(0);
    expect(slack.messages(REVIEW).filter((m) => m.text.startsWith('CR-'))).toHaveLength(0);

    const ok = await submit(view, changeByBlock(SCANNER_CHANGE), MGR);
    expect(ok.response_action).toBe('update');
    expect((ok.view as Json).callback_id).toBe(VIEWS.changeConfirmation);
    expect(blocksText((ok.view as Json).blocks)).toContain('Thanks: your change request is CR-1');
    const mgr = await db.prisma.platformIdentity.findFirst({ where: { externalId: MGR.id } });
    expect(await change(1)).toMatchObject({
      status: 'submitted',
      kind: 'tool',
      sopKey: 'inventory-scanning',
      friction: [1],
      improvement: 'clarify',
      requesterPersonId: mgr?.personId,
    });
    await flush();
    const review = reviewMessage(1);
    expect(review.text).toBe('CR-1 submitted: Restart scanners at every shift change (SOP-inventory-scanning)');
    for (const action of [CHANGE_ACTIONS.approve, CHANGE_ACTIONS.requestChanges, CHANGE_ACTIONS.reject]) {
      expect(blocksText(review.blocks)).toContain(action);
    }
    expect(blocksText(review.blocks)).toContain('FR-1');

    // A long text becomes the change itself, not the title.
    const long = `Scanners should be restarted at shift change &amp; before stocktake, ${'because '.repeat(30)}`;
    const second = await openChangeForm(MGR, long);
    expect(element(second, CHANGE_FORM_BLOCKS.change).initial_value).toContain('shift change & before stocktake');
    expect(element(second, CHANGE_FORM_BLOCKS.title).initial_value).toBeUndefined();

    // The requester's App Home lists their change requests.
    await post(eventBody({ type: 'app_home_opened', user: MGR.id, channel: `D${MGR.id}`, tab: 'home' }));
    const [home] = await slack.waitForCalls('views.publish', 1);
    const homeBlocks = blocksText(((home?.args.view ?? {}) as Json).blocks);
    expect(homeBlocks).toContain('My change requests');
    expect(homeBlocks).toContain('CR-1');
  });

  it('points a worker’s /change-request to /friction, privately and without a form', async () => {
    const res = await command('/change-request', 'Buy new scanners', WORKER);
    expect(res.status).toBe(200);
    const body = res.json<{ response_type: string; text: string }>();
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/Change requests come from managers, executives and the CoE/);
    expect(body.text).toContain('/friction');
    await flush();
    expect(slack.calls('views.open')).toHaveLength(0);
    expect(await db.prisma.changeRequest.count()).toBe(0);
  });

  it('refuses the requester’s own approval and an executive’s; another CoE member approves, once', async () => {
    await setUpReviewChannel();
    await reportFriction();
    await role(MGR, 'manager');
    await raiseChange({ ...SCANNER_CHANGE, sop: undefined, newSop: 'inventory-scanning' });
    await role(MGR, 'coe');
    await role(EXEC, 'executive');
    await flush();
    const review = reviewMessage(1);

    await press(MGR, REVIEW, review, CHANGE_ACTIONS.approve);
    await waitForEphemeral(MGR, /You raised CR-1, so another CoE member decides it/);
    await press(EXEC, REVIEW, review, CHANGE_ACTIONS.approve);
    await waitForEphemeral(EXEC, /Only CoE members approve/);
    // The buttons that open a reason form refuse before any form opens.
    await press(EXEC, REVIEW, review, CHANGE_ACTIONS.reject);
    await slack.waitFor(() => ephemeralsTo(EXEC).length === 2);
    expect(slack.calls('chat.postEphemeral').every((c) => c.args.channel === REVIEW)).toBe(true);
    await flush();
    expect(updatesOf(review)).toHaveLength(0);
    expect(slack.calls('views.open').map((c) => (c.args.view as Json).callback_id)).toEqual([
      VIEWS.frictionForm,
      VIEWS.changeForm,
    ]);
    expect((await change(1))?.status).toBe('submitted');
    expect(await db.prisma.changeApproval.count()).toBe(0);

    // A double click is one decision.
    const payload = messageButtonPayload({
      user: COE,
      channel: REVIEW,
      message: review,
      actionId: CHANGE_ACTIONS.approve,
    });
    await Promise.all([interact(payload), interact(secondClick(payload))]);
    await slack.waitFor(() => ephemeralsTo(COE).length === 2);
    expect(ephemeralsTo(COE).sort()).toEqual(['Already done.', 'CR-1 is approved.']);
    await flush();
    expect(await db.prisma.changeApproval.count()).toBe(1);
    expect((await change(1))?.status).toBe('approved');

    const updates = updatesOf(review);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args.channel).toBe(REVIEW);
    const approved = reviewMessage(1);
    expect(approved.text).toMatch(/^CR-1 approved/);
    expect(blocksText(approved.blocks)).not.toContain('"actions"');
    // The approver by the name Slack shows, not their username.
    expect(blocksText(approved.blocks)).toContain('Cora Oyelaran');
    expect(blocksText(approved.blocks)).not.toContain('cora');
    const replies = repliesTo(REVIEW, review);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(/approved it/);
    expect(dms(MGR).some((m) => /CR-1 .* is now approved/.test(m.text))).toBe(true);
    // FR-1 follows its change, and its reporter is told.
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 1 } }))?.status).toBe('in_change');
    const told = dms(WORKER).find((m) => m.text.includes('is now in change'));
    expect(told?.text).toMatch(/^FR-1 "Inventory scanners fail after 30 minutes" is now in change/);
    expect(blocksText(told?.blocks)).toContain('was approved: the CoE is changing what caused it');
  });

  it('sends a change request back with a reason, and takes the revision through the Revise button', async () => {
    await setUpReviewChannel();
    await role(MGR, 'manager');
    await raiseChange({ ...SCANNER_CHANGE, sop: undefined, newSop: 'inventory-scanning', friction: undefined });
    await flush();

    const empty = await decideWithReason(COE, 1, CHANGE_ACTIONS.requestChanges, '   ');
    expect(empty.view.callback_id).toBe(VIEWS.changeRequestChanges);
    expect(JSON.parse(String(empty.view.private_metadata))).toEqual({ number: 1, channel: REVIEW });
    expect(empty.body).toEqual({
      response_action: 'errors',
      errors: { [DECISION_BLOCKS.reason]: expect.stringMatching(/say why/) },
    });
    expect((await change(1))?.status).toBe('submitted');

    const reason = 'Say who restarts them, and when exactly.';
    const { body } = await decideWithReason(COE, 1, CHANGE_ACTIONS.requestChanges, reason);
    expect(body).toEqual({});
    await waitForEphemeral(COE, /CR-1 went back to its requester for changes/);
    expect(await change(1)).toMatchObject({ status: 'changes_requested', decisionReason: reason });
    await flush();
    const review = reviewMessage(1);
    expect(review.text).toMatch(/^CR-1 changes requested/);
    expect(blocksText(review.blocks)).not.toContain('"actions"');
    const dm = dms(MGR).find((m) => blocksText(m.blocks).includes(CHANGE_ACTIONS.revise));
    if (!dm) throw new Error(`no Revise button in ${dms(MGR).map((m) => m.text)}`);
    expect(blocksText(dm.blocks)).toContain(reason);

    // Only the requester revises.
    await press(COE, `D${MGR.id}`, dm, CHANGE_ACTIONS.revise);
    await waitForEphemeral(COE, /Only the person who raised CR-1 can revise it/);

    const before = slack.calls('views.open').length;
    await press(MGR, `D${MGR.id}`, dm, CHANGE_ACTIONS.revise);
    const [open] = (await slack.waitForCalls('views.open', before + 1)).slice(before);
    const form = open?.args.view as Json;
    expect(form.callback_id).toBe(VIEWS.changeForm);
    expect(JSON.parse(String(form.private_metadata))).toEqual({ revise: 'CR-1' });
    expect((form.title as Json).text).toBe('Revise CR-1');
    expect(element(form, CHANGE_FORM_BLOCKS.title).initial_value).toBe(SCANNER_CHANGE.title);
    expect(element(form, CHANGE_FORM_BLOCKS.why).initial_value).toBe(SCANNER_CHANGE.why);
    expect(element(form, CHANGE_FORM_BLOCKS.newSop).initial_value).toBe('inventory-scanning');
    expect((element(form, CHANGE_FORM_BLOCKS.kind).initial_option as Json).value).toBe('tool');
    expect((element(form, CHANGE_FORM_BLOCKS.improvement).initial_option as Json).value).toBe('clarify');

    const revised = 'The shift lead restarts every scanner at 06:00, 14:00 and 22:00, before counting starts.';
    const ids = { viewId: 'VREVISE', hash: '1.revise' };
    const resubmitted = await submit(form, { [CHANGE_FORM_BLOCKS.change]: revised }, MGR, ids);
    expect(resubmitted.response_action).toBe('update');
    expect(blocksText((resubmitted.view as Json).blocks)).toContain('CR-1');
    expect(await change(1)).toMatchObject({ status: 'submitted', change: revised, decisionReason: null });
    expect(await db.prisma.changeRequest.count()).toBe(1);
    await flush();
    const again = reviewMessage(1);
    expect(again.text).toMatch(/^CR-1 submitted/);
    expect(blocksText(again.blocks)).toContain(CHANGE_ACTIONS.approve);
    expect(repliesTo(REVIEW, again).some((m) => m.text.includes('revised and resubmitted'))).toBe(true);

    // The same revision submitted again changes nothing more.
    const twice = await submit(form, { [CHANGE_FORM_BLOCKS.change]: revised }, MGR, ids);
    expect(twice.response_action).toBe('update');
    expect(blocksText((twice.view as Json).blocks)).toContain('your change request is CR-1');
    await flush();
    expect(await db.prisma.event.count({ where: { subject: 'CR-1', action: 'change.revised' } })).toBe(1);
    expect((await change(1))?.status).toBe('submitted');
    expect(repliesTo(REVIEW, again).filter((m) => m.text.includes('revised and resubmitted'))).toHaveLength(1);

    // Rejected: with its reason, and no way to revise.
    await decideWithReason(COE, 1, CHANGE_ACTIONS.reject, 'We replace the scanners instead.');
    await waitForEphemeral(COE, /CR-1 is rejected/);
    expect((await change(1))?.status).toBe('rejected');
    await flush();
    const rejectedDm = dms(MGR).at(-1);
    expect(rejectedDm?.text).toMatch(/is now rejected/);
    expect(blocksText(rejectedDm?.blocks)).not.toContain(CHANGE_ACTIONS.revise);
  });

  it('publishes v1.1 from an approved minor change: one announcement per team channel, CR released, FR resolved', async () => {
    await setUpReviewChannel();
    // Nothing approved yet: refused with the reason, and no form.
    const refused = await coe('release');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toMatch(/No approved change request waits for a release/);
    expect(slack.calls('views.open')).toHaveLength(0);

    await approvedScannerChange();
    // The channel mentions linked each team's channel.
    const channels = await db.prisma.teamChannel.findMany({ include: { team: true }, orderBy: { channelId: 'asc' } });
    expect(channels.map((c) => [c.team.name, c.platform, c.channelId])).toEqual([
      ['Finance', 'slack', FIN],
      ['Warehouse Nord', 'slack', WARE],
    ]);
    // Only the CoE publishes.
    expect((await coe('release', MGR, 'C0GENERAL')).text).toMatch(/Only CoE members publish releases/);

    const view = await openReleaseForm();
    expect(view.callback_id).toBe(VIEWS.releaseForm);
    const changes = element(view, RELEASE_FORM_BLOCKS.changes);
    expect(changes.type).toBe('multi_static_select');
    expect(changes.option_groups).toEqual([
      {
        label: expect.objectContaining({ text: 'SOP-inventory-scanning · Inventory scanning' }),
        options: [expect.objectContaining({ value: 'CR-1' })],
      },
    ]);
    expect((changes.initial_options as Json[]).map((o) => o.value)).toEqual(['CR-1']);
    expect(element(view, RELEASE_FORM_BLOCKS.notes).initial_value).toBe(
      '• CR-1 Restart scanners at every shift change (Clarify)',
    );
    expect((element(view, RELEASE_FORM_BLOCKS.tags).initial_options as Json[]).map((o) => o.value)).toEqual([
      'clarify',
    ]);
    const teams = element(view, RELEASE_FORM_BLOCKS.teams);
    expect((teams.options as Json[]).map((o) => (o.text as Json).text).sort()).toEqual(['Finance', 'Warehouse Nord']);
    expect(teams.initial_options).toBeUndefined();

    // Bad picks come back inline.
    expect(await submit(view, { [RELEASE_FORM_BLOCKS.changes]: [] }, COE)).toEqual({
      response_action: 'errors',
      errors: { [RELEASE_FORM_BLOCKS.changes]: expect.stringMatching(/at least one approved change request/) },
    });
    expect(await submit(view, { [RELEASE_FORM_BLOCKS.teams]: ['999'] }, COE)).toEqual({
      response_action: 'errors',
      errors: { [RELEASE_FORM_BLOCKS.teams]: 'There is no team "999".' },
    });
    expect(await db.prisma.sopRelease.count()).toBe(0);

    const ids = { viewId: 'VRELEASE', hash: '1.release' };
    const body = await submit(view, {}, COE, ids);
    expect(body.response_action).toBe('update');
    expect(blocksText((body.view as Json).blocks)).toContain('Published SOP-inventory-scanning v1.1');
    // Submitted again (a double click on Publish): the same release, published once.
    const twice = await submit(view, {}, COE, ids);
    expect(blocksText((twice.view as Json).blocks)).toContain('Published SOP-inventory-scanning v1.1');
    expect(await db.prisma.sopRelease.findMany()).toEqual([
      expect.objectContaining({ sopKey: 'inventory-scanning', major: 1, minor: 1, changes: [1], tags: ['clarify'] }),
    ]);
    await flush();

    const announcements = (channel: string) =>
      slack.calls('chat.postMessage').filter((c) => c.args.channel === channel && !c.faulted);
    expect(announcements(WARE)).toHaveLength(1);
    expect(announcements(FIN)).toHaveLength(1);
    expect(String(announcements(WARE)[0]?.args.text)).toMatch(/^New standard: SOP-inventory-scanning v1.1/);
    expect(blocksText(announcementIn(WARE).blocks)).toContain('Warehouse Nord');
    expect(blocksText(announcementIn(FIN).blocks)).toContain(RELEASE_ACTIONS.deployed);

    expect((await change(1))?.status).toBe('released');
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 1 } }))?.status).toBe('resolved');
    const resolved = dms(WORKER).find((m) => m.text.includes('is now resolved'));
    expect(resolved?.text).toMatch(/^FR-1 /);
    expect(blocksText(resolved?.blocks)).toContain('Resolved by SOP-inventory-scanning v1.1');
    expect(dms(MGR).some((m) => /CR-1 .* is now released/.test(m.text))).toBe(true);

    // The CoE's progress message settles at 2/2, with one summary in its thread.
    const progress = topLevel(REVIEW, 'SOP-inventory-scanning v1.1 published.');
    await slack.waitFor(() => topLevel(REVIEW, 'SOP-inventory-scanning v1.1 published.').text.includes('sent 2/2'));
    expect(topLevel(REVIEW, 'SOP-inventory-scanning v1.1 published.').text).toMatch(/Announced: sent 2\/2\./);
    await slack.waitFor(() => repliesTo(REVIEW, progress).length > 0);
    await flush();
    const summaries = repliesTo(REVIEW, progress);
    expect(summaries.map((m) => m.text)).toEqual(['SOP-inventory-scanning v1.1: announced in both channels.']);

    // Nothing is left to release now.
    const again = await coe('release');
    expect(again.text).toMatch(/No approved change request waits for a release/);
    expect(
      slack.calls('views.open').filter((c) => (c.args.view as Json).callback_id === VIEWS.releaseForm),
    ).toHaveLength(1);
  });

  it('counts "Deployed in my team" once per team, and only from that team’s managers', async () => {
    await setUpReviewChannel();
    await approvedScannerChange();
    expect((await coe(`team member ${mention(MGR)} Warehouse Nord manager`)).text).toMatch(
      /Mike Brandt manages Warehouse/,
    );
    await publish();
    await flush();

    // A manager of Warehouse Nord on Finance's announcement: refused, privately, nothing changes.
    const finance = announcementIn(FIN);
    await press(MGR, FIN, finance, RELEASE_ACTIONS.deployed);
    await waitForEphemeral(
      MGR,
      /Only Finance's managers \(or the CoE\) can say SOP-inventory-scanning v1.1 is deployed/,
    );
    expect(slack.calls('chat.postEphemeral').find((c) => c.args.user === MGR.id)?.args.channel).toBe(FIN);
    // A worker too.
    await press(WORKER, WARE, announcementIn(WARE), RELEASE_ACTIONS.deployed);
    await waitForEphemeral(WORKER, /Only Warehouse Nord's managers/);
    await flush();
    expect(updatesOf(finance)).toHaveLength(0);
    expect(await db.prisma.releaseAck.count()).toBe(0);

    // On their own team's: recorded, the announcement updated in place; pressed twice, counted once.
    const warehouse = announcementIn(WARE);
    await press(MGR, WARE, warehouse, RELEASE_ACTIONS.deployed);
    await waitForEphemeral(MGR, /Recorded: Warehouse Nord works to SOP-inventory-scanning v1.1/);
    await press(MGR, WARE, warehouse, RELEASE_ACTIONS.deployed);
    await waitForEphemeral(MGR, /Already recorded/);
    await flush();
    expect(await db.prisma.releaseAck.count()).toBe(1);
    const updates = updatesOf(warehouse);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args.channel).toBe(WARE);
    const updated = announcementIn(WARE);
    expect(blocksText(updated.blocks)).not.toContain(RELEASE_ACTIONS.deployed);
    expect(blocksText(updated.blocks)).toContain('Deployed in Warehouse Nord by Mike Brandt');
    expect(slack.messages(WARE)).toHaveLength(1);
    await slack.waitFor(() =>
      blocksText(topLevel(REVIEW, 'SOP-inventory-scanning v1.1 published.').blocks).includes('1/2 teams'),
    );
  });

  it('answers /coe ai from the registry only once an AI-rule change is approved and released; no command edits it', async () => {
    await setUpReviewChannel();
    await role(MGR, 'manager');
    const ask = async (user: User, text = 'ai chatgpt') => coe(text, user, 'C0GENERAL');

    const view = await openChangeForm(MGR);
    expect(await submit(view, changeByBlock({ ...CHATGPT_RULE, aiStatus: 'allowed' }), MGR)).toEqual({
      response_action: 'errors',
      errors: { [CHANGE_FORM_BLOCKS.aiStatus]: expect.stringMatching(/approved, restricted or prohibited/) },
    });
    expect((await submit(view, changeByBlock(CHATGPT_RULE), MGR)).response_action).toBe('update');
    expect(await change(1)).toMatchObject({
      kind: 'ai_rule',
      sopKey: 'ai-usage-rules',
      aiRule: {
        tool: 'ChatGPT',
        status: 'restricted',
        dataClasses: ['public', 'internal'],
        forbiddenInputs: 'customer personal data, credentials',
        humanReview: true,
        layers: ['manager', 'coe'],
      },
    });
    expect((await ask(WORKER)).text).toMatch(/"chatgpt" is not listed in the AI usage rules: ask the CoE/);

    await flush();
    await press(COE, REVIEW, reviewMessage(1), CHANGE_ACTIONS.approve);
    await waitForEphemeral(COE, /CR-1 is approved/);
    // Approved is not released: the rule is not in force yet.
    expect((await ask(WORKER)).text).toMatch(/not listed/);

    expect((await coe(`team add Warehouse Nord <#${WARE}|warehouse>`)).text).toMatch(/with its channel/);
    const { view: releaseForm, confirmation } = await publish('release ai-usage-rules');
    expect(element(releaseForm, RELEASE_FORM_BLOCKS.changes).option_groups).toEqual([
      expect.objectContaining({ label: expect.objectContaining({ text: 'SOP-ai-usage-rules · AI usage rules' }) }),
    ]);
    expect(blocksText(confirmation.blocks)).toContain('Published SOP-ai-usage-rules v1.0');

    const forWorker = await ask(WORKER);
    expect(forWorker.text).toBe('ChatGPT is not for your layer (worker); ask the CoE if you need it.');
    const forManager = await ask(MGR, 'ai Chat GPT');
    expect(forManager.text).toMatch(/^ChatGPT is restricted: as a manager you may use it/);
    expect(blocksText(forManager.blocks)).toContain('customer personal data');
    expect(blocksText(forManager.blocks)).toContain('Set by CR-1, released in SOP-ai-usage-rules v1.0.');

    // There is no command that edits a rule: this is a lookup of that text.
    const edit = await coe('ai set chatgpt prohibited');
    expect(edit.text).toMatch(/"set chatgpt prohibited" is not listed/);
    expect(await db.prisma.aiRule.findMany()).toEqual([
      expect.objectContaining({ toolKey: 'chatgpt', status: 'restricted', changeNumber: 1 }),
    ]);
  });

  it('lets executives set direction with /coe constraint, lists it, and offers it on the change form', async () => {
    await role(EXEC, 'executive');
    await role(MGR, 'manager');
    const add = 'constraint add target Reduce cycle time by 15% until 2030-12-31';
    expect((await coe(add, EXEC, 'C0GENERAL')).text).toBe(
      'Done: EX-1 (outcome target) "Reduce cycle time by 15%". Change requests can now say they serve it.',
    );
    expect((await coe(add, COE)).text).toMatch(/Only executives set priorities/);
    expect((await coe('constraint add wish More coffee', EXEC, 'C0GENERAL')).text).toMatch(
      /priority, constraint or target/,
    );
    expect(await db.prisma.executiveConstraint.count()).toBe(1);
    const list = await coe('constraint list', WORKER, 'C0GENERAL');
    expect(list.text).toBe('Executive direction: 1 active');
    expect(blocksText(list.blocks)).toContain('Reduce cycle time by 15% (until 2030-12-31)');

    const view = await openChangeForm(MGR);
    const constraint = element(view, CHANGE_FORM_BLOCKS.constraint);
    expect(constraint.type).toBe('static_select');
    expect((constraint.options as Json[]).map((o) => o.value)).toEqual(['EX-1']);
    // No standard registered yet: no select of them, the new one is named.
    expect((view.blocks as Json[]).some((b) => b.block_id === CHANGE_FORM_BLOCKS.sop)).toBe(false);
    const missing = await submit(view, changeByBlock({ ...SCANNER_CHANGE, sop: undefined, friction: undefined }), MGR);
    expect(missing).toEqual({
      response_action: 'errors',
      errors: { [CHANGE_FORM_BLOCKS.newSop]: expect.stringMatching(/Pick the SOP this changes, or name a new one/) },
    });
    const values = { ...SCANNER_CHANGE, sop: undefined, friction: undefined, newSop: 'Inventory Scanning' };
    expect((await submit(view, changeByBlock({ ...values, constraint: 'EX-1' }), MGR)).response_action).toBe('update');
    expect(await change(1)).toMatchObject({ constraint: 1, sopKey: 'inventory-scanning' });
  });

  it('answers a forged view submission with 401 and stores nothing', async () => {
    await setUpReviewChannel();
    await role(MGR, 'manager');
    const view = await openChangeForm(MGR);
    const before = slack.calls().length;
    const res = await interact(
      viewSubmissionPayload({
        user: MGR,
        view,
        viewId: 'VFORGED',
        values: changeByBlock({ ...SCANNER_CHANGE, sop: undefined, newSop: 'x1', friction: undefined }),
      }),
      { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' },
    );
    expect(res.status).toBe(401);
    await flush();
    expect(slack.calls().length).toBe(before);
    expect(await db.prisma.changeRequest.count()).toBe(0);
    expect(await db.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: 'CR-' } } })).toBe(0);
  });

  it('kept every view and message it sent within the Block Kit limits', () => {
    const { views, messages, problems } = story.blockKit();
    const callbacks = new Set(views.map((v) => v.callback_id));
    for (const id of [
      VIEWS.changeForm,
      VIEWS.changeConfirmation,
      VIEWS.changeRequestChanges,
      VIEWS.changeReject,
      VIEWS.releaseForm,
      VIEWS.releaseConfirmation,
    ]) {
      expect(callbacks, id).toContain(id);
    }
    expect(messages.length).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });
});
