/**
 * Finding the current standard where people work (issue 11), on the in-memory store: the words a search looks for,
 * the snippet of each match, the answer to `sop find` (with "Share in channel" in a Slack channel, the message box's
 * search named in Teams), the card of a standard's current version within Block Kit and Adaptive Card limits, the
 * share posted once per press, and the search extension's results page by page.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/message.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import { boldWords, plainLine, SEARCH_LIMITS, searchWords, snippet } from '../../src/domain/sop-search.ts';
import { findMessage, type SearchMatch, standardCard, standardPreview } from '../../src/domain/sop-search-messages.ts';
import { SOP_TEXT_ACTIONS } from '../../src/domain/sop-text-messages.ts';
import { renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard } from '../../src/platforms/teams/cards.ts';
import type { Repositories } from '../../src/ports.ts';
import { adaptiveCardProblems, teamsSizeProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { expectCoeError, olga, tim, wanda } from '../support/cast.ts';
import { ManualClock, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';
import { longStandard } from '../support/standard-texts.ts';

const SCANNING = `# Inventory scanning

## Steps

1. Shift lead: charge the **scanners** before the shift.
2. Picker: scan each item; see [the scanner guide](https://docs.example.com/guide).

- [ ] Spare scanner on the charger
`;

/** Both platforms take the message: Block Kit's limits in Slack, a valid card of at most 28 KB in Teams. */
function expectFits(m: Message): void {
  expect(blockKitProblems(renderMessage(m))).toEqual([]);
  const card = renderCard(m);
  expect(adaptiveCardProblems(card)).toEqual([]);
  expect(teamsSizeProblems(card)).toEqual([]);
}

const shareButtons = (m: Message) =>
  m.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).filter((a) => a.id === SOP_TEXT_ACTIONS.share);

describe('the words a search looks for', () => {
  it('lower-cases them, drops the punctuation around them and the SOP- of an id, each once', () => {
    expect(searchWords('  Scanner, "PAPER forms" scanner ')).toEqual(['scanner', 'paper', 'forms']);
    expect(searchWords('SOP-Inventory-Scanning')).toEqual(['inventory-scanning']);
    expect(searchWords('100% freezer_seal')).toEqual(['100%', 'freezer_seal']);
  });

  it('leaves out one-letter words beside longer ones, and keeps to the limits', () => {
    expect(searchWords('a scanner')).toEqual(['scanner']);
    expect(searchWords('%')).toEqual(['%']);
    expect(searchWords('')).toEqual([]);
    expect(searchWords('one two three four five six seven eight nine ten')).toHaveLength(SEARCH_LIMITS.words);
    expect(searchWords('x'.repeat(500))[0]).toHaveLength(SEARCH_LIMITS.wordLength);
  });
});

describe('a match’s snippet', () => {
  it('reads as one line without Markdown marks, links as their labels, command tokens broken', () => {
    expect(plainLine(SCANNING)).toBe(
      'Inventory scanning Steps Shift lead: charge the scanners before the shift. Picker: scan each item; see the scanner guide. Spare scanner on the charger',
    );
    expect(plainLine('Say {{coe queue}} now')).not.toContain('{{');
  });

  it('is cut around the first word found, with … where it is cut and the words in bold', () => {
    const text = `${'Keep the door shut. '.repeat(30)}Check the seal daily. ${'Report anything odd. '.repeat(30)}`;
    const s = snippet(text, ['seal'], { excerptAt: 0, textLength: text.length });
    expect(s).toMatch(/^….*\*\*seal\*\* daily.*…$/);
    expect(s.replace(/\*\*/g, '').length).toBeLessThanOrEqual(SEARCH_LIMITS.snippet + 2);
    // A window that started later in the text, or stops before its end, says so too.
    expect(snippet('Check the seal.', ['seal'], { excerptAt: 400, textLength: 900 })).toBe('…Check the **seal**.…');
  });

  it('starts at the beginning when no word is in the text, and is empty for no text', () => {
    expect(snippet(SCANNING, ['inventory-scanning'], { excerptAt: 0, textLength: SCANNING.length })).toMatch(
      /^Inventory scanning Steps/,
    );
    expect(snippet('', ['scanner'], { excerptAt: 0, textLength: 0 })).toBe('');
  });

  it('bolds the whole words that hold one, as Slack shows bold only around whole words', () => {
    expect(boldWords('Scanners scan; rescanned.', ['scan', 'scanner'])).toBe('**Scanners** **scan**; **rescanned**.');
    expect(boldWords('At 100% humidity', ['0%'])).toBe('At **100%** humidity');
  });
});

