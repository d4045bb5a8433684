/**
 * Finding the current standard in Teams (issue 11), through the real botbuilder CloudAdapter and a fake Bot
 * Connector: the message extension's search (`composeExtension/query`, command `findStandard`) answers with the
 * matches' cards — each the current version as an Adaptive Card 1.5 within 28 KB, with the thumbnail preview Teams
 * lists it by; an empty query and the first run list the most recently current standards; `sop find <words>` said to
 * the bot answers with the matches, privately in a channel.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEARCH_COMMANDS, SEARCH_PARAMETER } from '../../src/platforms/teams/ids.ts';
import { adaptiveCardProblems, teamsSizeProblems } from '../support/adaptive-card.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { longStandard } from '../support/standard-texts.ts';
import { type Card, cardButtons, cardsOfActivity, TEAMS_CHANNEL_ID } from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const ADA = account('ada', 'Ada Lovelace');

const SCANNING = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners before the shift.
2. Picker: scan each item.

- [ ] Spare scanner on the charger
`;

interface Attachment {
  contentType: string;
  content: Card;
  preview?: { contentType: string; content: { title?: string; text?: string } };
}
interface QueryAnswer {
  composeExtension?: { type?: string; attachmentLayout?: string; attachments?: Attachment[]; text?: string };
}

describe.each(databaseKinds())('finding a standard in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE_USER], people: [COE_USER, ADA] });
  const { say, invoke, lastInChat, postsIn } = story;
  let keys = 0;
  beforeEach(async () => {
    const register = (key: string, title: string, text: string) =>
      story.bot.services.standards.registerSop(
        { actor: { platform: 'teams', externalId: COE_USER.aadObjectId }, key: `register-${++keys}` },
        key,
        title,
        { text },
      );
    await register('inventory-scanning', 'Inventory scanning', SCANNING);
    await register('scanner-repairs', 'Scanner repairs', '1. Lead: send a broken scanner to IT with a ticket.');
    await register('cold-storage', 'Cold storage', longStandard(40_000).replace('Inventory scanning', 'Cold storage'));
  });
  afterEach(() => {
    expectValidCards(story.cardsSent());
    expect(story.bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  /** What the search command answers to `typed` (or to the first run, with `initialRun`). */
  const search = async (typed: string | { initialRun: true }, options: { skip?: number; count?: number } = {}) =>
    (await invoke(
      'composeExtension/query',
      {
        commandId: SEARCH_COMMANDS.findStandard,
        parameters: [
          typeof typed === 'string' ? { name: SEARCH_PARAMETER, value: typed } : { name: 'initialRun', value: 'true' },
        ],
        queryOptions: { skip: options.skip ?? 0, count: options.count ?? 25 },
      },
      { from: ADA },
    )) as QueryAnswer;
  const titles = (answer: QueryAnswer) =>
    (answer.composeExtension?.attachments ?? []).map((a) => a.preview?.content.title);

  it('answers a query with the current version’s cards, each valid, within 28 KB, with its preview', async () => {
    const answer = await search('scanner');
    expect(answer.composeExtension).toMatchObject({ type: 'result', attachmentLayout: 'list' });
    // Title and key first, then the text's matches, the most recently registered first.
    expect(titles(answer)).toEqual([
      'SOP-scanner-repairs v1.0 · Scanner repairs',
      'SOP-cold-storage v1.0 · Cold storage',
      'SOP-inventory-scanning v1.0 · Inventory scanning',
    ]);
    for (const attachment of answer.composeExtension?.attachments ?? []) {
      expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(attachment.content.version).toBe('1.5');
      expect(adaptiveCardProblems(attachment.content)).toEqual([]);
      expect(teamsSizeProblems(attachment)).toEqual([]);
      // The card inserted has nothing to press: how to read the rest is said in words.
      expect(cardButtons(attachment.content)).toEqual([]);
      expect(attachment.preview?.contentType).toBe('application/vnd.microsoft.card.thumbnail');
      expect(attachment.preview?.content.text).toBeTruthy();
    }
    const [, cold, scanning] = answer.composeExtension?.attachments ?? [];
    expect(words(scanning?.content)).toContain('Shift lead: charge the scanners before the shift.');
    expect(words(scanning?.content)).toContain('sop show inventory-scanning');
    expect(words(scanning?.content)).not.toContain('{{');
    expect(scanning?.preview?.content.text).toContain('charge the scanners before the shift');
    // A 40,000-character standard gives its first part, and says how to read it all.
    expect(words(cold?.content)).toContain('That is the first part. Read it all with **sop show cold-storage**.');
    expect(Buffer.byteLength(JSON.stringify(cold))).toBeLessThan(12_000);
  });

  it('lists the most recently current standards on the first run and for an empty query, page by page', async () => {
    const recent = [
      'SOP-cold-storage v1.0 · Cold storage',
      'SOP-scanner-repairs v1.0 · Scanner repairs',
      'SOP-inventory-scanning v1.0 · Inventory scanning',
    ];
    expect(titles(await search({ initialRun: true }))).toEqual(recent);
    expect(titles(await search('  '))).toEqual(recent);
    expect(titles(await search('', { skip: 1, count: 1 }))).toEqual([recent[1]]);
    // A later page with nothing on it is an empty list, not a message in place of the results.
    expect(await search('', { skip: 25 })).toEqual({
      composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] },
    });
  });

  it('shows only current versions: what an earlier version said is not found', async () => {
    await story.db.prisma.sopRelease.create({
      data: {
        sopKey: 'inventory-scanning',
        major: 1,
        minor: 1,
        notes: 'No paper.',
        tags: ['simplify'],
        changes: [],
        teamIds: [],
        submissionKey: 'release-v1.1',
      },
    });
    await story.db.prisma.sopText.create({
      data: { sopKey: 'inventory-scanning', major: 1, minor: 1, text: '1. Picker: scan each item with the handheld.' },
    });
    expect(titles(await search('spare'))).toEqual([]);
    expect(titles(await search('handheld'))).toEqual(['SOP-inventory-scanning v1.1 · Inventory scanning']);
  });

  it('answers no match, and a command it does not know, with a short message', async () => {
    expect(await search('payroll')).toEqual({
      composeExtension: {
        type: 'message',
        text: 'No standard matches those words. Try others, or say sop list to the CoE bot.',
      },
    });
    const unknown = (await invoke(
      'composeExtension/query',
      { commandId: 'somethingElse', parameters: [{ name: SEARCH_PARAMETER, value: 'x' }] },
      { from: ADA },
    )) as QueryAnswer;
    expect(unknown.composeExtension?.type).toBe('message');
  });

  it('answers `sop find <words>` with the matches; in a channel, privately', async () => {
    await say('sop find scanner', { from: ADA });
    const [card] = cardsOfActivity(lastInChat(ADA));
    const seen = words(card);
    expect(seen).toContain('3 standards match “scanner”');
    expect(seen).toContain('SOP-scanner-repairs v1.0');
    expect(seen).toContain('Find a standard');
    expect(cardButtons(card as Card)).toEqual([]);
    const before = postsIn(TEAMS_CHANNEL_ID).length;
    await say('sop find cold', { from: ADA, channel: true });
    expect(words(lastInChat(ADA))).toContain('SOP-cold-storage v1.0');
    expect(postsIn(TEAMS_CHANNEL_ID)).toHaveLength(before);
  });
});
