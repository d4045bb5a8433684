/**
 * `help` said to the bot in Teams, through the real botbuilder CloudAdapter and a fake Bot Connector: what a worker
 * and a CoE member each see, within Adaptive Card limits, the words to say (never Slack's slash commands or code
 * formatting), and "More commands" opening the rest inside the same card.
 */
import { describe, expect, it } from 'vitest';
import { teamsSizeProblems } from '../support/adaptive-card.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { type Card, type CardElement, cardsOfActivity, TEAMS_CHANNEL_ID } from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const WORKER = account('wes', 'Wes Worker');

/** What only CoE members may do, as it is said to the bot. */
const COE_ONLY = [
  'queue',
  'release [sop key]',
  'sop new <key> <title>',
  'training assign',
  'audit plan',
  'audit run AUD-2',
  'jobs',
  'setup review-channel',
  'role @person <layer>',
  'team add <name> [#channel]',
  'team channel <name>',
  'team member @person <team> [manager]',
];

/** The commands a list of TextBlocks names: the bold words at the start of each line. */
const commands = (elements: readonly CardElement[]) =>
  elements.map((e) => /^\*\*(.+?)\*\* — /.exec(String(e.text))?.[1]).filter((c): c is string => c !== undefined);

/** The help card's parts: the commands shown, the "More commands" action, and the commands it opens. */
function parts(card: Card) {
  const list = card.body.find((e) => e.type === 'Container') as { items: CardElement[] } | undefined;
  const items = list?.items ?? [];
  const actionSet = items.find((e) => e.type === 'ActionSet') as { actions: CardElement[] } | undefined;
  const more = actionSet?.actions[0] as (CardElement & { card?: Card }) | undefined;
  return { shown: commands(items), more, folded: commands(more?.card?.body ?? []) };
}

describe.each(databaseKinds())('help in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE_USER], people: [COE_USER, WORKER] });

  /** Says `text` to the bot and returns the activity it answered with, checked against Teams' limits. */
  const ask = async (from: typeof WORKER, text = 'help', channel?: true) => {
    await story.say(text, { from, ...(channel ? { channel } : {}) });
    const [reply] = await story.connector.waitForActivities(1);
    const body = reply?.body;
    const cards = cardsOfActivity(body);
    expect(cards).toHaveLength(1);
    expectValidCards(cards);
    expect(teamsSizeProblems(body)).toEqual([]);
    // Slack's way of writing commands has no place here.
    expect(JSON.stringify(body)).not.toMatch(/\/coe|\/friction|\/change-request|`|\{\{/);
    return { reply, card: cards[0] as Card };
  };

  it("gives a worker a worker's three most used commands, the rest one tap away, nothing CoE-only", async () => {
    const { reply, card } = await ask(WORKER);
    expect(words(reply?.body)).toContain('What you use most as a worker:');
    const { shown, more, folded } = parts(card);
    expect(shown).toEqual(['friction [what happened]', 'my reports', 'ai <tool>']);
    expect(more).toMatchObject({ type: 'Action.ShowCard', title: 'More commands' });
    expect(folded).toEqual(expect.arrayContaining(['status FR-12', 'sop list', 'training status TR-3', 'team list']));
    const all = [...shown, ...folded];
    for (const command of [...COE_ONLY, 'change request [what changes]', 'withdraw CR-7']) {
      expect(all).not.toContain(command);
    }
    expect(all.some((c) => c.startsWith('constraint add'))).toBe(false);
  });

  it('gives a CoE member the triage queue, a release and status first, and every CoE command behind them', async () => {
    const { reply, card } = await ask(COE_USER);
    expect(words(reply?.body)).toContain('What you use most as a CoE member:');
    const { shown, folded } = parts(card);
    expect(shown).toEqual(['queue', 'release [sop key]', 'status FR-12']);
    expect([...shown, ...folded]).toEqual(
      expect.arrayContaining([...COE_ONLY, 'friction [what happened]', 'change request [what changes]']),
    );
    expect(folded.some((c) => c.startsWith('constraint add'))).toBe(false); // the executives' own
    expect(new Set([...shown, ...folded]).size).toBe(shown.length + folded.length);
  });

  it('answers in the thread of a channel with the asker’s own list', async () => {
    const { reply, card } = await ask(WORKER, 'help', true);
    expect(reply?.conversationId?.split(';')[0]).toBe(TEAMS_CHANNEL_ID);
    expect(parts(card).shown).toEqual(['friction [what happened]', 'my reports', 'ai <tool>']);
  });

  it('shows everything in one card for `help all`', async () => {
    const { card } = await ask(COE_USER, 'help all');
    const { shown, more } = parts(card);
    expect(more).toBeUndefined();
    expect(shown.slice(0, 3)).toEqual(['queue', 'release [sop key]', 'status FR-12']);
    expect(shown).toEqual(expect.arrayContaining(COE_ONLY));
  });

  it('answers an unknown command with the help, and says how to ask for it', async () => {
    const { reply } = await ask(WORKER, 'make me a sandwich');
    expect(words(reply?.body)).toContain('I don\'t know "make me a sandwich" yet.');
    expect((reply?.body as { summary?: string } | undefined)?.summary).toContain(
      'Send help for everything you can do.',
    );
  });
});
