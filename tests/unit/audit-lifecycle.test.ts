/**
 * The rest of an audit plan's life through the services, on the in-memory store (issue 12): `audit pause`, `resume`,
 * `stop` and `change` — the state each leaves, the refusals that change nothing, the event each records, the notice
 * its owner gets, the scheduler told to follow, and the fires a paused or stopped plan no longer runs.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCoeCommand, USAGE } from '../../src/domain/coe-command.ts';
import type { Message } from '../../src/domain/message.ts';
import type { Layer, PersonRef } from '../../src/domain/people.ts';
import { carl, expectCoeError, mona, olga, wanda } from '../support/cast.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { eve } from '../support/permission-table.ts';
import { buildServices } from '../support/services.ts';

let clock: ManualClock;
let store: MemoryStore;
let services: ReturnType<typeof buildServices>;
let plansChanged: number;
let keys = 0;

const key = () => `interaction-${++keys}`;
const request = (actor: PersonRef, k = key()) => ({ actor, key: k });
const idOf = (ref: PersonRef) => {
  const id = store.personByIdentity(ref.platform, ref.externalId)?.id;
  if (id === undefined) throw new Error(`${ref.externalId} is not known`);
  return id;
};
const coe = (actor: PersonRef, text: string, k = key()): Promise<Message> =>
  services.commands.handle(request(actor, k), parseCoeCommand(text, [], { today: clock.now() }));
const plan = (number = 1) => store.transaction((repos) => repos.audits.plan(number));
const eventsOf = (subject: string) => store.events.filter((e) => e.subject === subject);
const dmsTo = (ref: PersonRef) =>
  store.outbox.filter((r) => r.target.kind === 'dm' && r.target.externalId === ref.externalId);
/** Everything but the interaction keys handled: what a repeat must leave as it was. */
const tables = () => {
  const { tables: t, outbox } = store.snapshot() as { tables: Record<string, unknown>; outbox: unknown };
  const { processed: _processed, ...rest } = t;
  return JSON.stringify({ rest, outbox });
};

const planForm = (over: Record<string, unknown> = {}) => ({
  sop: 'inventory-scanning',
  schedule: '0 9 * * 1',
  checklist: 'Scanners on the charger\nCounts match the system',
  variance: '5',
  ...over,
});

async function setLayer(ref: PersonRef, layer: Layer) {
  await store.transaction(async (repos) => repos.people.setLayer((await repos.people.identify(ref)).id, layer));
}

beforeEach(async () => {
  // Monday 7 December 2026, 10:00 UTC.
  clock = new ManualClock('2026-12-07T10:00:00.000Z');
  store = new MemoryStore(clock);
  plansChanged = 0;
  services = buildServices(store, clock, {
    onAuditPlansChanged: () => plansChanged++,
    nextFire: () => new Date('2026-12-14T09:00:00.000Z'),
  });
  await services.admin.bootstrapCoeMembers([olga, carl]);
  await setLayer(mona, 'manager');
  await setLayer(eve, 'executive');
  await setLayer(wanda, 'worker');
  await coe(olga, 'sop new inventory-scanning Inventory scanning');
  // AUD-1, planned by Olga, owned by Mona (who gets its checklists).
  const planned = await services.audits.plan(request(olga), planForm(), { id: idOf(mona) });
  expect(planned.ok).toBe(true);
  plansChanged = 0;
});

describe('the words', () => {
  it.each([
    ['audit pause AUD-2', { kind: 'auditPause', id: 'AUD-2' }],
    ['Audit RESUME aud-2', { kind: 'auditResume', id: 'aud-2' }],
    ['audit stop 2', { kind: 'auditStop', id: '2' }],
    ['audit change AUD-2', { kind: 'auditChange', id: 'AUD-2' }],
  ] as const)('reads %j', (text, command) => {
    expect(parseCoeCommand(text)).toEqual(command);
  });

  it.each(['audit pause', 'audit resume AUD-1 AUD-2', 'audit stop', 'audit change'])('asks which plan: %j', (text) => {
    expect(parseCoeCommand(text)).toEqual({
      kind: 'invalid',
      problem: 'Which audit plan? Name it, like AUD-2.',
      usage: USAGE.audit,
    });
  });

  it('does not take the words of an object for a command', () => {
    expect(parseCoeCommand('audit constructor AUD-1').kind).toBe('invalid');
    expect(parseCoeCommand('audit __proto__ AUD-1').kind).toBe('invalid');
  });
});

