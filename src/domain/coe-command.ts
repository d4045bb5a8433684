/**
 * The words after `/coe` in Slack, or said to the bot in Teams, turned into one command. Platforms replace each
 * mention of a person with the token `@mention` (and of a channel with `#channel`) and pass the people and channels
 * mentioned, in order, so this parser never sees platform syntax.
 */
import { type ConstraintInput, parseConstraint } from './constraint.ts';
import { WINDOW_NAMES, type WindowName } from './metrics.ts';
import { isLayer, type Layer, type PersonRef } from './people.ts';
import { normaliseSopKey, SOP_KEY_PATTERN, type SopVersion } from './sop.ts';
import { parseVersion } from './sop-text.ts';

export const MENTION = '@mention';
export const CHANNEL_MENTION = '#channel';

export type CoeCommand =
  | { kind: 'help'; topic?: string }
  | { kind: 'setupReviewChannel' }
  | { kind: 'grantRole'; person: PersonRef; layer: Layer }
  | { kind: 'status'; id: string }
  | { kind: 'myReports' }
  | { kind: 'triageQueue' }
  | { kind: 'teamAdd'; name: string; channelId?: string }
  | { kind: 'teamList' }
  | { kind: 'teamChannel'; name: string; channelId?: string }
  | { kind: 'teamMember'; person: PersonRef; name: string; manager: boolean }
  | { kind: 'teamRename'; name: string; to: string }
  | { kind: 'teamArchive'; name: string }
  | { kind: 'teamMemberRemove'; person: PersonRef; name: string }
  | { kind: 'constraintAdd'; constraint: ConstraintInput }
  | { kind: 'constraintList' }
  | { kind: 'constraintEnd'; id: string }
  | { kind: 'sopNew'; key: string; title: string }
  /** `sop new` without a title: the baseline form (key, title, owner, text, link), with the key if given. */
  | { kind: 'sopForm'; key?: string }
  | { kind: 'sopShow'; key: string; version?: SopVersion }
  | { kind: 'sopDiff'; key: string; from: SopVersion; to?: SopVersion }
  | { kind: 'sopList' }
  /** `sop find <words>`: standards by words of their key, title or current text. */
  | { kind: 'sopFind'; words: string }
  | { kind: 'sopRetire'; key: string }
  | { kind: 'release'; sopKey?: string }
  | { kind: 'withdraw'; id: string }
  | { kind: 'ai'; tool?: string }
  | { kind: 'trainingMine' }
  | { kind: 'trainingAssign' }
  | { kind: 'trainingStatus'; id: string }
  | { kind: 'trainingCancel'; id: string }
  | { kind: 'trainingDue'; id: string; dueOn: string }
  | { kind: 'auditPlan' }
  | { kind: 'auditList' }
  | { kind: 'auditRun'; id: string }
  | { kind: 'auditPause'; id: string }
  | { kind: 'auditResume'; id: string }
  | { kind: 'auditStop'; id: string }
  | { kind: 'auditChange'; id: string }
  | { kind: 'jobs' }
  | { kind: 'metrics'; view?: 'constraints' | 'export'; window?: WindowName; team?: string }
  | { kind: 'invalid'; problem: string; usage: string }
  | { kind: 'unknown'; text: string };

export const USAGE = {
  setup: 'setup review-channel',
  role: 'role @person coe|manager|executive|worker',
  status: 'status FR-12',
  team: 'team add <name> [#channel] | team channel <name> | team member @person <name> [manager] | team list | team member remove @person <name> | team rename <name> to <new name> | team archive <name>',
  constraint:
    'constraint add priority|constraint|target <text> [until YYYY-MM-DD] | constraint list | constraint end EX-2',
  sop: 'sop find <words> | sop new [<key> <title>] | sop show <key> [vX.Y] | sop diff <key> vA [vB] | sop list | sop retire <key>',
  release: 'release [sop key]',
  withdraw: 'withdraw CR-7',
  ai: 'ai <tool>',
  training: 'training | training assign | training status TR-3 | training cancel TR-3 | training due TR-3 YYYY-MM-DD',
  audit: 'audit plan | audit list | audit run AUD-2 | audit pause|resume|change|stop AUD-2',
  metrics: 'metrics [30d|90d|quarter] [team] | metrics constraints | metrics export [30d|90d|quarter]',
} as const;

const SOP_TITLE_MAX = 120;

const TEAM_NAME_MAX = 80;

