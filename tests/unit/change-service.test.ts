/**
 * Change management through the services, on the in-memory store: change requests and their review, standards,
 * executive constraints, AI usage rules, releases and their fan-out, and the `/coe` words that reach them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANGE_ACTIONS } from '../../src/domain/change-messages.ts';
import { type CommandContext, parseCoeCommand } from '../../src/domain/coe-command.ts';
import type { CoeError } from '../../src/domain/errors.ts';
import type { Message, MessageAction } from '../../src/domain/message.ts';
import type { Layer, PersonRef } from '../../src/domain/people.ts';
import { RELEASE_ACTIONS } from '../../src/domain/release-messages.ts';
import { mrkdwn } from '../../src/platforms/slack/render.ts';
import { teamsText } from '../../src/platforms/teams/cards.ts';
import type { ChangeContent, OutboxRow } from '../../src/ports.ts';
import type { ChangeSubmitResult } from '../../src/services/change.ts';
import {
  carl,
  expectCoeError,
  max,
  mona,
  NIGHT_SLACK,
  olga,
  SLACK_REVIEW,
  stranger,
  TEAMS_REVIEW,
  tim,
  WAREHOUSE_SLACK,
  WAREHOUSE_TEAMS,
  wanda,
} from '../support/cast.ts';
import { ManualClock, MemoryOutboxQueue, type MemoryOutboxRow, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

const cleo: PersonRef = { platform: 'slack', externalId: 'U0CLEO', displayName: 'Cleo Coe' };
const eve: PersonRef = { platform: 'slack', externalId: 'U0EVE', displayName: 'Eve Executive' };

let clock: ManualClock;
let store: MemoryStore;
let services: ReturnType<typeof buildServices>;
let keys = 0;

const key = () => `interaction-${++keys}`;
const request = (actor: PersonRef, k = key()) => ({ actor, key: k });

async function setLayer(ref: PersonRef, layer: Layer) {
  await store.transaction(async (repos) => {
    const person = await repos.people.identify(ref);
    await repos.people.setLayer(person.id, layer);
  });
}

async function reviewChannels() {
  await store.transaction(async (repos) => {
    await repos.reviewChannels.set('slack', SLACK_REVIEW);
    await repos.reviewChannels.set('teams', TEAMS_REVIEW);
  });
}

/** A `/coe` command as a platform hands it over: parsed, with its mentions, channels and today's date. */
function coe(
  actor: PersonRef,
  text: string,
  options: { mentions?: PersonRef[]; channelId?: string; context?: CommandContext; key?: string } = {},
): Promise<Message> {
  const command = parseCoeCommand(text, options.mentions, { today: clock.now(), ...options.context });
  return services.commands.handle(
    { actor, key: options.key ?? key(), ...(options.channelId ? { channelId: options.channelId } : {}) },
    command,
  );
}

const frictionForm = (over: Record<string, unknown> = {}) => ({
  kind: 'tool_friction',
  title: 'Scanner dies after 30 minutes',
  description: 'The scanner switches off mid-shift.',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  ...over,
});

const changeForm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'workflow',
  sop: 'inventory-scanning',
  title: 'Charge scanners at every break',
  change: 'Scanners go on the charger at every break.',
  why: 'Scanners die after 30 minutes and the count is lost.',
  friction: 'FR-1',
  risk: 'low',
  improvement: 'clarify',
  ...over,
});

const aiChange = (over: Record<string, unknown> = {}) =>
  changeForm({
    kind: 'ai_rule',
    sop: undefined,
    friction: '',
    title: 'Allow ChatGPT for managers',
    aiTool: 'ChatGPT',
    aiStatus: 'restricted',
    aiDataClasses: 'public, internal',
    aiForbiddenInputs: 'Customer personal data',
    aiHumanReview: true,
    aiLayers: ['manager', 'coe'],
    ...over,
  });

async function reportFriction(actor = wanda, over: Record<string, unknown> = {}): Promise<number> {
  const result = await services.friction.submit(request(actor), frictionForm(over));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.number;
}

async function raise(actor: PersonRef, over: Record<string, unknown> = {}, k = key()): Promise<number> {
  const result = await services.changes.submit(request(actor, k), changeForm(over));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.number;
}

async function approve(actor: PersonRef, id: string) {
  return services.changes.decide(request(actor), 'approve', id);
}

/** The refusal changes nothing at all: no person, record, event, outbox row or used interaction key. */
async function expectRefusedAndUnchanged(
  work: () => Promise<unknown>,
  code: CoeError['code'],
  text?: string,
): Promise<CoeError> {
  const before = state();
  const error = await expectCoeError(work(), code, text);
  expect(state()).toBe(before);
  return error;
}

const idOf = (ref: PersonRef) => store.personByIdentity(ref.platform, ref.externalId)?.id;
const state = () => JSON.stringify(store.snapshot());
const row = (k: string): MemoryOutboxRow => {
  const found = store.outbox.find((r) => r.key === k);
  if (!found) throw new Error(`no outbox row ${k}; there are ${store.outbox.map((r) => r.key).join(', ')}`);
  return found;
};
const keysSince = (count: number) => store.outbox.slice(count).map((r) => r.key);
const actionsOf = (message: Message): MessageAction[] =>
  message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
const eventsOf = (subject: string) => store.events.filter((e) => e.subject === subject);
const approvalsOf = (number: number) => store.transaction((repos) => repos.changes.approvals(number));
const confirmationOf = (result: ChangeSubmitResult): Message => {
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.confirmation;
};

beforeEach(async () => {
  clock = new ManualClock('2025-03-03T09:00:00.000Z');
  store = new MemoryStore(clock);
  services = buildServices(store, clock);
  await services.admin.bootstrapCoeMembers([olga, carl, cleo]);
  await setLayer(mona, 'manager');
  await setLayer(max, 'manager');
  await setLayer(eve, 'executive');
  await store.transaction((repos) => repos.people.identify(wanda));
  await store.transaction((repos) => repos.people.identify(tim));
  await reviewChannels();
  await coe(olga, 'sop new inventory-scanning Inventory scanning');
});