describe('pause and resume', () => {
  it('pauses: no more fires, the owner is told, the event kept, the scheduler follows', async () => {
    expect((await coe(carl, 'audit pause AUD-1')).text).toBe(
      'Paused: AUD-1 (SOP-inventory-scanning v1.0) does not run until it is resumed with {{coe audit resume AUD-1}}.',
    );
    expect(await plan()).toMatchObject({ state: 'paused', runsFrom: null });
    expect(plansChanged).toBe(1);
    expect(await services.audits.schedules()).toEqual([]);
    expect(eventsOf('AUD-1').at(-1)).toMatchObject({
      actorPersonId: idOf(carl),
      action: 'audit.paused',
      from: 'active',
      to: 'paused',
    });
    const [notice] = dmsTo(mona);
    expect(notice?.body.text).toBe(
      'The CoE paused AUD-1, the audit of SOP-inventory-scanning v1.0 you own: no checklist comes until it is resumed.',
    );
    // A fire that still reaches it (another replica not caught up yet) opens no run.
    expect(await services.audits.fire(1, new Date('2026-12-14T09:00:00.000Z'))).toBe('AUD-1 is paused: no run');
    expect(store.auditRuns).toEqual([]);
    // `audit run` is refused too, with the way back.
    await expectCoeError(
      coe(olga, 'audit run AUD-1'),
      'INPUT.INVALID',
      'AUD-1 is paused: resume it with {{coe audit resume AUD-1}} first. Nothing was started.',
    );
    // The list says so.
    const list = await coe(wanda, 'audit list');
    expect(list.text).toBe('Audits: AUD-1 (paused)');
    expect(JSON.stringify(list)).toContain('"label":"AUD-1 · SOP-inventory-scanning v1.0 · paused"');
  });

  it('a second pause says it is paused already and changes nothing; the same interaction again is done already', async () => {
    const k = key();
    await coe(carl, 'audit pause AUD-1', k);
    const before = tables();
    expect((await coe(olga, 'audit pause AUD-1')).text).toBe(
      'AUD-1 is paused already. Resume it with {{coe audit resume AUD-1}}.',
    );
    expect((await coe(carl, 'audit pause AUD-1', k)).text).toBe('Already done.');
    expect(tables()).toBe(before);
    expect(plansChanged).toBe(1);
  });

  it('resumes: it fires again on its schedule, from now on — the fires missed while paused are not caught up', async () => {
    await coe(carl, 'audit pause AUD-1');
    clock.set(new Date('2026-12-16T08:00:00.000Z'));
    expect((await coe(olga, 'audit resume AUD-1')).text).toBe(
      'Resumed: AUD-1 runs again on "0 9 * * 1", 2 items, acceptable variance 5%; the next run is 2026-12-14 09:00 UTC.',
    );
    expect(await plan()).toMatchObject({ state: 'active', runsFrom: clock.now() });
    expect(await services.audits.schedules()).toEqual([{ number: 1, schedule: '0 9 * * 1' }]);
    expect(plansChanged).toBe(2);
    expect(eventsOf('AUD-1').at(-1)).toMatchObject({ action: 'audit.resumed', from: 'paused', to: 'active' });
    expect(dmsTo(mona).at(-1)?.body.text).toBe(
      'The CoE resumed AUD-1, the audit of SOP-inventory-scanning v1.0 you own: you get its checklist again when a run is due (0 9 * * 1).',
    );
    // Monday the 14th fell while it was paused: caught up late, it is not run.
    expect(await services.audits.fire(1, new Date('2026-12-14T09:00:00.000Z'))).toBe(
      'AUD-1 was not running then: no run',
    );
    expect(store.auditRuns).toEqual([]);
    expect(await services.audits.fire(1, new Date('2026-12-21T09:00:00.000Z'))).toBe('run 1 sent to its owner');
  });

  it('resuming a running plan says so and changes nothing', async () => {
    const before = tables();
    expect((await coe(olga, 'audit resume AUD-1')).text).toBe(
      'AUD-1 is running already, on "0 9 * * 1", 2 items, acceptable variance 5%: there is nothing to resume.',
    );
    expect(tables()).toBe(before);
    expect(plansChanged).toBe(0);
  });

  it('the owner deciding it themselves is not told again in a direct message', async () => {
    await setLayer(mona, 'coe');
    await coe(mona, 'audit pause AUD-1');
    expect(dmsTo(mona)).toEqual([]);
    expect(eventsOf('AUD-1').at(-1)).toMatchObject({ actorPersonId: idOf(mona), action: 'audit.paused' });
  });
});

