/**
 * The words after `/coe` in Slack, or said to the bot in Teams, turned into one command. Platforms replace each
 * mention of a person with the token `@mention` and pass the people mentioned, in order, so this parser never sees
 * platform syntax.
 */
import { isLayer, type Layer, type PersonRef } from './people.ts';

export const MENTION = '@mention';

export type CoeCommand =
  | { kind: 'help'; topic?: string }
  | { kind: 'setupReviewChannel' }
  | { kind: 'grantRole'; person: PersonRef; layer: Layer }
  | { kind: 'status'; id: string }
  | { kind: 'myReports' }
  | { kind: 'triageQueue' }
  | { kind: 'teamAdd'; name: string }
  | { kind: 'teamList' }
  | { kind: 'invalid'; problem: string; usage: string }
  | { kind: 'unknown'; text: string };

export const USAGE = {
  setup: 'setup review-channel',
  role: 'role @person coe|manager|executive|worker',
  status: 'status FR-12',
  team: 'team add <name> | team list',
} as const;

const TEAM_NAME_MAX = 80;

export function parseCoeCommand(text: string, mentions: readonly PersonRef[] = []): CoeCommand {
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
      return parseTeam(rest);
    default:
      return { kind: 'unknown', text: text.trim() };
  }
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

function parseTeam(args: string[]): CoeCommand {
  const sub = args[0]?.toLowerCase();
  if (sub === 'list' && args.length === 1) return { kind: 'teamList' };
  const name = args.slice(1).join(' ').trim();
  if (sub === 'add' && name && name.length <= TEAM_NAME_MAX) return { kind: 'teamAdd', name };
  if (sub === 'add' && name) {
    return { kind: 'invalid', problem: `Keep the team name under ${TEAM_NAME_MAX} characters.`, usage: USAGE.team };
  }
  return { kind: 'invalid', problem: 'Add a team or list them.', usage: USAGE.team };
}
