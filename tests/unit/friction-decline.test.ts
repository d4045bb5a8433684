/**
 * Declining a friction report by lane (issue 12, item 6; seed §3 "the CoE stays in its lane"): the form's checks, what
 * is stored, what the review thread and message show, what the reporter is told, and who else hears of it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CoeError } from '../../src/domain/errors.ts';
import { checkDecline, DECLINE_CHOICES, DECLINE_LANES } from '../../src/domain/friction-decline.ts';
import type { Message } from '../../src/domain/message.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import type { DecisionInput } from '../../src/services/friction.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

const SLACK_REVIEW = 'C0REVIEW';

const coe: PersonRef = { platform: 'slack', externalId: 'U0OLGA', displayName: 'Olga Owner' };
const worker: PersonRef = { platform: 'slack', externalId: 'U0WANDA', displayName: 'Wanda Worker' };
const supporter: PersonRef = { platform: 'teams', externalId: 'aad-tim', displayName: 'Tim Teams' };
const executive: PersonRef = { platform: 'slack', externalId: 'U0EVE', displayName: 'Eve Executive' };
/** Distinctive, so that finding it anywhere means it leaked. */
const secret: PersonRef = { platform: 'slack', externalId: 'U0SECRETSAM', displayName: 'Secret Sam' };

const DESCRIPTION = 'Bob keeps taking the good scanner and shouting at the night shift.';

let store: MemoryStore;
let services: ReturnType<typeof buildServices>;
let keys = 0;

const request = (actor: PersonRef, key = `interaction-${++keys}`) => ({ actor, key });

beforeEach(async () => {
  const clock = new ManualClock('2025-03-03T09:00:00.000Z');
  store = new MemoryStore(clock);
  services = buildServices(store, clock);
  await services.admin.bootstrapCoeMembers([coe]);
  await store.transaction((repos) => repos.reviewChannels.set('slack', SLACK_REVIEW));
});

async function report(actor: PersonRef, over: Record<string, unknown> = {}): Promise<number> {
  const result = await services.friction.submit(request(actor), {
    kind: 'cross_team',
    title: 'Night shift scanner trouble',
    description: DESCRIPTION,
    tool: 'Inventory scanner',
    team: 'Warehouse',
    frequency: 'daily',
    impact: 'high',
    ...over,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.number;
}

const decline = (number: number, input: DecisionInput, actor = coe, key?: string) =>
  services.friction.decide(request(actor, key), 'decline', number, input);

async function registerStandard(key: string) {
  await store.transaction((repos) =>
    repos.sops.create({ key, title: 'Inventory scanning', ownerPersonId: null, baseline: true }),
  );
}

const idOf = (ref: PersonRef) => store.personByIdentity(ref.platform, ref.externalId)?.id;
const rowsKeyed = (pattern: RegExp) => store.outbox.filter((r) => pattern.test(r.key));
const bodyOf = (key: string): Message => {
  const row = store.outbox.find((r) => r.key === key);
  if (!row) throw new Error(`no outbox row ${key}: ${store.outbox.map((r) => r.key)}`);
  return row.body;
};
const words = (x: unknown) => JSON.stringify(x);

async function expectCoeError(promise: Promise<unknown>, code: CoeError['code']): Promise<CoeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CoeError);
  expect((error as CoeError).code).toBe(code);
  return error as CoeError;
}