describe('the messages', () => {
  const match = (n: number): SearchMatch => ({
    key: `standard-${n}-${'k'.repeat(40)}`,
    title: `A standard with a long title ${'t'.repeat(110)}`,
    version: { major: 12, minor: 3 },
    snippet: `…${'word '.repeat(40)}**scanner**${' more'.repeat(10)}…`,
  });

  it('lists ten long matches with a Share button each, within both platforms’ limits', () => {
    const m = findMessage(
      'scanner',
      Array.from({ length: 10 }, (_, i) => match(i)),
      {
        share: true,
        insertHint: false,
      },
    );
    expect(shareButtons(m).map((a) => a.value)).toEqual(Array.from({ length: 10 }, (_, i) => match(i).key));
    expectFits(m);
  });

  it('says when nothing matches, quoting the words safely', () => {
    const m = findMessage('{{coe queue}} nothing', [], { share: true, insertHint: false });
    expect(m.text).toMatch(/^No standard matches “\{\u200b\{coe queue\}\} nothing”/);
    expectFits(m);
  });

  it('cards a 40,000-character standard in a first part, within both platforms’ limits', () => {
    const view = {
      key: 'inventory-scanning',
      title: 'Inventory scanning',
      version: { major: 2, minor: 0 },
      text: longStandard(40_000),
      link: 'https://docs.example.com/scan',
      asOf: new Date('2026-12-07T10:00:00Z'),
    };
    for (const readButton of [true, false]) {
      const card = standardCard(view, { readButton });
      expectFits(card);
      expect(JSON.stringify(card)).toContain(
        'That is the first part. Read it all with {{coe sop show inventory-scanning}}',
      );
      expect(JSON.stringify(renderCard(card)).length).toBeLessThan(12_000);
      const read = card.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
      expect(read.map((a) => a.value)).toEqual(readButton ? ['show:inventory-scanning:v2.0:1'] : []);
    }
    const short = standardCard({ ...view, text: SCANNING, link: null }, { readButton: true });
    expect(JSON.stringify(short)).toContain('Its history, open changes, training and audits');
    expect(short.blocks.some((b) => b.type === 'actions')).toBe(false);
    expectFits(standardCard({ ...view, text: '', link: null }, { readButton: false }));
  });

  it('previews a match in one plain line', () => {
    expect(standardPreview(match(1)).text).not.toContain('**');
    expect(standardPreview({ ...match(1), snippet: '' }).text).toMatch(/^The current version of SOP-standard-1/);
  });
});

