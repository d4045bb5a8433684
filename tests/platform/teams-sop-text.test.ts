/**
 * Standards people can read, in Teams (issue 11), through the real botbuilder CloudAdapter and a fake Bot Connector:
 * `sop new` answers with a card whose button opens the baseline form (key, title, owner, text, link) in a task
 * module; `sop show` pages a standard's text in Adaptive Cards 1.5 within Teams' size with "Show more"; `sop show
 * <key> v1.0` and `sop diff` read the history; bad input is answered kindly and changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adaptiveCardProblems, teamsSizeProblems } from '../support/adaptive-card.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import { longStandard } from '../support/standard-texts.ts';
import {
  type Card,
  cardButtons,
  cardErrors,
  cardInputs,
  cardsOfActivity,
  type TeamsAccount,
  taskModuleCard,
  taskModuleText,
  taskModuleTitle,
} from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const MANAGER = account('mona', 'Mona Manager');
const ADA = account('ada', 'Ada Lovelace');
const PEOPLE = [COE_USER, MANAGER, ADA];

const V1 = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners.
2. Picker: scan each item.

## Checklist

- [ ] Scanners charged
- [x] Spare on the charger
`;

describe.each(databaseKinds())('standards’ texts in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE_USER], people: PEOPLE });
  const { say, press, lastInChat, chatOf, buttonData } = story;
  let { db, bot } = story;
  beforeEach(async () => {
    ({ db, bot } = story);
    // Mona manages: she may own a standard.
    await db.prisma.person.create({
      data: {
        layer: 'manager',
        displayName: MANAGER.name,
        identities: { create: { platform: 'teams', externalId: MANAGER.aadObjectId } },
      },
    });
  });
  afterEach(() => {
    expectValidCards(story.cardsSent());
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  const fetchTask = (data: unknown, from: TeamsAccount) => story.fetchTask(data, { from });
  const submitTask = (data: unknown, from: TeamsAccount) => story.submitTask(data, { from });
  const form = (values: Record<string, string> = {}) => ({
    coeAction: 'sop.submit',
    key: 'inventory-scanning',
    title: 'Inventory scanning',
    text: V1,
    link: 'https://docs.example.com/scan',
    ...values,
  });
  /** `sop new` → the opener → the form → submitted: the dialog's answer. */
  const registerBaseline = async (values: Record<string, string> = {}) => {
    await say('sop new', { from: COE_USER });
    await fetchTask(buttonData(COE_USER), COE_USER);
    return submitTask(form(values), COE_USER);
  };
  const releaseV11 = async (text: string) => {
    await db.prisma.sopRelease.create({
      data: {
        sopKey: 'inventory-scanning',
        major: 1,
        minor: 1,
        notes: 'Charge at every break.',
        tags: ['clarify'],
        changes: [],
        teamIds: [],
        submissionKey: 'release-v1.1',
      },
    });
    await db.prisma.sopText.create({ data: { sopKey: 'inventory-scanning', major: 1, minor: 1, text } });
  };
  const hasMore = (activity: unknown) =>
    cardsOfActivity(activity)
      .flatMap(cardButtons)
      .some((b) => b.title === 'Show more');

  it('registers a baseline from the dialog: text, link and owner kept, the clarity check shown', async () => {
    await say('sop new', { from: COE_USER });
    const opener = buttonData(COE_USER, 'Register a standard');
    expect(opener).toEqual({ msteams: { type: 'task/fetch' }, coeAction: 'sop.open' });
    const card = taskModuleCard(await fetchTask(opener, COE_USER));
    const inputs = cardInputs(card);
    expect([...inputs.keys()]).toEqual(['key', 'title', 'owner', 'text', 'link']);
    expect(inputs.get('text')).toMatchObject({ isMultiline: true, maxLength: 40_000 });
    const owners = (inputs.get('owner')?.choices ?? []) as { title: string; value: string }[];
    const mona = owners.find((o) => o.title === MANAGER.name)?.value as string;
    const done = await submitTask(form({ owner: mona, text: `${V1}\nReport a fault ASAP.` }), COE_USER);
    expect(taskModuleTitle(done)).toBe('Standard registered');
    expect(words(taskModuleCard(done))).toContain('Done: SOP-inventory-scanning v1.0');
    expect(words(taskModuleCard(done))).toContain('sets no deadline');
    const text = await db.prisma.sopText.findFirst();
    expect(text).toMatchObject({
      sopKey: 'inventory-scanning',
      major: 1,
      minor: 0,
      link: 'https://docs.example.com/scan',
    });
    expect(text?.text).toContain('1. Shift lead: charge the scanners.');
    expect((await db.prisma.sop.findFirst())?.ownerPersonId).toBe(Number(mona));
  });

  it('fills in the key typed after sop new, and says what to fix under each field', async () => {
    await say('sop new SOP-Inventory-Scanning', { from: COE_USER });
    const opener = buttonData(COE_USER, 'Register a standard');
    expect(opener).toMatchObject({ coeAction: 'sop.open', value: 'inventory-scanning' });
    const card = taskModuleCard(await fetchTask(opener, COE_USER));
    expect(cardInputs(card).get('key')?.value).toBe('inventory-scanning');
    const bad = taskModuleCard(await submitTask(form({ link: 'ftp://nope', text: 'x'.repeat(40_001) }), COE_USER));
    expect(cardErrors(bad)).toEqual({
      text: 'The text has 40,001 characters, more than 40,000: keep the standard minimal, or link to its document and keep the essentials here.',
      link: 'Give the link as a web address, starting with https://.',
    });
    expect(cardInputs(bad).get('link')?.value).toBe('ftp://nope');
    expect(await db.prisma.sop.count()).toBe(0);
    await registerBaseline();
    const taken = taskModuleCard(await submitTask(form({ text: 'A different text.' }), COE_USER));
    expect(cardErrors(taken)).toEqual({
      key: 'SOP-inventory-scanning is registered already: see it with sop show inventory-scanning.',
    });
    expect((await db.prisma.sopText.findMany()).map((t) => t.text)).toEqual([V1.trim()]);
  });

  it('never offers the form to a worker, and refuses one sent anyway', async () => {
    await say('sop new', { from: ADA });
    expect(words(lastInChat(ADA))).toContain('Only CoE members register standards.');
    expect(cardsOfActivity(lastInChat(ADA)).flatMap(cardButtons)).toEqual([]);
    expect(taskModuleText(await fetchTask({ coeAction: 'sop.open' }, ADA))).toBe(
      'Only CoE members register standards.',
    );
    expect(taskModuleText(await submitTask(form(), ADA))).toBe('Only CoE members register standards.');
    expect(await db.prisma.sop.count()).toBe(0);
  });

  it('shows a 20,000-character standard page by page within card limits, "Show more" to the end', async () => {
    await registerBaseline();
    await releaseV11(longStandard(20_000));
    await say('sop show inventory-scanning', { from: ADA });
    let page = lastInChat(ADA);
    expect(words(page)).toContain('SOP-inventory-scanning v1.1: Inventory scanning');
    const checks = (activity: unknown) => {
      const [card] = cardsOfActivity(activity);
      expect(adaptiveCardProblems(card)).toEqual([]);
      expect(teamsSizeProblems(activity)).toEqual([]);
    };
    checks(page);
    const readable = JSON.stringify(page);
    expect(readable).toContain('"weight":"Bolder"');
    expect(readable).toContain('☐\u00a0Scanner charged above 50%');
    let pages = 1;
    while (hasMore(page)) {
      const before = chatOf(ADA).length;
      await press(buttonData(ADA, 'Show more'), ADA);
      expect(chatOf(ADA)).toHaveLength(before + 1);
      page = lastInChat(ADA);
      checks(page);
      pages++;
    }
    expect(pages).toBeGreaterThan(3);
    expect(words(page)).toContain(`(page ${pages} of ${pages})`);
  });

  it('shows an earlier version on request, and what changed between two, both ways', async () => {
    await registerBaseline();
    await releaseV11(V1.replace('charge the scanners.', 'charge the scanners at every break.'));
    await say('sop show inventory-scanning v1.0', { from: ADA });
    expect(words(lastInChat(ADA))).toContain('the current one is v1.1, shown with **sop show inventory-scanning**');
    expect(JSON.stringify(lastInChat(ADA))).not.toContain('at every break');
    await say('sop diff inventory-scanning v1.0 v1.1', { from: ADA });
    const diff = lastInChat(ADA);
    expect(words(diff)).toContain('1 line added, 1 line removed');
    const runs = cardsOfActivity(diff).flatMap(
      (c: Card) => JSON.stringify(c).match(/"text":"[+-] [^"]*","fontType":"Monospace","color":"\w+"/g) ?? [],
    );
    expect(runs).toEqual([
      '"text":"- 1. Shift lead: charge the scanners.","fontType":"Monospace","color":"Attention"',
      '"text":"+ 1. Shift lead: charge the scanners at every break.","fontType":"Monospace","color":"Good"',
    ]);
    await say('sop diff inventory-scanning v1.1 v1.0', { from: ADA });
    expect(words(lastInChat(ADA))).toContain('SOP-inventory-scanning v1.1 → v1.0');
  });

  it('answers bad input kindly and changes nothing', async () => {
    await registerBaseline();
    const before = await db.prisma.sopText.findMany();
    await say('sop show payroll', { from: ADA });
    expect(words(lastInChat(ADA))).toContain(
      'There is no SOP-payroll. See the registered standards with **sop list**.',
    );
    await say('sop show inventory-scanning v4.2', { from: ADA });
    expect(words(lastInChat(ADA))).toContain('SOP-inventory-scanning has no v4.2: its versions are v1.0.');
    await press({ coeAction: 'sop.more', value: 'show:inventory-scanning:v1.0:77' }, ADA);
    expect(words(lastInChat(ADA))).toContain('That button is out of date. Nothing was changed.');
    expect(await db.prisma.sopText.findMany()).toEqual(before);
  });
});
