/**
 * Retiring a standard through the services, on the in-memory store (issue 12): `sop retire <key>` — listed as
 * retired, refused as the target of new change requests and releases (a clear answer, nothing stored), its teams
 * told once, its audits stopped, the event kept; refused for everyone but the CoE with nothing changed.
 */
import { describe, expect, it } from 'vitest';
import { parseCoeCommand, USAGE } from '../../src/domain/coe-command.ts';
import {
  carl,
  expectCoeError,
  max,
  mona,
  NIGHT_SLACK,
  WAREHOUSE_SLACK,
  WAREHOUSE_TEAMS,
  wanda,
} from '../support/cast.ts';
import { changeForm, eve, must, pat, type World, world } from '../support/permission-table.ts';

const RETIRED_NOTICE =
  'SOP-inventory-scanning "Inventory scanning" is retired: it no longer applies. Questions about it go to the CoE.';

const channelRows = (w: World, channelId: string) =>
  w.store.outbox.filter((r) => r.target.kind === 'channel' && r.target.channelId === channelId);
const sop = (w: World, key = 'inventory-scanning') => w.store.sops.find((s) => s.key === key);

describe('the words', () => {
  it('reads `sop retire <key>`, its key normalised', () => {
    expect(parseCoeCommand('sop retire SOP-Inventory-Scanning')).toEqual({
      kind: 'sopRetire',
      key: 'inventory-scanning',
    });
  });

  it.each(['sop retire', 'sop retire inventory scanning', 'sop retire !!'])('asks which standard: %j', (text) => {
    expect(parseCoeCommand(text)).toEqual({
      kind: 'invalid',
      problem: 'Name the standard to retire by its key.',
      usage: USAGE.sop,
    });
  });
});

