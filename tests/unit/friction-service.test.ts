import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CoeError } from '../../src/domain/errors.ts';
import { FRICTION_ACTIONS, parsePlusOneValue } from '../../src/domain/friction-messages.ts';
import type { Message, MessageAction } from '../../src/domain/message.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import type { OutboxTarget } from '../../src/ports.ts';
import { CoeAdminService } from '../../src/services/coe-admin.ts';
import { CoeCommands } from '../../src/services/commands.ts';
import { FrictionService, type SubmitResult } from '../../src/services/friction.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

const DAY = 24 * 3600 * 1000;
const SLACK_REVIEW = 'C0REVIEW';
const TEAMS_REVIEW = '19:review@thread.tacv2';

const coe: PersonRef = { platform: 'slack', externalId: 'U0OLGA', displayName: 'Olga Owner' };
const worker: PersonRef = { platform: 'slack', externalId: 'U0WANDA', displayName: 'Wanda Worker' };
const teamsWorker: PersonRef = { platform: 'teams', externalId: 'aad-tim', displayName: 'Tim Teams' };
const third: PersonRef = { platform: 'slack', externalId: 'U0THEO', displayName: 'Theo Third' };
const secret: PersonRef = { platform: 'slack', externalId: 'U0SECRETSAM', displayName: 'Secret Sam' };

let clock: ManualClock;
let store: MemoryStore;
let friction: FrictionService;
let admin: CoeAdminService;
let keys = 0;
let tokens = 0;

beforeEach(async () => {
  clock = new ManualClock('2025-03-03T09:00:00.000Z');
  store = new MemoryStore(clock);
  friction = new FrictionService(store, clock, { recurrenceThreshold: 3, recurrenceWindowDays: 14 }, () =>
    `claim-token-${++tokens}`.padEnd(16, 'x'),
  );
  admin = new CoeAdminService(store);
  await admin.bootstrapCoeMembers([coe]);
});

const key = () => `interaction-${++keys}`;
const request = (actor: PersonRef, k = key()) => ({ actor, key: k });

const form = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'tool_friction',
  title: 'Scanner dies after 30 minutes',
  description: 'The scanner switches off mid-shift.',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  ...over,
});

async function reviewChannels(...platforms: ('slack' | 'teams')[]) {
  await store.transaction(async (repos) => {
    for (const p of platforms) await repos.reviewChannels.set(p, p === 'slack' ? SLACK_REVIEW : TEAMS_REVIEW);
  });
}

/** Submits a valid report and returns its number. */
async function submit(actor: PersonRef, over: Record<string, unknown> = {}, k = key()): Promise<number> {
  const result = await friction.submit(request(actor, k), form(over));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.number;
}

const confirmationOf = (result: SubmitResult): Message => {
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.confirmation;
};

const actionsOf = (message: Message): MessageAction[] =>
  message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));

const decide = (
  actor: PersonRef,
  ...args: Parameters<FrictionService['decide']> extends [unknown, ...infer R] ? R : never
) => friction.decide(request(actor), ...args);

async function expectCoeError(promise: Promise<unknown>, code: CoeError['code']): Promise<CoeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CoeError);
  expect((error as CoeError).code).toBe(code);
  return error as CoeError;
}

const idOf = (ref: PersonRef) => store.personByIdentity(ref.platform, ref.externalId)?.id;
const rows = (kind?: OutboxTarget['kind']) => store.outbox.filter((r) => kind === undefined || r.target.kind === kind);
const keysOf = (kind?: OutboxTarget['kind']) => rows(kind).map((r) => r.key);
const dms = () => rows('dm').map((r) => ({ to: r.target, text: r.body.text }));
const state = () => JSON.stringify(store.snapshot());

