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

describe('parseCoeCommand: change management', () => {
  const today = new Date('2025-03-03T09:00:00.000Z');
  const parse = (text: string, mentions: readonly PersonRef[] = [], channels: readonly string[] = []) =>
    parseCoeCommand(text, mentions, { channels, today });

  it('reads constraint add with its kind, text and end date', () => {
    expect(parse('constraint add priority Improve  quality')).toEqual({
      kind: 'constraintAdd',
      constraint: { kind: 'priority', text: 'Improve quality' },
    });
    expect(parse('Constraint ADD target Reduce cycle time by 15% until 2027-06-30')).toEqual({
      kind: 'constraintAdd',
      constraint: { kind: 'target', text: 'Reduce cycle time by 15%', until: '2027-06-30' },
    });
  });

  it.each(['constraint list', 'constraints', 'CONSTRAINT LIST'])('reads %j as the constraint list', (text) => {
    expect(parse(text)).toEqual({ kind: 'constraintList' });
  });

  it.each([
    ['constraint', 'Add a priority, constraint or target, or list them.'],
    ['constraint list all', 'Add a priority, constraint or target, or list them.'],
    ['constraints add', 'Say what it is first: priority, constraint or target.'],
    ['constraint add', 'Say what it is first: priority, constraint or target.'],
    ['constraint add wish More coffee', 'Say what it is first: priority, constraint or target.'],
    ['constraint add target', 'Say what the outcome target is.'],
    ['constraint add target Fewer returns until 2025-03-02', '2025-03-02 has passed already.'],
    [
      'constraint add target Fewer returns until tomorrow',
      'Give the end date as YYYY-MM-DD, last, like "until 2027-06-30".',
    ],
  ])('refuses %j with the constraint usage', (text, problem) => {
    expect(parse(text)).toEqual({ kind: 'invalid', problem, usage: USAGE.constraint });
  });

  it('checks the end date against the day the platform passes', () => {
    expect(
      parseCoeCommand('constraint add target Fewer returns until 2025-03-03', [], {
        today: new Date('2025-03-04T00:00:00.000Z'),
      }),
    ).toEqual({ kind: 'invalid', problem: '2025-03-03 has passed already.', usage: USAGE.constraint });
  });

  it('reads sop new with a normalised key and the title as typed', () => {
    expect(parse('sop new SOP-Inventory_Scanning  Inventory   scanning')).toEqual({
      kind: 'sopNew',
      key: 'inventory-scanning',
      title: 'Inventory scanning',
    });
    expect(parse(`sop new returns ${'t'.repeat(120)}`)).toEqual({
      kind: 'sopNew',
      key: 'returns',
      title: 't'.repeat(120),
    });
  });

  it('opens the baseline form for sop new without a title, with the key when given', () => {
    expect(parse('sop new')).toEqual({ kind: 'sopForm' });
    expect(parse('sop new SOP-Returns')).toEqual({ kind: 'sopForm', key: 'returns' });
  });

  it('reads sop show with a normalised key, and sop list', () => {
    expect(parse('sop show SOP-Returns')).toEqual({ kind: 'sopShow', key: 'returns' });
    expect(parse('SOP LIST')).toEqual({ kind: 'sopList' });
    expect(parse('sops')).toEqual({ kind: 'sopList' });
  });

  it.each([
    ['sop', 'Register, show or list standards.'],
    ['sop show', 'Register, show or list standards.'],
    ['sop show inventory scanning', 'Register, show or list standards.'],
    ['sop list all', 'Register, show or list standards.'],
    ['sop delete returns', 'Register, show or list standards.'],
    ['sop new x Title', 'Give the standard a key of letters, digits and dashes, like inventory-scanning.'],
    ['sop new !!! Title', 'Give the standard a key of letters, digits and dashes, like inventory-scanning.'],
    [`sop new returns ${'t'.repeat(121)}`, 'Keep the title under 120 characters.'],
  ])('refuses %j with the sop usage', (text, problem) => {
    expect(parse(text)).toEqual({ kind: 'invalid', problem, usage: USAGE.sop });
  });

  it('reads release with or without a standard', () => {
    expect(parse('release')).toEqual({ kind: 'release' });
    expect(parse('Release SOP-Inventory-Scanning')).toEqual({ kind: 'release', sopKey: 'inventory-scanning' });
    for (const text of ['release x', 'release inventory scanning', 'release !!']) {
      expect(parse(text)).toEqual({
        kind: 'invalid',
        problem: 'Name one standard, or none to pick from all.',
        usage: USAGE.release,
      });
    }
  });

  it('reads withdraw with one id, as typed', () => {
    expect(parse('withdraw cr-7')).toEqual({ kind: 'withdraw', id: 'cr-7' });
    for (const text of ['withdraw', 'withdraw CR-1 CR-2']) {
      expect(parse(text)).toEqual({ kind: 'invalid', problem: 'Which change request?', usage: USAGE.withdraw });
    }
  });

  it('reads ai with the tool as typed, or alone for the list', () => {
    expect(parse('ai')).toEqual({ kind: 'ai' });
    expect(parse('AI  Chat   GPT ')).toEqual({ kind: 'ai', tool: 'Chat GPT' });
    expect(parse('ai chatgtp')).toEqual({ kind: 'ai', tool: 'chatgtp' });
  });

  it('reads team add and team channel with the channel mentioned last', () => {
    expect(parse('team add Night Shift #channel', [], ['C0NIGHT'])).toEqual({
      kind: 'teamAdd',
      name: 'Night Shift',
      channelId: 'C0NIGHT',
    });
    expect(parse('team channel Night Shift #channel', [], ['C0NIGHT'])).toEqual({
      kind: 'teamChannel',
      name: 'Night Shift',
      channelId: 'C0NIGHT',
    });
    // In the team's own channel, the channel is where the command was sent: the service takes it from there.
    expect(parse('team channel  Night Shift ')).toEqual({ kind: 'teamChannel', name: 'Night Shift' });
  });

  it.each([
    ['team add #channel Night Shift', ['C0NIGHT'], 'Put the channel last.'],
    ['team channel Night #channel Shift', ['C0NIGHT'], 'Put the channel last.'],
    ['team add #channel', ['C0NIGHT'], 'Add a team or list them.'],
    ['team channel #channel', ['C0NIGHT'], 'Name the team this channel belongs to.'],
    ['team channel', [], 'Name the team this channel belongs to.'],
    ['team add Night Shift #channel', [], 'Mention the channel as a link (pick it as you type #).'],
    [`team channel ${'x'.repeat(81)}`, [], 'Keep the team name under 80 characters.'],
  ] as const)('refuses %j with the team usage', (text, channels, problem) => {
    expect(parse(text, [], channels)).toEqual({ kind: 'invalid', problem, usage: USAGE.team });
  });

  it('reads team member with the person, the team and whether they manage it', () => {
    expect(parse(`team member ${MENTION} Night Shift manager`, [ana])).toEqual({
      kind: 'teamMember',
      person: ana,
      name: 'Night Shift',
      manager: true,
    });
    expect(parse(`team member ${MENTION} Night Shift MANAGER`, [ben])).toMatchObject({ person: ben, manager: true });
    expect(parse(`team member ${MENTION} Night Shift`, [ana])).toEqual({
      kind: 'teamMember',
      person: ana,
      name: 'Night Shift',
      manager: false,
    });
  });

  it.each([
    [`team member ${MENTION} Night Shift`, [], 'Mention the person to add to the team.'],
    ['team member Ana Night Shift', [ana], 'Mention the person to add to the team.'],
    [`team member ${MENTION}`, [ana], 'Name the team.'],
    [`team member ${MENTION} manager`, [ana], 'Name the team.'],
  ] as const)('refuses %j with the team usage', (text, mentions, problem) => {
    expect(parse(text, mentions)).toEqual({ kind: 'invalid', problem, usage: USAGE.team });
  });
});