describe('retiring a standard', () => {
  it('marks it retired, tells every team once (it was never released), and keeps the event', async () => {
    const w = await world('worker');
    const queued = w.store.outbox.length;
    expect((await w.coe(carl, 'sop retire inventory-scanning')).text).toBe(
      'Retired: SOP-inventory-scanning "Inventory scanning". It stays listed as retired with its history; no new change request or release may target it. Its teams are told in 3 channels.',
    );
    expect(sop(w)?.retiredAt).toEqual(w.clock.now());
    expect(w.store.events.filter((e) => e.subject === 'SOP-inventory-scanning').at(-1)).toMatchObject({
      actorPersonId: w.idOf(carl),
      action: 'sop.retired',
      to: 'retired',
    });
    for (const channel of [WAREHOUSE_SLACK, WAREHOUSE_TEAMS, NIGHT_SLACK]) {
      expect(channelRows(w, channel).map((r) => r.body.text)).toEqual([RETIRED_NOTICE]);
    }
    expect(w.store.outbox).toHaveLength(queued + 3);

    // Listed as retired, shown as retired.
    const list = await w.coe(wanda, 'sop list');
    expect(list.text).toBe('Standards: SOP-inventory-scanning v1.0 (retired)');
    expect(JSON.stringify(list)).toContain('SOP-inventory-scanning · v1.0 · retired');
    expect(JSON.stringify(await w.coe(wanda, 'sop show inventory-scanning'))).toContain(
      `{"label":"Retired","value":"${w.clock.now().toISOString().slice(0, 10)}: it no longer applies"}`,
    );

    // Again: it says so, and nobody is told twice.
    const before = w.store.outbox.length;
    expect((await w.coe(w.admin, 'sop retire inventory-scanning')).text).toBe(
      `SOP-inventory-scanning is retired already, since ${w.clock.now().toISOString().slice(0, 10)}.`,
    );
    expect(w.store.outbox).toHaveLength(before);
  });

  it('tells only the teams its releases went to, stops its audits, and counts its open change requests', async () => {
    const w = await world('worker');
    const released = await w.approved();
    const warehouse = await w.teamId('Warehouse');
    const result = await w.services.releases.publish(w.request(w.admin), {
      changes: [`CR-${released}`],
      teams: [String(warehouse)],
    });
    expect(result.ok).toBe(true);
    const open = await w.raise(mona, { title: 'Spare scanners at the dock' });
    const planned = await w.services.audits.plan(
      w.request(w.admin),
      { sop: 'inventory-scanning', schedule: '0 9 * * 1', checklist: 'Scanners charged', variance: '5' },
      { id: w.idOf(max) },
    );
    expect(planned.ok).toBe(true);

    const answer = await w.coe(carl, 'sop retire inventory-scanning');
    expect(answer.text).toBe(
      'Retired: SOP-inventory-scanning "Inventory scanning". It stays listed as retired with its history; no new change request or release may target it. Its teams are told in 2 channels. Its audit AUD-1 is stopped. 1 change request of it is still open: it can no longer be released.',
    );
    expect(open).toBe(2);
    expect(channelRows(w, NIGHT_SLACK).filter((r) => r.body.text === RETIRED_NOTICE)).toEqual([]);
    expect(channelRows(w, WAREHOUSE_SLACK).filter((r) => r.body.text === RETIRED_NOTICE)).toHaveLength(1);
    // Its audit is stopped, recorded, and its owner told.
    const plan = await w.repos((repos) => repos.audits.plan(1));
    expect(plan?.state).toBe('stopped');
    expect(await w.services.audits.schedules()).toEqual([]);
    expect(w.store.events.find((e) => e.subject === 'AUD-1' && e.action === 'audit.stopped')).toMatchObject({
      actorPersonId: w.idOf(carl),
      reason: 'SOP-inventory-scanning was retired.',
    });
    const maxDms = w.store.outbox.filter((r) => r.target.kind === 'dm' && r.target.externalId === max.externalId);
    expect(maxDms.at(-1)?.body.text).toMatch(/^The CoE stopped AUD-1/);
  });

  it('takes no new change request, in so many words, and nothing is stored', async () => {
    const w = await world('worker');
    await w.coe(carl, 'sop retire inventory-scanning');
    const changes = w.store.changes.length;
    expect(await w.services.changes.submit(w.request(mona), changeForm())).toEqual({
      ok: false,
      errors: { sop: 'SOP-inventory-scanning is retired: it takes no new change requests.' },
    });
    expect(
      await w.services.changes.submit(w.request(mona), changeForm({ sop: undefined, newSop: 'Inventory Scanning' })),
    ).toEqual({ ok: false, errors: { newSop: 'SOP-inventory-scanning is retired: it takes no new change requests.' } });
    expect(w.store.changes).toHaveLength(changes);
    // The form no longer offers it.
    expect((await w.services.changes.formOptions(mona)).sops).toEqual([]);
    // Nor do the training and audit forms.
    expect((await w.services.trainings.formOptions(carl)).sops).toEqual([]);
    await expectCoeError(w.services.audits.formOptions(carl), 'SETUP.MISSING');
  });

  it('takes no new release: its form and its publishing are refused, and nothing is published', async () => {
    const w = await world('worker');
    const approved = await w.approved();
    await w.coe(carl, 'sop retire inventory-scanning');
    const refusal = 'SOP-inventory-scanning is retired: it takes no new releases. Nothing was published.';
    await expectCoeError(w.services.releases.formOptions(carl, 'inventory-scanning'), 'INPUT.INVALID', refusal);
    // Without a standard named, its approved changes are not offered: there is nothing else to publish.
    await expectCoeError(w.services.releases.formOptions(carl), 'INPUT.INVALID', /^No approved change request waits/);
    const before = JSON.stringify(w.store.snapshot());
    await expectCoeError(
      w.services.releases.publish(w.request(carl), { changes: [`CR-${approved}`] }),
      'INPUT.INVALID',
      refusal,
    );
    expect(JSON.stringify(w.store.snapshot())).toBe(before);
    expect(w.store.releases).toEqual([]);
    expect(w.store.change(approved)?.status).toBe('approved');
  });

  it('leaves the other standards as they are', async () => {
    const w = await world('worker');
    await w.coe(w.admin, 'sop new returns Returns');
    await w.coe(carl, 'sop retire inventory-scanning');
    expect(sop(w, 'returns')?.retiredAt).toBeNull();
    expect((await w.services.changes.formOptions(mona)).sops.map((s) => s.key)).toEqual(['returns']);
    expect((await w.raise(mona, { sop: 'returns' })) > 0).toBe(true);
  });
});

describe('who may', () => {
  it.each([
    ['a worker', wanda],
    ['a manager', mona],
    ['an executive', eve],
    ['Pat, a manager', pat],
  ])('refuses %s, and changes nothing', async (_who, actor) => {
    const w = await world('manager');
    const before = JSON.stringify(w.store.snapshot());
    await expectCoeError(
      w.coe(actor, 'sop retire inventory-scanning'),
      'PERMISSION.DENIED',
      'Only CoE members retire standards. Nothing was changed.',
    );
    expect(JSON.stringify(w.store.snapshot())).toBe(before);
  });

  it('says so of a standard that is not there, and keeps the AI usage rules standard', async () => {
    const w = await world('worker');
    const before = JSON.stringify(w.store.snapshot());
    await expectCoeError(
      w.coe(carl, 'sop retire returns'),
      'NOT_FOUND',
      'There is no SOP-returns. See the registered standards with {{coe sop list}}.',
    );
    await expectCoeError(
      w.coe(carl, 'sop retire ai-usage-rules'),
      'INPUT.INVALID',
      'SOP-ai-usage-rules cannot be retired: every AI usage rule changes through it. Nothing was changed.',
    );
    expect(JSON.stringify(w.store.snapshot())).toBe(before);
    expect(must(sop(w), 'standard').retiredAt).toBeNull();
  });
});