describe('stop', () => {
  it('ends it for good: its job goes, its runs stay, and nothing brings it back', async () => {
    await services.audits.fire(1, new Date('2026-12-07T09:00:00.000Z'));
    expect((await coe(olga, 'audit stop AUD-1')).text).toBe(
      'Stopped: AUD-1 will not run again. Its runs stay in the history of SOP-inventory-scanning ({{coe sop show inventory-scanning}}).',
    );
    expect(await plan()).toMatchObject({ state: 'stopped' });
    expect(await services.audits.schedules()).toEqual([]);
    expect(plansChanged).toBe(1);
    expect(store.auditRuns).toHaveLength(1);
    expect(eventsOf('AUD-1').at(-1)).toMatchObject({ action: 'audit.stopped', from: 'active', to: 'stopped' });
    expect(dmsTo(mona).at(-1)?.body.text).toBe(
      'The CoE stopped AUD-1, the audit of SOP-inventory-scanning v1.0 you owned: no more checklists come. Its recorded runs stay.',
    );
    expect(await services.audits.fire(1, new Date('2026-12-14T09:00:00.000Z'))).toBe('AUD-1 is stopped: no run');

    const before = tables();
    const forGood = 'AUD-1 was stopped for good, so it stays as it is. Plan a new audit with {{coe audit plan}}.';
    for (const verb of ['pause', 'resume', 'stop']) {
      expect((await coe(carl, `audit ${verb} AUD-1`)).text).toBe(forGood);
    }
    await expectCoeError(
      services.auditLifecycle.changeForm(carl, 'AUD-1'),
      'INPUT.INVALID',
      'AUD-1 was stopped for good. Plan a new audit with {{coe audit plan}}.',
    );
    await expectCoeError(coe(carl, 'audit run AUD-1'), 'INPUT.INVALID', /^AUD-1 was stopped for good/);
    expect(tables()).toBe(before);
    // Its history stays where the standard is shown, and the list says it is stopped.
    expect(JSON.stringify(await coe(wanda, 'sop show inventory-scanning'))).toContain(
      'AUD-1 · v1.0 · 0 9 * * 1 (stopped)',
    );
    expect((await coe(wanda, 'audit list')).text).toBe('Audits: AUD-1 (stopped)');
  });

  it('lists running plans first, then paused, then stopped', async () => {
    for (const schedule of ['0 9 * * 2', '0 9 * * 3']) {
      await services.audits.plan(request(olga), planForm({ schedule }));
    }
    await coe(olga, 'audit stop AUD-1');
    await coe(olga, 'audit pause AUD-2');
    expect((await coe(wanda, 'audit list')).text).toBe('Audits: AUD-3, AUD-2 (paused), AUD-1 (stopped)');
  });
});