describe('the words of scheduled work', () => {
  it.each([
    ['training', { kind: 'trainingMine' }],
    ['Training mine', { kind: 'trainingMine' }],
    ['trainings', { kind: 'trainingMine' }],
    ['training assign', { kind: 'trainingAssign' }],
    ['training ASSIGN', { kind: 'trainingAssign' }],
    ['training status TR-3', { kind: 'trainingStatus', id: 'TR-3' }],
    ['training status 3', { kind: 'trainingStatus', id: '3' }],
    ['training TR-3', { kind: 'trainingStatus', id: 'TR-3' }],
    ['training tr3', { kind: 'trainingStatus', id: 'tr3' }],
    ['audit plan', { kind: 'auditPlan' }],
    ['audit list', { kind: 'auditList' }],
    ['audits', { kind: 'auditList' }],
    ['AUDIT run AUD-2', { kind: 'auditRun', id: 'AUD-2' }],
    ['jobs', { kind: 'jobs' }],
    [' JOBS ', { kind: 'jobs' }],
  ] as const)('reads %j', (text, command) => {
    expect(parseCoeCommand(text)).toEqual(command);
  });

  it.each([
    'training assign now',
    'training status',
    'training status TR-3 TR-4',
    'training CR-3',
    'training everyone',
  ])('refuses %j with the training usage', (text) => {
    expect(parseCoeCommand(text)).toEqual({
      kind: 'invalid',
      problem: 'See your training, assign one, or see how far one is.',
      usage: USAGE.training,
    });
  });

  it.each(['audit', 'audit plan now', 'audit run', 'audit run AUD-1 AUD-2', 'audits all', 'audit show AUD-1'])(
    'refuses %j with the audit usage',
    (text) => {
      expect(parseCoeCommand(text)).toEqual({
        kind: 'invalid',
        problem: 'Plan an audit, list them, or start a run now.',
        usage: USAGE.audit,
      });
    },
  );

  it('does not guess at more words after jobs', () => {
    expect(parseCoeCommand('jobs please')).toEqual({ kind: 'unknown', text: 'jobs please' });
  });
});