/** What a platform found in the text besides words: the people and channels mentioned, and today's date. */
export interface CommandContext {
  channels?: readonly string[];
  today?: Date;
}

export function parseCoeCommand(
  text: string,
  mentions: readonly PersonRef[] = [],
  context: CommandContext = {},
): CoeCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb = 'help', ...rest] = words.map((w, i) => (i === 0 ? w.toLowerCase() : w));
  switch (verb) {
    case 'help':
    case '?':
      return rest.length > 0 ? { kind: 'help', topic: rest.join(' ') } : { kind: 'help' };
    case 'setup':
      if (rest[0]?.toLowerCase() === 'review-channel' && rest.length === 1) return { kind: 'setupReviewChannel' };
      return { kind: 'invalid', problem: 'What should be set up?', usage: USAGE.setup };
    case 'role':
      return parseRole(rest, mentions);
    case 'status':
      return rest.length === 1
        ? { kind: 'status', id: rest[0] as string }
        : { kind: 'invalid', problem: 'Which report?', usage: USAGE.status };
    case 'my':
    case 'mine':
      return rest.length === 0 || (rest.length === 1 && rest[0]?.toLowerCase() === 'reports')
        ? { kind: 'myReports' }
        : { kind: 'unknown', text: text.trim() };
    case 'queue':
      return rest.length === 0 ? { kind: 'triageQueue' } : { kind: 'unknown', text: text.trim() };
    case 'team':
      return parseTeam(rest, mentions, context.channels ?? []);
    case 'constraint':
    case 'constraints':
      return parseConstraintCommand(verb === 'constraints' && rest.length === 0 ? ['list'] : rest, context.today);
    case 'sop':
    case 'sops':
      return parseSop(verb === 'sops' && rest.length === 0 ? ['list'] : rest);
    case 'release':
      return parseRelease(rest);
    case 'withdraw':
      return rest.length === 1
        ? { kind: 'withdraw', id: rest[0] as string }
        : { kind: 'invalid', problem: 'Which change request?', usage: USAGE.withdraw };
    case 'ai':
      return rest.length > 0 ? { kind: 'ai', tool: rest.join(' ') } : { kind: 'ai' };
    case 'training':
    case 'trainings':
      return parseTraining(rest);
    case 'audit':
    case 'audits':
      return parseAudit(verb === 'audits' && rest.length === 0 ? ['list'] : rest);
    case 'jobs':
      return rest.length === 0 ? { kind: 'jobs' } : { kind: 'unknown', text: text.trim() };
    case 'metrics':
    case 'scorecard':
      return parseMetrics(rest);
    default:
      return { kind: 'unknown', text: text.trim() };
  }
}

/**
 * `metrics [30d|90d|quarter] [team]`: the window first when given, the rest names a team; `metrics constraints`;
 * `metrics export [window]`.
 */
function parseMetrics(all: string[]): CoeCommand {
  const view = all[0]?.toLowerCase();
  if (view === 'constraints' && all.length === 1) return { kind: 'metrics', view };
  const args = view === 'export' ? all.slice(1) : all;
  const first = args[0]?.toLowerCase();
  const window = WINDOW_NAMES.find((w) => w === first);
  const team = (window ? args.slice(1) : args).join(' ').trim();
  if (team.length > TEAM_NAME_MAX) {
    return { kind: 'invalid', problem: `Keep the team name under ${TEAM_NAME_MAX} characters.`, usage: USAGE.metrics };
  }
  if (view === 'export' && team) {
    return { kind: 'invalid', problem: 'The export is of every team: name only the window.', usage: USAGE.metrics };
  }
  return {
    kind: 'metrics',
    ...(view === 'export' ? { view } : {}),
    ...(window ? { window } : {}),
    ...(team ? { team } : {}),
  };
}

function parseRole(args: string[], mentions: readonly PersonRef[]): CoeCommand {
  const person = mentions[0];
  const layer = args[1]?.toLowerCase();
  if (args[0] !== MENTION || !person) {
    return { kind: 'invalid', problem: 'Mention the person whose role you are setting.', usage: USAGE.role };
  }
  if (!layer || !isLayer(layer) || args.length !== 2) {
    return { kind: 'invalid', problem: 'Name one layer: coe, manager, executive or worker.', usage: USAGE.role };
  }
  return { kind: 'grantRole', person, layer };
}

