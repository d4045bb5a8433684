/**
 * One bot, both platforms at once (issue 4: "announced in every target team's channels on Slack and Teams"): a team
 * with a Slack channel and a Teams channel gets the release in both, from a release published in Slack; its manager,
 * who works in Teams, says it is deployed, and the announcement is updated in place on both platforms. Signed HTTP to
 * the real Bolt app against the fake Slack API, activities to the real botbuilder adapter against the fake Bot
 * Connector, on each database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RELEASE_ACTIONS } from '../../src/domain/release-messages.ts';
import type { TestBot } from '../support/bot.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeBotConnector, uuidFrom } from '../support/fake-bot-connector.ts';
import { FakeSlackApi, type SlackMessage } from '../support/fake-slack-api.ts';
import { slackHarness, startSlackBot } from '../support/slack-harness.ts';
import { viewSubmissionPayload } from '../support/slack-interactions.ts';
import { nowInSeconds } from '../support/slack-request.ts';
import { type Card, cardButtons, cardsOfActivity, readableText, type TeamsAccount } from '../support/teams-activity.ts';
import { teamsHarness } from '../support/teams-harness.ts';

type Json = Record<string, unknown>;

const SLACK_COE = { id: 'UCOE1', name: 'cora' };
const TEAMS_COE: Required<TeamsAccount> = { id: '29:user-tom', name: 'Tom CoE', aadObjectId: uuidFrom('user-tom') };
const MANAGER: Required<TeamsAccount> = {
  id: '29:user-mona',
  name: 'Mona Manager',
  aadObjectId: uuidFrom('user-mona'),
};
const SLACK_REVIEW = 'C0REVIEW';
const SLACK_WAREHOUSE = 'C0WARE';
const TEAMS_WAREHOUSE = '19:warehouse@thread.tacv2';

describe.each(databaseKinds())('a release on Slack and Teams at once (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let slack: FakeSlackApi;
  let connector: FakeBotConnector;
  let bot: TestBot;

  beforeAll(async () => {
    db = await testDatabase(kind);
    await db.reset();
    slack = await FakeSlackApi.start();
    connector = await FakeBotConnector.start();
    for (const p of [TEAMS_COE, MANAGER]) connector.addMember({ id: p.id, name: p.name, aadObjectId: p.aadObjectId });
    bot = await startSlackBot({
      database: db,
      slack,
      env: { COE_MEMBERS: `slack:${SLACK_COE.id},teams:${TEAMS_COE.aadObjectId}` },
    });
  });
  afterAll(async () => {
    await bot?.stop({ flushMs: 0 });
    await slack?.close();
    await connector?.close();
  });
  afterEach(() => {
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  const inSlack = slackHarness({ bot: () => bot, slack: () => slack, coe: SLACK_COE, reviewChannel: SLACK_REVIEW });
  const { say, press, flush, lastInChat } = teamsHarness({ bot: () => bot, connector: () => connector });

  /** `/coe <text>` from the CoE member in the review channel. */
  const slackCommand = (text: string, extra: Record<string, string> = {}) =>
    inSlack.command('/coe', text, SLACK_COE, { channel_id: SLACK_REVIEW, channel_name: 'coe-review', ...extra });
  const coe = async (text: string) => (await inSlack.coe(text)).text;

  const slackAnnouncement = (): SlackMessage => {
    const found = slack.messages(SLACK_WAREHOUSE).find((m) => m.text.startsWith('New standard:'));
    if (!found) throw new Error(`no announcement in ${SLACK_WAREHOUSE}`);
    return found;
  };
  /** The announcement as the channel shows it now (the fake applies updates in place). */
  const teamsAnnouncement = () => {
    const message = connector.messages(TEAMS_WAREHOUSE).find((m) => readableText(m).includes('New standard:'));
    if (!message?.id) throw new Error(`no announcement in ${TEAMS_WAREHOUSE}`);
    return { activityId: message.id, card: cardsOfActivity(message)[0] as Card };
  };

  it('announces in the Slack and the Teams channel of a team, and a Teams manager’s Deployed updates both', async () => {
    // Set-up on both platforms: the review channel and the team's Slack channel in Slack; the team's Teams channel,
    // its manager and the manager's layer in Teams (everyone has spoken to the bot once, so it can reach them).
    expect(await coe('setup review-channel')).toMatch(/review channel/);
    expect(await coe(`team add Warehouse <#${SLACK_WAREHOUSE}|warehouse>`)).toMatch(/with its channel/);
    expect(await coe('sop new inventory-scanning Inventory scanning')).toMatch(/v1\.0/);
    for (const person of [TEAMS_COE, MANAGER]) await say('help', { from: person });
    await say('team channel Warehouse', { from: TEAMS_COE, channel: TEAMS_WAREHOUSE });
    await say(`role <at>${MANAGER.name}</at> manager`, { from: TEAMS_COE, mentioning: [MANAGER] });
    await say(`team member <at>${MANAGER.name}</at> Warehouse manager`, { from: TEAMS_COE, mentioning: [MANAGER] });
    expect(readableText(lastInChat(TEAMS_COE))).toContain('Mona Manager manages Warehouse');
    const team = await db.prisma.team.findFirstOrThrow({ include: { channels: true } });
    expect(team.channels.map((c) => `${c.platform}:${c.channelId}`).sort()).toEqual([
      `slack:${SLACK_WAREHOUSE}`,
      `teams:${TEAMS_WAREHOUSE}`,
    ]);
    // An approved change to release (raising and approving one is the change-management tests' story).
    await db.prisma.changeRequest.create({
      data: {
        kind: 'standard',
        sopKey: 'inventory-scanning',
        title: 'Clarify the battery swap step',
        change: 'Say which battery goes back on the charger.',
        why: 'People swap the wrong one.',
        risk: 'low',
        improvement: 'clarify',
        status: 'approved',
        submissionKey: 'seeded-cr-1',
      },
    });
    await flush();

    // Published in Slack: the release modal on the trigger, submitted with its defaults (the one approved change).
    const trigger = `${Date.now()}.${randomUUID()}`;
    const opened = slack.calls('views.open').length;
    expect((await slackCommand('release inventory-scanning', { trigger_id: trigger })).status).toBe(200);
    const [open] = (await slack.waitForCalls('views.open', opened + 1)).slice(opened);
    expect(open?.args.trigger_id).toBe(trigger);
    const submitted = await inSlack.interact(
      viewSubmissionPayload({
        user: SLACK_COE,
        view: open?.args.view as Json,
        viewId: 'VRELEASE1',
        hash: `${nowInSeconds()}.release`,
        values: {},
      }),
    );
    expect(JSON.stringify(submitted.json<Json>())).toContain('Published SOP-inventory-scanning v1.1');
    await flush();

    // One announcement on each platform, each with the button for the team's managers.
    expect(slack.messages(SLACK_WAREHOUSE).filter((m) => m.text.startsWith('New standard:'))).toHaveLength(1);
    expect(JSON.stringify(slackAnnouncement().blocks)).toContain(RELEASE_ACTIONS.deployed);
    const posts = connector.activities(TEAMS_WAREHOUSE).filter((r) => readableText(r.body).includes('New standard:'));
    expect(posts).toHaveLength(1);
    const { activityId, card } = teamsAnnouncement();
    const button = cardButtons(card).find((b) => (b.data as Json | undefined)?.coeAction === RELEASE_ACTIONS.deployed);
    expect(button, JSON.stringify(card)).toBeDefined();
    // The CoE sees both channels counted.
    await slack.waitFor(() =>
      slack.calls('chat.update').some((c) => String(c.args.text).includes('Announced: sent 2/2')),
    );

    // The manager presses Deployed on the Teams card: recorded once, and both announcements change in place.
    await press(button?.data, MANAGER, { channel: TEAMS_WAREHOUSE, activityId });
    await flush();
    expect(readableText(lastInChat(MANAGER))).toContain('Recorded: Warehouse works to SOP-inventory-scanning v1.1');
    expect(await db.prisma.releaseAck.count()).toBe(1);
    const slackUpdate = slack
      .calls('chat.update')
      .filter((c) => c.args.channel === SLACK_WAREHOUSE && c.args.ts === slackAnnouncement().ts && !c.faulted);
    expect(slackUpdate).toHaveLength(1);
    expect(JSON.stringify(slackUpdate[0]?.args.blocks)).toContain('Deployed in Warehouse by Mona Manager');
    expect(JSON.stringify(slackUpdate[0]?.args.blocks)).not.toContain(RELEASE_ACTIONS.deployed);
    expect(connector.requests().filter((r) => r.kind === 'update' && r.activityId === activityId)).toHaveLength(1);
    const updated = teamsAnnouncement().card;
    expect(readableText(updated)).toContain('Deployed in Warehouse by Mona Manager');
    expect(cardButtons(updated)).toEqual([]);
    // The CoE's progress message counts the team as deployed.
    await slack.waitFor(() =>
      slack.calls('chat.update').some((c) => String(c.args.text).includes('Announced: sent 2/2')),
    );
    const progress = slack
      .calls('chat.update')
      .filter((c) => c.args.channel === SLACK_REVIEW)
      .map((c) => JSON.stringify(c.args.blocks));
    expect(progress.at(-1)).toContain('1/1 teams');
  });
});
