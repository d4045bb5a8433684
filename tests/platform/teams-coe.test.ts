/**
 * The `/coe` words said to the bot in Teams, through the real botbuilder CloudAdapter; replies and proactive posts
 * land on a fake Bot Connector.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { FakeBotConnector, uuidFrom } from '../support/fake-bot-connector.ts';
import { DEFAULT_TEAMS_USER, TEAMS_CHANNEL_ID, type TeamsAccount } from '../support/teams-activity.ts';
import { teamsHarness, type Where } from '../support/teams-harness.ts';

const COE_USER: TeamsAccount = { id: '29:user-coe', name: 'Cora CoE', aadObjectId: uuidFrom('user-coe') };
const WORKER: TeamsAccount = DEFAULT_TEAMS_USER;

interface SentActivity {
  text?: string;
  summary?: string;
  attachments?: { contentType: string; content: { type: string; version: string; body: { text?: string }[] } }[];
}

/** Everything readable in an activity the bot sent: its text, summary and card text. */
function words(body: unknown): string {
  const a = body as SentActivity;
  const card = a.attachments?.[0]?.content;
  return [a.text, a.summary, ...(card?.body ?? []).map((b) => b.text)].filter(Boolean).join(' | ');
}

describe.each(databaseKinds())('the CoE bot in Teams (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let connector: FakeBotConnector;
  let bot: TestBot;

  beforeAll(async () => {
    db = await testDatabase(kind);
    await db.reset();
    connector = await FakeBotConnector.start();
    bot = await startTestBot({ database: db, env: { COE_MEMBERS: `teams:${COE_USER.aadObjectId}` } });
  });
  afterAll(async () => {
    await bot?.stop();
    await connector?.close();
  });
  beforeEach(() => connector.reset());

  const { post, messageActivity } = teamsHarness({ bot: () => bot, connector: () => connector });
  const say = (text: string, where: Where & { mentioning?: TeamsAccount[] } = {}) => post(messageActivity(text, where));

  it('answers help with a card, through the Bot Connector', async () => {
    const res = await say('help');
    expect(res.status).toBe(200);
    const [reply] = await connector.waitForActivities(1);
    const body = reply?.body as SentActivity;
    expect(body.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.attachments?.[0]?.content.version).toBe('1.5');
    // A worker's own list (teams-help.test.ts has the rest): set-up is the CoE's.
    expect(words(body)).toContain('friction [what happened]');
    expect(JSON.stringify(body)).not.toContain('setup review-channel');
    expect(words(body)).not.toContain('/coe');
  });

  it('answers an unknown command with help', async () => {
    await say('make me a sandwich');
    const [reply] = await connector.waitForActivities(1);
    expect(words(reply?.body)).toContain('I don\'t know "make me a sandwich"');
  });

  it('refuses setup to a worker privately, in a personal chat, and changes nothing', async () => {
    await say('setup review-channel', { channel: true });
    const [reply] = await connector.waitForActivities(1);
    expect(words(reply?.body)).toMatch(/only CoE members/i);
    expect(reply?.conversationId?.split(';')[0]).not.toBe(TEAMS_CHANNEL_ID);
    expect(await db.prisma.reviewChannel.count()).toBe(0);
    expect(await db.prisma.outboxMessage.count()).toBe(0);
  });

  it('lets a CoE member register the review channel, announced there proactively', async () => {
    await say('setup review-channel', { from: COE_USER, channel: true });
    await connector.waitFor(() => connector.activities().length >= 2);
    expect((await db.prisma.reviewChannel.findUnique({ where: { platform: 'teams' } }))?.channelId).toBe(
      TEAMS_CHANNEL_ID,
    );
    // The private confirmation and the channel's announcement both name the review channel, in either order.
    const naming = connector.activities().filter((a) => words(a.body).includes('CoE review channel'));
    expect(naming.map((a) => a.conversationId?.split(';')[0])).toContain(TEAMS_CHANNEL_ID);
    await bot.deliverer.flush(Date.now() + 2000);
    const sent = await db.prisma.outboxMessage.findFirst({ where: { platform: 'teams' } });
    expect(sent?.status).toBe('sent');
  });

  it('grants a role to a mentioned person, once per activity, and tells them in a personal chat', async () => {
    const ada = { ...WORKER };
    connector.addMember({ id: ada.id, name: ada.name, aadObjectId: ada.aadObjectId as string });
    await say('help', { from: ada }); // Ada has talked to the bot, so it can reach her
    connector.reset();
    connector.addMember({ id: ada.id, name: ada.name, aadObjectId: ada.aadObjectId as string });
    const command = { from: COE_USER, id: 'activity-dup', mentioning: [ada] };
    await say(`role <at>${ada.name}</at> manager`, command);
    await say(`role <at>${ada.name}</at> manager`, command);
    await connector.waitFor(() => connector.activities().length >= 3);
    const texts = connector.activities().map((a) => words(a.body));
    expect(texts.filter((t) => t.includes('Ada Lovelace is now a manager'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('Already done.'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('You are now a manager'))).toHaveLength(1);
    const identity = await db.prisma.platformIdentity.findUnique({
      where: { platform_externalId: { platform: 'teams', externalId: ada.aadObjectId as string } },
      include: { person: true },
    });
    expect(identity?.person.layer).toBe('manager');
  });
});
