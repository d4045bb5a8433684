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
  | { kind: 'invalid'; problem: string; usage: string }
  | { kind: 'unknown'; text: string };

export const USAGE = {
  setup: 'setup review-channel',
  role: 'role @person coe|manager|executive|worker',
} as const;

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
