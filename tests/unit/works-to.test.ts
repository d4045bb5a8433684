/**
 * The version a team works to (issue 11), through the services on the in-memory store: an audit plan names the
 * version current when it is made; a recorded audit is recorded against the version the audited team works to (its
 * last Deployed, else the baseline) or, with no single team, the standard's current one; and a release announced to a
 * team that skipped a version says everything that changed since the version that team works to.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { changeId } from '../../src/domain/change.ts';
import type { Message } from '../../src/domain/message.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import { deployedValue } from '../../src/domain/release-messages.ts';
import { max, mona, NIGHT_SLACK, olga, WAREHOUSE_SLACK } from '../support/cast.ts';
import { changeForm, must, type World, world } from '../support/permission-table.ts';
import { SCANNING_V1, SCANNING_V2, SCANNING_V3, SCANNING_V4 } from '../support/standard-texts.ts';

const KEY = 'inventory-scanning';
const DOCK_SLACK = 'C0DOCK';
const dora: PersonRef = { platform: 'slack', externalId: 'U0DORA', displayName: 'Dora Dock' };
const [V1, V2, V3, V4] = [SCANNING_V1, SCANNING_V2, SCANNING_V3, SCANNING_V4];

const shown = (value: unknown) => JSON.stringify(value);
let w: World;

beforeEach(async () => {
  w = await world('manager');
  await w.repos(async (r) => {
    await r.sopTexts.add({ sopKey: KEY, major: 1, minor: 0, text: V1.join('\n'), link: null, createdByPersonId: null });
    // Dock: a third team, whose one manager never presses Deployed.
    await r.teams.add('Dock');
    const dock = must(await r.teams.byName('Dock'), 'Dock');
    await r.teams.addChannel(dock.id, 'slack', DOCK_SLACK);
    const person = await r.people.identify(dora);
    await r.people.setLayer(person.id, 'manager');
    await r.teams.setMember(dock.id, person.id, true);
  });
});

/** A change proposing `lines` as the text, approved and released to every team: the release's id. */
async function release(lines: string[], title: string): Promise<number> {
  const raised = await w.services.changes.submit(
    w.request(mona),
    changeForm({ proposedText: lines.join('\n'), title }),
  );
  if (!raised.ok) throw new Error(JSON.stringify(raised.errors));
  await w.services.changes.decide(w.request(olga), 'approve', changeId(raised.number));
  const preview = must((await w.services.releases.formOptions(olga, KEY)).prefill?.text, 'preview');
  const notes = `${title}.`;
  const published = await w.services.releases.publish(
    { ...w.request(olga), previewed: preview.fingerprint },
    { changes: [changeId(raised.number)], notes },
  );
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
  return must(w.store.releases.at(-1), 'release').id;
}

const deployed = async (by: PersonRef, releaseId: number, team: string) =>
  w.services.releases.acknowledge(w.request(by), deployedValue(releaseId, await w.teamId(team)));

/** The announcement of a release in a channel as it stands (posted, or updated once the team deployed). */
const announcement = (releaseId: number, channelId: string, deployedToo = false): Message =>
  must(
    w.store.outbox.find(
      (r) => r.key === `release:${releaseId}:ann:slack:${channelId}${deployedToo ? ':deployed' : ''}`,
    ),
    `announcement in ${channelId}`,
  ).body;

const planForm = { sop: KEY, schedule: '0 9 * * 1', checklist: 'Scanners on the charger', variance: '5' };

/** Plans an audit owned by `owner`, opens a run and records it: the outcome and the run as stored. */
async function audit(owner: PersonRef) {
  const planned = await w.services.audits.plan(w.request(olga), planForm, owner);
  if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
  const plan = must((await w.repos((r) => r.audits.allPlans())).at(-1), 'plan');
  await w.services.audits.fire(plan.number, w.clock.now(), true);
  const run = must(w.store.auditRuns.at(-1), 'run');
  const recorded = await w.services.audits.record(w.request(owner), String(run.id), {
    'item0.passed': 'pass',
    'item0.variance': '1',
  });
  if (!recorded.ok) throw new Error(JSON.stringify(recorded.errors));
  return {
    plan,
    confirmation: planned.confirmation,
    outcome: recorded.outcome,
    run: must(w.store.auditRuns.at(-1), 'run'),
  };
}

