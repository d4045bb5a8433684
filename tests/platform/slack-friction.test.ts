/**
 * Friction intake and CoE triage through the real Bolt app (issue 3): signed HTTP requests in (slash commands,
 * shortcuts, view submissions, button presses, events), a fake Slack Web API behind, on each database.
 */

import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { FRICTION_ACTIONS } from '../../src/domain/friction-messages.ts';
import { DECISION_BLOCKS, FRICTION_FORM_BLOCKS, MESSAGE_SHORTCUTS, VIEWS } from '../../src/platforms/slack/ids.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import type { SlackCall, SlackMessage } from '../support/fake-slack-api.ts';
import { blocksText, mention, slackStory } from '../support/slack-harness.ts';
import {
  type InputValue,
  messageButtonPayload,
  messageShortcutPayload,
  secondClick,
  viewButtonPayload,
  viewSubmissionPayload,
} from '../support/slack-interactions.ts';
import { eventBody, type PostToSlackAppOptions } from '../support/slack-request.ts';

const COE = { id: 'UCOE1', name: 'cora' };
const WORKER = { id: 'UWORK1', name: 'wendy' };
const OTHER = { id: 'UWORK2', name: 'oscar' };
/** Distinctive, so that finding it anywhere means it leaked. */
const ANON = { id: 'UANON7Q3ZX', name: 'hidden-heron' };
const REVIEW = 'C0REVIEW';

type Json = Record<string, unknown>;
type FormValues = Partial<Record<keyof typeof FRICTION_FORM_BLOCKS, InputValue>>;

const SCANNER: FormValues = {
  kind: 'tool_friction',
  title: 'Inventory scanners fail after 30 minutes',
  description: 'The handheld scanners freeze after about half an hour and need a restart; counts get lost.',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
};

/** Form values by block id, as `formState` takes them. */
const byBlock = (values: FormValues) =>
  Object.fromEntries(
    Object.entries(values).map(([field, value]) => [
      FRICTION_FORM_BLOCKS[field as keyof typeof FRICTION_FORM_BLOCKS],
      value,
    ]),
  );