describe('the decline form', () => {
  it('offers the five lanes, each fitting a Slack option (75 characters)', () => {
    expect(DECLINE_LANES).toEqual(['manager_call', 'executive_call', 'people_matter', 'covered_by_standard', 'other']);
    for (const lane of DECLINE_LANES) {
      expect(DECLINE_CHOICES[lane].label.length).toBeLessThanOrEqual(75);
      expect(DECLINE_CHOICES[lane].description.length).toBeLessThanOrEqual(75);
    }
  });

  it.each([
    [{}, { lane: 'Please choose where this report belongs.' }],
    [{ lane: 'somewhere', reason: 'x' }, { lane: 'Please choose where this report belongs.' }],
    [{ lane: 'other' }, { reason: 'Please say why, so the reporter understands the decision.' }],
    [{ lane: 'other', reason: ' \n ' }, { reason: 'Please say why, so the reporter understands the decision.' }],
    [{ lane: 'manager_call', reason: 'r'.repeat(1001) }, { reason: 'Keep the note under 1000 characters.' }],
    [
      { lane: 'covered_by_standard', standard: '!!!' },
      { standard: "Give the standard's key, like inventory-scanning." },
    ],
    [
      { lane: 'manager_call', standard: 'inventory-scanning' },
      { standard: 'A standard goes with "Already covered by a standard": choose that, or leave this empty.' },
    ],
  ])('says what to fix in %j', (input, errors) => {
    expect(checkDecline(input)).toEqual({ ok: false, errors });
  });

  it.each([
    [{ lane: 'manager_call' }, { lane: 'manager_call', note: null, standard: null }],
    [
      { lane: 'people_matter', reason: '  Talk to HR.  ' },
      { lane: 'people_matter', note: 'Talk to HR.', standard: null },
    ],
    [
      { lane: 'covered_by_standard', standard: ' SOP-Inventory Scanning ' },
      { lane: 'covered_by_standard', note: null, standard: 'inventory-scanning' },
    ],
    [
      { lane: 'other', reason: 'r'.repeat(1000) },
      { lane: 'other', note: 'r'.repeat(1000), standard: null },
    ],
  ])('takes %j', (input, value) => {
    expect(checkDecline(input)).toEqual({ ok: true, value });
  });

  it('takes only a registered standard, so the reporter can look it up', async () => {
    const number = await report(worker);
    expect(
      await services.friction.checkDecisionInput('decline', number, {
        lane: 'covered_by_standard',
        standard: 'inventory-scanning',
      }),
    ).toEqual({ standard: 'There is no standard SOP-inventory-scanning. Check its key, or leave this empty.' });
    await registerStandard('inventory-scanning');
    expect(
      await services.friction.checkDecisionInput('decline', number, {
        lane: 'covered_by_standard',
        standard: 'SOP-inventory-scanning',
      }),
    ).toEqual({});
  });
});