describe('raising a change request', () => {
  it('stores CR-1 linked to FR-1 and queues its review message in each review channel', async () => {
    await reportFriction();
    const before = store.outbox.length;
    const result = await services.changes.submit(request(mona, 'view-cr-1'), changeForm());
    expect(result).toMatchObject({ ok: true, number: 1 });
    expect(confirmationOf(result).text).toBe('Thanks: your change request is CR-1.');
    expect(JSON.stringify(confirmationOf(result))).toContain(
      'The CoE will review \\"Charge scanners at every break\\"',
    );
    expect(store.changes).toEqual([
      expect.objectContaining({
        number: 1,
        kind: 'workflow',
        sopKey: 'inventory-scanning',
        title: 'Charge scanners at every break',
        friction: [1],
        constraint: null,
        aiRule: null,
        status: 'submitted',
        requesterPersonId: idOf(mona),
        origin: null,
        decisionReason: null,
        releaseId: null,
        version: 1,
        submissionKey: 'view-cr-1',
      }),
    ]);
    expect(eventsOf('CR-1')).toEqual([
      expect.objectContaining({ actorPersonId: idOf(mona), action: 'change.submitted', to: 'submitted' }),
    ]);
    expect(store.outbox.slice(before).map((r) => [r.key, r.platform, r.target])).toEqual([
      ['CR-1:review:slack', 'slack', { kind: 'channel', channelId: SLACK_REVIEW }],
      ['CR-1:review:teams', 'teams', { kind: 'channel', channelId: TEAMS_REVIEW }],
    ]);
    const review = row('CR-1:review:slack').body;
    expect(review.text).toBe('CR-1 submitted: Charge scanners at every break (SOP-inventory-scanning)');
    expect(JSON.stringify(review)).toContain('{"label":"Raised by","value":"Mona Manager"}');
    expect(JSON.stringify(review)).toContain('{"label":"Friction","value":"FR-1"}');
    expect(actionsOf(review).map((a) => [a.id, a.value])).toEqual([
      [CHANGE_ACTIONS.approve, 'CR-1:v1'],
      [CHANGE_ACTIONS.requestChanges, 'CR-1:v1'],
      [CHANGE_ACTIONS.reject, 'CR-1:v1'],
    ]);
    expect(row('CR-1:review:teams').body).toEqual(review);
  });

  it('offers the registered SOPs and the active constraints in the form', async () => {
    await coe(eve, 'constraint add target Cut cycle time by 15% until 2025-03-10');
    await coe(eve, 'constraint add priority Quality first');
    expect(await services.changes.formOptions(mona)).toEqual({
      sops: [{ key: 'inventory-scanning', title: 'Inventory scanning' }],
      constraints: [
        { number: 2, text: 'EX-2 Quality first' },
        { number: 1, text: 'EX-1 Cut cycle time by 15%' },
      ],
    });
    clock.advance(8 * 24 * 3600 * 1000);
    expect((await services.changes.formOptions(mona)).constraints).toEqual([{ number: 2, text: 'EX-2 Quality first' }]);
    const result = await services.changes.submit(request(mona), changeForm({ friction: '', constraint: 'EX-1' }));
    expect(result).toEqual({ ok: false, errors: { constraint: 'EX-1 is not an active executive constraint.' } });
    expect(await raise(mona, { friction: '', constraint: 'EX-2' })).toBe(1);
    expect(store.change(1)?.constraint).toBe(2);
  });

  it('refuses a friction report that does not exist, and stores nothing', async () => {
    const before = state();
    const result = await services.changes.submit(request(mona), changeForm({ friction: 'FR-1, FR-9' }));
    expect(result).toEqual({ ok: false, errors: { friction: 'There is no FR-1.' } });
    await reportFriction();
    const after = state();
    expect(await services.changes.submit(request(mona), changeForm({ friction: 'FR-1, FR-9' }))).toEqual({
      ok: false,
      errors: { friction: 'There is no FR-9.' },
    });
    expect(state()).toBe(after);
    expect(before).not.toBe(after);
    expect(store.changes).toEqual([]);
  });

  it('refuses a friction report merged into another, pointing to that one', async () => {
    await reportFriction();
    await reportFriction(tim, { title: 'Scanner battery empty' });
    await services.friction.decide(request(olga), 'duplicate', 2, { duplicateOf: 'FR-1' });
    expect(store.report(2)).toMatchObject({ status: 'duplicate', duplicateOf: 1 });
    expect(await services.changes.submit(request(mona), changeForm({ friction: 'FR-2' }))).toEqual({
      ok: false,
      errors: { friction: 'FR-2 was merged into FR-1; link that one.' },
    });
    expect(store.changes).toEqual([]);
  });

  it('answers form errors and stores nothing; the fixed form from the same view is taken', async () => {
    await reportFriction();
    const before = state();
    const req = request(mona, 'view-fix');
    expect(await services.changes.submit(req, changeForm({ title: '', sop: 'payroll' }))).toEqual({
      ok: false,
      errors: { title: 'Please fill in a title.', sop: 'There is no SOP-payroll; name it as a new SOP.' },
    });
    expect(state()).toBe(before);
    expect(await services.changes.submit(req, changeForm())).toMatchObject({ ok: true, number: 1 });
  });

  it('makes one request of the same submission sent twice, even at the same time', async () => {
    await reportFriction();
    const [a, b] = await Promise.all([
      services.changes.submit(request(mona, 'view-7'), changeForm()),
      services.changes.submit(request(mona, 'view-7'), changeForm()),
    ]);
    const c = await services.changes.submit(request(mona, 'view-7'), changeForm({ title: 'Something else' }));
    expect([a, b, c].map((r) => r.ok && r.number)).toEqual([1, 1, 1]);
    expect(store.changes.map((ch) => ch.title)).toEqual(['Charge scanners at every break']);
    expect(store.outbox.filter((r) => r.key.startsWith('CR-')).map((r) => r.key)).toEqual([
      'CR-1:review:slack',
      'CR-1:review:teams',
    ]);
    expect(store.events.filter((e) => e.action === 'change.submitted')).toHaveLength(1);
  });

  it.each([wanda, tim, stranger])(
    'points the worker %# kindly to their friction command, and changes nothing',
    async (actor) => {
      // The command as a token, written by each platform its own way (`/friction` in Slack, **friction** in Teams).
      const text =
        'Change requests come from managers, executives and the CoE. Tell the CoE what got in the way with {{friction}}: that is how changes start.';
      await expectRefusedAndUnchanged(() => services.changes.formOptions(actor), 'PERMISSION.DENIED', text);
      await expectRefusedAndUnchanged(
        () => services.changes.submit(request(actor), changeForm({ friction: '' })),
        'PERMISSION.DENIED',
        text,
      );
    },
  );

  it('lets executives and CoE members raise requests too', async () => {
    expect(await raise(eve, { friction: '' })).toBe(1);
    expect(await raise(olga, { friction: '' })).toBe(2);
    expect(store.changes.map((c) => c.requesterPersonId)).toEqual([idOf(eve), idOf(olga)]);
  });

  it('says the request waits for a review channel when none is set', async () => {
    store = new MemoryStore(clock);
    services = buildServices(store, clock);
    await setLayer(mona, 'manager');
    await coe(mona, 'help');
    await store.transaction((repos) =>
      repos.sops.create({ key: 'returns', title: 'Returns', ownerPersonId: null, baseline: true }),
    );
    const result = await services.changes.submit(request(mona), changeForm({ sop: 'returns', friction: '' }));
    expect(JSON.stringify(confirmationOf(result))).toContain('once they set up their review channel');
    expect(store.outbox).toEqual([]);
  });
});