describe('who may', () => {
  it.each([
    ['its owner, a manager', mona],
    ['a worker', wanda],
    ['an executive', eve],
    ['someone the bot has never met', { platform: 'slack', externalId: 'U0NEW' } as PersonRef],
  ])('refuses %s, and changes nothing', async (_who, actor) => {
    const before = JSON.stringify(store.snapshot());
    for (const verb of ['pause', 'resume', 'stop']) {
      await expectCoeError(
        coe(actor, `audit ${verb} AUD-1`),
        'PERMISSION.DENIED',
        'Only CoE members pause, resume, change or stop audits. Nothing was changed.',
      );
    }
    await expectCoeError(services.auditLifecycle.changeForm(actor, 'AUD-1'), 'PERMISSION.DENIED');
    await expectCoeError(
      services.auditLifecycle.change(request(actor), 'AUD-1', planForm({ schedule: '0 8 * * 1' })),
      'PERMISSION.DENIED',
    );
    expect(JSON.stringify(store.snapshot())).toBe(before);
    expect(plansChanged).toBe(0);
  });

  it('says so of a plan that is not there, and of an id that is not one', async () => {
    const before = JSON.stringify(store.snapshot());
    await expectCoeError(
      coe(carl, 'audit pause AUD-9'),
      'NOT_FOUND',
      'There is no AUD-9. See the audit plans with {{coe audit list}}.',
    );
    await expectCoeError(coe(carl, 'audit stop TR-1'), 'INPUT.INVALID', 'Give an audit id, like AUD-2.');
    await expectCoeError(services.auditLifecycle.changeForm(carl, 'AUD-9'), 'NOT_FOUND');
    expect(JSON.stringify(store.snapshot())).toBe(before);
  });

  it('points `audit change` typed where no form can open to the platform’s form', async () => {
    for (const actor of [carl, olga]) {
      await expectCoeError(
        coe(actor, 'audit change AUD-1'),
        'SETUP.WRONG_PLACE',
        'That opens a form: send {{coe audit change AUD-1}} again.',
      );
    }
  });
});