describe('declining by lane', () => {
  it('stores the lane and note; thread and message say the lane; the reporter hears where to go, not who decided', async () => {
    const number = await report(worker);
    const answer = await decline(number, { lane: 'manager_call', reason: 'Night-shift scanner rota is set per team.' });
    expect(answer.text).toBe('FR-1 declined.');
    expect(store.report(number)).toMatchObject({
      status: 'declined',
      declineLane: 'manager_call',
      declineReason: 'Night-shift scanner rota is set per team.',
      declineStandard: null,
    });
    expect(store.events.at(-1)).toMatchObject({
      subject: 'FR-1',
      action: 'friction.declined',
      from: 'new',
      to: 'declined',
      reason: 'Night-shift scanner rota is set per team.',
      data: { lane: 'manager_call' },
    });

    expect(bodyOf('FR-1:review:slack:reply:2').text).toBe(
      "Olga Owner declined it: a manager's call (assigning or sequencing work). Note to the reporter: Night-shift scanner rota is set per team.",
    );
    const review = bodyOf('FR-1:review:slack:v2');
    expect(review.text).toMatch(/^FR-1 declined: /);
    expect(review.blocks).toContainEqual({
      type: 'paragraph',
      text: "**Declined:** a manager's call (assigning or sequencing work).",
    });
    expect(review.blocks.some((b) => b.type === 'actions')).toBe(false);

    const dm = bodyOf(`FR-1:v2:dm:${idOf(worker)}`);
    expect(dm.text).toBe(
      `FR-1 "Night shift scanner trouble" is a manager's call rather than the CoE's: please raise it with your manager, who assigns and sequences the work.`,
    );
    expect(words(dm)).toContain('**Note from the CoE:** Night-shift scanner rota is set per team.');
    expect(words(dm)).toContain('{{coe status FR-1}}');
    expect(words(dm)).not.toContain('Olga');
  });

  it('passes a matter of priority, budget or resources on to the executives, and says so', async () => {
    await services.admin.handle(request(coe), { kind: 'grantRole', person: executive, layer: 'executive' });
    const number = await report(secret, { anonymous: true });
    // Someone who said "me too": told like the reporter.
    await store.transaction(async (repos) => {
      const tim = await repos.people.identify(supporter);
      await repos.friction.addSupporter(number, tim.id);
    });
    const answer = await decline(number, { lane: 'executive_call', reason: 'Needs budget for 20 more scanners.' });
    expect(answer.text).toBe('FR-1 declined and passed on to 1 executive.');

    const toExecutive = rowsKeyed(/^FR-1:v2:passed-on:/);
    expect(toExecutive.map((r) => r.target)).toEqual([{ kind: 'dm', externalId: executive.externalId }]);
    const passed = toExecutive[0]?.body as Message;
    expect(passed.text).toBe(
      'The CoE passed FR-1 "Night shift scanner trouble" on to you: it needs a decision on priority, budget or resources.',
    );
    expect(words(passed)).toContain('Needs budget for 20 more scanners.');
    expect(store.events.at(-1)).toMatchObject({
      subject: 'FR-1',
      action: 'friction.passed-on',
      data: { to: 'executives', count: 1 },
    });

    // The anonymous reporter cannot be told; the supporter is, and hears it was passed on.
    const dm = bodyOf(`FR-1:v2:dm:${idOf(supporter)}`);
    expect(dm.text).toBe(
      'FR-1 "Night shift scanner trouble" is for your leadership to decide (priority, budget or resources), so the CoE has passed it on to them.',
    );
    // Nobody is named who reported it, anywhere.
    expect(idOf(secret)).toBeUndefined();
    expect(words(store.outbox)).not.toMatch(/Secret Sam|U0SECRETSAM/);
    expect(words(store.events)).not.toMatch(/Secret Sam|U0SECRETSAM/);
  });

  it('says whom to ask, not "passed on", when the bot knows no executive', async () => {
    const number = await report(worker);
    const answer = await decline(number, { lane: 'executive_call' });
    expect(answer.text).toBe(
      'FR-1 declined. The bot knows no executive to pass it on to, so the reporter was asked to raise it with their leadership.',
    );
    expect(rowsKeyed(/passed-on/)).toEqual([]);
    const dm = bodyOf(`FR-1:v2:dm:${idOf(worker)}`);
    expect(dm.text).toBe(
      'FR-1 "Night shift scanner trouble" is for your leadership to decide (priority, budget or resources): please raise it with them, or ask your manager to take it there.',
    );
    expect(words(dm)).not.toContain('passed it on');
    expect(store.events.some((e) => e.action === 'friction.passed-on')).toBe(false);
  });

  it('keeps a people matter out of the review channel: the title and the lane, nothing more', async () => {
    const number = await report(worker);
    await services.friction.decide(request(coe), 'triage', number);
    const answer = await decline(number, { lane: 'people_matter', reason: 'Please speak to Hana in HR, privately.' });
    expect(answer.text).toBe('FR-1 declined. Its details are kept out of the review channel now.');

    const reply = bodyOf('FR-1:review:slack:reply:3');
    expect(reply.text).toBe(
      'Declined: a people matter (interpersonal or individual performance), which the CoE does not handle.',
    );
    expect(words(reply)).not.toMatch(/Olga|Hana/);

    const review = bodyOf('FR-1:review:slack:v3');
    expect(review.blocks[0]).toEqual({ type: 'heading', text: 'FR-1 · Night shift scanner trouble' });
    for (const hidden of ['Bob keeps', 'Hana', 'Wanda', 'Olga', 'Warehouse', 'Inventory scanner']) {
      expect(words(review)).not.toContain(hidden);
    }
    expect(words(review)).toContain('a people matter');

    // Anyone may look a report up: the same little is shown.
    const status = await services.friction.status('FR-1');
    expect(status.text).toBe('FR-1 is declined: Night shift scanner trouble');
    expect(words(status)).not.toMatch(/Bob keeps|Hana|Warehouse|Olga/);

    // The reporter, privately, hears where to go, and the note.
    const dm = bodyOf(`FR-1:v3:dm:${idOf(worker)}`);
    expect(dm.text).toBe(
      'FR-1 "Night shift scanner trouble" is a people matter, which the CoE does not handle: please talk it over privately with your manager or HR.',
    );
    expect(words(dm)).toContain('Please speak to Hana in HR, privately.');
    expect(words(dm)).not.toContain('Olga');
  });

  it('points to the standard that covers it, or to the list when none is named', async () => {
    await registerStandard('inventory-scanning');
    const first = await report(worker);
    const second = await report(worker, { title: 'Where do broken scanners go?', tool: 'Scanner repair' });
    await decline(first, { lane: 'covered_by_standard', standard: 'SOP-inventory-scanning' });
    await decline(second, { lane: 'covered_by_standard' });
    expect(store.report(first)?.declineStandard).toBe('inventory-scanning');

    expect(bodyOf(`FR-1:v2:dm:${idOf(worker)}`).text).toBe(
      'FR-1 "Night shift scanner trouble" is already covered by the standard SOP-inventory-scanning: {{coe sop show inventory-scanning}} shows how it is done.',
    );
    expect(bodyOf(`FR-2:v2:dm:${idOf(worker)}`).text).toBe(
      `FR-2 "Where do broken scanners go?" is already covered by one of the CoE's standards: {{coe sop list}} lists them, and the CoE can tell you which one applies.`,
    );
    expect(bodyOf('FR-1:review:slack:v2').blocks).toContainEqual({
      type: 'paragraph',
      text: '**Declined:** already covered by SOP-inventory-scanning.',
    });
    expect(bodyOf('FR-1:review:slack:reply:2').text).toBe(
      'Olga Owner declined it: already covered by SOP-inventory-scanning.',
    );
  });

  it('declines for "something else" with the note as the reason', async () => {
    const number = await report(worker);
    await decline(number, { lane: 'other', reason: 'Works as designed: the scanner sleeps to save battery.' });
    const dm = bodyOf(`FR-1:v2:dm:${idOf(worker)}`);
    expect(dm.text).toBe('The CoE will not take FR-1 "Night shift scanner trouble" further, for the reason below.');
    expect(dm.blocks).toContainEqual({
      type: 'paragraph',
      text: '**Note from the CoE:** Works as designed: the scanner sleeps to save battery.',
    });
    expect(words(bodyOf('FR-1:review:slack:v2'))).toContain(
      '**Note:** Works as designed: the scanner sleeps to save battery.',
    );
  });
});