describe('reviewing a change request', () => {
  beforeEach(async () => {
    await reportFriction();
    await raise(mona);
  });

  it('is approved by a CoE member other than the requester: FR-1 moves to in change and its reporter is told', async () => {
    const before = store.outbox.length;
    expect((await services.changes.decide(request(carl, 'click-1'), 'approve', 'CR-1')).text).toBe('CR-1 is approved.');
    expect(store.change(1)).toMatchObject({ status: 'approved', version: 2 });
    expect(await approvalsOf(1)).toEqual([idOf(carl)]);
    expect(store.report(1)?.status).toBe('in_change');
    expect(eventsOf('CR-1').at(-1)).toMatchObject({
      actorPersonId: idOf(carl),
      action: 'change.approved',
      from: 'submitted',
      to: 'approved',
    });
    expect(eventsOf('FR-1').at(-1)).toMatchObject({
      actorPersonId: null,
      action: 'friction.in_change',
      from: 'new',
      to: 'in_change',
    });
    const monaId = idOf(mona);
    const wandaId = idOf(wanda);
    expect(keysSince(before)).toEqual([
      'CR-1:review:slack:v2',
      'CR-1:review:teams:v2',
      'CR-1:review:slack:reply:2',
      'CR-1:review:teams:reply:2',
      'FR-1:review:slack:v2',
      'FR-1:review:teams:v2',
      'FR-1:review:slack:reply:2',
      'FR-1:review:teams:reply:2',
      // The direct messages once the action is done: one per person (issue 12).
      `CR-1:v2:dm:${monaId}`,
      `FR-1:v2:dm:${wandaId}`,
    ]);
    const update = row('CR-1:review:slack:v2');
    expect(update.target).toEqual({ kind: 'update', of: 'CR-1:review:slack' });
    expect(update.body.text).toBe('CR-1 approved: Charge scanners at every break (SOP-inventory-scanning)');
    expect(actionsOf(update.body)).toEqual([]);
    expect(JSON.stringify(update.body)).toContain('{"label":"Approvals","value":"1/1 (Carl Coe)"}');
    expect(row('CR-1:review:teams:reply:2')).toMatchObject({
      platform: 'teams',
      target: { kind: 'channel', channelId: TEAMS_REVIEW, threadOf: 'CR-1:review:teams' },
      body: { text: 'Carl Coe approved it.' },
    });
    expect(row(`CR-1:v2:dm:${monaId}`)).toMatchObject({
      platform: 'slack',
      target: { kind: 'dm', externalId: 'U0MONA' },
      body: { text: 'CR-1 "Charge scanners at every break" is now approved.' },
    });
    const told = row(`FR-1:v2:dm:${wandaId}`);
    expect(told).toMatchObject({ platform: 'slack', target: { kind: 'dm', externalId: 'U0WANDA' } });
    expect(told.body.text).toBe('FR-1 "Scanner dies after 30 minutes" is now in change.');
    expect(JSON.stringify(told.body)).toContain(
      'CR-1 \\"Charge scanners at every break\\" was approved: the CoE is changing what caused it.',
    );
  });

  it('refuses the requester deciding their own request, even as a CoE member, and changes nothing', async () => {
    await raise(olga, { friction: '', title: 'Olga’s own idea' });
    for (const decision of ['approve', 'requestChanges', 'reject'] as const) {
      await expectRefusedAndUnchanged(
        () => services.changes.decide(request(olga), decision, 'CR-2', 'Fine by me.'),
        'PERMISSION.DENIED',
        'You raised CR-2, so another CoE member decides it. Nothing was changed.',
      );
    }
    await expectRefusedAndUnchanged(
      () => services.changes.ensureMayDecide(olga, 'CR-2'),
      'PERMISSION.DENIED',
      'You raised CR-2, so another CoE member decides it. Nothing was changed.',
    );
    expect(store.change(2)?.status).toBe('submitted');
    expect((await approve(cleo, 'CR-2')).text).toBe('CR-2 is approved.');
  });

  it.each([
    ['an executive', eve],
    ['a manager', max],
    ['a worker', wanda],
    ['a stranger', stranger],
  ])('refuses %s deciding, and changes nothing', async (_who, actor) => {
    const refusal = 'Only CoE members approve, send back or reject change requests. Nothing was changed.';
    await expectRefusedAndUnchanged(() => approve(actor, 'CR-1'), 'PERMISSION.DENIED', refusal);
    await expectRefusedAndUnchanged(
      () => services.changes.decide(request(actor), 'reject', 'CR-1', 'No.'),
      'PERMISSION.DENIED',
      refusal,
    );
    await expectRefusedAndUnchanged(
      () => services.changes.ensureMayDecide(actor, 'CR-1'),
      'PERMISSION.DENIED',
      refusal,
    );
  });

  it('lets any other CoE member through ensureMayDecide, and says when a request is unknown', async () => {
    await expect(services.changes.ensureMayDecide(carl, 'CR-1')).resolves.toBeUndefined();
    await expectCoeError(services.changes.ensureMayDecide(carl, 'CR-9'), 'NOT_FOUND', 'There is no CR-9.');
    await expectRefusedAndUnchanged(() => approve(carl, 'CR-9'), 'NOT_FOUND', 'There is no CR-9.');
    await expectRefusedAndUnchanged(() => approve(carl, 'FR-1'), 'NOT_FOUND', 'There is no FR-1.');
  });

  it('does one thing for the same interaction key twice', async () => {
    expect((await services.changes.decide(request(carl, 'click-1'), 'approve', 'CR-1')).text).toBe('CR-1 is approved.');
    const after = state();
    expect((await services.changes.decide(request(carl, 'click-1'), 'approve', 'CR-1')).text).toBe('Already done.');
    expect((await services.changes.decide(request(cleo, 'click-1'), 'reject', 'CR-1', 'No')).text).toBe(
      'Already done.',
    );
    expect(state()).toBe(after);
    expect(store.events.filter((e) => e.action === 'change.approved')).toHaveLength(1);
    expect(store.changes).toHaveLength(1);
  });

  it('needs a quorum of distinct CoE members when configured: in review first, then approved', async () => {
    services = buildServices(store, clock, { quorum: 2 });
    expect((await approve(carl, 'CR-1')).text).toBe('Your approval of CR-1 is recorded (1/2).');
    expect(store.change(1)?.status).toBe('in_review');
    expect(store.report(1)?.status).toBe('new');
    expect(row('CR-1:review:slack:reply:2').body.text).toBe('Carl Coe approved it (1/2; 1 more needed).');
    expect(actionsOf(row('CR-1:review:slack:v2').body)).toHaveLength(3);
    expect(JSON.stringify(row('CR-1:review:slack:v2').body)).toContain(
      '{"label":"Approvals","value":"1/2 (Carl Coe)"}',
    );

    const before = state();
    expect((await approve(carl, 'CR-1')).text).toBe('You approved CR-1 already.');
    expect(JSON.parse(state()).tables).toEqual(
      expect.objectContaining({ changes: JSON.parse(before).tables.changes, events: JSON.parse(before).tables.events }),
    );
    expect(store.change(1)?.status).toBe('in_review');
    expect(await approvalsOf(1)).toEqual([idOf(carl)]);

    expect((await approve(cleo, 'CR-1')).text).toBe('CR-1 is approved.');
    expect(store.change(1)?.status).toBe('approved');
    expect(await approvalsOf(1)).toEqual([idOf(carl), idOf(cleo)]);
    expect(row('CR-1:review:slack:reply:3').body.text).toBe('Cleo Coe approved it (2/2: approved).');
    expect(store.report(1)?.status).toBe('in_change');
  });

  it.each(['requestChanges', 'reject'] as const)('needs a reason to %s, and changes nothing without one', async (d) => {
    for (const reason of [undefined, '', '   ']) {
      await expectRefusedAndUnchanged(
        () => services.changes.decide(request(carl), d, 'CR-1', reason),
        'INPUT.INVALID',
        'Please say why, so the requester knows what to do next.',
      );
    }
    await expectRefusedAndUnchanged(
      () => services.changes.decide(request(carl), d, 'CR-1', 'r'.repeat(1001)),
      'INPUT.INVALID',
      'Keep the reason under 1000 characters.',
    );
    expect(services.changes.checkReason(d, ` ${'r'.repeat(1000)} `)).toBeUndefined();
    expect(services.changes.checkReason('approve', undefined)).toBeUndefined();
    expect(services.changes.checkReason(d, '')).toBe('Please say why, so the requester knows what to do next.');
  });

  it('sends a request back for changes: the approvals so far are cleared and the requester gets the revise button', async () => {
    services = buildServices(store, clock, { quorum: 2 });
    await approve(carl, 'CR-1');
    const msg = await services.changes.decide(request(cleo), 'requestChanges', 'CR-1', '  Say which chargers.  ');
    expect(msg.text).toBe('CR-1 went back to its requester for changes.');
    expect(store.change(1)).toMatchObject({
      status: 'changes_requested',
      decisionReason: 'Say which chargers.',
      version: 3,
    });
    expect(await approvalsOf(1)).toEqual([]);
    expect(eventsOf('CR-1').at(-1)).toMatchObject({
      actorPersonId: idOf(cleo),
      action: 'change.changes_requested',
      from: 'in_review',
      to: 'changes_requested',
      reason: 'Say which chargers.',
    });
    expect(row('CR-1:review:slack:reply:3').body.text).toBe('Cleo Coe asked for changes: Say which chargers.');
    const update = row('CR-1:review:teams:v3').body;
    expect(actionsOf(update)).toEqual([]);
    expect(update.blocks).toContainEqual({ type: 'paragraph', text: '**Changes requested:** Say which chargers.' });
    const dm = row(`CR-1:v3:dm:${idOf(mona)}`);
    expect(dm.target).toEqual({ kind: 'dm', externalId: 'U0MONA' });
    expect(dm.body.text).toBe('CR-1 "Charge scanners at every break" is now changes requested.');
    expect(actionsOf(dm.body)).toEqual([
      { id: CHANGE_ACTIONS.revise, label: 'Revise and resubmit', value: 'CR-1', opensForm: true },
    ]);
    // Friction reports stay where they were: nothing is being changed yet.
    expect(store.report(1)?.status).toBe('new');
  });

  it('rejects with a reason; a rejected request takes no more decisions', async () => {
    expect((await services.changes.decide(request(carl), 'reject', 'CR-1', 'Chargers are scarce.')).text).toBe(
      'CR-1 is rejected.',
    );
    expect(store.change(1)).toMatchObject({ status: 'rejected', decisionReason: 'Chargers are scarce.' });
    expect(row(`CR-1:v2:dm:${idOf(mona)}`).body.text).toBe('CR-1 "Charge scanners at every break" is now rejected.');
    expect(actionsOf(row(`CR-1:v2:dm:${idOf(mona)}`).body)).toEqual([]);
    await expectRefusedAndUnchanged(
      () => approve(cleo, 'CR-1'),
      'INPUT.INVALID',
      'CR-1 is rejected now, so that no longer applies.',
    );
    expect(store.report(1)?.status).toBe('new');
  });

  describe('revising a request sent back for changes', () => {
    beforeEach(async () => {
      await services.changes.decide(request(carl), 'requestChanges', 'CR-1', 'Say which chargers.');
    });

    it('opens the form on what the requester wrote, for the requester only', async () => {
      const options = await services.changes.formOptions(mona, 'CR-1');
      expect(options.sops).toEqual([{ key: 'inventory-scanning', title: 'Inventory scanning' }]);
      expect(options.values).toEqual({
        kind: 'workflow',
        sop: 'inventory-scanning',
        title: 'Charge scanners at every break',
        change: 'Scanners go on the charger at every break.',
        why: 'Scanners die after 30 minutes and the count is lost.',
        friction: 'FR-1',
        risk: 'low',
        improvement: 'clarify',
      });
      await expectRefusedAndUnchanged(
        () => services.changes.formOptions(max, 'CR-1'),
        'PERMISSION.DENIED',
        'Only the person who raised CR-1 can revise it.',
      );
      await expectRefusedAndUnchanged(
        () => services.changes.formOptions(carl, 'CR-1'),
        'PERMISSION.DENIED',
        'Only the person who raised CR-1 can revise it.',
      );
      await expectCoeError(services.changes.formOptions(mona, 'CR-7'), 'NOT_FOUND', 'There is no CR-7.');
    });

    it('resubmits: submitted again, reason cleared, review message updated in place, a reply in the thread', async () => {
      const before = store.outbox.length;
      const result = await services.changes.submit(
        request(mona, 'revise-1'),
        changeForm({ change: 'Scanners go on the new wall chargers at every break.' }),
        'CR-1',
      );
      expect(result).toMatchObject({ ok: true, number: 1 });
      expect(store.changes).toHaveLength(1);
      expect(store.change(1)).toMatchObject({
        status: 'submitted',
        change: 'Scanners go on the new wall chargers at every break.',
        decisionReason: null,
        version: 3,
        submissionKey: expect.not.stringMatching('revise-1'),
      });
      expect(await approvalsOf(1)).toEqual([]);
      expect(keysSince(before)).toEqual([
        'CR-1:review:slack:v3',
        'CR-1:review:teams:v3',
        'CR-1:review:slack:reply:3',
        'CR-1:review:teams:reply:3',
      ]);
      const update = row('CR-1:review:slack:v3').body;
      expect(update.text).toBe('CR-1 submitted: Charge scanners at every break (SOP-inventory-scanning)');
      expect(actionsOf(update)).toHaveLength(3);
      expect(JSON.stringify(update)).toContain('new wall chargers');
      expect(row('CR-1:review:slack:reply:3').body.text).toBe('Mona Manager revised and resubmitted it.');
      expect(eventsOf('CR-1').slice(-2)).toEqual([
        expect.objectContaining({ action: 'change.submitted', from: 'changes_requested', to: 'submitted' }),
        expect.objectContaining({ actorPersonId: idOf(mona), action: 'change.revised', reason: 'revise-1' }),
      ]);

      // The same resubmission again (a retry, a double click) changes nothing more and still confirms.
      const after = state();
      const again = await services.changes.submit(request(mona, 'revise-1'), changeForm(), 'CR-1');
      expect(again).toMatchObject({ ok: true, number: 1 });
      expect(state()).toBe(after);

      // It can be decided again.
      expect((await approve(carl, 'CR-1')).text).toBe('CR-1 is approved.');
    });

    it('keeps the key of a revision whose form had errors, so the fixed form is taken', async () => {
      const before = state();
      expect(await services.changes.submit(request(mona, 'revise-2'), changeForm({ why: '' }), 'CR-1')).toEqual({
        ok: false,
        errors: { why: 'Please fill in why it is needed.' },
      });
      expect(state()).toBe(before);
      expect(await services.changes.submit(request(mona, 'revise-2'), changeForm(), 'CR-1')).toMatchObject({
        ok: true,
        number: 1,
      });
      expect(store.change(1)?.status).toBe('submitted');
    });

    it('refuses a revision by anyone else, or of a request not sent back', async () => {
      await expectRefusedAndUnchanged(
        () => services.changes.submit(request(max), changeForm(), 'CR-1'),
        'PERMISSION.DENIED',
        'Only the person who raised CR-1 can revise it.',
      );
      await services.changes.submit(request(mona), changeForm(), 'CR-1');
      await expectRefusedAndUnchanged(
        () => services.changes.submit(request(mona), changeForm(), 'CR-1'),
        'INPUT.INVALID',
        'CR-1 is not waiting for changes, so there is nothing to revise.',
      );
      await expectRefusedAndUnchanged(
        () => services.changes.formOptions(mona, 'CR-1'),
        'INPUT.INVALID',
        'CR-1 is not waiting for changes, so there is nothing to revise.',
      );
    });
  });

  describe('withdrawing', () => {
    it('is for the requester only, before approval, once per key', async () => {
      await expectRefusedAndUnchanged(
        () => coe(max, 'withdraw CR-1'),
        'PERMISSION.DENIED',
        'Only the person who raised CR-1 can withdraw it.',
      );
      await expectRefusedAndUnchanged(
        () => coe(olga, 'withdraw CR-1'),
        'PERMISSION.DENIED',
        'Only the person who raised CR-1 can withdraw it.',
      );
      expect((await coe(mona, 'withdraw cr-1', { key: 'withdraw-1' })).text).toBe('CR-1 is withdrawn.');
      expect(store.change(1)?.status).toBe('withdrawn');
      expect(eventsOf('CR-1').at(-1)).toMatchObject({
        actorPersonId: idOf(mona),
        action: 'change.withdrawn',
        from: 'submitted',
        to: 'withdrawn',
      });
      expect(row('CR-1:review:slack:reply:2').body.text).toBe('Mona Manager withdrew it.');
      expect(actionsOf(row('CR-1:review:slack:v2').body)).toEqual([]);
      // The requester did it: nobody needs telling.
      expect(store.outbox.filter((r) => r.target.kind === 'dm' && r.key.startsWith('CR-1'))).toEqual([]);
      expect((await coe(mona, 'withdraw CR-1', { key: 'withdraw-1' })).text).toBe('Already done.');
      await expectRefusedAndUnchanged(
        () => coe(mona, 'withdraw CR-1'),
        'INPUT.INVALID',
        'CR-1 is withdrawn, so it can no longer be withdrawn.',
      );
    });

    it('is too late once approved, and needs a request that exists', async () => {
      await approve(carl, 'CR-1');
      await expectRefusedAndUnchanged(
        () => coe(mona, 'withdraw CR-1'),
        'INPUT.INVALID',
        'CR-1 is approved, so it can no longer be withdrawn.',
      );
      await expectRefusedAndUnchanged(() => coe(mona, 'withdraw CR-8'), 'NOT_FOUND', 'There is no CR-8.');
      await expectRefusedAndUnchanged(
        () => coe(mona, 'withdraw nonsense'),
        'NOT_FOUND',
        'There is no such change request.',
      );
    });

    it('is possible after changes were requested', async () => {
      await services.changes.decide(request(carl), 'requestChanges', 'CR-1', 'Say which chargers.');
      expect((await coe(mona, 'withdraw CR-1')).text).toBe('CR-1 is withdrawn.');
    });
  });
});

