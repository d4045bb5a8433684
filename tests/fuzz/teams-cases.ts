/**
 * Teams activities for the fuzz suite: the command words said to the bot, card buttons, dialogs (task/fetch,
 * task/submit), Universal Actions, the message action, conversation updates and activity types the bot does not
 * handle — first as Teams sends them, then mutated and (mis-)encoded.
 */
import fc from 'fast-check';
import { DECLINE_LANES } from '../../src/domain/friction-decline.ts';
import { CARD_ACTIONS, MESSAGE_ACTIONS, SEARCH_COMMANDS, SEARCH_PARAMETER } from '../../src/platforms/teams/ids.ts';
import {
  type TeamsAccount,
  type TeamsActivity,
  teamsConversationUpdate,
  teamsInvoke,
  teamsMessage,
} from '../support/teams-activity.ts';
import {
  AUDIT_PLAN_FIELDS,
  AUDIT_RESULT_FIELDS,
  CHANGE_FIELDS,
  FRICTION_FIELDS,
  RELEASE_FIELDS,
  SOP_FIELDS,
  TRAINING_FIELDS,
  teamsFormData,
} from './forms.ts';
import { applyMutations, junkValue, mutations, oddString, sometimes } from './mutations.ts';
import type { FuzzRequest } from './request.ts';
import {
  auditId,
  changeId,
  constraintId,
  fieldText,
  frictionId,
  SOP_KEY,
  TEAM_NAME,
  TEAMS_COE,
  TEAMS_REVIEW,
  TEAMS_TEAM_CHANNEL,
  TEAMS_WORKER,
  trainingId,
  valueFor,
  words,
} from './world.ts';

type Json = Record<string, unknown>;

const person = fc.oneof(
  { arbitrary: fc.constantFrom<TeamsAccount>(TEAMS_COE, TEAMS_WORKER), weight: 6 },
  { arbitrary: fc.constant<TeamsAccount>({ id: '29:user-nobody', name: 'Nobody' }), weight: 1 },
);

/** Where it happens: a personal chat, the review channel, a team's channel, a group chat. */
const place = fc.constantFrom<{ conversationType: 'personal' | 'channel' | 'groupChat'; channel?: string }>(
  { conversationType: 'personal' },
  { conversationType: 'channel', channel: TEAMS_REVIEW },
  { conversationType: 'channel', channel: TEAMS_TEAM_CHANNEL },
  { conversationType: 'groupChat' },
);

/** The command words of the README, with right and wrong arguments, and free text. */
const commandText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'help',
    '',
    'my reports',
    'queue',
    'jobs',
    'sop list',
    'team list',
    'audit list',
    'audit plan',
    'training',
    'training assign',
    'constraint list',
    'ai',
    'release',
    `release ${SOP_KEY}`,
    'setup review-channel',
    '/coe help',
    'change-request',
  ),
  fc.tuple(fc.constantFrom('friction', 'change request'), fieldText).map((p) => p.join(' ')),
  fc.tuple(fc.constantFrom('status', 'withdraw'), fc.oneof(frictionId, changeId, constraintId)).map((p) => p.join(' ')),
  fc.tuple(fc.constantFrom('training status', 'audit run'), fc.oneof(trainingId, auditId)).map((p) => p.join(' ')),
  fc
    .tuple(
      fc.constantFrom('ai', 'sop show', 'sop diff', 'sop new', 'sop find', 'team add', 'constraint add priority'),
      words,
    )
    .map((p) => p.join(' ')),
  fc.constantFrom(
    `team channel ${TEAM_NAME}`,
    'role <at>Will Worker</at> manager',
    `team member <at>Will Worker</at> ${TEAM_NAME}`,
  ),
  fieldText,
);

type Where = { from: TeamsAccount; at: { conversationType: 'personal' | 'channel' | 'groupChat'; channel?: string } };

function around(serviceUrl: string, { from, at }: Where) {
  return {
    serviceUrl,
    from,
    conversation: { conversationType: at.conversationType },
    ...(at.channel ? { channel: { id: at.channel } } : {}),
  };
}

const where = fc.record({ from: person, at: place });

/** A card action, mostly one the bot knows. */
const coeAction = fc.oneof(
  { arbitrary: fc.constantFrom(...Object.values(CARD_ACTIONS)), weight: 8 },
  { arbitrary: fc.constantFrom('friction.old', 'release.undo', ''), weight: 1 },
  { arbitrary: oddString, weight: 1 },
);

