/**
 * An archived team is told nothing new, and its history stays (issue 12), through the services on the in-memory
 * store: a training that reached people only through it reminds them no more and tells them nothing about a new due
 * date, its channels get no team line, newcomers to it are not assigned — while those who also belong through another
 * team keep hearing, and every assignment stays; "Deployed in my team" on an old announcement to it says it is
 * archived and records nothing.
 */
import { describe, expect, it } from 'vitest';
import type { PersonRef } from '../../src/domain/people.ts';
import { deployedValue } from '../../src/domain/release-messages.ts';
import {
  carl,
  expectCoeError,
  max,
  mona,
  NIGHT_SLACK,
  tim,
  WAREHOUSE_SLACK,
  WAREHOUSE_TEAMS,
  wanda,
} from '../support/cast.ts';
import { pat, type World, world } from '../support/permission-table.ts';

const dmsSince = (w: World, since: number) =>
  w.store.outbox
    .slice(since)
    .filter((r) => r.target.kind === 'dm')
    .map((r) => (r.target.kind === 'dm' ? r.target.externalId : ''));
const channelsSince = (w: World, since: number) =>
  w.store.outbox
    .slice(since)
    .filter((r) => r.target.kind === 'channel')
    .map((r) => (r.target.kind === 'channel' ? r.target.channelId : ''));
const ids = (...people: PersonRef[]) => people.map((p) => p.externalId).sort();

/** TR-1 for Warehouse (Wanda, Pat, Mona) and Night Shift (Max, and Wanda too), assigned on Monday. */
async function trainingForBothTeams(w: World) {
  const night = await w.teamId('Night Shift');
  const wandaId = w.idOf(wanda);
  await w.repos((repos) => repos.teams.setMember(night, wandaId, false));
  const result = await w.services.trainings.assign(w.request(w.admin), {
    title: 'Scanner charging',
    material: 'https://wiki.example.com/scanners',
    teams: ['Warehouse', 'Night Shift'],
    layers: [],
    due: '2025-03-14',
  });
  expect(result.ok).toBe(true);
}

describe('the trainings of an archived team', () => {
  it('stop reminding those they reached only through it, post no line in its channels, and keep the history', async () => {
    const w = await world('worker');
    await trainingForBothTeams(w);
    const warehouse = await w.teamId('Warehouse');
    // Wanda came through Warehouse, the first of its teams.
    expect((await w.repos((repos) => repos.trainings.assignmentsOf(w.idOf(wanda)))).map((a) => a.teamId)).toEqual([
      warehouse,
    ]);

    w.clock.set(new Date('2025-03-04T08:55:00.000Z'));
    await w.coe(carl, 'team archive Warehouse');
    w.clock.set(new Date('2025-03-04T09:00:00.000Z'));
    const before = w.store.outbox.length;
    expect(await w.services.trainings.remind()).toBe('reminded 2 people and 1 team channels');
    // Max through Night Shift; Wanda through Night Shift too. Pat and Mona came only through Warehouse.
    expect(dmsSince(w, before).sort()).toEqual(ids(max, wanda));
    expect(channelsSince(w, before)).toEqual([NIGHT_SLACK]);

    // A new due date is told to the same people, and to no channel of Warehouse.
    const moved = w.store.outbox.length;
    expect((await w.coe(carl, 'training due TR-1 2025-03-21')).text).toMatch(/^Done: TR-1 .* is now due /);
    expect(dmsSince(w, moved).sort()).toEqual(ids(max, wanda));
    expect(channelsSince(w, moved)).not.toContain(WAREHOUSE_SLACK);
    expect(channelsSince(w, moved)).not.toContain(WAREHOUSE_TEAMS);

    // Someone put in the archived team later is not assigned through it.
    const timId = await w.repos(async (repos) => (await repos.people.identify(tim)).id);
    await w.repos((repos) => repos.teams.setMember(warehouse, timId, false));
    w.clock.set(new Date('2025-03-05T09:00:00.000Z'));
    const wednesday = w.store.outbox.length;
    await w.services.trainings.remind();
    expect(dmsSince(w, wednesday).sort()).toEqual(ids(max, wanda));
    expect(await w.repos((repos) => repos.trainings.assignmentsOf(timId))).toEqual([]);

    // Its history stays: Pat's assignment is kept, and Pat still sees it, and may still mark it complete.
    expect(await w.repos((repos) => repos.trainings.assignmentsOf(w.idOf(pat)))).toEqual([
      { trainingNumber: 1, personId: w.idOf(pat), teamId: warehouse, completedAt: null },
    ]);
    expect((await w.services.trainings.mine(pat)).text).toBe('My training: 1');
    expect((await w.services.trainings.complete(w.request(pat), 'TR-1')).text).toMatch(/^Done: TR-1 /);
  });

  it('keep reminding everyone while the team is not archived', async () => {
    const w = await world('worker');
    await trainingForBothTeams(w);
    w.clock.set(new Date('2025-03-04T09:00:00.000Z'));
    const before = w.store.outbox.length;
    expect(await w.services.trainings.remind()).toBe('reminded 4 people and 3 team channels');
    expect(dmsSince(w, before).sort()).toEqual(ids(max, mona, pat, wanda));
  });
});

describe('"Deployed in my team" on an announcement to a team archived since', () => {
  it('says the team is archived and records nothing; the other teams still record theirs', async () => {
    const w = await world('worker');
    const releaseId = await w.publish([await w.approved()]);
    const warehouse = await w.teamId('Warehouse');
    const night = await w.teamId('Night Shift');
    await w.coe(carl, 'team archive Warehouse');

    const queued = w.store.outbox.length;
    for (const actor of [mona, carl]) {
      await expectCoeError(
        w.services.releases.acknowledge(w.request(actor), deployedValue(releaseId, warehouse)),
        'INPUT.INVALID',
        'This team is archived, so SOP-inventory-scanning v1.1 cannot be recorded as deployed there. Nothing was recorded.',
      );
    }
    expect(w.store.acks).toEqual([]);
    expect(w.store.outbox).toHaveLength(queued);
    expect(w.store.events.filter((e) => e.action === 'release.deployed')).toEqual([]);

    // A team the release never went to is still an out-of-date button, not an archived team.
    await expectCoeError(
      w.services.releases.acknowledge(w.request(carl), deployedValue(releaseId, 999)),
      'INPUT.INVALID',
      'That button is out of date. Nothing was changed.',
    );
    expect((await w.services.releases.acknowledge(w.request(max), deployedValue(releaseId, night))).text).toBe(
      'Recorded: Night Shift works to SOP-inventory-scanning v1.1. Thank you.',
    );
  });
});