function parseTeam(args: string[], mentions: readonly PersonRef[], channels: readonly string[]): CoeCommand {
  const sub = args[0]?.toLowerCase();
  const invalid = (problem: string): CoeCommand => ({ kind: 'invalid', problem, usage: USAGE.team });
  if (sub === 'list' && args.length === 1) return { kind: 'teamList' };
  if (sub === 'member' && args[1]?.toLowerCase() === 'remove') {
    const person = mentions[0];
    if (args[2] !== MENTION || !person) return invalid('Mention the person to take out of the team.');
    const name = args.slice(3).join(' ').trim();
    return name ? { kind: 'teamMemberRemove', person, name } : invalid('Name the team.');
  }
  if (sub === 'member') {
    const person = mentions[0];
    if (args[1] !== MENTION || !person) return invalid('Mention the person to add to the team.');
    const words = args.slice(2);
    const manager = words.at(-1)?.toLowerCase() === 'manager';
    const name = (manager ? words.slice(0, -1) : words).join(' ').trim();
    if (!name) return invalid('Name the team.');
    return { kind: 'teamMember', person, name, manager };
  }
  if (sub === 'rename') {
    // The first "to" after the old name splits it from the new one.
    const at = args.findIndex((w, i) => i > 1 && w.toLowerCase() === 'to');
    const name = args.slice(1, at).join(' ').trim();
    const to = args
      .slice(at + 1)
      .join(' ')
      .trim();
    if (at < 0 || !name || !to)
      return invalid('Say the team and its new name, like: team rename Night Shift to Late Shift.');
    if (to.length > TEAM_NAME_MAX) return invalid(`Keep the team name under ${TEAM_NAME_MAX} characters.`);
    return { kind: 'teamRename', name, to };
  }
  if (sub === 'archive') {
    const name = args.slice(1).join(' ').trim();
    return name ? { kind: 'teamArchive', name } : invalid('Name the team to archive.');
  }
  if (sub === 'add' || sub === 'channel') {
    const words = args.slice(1);
    const channelAt = words.indexOf(CHANNEL_MENTION);
    if (channelAt >= 0 && channelAt !== words.length - 1) return invalid('Put the channel last.');
    const channelId = channelAt >= 0 ? channels[0] : undefined;
    // The token without the channel behind it: linking nothing while saying "done" would mislead.
    if (channelAt >= 0 && channelId === undefined)
      return invalid('Mention the channel as a link (pick it as you type #).');
    const name = (channelAt >= 0 ? words.slice(0, -1) : words).join(' ').trim();
    if (!name) return invalid(sub === 'add' ? 'Add a team or list them.' : 'Name the team this channel belongs to.');
    if (name.length > TEAM_NAME_MAX) return invalid(`Keep the team name under ${TEAM_NAME_MAX} characters.`);
    const kind = sub === 'add' ? 'teamAdd' : 'teamChannel';
    return channelId ? { kind, name, channelId } : { kind, name };
  }
  return invalid('Add a team or list them.');
}

function parseConstraintCommand(args: string[], today = new Date()): CoeCommand {
  const sub = args[0]?.toLowerCase();
  if (sub === 'list' && args.length === 1) return { kind: 'constraintList' };
  if (sub === 'add') {
    const parsed = parseConstraint(args.slice(1), today);
    if ('problem' in parsed) return { kind: 'invalid', problem: parsed.problem, usage: USAGE.constraint };
    return { kind: 'constraintAdd', constraint: parsed };
  }
  if (sub === 'end') {
    return args.length === 2
      ? { kind: 'constraintEnd', id: args[1] as string }
      : { kind: 'invalid', problem: 'Which one? Name it, like EX-2.', usage: USAGE.constraint };
  }
  return { kind: 'invalid', problem: 'Add a priority, constraint or target, or list them.', usage: USAGE.constraint };
}