/** A button's data: its action and the value it carries. */
const buttonData = coeAction.chain((action) => valueFor(action).map((value) => ({ coeAction: action, value }) as Json));

/** A form's data, half the time as a person would fill it in (so it gets past the form's checks), else loosely. */
const loose = (fields: Parameters<typeof teamsFormData>[0]) => {
  const [strict, lax] = [teamsFormData(fields, true), teamsFormData(fields, false)];
  return fc.boolean().chain((asAPerson) => (asAPerson ? strict : lax));
};

/** The data each dialog's submit carries: the form's inputs. */
const FORMS: Record<string, fc.Arbitrary<Json>> = {
  [CARD_ACTIONS.submitFriction]: loose(FRICTION_FIELDS),
  [CARD_ACTIONS.submitChange]: loose(CHANGE_FIELDS),
  [CARD_ACTIONS.submitRelease]: loose(RELEASE_FIELDS).map((d) => ({ ...d, sopKey: SOP_KEY })),
  [CARD_ACTIONS.submitTraining]: loose(TRAINING_FIELDS),
  [CARD_ACTIONS.submitAudit]: loose(AUDIT_PLAN_FIELDS),
  [CARD_ACTIONS.recordAudit]: loose(AUDIT_RESULT_FIELDS).map((d) => ({ ...d, value: '1' })),
  [CARD_ACTIONS.submitSop]: loose(SOP_FIELDS),
};

/** The data a dialog's submit carries for its action: the form's inputs, or a decision's reason. */
function submitData(action: string): fc.Arbitrary<Json> {
  const form = Object.hasOwn(FORMS, action) ? FORMS[action] : undefined;
  if (form) return form;
  return fc
    .record({
      value: valueFor(action),
      reason: fieldText,
      rootCause: fieldText,
      duplicateOf: frictionId,
      lane: fc.constantFrom(...DECLINE_LANES, 'nowhere'),
      standard: fc.constantFrom(SOP_KEY, '', 'no-such-standard'),
      prefill: fieldText,
    })
    .chain((all) =>
      fc
        .subarray(Object.keys(all), { minLength: 1 })
        .map((keys) => Object.fromEntries(keys.map((k) => [k, all[k as keyof typeof all]]))),
    );
}

const dialogData = (which: 'fetch' | 'submit') =>
  coeAction.chain((action) =>
    (which === 'submit'
      ? submitData(action)
      : fc.record({ value: valueFor(action), prefill: fieldText }, { requiredKeys: [] })
    ).map((data) => ({ ...data, coeAction: action }) as Json),
  );

type Built = { kind: string; activity: TeamsActivity };