describe('submitting a report', () => {
  it('stores FR-1 and queues its review message in each review channel', async () => {
    await reviewChannels('slack', 'teams');
    const result = await friction.submit(request(worker, 'view-1'), form({ team: 'Warehouse', relatedSop: 'SOP-7' }));
    expect(result).toMatchObject({ ok: true, number: 1 });
    const wanda = idOf(worker);
    expect(store.reports).toEqual([
      expect.objectContaining({
        number: 1,
        status: 'new',
        title: 'Scanner dies after 30 minutes',
        tool: 'Inventory scanner',
        toolKey: 'inventory scanner',
        team: 'Warehouse',
        relatedSop: 'SOP-7',
        sourceLink: null,
        reporterPersonId: wanda,
        plusOnes: 0,
        version: 1,
        submissionKey: 'view-1',
      }),
    ]);
    expect(store.events.at(-1)).toMatchObject({
      actorPersonId: wanda,
      subject: 'FR-1',
      action: 'friction.submitted',
      to: 'new',
    });
    expect(store.outbox.map((r) => [r.key, r.platform, r.target])).toEqual([
      ['FR-1:review:slack', 'slack', { kind: 'channel', channelId: SLACK_REVIEW }],
      ['FR-1:review:teams', 'teams', { kind: 'channel', channelId: TEAMS_REVIEW }],
    ]);
    const review = store.outbox[0]?.body;
    expect(review?.blocks[0]).toEqual({ type: 'heading', text: 'FR-1 · Scanner dies after 30 minutes' });
    expect(JSON.stringify(review)).toContain('Wanda Worker');
    expect(actionsOf(review as Message).map((a) => a.id)).toEqual([
      FRICTION_ACTIONS.triage,
      FRICTION_ACTIONS.duplicate,
      FRICTION_ACTIONS.decline,
    ]);
    const confirmation = confirmationOf(result);
    expect(confirmation.text).toBe('Thanks: your report is FR-1.');
    expect(JSON.stringify(confirmation)).toContain('The CoE will review');
  });

  it('queues the review message only on platforms with a review channel', async () => {
    await reviewChannels('teams');
    await submit(worker);
    expect(keysOf()).toEqual(['FR-1:review:teams']);
  });

  it('stores the report without a review channel, queues nothing and says so', async () => {
    const result = await friction.submit(request(worker), form());
    expect(store.reports).toHaveLength(1);
    expect(store.outbox).toEqual([]);
    const text = JSON.stringify(confirmationOf(result));
    expect(text).toContain('It is stored, and the CoE will review it as soon as they set up their review channel.');
    expect(text).not.toContain('The CoE will review "');
  });

  it('answers invalid input with the errors and stores nothing at all', async () => {
    await reviewChannels('slack');
    const before = state();
    const req = request(worker);
    const result = await friction.submit(req, form({ title: '', description: 'x'.repeat(5000), impact: 'huge' }));
    expect(result).toEqual({
      ok: false,
      errors: {
        title: 'Please fill in a short title.',
        description: 'Keep what happened under 3000 characters (it has 5000).',
        impact: 'Please choose the impact.',
      },
    });
    expect(state()).toBe(before); // no report, no person, no event, no outbox row
    expect(store.reports).toEqual([]);
    expect(idOf(worker)).toBeUndefined();
    // The fixed form, sent again from the same form, is taken.
    expect(await friction.submit(req, form())).toMatchObject({ ok: true, number: 1 });
  });

  it('refuses an unknown team once teams exist, listing them', async () => {
    await store.transaction(async (repos) => {
      await repos.teams.add('Warehouse');
      await repos.teams.add('Night shift');
    });
    const result = await friction.submit(request(worker), form({ team: 'Loading dock' }));
    expect(result).toEqual({
      ok: false,
      errors: { team: 'There is no team called "Loading dock". Pick one of: Night shift, Warehouse.' },
    });
    expect(store.reports).toEqual([]);
  });

  it('makes one report of the same submission sent twice, even at the same time', async () => {
    await reviewChannels('slack');
    const [a, b] = await Promise.all([
      friction.submit(request(worker, 'view-7'), form()),
      friction.submit(request(worker, 'view-7'), form()),
    ]);
    const c = await friction.submit(request(worker, 'view-7'), form({ title: 'Changed my mind' }));
    expect([a, b, c].map((r) => r.ok && r.number)).toEqual([1, 1, 1]);
    expect(store.reports).toHaveLength(1);
    expect(store.reports[0]?.title).toBe('Scanner dies after 30 minutes');
    expect(keysOf()).toEqual(['FR-1:review:slack']);
    expect(store.events.filter((e) => e.action === 'friction.submitted')).toHaveLength(1);
  });

  it("remembers an open reporter's team and offers it next time, without creating anybody", async () => {
    await store.transaction((repos) => repos.teams.add('Warehouse'));
    expect(await friction.formDefaults(worker)).toEqual({ teams: ['Warehouse'] });
    expect(idOf(worker)).toBeUndefined();
    await submit(worker, { team: 'WAREHOUSE' });
    expect(store.reports[0]?.team).toBe('Warehouse');
    expect(await friction.formDefaults(worker)).toEqual({ teams: ['Warehouse'], team: 'Warehouse' });
  });
});

describe('an anonymous report', () => {
  beforeEach(() => reviewChannels('slack', 'teams'));

  it('keeps no trace of who sent it, anywhere, through its whole life', async () => {
    const result = await friction.submit(request(secret, 'view-anon'), form({ anonymous: true, team: 'Dock 4' }));
    expect(result).toMatchObject({ ok: true, number: 1 });
    expect(store.reports[0]).toMatchObject({ reporterPersonId: null });
    expect(idOf(secret)).toBeUndefined(); // the reporter was not even created
    expect(store.events).toContainEqual(expect.objectContaining({ action: 'friction.submitted', actorPersonId: null }));
    expect(JSON.stringify(store.outbox[0]?.body)).toContain('anonymous');
    expect(JSON.stringify(confirmationOf(result))).toContain('Submitted anonymously');

    await decide(coe, 'triage', 1);
    await decide(coe, 'rootCause', 1, { rootCause: 'Power saving.' });
    await decide(coe, 'decline', 1, { lane: 'other', reason: 'Replaced next month.' });
    expect(await friction.myReports(secret)).toMatchObject({ text: expect.stringMatching(/^My reports: /) });
    await friction.status('FR-1');

    expect(store.reports[0]?.status).toBe('declined');
    expect(rows('dm')).toEqual([]); // nobody to tell
    const everything = state();
    for (const trace of ['U0SECRETSAM', 'Secret Sam']) expect(everything).not.toContain(trace);
    expect(store.people.map((p) => p.displayName)).toEqual(['Olga Owner']);
  });

  it('is not linked to its reporter even when the bot knows them, nor listed as theirs', async () => {
    await submit(worker, { team: 'Dock 1' });
    await submit(worker, { anonymous: true, team: 'Dock 2', title: 'Something else entirely' });
    expect(store.reports.map((r) => r.reporterPersonId)).toEqual([idOf(worker), null]);
    expect(store.people.find((p) => p.id === idOf(worker))?.lastTeam).toBe('Dock 1');
    expect(store.events.filter((e) => e.subject === 'FR-2')).toEqual([
      expect.objectContaining({ actorPersonId: null, action: 'friction.submitted' }),
    ]);
    const mine = await friction.myReports(worker);
    expect(JSON.stringify(mine)).toContain('FR-1');
    expect(JSON.stringify(mine)).not.toContain('FR-2');
  });
});