describe.each(databaseKinds())('friction in Slack (%s)', (kind: DatabaseKind) => {
  const story = slackStory(kind, { coe: COE, reviewChannel: REVIEW });
  const { post, interact, command, flush, openFrom, press: pressOn } = story;
  // The story's database, fake and bot (set before each test), by the names the tests use.
  let { db, slack, bot } = story;
  beforeEach(() => {
    ({ db, slack, bot } = story);
  });

  const coe = async (text: string, user = COE, channel = REVIEW) =>
    (await command('/coe', text, user, { channel_id: channel, channel_name: 'coe-review' })).json<{ text: string }>();

  const setUpReviewChannel = async () => {
    expect((await coe('setup review-channel')).text).toMatch(/review channel/);
    await flush();
  };

  /** `/friction [text]` → the view the app opened on that trigger, the command acked within 1.5 s. */
  const openForm = (user = WORKER, text = '') => openFrom('/friction', text, user, 1500);

  /** Submits the friction form with `values` by field; `body` is the ack's. */
  const submit = async (view: Json, values: FormValues, user = WORKER, ids?: { viewId: string; hash: string }) => ({
    body: await story.submit(view, byBlock(values), user, ids),
  });

  /** A whole report: `/friction`, the form filled in, submitted. */
  const report = async (values: FormValues = SCANNER, user = WORKER) => {
    const view = await openForm(user);
    const { body } = await submit(view, values, user);
    expect(body.response_action, JSON.stringify(body)).toBe('update');
    return { confirmation: body.view as Json };
  };

  const reviewMessage = (number: number): SlackMessage => {
    const found = slack
      .messages(REVIEW)
      .find((m) => m.thread_ts === undefined && m.text.startsWith(`FR-${number} `) && !m.text.includes('Recurring'));
    if (!found) throw new Error(`no review message for FR-${number}: ${slack.messages(REVIEW).map((m) => m.text)}`);
    return found;
  };
  const press = (user: { id: string; name: string }, number: number, actionId: string) =>
    pressOn(user, REVIEW, reviewMessage(number), actionId);
  const ephemeralsTo = (user: string) => slack.calls('chat.postEphemeral').filter((c) => c.args.user === user);
  /** The input element of a form field in a view. */
  const input = (view: Json, field: keyof typeof FRICTION_FORM_BLOCKS): Json =>
    ((view.blocks as Json[]).find((b) => b.block_id === FRICTION_FORM_BLOCKS[field])?.element ?? {}) as Json;
  const viewOf = (call: SlackCall | undefined): Json => (call?.args.view ?? {}) as Json;

  let decisions = 0;
  /** A decision form opened by a button press, then submitted with `value` in its one input. */
  const decideWithForm = async (
    number: number,
    actionId: string,
    field: keyof typeof DECISION_BLOCKS,
    value: string,
  ) => {
    const before = slack.calls('views.open').length;
    await press(COE, number, actionId);
    const [open] = (await slack.waitForCalls('views.open', before + 1)).slice(before);
    const view = open?.args.view as Json;
    const res = await interact(
      viewSubmissionPayload({
        user: COE,
        view,
        viewId: `VDECIDE${++decisions}`,
        values: { [DECISION_BLOCKS[field]]: value },
      }),
    );
    expect(res.status).toBe(200);
    return { view, body: res.text ? res.json<Json>() : {} };
  };

  it('takes a report from /friction to FR-1: modal on the trigger, review message, confirmation in the modal', async () => {
    await setUpReviewChannel();
    const view = await openForm(WORKER, 'Scanners freeze');
    expect(view.callback_id).toBe(VIEWS.frictionForm);
    const blocks = view.blocks as Json[];
    const block = (field: keyof typeof FRICTION_FORM_BLOCKS) =>
      blocks.find((b) => b.block_id === FRICTION_FORM_BLOCKS[field]) as Json;
    // Every field of the form, each with its own block; the short text became the title.
    for (const field of Object.keys(FRICTION_FORM_BLOCKS) as (keyof typeof FRICTION_FORM_BLOCKS)[]) {
      expect(block(field), field).toBeDefined();
    }
    expect((block('title').element as Json).initial_value).toBe('Scanners freeze');
    expect((block('title').element as Json).max_length).toBe(120);
    expect((block('description').element as Json).max_length).toBe(3000);
    // No teams yet: the team is typed, and optional.
    expect((block('team').element as Json).type).toBe('plain_text_input');
    expect(block('team').optional).toBe(true);

    const { body } = await submit(view, { ...SCANNER, title: null, team: 'Warehouse Nord' });
    expect(body.response_action).toBe('errors');
    const { body: ok } = await submit(view, SCANNER);
    expect(ok.response_action).toBe('update');
    expect(blocksText((ok.view as Json).blocks)).toContain('Thanks: your report is FR-1');

    const stored = await db.prisma.frictionReport.findUnique({ where: { number: 1 } });
    expect(stored).toMatchObject({ title: SCANNER.title, tool: 'Inventory scanner', status: 'new', team: null });
    await flush();
    const review = reviewMessage(1);
    expect(review.text).toContain('Inventory scanners fail after 30 minutes');
    // A new report can be triaged, merged or declined; its root cause comes after triage.
    for (const action of [FRICTION_ACTIONS.triage, FRICTION_ACTIONS.duplicate, FRICTION_ACTIONS.decline]) {
      expect(blocksText(review.blocks)).toContain(action);
    }
    expect(blocksText(review.blocks)).not.toContain(FRICTION_ACTIONS.rootCause);
    expect(blocksText(review.blocks)).toContain('wendy');
  });

  it('pre-fills a long text as what happened, and offers the teams with the person’s usual one selected', async () => {
    await setUpReviewChannel();
    await coe('team add Warehouse Nord');
    await coe('team add Finance');
    const long = `Every morning the scanners lose their pairing &amp; we re-pair them by hand, ${'again '.repeat(30)}`;
    const first = await openForm(WORKER, long);
    expect(input(first, 'description').initial_value).toContain('pairing & we re-pair');
    const team = input(first, 'team');
    expect(team.type).toBe('static_select');
    expect((team.options as Json[]).map((o) => o.value)).toEqual(['Finance', 'Warehouse Nord']);
    expect(team.initial_option).toBeUndefined();

    await submit(first, { ...SCANNER, team: 'Warehouse Nord' });
    const second = await openForm(WORKER);
    expect((input(second, 'team').initial_option as Json | undefined)?.value).toBe('Warehouse Nord');
  });

  it('sends invalid submissions back inline, naming each block, and stores nothing', async () => {
    await setUpReviewChannel();
    await coe('team add Warehouse Nord');
    const view = await openForm();
    const { body } = await submit(view, { ...SCANNER, title: '', description: 'x'.repeat(5000) });
    expect(body.response_action).toBe('errors');
    const errors = body.errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual([FRICTION_FORM_BLOCKS.title, FRICTION_FORM_BLOCKS.description].sort());
    expect(errors[FRICTION_FORM_BLOCKS.title]).toMatch(/fill in a short title/);
    expect(errors[FRICTION_FORM_BLOCKS.description]).toMatch(/under 3000 characters \(it has 5000\)/);

    // A team that is not offered (renamed meanwhile, or a forged submission).
    const { body: team } = await submit(view, { ...SCANNER, team: 'Atlantis' });
    expect(team).toEqual({
      response_action: 'errors',
      errors: { [FRICTION_FORM_BLOCKS.team]: expect.stringMatching(/no team called "Atlantis"/) },
    });

    const { body: missing } = await submit(view, { title: 'Only a title' });
    expect(Object.keys(missing.errors as Json).sort()).toEqual(
      ['kind', 'description', 'tool', 'frequency', 'impact'].map((f) => FRICTION_FORM_BLOCKS[f as 'kind']).sort(),
    );
    await flush();
    expect(await db.prisma.frictionReport.count()).toBe(0);
    expect(await db.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: 'FR-' } } })).toBe(0);
  });

  it('stores a view submitted twice once, with one review message', async () => {
    await setUpReviewChannel();
    const view = await openForm();
    const first = await submit(view, SCANNER, WORKER, { viewId: 'VTWICE', hash: '1.twice' });
    const second = await submit(view, SCANNER, WORKER, { viewId: 'VTWICE', hash: '1.twice' });
    expect(blocksText((first.body.view as Json).blocks)).toContain('FR-1');
    expect(blocksText((second.body.view as Json).blocks)).toContain('FR-1');
    await flush();
    expect(await db.prisma.frictionReport.count()).toBe(1);
    expect(slack.messages(REVIEW).filter((m) => m.text.startsWith('FR-'))).toHaveLength(1);
  });

  it('refuses Triage to a worker privately and leaves the review message alone', async () => {
    await setUpReviewChannel();
    await report();
    await flush();
    const res = await press(OTHER, 1, FRICTION_ACTIONS.triage);
    expect(res.status).toBe(200);
    await slack.waitFor(() => ephemeralsTo(OTHER.id).length === 1);
    expect(String(ephemeralsTo(OTHER.id)[0]?.args.text)).toMatch(/Only CoE members/);
    expect(ephemeralsTo(OTHER.id)[0]?.args.channel).toBe(REVIEW);
    await flush();
    expect(slack.calls('chat.update')).toHaveLength(0);
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 1 } }))?.status).toBe('new');

    // The buttons that open a form refuse before any form opens.
    await press(OTHER, 1, FRICTION_ACTIONS.decline);
    await slack.waitFor(() => ephemeralsTo(OTHER.id).length === 2);
    expect(slack.calls('views.open')).toHaveLength(1); // only the reporter's /friction
  });

  it('lets a CoE member triage: message updated in place, thread reply, DM to the reporter, one decision per double click', async () => {
    await setUpReviewChannel();
    await report();
    await flush();
    const review = reviewMessage(1);
    const payload = messageButtonPayload({
      user: COE,
      channel: REVIEW,
      message: review,
      actionId: FRICTION_ACTIONS.triage,
    });
    await Promise.all([interact(payload), interact(secondClick(payload))]);
    await slack.waitFor(() => ephemeralsTo(COE.id).length === 2);
    expect(
      ephemeralsTo(COE.id)
        .map((c) => String(c.args.text))
        .sort(),
    ).toEqual(['Already done.', 'You own FR-1 now.']);
    await flush();

    const updates = slack.calls('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args).toMatchObject({ channel: REVIEW, ts: review.ts });
    const updated = reviewMessage(1);
    expect(updated.text).toMatch(/^FR-1 triaged/);
    expect(blocksText(updated.blocks)).not.toContain(FRICTION_ACTIONS.triage);
    expect(blocksText(updated.blocks)).toContain(FRICTION_ACTIONS.rootCause);

    const replies = slack.messages(REVIEW).filter((m) => m.thread_ts === review.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(/triaged it and took ownership/);

    expect(slack.calls('conversations.open').map((c) => c.args.users)).toEqual([WORKER.id]);
    const dms = slack.messages(`D${WORKER.id}`);
    expect(dms).toHaveLength(1);
    expect(dms[0]?.text).toMatch(/FR-1 .* is now triaged/);
    expect(await db.prisma.event.count({ where: { subject: 'FR-1', action: 'friction.triaged' } })).toBe(1);

    // Root cause through its form, now that the report is triaged.
    const { view, body } = await decideWithForm(1, FRICTION_ACTIONS.rootCause, 'rootCause', 'Scanner firmware 2.3');
    expect(view.callback_id).toBe(VIEWS.decideRootCause);
    expect(body).toEqual({});
    await slack.waitFor(() => ephemeralsTo(COE.id).some((c) => String(c.args.text).includes('Root cause recorded')));
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 1 } }))?.rootCause).toBe(
      'Scanner firmware 2.3',
    );
  });

  /** The Decline button pressed by the CoE: the lane form it opened. */
  const openDecline = async (number: number) => {
    const before = slack.calls('views.open').length;
    await press(COE, number, FRICTION_ACTIONS.decline);
    const [open] = (await slack.waitForCalls('views.open', before + 1)).slice(before);
    return open?.args.view as Json;
  };
  /** The lane form submitted with `values` by block id; the ack's body. */
  const submitDecline = async (view: Json, values: Record<string, InputValue>) => {
    const res = await interact(viewSubmissionPayload({ user: COE, view, viewId: `VDECIDE${++decisions}`, values }));
    expect(res.status).toBe(200);
    return res.text ? res.json<Json>() : {};
  };

  it('declines through the lane form: problems come back under their inputs, a lane closes it', async () => {
    await setUpReviewChannel();
    await report();
    await flush();
    const form = await openDecline(1);
    expect(form.callback_id).toBe(VIEWS.decideDecline);
    expect(JSON.parse(String(form.private_metadata))).toEqual({ number: 1, channel: REVIEW });
    const block = (id: string) => (form.blocks as Json[]).find((b) => b.block_id === id) as Json;
    // The lane is a required choice of five; the standard and the note are optional.
    const lane = block(DECISION_BLOCKS.lane);
    expect(lane.optional).toBeUndefined();
    expect((lane.element as Json).type).toBe('radio_buttons');
    expect(((lane.element as Json).options as Json[]).map((o) => o.value)).toEqual([
      'manager_call',
      'executive_call',
      'people_matter',
      'covered_by_standard',
      'other',
    ]);
    expect(block(DECISION_BLOCKS.standard).optional).toBe(true);
    expect(block(DECISION_BLOCKS.reason).optional).toBe(true);

    expect(await submitDecline(form, { [DECISION_BLOCKS.reason]: 'Not ours.' })).toEqual({
      response_action: 'errors',
      errors: { [DECISION_BLOCKS.lane]: 'Please choose where this report belongs.' },
    });
    expect(await submitDecline(form, { [DECISION_BLOCKS.lane]: 'other', [DECISION_BLOCKS.reason]: '  ' })).toEqual({
      response_action: 'errors',
      errors: { [DECISION_BLOCKS.reason]: expect.stringMatching(/say why/) },
    });
    expect(
      await submitDecline(form, { [DECISION_BLOCKS.lane]: 'covered_by_standard', [DECISION_BLOCKS.standard]: 'ghost' }),
    ).toEqual({
      response_action: 'errors',
      errors: { [DECISION_BLOCKS.standard]: 'There is no standard SOP-ghost. Check its key, or leave this empty.' },
    });
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 1 } }))?.status).toBe('new');

    const body = await submitDecline(form, {
      [DECISION_BLOCKS.lane]: 'manager_call',
      [DECISION_BLOCKS.reason]: 'Scanner rotas are set per team.',
    });
    expect(body).toEqual({});
    await slack.waitFor(() => ephemeralsTo(COE.id).some((c) => String(c.args.text) === 'FR-1 declined.'));
    expect(await db.prisma.frictionReport.findUnique({ where: { number: 1 } })).toMatchObject({
      status: 'declined',
      declineLane: 'manager_call',
      declineReason: 'Scanner rotas are set per team.',
      declineStandard: null,
    });
    await flush();
    const declined = reviewMessage(1);
    expect(declined.text).toMatch(/^FR-1 declined/);
    expect(blocksText(declined.blocks)).not.toContain('"actions"');
    expect(blocksText(declined.blocks)).toContain("a manager's call (assigning or sequencing work)");
    expect(blocksText(declined.blocks)).toContain('Scanner rotas are set per team.');
    const replies = slack.messages(REVIEW).filter((m) => m.thread_ts === declined.ts);
    expect(replies.map((m) => m.text)).toEqual([expect.stringMatching(/ declined it: a manager's call/)]);
    // The reporter reads first where to go instead, and nobody is named as the one who decided.
    const [dm] = slack.messages(`D${WORKER.id}`);
    expect(dm?.text).toMatch(/^FR-1 .* is a manager's call rather than the CoE's: please raise it with your manager/);
    expect(blocksText(dm?.blocks)).toContain('/coe status FR-1');
    expect(JSON.stringify(dm)).not.toContain('cora');
  });

  it('keeps a people matter out of the review channel, and passes a budget matter on to an executive', async () => {
    const EXEC = { id: 'UEXEC1', name: 'erin' };
    await setUpReviewChannel();
    expect((await coe(`role ${mention(EXEC)} executive`)).text).toMatch(/^Done/);
    await report({
      ...SCANNER,
      title: 'Shift lead shouts at us',
      description: 'Dana shouts at the night shift daily.',
    });
    await report({ ...SCANNER, title: 'Not enough scanners', tool: 'Scanner fleet' }, OTHER);
    await flush();

    const people = await openDecline(1);
    await submitDecline(people, {
      [DECISION_BLOCKS.lane]: 'people_matter',
      [DECISION_BLOCKS.reason]: 'Please talk to HR.',
    });
    await slack.waitFor(() => ephemeralsTo(COE.id).some((c) => String(c.args.text).startsWith('FR-1 declined.')));
    const budget = await openDecline(2);
    await submitDecline(budget, { [DECISION_BLOCKS.lane]: 'executive_call' });
    await slack.waitFor(() =>
      ephemeralsTo(COE.id).some((c) => String(c.args.text) === 'FR-2 declined and passed on to 1 executive.'),
    );
    await flush();

    // The people matter: its review message keeps the title and the lane; its thread reply says only the lane.
    const hidden = reviewMessage(1);
    expect(blocksText(hidden.blocks)).toContain('Shift lead shouts at us');
    expect(blocksText(hidden.blocks)).toContain('a people matter');
    for (const gone of ['Dana', 'wendy', 'Please talk to HR', 'Inventory scanner']) {
      expect(JSON.stringify(hidden)).not.toContain(gone);
    }
    expect(
      slack
        .messages(REVIEW)
        .filter((m) => m.thread_ts === hidden.ts)
        .map((m) => m.text),
    ).toEqual(['Declined: a people matter (interpersonal or individual performance), which the CoE does not handle.']);
    const [toWendy] = slack.messages(`D${WORKER.id}`);
    expect(toWendy?.text).toMatch(/is a people matter, which the CoE does not handle: please talk it over privately/);
    expect(blocksText(toWendy?.blocks)).toContain('Please talk to HR.');

    // The budget matter reached the executive, without its reporter's name; its reporter hears it was passed on.
    const toErin = slack.messages(`D${EXEC.id}`).filter((m) => m.text.includes('FR-2'));
    expect(toErin.map((m) => m.text)).toEqual([
      expect.stringMatching(/^The CoE passed FR-2 "Not enough scanners" on to you/),
    ]);
    expect(JSON.stringify(toErin)).not.toContain('oscar');
    const [toOscar] = slack.messages(`D${OTHER.id}`);
    expect(toOscar?.text).toMatch(/so the CoE has passed it on to them\.$/);
  });

  it('marks a duplicate through its form and rolls the +1 up onto the target', async () => {
    await setUpReviewChannel();
    await report();
    await report({ ...SCANNER, title: 'Month-end close export breaks', tool: 'Month-end close' }, OTHER);
    await flush();
    const wrong = await decideWithForm(2, FRICTION_ACTIONS.duplicate, 'duplicateOf', 'FR-99');
    expect(wrong.body).toMatchObject({
      response_action: 'errors',
      errors: { [DECISION_BLOCKS.duplicateOf]: 'There is no FR-99.' },
    });

    const { body } = await decideWithForm(2, FRICTION_ACTIONS.duplicate, 'duplicateOf', 'fr-1');
    expect(body).toEqual({});
    await slack.waitFor(() => ephemeralsTo(COE.id).some((c) => String(c.args.text) === 'FR-2 merged into FR-1.'));
    await flush();
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 2 } }))?.status).toBe('duplicate');
    expect(reviewMessage(2).text).toMatch(/^FR-2 duplicate/);
    const target = reviewMessage(1);
    expect(blocksText(target.blocks)).toContain('*+1*\\n1');
    expect(slack.messages(`D${OTHER.id}`).some((m) => m.text.includes('is now duplicate'))).toBe(true);
  });

  it('raises exactly one recurring-pattern alert for three reports about one tool, and offers +1 instead', async () => {
    await setUpReviewChannel();
    await report();
    await report({ ...SCANNER, title: 'Scanner loses counts', tool: 'inventory  scanner' }, OTHER);
    const third = await report({ ...SCANNER, title: 'Scanners reboot during stocktake', tool: 'Inventory-Scanner' });
    await report({ ...SCANNER, title: 'Yet another scanner problem' }, OTHER);
    await flush();
    const alerts = slack.messages(REVIEW).filter((m) => m.text.startsWith('Recurring pattern'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain('FR-1, FR-2, FR-3');

    // The third report's confirmation offers the earlier ones; pressing one folds FR-3 into it.
    const offer = viewButtonPayload({
      user: WORKER,
      view: third.confirmation,
      viewId: 'VCONFIRM3',
      hash: '1.confirm3',
      actionId: FRICTION_ACTIONS.plusOneInstead,
    });
    const value = String((offer.actions as Json[])[0]?.value);
    expect(value).toMatch(/^3:2:/);
    expect((await interact(offer)).status).toBe(200);
    const [update] = await slack.waitForCalls('views.update', 1);
    expect(update?.args).toMatchObject({ view_id: 'VCONFIRM3', hash: '1.confirm3' });
    expect(blocksText(viewOf(update).blocks)).toContain('your +1 is on FR-2');
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 3 } }))?.status).toBe('duplicate');
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 2 } }))?.plusOnes).toBe(1);
    await flush();
    expect(blocksText(reviewMessage(2).blocks)).toContain('*+1*\\n1');
  });

  it('keeps an anonymous reporter out of every table, every Slack call and every log line', async () => {
    await setUpReviewChannel();
    await coe('team add Warehouse Nord');
    const view = await openForm(ANON, 'Night shift has no scanner chargers');
    const { body } = await submit(
      view,
      { ...SCANNER, title: undefined, team: 'Warehouse Nord', anonymous: true },
      ANON,
    );
    expect(blocksText((body.view as Json).blocks)).toContain('Submitted anonymously');
    await flush();
    expect(blocksText(reviewMessage(1).blocks)).toContain('anonymous');
    // The CoE's decisions on it tell nobody, and still name nobody.
    await press(COE, 1, FRICTION_ACTIONS.triage);
    await slack.waitFor(() => ephemeralsTo(COE.id).length === 1);
    await flush();
    expect(slack.calls('conversations.open')).toHaveLength(0);

    const tables = await db.prisma.$queryRaw<{ tablename: string }[]>`
      SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
    expect(tables.length).toBeGreaterThan(5);
    let dump = '';
    for (const { tablename } of tables) {
      const rows = await db.prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${tablename}"`);
      dump += JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    }
    expect(dump).toContain('Night shift has no scanner chargers');
    for (const secret of [ANON.id, ANON.name]) {
      expect(dump).not.toContain(secret);
      expect(JSON.stringify(slack.calls())).not.toContain(secret);
      expect(JSON.stringify(bot.logs)).not.toContain(secret);
    }
  });

  it('answers /coe status, my reports, queue and team after a restart on the same database', async () => {
    await setUpReviewChannel();
    expect((await coe('team add Warehouse Nord')).text).toMatch(/Warehouse Nord/);
    expect((await coe('team list', WORKER, 'C0GENERAL')).text).toContain('Warehouse Nord');
    await report({ ...SCANNER, team: 'Warehouse Nord' });
    await flush();

    bot = await story.restart();
    const status = await coe('status FR-1', OTHER, 'C0GENERAL');
    expect(status.text).toMatch(/^FR-1 is new: Inventory scanners fail/);
    expect(JSON.stringify(status)).not.toContain('wendy'); // the status never names the reporter
    expect((await coe('status FR-7', OTHER, 'C0GENERAL')).text).toBe('There is no FR-7.');
    expect((await coe('my reports', WORKER, 'C0GENERAL')).text).toBe('My reports: 1');
    expect((await coe('queue', WORKER, 'C0GENERAL')).text).toMatch(/Only CoE members/);
    expect((await coe('queue')).text).toBe('Triage queue: 1');
  });

  it('opens the form from a message shortcut with its text and a link, and keeps the link on the report', async () => {
    await setUpReviewChannel();
    const permalink = 'https://test.slack.com/archives/C0GENERAL/p1700000000000100';
    slack.setHandler('chat.getPermalink', (args) => {
      expect(args).toMatchObject({ channel: 'C0GENERAL', message_ts: '1700000000.000100' });
      return { channel: 'C0GENERAL', permalink };
    });
    const shortcut = (ts: string) =>
      interact(
        messageShortcutPayload({
          user: WORKER,
          callbackId: MESSAGE_SHORTCUTS.reportFriction,
          channel: 'C0GENERAL',
          message: { ts, text: 'Scanner died *again* &lt;sigh&gt; <@UBOB|bob>', user: 'UBOB' },
        }),
      );
    expect((await shortcut('1700000000.000100')).status).toBe(200);
    const [open] = await slack.waitForCalls('views.open', 1);
    const view = open?.args.view as Json;
    expect(input(view, 'description').initial_value).toBe('Scanner died *again* <sigh> @bob');
    expect(JSON.parse(String(view.private_metadata))).toEqual({ sourceLink: permalink });
    expect(blocksText(view.blocks)).toContain(permalink);

    await submit(view, { ...SCANNER, description: undefined });
    expect((await db.prisma.frictionReport.findUnique({ where: { number: 1 } }))?.sourceLink).toBe(permalink);
    await flush();
    expect(blocksText(reviewMessage(1).blocks)).toContain(`<${permalink}|this message>`);

    // No permalink (Slack refused): the form opens all the same, without a link.
    slack.setHandler('chat.getPermalink', undefined);
    await shortcut('1700000001.000100');
    const [, second] = await slack.waitForCalls('views.open', 2);
    expect(viewOf(second).private_metadata).toBe('');
  });

  it('publishes the App Home: my reports for everyone, and the triage queue for the CoE', async () => {
    await setUpReviewChannel();
    await report();
    const home = (user: string, tab = 'home', options?: PostToSlackAppOptions) =>
      post(eventBody({ type: 'app_home_opened', user, channel: `D${user}`, tab }), options);

    expect((await home(WORKER.id)).status).toBe(200);
    const [worker] = await slack.waitForCalls('views.publish', 1);
    expect(worker?.args.user_id).toBe(WORKER.id);
    const workerView = worker?.args.view as Json;
    expect(workerView.type).toBe('home');
    expect(blocksText(workerView.blocks)).toContain('My reports');
    expect(blocksText(workerView.blocks)).toContain('FR-1');
    expect(blocksText(workerView.blocks)).not.toContain('Triage queue');

    await home(COE.id);
    const [, coeCall] = await slack.waitForCalls('views.publish', 2);
    expect(coeCall?.args.user_id).toBe(COE.id);
    expect(blocksText(viewOf(coeCall).blocks)).toContain('Triage queue');
    expect(blocksText(viewOf(coeCall).blocks)).toContain('Inventory scanners fail');

    // The Messages tab publishes nothing; a retried event publishes again and nothing breaks.
    await home(WORKER.id, 'messages');
    expect((await home(WORKER.id, 'home', { retryNum: 1 })).status).toBe(200);
    await slack.waitForCalls('views.publish', 3);
    await flush();
    expect(slack.calls('views.publish')).toHaveLength(3);
  });

  it('declares the message shortcut in the manifest', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../manifests/slack/manifest.json', import.meta.url), 'utf8'));
    const shortcuts = manifest.features.shortcuts as { callback_id: string; type: string }[];
    expect(shortcuts.map((s) => [s.callback_id, s.type])).toEqual(
      Object.values(MESSAGE_SHORTCUTS).map((id) => [id, 'message']),
    );
  });

  it('kept every view and message it sent within the Block Kit limits', () => {
    const { views, messages, problems } = story.blockKit();
    expect(views.length).toBeGreaterThan(20);
    expect(messages.length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});