describe('declining keeps the rules of every decision', () => {
  it('is refused to anyone but the CoE, and nothing changes', async () => {
    const number = await report(worker);
    await services.admin.handle(request(coe), { kind: 'grantRole', person: executive, layer: 'executive' });
    const before = words(store.snapshot());
    for (const actor of [worker, executive]) {
      const req = request(actor);
      const error = await expectCoeError(
        services.friction.decide(req, 'decline', number, { lane: 'executive_call' }),
        'PERMISSION.DENIED',
      );
      expect(error.userMessage).toMatch(/^Only CoE members/);
      expect(store.processed(req.key)).toBe(false);
    }
    expect(words(store.snapshot())).toBe(before);
  });

  it('answers a repeat with "Already done." and tells nobody twice', async () => {
    await services.admin.handle(request(coe), { kind: 'grantRole', person: executive, layer: 'executive' });
    const number = await report(worker);
    expect((await decline(number, { lane: 'executive_call' }, coe, 'view-1')).text).toMatch(/passed on/);
    const before = words(store.snapshot());
    expect((await decline(number, { lane: 'executive_call' }, coe, 'view-1')).text).toBe('Already done.');
    expect(words(store.snapshot())).toBe(before);
    expect(rowsKeyed(/passed-on/)).toHaveLength(1);
  });

  it('refuses a form without a lane, or with an unregistered standard, and changes nothing', async () => {
    const number = await report(worker);
    const before = words(store.snapshot());
    const noLane = await expectCoeError(decline(number, { reason: 'Not ours.' }), 'INPUT.INVALID');
    expect(noLane.userMessage).toBe('Please choose where this report belongs.');
    const noSop = await expectCoeError(
      decline(number, { lane: 'covered_by_standard', standard: 'ghost' }),
      'INPUT.INVALID',
    );
    expect(noSop.userMessage).toBe('There is no standard SOP-ghost. Check its key, or leave this empty.');
    expect(words(store.snapshot())).toBe(before);
  });
});