describe('CoE decisions', () => {
  beforeEach(() => reviewChannels('slack', 'teams'));

  it('tell an open reporter about every status change, privately', async () => {
    await submit(worker, { team: 'Warehouse' });
    await submit(worker, { title: 'Label printer jams', tool: 'Label printer' });
    const wanda = idOf(worker);
    expect((await decide(coe, 'triage', 1)).text).toBe('You own FR-1 now.');
    expect((await decide(coe, 'rootCause', 1, { rootCause: '  Power saving.  ' })).text).toBe(
      'Root cause recorded on FR-1.',
    );
    expect((await decide(coe, 'decline', 1, { lane: 'other', reason: 'Scanners are replaced in May.' })).text).toBe(
      'FR-1 declined.',
    );
    expect((await decide(coe, 'duplicate', 2, { duplicateOf: 'FR-1' })).text).toBe('FR-2 merged into FR-1.');
    expect(rows('dm').map((r) => [r.key, r.platform, r.target])).toEqual([
      ['FR-1:v2:dm:2', 'slack', { kind: 'dm', externalId: worker.externalId }],
      ['FR-1:v3:dm:2', 'slack', { kind: 'dm', externalId: worker.externalId }],
      ['FR-1:v4:dm:2', 'slack', { kind: 'dm', externalId: worker.externalId }],
      ['FR-2:v2:dm:2', 'slack', { kind: 'dm', externalId: worker.externalId }],
    ]);
    expect(wanda).toBe(2);
    expect(dms().map((d) => d.text)).toEqual([
      'FR-1 "Scanner dies after 30 minutes" is now triaged.',
      'FR-1 "Scanner dies after 30 minutes" is now analysing.',
      'The CoE will not take FR-1 "Scanner dies after 30 minutes" further, for the reason below.',
      'FR-2 "Label printer jams" is now duplicate.',
    ]);
    // The reporter reads the CoE's note, never who declined it.
    expect(JSON.stringify(rows('dm')[2]?.body)).toContain('**Note from the CoE:** Scanners are replaced in May.');
    expect(JSON.stringify(rows('dm')[2]?.body)).not.toContain('Olga');
    expect(store.report(1)).toMatchObject({
      status: 'declined',
      ownerPersonId: idOf(coe),
      rootCause: 'Power saving.',
      declineReason: 'Scanners are replaced in May.',
      plusOnes: 1, // FR-2 merged in
      version: 5,
    });
    expect(store.events.filter((e) => e.subject === 'FR-1').map((e) => [e.action, e.from, e.to, e.reason])).toEqual([
      ['friction.submitted', undefined, 'new', undefined],
      ['friction.triaged', 'new', 'triaged', undefined],
      ['friction.analysing', 'triaged', 'analysing', undefined],
      ['friction.declined', 'analysing', 'declined', 'Scanners are replaced in May.'],
      ['friction.merged-in', undefined, undefined, undefined],
    ]);
  });

  it('do not message the CoE member about their own decision on their own report', async () => {
    await submit(coe);
    await decide(coe, 'triage', 1);
    await decide(coe, 'decline', 1, { lane: 'other', reason: 'Mine, withdrawn.' });
    expect(rows('dm')).toEqual([]);
  });

  it('tell nobody again when the root cause is revised without a status change', async () => {
    await submit(worker);
    await decide(coe, 'triage', 1);
    await decide(coe, 'rootCause', 1, { rootCause: 'First guess.' });
    const told = rows('dm').length;
    await decide(coe, 'rootCause', 1, { rootCause: 'Firmware bug.' });
    expect(rows('dm')).toHaveLength(told);
    expect(store.report(1)).toMatchObject({ status: 'analysing', rootCause: 'Firmware bug.', version: 4 });
    expect(keysOf('channel')).toContain('FR-1:review:slack:reply:4');
  });

  it('reply in the review thread and update the review message, each under a new key', async () => {
    await submit(worker);
    await decide(coe, 'triage', 1);
    const threadOf = (platform: string) => ({
      kind: 'channel',
      channelId: platform === 'slack' ? SLACK_REVIEW : TEAMS_REVIEW,
      threadOf: `FR-1:review:${platform}`,
    });
    expect(store.outbox.slice(2).map((r) => [r.key, r.target, r.body.text])).toEqual([
      ['FR-1:review:slack:v2', { kind: 'update', of: 'FR-1:review:slack' }, expect.stringMatching(/^FR-1 triaged: /)],
      ['FR-1:review:teams:v2', { kind: 'update', of: 'FR-1:review:teams' }, expect.stringMatching(/^FR-1 triaged: /)],
      ['FR-1:review:slack:reply:2', threadOf('slack'), 'Olga Owner triaged it and took ownership.'],
      ['FR-1:review:teams:reply:2', threadOf('teams'), 'Olga Owner triaged it and took ownership.'],
      ['FR-1:v2:dm:2', { kind: 'dm', externalId: worker.externalId }, expect.any(String)],
    ]);
    const updated = store.outbox[2]?.body as Message;
    expect(actionsOf(updated).map((a) => a.id)).toEqual([
      FRICTION_ACTIONS.rootCause,
      FRICTION_ACTIONS.duplicate,
      FRICTION_ACTIONS.decline,
    ]);
    expect(JSON.stringify(updated)).toContain('"label":"Owner","value":"Olga Owner"');

    await decide(coe, 'rootCause', 1, { rootCause: 'Power saving.' });
    expect(keysOf()).toEqual(expect.arrayContaining(['FR-1:review:slack:v3', 'FR-1:review:slack:reply:3']));
    // Only the newest content of the review message is still waiting to be sent.
    expect(store.outbox.find((r) => r.key === 'FR-1:review:slack:v2')?.status).toBe('superseded');
  });

  it('answer a repeated interaction with "Already done." and change nothing more', async () => {
    await submit(worker);
    const req = request(coe, 'click-1');
    expect((await friction.decide(req, 'triage', 1)).text).toBe('You own FR-1 now.');
    const before = state();
    expect((await friction.decide(req, 'triage', 1)).text).toBe('Already done.');
    expect(state()).toBe(before);
  });

  it('are refused to a worker, and nothing changes', async () => {
    await submit(worker);
    await submit(worker, { title: 'Another' });
    const before = state();
    for (const [decision, input] of [
      ['triage', {}],
      ['rootCause', { rootCause: 'x' }],
      ['duplicate', { duplicateOf: 'FR-1' }],
      ['decline', { lane: 'other', reason: 'x' }],
    ] as const) {
      const req = request(worker);
      const error = await expectCoeError(friction.decide(req, decision, 2, input), 'PERMISSION.DENIED');
      expect(error.userMessage).toBe(
        'Only CoE members can triage, merge, decline or record root causes. Nothing was changed.',
      );
      expect(store.processed(req.key)).toBe(false);
    }
    expect(state()).toBe(before);
  });

  it('are refused to someone the bot does not know, without creating them', async () => {
    await submit(worker);
    const before = state();
    await expectCoeError(decide(third, 'triage', 1), 'PERMISSION.DENIED');
    expect(state()).toBe(before);
    expect(idOf(third)).toBeUndefined();
  });

  it('say which report does not exist', async () => {
    const error = await expectCoeError(decide(coe, 'triage', 99), 'NOT_FOUND');
    expect(error.userMessage).toBe('There is no FR-99.');
  });

  it.each([
    ['triage', 'triaged', {}],
    ['rootCause', 'new', { rootCause: 'x' }],
    ['decline', 'declined', { lane: 'other', reason: 'x' }],
    ['duplicate', 'duplicate', { duplicateOf: 'FR-3' }],
  ] as const)('refuse %s on a report that is %s, saying why', async (decision, status, input) => {
    await submit(worker);
    await submit(worker, { title: 'Second' });
    await submit(worker, { title: 'Third' });
    if (status === 'triaged') await decide(coe, 'triage', 1);
    if (status === 'declined') await decide(coe, 'decline', 1, { lane: 'other', reason: 'No.' });
    if (status === 'duplicate') await decide(coe, 'duplicate', 1, { duplicateOf: 'FR-2' });
    const before = state();
    const error = await expectCoeError(decide(coe, decision, 1, input), 'INPUT.INVALID');
    expect(error.userMessage).toBe(`FR-1 is ${status} now, so that no longer applies.`);
    expect(state()).toBe(before);
  });

  it('refuse a form that fails its checks, with the same words, and change nothing', async () => {
    await submit(worker);
    const before = state();
    const error = await expectCoeError(decide(coe, 'decline', 1, { lane: 'other', reason: '   ' }), 'INPUT.INVALID');
    expect(error.userMessage).toBe('Please say why, so the reporter understands the decision.');
    const self = await expectCoeError(decide(coe, 'duplicate', 1, { duplicateOf: 'fr-1' }), 'INPUT.INVALID');
    expect(self.userMessage).toBe('A report cannot duplicate itself.');
    expect(state()).toBe(before);
  });
});

