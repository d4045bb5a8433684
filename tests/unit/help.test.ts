/**
 * Help that fits the person: each layer's commands, its three most used first, nothing it may not do (checked by
 * trying every command as every layer on the permission table's organisation), and each platform writing the
 * commands its own way within its limits.
 */
import { describe, expect, it } from 'vitest';
import { CoeError } from '../../src/domain/errors.ts';
import {
  HELP_ACTIONS,
  HELP_COMMANDS,
  type HelpCommandId,
  helpCommands,
  helpMessage,
  wantsEverything,
} from '../../src/domain/help.ts';
import type { CommandHelp, Message, MessageBlock } from '../../src/domain/message.ts';
import { LAYER_LABELS, LAYERS, type Layer, type PersonRef, withArticle } from '../../src/domain/people.ts';
import { renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard } from '../../src/platforms/teams/cards.ts';
import { adaptiveCardProblems, teamsSizeProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { carl, mona, wanda } from '../support/cast.ts';
import { eve, type World, world } from '../support/permission-table.ts';

/** Who tries in each layer (the permission table's cast). */
const PERSON: Record<Layer, PersonRef> = { worker: wanda, manager: mona, executive: eve, coe: carl };

/** The words of each listed command, as the tests name them. */
const words = (c: CommandHelp) => (c.command.command === 'coe' ? c.command.words : c.command.command);
const listed = (layer: Layer) => {
  const { mostUsed, rest } = helpCommands(layer);
  return [...mostUsed, ...rest];
};

const COE_ONLY: readonly HelpCommandId[] = [
  'queue',
  'release',
  'sopNew',
  'trainingAssign',
  'auditPlan',
  'auditRun',
  'auditPause',
  'auditResume',
  'auditChange',
  'auditStop',
  'trainingCancel',
  'trainingDue',
  'sopRetire',
  'jobs',
  'setupReviewChannel',
  'role',
  'teamAdd',
  'teamChannel',
  'teamMember',
  'teamRename',
  'teamArchive',
  'teamMemberRemove',
];

describe('the commands each layer is offered', () => {
  it('starts with what that layer uses most', () => {
    const firstThree = (layer: Layer) => helpCommands(layer).mostUsed.map(words);
    expect(firstThree('worker')).toEqual(['friction', 'my reports', 'ai <tool>']);
    expect(firstThree('manager')).toEqual(['friction', 'change-request', 'my reports']);
    expect(firstThree('executive')).toEqual(['constraint add <kind> <text>', 'constraint list', 'change-request']);
    expect(firstThree('coe')).toEqual(['queue', 'release [sop key]', 'status FR-12']);
  });

  it('shows a worker no CoE-only command, and nothing that needs a layer above theirs', () => {
    const ids = listed('worker').map((c) => c.id);
    expect(ids.filter((id) => COE_ONLY.includes(id as HelpCommandId))).toEqual([]);
    expect(ids).not.toContain('changeRequest');
    expect(ids).not.toContain('withdraw');
    expect(ids).not.toContain('constraintAdd');
    expect(ids).toEqual(expect.arrayContaining(['friction', 'status', 'myReports', 'training', 'sopShow']));
  });

  it('shows a CoE member every CoE command, and not the executives’ own', () => {
    const ids = listed('coe').map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([...COE_ONLY]));
    expect(ids).not.toContain('constraintAdd');
  });

  it('lists every command once, and the most used are not repeated among the rest', () => {
    for (const layer of LAYERS) {
      const ids = listed(layer).map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(helpCommands(layer).mostUsed).toHaveLength(3);
    }
    expect(new Set(HELP_COMMANDS.map((c) => c.id)).size).toBe(HELP_COMMANDS.length);
  });

  it('says what each command does in a sentence that needs no command formatting', () => {
    for (const c of HELP_COMMANDS) {
      expect(c.does).toMatch(/^[A-Z][^`{}]{10,120}\.$/);
      expect(c.does).not.toMatch(/\/coe|\/friction|\/change-request/);
    }
  });
});

/** Every command help can list, tried as it would be typed (or as its form opens): whatever it needs is in place. */
const TRY: Record<HelpCommandId, (w: World, actor: PersonRef) => Promise<unknown>> = {
  friction: (w, a) => w.services.friction.formDefaults(a),
  changeRequest: (w, a) => w.services.changes.formOptions(a),
  status: async (w, a) => w.coe(a, `status FR-${await w.report()}`),
  myReports: (w, a) => w.coe(a, 'my reports'),
  ai: (w, a) => w.coe(a, 'ai ChatGPT'),
  aiList: (w, a) => w.coe(a, 'ai'),
  training: (w, a) => w.coe(a, 'training'),
  trainingStatus: (w, a) => w.coe(a, 'training status TR-1'),
  sopList: (w, a) => w.coe(a, 'sop list'),
  sopShow: (w, a) => w.coe(a, 'sop show inventory-scanning'),
  sopDiff: (w, a) => w.coe(a, 'sop diff inventory-scanning v1.0'),
  sopFind: (w, a) => w.coe(a, 'sop find scanning'),
  constraintList: (w, a) => w.coe(a, 'constraint list'),
  constraintAdd: (w, a) => w.coe(a, 'constraint add priority Faster counts'),
  constraintEnd: (w, a) => w.coe(a, 'constraint end EX-1'),
  // Their own change request when they may raise one; someone else's otherwise.
  withdraw: async (w, a) => w.coe(a, `withdraw CR-${await w.raise(a).catch(() => w.raise(mona))}`),
  auditList: (w, a) => w.coe(a, 'audit list'),
  teamList: (w, a) => w.coe(a, 'team list'),
  queue: (w, a) => w.coe(a, 'queue'),
  release: async (w, a) => {
    await w.approved();
    return w.services.releases.formOptions(a);
  },
  sopNew: (w, a) => w.coe(a, 'sop new returns Returns'),
  trainingAssign: (w, a) => w.services.trainings.formOptions(a),
  auditPlan: (w, a) => w.services.audits.formOptions(a),
  auditRun: (w, a) => w.coe(a, 'audit run AUD-1'),
  auditPause: (w, a) => w.coe(a, 'audit pause AUD-1'),
  auditResume: (w, a) => w.coe(a, 'audit resume AUD-1'),
  auditChange: (w, a) => w.services.auditLifecycle.changeForm(a, 'AUD-1'),
  auditStop: (w, a) => w.coe(a, 'audit stop AUD-1'),
  trainingCancel: (w, a) => w.coe(a, 'training cancel TR-1'),
  trainingDue: (w, a) => w.coe(a, 'training due TR-1 2025-03-14'),
  sopRetire: (w, a) => w.coe(a, 'sop retire inventory-scanning'),
  jobs: (w, a) => w.coe(a, 'jobs'),
  metrics: (w, a) => w.coe(a, 'metrics'),
  setupReviewChannel: (w, a) => w.coe(a, 'setup review-channel', { channelId: freshChannel(a) }),
  role: (w, a) => w.coe(a, 'role @mention manager', { mentions: [newcomer(a)] }),
  teamAdd: (w, a) => w.coe(a, 'team add Yard'),
  teamChannel: (w, a) => w.coe(a, 'team channel Warehouse', { channelId: freshChannel(a) }),
  teamMember: (w, a) => w.coe(a, 'team member @mention Warehouse', { mentions: [newcomer(a)] }),
  teamRename: (w, a) => w.coe(a, 'team rename Warehouse to Stores'),
  teamArchive: (w, a) => w.coe(a, 'team archive Warehouse'),
  teamMemberRemove: (w, a) => w.coe(a, 'team member remove @mention Warehouse', { mentions: [mona] }),
};

const freshChannel = (a: PersonRef) => (a.platform === 'slack' ? 'C0FRESH' : '19:fresh@thread.tacv2');
const newcomer = (a: PersonRef): PersonRef => ({ platform: a.platform, externalId: 'newcomer-1' });

/** Whether trying it was refused for want of permission (any other answer, even "there is no TR-1", is not). */
async function refused(layer: Layer, id: HelpCommandId): Promise<boolean> {
  const w = await world('worker');
  const error = await TRY[id](w, PERSON[layer]).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return false;
  expect(error, `${id} as ${layer}`).toBeInstanceOf(CoeError);
  return (error as CoeError).code === 'PERMISSION.DENIED';
}

const AS = LAYERS.map((layer) => [withArticle(LAYER_LABELS[layer]), layer] as const);

describe.each(AS)('help for %s, against what the bot lets them do', (_who, layer) => {
  it.each(HELP_COMMANDS.map((c) => c.id))('%s: listed exactly when it is not refused', async (id) => {
    const shown = listed(layer).some((c) => c.id === id);
    expect({ id, layer, shown }).toEqual({ id, layer, shown: !(await refused(layer, id)) });
  });
});

/** What a rendered message says, as one string. */
const json = (value: unknown) => JSON.stringify(value);
const commandsOf = (m: Message) =>
  m.blocks.filter((b): b is Extract<MessageBlock, { type: 'commands' }> => b.type === 'commands');

describe('the help message', () => {
  it('shows the three most used, and the rest behind "More commands"', () => {
    const m = helpMessage('manager');
    const [block] = commandsOf(m);
    expect(block?.commands.map(words)).toEqual(['friction', 'change-request', 'my reports']);
    expect(block?.more?.button).toEqual({ id: HELP_ACTIONS.more, label: 'More commands', value: 'all' });
    expect(block?.more?.commands.map(words)).toEqual(helpCommands('manager').rest.map(words));
  });

  it('shows everything at once when asked for all, most used first', () => {
    const [block] = commandsOf(helpMessage('coe', { all: true }));
    expect(block?.more).toBeUndefined();
    expect(block?.commands.map(words)).toEqual(listed('coe').map(words));
  });

  it('reads `help all` and `help more` as everything', () => {
    expect(['all', 'More', ' everything '].map(wantsEverything)).toEqual([true, true, true]);
    expect([undefined, 'role', 'all of it'].map(wantsEverything)).toEqual([false, false, false]);
  });

  it.each(AS)('fits Slack and Teams for %s, collapsed and in full', (_who, layer) => {
    for (const m of [helpMessage(layer), helpMessage(layer, { all: true }), helpMessage(layer, { unknown: 'x' })]) {
      const slack = renderMessage(m);
      expect(blockKitProblems(slack)).toEqual([]);
      const card = renderCard(m);
      expect(adaptiveCardProblems(card)).toEqual([]);
      expect(teamsSizeProblems(card)).toEqual([]);
    }
  });

  it('writes commands the Slack way in Slack: slash commands in code formatting, and a More commands button', () => {
    const slack = renderMessage(helpMessage('worker'));
    expect(slack.text).toBe(
      'I help your Center of Excellence run its improvement loop. Most used: `/friction [what happened]`, `/coe my reports`, `/coe ai &lt;tool&gt;`.',
    );
    expect(json(slack.blocks)).toContain(
      '`/coe my reports` — Your reports and change requests, and where each stands.',
    );
    expect(slack.blocks.at(-2)).toMatchObject({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'help.more', text: { text: 'More commands' } }],
    });
    // The rest is not in the message: the button asks for it.
    expect(json(slack)).not.toContain('sop list');
  });

  it('writes commands the Teams way in Teams: the words to say, in bold, and the rest folded into the card', () => {
    const card = renderCard(helpMessage('coe'));
    const text = json(card);
    expect(text).not.toMatch(/\/coe|\/friction|\/change-request|`|\{\{/);
    expect(card.fallbackText).toBe(
      'I help your Center of Excellence run its improvement loop. Most used: queue, release [sop key], status FR-12.',
    );
    const container = card.body[1] as { type: string; items: Record<string, unknown>[] };
    expect(container.type).toBe('Container');
    expect(container.items.slice(0, 3).map((i) => i.text)).toEqual([
      '**queue** — Open reports waiting for the CoE.',
      '**release [sop key]** — Publish a new version of a standard from approved change requests.',
      '**status FR-12** — Where a friction report or a change request stands.',
    ]);
    const more = container.items[3] as { type: string; actions: Record<string, unknown>[] };
    expect(more).toMatchObject({ type: 'ActionSet', actions: [{ type: 'Action.ShowCard', title: 'More commands' }] });
    const folded = (more.actions[0]?.card as { body: { text: string }[] } | undefined)?.body.map((b) => b.text);
    expect(folded).toHaveLength(helpCommands('coe').rest.length);
    expect(folded).toContain(
      '**friction [what happened]** — Report friction: a tool, a failure pattern, a training gap, quality variance or a cross-team issue.',
    );
    expect(folded).toContain(
      '**change request [what changes]** — Propose a change to a workflow, template, tool, standard, training or AI rule.',
    );
    expect(folded).toContain("**role @person <layer>** — Set a person's layer: coe, manager, executive or worker.");
  });
});
