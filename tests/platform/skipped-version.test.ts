/**
 * A team that skipped a version (issue 11: "every announcement says what changed since the version the team works
 * to"), on Slack and Teams at once: Warehouse (a Slack and a Teams channel) deployed v1.1 and not v1.2; Night Shift (a
 * Slack channel) deployed v1.2. The v1.3 announcement in Warehouse's channels names v1.2's change and v1.3's, with the
 * text's change since v1.1 and the way to read the whole version; Night Shift's says what changed since v1.2, as
 * ever. Releases are published from the Slack release modal, Deployed is pressed on the Teams card and in Slack.
 * Signed HTTP to the real Bolt app against the fake Slack API, activities to the real botbuilder adapter against the
 * fake Bot Connector, on each database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RELEASE_ACTIONS } from '../../src/domain/release-messages.ts';
import { adaptiveCardProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import type { TestBot } from '../support/bot.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeBotConnector, uuidFrom } from '../support/fake-bot-connector.ts';
import { FakeSlackApi, type SlackMessage } from '../support/fake-slack-api.ts';
import { blocksText, slackHarness, startSlackBot } from '../support/slack-harness.ts';
import { viewSubmissionPayload } from '../support/slack-interactions.ts';
import { nowInSeconds } from '../support/slack-request.ts';
import { SCANNING_KEY, SCANNING_V1, SCANNING_V2, SCANNING_V3, SCANNING_V4 } from '../support/standard-texts.ts';
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
const SLACK_NIGHT = 'C0NIGHT';
const KEY = SCANNING_KEY;
const [V1, V2, V3, V4] = [SCANNING_V1, SCANNING_V2, SCANNING_V3, SCANNING_V4];

describe.each(databaseKinds())('a team that skipped a version, on Slack and Teams (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let slack: FakeSlackApi;
  let connector: FakeBotConnector;
  let bot: TestBot;
  let changes = 0;

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
  const coe = async (text: string) => (await inSlack.coe(text)).text;

  /** An approved change request proposing `lines` as the text, written against v1.`base` (raising and approving one
   * is the change-management tests' story). */
  const approvedChange = async (title: string, lines: string[], base: number) => {
    const change = await db.prisma.changeRequest.create({
      data: {
        kind: 'standard',
        sopKey: KEY,
        title,
        change: title,
        why: 'Scanners die mid-shift.',
        risk: 'low',
        improvement: 'clarify',
        status: 'approved',
        submissionKey: `seeded-cr-${++changes}`,
      },
    });
    await db.prisma.changeText.create({
      data: { changeNumber: change.number, text: lines.join('\n'), baseMajor: 1, baseMinor: base },
    });
  };

  /** Published from the Slack release modal with what it offers (its one approved change, every team). */
  const publish = async (version: string) => {
    const trigger = `${Date.now()}.${randomUUID()}`;
    const opened = slack.calls('views.open').length;
    const res = await inSlack.command('/coe', `release ${KEY}`, SLACK_COE, {
      channel_id: SLACK_REVIEW,
      trigger_id: trigger,
    });
    expect(res.status).toBe(200);
    const [open] = (await slack.waitForCalls('views.open', opened + 1)).slice(opened);
    const submitted = await inSlack.interact(
      viewSubmissionPayload({
        user: SLACK_COE,
        view: open?.args.view as Json,
        viewId: `VRELEASE${version}`,
        hash: `${nowInSeconds()}.release`,
        values: {},
      }),
    );
    expect(JSON.stringify(submitted.json<Json>())).toContain(`Published SOP-${KEY} ${version}`);
    await flush();
  };

  const slackAnnouncement = (channel: string, version: string): SlackMessage => {
    const found = slack.messages(channel).find((m) => m.text.startsWith(`New standard: SOP-${KEY} ${version}`));
    if (!found) throw new Error(`no ${version} announcement in ${channel}`);
    return found;
  };
  const teamsAnnouncement = (version: string) => {
    const message = connector
      .messages(TEAMS_WAREHOUSE)
      .find((m) => readableText(m).includes(`New standard: SOP-${KEY} ${version}`));
    if (!message?.id) throw new Error(`no ${version} announcement in ${TEAMS_WAREHOUSE}`);
    return { activityId: message.id, card: cardsOfActivity(message)[0] as Card };
  };
  /** Warehouse's manager presses Deployed on the Teams card. */
  const deployedInTeams = async (version: string) => {
    const { activityId, card } = teamsAnnouncement(version);
    const button = cardButtons(card).find((b) => (b.data as Json | undefined)?.coeAction === RELEASE_ACTIONS.deployed);
    await press(button?.data, MANAGER, { channel: TEAMS_WAREHOUSE, activityId });
    await flush();
    expect(readableText(lastInChat(MANAGER))).toContain(`Recorded: Warehouse works to SOP-${KEY} ${version}`);
  };
  /** The CoE says Night Shift deployed, with the button in its Slack channel. */
  const deployedInSlack = async (version: string) => {
    await inSlack.press(SLACK_COE, SLACK_NIGHT, slackAnnouncement(SLACK_NIGHT, version), RELEASE_ACTIONS.deployed);
    await inSlack.waitForEphemeral(
      SLACK_COE,
      new RegExp(`Night Shift works to SOP-${KEY} ${version.replace('.', '\\.')}`),
    );
    await inSlack.flush();
  };

  it('tells Warehouse, which works to v1.1, what changed in v1.2 and v1.3, in both its channels', async () => {
    expect(await coe('setup review-channel')).toMatch(/review channel/);
    expect(await coe(`team add Warehouse <#${SLACK_WAREHOUSE}|warehouse>`)).toMatch(/with its channel/);
    expect(await coe(`team add Night Shift <#${SLACK_NIGHT}|night>`)).toMatch(/with its channel/);
    expect(await coe(`sop new ${KEY} Inventory scanning`)).toMatch(/v1\.0/);
    await db.prisma.sopText.create({ data: { sopKey: KEY, major: 1, minor: 0, text: V1.join('\n') } });
    for (const person of [TEAMS_COE, MANAGER]) await say('help', { from: person });
    await say('team channel Warehouse', { from: TEAMS_COE, channel: TEAMS_WAREHOUSE });
    await say(`role <at>${MANAGER.name}</at> manager`, { from: TEAMS_COE, mentioning: [MANAGER] });
    await say(`team member <at>${MANAGER.name}</at> Warehouse manager`, { from: TEAMS_COE, mentioning: [MANAGER] });
    await flush();

    // v1.1: both teams deploy it. v1.2: only Night Shift does.
    await approvedChange('Charge at every break', V2, 0);
    await publish('v1.1');
    await deployedInTeams('v1.1');
    await deployedInSlack('v1.1');
    await approvedChange('Scan the shelf label', V3, 1);
    await publish('v1.2');
    await deployedInSlack('v1.2');
    await approvedChange('Count the spare batteries', V4, 2);
    await publish('v1.3');

    // Warehouse, in Slack: both changes named, and the text since the version it works to.
    const inSlackChannel = slackAnnouncement(SLACK_WAREHOUSE, 'v1.3');
    expect(inSlackChannel.text).toMatch(
      /^New standard: SOP-inventory-scanning v1\.3 \(it also covers what changed since v1\.1\)\. /,
    );
    const slackSaid = blocksText(inSlackChannel.blocks);
    expect(slackSaid).toContain('Warehouse works to v1.1, so this also covers v1.2, which it did not deploy.');
    // v1.2's notes name its change request already: once, not twice.
    expect(slackSaid).toContain('*v1.2*\\n• CR-2 Scan the shelf label (Clarify)');
    expect(slackSaid).toContain('Count the spare batteries');
    expect(slackSaid).toContain('*The text* since v1.1: +2 lines, −0 lines.');
    expect(slackSaid).toContain('+ 3. Picker: scan the shelf label.');
    expect(slackSaid).toContain('+ 4. Shift lead: count the spare batteries.');
    expect(slackSaid).toContain(`\`/coe sop diff ${KEY} v1.1 v1.3\``);
    expect(slackSaid).toContain(`\`/coe sop show ${KEY} v1.3\``);
    expect(blockKitProblems({ text: inSlackChannel.text, blocks: inSlackChannel.blocks as unknown[] })).toEqual([]);

    // Warehouse, in Teams: the same, on a card that validates.
    const { card } = teamsAnnouncement('v1.3');
    const teamsSaid = readableText(card);
    expect(teamsSaid).toContain('Warehouse works to v1.1, so this also covers v1.2, which it did not deploy.');
    expect(teamsSaid).toContain('• CR-2 Scan the shelf label (Clarify)');
    expect(teamsSaid).toContain('Count the spare batteries');
    expect(teamsSaid).toContain('since v1.1: +2 lines, −0 lines.');
    expect(JSON.stringify(card)).toContain('4. Shift lead: count the spare batteries.');
    expect(teamsSaid).toContain(`sop diff ${KEY} v1.1 v1.3`);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(cardButtons(card).map((b) => b.title)).toEqual(['Deployed in my team', 'Read it']);

    // Night Shift deployed v1.2: what changed since v1.2, as ever.
    const night = blocksText(slackAnnouncement(SLACK_NIGHT, 'v1.3').blocks);
    expect(night).toContain('*The text* since v1.2: +1 line, −0 lines.');
    expect(night).not.toContain('so this also covers');

    // Deployed in Warehouse from Teams: both announcements, updated in place, still cover what it skipped.
    await deployedInTeams('v1.3');
    const updated = readableText(teamsAnnouncement('v1.3').card);
    expect(updated).toContain('Deployed in Warehouse by Mona Manager');
    expect(updated).toContain('so this also covers v1.2');
    const slackUpdate = slack
      .calls('chat.update')
      .filter((c) => c.args.channel === SLACK_WAREHOUSE && c.args.ts === inSlackChannel.ts && !c.faulted)
      .at(-1);
    expect(JSON.stringify(slackUpdate?.args.blocks)).toContain('so this also covers v1.2');
  });
});
