import { describe, expect, it } from 'vitest';
import { MENTION, parseCoeCommand, USAGE } from '../../src/domain/coe-command.ts';
import { LAYERS, type PersonRef } from '../../src/domain/people.ts';

const ana: PersonRef = { platform: 'slack', externalId: 'U0ANA', displayName: 'Ana' };
const ben: PersonRef = { platform: 'teams', externalId: 'aad-ben' };

describe('parseCoeCommand', () => {
  it.each(['', '   ', 'help', 'HELP', ' help ', '?'])('reads %j as help', (text) => {
    expect(parseCoeCommand(text)).toEqual({ kind: 'help' });
  });

  it('keeps a help topic', () => {
    expect(parseCoeCommand('help  role   layers')).toEqual({ kind: 'help', topic: 'role layers' });
  });

  it.each(['setup review-channel', 'SETUP Review-Channel', '  setup   review-channel  '])(
    'reads %j as setting up the review channel',
    (text) => {
      expect(parseCoeCommand(text)).toEqual({ kind: 'setupReviewChannel' });
    },
  );

  it.each(['setup', 'setup channel', 'setup review-channel now', 'setup review channel'])(
    'refuses %j with the setup usage',
    (text) => {
      expect(parseCoeCommand(text)).toEqual({ kind: 'invalid', problem: 'What should be set up?', usage: USAGE.setup });
    },
  );

  it.each(LAYERS)('grants the %s layer to the mentioned person', (layer) => {
    expect(parseCoeCommand(`role ${MENTION} ${layer}`, [ana])).toEqual({ kind: 'grantRole', person: ana, layer });
  });

  it('reads the layer case-insensitively and takes the first mention', () => {
    expect(parseCoeCommand(`Role ${MENTION} CoE`, [ben, ana])).toEqual({
      kind: 'grantRole',
      person: ben,
      layer: 'coe',
    });
  });

  it.each([
    ['role', []],
    ['role coe', []],
    ['role bob coe', [ana]],
    [`role ${MENTION} coe`, []], // the token without the person behind it
    [`role coe ${MENTION}`, [ana]],
  ] as const)('asks for a mention in %j', (text, mentions) => {
    const command = parseCoeCommand(text, mentions);
    expect(command).toMatchObject({ kind: 'invalid', usage: USAGE.role });
    expect(command.kind === 'invalid' && command.problem).toMatch(/Mention the person/);
  });

  it.each([
    `role ${MENTION}`,
    `role ${MENTION} admin`,
    `role ${MENTION} boss please`,
    `role ${MENTION} coe please`,
    `role ${MENTION} ${MENTION} coe`,
  ])('asks for one valid layer in %j', (text) => {
    const command = parseCoeCommand(text, [ana, ben]);
    expect(command).toMatchObject({ kind: 'invalid', usage: USAGE.role });
    expect(command.kind === 'invalid' && command.problem).toMatch(/Name one layer/);
  });

  it.each([
    ['status FR-12', 'FR-12'],
    ['STATUS  fr-3 ', 'fr-3'],
  ])('reads %j as a status look-up, keeping the id as typed', (text, id) => {
    expect(parseCoeCommand(text)).toEqual({ kind: 'status', id });
  });

  it.each(['status', 'status FR-1 FR-2'])('asks which report for %j', (text) => {
    expect(parseCoeCommand(text)).toEqual({ kind: 'invalid', problem: 'Which report?', usage: USAGE.status });
  });

  it.each(['my', 'my reports', 'mine', 'My Reports'])('reads %j as my reports', (text) => {
    expect(parseCoeCommand(text)).toEqual({ kind: 'myReports' });
  });

  it('reads queue as the triage queue', () => {
    expect(parseCoeCommand(' queue ')).toEqual({ kind: 'triageQueue' });
  });

  it('reads team add and team list, keeping the name as typed', () => {
    expect(parseCoeCommand('team add  Night   Shift ')).toEqual({ kind: 'teamAdd', name: 'Night Shift' });
    expect(parseCoeCommand('Team LIST')).toEqual({ kind: 'teamList' });
    expect(parseCoeCommand(`team add ${'x'.repeat(80)}`)).toEqual({ kind: 'teamAdd', name: 'x'.repeat(80) });
  });

  it.each([
    ['team', 'Add a team or list them.'],
    ['team add', 'Add a team or list them.'],
    ['team list all', 'Add a team or list them.'],
    [`team add ${'x'.repeat(81)}`, 'Keep the team name under 80 characters.'],
  ])('refuses %j with the team usage', (text, problem) => {
    expect(parseCoeCommand(text)).toEqual({ kind: 'invalid', problem, usage: USAGE.team });
  });

  it.each(['statuses FR-12', 'friction the scanner died', 'roles', 'setup-review-channel', 'my friends', 'queue all'])(
    'reports %j as unknown, with the text as typed',
    (text) => {
      expect(parseCoeCommand(`  ${text} `)).toEqual({ kind: 'unknown', text });
    },
  );
});