describe('CoE decisions without a review message', () => {
  it('queue no thread or update where the report was never posted, and still tell the reporter', async () => {
    await reviewChannels('teams');
    await submit(worker); // posted on Teams only
    await reviewChannels('slack'); // the Slack channel comes later
    await decide(coe, 'triage', 1);
    expect(keysOf()).toEqual([
      'FR-1:review:teams',
      'FR-1:review:teams:v2',
      'FR-1:review:teams:reply:2',
      'FR-1:v2:dm:2',
    ]);
  });

  it('queue nothing but the DM when there was never a review channel', async () => {
    await submit(worker);
    await decide(coe, 'triage', 1);
    expect(keysOf()).toEqual(['FR-1:v2:dm:2']);
  });
});

describe('ensureMayDecide', () => {
  it('lets a CoE member open a decision form', async () => {
    await expect(friction.ensureMayDecide(coe)).resolves.toBeUndefined();
  });

  it.each([
    ['a worker', worker],
    ['a stranger', third],
  ])('refuses %s before any form opens, creating nobody', async (_name, actor) => {
    if (actor === worker) await store.transaction((repos) => repos.people.identify(worker));
    const before = state();
    await expectCoeError(friction.ensureMayDecide(actor), 'PERMISSION.DENIED');
    expect(state()).toBe(before);
  });

  it('refuses a manager and an executive too', async () => {
    await admin.handle(request(coe), { kind: 'grantRole', person: worker, layer: 'manager' });
    await admin.handle(request(coe), { kind: 'grantRole', person: third, layer: 'executive' });
    await expectCoeError(friction.ensureMayDecide(worker), 'PERMISSION.DENIED');
    await expectCoeError(friction.ensureMayDecide(third), 'PERMISSION.DENIED');
  });
});