function parseSop(args: string[]): CoeCommand {
  const sub = args[0]?.toLowerCase();
  const invalid = (problem: string): CoeCommand => ({ kind: 'invalid', problem, usage: USAGE.sop });
  if (sub === 'list' && args.length === 1) return { kind: 'sopList' };
  if (sub === 'find' || sub === 'search') {
    const words = args.slice(1).join(' ').trim();
    return words ? { kind: 'sopFind', words } : invalid('Say what to look for, like: sop find scanner.');
  }
  if (sub === 'show' && args.length === 2) return { kind: 'sopShow', key: normaliseSopKey(args[1] as string) };
  if (sub === 'show' && args.length === 3 && /^v?\d/i.test(args[2] as string)) {
    const version = parseVersion(args[2] as string);
    if (!version) return invalid('Name the version like v1.0, or leave it out for the current one.');
    return { kind: 'sopShow', key: normaliseSopKey(args[1] as string), version };
  }
  if (sub === 'diff') {
    const [from, to] = args.slice(2).map(parseVersion);
    if (args.length < 3 || args.length > 4 || !from || (args.length === 4 && !to)) {
      return invalid('Name the standard and the versions to compare, like inventory-scanning v1.0 v1.1.');
    }
    return { kind: 'sopDiff', key: normaliseSopKey(args[1] as string), from, ...(to ? { to } : {}) };
  }
  if (sub === 'retire') {
    const key = normaliseSopKey(args[1] ?? '');
    if (args.length !== 2 || !SOP_KEY_PATTERN.test(key)) return invalid('Name the standard to retire by its key.');
    return { kind: 'sopRetire', key };
  }
  if (sub === 'new') {
    const key = normaliseSopKey(args[1] ?? '');
    const title = args.slice(2).join(' ').trim();
    // Nothing or the key alone: the form, to give the text and link as well.
    if (!args[1]) return { kind: 'sopForm' };
    if (!SOP_KEY_PATTERN.test(key)) {
      return invalid('Give the standard a key of letters, digits and dashes, like inventory-scanning.');
    }
    if (!title) return { kind: 'sopForm', key };
    if (title.length > SOP_TITLE_MAX) return invalid(`Keep the title under ${SOP_TITLE_MAX} characters.`);
    return { kind: 'sopNew', key, title };
  }
  return invalid('Register, show or list standards.');
}

function parseRelease(args: string[]): CoeCommand {
  if (args.length === 0) return { kind: 'release' };
  const key = normaliseSopKey(args.join(' '));
  if (args.length === 1 && SOP_KEY_PATTERN.test(key)) return { kind: 'release', sopKey: key };
  return { kind: 'invalid', problem: 'Name one standard, or none to pick from all.', usage: USAGE.release };
}

function parseTraining(args: string[]): CoeCommand {
  const sub = args[0]?.toLowerCase();
  if (args.length === 0 || (sub === 'mine' && args.length === 1)) return { kind: 'trainingMine' };
  if (sub === 'assign' && args.length === 1) return { kind: 'trainingAssign' };
  if (sub === 'status' && args.length === 2) return { kind: 'trainingStatus', id: args[1] as string };
  if (sub === 'cancel') {
    return args.length === 2
      ? { kind: 'trainingCancel', id: args[1] as string }
      : { kind: 'invalid', problem: 'Which training? Name it, like TR-3.', usage: USAGE.training };
  }
  if (sub === 'due') {
    const [, id, date] = args;
    if (args.length !== 3 || !id || !date || !isDate(date)) {
      return {
        kind: 'invalid',
        problem: 'Name the training and its new due date, like TR-3 2025-03-14.',
        usage: USAGE.training,
      };
    }
    return { kind: 'trainingDue', id, dueOn: date };
  }
  if (args.length === 1 && /^tr-?\d+$/i.test(args[0] as string))
    return { kind: 'trainingStatus', id: args[0] as string };
  return { kind: 'invalid', problem: 'See your training, assign one, or see how far one is.', usage: USAGE.training };
}

function parseAudit(args: string[]): CoeCommand {
  const sub = args[0]?.toLowerCase();
  if (sub === 'plan' && args.length === 1) return { kind: 'auditPlan' };
  if (sub === 'list' && args.length === 1) return { kind: 'auditList' };
  if (sub === 'run' && args.length === 2) return { kind: 'auditRun', id: args[1] as string };
  const lifecycle = sub ? AUDIT_LIFECYCLE.get(sub) : undefined;
  if (lifecycle) {
    return args.length === 2
      ? { kind: lifecycle, id: args[1] as string }
      : { kind: 'invalid', problem: 'Which audit plan? Name it, like AUD-2.', usage: USAGE.audit };
  }
  return { kind: 'invalid', problem: 'Plan an audit, list them, or start a run now.', usage: USAGE.audit };
}

/** `audit pause|resume|stop|change AUD-2`: the words, and the command each makes (a Map: no `constructor`). */
const AUDIT_LIFECYCLE = new Map<string, 'auditPause' | 'auditResume' | 'auditStop' | 'auditChange'>([
  ['pause', 'auditPause'],
  ['resume', 'auditResume'],
  ['stop', 'auditStop'],
  ['change', 'auditChange'],
]);

/** `YYYY-MM-DD`, and a day the calendar has. */
function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
