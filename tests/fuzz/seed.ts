/**
 * The world every reset starts from, made the way people make it (signed Slack requests and Teams activities to the
 * real bot): review channels on both platforms, a team with its channel, manager and worker, a standard, friction
 * reports FR-1..4 (FR-2 and FR-4 open, about one tool), change requests (CR-1 approved and released as release 1 to team 1, CR-2 waiting), a training
 * TR-1 and an audit AUD-1 with an open run. Buttons and forms of the fuzz cases name these, so cases reach past
 * "there is no FR-1". A step that fails is reported, not fatal: the bot is being changed while the suite runs.
 */
import { randomUUID } from 'node:crypto';
import { CARD_ACTIONS } from '../../src/platforms/teams/ids.ts';
import { SIGNING_SECRET } from '../support/bot.ts';
import { type InputValue, viewSubmissionPayload } from '../support/slack-interactions.ts';
import { interactionBody, postToSlackApp, slashCommandBody } from '../support/slack-request.ts';
import { postActivity, teamsInvoke, teamsMessage } from '../support/teams-activity.ts';
import type { FuzzTarget } from './target.ts';
import {
  SLACK_COE,
  SLACK_MANAGER,
  SLACK_REVIEW,
  SLACK_TEAM_CHANNEL,
  SLACK_WORKER,
  SOP_KEY,
  TEAM_NAME,
  TEAMS_COE,
  TEAMS_REVIEW,
  TEAMS_TEAM_CHANNEL,
  TEAMS_WORKER,
} from './world.ts';

type Json = Record<string, unknown>;
type User = { id: string; name: string };

const mention = (u: User) => `<@${u.id}|${u.name}>`;