describe('checkDecisionInput', () => {
  beforeEach(async () => {
    await submit(worker); // FR-1
    await submit(worker, { title: 'Second' }); // FR-2
    await submit(worker, { title: 'Third' }); // FR-3
    await decide(coe, 'duplicate', 2, { duplicateOf: 'FR-1' });
  });

  it.each([
    [{ lane: 'other' }, 'Please say why, so the reporter understands the decision.'],
    [{ lane: 'other', reason: ' \n ' }, 'Please say why, so the reporter understands the decision.'],
    [{ lane: 'other', reason: 'r'.repeat(1001) }, 'Keep the note under 1000 characters.'],
  ])('asks a decline for "something else" for a reason (%j)', async (input, problem) => {
    expect(await friction.checkDecisionInput('decline', 3, input)).toEqual({ reason: problem });
  });

  it('asks a decline for its lane', async () => {
    expect(await friction.checkDecisionInput('decline', 3, {})).toEqual({
      lane: 'Please choose where this report belongs.',
    });
  });

  it.each([
    [{}, 'Please describe the root cause.'],
    [{ rootCause: '  ' }, 'Please describe the root cause.'],
    [{ rootCause: 'r'.repeat(2001) }, 'Keep it under 2000 characters.'],
  ])('asks for the root cause (%j)', async (input, problem) => {
    expect(await friction.checkDecisionInput('rootCause', 3, input)).toEqual({ rootCause: problem });
  });

  it.each([
    [undefined, 'Give the id of the report it duplicates, like FR-4.'],
    ['', 'Give the id of the report it duplicates, like FR-4.'],
    ['the scanner one', 'Give the id of the report it duplicates, like FR-4.'],
    ['FR-3', 'A report cannot duplicate itself.'],
    ['FR-99', 'There is no FR-99.'],
    ['FR-2', 'FR-2 is itself a duplicate of FR-1; use that one.'],
  ])('checks the report a duplicate points at (%j)', async (duplicateOf, problem) => {
    expect(await friction.checkDecisionInput('duplicate', 3, { duplicateOf })).toEqual({ duplicateOf: problem });
  });

  it('accepts complete forms at their limits', async () => {
    expect(await friction.checkDecisionInput('decline', 3, { lane: 'other', reason: ` ${'r'.repeat(1000)} ` })).toEqual(
      {},
    );
    expect(await friction.checkDecisionInput('rootCause', 3, { rootCause: 'r'.repeat(2000) })).toEqual({});
    expect(await friction.checkDecisionInput('duplicate', 3, { duplicateOf: ' fr-1 ' })).toEqual({});
    expect(await friction.checkDecisionInput('duplicate', 3, { duplicateOf: '1' })).toEqual({});
    expect(await friction.checkDecisionInput('triage', 3, {})).toEqual({});
  });
});

describe('merging a duplicate', () => {
  beforeEach(() => reviewChannels('slack'));

  it('rolls its +1s, reporter and supporters up into the report it duplicates, and updates both', async () => {
    await submit(worker, { title: 'Scanner dies' }); // FR-1
    await submit(teamsWorker, { title: 'Scanner off again', tool: 'Scanner' }); // FR-2
    await submit(third, { title: 'Scanner turns off', tool: 'Scanner' }); // FR-3
    await decide(coe, 'duplicate', 3, { duplicateOf: 'FR-2' }); // FR-2: +1, Theo supports it
    expect(store.report(2)).toMatchObject({ plusOnes: 1 });
    expect(store.supportersOf(2)).toEqual([idOf(third)]);

    await decide(coe, 'duplicate', 2, { duplicateOf: 'FR-1' });
    expect(store.report(2)).toMatchObject({ status: 'duplicate', duplicateOf: 1 });
    expect(store.report(1)).toMatchObject({ status: 'new', plusOnes: 2 }); // FR-2 itself and its +1
    expect(store.supportersOf(1)).toEqual([idOf(teamsWorker), idOf(third)]);
    const updates = rows('update').map((r) => [r.key, r.body.text]);
    expect(updates.slice(-2)).toEqual([
      ['FR-2:review:slack:v3', 'FR-2 duplicate: Scanner off again (Scanner)'],
      ['FR-1:review:slack:v2', 'FR-1 new: Scanner dies (Inventory scanner)'],
    ]);
    const fr1 = rows('update').find((r) => r.key === 'FR-1:review:slack:v2')?.body;
    expect(JSON.stringify(fr1)).toContain('{"label":"+1","value":"2"}');
    expect(actionsOf(rows('update').find((r) => r.key === 'FR-2:review:slack:v3')?.body as Message)).toEqual([]);
    expect(store.events.at(-1)).toMatchObject({
      actorPersonId: idOf(coe),
      subject: 'FR-1',
      action: 'friction.merged-in',
      data: { from: 2, plusOnes: 2 },
    });

    // The people folded in hear about the report they now support.
    const before = rows('dm').length;
    await decide(coe, 'triage', 1);
    expect(
      rows('dm')
        .slice(before)
        .map((r) => r.target),
    ).toEqual([
      { kind: 'dm', externalId: worker.externalId },
      { kind: 'dm', externalId: teamsWorker.externalId },
      { kind: 'dm', externalId: third.externalId },
    ]);
    expect(rows('dm').at(-2)?.platform).toBe('teams');
  });

  it('counts a supporter once, however often they roll up', async () => {
    await submit(worker); // FR-1
    await submit(teamsWorker); // FR-2
    await submit(teamsWorker); // FR-3
    await decide(coe, 'duplicate', 2, { duplicateOf: 'FR-1' });
    await decide(coe, 'duplicate', 3, { duplicateOf: 'FR-1' });
    expect(store.report(1)?.plusOnes).toBe(2);
    expect(store.supportersOf(1)).toEqual([idOf(teamsWorker)]);
  });

  it('adds the +1 of an anonymous report, but nobody as a supporter', async () => {
    await submit(worker);
    await submit(secret, { anonymous: true });
    await decide(coe, 'duplicate', 2, { duplicateOf: '1' });
    expect(store.report(1)?.plusOnes).toBe(1);
    expect(store.supportersOf(1)).toEqual([]);
    expect(state()).not.toContain(secret.externalId);
  });
});

