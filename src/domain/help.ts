/**
 * What `help` offers one person: the commands their layer may use (the permission table, through `may`), their
 * layer's three most used first and the rest one tap away. The core names each command; every platform writes it its
 * own way (`/coe queue` in Slack, `queue` said to the bot in Teams), so no sentence here leans on how a command looks.
 */
import {
  type CommandHelp,
  type CommandRef,
  coeCommand,
  commandToken,
  type Message,
  type MessageBlock,
} from './message.ts';
import { type Action, LAYER_LABELS, type Layer, may, withArticle } from './people.ts';

/** Neutral action ids: Slack's "More commands" button (Teams opens the rest inside the card instead). */
export const HELP_ACTIONS = {
  more: 'help.more',
} as const;

export interface HelpCommand extends CommandHelp {
  id: string;
  /** What the permission table must allow the person's layer; none: anyone may. */
  needs?: Action;
}

const coe = (words: string): CommandRef => ({ command: 'coe', words });

/** Every command help can list, everyday ones first: the order "More commands" shows them in. */
export const HELP_COMMANDS = [
  {
    id: 'friction',
    command: { command: 'friction', words: '[what happened]' },
    does: 'Report friction: a tool, a failure pattern, a training gap, quality variance or a cross-team issue.',
  },
  {
    id: 'changeRequest',
    command: { command: 'change-request', words: '[what changes]' },
    does: 'Propose a change to a workflow, template, tool, standard, training or AI rule.',
    needs: 'raiseChange',
  },
  { id: 'status', command: coe('status FR-12'), does: 'Where a friction report or a change request stands.' },
  { id: 'myReports', command: coe('my reports'), does: 'Your reports and change requests, and where each stands.' },
  { id: 'ai', command: coe('ai <tool>'), does: 'Whether and how you may use an AI tool for work.' },
  { id: 'aiList', command: coe('ai'), does: 'Every AI usage rule, in one list.' },
  { id: 'training', command: coe('training'), does: 'Your own training, and when each is due.' },
  {
    id: 'trainingStatus',
    command: coe('training status TR-3'),
    does: 'How far each team and layer is with a training.',
  },
  { id: 'sopList', command: coe('sop list'), does: 'The standards, with their current versions.' },
  {
    id: 'sopFind',
    command: coe('sop find <words>'),
    does: 'Find a standard by words of its key, title or text: its current version, to read or share.',
  },
  {
    id: 'sopShow',
    command: coe('sop show <key> [vX.Y]'),
    does: 'One standard: what its current version (or the one named) says, page by page, and its history.',
  },
  {
    id: 'sopDiff',
    command: coe('sop diff <key> vA vB'),
    does: 'What changed between two versions of a standard: the lines added and removed.',
  },
  {
    id: 'constraintList',
    command: coe('constraint list'),
    does: 'The priorities, constraints and outcome targets executives have set.',
  },
  {
    id: 'constraintAdd',
    command: coe('constraint add <kind> <text>'),
    does: 'Set a priority, a constraint or an outcome target for the CoE; the kind is priority, constraint or target.',
    needs: 'setDirection',
  },
  {
    id: 'constraintEnd',
    command: coe('constraint end EX-2'),
    does: 'End a priority, constraint or outcome target early; the CoE is told in its review channel.',
    needs: 'setDirection',
  },
  {
    id: 'withdraw',
    command: coe('withdraw CR-7'),
    does: 'Take back a change request of yours before it is approved.',
    needs: 'raiseChange',
  },
  { id: 'auditList', command: coe('audit list'), does: 'The audit plans, and when each runs next.' },
  { id: 'teamList', command: coe('team list'), does: 'The teams, with their members and channels.' },
  { id: 'queue', command: coe('queue'), does: 'Open reports waiting for the CoE.', needs: 'seeTriageQueue' },
  {
    id: 'release',
    command: coe('release [sop key]'),
    does: 'Publish a new version of a standard from approved change requests.',
    needs: 'publishRelease',
  },
  {
    id: 'sopNew',
    command: coe('sop new <key> <title>'),
    does: 'Register a standard already in use, as its v1.0; without a title, a form takes its text and link too.',
    needs: 'manageSops',
  },
  {
    id: 'sopRetire',
    command: coe('sop retire <key>'),
    does: 'Retire a standard: it takes no new changes or releases, and its teams are told.',
    needs: 'manageSops',
  },
  {
    id: 'trainingAssign',
    command: coe('training assign'),
    does: 'Assign a training to teams or layers, with a due date.',
    needs: 'assignTraining',
  },
  {
    id: 'trainingDue',
    command: coe('training due TR-3 <YYYY-MM-DD>'),
    does: 'Move a training to a new due date; those not done yet are told.',
    needs: 'assignTraining',
  },
  {
    id: 'trainingCancel',
    command: coe('training cancel TR-3'),
    does: 'Cancel a training: its reminders stop and those not done yet are told.',
    needs: 'assignTraining',
  },
  { id: 'auditPlan', command: coe('audit plan'), does: 'Plan a scheduled audit of a standard.', needs: 'planAudits' },
  { id: 'auditRun', command: coe('audit run AUD-2'), does: 'Start a run of a planned audit now.', needs: 'planAudits' },
  {
    id: 'auditPause',
    command: coe('audit pause AUD-2'),
    does: 'Pause an audit: it does not run until it is resumed.',
    needs: 'planAudits',
  },
  {
    id: 'auditResume',
    command: coe('audit resume AUD-2'),
    does: 'Resume a paused audit: it runs again on its schedule.',
    needs: 'planAudits',
  },
  {
    id: 'auditChange',
    command: coe('audit change AUD-2'),
    does: "Change an audit's schedule, checklist, acceptable variance or owner.",
    needs: 'planAudits',
  },
  {
    id: 'auditStop',
    command: coe('audit stop AUD-2'),
    does: 'Stop an audit for good; its recorded runs stay.',
    needs: 'planAudits',
  },
  {
    id: 'metrics',
    command: coe('metrics [30d|90d|quarter] [team]'),
    does: "The CoE's scorecard with trends: the organisation's, or your team's. Never about one person.",
    needs: 'seeMetrics',
  },
  {
    id: 'jobs',
    command: coe('jobs'),
    does: 'The scheduled jobs, with their last and next run.',
    needs: 'seeJobs',
  },
  {
    id: 'setupReviewChannel',
    command: coe('setup review-channel'),
    does: 'Make the channel you are in the CoE review channel.',
    needs: 'setupReviewChannel',
  },
  {
    id: 'role',
    command: coe('role @person <layer>'),
    does: "Set a person's layer: coe, manager, executive or worker.",
    needs: 'grantRole',
  },
  {
    id: 'teamAdd',
    command: coe('team add <name> [#channel]'),
    does: 'Add a team, with its channel if you name one.',
    needs: 'manageTeams',
  },
  {
    id: 'teamMemberRemove',
    command: coe('team member remove @person <team>'),
    does: 'Take a person out of a team (and off its managers); they are told.',
    needs: 'manageTeams',
  },
  {
    id: 'teamRename',
    command: coe('team rename <name> to <new name>'),
    does: 'Rename a team; its members, channels and history stay, and its channel is told.',
    needs: 'manageTeams',
  },
  {
    id: 'teamArchive',
    command: coe('team archive <name>'),
    does: 'Archive a team: no form offers it and its channels get nothing new; its history stays.',
    needs: 'manageTeams',
  },
  {
    id: 'teamChannel',
    command: coe('team channel <name>'),
    does: "Make the channel you are in a team's channel: its releases and reminders go there.",
    needs: 'manageTeams',
  },
  {
    id: 'teamMember',
    command: coe('team member @person <team> [manager]'),
    does: 'Put a person in a team; ending with the word manager makes them one of its managers.',
    needs: 'manageTeams',
  },
] as const satisfies readonly HelpCommand[];