describe('a change request the bot drafts (an audit breach)', () => {
  const content: ChangeContent = {
    kind: 'standard',
    sopKey: 'inventory-scanning',
    title: 'Scanner checks fail the audit',
    change: 'Redesign the scanner check.',
    why: 'Audit AUD-2 found 30% variance.',
    friction: [],
    constraint: null,
    risk: 'medium',
    improvement: 'improve_alignment',
    aiRule: null,
  };

  it('is a draft with no requester, posted for review once per cause, and any CoE member decides it', async () => {
    const first = await store.transaction((repos) =>
      services.changes.draft(repos, 'audit:AUD-2:run:5', content, 'audit AUD-2, run 5'),
    );
    const again = await store.transaction((repos) =>
      services.changes.draft(repos, 'audit:AUD-2:run:5', content, 'audit AUD-2, run 5'),
    );
    expect([first.number, again.number]).toEqual([1, 1]);
    expect(store.changes).toEqual([
      expect.objectContaining({ number: 1, status: 'draft', requesterPersonId: null, origin: 'audit AUD-2, run 5' }),
    ]);
    expect(eventsOf('CR-1')).toEqual([
      expect.objectContaining({
        actorPersonId: null,
        action: 'change.drafted',
        to: 'draft',
        reason: 'audit AUD-2, run 5',
      }),
    ]);
    const review = row('CR-1:review:slack').body;
    expect(review.text).toBe('CR-1 draft: Scanner checks fail the audit (SOP-inventory-scanning)');
    expect(JSON.stringify(review)).toContain('{"label":"Raised by","value":"audit AUD-2, run 5"}');
    // Nobody would get it back for changes: approve or reject only.
    expect(actionsOf(review).map((a) => a.id)).toEqual([CHANGE_ACTIONS.approve, CHANGE_ACTIONS.reject]);
    await expectRefusedAndUnchanged(
      () => services.changes.decide(request(olga), 'requestChanges', 'CR-1', 'Say more.'),
      'INPUT.INVALID',
      'The bot drafted CR-1, so there is nobody to send it back to: approve or reject it.',
    );
    await expect(services.changes.ensureMayDecide(olga, 'CR-1')).resolves.toBeUndefined();
    expect((await approve(olga, 'CR-1')).text).toBe('CR-1 is approved.');
    expect(store.change(1)?.status).toBe('approved');
    // Nobody to tell privately, and nobody may withdraw it.
    expect(store.outbox.filter((r) => r.target.kind === 'dm')).toEqual([]);
    await expectCoeError(coe(mona, 'withdraw CR-1'), 'PERMISSION.DENIED');
  });
});

describe('standards', () => {
  it('registers a standard as its v1.0 baseline (CoE only), once', async () => {
    expect(store.sops).toEqual([
      {
        key: 'inventory-scanning',
        title: 'Inventory scanning',
        ownerPersonId: idOf(olga),
        baseline: true,
        createdAt: clock.now(),
        retiredAt: null,
      },
    ]);
    expect(eventsOf('SOP-inventory-scanning')).toEqual([
      expect.objectContaining({ actorPersonId: idOf(olga), action: 'sop.registered', to: 'v1.0' }),
    ]);
    expect((await coe(carl, 'sop new SOP-Returns Returns and refunds', { key: 'sop-2' })).text).toBe(
      'Done: SOP-returns v1.0 "Returns and refunds" is registered. It changes only through approved change requests and releases.',
    );
    expect((await coe(carl, 'sop new returns Returns again', { key: 'sop-2' })).text).toBe('Already done.');
    await expectRefusedAndUnchanged(
      () => coe(cleo, 'sop new returns Returns again'),
      'INPUT.INVALID',
      'SOP-returns is registered already: see it with {{coe sop show returns}}.',
    );
    for (const actor of [mona, eve, wanda, stranger]) {
      await expectRefusedAndUnchanged(
        () => coe(actor, 'sop new payroll Payroll'),
        'PERMISSION.DENIED',
        'Only CoE members register standards.',
      );
    }
    expect(store.sops.map((s) => s.key)).toEqual(['inventory-scanning', 'returns']);
  });

  it('shows a standard: version, owner, history, change requests, and sections from other parts', async () => {
    await raise(mona, { friction: '' });
    services.standards.addSopSection(async (_repos, sopKey) => [{ type: 'note', text: `Training for ${sopKey}` }]);
    const shown = await coe(wanda, 'sop show SOP-inventory-scanning');
    expect(shown.text).toBe('SOP-inventory-scanning v1.0: Inventory scanning');
    expect(shown.blocks).toContainEqual({
      type: 'facts',
      facts: [
        { label: 'Current version', value: 'v1.0' },
        { label: 'Owner', value: 'Olga Owner' },
      ],
    });
    expect(shown.blocks).toContainEqual({
      type: 'facts',
      facts: [{ label: 'v1.0 · 2025-03-03', value: 'Registered as the baseline.' }],
    });
    expect(shown.blocks).toContainEqual({
      type: 'facts',
      facts: [{ label: 'CR-1 · Submitted', value: 'Charge scanners at every break' }],
    });
    expect(shown.blocks.at(-1)).toEqual({ type: 'note', text: 'Training for inventory-scanning' });
  });

  it('shows a standard a change request names before it is registered, and refuses an unknown one', async () => {
    await raise(mona, { friction: '', sop: undefined, newSop: 'label-printing' });
    const shown = await coe(wanda, 'sop show label-printing');
    expect(shown.text).toBe('SOP-label-printing not released yet: Label printing');
    await expectRefusedAndUnchanged(
      () => coe(wanda, 'sop show payroll'),
      'NOT_FOUND',
      'There is no SOP-payroll. See the registered standards with {{coe sop list}}.',
    );
  });

  it('lists standards with their current version', async () => {
    await coe(olga, 'sop new returns Returns');
    expect((await coe(tim, 'sop list')).text).toBe('Standards: SOP-inventory-scanning v1.0, SOP-returns v1.0');
    expect((await coe(tim, 'sops')).text).toBe('Standards: SOP-inventory-scanning v1.0, SOP-returns v1.0');
  });
});