describe('"+1 this one instead"', () => {
  beforeEach(() => reviewChannels('slack'));

  /** FR-1 by Wanda; FR-2 by Tim, whose confirmation offers FR-1. */
  async function offered(over: Record<string, unknown> = {}): Promise<string> {
    await submit(worker);
    const result = await friction.submit(request(teamsWorker), form({ title: 'Scanner keeps switching off', ...over }));
    const [offer] = actionsOf(confirmationOf(result));
    expect(offer).toMatchObject({ id: FRICTION_ACTIONS.plusOneInstead, label: '+1 FR-1 instead' });
    return (offer as MessageAction).value;
  }

  it('folds the new report into the similar one', async () => {
    const value = await offered();
    const reply = await friction.plusOneInstead(request(teamsWorker), value);
    expect(reply.text).toBe('Thanks: your +1 is on FR-1, and your report was folded into it.');
    expect(store.report(2)).toMatchObject({ status: 'duplicate', duplicateOf: 1 });
    expect(store.report(1)).toMatchObject({ status: 'new', plusOnes: 1 });
    expect(store.supportersOf(1)).toEqual([idOf(teamsWorker)]);
    expect(keysOf('update')).toEqual(['FR-2:review:slack:v2', 'FR-1:review:slack:v2']);
    expect(store.events.filter((e) => e.subject === 'FR-2').at(-1)).toMatchObject({
      actorPersonId: null,
      action: 'friction.duplicate',
      from: 'new',
      to: 'duplicate',
    });
  });

  it('works for an anonymous report, leaving no trace of its reporter', async () => {
    const value = await offered({ anonymous: true });
    await friction.plusOneInstead(request(teamsWorker), value);
    expect(store.report(1)).toMatchObject({ plusOnes: 1 });
    expect(store.supportersOf(1)).toEqual([]);
    expect(idOf(teamsWorker)).toBeUndefined();
    expect(state()).not.toContain(teamsWorker.externalId);
  });

  it('answers a repeated click with "Already done." and a second one calmly, changing nothing', async () => {
    const value = await offered();
    const req = request(teamsWorker);
    await friction.plusOneInstead(req, value);
    const before = state();
    expect((await friction.plusOneInstead(req, value)).text).toBe('Already done.');
    expect((await friction.plusOneInstead(request(teamsWorker), value)).text).toMatch(/^Thanks: your \+1 is on FR-1/);
    expect(store.report(1)?.plusOnes).toBe(1);
    expect(store.outbox).toHaveLength(JSON.parse(before).outbox.length);
  });

  it.each([
    ['a wrong token', (v: string) => v.replace(/:[^:]+$/, ':someone-elses-token')],
    ['a made-up value', () => 'not-a-value'],
    ['an unknown report', (v: string) => v.replace(/^2:1:/, '2:42:')],
    ['the report itself', (v: string) => v.replace(/^2:1:/, '2:2:')],
  ])('refuses %s and changes nothing', async (_name, tamper) => {
    const value = tamper(await offered());
    const before = state();
    const req = request(teamsWorker);
    const error = await expectCoeError(friction.plusOneInstead(req, value), 'INPUT.INVALID');
    expect(error.userMessage).toBe('That button is out of date. Your report was kept as it was.');
    expect(state()).toBe(before);
    expect(store.processed(req.key)).toBe(false);
  });

  it('refuses once the CoE has taken up the new report', async () => {
    const value = await offered();
    await decide(coe, 'triage', 2);
    const before = state();
    const error = await expectCoeError(friction.plusOneInstead(request(teamsWorker), value), 'INPUT.INVALID');
    expect(error.userMessage).toBe('FR-2 is already being handled by the CoE, so it stays as it is.');
    expect(state()).toBe(before);
  });

  it('refuses when the similar report is no longer open', async () => {
    const value = await offered();
    await decide(coe, 'decline', 1, { lane: 'other', reason: 'Replaced soon.' });
    const error = await expectCoeError(friction.plusOneInstead(request(teamsWorker), value), 'INPUT.INVALID');
    expect(error.userMessage).toBe('FR-1 is declined now; your report stays open.');
    expect(store.report(2)?.status).toBe('new');
  });
});