describe('change', () => {
  it('opens the form filled with the plan as it stands, its standard fixed', async () => {
    const form = await services.auditLifecycle.changeForm(carl, 'aud-1');
    expect(form).toEqual({
      plan: { number: 1, sopKey: 'inventory-scanning', sopTitle: 'Inventory scanning' },
      options: {
        sops: [{ key: 'inventory-scanning', title: 'Inventory scanning' }],
        owners: expect.arrayContaining([{ id: idOf(mona), name: 'Mona Manager' }]),
      },
      values: {
        schedule: '0 9 * * 1',
        checklist: 'Scanners on the charger\nCounts match the system',
        variance: '5',
        owner: String(idOf(mona)),
      },
      owner: [{ platform: 'slack', externalId: mona.externalId }],
    });
  });

  it('offers the current owner even when they are no longer a manager', async () => {
    await setLayer(mona, 'worker');
    const form = await services.auditLifecycle.changeForm(carl, 'AUD-1');
    expect(form.options.owners[0]).toEqual({ id: idOf(mona), name: 'Mona Manager' });
  });

  it('changes schedule, checklist, variance and owner: recorded, both owners told, runs from now on', async () => {
    const result = await services.auditLifecycle.change(
      request(olga),
      'AUD-1',
      { schedule: '30 8 * * 2', checklist: 'Scanners on the charger\nSpares charged\nCounts match', variance: '7.5' },
      { id: idOf(carl) },
    );
    expect(result).toEqual({
      ok: true,
      confirmation: expect.objectContaining({
        text: 'Done: AUD-1 audits SOP-inventory-scanning v1.0 on "30 8 * * 2", 3 items, acceptable variance 7.5%; the next run is 2026-12-14 09:00 UTC.',
      }),
    });
    expect(await plan()).toMatchObject({
      sopKey: 'inventory-scanning',
      schedule: '30 8 * * 2',
      checklist: ['Scanners on the charger', 'Spares charged', 'Counts match'],
      acceptableVariance: 7.5,
      ownerPersonId: idOf(carl),
      state: 'active',
      runsFrom: clock.now(),
    });
    expect(plansChanged).toBe(1);
    expect(await services.audits.schedules()).toEqual([{ number: 1, schedule: '30 8 * * 2' }]);
    expect(eventsOf('AUD-1').at(-1)).toMatchObject({
      actorPersonId: idOf(olga),
      action: 'audit.changed',
      from: '0 9 * * 1',
      to: '30 8 * * 2',
      data: { changed: ['schedule', 'checklist', 'acceptableVariance', 'ownerPersonId'] },
    });
    expect(dmsTo(mona).at(-1)?.body.text).toBe(
      'AUD-1, the audit of SOP-inventory-scanning v1.0, has a new owner: its checklists no longer come to you.',
    );
    const carlDms = store.outbox.filter((r) => r.target.kind === 'dm' && r.target.externalId === carl.externalId);
    expect(carlDms.at(-1)?.body.text).toBe(
      'You now own AUD-1, the audit of SOP-inventory-scanning v1.0: it runs on "30 8 * * 2", 3 items, acceptable variance 7.5%. You get its checklist when a run is due.',
    );
  });

  it('keeps the owner when none is picked, and a paused plan stays paused', async () => {
    await coe(olga, 'audit pause AUD-1');
    const result = await services.auditLifecycle.change(request(carl), 'AUD-1', planForm({ variance: '3' }));
    expect(result.ok && result.confirmation.text).toBe(
      'Done: AUD-1 audits SOP-inventory-scanning v1.0 on "0 9 * * 1", 2 items, acceptable variance 3%. It stays paused until {{coe audit resume AUD-1}}.',
    );
    expect(await plan()).toMatchObject({ ownerPersonId: idOf(mona), state: 'paused', acceptableVariance: 3 });
    // The schedule did not change: it keeps running from where it was.
    expect((await plan())?.runsFrom).toBeNull();
    expect(dmsTo(mona).at(-1)?.body.text).toMatch(/^The CoE changed AUD-1: it runs on "0 9 \* \* 1"/);
  });

  it('says what to fix under the form, changes nothing, and takes the corrected form on the same interaction', async () => {
    const k = key();
    const before = JSON.stringify(store.snapshot());
    const wrong = await services.auditLifecycle.change(
      request(olga, k),
      'AUD-1',
      planForm({ schedule: 'every monday', checklist: '', variance: '150', sop: 'something-else' }),
    );
    expect(wrong).toEqual({
      ok: false,
      errors: {
        schedule: '"every monday" is not a cron expression; write minute hour day month weekday, like 0 9 * * 1.',
        checklist: 'List what is checked, one item per line.',
        variance: 'Give the acceptable variance in percent, 0 to 100.',
      },
    });
    expect(await services.auditLifecycle.change(request(olga, k), 'AUD-1', planForm(), { id: 99_999 })).toEqual({
      ok: false,
      errors: { owner: 'Pick the owner from the list.' },
    });
    expect(JSON.stringify(store.snapshot())).toBe(before);
    const fixed = await services.auditLifecycle.change(request(olga, k), 'AUD-1', planForm({ schedule: '0 7 * * 1' }));
    expect(fixed.ok).toBe(true);
    expect((await plan())?.schedule).toBe('0 7 * * 1');
    // The same submission again (a double click): the plan as it now stands, and nothing more.
    const events = store.events.length;
    const again = await services.auditLifecycle.change(request(olga, k), 'AUD-1', planForm({ schedule: '0 7 * * 1' }));
    expect(again.ok && again.confirmation.text).toMatch(
      /^Done: AUD-1 audits SOP-inventory-scanning v1.0 on "0 7 \* \* 1"/,
    );
    expect(store.events).toHaveLength(events);
  });

  it('the same values again: nothing to change, nothing recorded, the scheduler not bothered', async () => {
    const before = tables();
    const same = await services.auditLifecycle.change(request(olga), 'AUD-1', planForm(), { id: idOf(mona) });
    expect(same.ok && same.confirmation.text).toBe(
      'Nothing to change: AUD-1 already runs on "0 9 * * 1", 2 items, acceptable variance 5%.',
    );
    expect(tables()).toBe(before);
    expect(plansChanged).toBe(0);
  });

  it('names the owner by their platform identity (Slack’s user picker)', async () => {
    const result = await services.auditLifecycle.change(request(olga), 'AUD-1', planForm(), olga);
    expect(result.ok).toBe(true);
    expect((await plan())?.ownerPersonId).toBe(idOf(olga));
    // Olga changed it to herself: only Mona, who no longer owns it, hears of it.
    expect(dmsTo(olga)).toEqual([]);
    expect(dmsTo(mona).at(-1)?.body.text).toMatch(/has a new owner/);
  });
});