describe('executive constraints', () => {
  it('are added by executives only, as EX-n', async () => {
    const done = await coe(eve, 'constraint add target Reduce cycle time by 15% until 2025-06-30');
    expect(done.text).toBe(
      'Done: EX-1 (outcome target) "Reduce cycle time by 15%". Change requests can now say they serve it.',
    );
    expect(await store.transaction((repos) => repos.constraints.list())).toEqual([
      {
        number: 1,
        kind: 'target',
        text: 'Reduce cycle time by 15%',
        until: new Date('2025-06-30T00:00:00.000Z'),
        createdAt: clock.now(),
        endedAt: null,
      },
    ]);
    expect(eventsOf('EX-1')).toEqual([
      expect.objectContaining({ actorPersonId: idOf(eve), action: 'constraint.added', to: 'target' }),
    ]);
    const refusal =
      'Only executives set priorities, constraints and outcome targets; the CoE designs how to meet them.';
    for (const actor of [olga, mona, wanda, stranger]) {
      await expectRefusedAndUnchanged(
        () => coe(actor, 'constraint add priority Quality first'),
        'PERMISSION.DENIED',
        refusal,
      );
    }
    expect((await coe(eve, 'constraint add priority Quality first', { key: 'ex-2' })).text).toContain('EX-2');
    expect((await coe(eve, 'constraint add priority Quality first', { key: 'ex-2' })).text).toBe('Already done.');
  });

  it('list the active ones to anybody; expired ones are hidden', async () => {
    await coe(eve, 'constraint add target Reduce cycle time by 15% until 2025-03-05');
    await coe(eve, 'constraint add constraint Stay within the Q3 budget');
    const list = await coe(wanda, 'constraint list');
    expect(list.text).toBe('Executive direction: 2 active');
    expect(list.blocks[1]).toEqual({
      type: 'facts',
      facts: [
        { label: 'EX-2 · Constraint', value: 'Stay within the Q3 budget' },
        { label: 'EX-1 · Outcome target', value: 'Reduce cycle time by 15% (until 2025-03-05)' },
      ],
    });
    clock.advance(3 * 24 * 3600 * 1000);
    const later = await coe(tim, 'constraints');
    expect(later.text).toBe('Executive direction: 1 active');
    expect(JSON.stringify(later)).not.toContain('EX-1');
  });

  it('refuse an end date that has passed, with the usage', async () => {
    const answer = await coe(eve, 'constraint add target Fewer returns until 2025-03-02');
    expect(answer.text).toBe(
      '2025-03-02 has passed already. Usage: {{coe constraint add priority|constraint|target <text> [until YYYY-MM-DD] | constraint list | constraint end EX-2}}',
    );
    expect(await store.transaction((repos) => repos.constraints.list())).toEqual([]);
  });
});

/** Warehouse (Slack and Teams channels, managed by Mona) and Night Shift (a Slack channel, managed by Max). */
async function teams() {
  await coe(olga, 'team add Warehouse #channel', { context: { channels: [WAREHOUSE_SLACK] } });
  await coe(carl, 'team channel Warehouse', { channelId: WAREHOUSE_TEAMS });
  await coe(olga, 'team add Night Shift #channel', { context: { channels: [NIGHT_SLACK] } });
  await coe(olga, 'team member @mention Warehouse manager', { mentions: [mona] });
  await coe(olga, 'team member @mention Night Shift manager', { mentions: [max] });
  await coe(olga, 'team member @mention Warehouse', { mentions: [wanda] });
}

const publish = (actor: PersonRef, raw: Record<string, unknown>, k = key()) =>
  services.releases.publish(request(actor, k), raw);

const announcementsOf = (releaseId: number) => store.outbox.filter((r) => r.batch === `release:${releaseId}`);

describe('team set-up for releases', () => {
  it('links channels on both platforms and sets managers', async () => {
    expect((await coe(olga, 'team add Warehouse #channel', { context: { channels: [WAREHOUSE_SLACK] } })).text).toBe(
      'Done: team "Warehouse" added, with its channel.',
    );
    expect((await coe(carl, 'team channel warehouse', { channelId: WAREHOUSE_TEAMS })).text).toBe(
      'Done: releases and reminders for Warehouse go to that channel.',
    );
    expect((await coe(carl, 'team channel Warehouse', { channelId: WAREHOUSE_TEAMS })).text).toBe(
      "That channel is Warehouse's already.",
    );
    expect((await coe(olga, 'team member @mention Warehouse manager', { mentions: [mona] })).text).toBe(
      'Done: Mona Manager manages Warehouse.',
    );
    expect((await coe(olga, 'team member @mention Warehouse manager', { mentions: [tim] })).text).toBe(
      'Done: Tim Teams manages Warehouse (give them the manager layer too: {{coe role @person manager}}).',
    );
    await expectRefusedAndUnchanged(
      () => coe(olga, 'team channel Warehouse'),
      'SETUP.WRONG_PLACE',
      "Run {{coe team channel <team>}} in the team's channel, not in a direct message.",
    );
    await expectRefusedAndUnchanged(
      () => coe(mona, 'team channel Warehouse', { channelId: 'C0OTHER' }),
      'PERMISSION.DENIED',
    );
    await expectRefusedAndUnchanged(
      () => coe(olga, 'team member @mention Dock manager', { mentions: [mona] }),
      'NOT_FOUND',
      'There is no team "Dock". Add it with {{coe team add <name>}}.',
    );
    expect(await store.transaction((repos) => repos.teams.channels())).toEqual([
      { teamId: 1, platform: 'slack', channelId: WAREHOUSE_SLACK },
      { teamId: 1, platform: 'teams', channelId: WAREHOUSE_TEAMS },
    ]);
    expect(await store.transaction((repos) => repos.teams.members(1))).toEqual([
      { personId: idOf(mona), isManager: true },
      { personId: idOf(tim), isManager: true },
    ]);
  });
});