describe('similar reports offered at submit time', () => {
  it('offers up to three older open reports that look alike, newest first', async () => {
    await submit(worker, { title: 'Scanner dies' }); // 1
    await submit(worker, { title: 'Scanner off' }); // 2
    await submit(worker, { title: 'Scanner battery' }); // 3, declined below
    await submit(worker, { title: 'Labels jam', tool: 'Label printer' }); // 4: another tool, another title
    await submit(worker, { title: 'Slow scanner', tool: 'Inventory-Scanner' }); // 5
    await submit(worker, { title: 'Scanner dies after 30 minutes', tool: 'Handheld' }); // 6: same title, other tool
    await decide(coe, 'decline', 3, { lane: 'other', reason: 'Known.' });
    const result = await friction.submit(request(third), form());
    const offers = actionsOf(confirmationOf(result)).map((a) => parsePlusOneValue(a.value));
    expect(offers.map((o) => o?.to)).toEqual([6, 5, 2]);
    expect(offers.every((o) => o?.from === 7 && o.token === store.report(7)?.claimToken)).toBe(true);
  });

  it('offers nothing on a repeated submission of a report that was already folded in', async () => {
    await submit(worker);
    const first = await friction.submit(request(third, 'view-9'), form());
    const [offer] = actionsOf(confirmationOf(first));
    await friction.plusOneInstead(request(third), (offer as MessageAction).value);
    const again = await friction.submit(request(third, 'view-9'), form());
    expect(actionsOf(confirmationOf(again))).toEqual([]);
  });
});