/** Seeds the world; returns what did not work (empty when all did). */
export async function seed(target: FuzzTarget): Promise<string[]> {
  const problems: string[] = [];
  const slackUrl = `${target.bot.url}/slack/events`;
  let views = 0;

  const step = async (name: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const command = async (
    name: string,
    text: string,
    user: User,
    channel = SLACK_REVIEW,
    trigger = `${Date.now()}.${randomUUID()}`,
  ) => {
    const body = slashCommandBody({
      command: name,
      text,
      user_id: user.id,
      user_name: user.name,
      channel_id: channel,
      trigger_id: trigger,
    });
    const res = await postToSlackApp(slackUrl, SIGNING_SECRET, body);
    if (res.status !== 200) throw new Error(`${name} ${text} answered ${res.status}`);
    return res.text;
  };
  /** A slash command that opens a form, then its submission with `values` (by block id). */
  const form = async (name: string, text: string, user: User, values: Record<string, InputValue>) => {
    const trigger = `${Date.now()}.${randomUUID()}`;
    const before = target.slack.calls('views.open').length;
    const answer = await command(name, text, user, SLACK_REVIEW, trigger);
    await target.slack.waitForCalls('views.open', before + 1, 2000).catch(() => {
      throw new Error(`${name} ${text} opened no form (${answer.slice(0, 120)})`);
    });
    const view = target.slack.calls('views.open').find((c) => c.args.trigger_id === trigger)?.args.view as Json;
    const payload = viewSubmissionPayload({ user, view, viewId: `VSEED${++views}`, values });
    const res = await postToSlackApp(slackUrl, SIGNING_SECRET, interactionBody(payload));
    const ack = res.text ? (JSON.parse(res.text) as Json) : {};
    if (res.status !== 200 || ack.response_action === 'errors') {
      throw new Error(`${name} ${text} submitted: ${res.status} ${res.text.slice(0, 200)}`);
    }
  };
  const press = async (user: User, actionId: string, value: string) => {
    const payload = {
      type: 'block_actions',
      user: { id: user.id, name: user.name },
      trigger_id: `${Date.now()}.${randomUUID()}`,
      container: { type: 'message', message_ts: `${Date.now() / 1000}`, channel_id: SLACK_REVIEW },
      channel: { id: SLACK_REVIEW },
      actions: [{ action_id: actionId, value, type: 'button', action_ts: `${Date.now() / 1000}` }],
    };
    const res = await postToSlackApp(slackUrl, SIGNING_SECRET, interactionBody(payload));
    if (res.status !== 200) throw new Error(`${actionId} ${value} answered ${res.status}`);
  };
  const say = async (text: string, from: typeof TEAMS_COE, channel: string) => {
    const activity = teamsMessage({
      serviceUrl: target.connector.serviceUrl,
      text,
      from,
      conversation: { conversationType: 'channel' },
      channel: { id: channel },
    });
    const res = await postActivity(target.bot.url, activity);
    if (res.status !== 200) throw new Error(`teams "${text}" answered ${res.status}`);
  };

  const flush = () => target.settle();

  await step('slack review channel', () => command('/coe', 'setup review-channel', SLACK_COE));
  await step('teams review channel', () => say('setup review-channel', TEAMS_COE, TEAMS_REVIEW));
  await step('team', () => command('/coe', `team add ${TEAM_NAME} <#${SLACK_TEAM_CHANNEL}|warehouse>`, SLACK_COE));
  await step('teams team channel', () => say(`team channel ${TEAM_NAME}`, TEAMS_COE, TEAMS_TEAM_CHANNEL));
  await step('manager', () => command('/coe', `role ${mention(SLACK_MANAGER)} manager`, SLACK_COE));
  await step('team manager', () =>
    command('/coe', `team member ${mention(SLACK_MANAGER)} ${TEAM_NAME} manager`, SLACK_COE),
  );
  await step('team worker', () => command('/coe', `team member ${mention(SLACK_WORKER)} ${TEAM_NAME}`, SLACK_COE));
  await step('standard', () => command('/coe', `sop new ${SOP_KEY} Scanning`, SLACK_COE));

  const report = (title: string, anonymous: boolean) => ({
    'friction.kind': 'tool_friction',
    'friction.title': title,
    'friction.description': `${title}, every day.`,
    'friction.tool': 'Inventory scanner',
    'friction.frequency': 'daily',
    'friction.impact': 'high',
    ...(anonymous ? { 'friction.anonymous': true } : {}),
  });
  await step('FR-1', () => form('/friction', '', SLACK_WORKER, report('Scanners freeze', false)));
  await step('FR-2', () => form('/friction', '', SLACK_WORKER, report('Labels smudge', true)));
  await step('FR-3', async () => {
    const activity = teamsInvoke({
      serviceUrl: target.connector.serviceUrl,
      name: 'task/submit',
      from: TEAMS_WORKER,
      conversation: { conversationType: 'personal' },
      value: {
        data: {
          coeAction: CARD_ACTIONS.submitFriction,
          kind: 'failure_pattern',
          title: 'Month-end close slips',
          description: 'The close slips every month.',
          tool: 'Month-end close',
          frequency: 'weekly',
          impact: 'medium',
          anonymous: 'false',
        },
        context: { theme: 'default' },
      },
    });
    const res = await postActivity(target.bot.url, activity);
    if (res.status !== 200) throw new Error(`task/submit answered ${res.status}`);
  });

  await step('FR-4', () => form('/friction', '', SLACK_MANAGER, report('Scanner battery dies', false)));

  const change = (title: string) => ({
    'change.kind': 'workflow',
    'change.sop': SOP_KEY,
    'change.title': title,
    'change.change': `${title}: restart the scanners at shift start.`,
    'change.why': 'Fewer freezes.',
    'change.friction': 'FR-1',
    'change.risk': 'low',
    'change.improvement': 'clarify',
  });
  await step('CR-1', () => form('/change-request', '', SLACK_MANAGER, change('Restart scanners')));
  await step('CR-2', () => form('/change-request', '', SLACK_MANAGER, change('Charge spares')));
  await step('approve CR-1', () => press(SLACK_COE, 'change.approve', 'CR-1'));
  await flush();
  await step('release 1', () =>
    form('/coe', `release ${SOP_KEY}`, SLACK_COE, {
      'release.changes': ['CR-1'],
      'release.notes': 'Restart at shift start.',
      'release.teams': ['1'],
    }),
  );
  await step('TR-1', () =>
    form('/coe', 'training assign', SLACK_COE, {
      'training.title': 'Restarting scanners',
      'training.material': 'https://example.com/scanners',
      'training.teams': ['1'],
      'training.due': '2030-01-31',
    }),
  );
  await step('AUD-1', () =>
    form('/coe', 'audit plan', SLACK_COE, {
      'audit.sop': SOP_KEY,
      'audit.schedule': '0 9 * * 1',
      'audit.checklist': 'Scanners restarted\nSpares charged',
      'audit.variance': '5',
      'audit.owner': SLACK_MANAGER.id,
    }),
  );
  await step('audit run 1', () => command('/coe', 'audit run AUD-1', SLACK_COE));
  await flush();
  return problems;
}