export type HelpCommandId = (typeof HELP_COMMANDS)[number]['id'];

/** What each layer does most (the loop's part that is theirs, seed §4–§5), shown before anything else. */
export const MOST_USED: Record<Layer, readonly [HelpCommandId, HelpCommandId, HelpCommandId]> = {
  worker: ['friction', 'myReports', 'ai'],
  manager: ['friction', 'changeRequest', 'myReports'],
  executive: ['constraintAdd', 'constraintList', 'changeRequest'],
  coe: ['queue', 'release', 'status'],
};

const ALL: readonly HelpCommand[] = HELP_COMMANDS;

/** Whether a person of `layer` may use this command. */
export const mayUse = (layer: Layer, command: HelpCommand) => command.needs === undefined || may(layer, command.needs);

/** The commands a layer may use: its most used first, then the rest in the list's order. */
export function helpCommands(layer: Layer): { mostUsed: HelpCommand[]; rest: HelpCommand[] } {
  const allowed = ALL.filter((c) => mayUse(layer, c));
  const mostUsed = MOST_USED[layer]
    .map((id) => allowed.find((c) => c.id === id))
    .filter((c): c is HelpCommand => c !== undefined);
  return { mostUsed, rest: allowed.filter((c) => !mostUsed.includes(c)) };
}

/** `help all`, `help more`: everything at once (what Slack's "More commands" asks for). */
export const wantsEverything = (topic: string | undefined) =>
  topic !== undefined && /^(all|more|everything)$/i.test(topic.trim());

export interface HelpOptions {
  /** Every command at once, instead of the most used and a way to the rest. */
  all?: boolean;
  /** What the person sent that is not a command: help answers it too. */
  unknown?: string;
}

const line = (c: HelpCommand): CommandHelp => ({ command: c.command, does: c.does });

export function helpMessage(layer: Layer, options: HelpOptions = {}): Message {
  const { mostUsed, rest } = helpCommands(layer);
  const as = withArticle(LAYER_LABELS[layer]);
  const opening =
    options.unknown === undefined
      ? 'I help your Center of Excellence run its improvement loop.'
      : `I don't know "${options.unknown}" yet.`;
  const commands: MessageBlock =
    options.all || rest.length === 0
      ? { type: 'commands', commands: [...mostUsed, ...rest].map(line) }
      : {
          type: 'commands',
          commands: mostUsed.map(line),
          more: {
            commands: rest.map(line),
            button: { id: HELP_ACTIONS.more, label: 'More commands', value: 'all' },
          },
        };
  const text = [
    opening,
    `Most used: ${mostUsed.map((c) => commandToken(c.command)).join(', ')}.`,
    ...(options.unknown === undefined ? [] : [`Send ${coeCommand('help')} for everything you can do.`]),
  ].join(' ');
  return {
    text,
    blocks: [
      {
        type: 'paragraph',
        text: `${opening} ${options.all ? `Everything you can do as ${as}, most used first:` : `What you use most as ${as}:`}`,
      },
      commands,
      { type: 'note', text: 'Every change to how we work goes through the CoE. Nobody is monitored individually.' },
    ],
  };
}

/** The first words of a person's home (Slack's App Home): where to start, each command written the platform's way. */
export const HOME_INTRO = `Something slowing you down? Type ${commandToken({ command: 'friction' })} anywhere, or use **Report friction** on a message. Follow any report with ${coeCommand('status FR-12')}.`;