describe('recurring patterns', () => {
  beforeEach(() => reviewChannels('slack', 'teams'));
  const alerts = () => rows('channel').filter((r) => r.key.startsWith('pattern:'));

  it('raise one alert per review channel on the third report about one tool, however it is spelled', async () => {
    await submit(worker, { tool: 'Inventory scanner' });
    clock.advance(DAY);
    await submit(teamsWorker, { tool: 'inventory-SCANNER', title: 'Battery' });
    expect(alerts()).toEqual([]);
    await submit(third, { tool: '  INVENTORY   Scanner ', title: 'Dead again' });
    expect(alerts().map((r) => [r.key, r.target])).toEqual([
      ['pattern:inventory scanner:3:slack', { kind: 'channel', channelId: SLACK_REVIEW }],
      ['pattern:inventory scanner:3:teams', { kind: 'channel', channelId: TEAMS_REVIEW }],
    ]);
    expect(alerts()[0]?.body.text).toBe(
      'Recurring pattern: 3 reports about "INVENTORY   Scanner" in 14 days (FR-1, FR-2, FR-3).',
    );
    expect(store.patterns).toEqual([
      expect.objectContaining({ toolKey: 'inventory scanner', tool: 'INVENTORY   Scanner', reports: [1, 2, 3] }),
    ]);
  });

  it('raise no second alert for a fourth report within the window', async () => {
    for (let i = 0; i < 4; i++) await submit(worker, { title: `Report ${i}` });
    expect(alerts()).toHaveLength(2);
    expect(store.patterns).toHaveLength(1);
  });

  it('count only reports within the window', async () => {
    await submit(worker); // FR-1, day 0
    clock.advance(14 * DAY + 1);
    await submit(worker); // FR-2
    await submit(worker); // FR-3: FR-1 is too old to count
    expect(alerts()).toEqual([]);
    clock.advance(DAY);
    await submit(worker); // FR-4
    expect(store.patterns).toEqual([expect.objectContaining({ reports: [2, 3, 4] })]);
  });

  it('alert again for a new cluster once the last alert is out of the window', async () => {
    for (let i = 0; i < 3; i++) await submit(worker);
    clock.advance(15 * DAY);
    await submit(worker);
    await submit(worker);
    expect(store.patterns).toHaveLength(1);
    await submit(worker);
    expect(store.patterns.map((p) => p.reports)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('do not mix tools', async () => {
    await submit(worker, { tool: 'Inventory scanner' });
    await submit(worker, { tool: 'Label printer' });
    await submit(worker, { tool: 'Inventory scanners' });
    expect(alerts()).toEqual([]);
    expect(store.patterns).toEqual([]);
  });
});

describe('looking reports up', () => {
  beforeEach(() => reviewChannels('slack'));

  it('tells anyone where a report stands, without naming its reporter', async () => {
    await submit(worker);
    await decide(coe, 'triage', 1);
    const before = store.people.length;
    const reply = await friction.status(' fr-1 ');
    expect(reply.text).toBe('FR-1 is triaged: Scanner dies after 30 minutes');
    expect(JSON.stringify(reply)).not.toContain('Wanda');
    expect(store.people).toHaveLength(before);
  });

  it('says when there is no such report, or no id', async () => {
    expect((await expectCoeError(friction.status('FR-42'), 'NOT_FOUND')).userMessage).toBe('There is no FR-42.');
    expect((await expectCoeError(friction.status('CR-7'), 'INPUT.INVALID')).userMessage).toBe(
      'Give a report id, like {{coe status FR-12}}.',
    );
  });

  it("lists a person's own open reports, newest first, and nobody else's", async () => {
    await submit(worker, { title: 'Mine one' });
    await submit(teamsWorker, { title: 'Not mine' });
    await submit(worker, { title: 'Mine anonymously', anonymous: true });
    await submit(worker, { title: 'Mine two' });
    const reply = await friction.myReports(worker);
    expect(reply.blocks[1]).toEqual({
      type: 'facts',
      facts: [
        { label: 'FR-4 · New', value: 'Mine two' },
        { label: 'FR-1 · New', value: 'Mine one' },
      ],
    });
  });

  it('lists nothing for someone unknown, without creating them', async () => {
    const reply = await friction.myReports(third);
    expect(reply.text).toMatch(/^My reports: You have not reported anything yet/);
    expect(idOf(third)).toBeUndefined();
  });
});

describe('the triage queue', () => {
  it('is for CoE members only', async () => {
    await store.transaction((repos) => repos.people.identify(worker));
    for (const actor of [worker, third]) {
      const error = await expectCoeError(friction.triageQueue(actor), 'PERMISSION.DENIED');
      expect(error.userMessage).toBe('Only CoE members see the triage queue.');
    }
    expect(idOf(third)).toBeUndefined();
    expect(await friction.isCoe(worker)).toBe(false);
    expect(await friction.isCoe(coe)).toBe(true);
  });

  it('lists open reports oldest first, at most 20', async () => {
    for (let i = 1; i <= 23; i++) await submit(worker, { title: `Report ${i}`, tool: `Tool ${i}` });
    await decide(coe, 'decline', 2, { lane: 'other', reason: 'No.' });
    await decide(coe, 'duplicate', 3, { duplicateOf: 'FR-1' });
    await decide(coe, 'triage', 4);
    const reply = await friction.triageQueue(coe);
    const facts = reply.blocks[1]?.type === 'facts' ? reply.blocks[1].facts : [];
    expect(facts.map((f) => f.label)).toEqual([
      'FR-1 · New',
      'FR-4 · Triaged',
      ...Array.from({ length: 18 }, (_, i) => `FR-${i + 5} · New`),
    ]);
    expect(facts[0]?.value).toBe('Report 1 (+1)');
  });

  it('says when nothing is waiting', async () => {
    expect((await friction.triageQueue(coe)).text).toBe('Triage queue: Nothing waiting. Well done.');
  });
});

describe('CoeCommands', () => {
  it('sends status, my reports and the queue to the friction service, everything else to admin', async () => {
    // The other services as the composition root builds them; the two spied on are this test's.
    const commands = new CoeCommands({ ...buildServices(store, clock), admin, friction });
    await submit(worker);
    const spies = {
      status: vi.spyOn(friction, 'status'),
      myReports: vi.spyOn(friction, 'myReports'),
      triageQueue: vi.spyOn(friction, 'triageQueue'),
      admin: vi.spyOn(admin, 'handle'),
    };
    const req = request(coe);
    expect((await commands.handle(req, { kind: 'status', id: 'FR-1' })).text).toBe(
      'FR-1 is new: Scanner dies after 30 minutes',
    );
    expect(spies.status).toHaveBeenCalledWith('FR-1');
    expect((await commands.handle(req, { kind: 'myReports' })).text).toMatch(/^My reports: /);
    expect(spies.myReports).toHaveBeenCalledWith(coe);
    expect((await commands.handle(req, { kind: 'triageQueue' })).text).toBe('Triage queue: 1');
    expect(spies.triageQueue).toHaveBeenCalledWith(coe);
    expect(spies.admin).not.toHaveBeenCalled();

    expect((await commands.handle(req, { kind: 'teamList' })).text).toBe(
      'No teams yet. CoE members add them with {{coe team add <name>}}.',
    );
    expect((await commands.handle(req, { kind: 'help' })).text).toMatch(/^I help your Center of Excellence/);
    expect(spies.admin.mock.calls.map(([, command]) => command.kind)).toEqual(['teamList', 'help']);
    expect(spies.status).toHaveBeenCalledTimes(1);
  });
});

describe('teams (admin)', () => {
  it('are added by CoE members, unique whatever their case, and listed by name', async () => {
    expect((await admin.handle(request(coe), { kind: 'teamAdd', name: 'Warehouse' })).text).toBe(
      'Done: team "Warehouse" added.',
    );
    expect((await admin.handle(request(coe), { kind: 'teamAdd', name: 'WAREHOUSE' })).text).toBe(
      'There is already a team called "WAREHOUSE".',
    );
    await admin.handle(request(coe), { kind: 'teamAdd', name: 'Night shift' });
    expect(store.teams).toEqual(['Warehouse', 'Night shift']);
    expect(store.events.filter((e) => e.action === 'team.added')).toEqual([
      expect.objectContaining({ actorPersonId: idOf(coe), subject: 'team:Warehouse' }),
      expect.objectContaining({ actorPersonId: idOf(coe), subject: 'team:Night shift' }),
    ]);
    const list = await admin.handle(request(worker), { kind: 'teamList' });
    expect(list.text).toBe('Teams: Night shift, Warehouse');
    expect(list.blocks).toContainEqual({
      type: 'facts',
      facts: [
        { label: 'Night shift', value: '0 members, 0 managers, 0 channels' },
        { label: 'Warehouse', value: '0 members, 0 managers, 0 channels' },
      ],
    });
  });

  it('are refused to a worker, and nothing changes', async () => {
    const before = state();
    const req = request(worker);
    const error = await expectCoeError(admin.handle(req, { kind: 'teamAdd', name: 'Warehouse' }), 'PERMISSION.DENIED');
    expect(error.userMessage).toMatch(/^Only CoE members can do that/);
    expect(state()).toBe(before);
    expect(store.processed(req.key)).toBe(false);
  });

  it('answer a repeated request with "Already done."', async () => {
    const req = request(coe);
    await admin.handle(req, { kind: 'teamAdd', name: 'Warehouse' });
    expect((await admin.handle(req, { kind: 'teamAdd', name: 'Warehouse' })).text).toBe('Already done.');
    expect(store.teams).toEqual(['Warehouse']);
  });

  it('make the team field of the form a choice', async () => {
    await admin.handle(request(coe), { kind: 'teamAdd', name: 'Warehouse' });
    const result = await friction.submit(request(worker), form({ team: 'Office' }));
    expect(result).toMatchObject({ ok: false, errors: { team: expect.stringContaining('Pick one of: Warehouse') } });
  });
});
