/**
 * Who and what the fuzz cases talk about: the people, channels and records the seed creates, plus values of every
 * id shape a button or form carries (existing records, missing ones, and junk), so cases reach deep into the bot.
 */
import fc from 'fast-check';
import { uuidFrom } from '../support/fake-bot-connector.ts';
import type { TeamsAccount } from '../support/teams-activity.ts';
import { oddString } from './mutations.ts';

export const SLACK_COE = { id: 'UCOE1', name: 'cora' };
export const SLACK_WORKER = { id: 'UWORK1', name: 'wanda' };
export const SLACK_MANAGER = { id: 'UMGR1', name: 'mona' };
export const SLACK_REVIEW = 'C0REVIEW';
export const SLACK_TEAM_CHANNEL = 'C0WARE';
export const TEAM_NAME = 'Warehouse';
export const SOP_KEY = 'scanning';

const teamsAccount = (slug: string, name: string): Required<TeamsAccount> => ({
  id: `29:user-${slug}`,
  name,
  aadObjectId: uuidFrom(`user-${slug}`),
});
export const TEAMS_COE = teamsAccount('tom', 'Tom CoE');
export const TEAMS_WORKER = teamsAccount('will', 'Will Worker');
export const TEAMS_REVIEW = '19:review@thread.tacv2';
export const TEAMS_TEAM_CHANNEL = '19:warehouse@thread.tacv2';

/** The COE_MEMBERS the bot starts with, and which the seed puts back after each reset. */
export const COE_MEMBERS = `slack:${SLACK_COE.id},teams:${TEAMS_COE.aadObjectId}`;

/** Short, plausible text a person would type. */
export const words: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'Scanner freezes',
    'Inventory scanner',
    'Inventory scanner',
    'Month-end close',
    'The VPN drops every hour',
    'x',
    'Warehouse',
    'scanning',
  ),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
);

/** Text a field may hold: plausible mostly, odd sometimes. */
export const fieldText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: words, weight: 4 },
  { arbitrary: oddString, weight: 1 },
);

const recordId = (prefix: string) =>
  fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 4 }).map((n) => `${prefix}-${n}`), weight: 4 },
    {
      arbitrary: fc.constantFrom(`${prefix}-999`, `${prefix}-0`, `${prefix.toLowerCase()}-1`, `${prefix}1`),
      weight: 1,
    },
  );
export const frictionId = recordId('FR');
export const changeId = recordId('CR');
export const trainingId = recordId('TR');
export const auditId = recordId('AUD');
export const constraintId = recordId('EX');

/** A value of the shape some button carries, right or wrong for the button it ends up on. */
export const buttonValue: fc.Arbitrary<string> = fc.oneof(
  frictionId,
  changeId,
  trainingId,
  fc.constantFrom('1:1', '1:2', '99:1', '1', '2', '999', 'FR-1:untriaged', 'FR-2:stalled', '1:2:token', ''),
  oddString,
);

/** The value the button with this action id really carries, mostly. */
export function valueFor(actionId: string): fc.Arbitrary<string> {
  const own: Record<string, fc.Arbitrary<string>> = {
    'friction.plus_one_instead': fc.constantFrom('2:1:token', '1:2:nope', '3:1:x'),
    'release.deployed': fc.constantFrom('1:1', '1:2', '2:1'),
    'audit.record': fc.constantFrom('1', '2', '999'),
    'nudge.snooze': fc.constantFrom('FR-1:untriaged', 'FR-2:stalled', 'FR-9:untriaged'),
    'sop.more': fc.constantFrom(`show:${SOP_KEY}:v1.0:2`, `diff:${SOP_KEY}:v1.0:v1.1:1`, `show:${SOP_KEY}:v9.9:1`),
  };
  const family = actionId.split('.')[0];
  const typical =
    (Object.hasOwn(own, actionId) ? own[actionId] : undefined) ??
    (family === 'friction' ? frictionId : family === 'change' ? changeId : family === 'training' ? trainingId : null);
  return typical ? fc.oneof({ arbitrary: typical, weight: 4 }, { arbitrary: buttonValue, weight: 1 }) : buttonValue;
}

/** An ISO date: due dates, `until` dates. */
export const date: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('2030-01-31', '2020-01-01', '2030-02-30', '1999-12-31', '2030-1-1'),
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);
