/**
 * Ending executive direction early through the services, on the in-memory store (issue 12): `constraint end EX-2` —
 * listed as ended, no longer offered or accepted in the change-request form, the CoE's review channel told once, the
 * event kept; refused for everyone but executives with nothing changed; repeats and unknown ids answered in words.
 */
import { describe, expect, it } from 'vitest';
import { parseCoeCommand, USAGE } from '../../src/domain/coe-command.ts';
import { carl, expectCoeError, mona, SLACK_REVIEW, TEAMS_REVIEW } from '../support/cast.ts';
import { changeForm, eve, World, world } from '../support/permission-table.ts';

const ENDED_NOTICE =
  'EX-1 (priority) "Faster counts" was ended early by an executive. Change requests no longer serve it; open ones that did may need another look.';

const channelRows = (w: World, channelId: string) =>
  w.store.outbox.filter((r) => r.target.kind === 'channel' && r.target.channelId === channelId);

/** Eve sets EX-1, a priority. */
async function withPriority(): Promise<World> {
  const w = await world('worker');
  await w.coe(eve, 'constraint add priority Faster counts');
  return w;
}

describe('the words', () => {
  it('reads `constraint end EX-2`', () => {
    expect(parseCoeCommand('constraint end EX-2')).toEqual({ kind: 'constraintEnd', id: 'EX-2' });
  });

  it.each(['constraint end', 'constraint end EX-2 now'])('asks which one: %j', (text) => {
    expect(parseCoeCommand(text)).toEqual({
      kind: 'invalid',
      problem: 'Which one? Name it, like EX-2.',
      usage: USAGE.constraint,
    });
  });
});

describe('ending a constraint', () => {
  it('ends it, lists it as ended, takes it out of the change form, tells the CoE once and keeps the event', async () => {
    const w = await withPriority();
    expect((await w.services.changes.formOptions(mona)).constraints.map((c) => c.number)).toEqual([1]);
    expect((await w.coe(eve, 'constraint end EX-1')).text).toBe(
      'Ended: EX-1 (priority) "Faster counts". It stays listed as ended; new change requests can no longer say they serve it. The CoE is told in its review channel.',
    );
    expect(w.store.events.filter((e) => e.subject === 'EX-1').at(-1)).toMatchObject({
      actorPersonId: w.idOf(eve),
      action: 'constraint.ended',
      from: 'active',
      to: 'ended',
    });
    for (const channel of [SLACK_REVIEW, TEAMS_REVIEW]) {
      expect(channelRows(w, channel).map((r) => r.body.text)).toEqual([ENDED_NOTICE]);
    }

    const list = await w.coe(mona, 'constraint list');
    expect(list.text).toBe('No active executive priorities, constraints or targets.');
    expect(JSON.stringify(list)).toContain(
      `{"label":"EX-1 · Priority","value":"Faster counts (ended ${w.clock.now().toISOString().slice(0, 10)})"}`,
    );
    expect((await w.services.changes.formOptions(mona)).constraints).toEqual([]);
    const refused = await w.services.changes.submit(w.request(mona), changeForm({ constraint: 'EX-1' }));
    expect(refused).toMatchObject({ ok: false, errors: { constraint: 'EX-1 is not an active executive constraint.' } });

    // Again: it says so, and nobody is told twice.
    const before = w.store.outbox.length;
    expect((await w.coe(eve, 'constraint end EX-1')).text).toBe(
      `EX-1 was ended already, on ${w.clock.now().toISOString().slice(0, 10)}.`,
    );
    expect(w.store.outbox).toHaveLength(before);
  });

  it('says when one is over already by its own end date', async () => {
    const w = await world('worker');
    await w.coe(eve, 'constraint add target Cut cycle time until 2025-03-04');
    w.clock.set(new Date('2025-03-06T09:00:00.000Z'));
    const events = w.store.events.length;
    const queued = w.store.outbox.length;
    expect((await w.coe(eve, 'constraint end EX-1')).text).toBe('EX-1 is over already: it applied until 2025-03-04.');
    expect((await w.repos((repos) => repos.constraints.get(1)))?.endedAt).toBeNull();
    expect(w.store.events).toHaveLength(events);
    expect(w.store.outbox).toHaveLength(queued);
  });

  it('says which ids it does not know, and changes nothing', async () => {
    const w = await withPriority();
    const before = w.store.snapshot();
    await expectCoeError(w.coe(eve, 'constraint end EX-9'), 'NOT_FOUND', /^There is no EX-9\. See the active ones/);
    await expectCoeError(w.coe(eve, 'constraint end FR-1'), 'INPUT.INVALID', /^Name it by its id, like EX-2\./);
    expect(w.store.snapshot()).toEqual(before);
  });

  it('refuses everyone but executives, the CoE included, and changes nothing', async () => {
    const w = await withPriority();
    const before = w.store.snapshot();
    for (const actor of [carl, mona]) {
      await expectCoeError(
        w.coe(actor, 'constraint end EX-1'),
        'PERMISSION.DENIED',
        'Only executives end priorities, constraints and outcome targets. Nothing was changed.',
      );
    }
    expect(w.store.snapshot()).toEqual(before);
  });

  it('with no review channel, ends it all the same and says nobody was told', async () => {
    // A fresh install: an executive, and no review channel on either platform yet.
    const w = new World();
    await w.setLayer(eve, 'executive');
    await w.coe(eve, 'constraint add priority Faster counts');
    expect((await w.coe(eve, 'constraint end EX-1')).text).toBe(
      'Ended: EX-1 (priority) "Faster counts". It stays listed as ended; new change requests can no longer say they serve it.',
    );
  });
});
