/**
 * Renaming and archiving teams, and taking people out of them, through the services, on the in-memory store (issue
 * 12): `team rename <name> to <new name>`, `team archive <name>` and `team member remove @person <name>` — an archived team is offered in no form and its channels get nothing new,
 * its history stays; the team's channels told once, the event kept; refused for everyone but the CoE with nothing
 * changed; repeats and unknown names answered in words.
 */
import { describe, expect, it } from 'vitest';
import { parseCoeCommand, USAGE } from '../../src/domain/coe-command.ts';
import { carl, expectCoeError, max, mona, WAREHOUSE_SLACK, WAREHOUSE_TEAMS, wanda } from '../support/cast.ts';
import { type World, world } from '../support/permission-table.ts';

const channelRows = (w: World, channelId: string) =>
  w.store.outbox.filter((r) => r.target.kind === 'channel' && r.target.channelId === channelId);

describe('the words', () => {
  it('reads `team rename <name> to <new name>` and `team archive <name>`', () => {
    expect(parseCoeCommand('team rename Night Shift to Late Shift')).toEqual({
      kind: 'teamRename',
      name: 'Night Shift',
      to: 'Late Shift',
    });
    expect(parseCoeCommand('team archive Night Shift')).toEqual({ kind: 'teamArchive', name: 'Night Shift' });
  });

  it.each([
    ['team rename Warehouse', 'Say the team and its new name, like: team rename Night Shift to Late Shift.'],
    ['team rename to Stores', 'Say the team and its new name, like: team rename Night Shift to Late Shift.'],
    ['team archive', 'Name the team to archive.'],
  ])('asks for what is missing: %j', (text, problem) => {
    expect(parseCoeCommand(text)).toEqual({ kind: 'invalid', problem, usage: USAGE.team });
  });
});

describe('renaming a team', () => {
  it('renames it, keeps its members and channels, tells its channels once and keeps the event', async () => {
    const w = await world('worker');
    const id = await w.teamId('Warehouse');
    expect((await w.coe(carl, 'team rename warehouse to Stores')).text).toBe(
      'Renamed: Warehouse is now Stores; its members, channels and history stay. Its 2 channels are told.',
    );
    expect(await w.teamId('Stores')).toBe(id);
    expect(await w.repos((repos) => repos.teams.members(id))).toHaveLength(3);
    for (const channel of [WAREHOUSE_SLACK, WAREHOUSE_TEAMS]) {
      expect(channelRows(w, channel).map((r) => r.body.text)).toEqual([
        'This team, Warehouse, is now called Stores. Nothing else changes.',
      ]);
    }
    expect(w.store.events.at(-1)).toMatchObject({
      actorPersonId: w.idOf(carl),
      subject: `team:${id}`,
      action: 'team.renamed',
      from: 'Warehouse',
      to: 'Stores',
    });
    const queued = w.store.outbox.length;
    expect((await w.coe(carl, 'team rename Stores to Stores')).text).toBe('Stores is called that already.');
    expect(w.store.outbox).toHaveLength(queued);
  });

  it('refuses a name another team has, and unknown teams, changing nothing', async () => {
    const w = await world('worker');
    const before = w.store.snapshot();
    await expectCoeError(
      w.coe(carl, 'team rename Warehouse to night shift'),
      'INPUT.INVALID',
      'There is already a team called "night shift". Nothing was changed.',
    );
    await expectCoeError(w.coe(carl, 'team archive Yard'), 'NOT_FOUND', /^There is no team "Yard"\. See the teams/);
    const { processed: _a, ...tables } = (before as { tables: Record<string, unknown> }).tables;
    const { processed: _b, ...now } = (w.store.snapshot() as { tables: Record<string, unknown> }).tables;
    expect(now).toEqual(tables);
  });
});