export function teamsActivities(serviceUrl: string): fc.Arbitrary<Built> {
  const message = fc.record({ where, text: commandText }).map(
    ({ where: w, text }): Built => ({
      kind: 'teams message',
      activity: teamsMessage({ ...around(serviceUrl, w), text }),
    }),
  );
  const button = fc.record({ where, data: buttonData }).map(({ where: w, data }): Built => {
    const activity = teamsMessage({ ...around(serviceUrl, w), text: '', value: data });
    delete activity.text;
    return { kind: 'teams message (card button)', activity };
  });
  const invoke = (name: string, value: fc.Arbitrary<unknown>) =>
    fc.record({ where, value }).map(
      ({ where: w, value: v }): Built => ({
        kind: `teams invoke ${name}`,
        activity: teamsInvoke({ ...around(serviceUrl, w), name, value: v }),
      }),
    );
  const context = { theme: 'default' };
  const messagePayload = fc.record({
    body: fc.record({
      content: fc.oneof(
        fieldText.map((t) => `<p>${t}</p>`),
        fieldText,
      ),
      contentType: fc.constantFrom('html', 'text'),
    }),
    linkToMessage: fc.constantFrom('https://teams.microsoft.com/l/message/19:x/1', 'javascript:alert(1)', ''),
  });
  const commandId = fc.oneof(
    fc.constant(MESSAGE_ACTIONS.reportFriction),
    fc.constantFrom('unknownCommand', ''),
    oddString,
  );
  const conversationUpdate = fc
    .record({ where, added: fc.boolean(), who: fc.constantFrom('bot', 'person') })
    .map(({ where: w, added, who }): Built => {
      const member = who === 'bot' ? { id: '28:bot-id', name: 'CoE' } : w.from;
      return {
        kind: 'teams conversationUpdate',
        activity: teamsConversationUpdate({
          ...around(serviceUrl, w),
          ...(added ? { membersAdded: [member] } : { membersRemoved: [member] }),
        }),
      };
    });
  const otherType = fc
    .record({
      where,
      type: fc.constantFrom(
        'messageReaction',
        'installationUpdate',
        'typing',
        'event',
        'endOfConversation',
        'messageUpdate',
        'messageDelete',
        'nonsense',
        '',
      ),
    })
    .map(({ where: w, type }): Built => {
      const activity = teamsMessage({ ...around(serviceUrl, w), text: 'x' });
      return { kind: `teams ${type || '(empty type)'}`, activity: { ...activity, type } };
    });
  return fc.oneof(
    { arbitrary: message, weight: 6 },
    { arbitrary: button, weight: 4 },
    {
      arbitrary: invoke(
        'task/fetch',
        dialogData('fetch').map((data) => ({ data, context })),
      ),
      weight: 4,
    },
    {
      arbitrary: invoke(
        'task/submit',
        dialogData('submit').map((data) => ({ data, context })),
      ),
      weight: 5,
    },
    {
      arbitrary: invoke(
        'adaptiveCard/action',
        buttonData.map((data) => ({
          action: { type: 'Action.Execute', verb: data.coeAction, data },
          trigger: 'manual',
        })),
      ),
      weight: 1,
    },
    {
      arbitrary: invoke(
        'composeExtension/fetchTask',
        fc.record({ commandId, messagePayload }).map((v) => ({ ...v, commandContext: 'message', context })),
      ),
      weight: 2,
    },
    {
      arbitrary: invoke(
        'composeExtension/submitAction',
        fc
          .record({ commandId, data: submitData(CARD_ACTIONS.submitFriction), messagePayload })
          .map((v) => ({ ...v, commandContext: 'message', context })),
      ),
      weight: 2,
    },
    {
      // The message box's search: the words typed (or the first run), a page of results.
      arbitrary: invoke(
        'composeExtension/query',
        fc.record({
          commandId: fc.oneof(fc.constant(SEARCH_COMMANDS.findStandard), commandId),
          parameters: fc.array(
            fc.record({
              name: fc.constantFrom(SEARCH_PARAMETER, 'initialRun', ''),
              value: fc.oneof(words, oddString, fc.constant('true')),
            }),
            { maxLength: 3 },
          ),
          queryOptions: fc.record({ skip: fc.nat(40), count: fc.integer({ min: 1, max: 25 }) }),
        }),
      ),
      weight: 1,
    },
    {
      arbitrary: fc
        .constantFrom(
          'signin/verifyState',
          'fileConsent/invoke',
          'composeExtension/query',
          'actionableMessage/executeAction',
          'config/fetch',
          'tab/fetch',
          'healthCheck',
          'nonsense',
        )
        .chain((name) => invoke(name, fc.oneof(fc.constant({}), junkValue))),
      weight: 1,
    },
    { arbitrary: conversationUpdate, weight: 1 },
    { arbitrary: otherType, weight: 1 },
  );
}

const JSON_TYPE = 'application/json';

const contentType = fc.oneof(
  { arbitrary: fc.constant<string | null>(JSON_TYPE), weight: 14 },
  { arbitrary: fc.constantFrom<string | null>('application/json; charset=utf-8', 'APPLICATION/JSON'), weight: 1 },
  {
    arbitrary: fc.constantFrom<string | null>(
      null,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ),
    weight: 2,
  },
);

/** A body that is not an activity at all. */
const wholeBody = fc.oneof(
  junkValue.map((j) => JSON.stringify(j) ?? ''),
  fc.constantFrom('', '{', '{"type":', 'nul', '[{"type":"message"}]', '{"type":"message"'),
);

/** Every kind of Teams request, well-formed or not; `serviceUrl` is the fake Bot Connector the replies go to. */
export function teamsRequest(serviceUrl: string): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      built: teamsActivities(serviceUrl),
      mutations,
      whole: sometimes(wholeBody),
      type: contentType,
    })
    .map(
      ({ built, mutations: m, whole, type }): FuzzRequest => ({
        endpoint: '/api/messages',
        kind: built.kind,
        contentType: type,
        body: whole ?? JSON.stringify(applyMutations(built.activity, m)) ?? 'null',
      }),
    );
}