describe('releases', () => {
  beforeEach(async () => {
    await teams();
    await reportFriction();
    await raise(mona);
  });

  describe('the release form', () => {
    it('is for CoE members only', async () => {
      await approve(carl, 'CR-1');
      for (const actor of [mona, eve, wanda, stranger]) {
        await expectRefusedAndUnchanged(
          () => services.releases.formOptions(actor),
          'PERMISSION.DENIED',
          'Only CoE members publish releases. Nothing was changed.',
        );
        await expectRefusedAndUnchanged(
          () => publish(actor, { changes: ['CR-1'] }),
          'PERMISSION.DENIED',
          'Only CoE members publish releases. Nothing was changed.',
        );
      }
    });

    it('is refused with a reason while no change request is approved', async () => {
      await expectRefusedAndUnchanged(
        () => services.releases.formOptions(olga),
        'INPUT.INVALID',
        'No approved change request waits for a release: a release ships approved changes only, so there is nothing to publish yet.',
      );
      const before = state();
      expect(await publish(olga, { changes: ['CR-1'] })).toEqual({
        ok: false,
        errors: { changes: 'CR-1 is not an approved change request waiting for a release.' },
      });
      expect(await publish(olga, {})).toEqual({
        ok: false,
        errors: { changes: 'Pick at least one approved change request: a release ships approved changes only.' },
      });
      expect(state()).toBe(before);
      expect(store.releases).toEqual([]);
    });

    it('offers the approved requests by standard, the teams, and notes to start from', async () => {
      await approve(carl, 'CR-1');
      expect(await services.releases.formOptions(olga)).toEqual({
        standards: [
          {
            sopKey: 'inventory-scanning',
            sopTitle: 'Inventory scanning',
            changes: [
              {
                number: 1,
                sopKey: 'inventory-scanning',
                title: 'Charge scanners at every break',
                improvement: 'clarify',
              },
            ],
          },
        ],
        teams: [
          { id: 2, name: 'Night Shift' },
          { id: 1, name: 'Warehouse' },
        ],
        prefill: {
          notes: '• CR-1 Charge scanners at every break (Clarify)',
          tags: ['clarify'],
          // No change proposes a text: the form says v1.1 keeps v1.0's (here none).
          text: expect.objectContaining({
            summary: expect.stringMatching(/^No change in this release proposes a text/),
          }),
        },
      });
      await expectCoeError(
        services.releases.formOptions(olga, 'returns'),
        'INPUT.INVALID',
        'No approved change request waits for a release of SOP-returns: a release ships approved changes only, so there is nothing to publish yet.',
      );
    });
  });

  it('publishes v1.1 from one approved minor change: announced in every team channel on both platforms', async () => {
    await approve(carl, 'CR-1');
    const before = store.outbox.length;
    const result = await publish(olga, { changes: ['CR-1'] }, 'release-view-1');
    expect(result).toEqual({
      ok: true,
      confirmation: expect.objectContaining({
        text: 'Published SOP-inventory-scanning v1.1: announcing it in 3 team channels. The review channel shows the progress.',
      }),
    });
    expect(store.releases).toEqual([
      {
        id: 1,
        sopKey: 'inventory-scanning',
        major: 1,
        minor: 1,
        notes: '• CR-1 Charge scanners at every break (Clarify)',
        tags: ['clarify'],
        changes: [1],
        teamIds: [2, 1], // every team, by name
        publishedByPersonId: idOf(olga),
        publishedAt: clock.now(),
        delivered: false,
        submissionKey: 'release-view-1',
      },
    ]);
    expect(store.change(1)).toMatchObject({ status: 'released', releaseId: 1 });
    expect(store.report(1)?.status).toBe('resolved');
    expect(eventsOf('SOP-inventory-scanning').at(-1)).toMatchObject({
      actorPersonId: idOf(olga),
      action: 'sop.released',
      to: 'SOP-inventory-scanning v1.1',
      data: { changes: [1] },
    });
    expect(eventsOf('CR-1').at(-1)).toMatchObject({ action: 'change.released', from: 'approved', to: 'released' });
    expect(eventsOf('FR-1').at(-1)).toMatchObject({ action: 'friction.resolved', from: 'in_change', to: 'resolved' });

    // Announcements: one per target channel, in the release's batch, each with its team's Deployed button.
    const announcements = announcementsOf(1);
    expect(announcements.map((r) => [r.key, r.platform, r.target])).toEqual([
      ['release:1:ann:slack:C0WARE', 'slack', { kind: 'channel', channelId: WAREHOUSE_SLACK }],
      [`release:1:ann:teams:${WAREHOUSE_TEAMS}`, 'teams', { kind: 'channel', channelId: WAREHOUSE_TEAMS }],
      ['release:1:ann:slack:C0NIGHT', 'slack', { kind: 'channel', channelId: NIGHT_SLACK }],
    ]);
    for (const announcement of announcements) {
      expect(announcement.body.text).toBe(
        'New standard: SOP-inventory-scanning v1.1. • CR-1 Charge scanners at every break (Clarify)',
      );
    }
    expect(announcements.map((r) => actionsOf(r.body))).toEqual([
      [{ id: RELEASE_ACTIONS.deployed, label: 'Deployed in my team', value: '1:1', style: 'primary' }],
      [{ id: RELEASE_ACTIONS.deployed, label: 'Deployed in my team', value: '1:1', style: 'primary' }],
      [{ id: RELEASE_ACTIONS.deployed, label: 'Deployed in my team', value: '1:2', style: 'primary' }],
    ]);
    expect(JSON.stringify(announcements[2]?.body)).toContain('has a new version for Night Shift');

    // The CoE's progress message in each review channel; the requester and the reporter are told.
    expect(row('release:1:review:slack')).toMatchObject({
      target: { kind: 'channel', channelId: SLACK_REVIEW },
      body: { text: 'SOP-inventory-scanning v1.1 published. Announcing: sent 0/3.' },
    });
    expect(row('release:1:review:teams').target).toEqual({ kind: 'channel', channelId: TEAMS_REVIEW });
    expect(row('CR-1:review:slack:reply:3').body.text).toBe('Released in SOP-inventory-scanning v1.1.');
    expect(JSON.stringify(row('CR-1:review:slack:v3').body)).toContain(
      '{"label":"Released in","value":"SOP-inventory-scanning v1.1"}',
    );
    expect(row(`CR-1:v3:dm:${idOf(mona)}`).body.text).toBe('CR-1 "Charge scanners at every break" is now released.');
    const told = row(`FR-1:v3:dm:${idOf(wanda)}`);
    expect(told.target).toEqual({ kind: 'dm', externalId: 'U0WANDA' });
    expect(told.body.text).toBe('FR-1 "Scanner dies after 30 minutes" is now resolved.');
    expect(JSON.stringify(told.body)).toContain(
      'Resolved by SOP-inventory-scanning v1.1: the standard changed to fix it.',
    );
    expect(keysSince(before).filter((k) => k.includes('summary'))).toEqual([]);

    // The standard's page shows the new version.
    const shown = await coe(wanda, 'sop show inventory-scanning');
    expect(shown.text).toBe('SOP-inventory-scanning v1.1: Inventory scanning');
    expect(JSON.stringify(shown)).toContain(
      '"label":"v1.1 · 2025-03-03","value":"• CR-1 Charge scanners at every break (Clarify) (CR-1; deployed 0/2 teams)"',
    );
  });

  it('publishes once for the same submission twice', async () => {
    await approve(carl, 'CR-1');
    const first = await publish(olga, { changes: ['CR-1'] }, 'release-view-1');
    const after = state();
    const second = await publish(olga, { changes: ['CR-1'], notes: 'Other notes' }, 'release-view-1');
    expect(second).toEqual(first);
    expect(state()).toBe(after);
    expect(store.releases).toHaveLength(1);
    // A new submission finds nothing approved left.
    expect(await publish(olga, { changes: ['CR-1'] })).toEqual({
      ok: false,
      errors: { changes: 'CR-1 is not an approved change request waiting for a release.' },
    });
  });

  it('goes to the chosen teams only, with the CoE’s notes and tags', async () => {
    await approve(carl, 'CR-1');
    await publish(olga, { changes: ['CR-1'], teams: ['Night Shift'], notes: 'Charge at breaks.', tags: ['simplify'] });
    expect(store.releases[0]).toMatchObject({ teamIds: [2], notes: 'Charge at breaks.', tags: ['simplify'] });
    expect(announcementsOf(1).map((r) => r.key)).toEqual(['release:1:ann:slack:C0NIGHT']);
  });

  it('is major when a change is a workflow change: v2.0', async () => {
    await raise(mona, { friction: '', title: 'Spare scanner per shift', improvement: 'workflow_change' });
    await approve(carl, 'CR-1');
    await approve(carl, 'CR-2');
    await publish(olga, { changes: 'CR-1, CR-2' });
    expect(store.releases[0]).toMatchObject({
      major: 2,
      minor: 0,
      changes: [1, 2],
      tags: ['clarify', 'workflow_change'],
    });
    expect(store.changes.map((c) => c.status)).toEqual(['released', 'released']);
    expect(announcementsOf(1)[0]?.body.text).toMatch(/^New standard: SOP-inventory-scanning v2\.0\. /);
  });

  it('creates a new standard at v1.0 from its first release, then v1.1', async () => {
    await raise(mona, { friction: '', sop: undefined, newSop: 'Label Printing', title: 'Print labels at the dock' });
    await approve(carl, 'CR-2');
    await publish(olga, { changes: ['CR-2'] });
    expect(store.sops.find((s) => s.key === 'label-printing')).toEqual({
      key: 'label-printing',
      title: 'Label printing',
      ownerPersonId: idOf(olga),
      baseline: false,
      createdAt: clock.now(),
      retiredAt: null,
    });
    expect(store.releases[0]).toMatchObject({ sopKey: 'label-printing', major: 1, minor: 0 });
    await raise(mona, { friction: '', sop: 'label-printing', title: 'Bigger labels', improvement: 'simplify' });
    await approve(carl, 'CR-3');
    await publish(olga, { changes: ['CR-3'] });
    expect(store.releases[1]).toMatchObject({ sopKey: 'label-printing', major: 1, minor: 1 });
    expect((await coe(tim, 'sop show label-printing')).text).toBe('SOP-label-printing v1.1: Label printing');
  });

  it('refuses a release when there is no team to announce it to, and changes nothing', async () => {
    store = new MemoryStore(clock);
    services = buildServices(store, clock);
    await services.admin.bootstrapCoeMembers([olga, carl]);
    await setLayer(mona, 'manager');
    await coe(olga, 'sop new inventory-scanning Inventory scanning');
    await raise(mona, { friction: '' });
    await approve(carl, 'CR-1');
    const before = state();
    expect(await publish(olga, { changes: ['CR-1'] })).toEqual({
      ok: false,
      errors: { teams: 'There are no teams to announce it to yet: add them with {{coe team add <name> #channel}}.' },
    });
    expect(state()).toBe(before);
  });

  it('sums up at once when the target teams have no channel', async () => {
    await coe(olga, 'team add Office');
    await approve(carl, 'CR-1');
    await publish(olga, { changes: ['CR-1'], teams: 'Office' });
    expect(announcementsOf(1)).toEqual([]);
    expect(store.releases[0]?.delivered).toBe(true);
    expect(row('release:1:review:slack:reply:summary').body.text).toBe(
      'SOP-inventory-scanning v1.1: no team channel to announce it in. Link channels with {{coe team channel <team>}}.',
    );
  });

  describe('AI usage rules', () => {
    it('are written only by a release of the AI usage rules standard', async () => {
      await raise(mona, aiChange());
      expect(store.change(2)).toMatchObject({
        kind: 'ai_rule',
        sopKey: 'ai-usage-rules',
        aiRule: {
          tool: 'ChatGPT',
          status: 'restricted',
          dataClasses: ['public', 'internal'],
          forbiddenInputs: 'Customer personal data',
          humanReview: true,
          layers: ['manager', 'coe'],
        },
      });
      await approve(carl, 'CR-2');
      // Approved is not released: the registry is unchanged, and the rule is not listed yet.
      expect(store.aiRules).toEqual([]);
      expect((await coe(wanda, 'ai chatgpt')).text).toBe(
        '"chatgpt" is not listed in the AI usage rules: ask the CoE before you use it for work.',
      );
      // Registering the standard or releasing another one writes no rule either.
      await coe(olga, 'sop new ai-usage-rules AI usage rules');
      await approve(carl, 'CR-1');
      await publish(olga, { changes: ['CR-1'] });
      expect(store.aiRules).toEqual([]);

      await publish(olga, { changes: ['CR-2'] });
      expect(store.releases[1]).toMatchObject({ sopKey: 'ai-usage-rules', major: 1, minor: 1, changes: [2] });
      expect(store.aiRules).toEqual([
        {
          toolKey: 'chatgpt',
          tool: 'ChatGPT',
          status: 'restricted',
          dataClasses: ['public', 'internal'],
          forbiddenInputs: 'Customer personal data',
          humanReview: true,
          layers: ['manager', 'coe'],
          changeNumber: 2,
          release: 'SOP-ai-usage-rules v1.1',
          updatedAt: clock.now(),
        },
      ]);

      // A later release replaces the rule of that tool.
      await raise(mona, aiChange({ aiTool: 'Chat GPT', aiStatus: 'prohibited', title: 'Stop ChatGPT' }));
      await approve(carl, 'CR-3');
      await publish(olga, { changes: ['CR-3'] });
      expect(store.aiRules).toEqual([
        expect.objectContaining({ toolKey: 'chatgpt', tool: 'Chat GPT', status: 'prohibited', changeNumber: 3 }),
      ]);
    });

    it('create the AI usage rules standard at v1.0 when it is not registered', async () => {
      await raise(mona, aiChange());
      expect((await coe(wanda, 'sop show ai-usage-rules')).text).toBe(
        'SOP-ai-usage-rules not released yet: AI usage rules',
      );
      await approve(carl, 'CR-2');
      await publish(olga, { changes: ['CR-2'] });
      expect(store.sops.find((s) => s.key === 'ai-usage-rules')).toMatchObject({
        title: 'AI usage rules',
        baseline: false,
      });
      expect(store.aiRules.map((r) => r.release)).toEqual(['SOP-ai-usage-rules v1.0']);
    });

    it('answer anybody: exact, a typo, not listed, and the list, with the verdict for their layer', async () => {
      await raise(mona, aiChange());
      await raise(mona, aiChange({ aiTool: 'Claude', aiStatus: 'approved', aiLayers: [], title: 'Allow Claude' }));
      await approve(carl, 'CR-2');
      await approve(carl, 'CR-3');
      await publish(olga, { changes: 'CR-2, CR-3' });

      expect((await coe(mona, 'ai ChatGPT')).text).toBe(
        'ChatGPT is restricted: as a manager you may use it within the rule below.',
      );
      const forWanda = await coe(wanda, 'ai chatgtp');
      expect(forWanda.text).toBe('ChatGPT is not for your layer (worker); ask the CoE if you need it.');
      expect(forWanda.blocks).toContainEqual({ type: 'paragraph', text: '**Never put in:** Customer personal data' });
      expect(forWanda.blocks).toContainEqual({
        type: 'note',
        text: 'Set by CR-2, released in SOP-ai-usage-rules v1.0.',
      });
      expect((await coe(tim, 'ai claud')).text).toBe(
        'Claude is approved: as a worker you may use it within the rule below.',
      );
      // Somebody the bot has never met is answered as a worker.
      expect((await coe(stranger, 'ai claude')).text).toBe(
        'Claude is approved: as a worker you may use it within the rule below.',
      );
      const notListed = await coe(tim, 'ai Midjourney');
      expect(notListed.text).toBe(
        '"Midjourney" is not listed in the AI usage rules: ask the CoE before you use it for work.',
      );
      expect(notListed.blocks.at(-1)).toEqual({ type: 'note', text: 'To see every listed tool, send {{coe ai}}.' });
      expect((await coe(wanda, 'ai midjourney')).blocks.at(-1)).toEqual({
        type: 'note',
        text: 'To see every listed tool, send {{coe ai}}.',
      });
      expect((await coe(wanda, 'ai')).text).toBe('AI usage rules: ChatGPT (restricted), Claude (approved)');
      expect(store.people.find((p) => p.displayName === null)).toBeUndefined();
    });
  });

  describe('"Deployed in my team"', () => {
    beforeEach(async () => {
      await approve(carl, 'CR-1');
      await publish(olga, { changes: ['CR-1'] });
    });

    it('is refused to a manager of another team, and to workers and executives, changing nothing', async () => {
      const refusal =
        "Only Warehouse's managers (or the CoE) can say SOP-inventory-scanning v1.1 is deployed there. Nothing was changed.";
      for (const actor of [max, wanda, eve, stranger]) {
        await expectRefusedAndUnchanged(
          () => services.releases.acknowledge(request(actor), '1:1'),
          'PERMISSION.DENIED',
          refusal,
        );
      }
      expect(store.acks).toEqual([]);
    });

    it('is counted once for the manager’s own team; the team’s announcements are updated in place', async () => {
      const before = store.outbox.length;
      expect((await services.releases.acknowledge(request(mona), '1:1')).text).toBe(
        'Recorded: Warehouse works to SOP-inventory-scanning v1.1. Thank you.',
      );
      expect(store.acks).toEqual([{ releaseId: 1, teamId: 1, personId: idOf(mona), at: clock.now() }]);
      expect(eventsOf('SOP-inventory-scanning').at(-1)).toMatchObject({
        actorPersonId: idOf(mona),
        action: 'release.deployed',
        to: 'SOP-inventory-scanning v1.1',
        data: { team: 'Warehouse' },
      });
      expect(keysSince(before)).toEqual([
        'release:1:ann:slack:C0WARE:deployed',
        `release:1:ann:teams:${WAREHOUSE_TEAMS}:deployed`,
        'release:1:review:slack:v0-0-1',
        'release:1:review:teams:v0-0-1',
      ]);
      const updated = row('release:1:ann:slack:C0WARE:deployed');
      expect(updated.target).toEqual({ kind: 'update', of: 'release:1:ann:slack:C0WARE' });
      expect(actionsOf(updated.body)).toEqual([]);
      expect(updated.body.blocks.at(-1)).toEqual({
        type: 'note',
        text: 'Deployed in Warehouse by Mona Manager on 2025-03-03.',
      });
      expect(row(`release:1:ann:teams:${WAREHOUSE_TEAMS}:deployed`).target).toEqual({
        kind: 'update',
        of: `release:1:ann:teams:${WAREHOUSE_TEAMS}`,
      });
      expect(JSON.stringify(row('release:1:review:slack:v0-0-1').body)).toContain(
        '{"label":"Deployed","value":"1/2 teams"}',
      );

      const after = store.outbox.length;
      expect((await services.releases.acknowledge(request(mona), '1:1')).text).toBe(
        'Already recorded: Warehouse works to SOP-inventory-scanning v1.1.',
      );
      expect((await services.releases.acknowledge(request(olga), '1:1')).text).toBe(
        'Already recorded: Warehouse works to SOP-inventory-scanning v1.1.',
      );
      expect(store.acks).toHaveLength(1);
      expect(store.outbox.length).toBe(after);
      expect(store.events.filter((e) => e.action === 'release.deployed')).toHaveLength(1);
    });

    it('may be recorded by the CoE for any team', async () => {
      expect((await services.releases.acknowledge(request(carl), '1:2')).text).toBe(
        'Recorded: Night Shift works to SOP-inventory-scanning v1.1. Thank you.',
      );
      expect(store.acks.map((a) => [a.teamId, a.personId])).toEqual([[2, idOf(carl)]]);
      expect(row('release:1:ann:slack:C0NIGHT:deployed').body.blocks.at(-1)).toEqual({
        type: 'note',
        text: 'Deployed in Night Shift by Carl Coe on 2025-03-03.',
      });
      expect((await services.releases.acknowledge(request(max), '1:2')).text).toBe(
        'Already recorded: Night Shift works to SOP-inventory-scanning v1.1.',
      );
    });

    it.each(['nonsense', '1', '9:1', '1:9', '1:1:1'])('refuses the out-of-date button value %j', async (value) => {
      await expectRefusedAndUnchanged(
        () => services.releases.acknowledge(request(mona), value),
        'INPUT.INVALID',
        'That button is out of date. Nothing was changed.',
      );
    });

    it('refuses a team the release was not for', async () => {
      await coe(olga, 'team add Office #channel', { context: { channels: ['C0OFFICE'] } });
      await expectRefusedAndUnchanged(
        () => services.releases.acknowledge(request(olga), '1:3'),
        'INPUT.INVALID',
        'That button is out of date. Nothing was changed.',
      );
    });
  });

  describe('fan-out progress', () => {
    let queue: MemoryOutboxQueue;
    beforeEach(async () => {
      queue = new MemoryOutboxQueue(store.outbox, clock);
      await approve(carl, 'CR-1');
      await publish(olga, { changes: ['CR-1'] });
    });

    /** Claims every due row, and settles the release's announcements the way `outcome` says. */
    async function deliver(outcome: (row: OutboxRow) => 'sent' | 'failed' | 'later') {
      for (const claimed of await queue.claim('worker-1', 100, 60_000)) {
        const decided = claimed.batch ? outcome(claimed) : 'sent';
        if (decided === 'sent') await queue.markSent(claimed.id, 'worker-1', { ts: claimed.key });
        else if (decided === 'failed') await queue.markFailed(claimed.id, 'worker-1', 'channel_not_found');
        else await queue.retryAt(claimed.id, 'worker-1', new Date(clock.now().getTime() + 60_000), 'HTTP 429');
      }
    }

    it('updates the progress as announcements settle, and posts one summary naming the failures', async () => {
      await deliver((r) => (r.key.endsWith(':C0WARE') ? 'sent' : 'later'));
      await services.releases.refresh(1);
      expect(row('release:1:review:slack:v1-0-0')).toMatchObject({
        target: { kind: 'update', of: 'release:1:review:slack' },
        body: { text: 'SOP-inventory-scanning v1.1 published. Announcing: sent 1/3.' },
      });
      expect(row('release:1:review:teams:v1-0-0').body.text).toBe(
        'SOP-inventory-scanning v1.1 published. Announcing: sent 1/3.',
      );
      expect(store.outbox.filter((r) => r.key.endsWith(':summary'))).toEqual([]);
      expect(store.releases[0]?.delivered).toBe(false);

      // Nothing new: nothing is queued.
      const unchanged = store.outbox.length;
      await services.releases.refresh(1);
      expect(store.outbox.length).toBe(unchanged);

      clock.advance(61_000);
      await deliver((r) => (r.key.endsWith(':C0NIGHT') ? 'failed' : 'sent'));
      await services.releases.refresh(1);
      expect(row('release:1:review:slack:v2-1-0').body.text).toBe(
        'SOP-inventory-scanning v1.1 published. Announced: sent 2/3, 1 failed.',
      );
      const summaries = store.outbox.filter((r) => r.key.endsWith(':summary'));
      expect(summaries.map((r) => [r.key, r.target])).toEqual([
        [
          'release:1:review:slack:reply:summary',
          { kind: 'channel', channelId: SLACK_REVIEW, threadOf: 'release:1:review:slack' },
        ],
        [
          'release:1:review:teams:reply:summary',
          { kind: 'channel', channelId: TEAMS_REVIEW, threadOf: 'release:1:review:teams' },
        ],
      ]);
      const summary = summaries[0]?.body as Message;
      expect(summary.text).toBe('SOP-inventory-scanning v1.1: announced in 2 of 3 channels; 1 failed.');
      expect(summary.blocks).toContainEqual({
        type: 'facts',
        facts: [{ label: 'Night Shift: slack channel C0NIGHT', value: 'channel_not_found' }],
      });
      expect(store.releases[0]?.delivered).toBe(true);

      // However often it is refreshed afterwards, or a team deploys, the summary is posted once.
      await services.releases.refresh(1);
      await services.releases.refresh(1);
      await services.releases.acknowledge(request(mona), '1:1');
      expect(store.outbox.filter((r) => r.key.endsWith(':summary'))).toHaveLength(2);
    });

    it('says all went out when nothing failed; refresh of an unknown release does nothing', async () => {
      await deliver(() => 'sent');
      const before = store.outbox.length;
      await services.releases.refresh(99);
      expect(store.outbox.length).toBe(before);
      await services.releases.refresh(1);
      expect(row('release:1:review:slack:reply:summary').body.text).toBe(
        'SOP-inventory-scanning v1.1: announced in all 3 channels.',
      );
    });

    it('resume() finishes a release whose summary was never posted (a crash before the refresh)', async () => {
      for (const r of announcementsOf(1)) r.status = 'sent';
      expect(store.releases[0]?.delivered).toBe(false);
      await services.releases.resume();
      expect(store.releases[0]?.delivered).toBe(true);
      expect(row('release:1:review:slack:reply:summary').body.text).toBe(
        'SOP-inventory-scanning v1.1: announced in all 3 channels.',
      );
      const before = store.outbox.length;
      await services.releases.resume();
      expect(store.outbox.length).toBe(before);
    });

    it('resume() leaves a release still going out as it is, except for its progress', async () => {
      await deliver((r) => (r.key.endsWith(':C0WARE') ? 'sent' : 'later'));
      await services.releases.resume();
      expect(row('release:1:review:slack:v1-0-0').body.text).toBe(
        'SOP-inventory-scanning v1.1 published. Announcing: sent 1/3.',
      );
      expect(store.releases[0]?.delivered).toBe(false);
    });

    describe('the deliverer’s hook', () => {
      beforeEach(() => {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      });
      afterEach(() => {
        services.releases.stop();
        vi.useRealTimers();
      });

      it('refreshes a release’s progress at most once a second, and ignores other rows', async () => {
        const refresh = vi.spyOn(services.releases, 'refresh');
        await deliver(() => 'sent');
        const [announcement] = announcementsOf(1);
        const settled = { ...(announcement as MemoryOutboxRow), inDoubt: false };
        services.releases.onSettled(settled);
        services.releases.onSettled(settled);
        services.releases.onSettled({ ...settled, batch: undefined });
        services.releases.onSettled({ ...settled, batch: 'something:else' });
        expect(refresh).not.toHaveBeenCalled();
        await vi.advanceTimersByTimeAsync(1000);
        await store.transaction(async () => {}); // waits for the refresh's transaction
        expect(refresh.mock.calls).toEqual([[1]]);
        expect(row('release:1:review:slack:reply:summary').body.text).toBe(
          'SOP-inventory-scanning v1.1: announced in all 3 channels.',
        );
      });

      it('drops pending refreshes on stop()', async () => {
        const refresh = vi.spyOn(services.releases, 'refresh');
        const [announcement] = announcementsOf(1);
        services.releases.onSettled({ ...(announcement as MemoryOutboxRow), inDoubt: false });
        services.releases.stop();
        await vi.advanceTimersByTimeAsync(2000);
        expect(refresh).not.toHaveBeenCalled();
      });
    });
  });
});