describe('archiving a team', () => {
  it('takes it out of every form and announcement, keeps its history, tells its channels once', async () => {
    const w = await world('worker');
    expect((await w.services.friction.formDefaults(wanda)).teams).toContain('Warehouse');
    expect((await w.coe(carl, 'team archive Warehouse')).text).toBe(
      'Archived: Warehouse. No form offers it and its channels get no new announcements or reminders; its history stays. Its 2 channels are told.',
    );
    for (const channel of [WAREHOUSE_SLACK, WAREHOUSE_TEAMS]) {
      expect(channelRows(w, channel).map((r) => r.body.text)).toEqual([
        'Warehouse is archived: new releases, trainings and reminders no longer come to this channel. Questions go to the CoE.',
      ]);
    }
    expect(w.store.events.at(-1)).toMatchObject({ action: 'team.archived', from: 'Warehouse', to: 'archived' });
    // Offered nowhere: the friction form, training and release targets, the team list.
    expect((await w.services.friction.formDefaults(wanda)).teams).not.toContain('Warehouse');
    expect((await w.services.trainings.formOptions(carl)).teams.map((t) => t.name)).toEqual(['Night Shift']);
    expect((await w.coe(mona, 'team list')).text).toBe('Teams: Night Shift');
    // Its channels get nothing new; its members stay (history).
    expect(await w.repos((repos) => repos.teams.channels())).not.toContainEqual(
      expect.objectContaining({ channelId: WAREHOUSE_SLACK }),
    );
    const id = await w.teamId('Warehouse');
    expect(await w.repos((repos) => repos.teams.members(id))).toHaveLength(3);

    // It takes no new members or channels.
    const unchanged = w.store.snapshot();
    await expectCoeError(
      w.coe(carl, 'team member @mention Warehouse', { mentions: [{ platform: 'slack', externalId: 'U0LATE' }] }),
      'INPUT.INVALID',
      /^Warehouse is archived: it takes no new members or channels\. Nothing was changed\./,
    );
    await expectCoeError(
      w.coe(carl, 'team channel Warehouse', { channelId: 'C0LATER' }),
      'INPUT.INVALID',
      /^Warehouse is archived/,
    );
    const { processed: _p, ...then } = (unchanged as { tables: Record<string, unknown> }).tables;
    const { processed: _q, ...after } = (w.store.snapshot() as { tables: Record<string, unknown> }).tables;
    expect(after).toEqual(then);

    const queued = w.store.outbox.length;
    expect((await w.coe(carl, 'team archive warehouse')).text).toBe(
      `Warehouse is archived already, since ${w.clock.now().toISOString().slice(0, 10)}.`,
    );
    expect(w.store.outbox).toHaveLength(queued);
  });

  it('refuses everyone but the CoE, and changes nothing', async () => {
    const w = await world('manager');
    const before = w.store.snapshot();
    for (const text of ['team archive Warehouse', 'team rename Warehouse to Stores']) {
      await expectCoeError(
        w.coe(mona, text),
        'PERMISSION.DENIED',
        'Only CoE members rename or archive teams or change who is in them. Nothing was changed.',
      );
    }
    expect(w.store.snapshot()).toEqual(before);
  });
});

describe('taking someone out of a team', () => {
  it('reads `team member remove @person <team>`', () => {
    expect(parseCoeCommand('team member remove @mention Night Shift', [wanda])).toEqual({
      kind: 'teamMemberRemove',
      person: wanda,
      name: 'Night Shift',
    });
    expect(parseCoeCommand('team member remove Warehouse', [wanda])).toEqual({
      kind: 'invalid',
      problem: 'Mention the person to take out of the team.',
      usage: USAGE.team,
    });
  });

  it('removes them and their manager flag, tells them once, keeps the event; a repeat changes nothing', async () => {
    const w = await world('worker');
    const id = await w.teamId('Warehouse');
    const remove = () => w.coe(carl, 'team member remove @mention Warehouse', { mentions: [mona] });
    expect((await remove()).text).toBe('Done: Mona Manager is no longer in Warehouse. They are told.');
    expect((await w.repos((repos) => repos.teams.members(id))).map((m) => m.personId)).not.toContain(w.idOf(mona));
    expect(await w.repos((repos) => repos.teams.manages(w.idOf(mona), id))).toBe(false);
    const dms = w.store.outbox.filter((r) => r.target.kind === 'dm' && r.target.externalId === mona.externalId);
    expect(dms.map((r) => r.body.text)).toEqual([
      'You are no longer in Warehouse: its releases and reminders no longer come to you as one of its members. Ask the CoE if that is a mistake.',
    ]);
    expect(w.store.events.at(-1)).toMatchObject({ action: 'team.member-removed', from: `person:${w.idOf(mona)}` });
    const queued = w.store.outbox.length;
    expect((await remove()).text).toBe('Mona Manager is not in Warehouse, so nothing changed.');
    expect((await w.coe(carl, 'team member remove @mention Warehouse', { mentions: [max] })).text).toBe(
      'Max Manager is not in Warehouse, so nothing changed.',
    );
    expect(w.store.outbox).toHaveLength(queued);
  });

  it('refuses everyone but the CoE, and unknown teams, changing nothing', async () => {
    const w = await world('worker');
    const before = w.store.snapshot();
    await expectCoeError(
      w.coe(mona, 'team member remove @mention Warehouse', { mentions: [wanda] }),
      'PERMISSION.DENIED',
      'Only CoE members rename or archive teams or change who is in them. Nothing was changed.',
    );
    expect(w.store.snapshot()).toEqual(before);
    await expectCoeError(
      w.coe(carl, 'team member remove @mention Yard', { mentions: [wanda] }),
      'NOT_FOUND',
      /^There is no team "Yard"\./,
    );
  });
});