describe('finding and sharing, through the services', () => {
  let clock: ManualClock;
  let store: MemoryStore;
  let services: ReturnType<typeof buildServices>;
  let keys = 0;
  const request = (actor: PersonRef, channelId?: string) => ({
    actor,
    key: `press-${++keys}`,
    ...(channelId ? { channelId } : {}),
  });
  const tx = <T>(work: (r: Repositories) => Promise<T>) => store.transaction(work);

  beforeEach(async () => {
    clock = new ManualClock('2026-12-07T10:00:00.000Z');
    store = new MemoryStore(clock);
    services = buildServices(store, clock);
    await services.admin.bootstrapCoeMembers([olga]);
    await services.standards.registerSop(request(olga), 'inventory-scanning', 'Inventory scanning', {
      text: SCANNING,
    });
    clock.advance(60_000);
    await services.standards.registerSop(request(olga), 'scanner-repairs', 'Scanner repairs', {
      text: '1. Lead: send a broken scanner to IT.',
    });
    clock.advance(60_000);
    await services.standards.registerSop(request(olga), 'forklift-checks', 'Forklift checks', {
      link: 'https://docs.example.com/forklift',
    });
  });

  it('answers a Slack channel with the matches and a Share button each; a direct message without', async () => {
    const inChannel = await services.sopSearch.find(request(wanda, 'C0GENERAL'), 'scanner');
    expect(shareButtons(inChannel).map((a) => a.value)).toEqual(['scanner-repairs', 'inventory-scanning']);
    expect(inChannel.text).toBe('Standards matching “scanner”: SOP-scanner-repairs v1.0, SOP-inventory-scanning v1.0');
    expect(JSON.stringify(inChannel)).toContain('**scanners** before the shift');
    expect(shareButtons(await services.sopSearch.find(request(wanda), 'scanner'))).toEqual([]);
  });

  it('answers Teams without Share buttons, naming the message box’s search instead', async () => {
    const m = await services.sopSearch.find(request(tim, '19:general@thread.tacv2'), 'scanner');
    expect(shareButtons(m)).toEqual([]);
    expect(JSON.stringify(m)).toContain('Find a standard');
  });

  it('asks for words when there are none', async () => {
    await expectCoeError(services.sopSearch.find(request(wanda), ' ... '), 'INPUT.INVALID', /sop find scanner/);
  });

  it('shares the current version’s card in the channel once per press, however often it is pressed', async () => {
    const press = request(wanda, 'C0GENERAL') as ReturnType<typeof request> & { channelId: string };
    expect((await services.sopSearch.share(press, 'inventory-scanning')).text).toBe(
      'Done: SOP-inventory-scanning v1.0 is shared in this channel.',
    );
    expect((await services.sopSearch.share(press, 'inventory-scanning')).text).toMatch(/^Already shared/);
    const posts = store.outbox.filter((r) => r.key.startsWith('sop-share:'));
    expect(posts).toHaveLength(1);
    expect(posts[0]?.target).toEqual({ kind: 'channel', channelId: 'C0GENERAL' });
    expect(posts[0]?.platform).toBe('slack');
    expect(JSON.stringify(posts[0]?.body)).toContain('SOP-inventory-scanning v1.0 · Inventory scanning');
    // Another press is another card.
    await services.sopSearch.share({ ...request(wanda), channelId: 'C0GENERAL' }, 'inventory-scanning');
    expect(store.outbox.filter((r) => r.key.startsWith('sop-share:'))).toHaveLength(2);
  });

  it('shares the version current when pressed, and nothing of a retired or unknown standard', async () => {
    await tx(async (r) => {
      await r.sops.createRelease({
        sopKey: 'inventory-scanning',
        major: 1,
        minor: 1,
        notes: 'Charge at every break.',
        tags: ['clarify'],
        changes: [],
        teamIds: [],
        publishedByPersonId: null,
        submissionKey: 'release-1.1',
      });
      await r.sopTexts.add({
        sopKey: 'inventory-scanning',
        major: 1,
        minor: 1,
        text: `${SCANNING}\n3. Lead: charge at every break.`,
        link: null,
        createdByPersonId: null,
      });
    });
    const shared = await services.sopSearch.share({ ...request(wanda), channelId: 'C0GENERAL' }, 'inventory-scanning');
    expect(shared.text).toContain('v1.1');
    await services.sopRetire.retire(request(olga), 'scanner-repairs');
    const before = store.outbox.length;
    await expectCoeError(
      services.sopSearch.share({ ...request(wanda), channelId: 'C0GENERAL' }, 'scanner-repairs'),
      'INPUT.INVALID',
      /retired/,
    );
    await expectCoeError(
      services.sopSearch.share({ ...request(wanda), channelId: 'C0GENERAL' }, 'no-such-thing'),
      'NOT_FOUND',
    );
    await expectCoeError(
      services.sopSearch.share({ ...request(wanda), channelId: 'C0GENERAL' }, '!!!'),
      'INPUT.INVALID',
    );
    expect(store.outbox.length).toBe(before);
    // Retired standards are not found either.
    expect(JSON.stringify(await services.sopSearch.find(request(wanda), 'repairs'))).toMatch(/No standard matches/);
  });

  it('gives a search extension the cards and previews of the matches, page by page', async () => {
    const before = JSON.stringify(store.snapshot());
    const all = await services.sopSearch.results('', { skip: 0, count: 25 });
    // No words: the most recently current first.
    expect(all.map((r) => r.match.key)).toEqual(['forklift-checks', 'scanner-repairs', 'inventory-scanning']);
    for (const r of all) expectFits(r.card);
    expect(all[0]?.preview).toEqual({
      title: 'SOP-forklift-checks v1.0 · Forklift checks',
      text: 'The current version of SOP-forklift-checks.',
    });
    expect(JSON.stringify(all[0]?.card)).toContain('https://docs.example.com/forklift');
    const page2 = await services.sopSearch.results('', { skip: 1, count: 1 });
    expect(page2.map((r) => r.match.key)).toEqual(['scanner-repairs']);
    expect(await services.sopSearch.results('', { skip: 10, count: 25 })).toEqual([]);
    const found = await services.sopSearch.results('charge', { skip: 0, count: 25 });
    expect(found.map((r) => r.match.key)).toEqual(['inventory-scanning']);
    expect(found[0]?.preview.text).toContain('charge the scanners');
    // Reading changes nothing.
    expect(JSON.stringify(store.snapshot())).toBe(before);
  });
});