describe('/coe words that reach change management', () => {
  beforeEach(async () => {
    await reportFriction();
    await raise(mona);
  });

  it('looks up a change request or a friction report by its id', async () => {
    expect((await coe(wanda, 'status CR-1')).text).toBe('CR-1 is submitted: Charge scanners at every break');
    expect((await coe(wanda, 'status cr1')).text).toBe('CR-1 is submitted: Charge scanners at every break');
    expect((await coe(wanda, 'status FR-1')).text).toMatch(/^FR-1 /);
    expect((await coe(wanda, 'status 1')).text).toMatch(/^FR-1 /);
    await expectCoeError(coe(wanda, 'status CR-9'), 'NOT_FOUND', 'There is no CR-9.');
    await expectCoeError(
      coe(tim, 'status CR-x'),
      'INPUT.INVALID',
      'Give an id like FR-12 or CR-7: {{coe status FR-12}}.',
    );
    await expectCoeError(
      coe(wanda, 'status TR-1'),
      'INPUT.INVALID',
      'Give an id like FR-12 or CR-7: {{coe status FR-12}}.',
    );
  });

  it('says that release opens a form, in the platform’s words', async () => {
    const slack = await expectCoeError(coe(olga, 'release'), 'SETUP.WRONG_PLACE');
    expect(mrkdwn(slack.userMessage)).toMatch(/opens a form: send `\/coe release` again\.$/);
    const teams = await expectCoeError(coe(carl, 'release inventory-scanning'), 'SETUP.WRONG_PLACE');
    expect(teamsText(teams.userMessage)).toMatch(/opens a form: send release again\.$/);
    expect(store.releases).toEqual([]);
  });

  it('shows the requester’s change requests in "my reports" and the overview', async () => {
    const mine = await coe(mona, 'my reports');
    expect(mine.text).toContain('My change requests: 1');
    expect(mine.blocks).toContainEqual({
      type: 'facts',
      facts: [{ label: 'CR-1 · Submitted', value: 'Charge scanners at every break (SOP-inventory-scanning)' }],
    });
    expect((await services.commands.overview(wanda)).map((s) => s.text.split(':')[0])).toEqual(['My reports']);
    // CoE members also find the scorecard's summary there (App Home, `my reports`).
    expect((await services.commands.overview(olga)).map((s) => s.text.split(':')[0])).toEqual([
      'My reports',
      'Triage queue',
      'CoE scorecard · the organisation · the last 90 days',
    ]);
  });

  it('answers the usage of a malformed command', async () => {
    expect((await coe(olga, 'sop new !! Returns')).text).toBe(
      'Give the standard a key of letters, digits and dashes, like inventory-scanning. Usage: {{coe sop find <words> | sop new [<key> <title>] | sop show <key> [vX.Y] | sop diff <key> vA [vB] | sop list | sop retire <key>}}',
    );
    expect((await coe(carl, 'withdraw')).text).toBe('Which change request? Usage: {{coe withdraw CR-7}}');
  });
});