describe('audits name their version', () => {
  it('a plan records the version current when it is made, and says it', async () => {
    const first = await audit(mona);
    expect(first.plan).toMatchObject({ sopMajor: 1, sopMinor: 0 });
    expect(first.confirmation.text).toMatch(/^Done: AUD-1 audits SOP-inventory-scanning v1\.0 on "0 9 \* \* 1"/);
    await release(V2, 'Charge at every break');
    const second = await audit(mona);
    expect(second.plan).toMatchObject({ sopMajor: 1, sopMinor: 1 });
    expect(shown(await w.coe(olga, 'audit list'))).toContain('AUD-2 · SOP-inventory-scanning v1.1');
  });

  it('records no team and the current version while no release has reached a team', async () => {
    const { run, outcome } = await audit(mona);
    expect(run).toMatchObject({ sopMajor: 1, sopMinor: 0, teamId: null });
    expect(outcome.text).toMatch(/^AUD-1 of SOP-inventory-scanning, audited against v1\.0 \(the current version\): /);
  });

  it('records the owner’s team and the version it works to: its last Deployed, else the baseline', async () => {
    const v11 = await release(V2, 'Charge at every break');
    await deployed(mona, v11, 'Warehouse');
    await release(V3, 'Scan the shelf label');
    // Mona is in Warehouse only, which deployed v1.1 and not v1.2 (current).
    const warehouse = await audit(mona);
    expect(warehouse.run).toMatchObject({ sopMajor: 1, sopMinor: 1, teamId: await w.teamId('Warehouse') });
    expect(warehouse.outcome.text).toMatch(
      /^AUD-1 of SOP-inventory-scanning, audited against v1\.1 \(the version Warehouse works to\): 1 passed/,
    );
    // Dora's Dock never deployed: it works to the baseline.
    const dock = await audit(dora);
    expect(dock.run).toMatchObject({ sopMajor: 1, sopMinor: 0, teamId: await w.teamId('Dock') });
    expect(dock.outcome.text).toContain('audited against v1.0 (the version Dock works to)');
    expect(w.store.events.filter((e) => e.action === 'audit.recorded').at(-1)?.data).toMatchObject({
      version: 'v1.0',
    });
  });

  it('records no team, and the current version, when the owner is in two target teams or none', async () => {
    const v11 = await release(V2, 'Charge at every break');
    await deployed(mona, v11, 'Warehouse');
    await release(V3, 'Scan the shelf label');
    const night = await w.teamId('Night Shift');
    await w.repos((r) => r.teams.setMember(night, w.idOf(mona), false));
    const two = await audit(mona);
    expect(two.run).toMatchObject({ sopMajor: 1, sopMinor: 2, teamId: null });
    expect(two.outcome.text).toContain('audited against v1.2 (the current version)');
    // Olga is in no team.
    expect((await audit(olga)).run).toMatchObject({ sopMajor: 1, sopMinor: 2, teamId: null });
  });

  it('says the same version again when the same results come twice', async () => {
    const v11 = await release(V2, 'Charge at every break');
    await deployed(mona, v11, 'Warehouse');
    const { run, outcome } = await audit(mona);
    const again = await w.services.audits.record(w.request(mona), String(run.id), {
      'item0.passed': 'pass',
      'item0.variance': '1',
    });
    expect(again.ok && again.outcome.text).toBe(outcome.text);
  });
});

describe('announcements say what changed since the version each team works to', () => {
  it('covers both changes for a team that skipped a version; the others hear what changed since the previous one', async () => {
    const v11 = await release(V2, 'Charge at every break');
    await deployed(mona, v11, 'Warehouse');
    await deployed(max, v11, 'Night Shift');
    const v12 = await release(V3, 'Scan the shelf label');
    await deployed(max, v12, 'Night Shift');
    const v13 = await release(V4, 'Count the spare batteries');

    // Warehouse works to v1.1: its announcement names v1.2's change and v1.3's, and the text since v1.1.
    const warehouse = announcement(v13, WAREHOUSE_SLACK);
    const said = shown(warehouse);
    expect(warehouse.text).toBe(
      'New standard: SOP-inventory-scanning v1.3 (it also covers what changed since v1.1). Count the spare batteries.',
    );
    expect(said).toContain(
      'Warehouse works to v1.1, so this also covers v1.2, which it did not deploy. What changed in v1.2:',
    );
    expect(said).toContain('**v1.2** (CR-2)\\nScan the shelf label.');
    expect(said).toContain('**The text** since v1.1: +2 lines, −0 lines.');
    expect(said).toContain('"op":"added","text":"3. Picker: scan the shelf label."');
    expect(said).toContain('"op":"added","text":"4. Shift lead: count the spare batteries."');
    expect(said).toContain('{{coe sop diff inventory-scanning v1.1 v1.3}}');
    expect(said).toContain('{{coe sop show inventory-scanning v1.3}}');

    // Night Shift deployed v1.2, the version before: what changed since v1.2, as ever.
    const night = shown(announcement(v13, NIGHT_SLACK));
    expect(night).toContain('**The text** since v1.2: +1 line, −0 lines.');
    expect(night).not.toContain('so this also covers');
    // Dock never deployed: the change since the previous version too.
    const dock = shown(announcement(v13, DOCK_SLACK));
    expect(dock).toContain('**The text** since v1.2: +1 line, −0 lines.');
    expect(dock).not.toContain('so this also covers');

    // Deployed in Warehouse: the announcement, updated, still covers what Warehouse skipped.
    await deployed(mona, v13, 'Warehouse');
    const updated = shown(announcement(v13, WAREHOUSE_SLACK, true));
    expect(updated).toContain('Warehouse works to v1.1, so this also covers v1.2');
    expect(updated).toContain('Deployed in Warehouse by Mona Manager');
  });

  it('names a few skipped versions and counts the rest, within what a message holds', async () => {
    const v11 = await release(V2, 'Charge at every break');
    await deployed(mona, v11, 'Warehouse');
    let lines = V2;
    for (let i = 2; i <= 8; i++) {
      lines = [...lines, `${i + 1}. Picker: check ${i}.`];
      await release(lines, `Check ${i}`);
    }
    const latest = must(w.store.releases.at(-1), 'release');
    expect(latest).toMatchObject({ major: 1, minor: 8 });
    const warehouse = announcement(latest.id, WAREHOUSE_SLACK);
    const said = shown(warehouse);
    expect(said).toContain('so this also covers the 6 versions in between (v1.2 to v1.7), which it did not deploy.');
    expect(said).not.toContain('**v1.2**');
    expect(said).toContain('**v1.3** (CR-3)\\nCheck 3.');
    expect(said).toContain('**v1.7** (CR-7)\\nCheck 7.');
    expect(said).toContain('…and 1 earlier versions: see {{coe sop show inventory-scanning}}.');
    expect(warehouse.blocks.length).toBeLessThan(20);
  });
});
