/**
 * Commands in Teams are the words said to the bot (issue 12): every usage note for a malformed command, every error a
 * CoE command can answer with, the refusals before a form, help for an unknown command and `my reports` (the
 * personal home) name commands as bare words — never Slack's backticks or `/coe`. Through the real botbuilder
 * CloudAdapter; what the bot sends is read off a fake Bot Connector, on each database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { type Card, cardsOfActivity, DEFAULT_TEAMS_USER, type TeamsAccount } from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const MANAGER = account('mona', 'Mona Manager');
const WORKER: Required<TeamsAccount> = DEFAULT_TEAMS_USER;
const PEOPLE = [COE_USER, MANAGER, WORKER];

/** Everything a person can read in what the bot sent: text, notification summary, and each card whole. */
const everything = (body: unknown) => {
  const activity = (body ?? {}) as { text?: string; summary?: string };
  return [activity.text, activity.summary, ...cardsOfActivity(body).map((card: Card) => JSON.stringify(card))]
    .filter(Boolean)
    .join(' | ');
};

describe.each(databaseKinds())('commands as words said to the bot in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE_USER], people: PEOPLE });
  const { say, flush, chatOf, lastInChat, resetConnector } = story;
  let { connector, bot } = story;
  beforeEach(async () => {
    ({ connector, bot } = story);
    for (const person of PEOPLE) await say('help', { from: person });
    await say('setup review-channel', { from: COE_USER, channel: true });
    await flush();
    resetConnector();
  });
  afterEach(() => {
    expectValidCards(story.cardsSent());
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  /** Says `text`, and the one new thing the bot answered `from` in their personal chat. */
  const answer = async (text: string, from: TeamsAccount = COE_USER, mentioning?: TeamsAccount[]) => {
    const before = chatOf(from).length;
    await say(text, { from, ...(mentioning ? { mentioning } : {}) });
    await connector.waitFor(() => chatOf(from).length > before);
    expect(chatOf(from)).toHaveLength(before + 1);
    return lastInChat(from);
  };

  it('writes the usage of a malformed command as the words to say', async () => {
    const role = await answer('role');
    expect(words(role)).toContain('Usage: **role @person coe|manager|executive|worker**');
    expect((role as { summary?: string }).summary).toBe(
      'Mention the person whose role you are setting. Usage: role @person coe|manager|executive|worker',
    );
    for (const text of [
      'status',
      'setup',
      'team rename Warehouse',
      'withdraw',
      'team member Warehouse',
      'constraint add',
      'audit pause',
      'training due TR-1',
    ]) {
      expect(words(await answer(text)), text).toMatch(/Usage: \*\*[a-z]/);
    }
    // In a channel too (guidance is answered in the thread).
    await say('role', { from: COE_USER, channel: true });
    await flush();

    const sent = connector.requests().map((r) => everything(r.body));
    expect(sent.length).toBeGreaterThanOrEqual(10);
    for (const text of sent) {
      expect(text).not.toContain('`');
      expect(text).not.toContain('/coe');
    }
  });

  it('writes the commands an error points to as the words to say', async () => {
    const said = async (text: string, from: TeamsAccount = COE_USER, mentioning?: TeamsAccount[]) =>
      words(await answer(text, from, mentioning));

    expect(await said('setup review-channel')).toContain('Run **setup review-channel** in the channel');
    expect(await said('team channel Warehouse')).toContain("Run **team channel <team>** in the team's channel");
    expect(await said('team list')).toContain('No teams yet. CoE members add them with **team add <name>**.');
    expect(await said('team archive Yard')).toContain('See the teams with **team list**.');
    expect(await said(`team member <at>${MANAGER.name}</at> Dock`, COE_USER, [MANAGER])).toContain(
      'Add it with **team add <name>**.',
    );
    await said('team add Warehouse');
    expect(await said(`team member <at>${MANAGER.name}</at> Warehouse manager`, COE_USER, [MANAGER])).toContain(
      'give them the manager layer too: **role @person manager**',
    );
    expect(await said('status CR-x')).toContain('Give an id like FR-12 or CR-7: **status FR-12**.');
    expect(await said('audit plan')).toContain('register one first with **sop new <key> <title>**.');
    expect(await said('audit list', WORKER)).toContain('CoE members plan them with **audit plan**.');
    expect(await said('change request', WORKER)).toContain('what got in the way with **friction**');
    expect(await said('frobnicate', WORKER)).toContain('I don\'t know "frobnicate" yet.');
    expect(await said('my reports', WORKER)).toContain('My reports');
    expect(await said('my reports')).toContain('Triage queue');
    const before = chatOf(WORKER).length;
    await say('x'.repeat(5000), { from: WORKER });
    await connector.waitFor(() => chatOf(WORKER).length > before);
    expect(words(lastInChat(WORKER))).toContain('Say **help** to see what I can do.');
    await flush();

    const sent = connector.requests().map((r) => everything(r.body));
    expect(sent.length).toBeGreaterThanOrEqual(15);
    for (const text of sent) {
      expect(text).not.toContain('`');
      expect(text).not.toContain('/coe');
    }
  });
});
