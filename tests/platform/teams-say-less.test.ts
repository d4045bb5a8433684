/**
 * One event, one message per person (issue 12, item 3) through the real botbuilder adapter: an approval tells each
 * person it concerns once, in one card in their personal chat whose first line is the approval — activities in, a
 * fake Bot Connector behind, on each database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import {
  type Card,
  cardsOfActivity,
  DEFAULT_TEAMS_USER,
  TEAMS_CHANNEL_ID,
  type TeamsAccount,
  taskModuleCard,
} from '../support/teams-activity.ts';
import { account, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const MANAGER = account('mona', 'Mona Manager');
const WORKER: Required<TeamsAccount> = DEFAULT_TEAMS_USER;
const PEOPLE = [COE_USER, MANAGER, WORKER];
const REVIEW_CHANNEL = TEAMS_CHANNEL_ID;

const FRICTION = {
  kind: 'tool_friction',
  title: 'Inventory scanners fail after 30 minutes',
  description: 'The handheld scanner freezes after about half an hour and needs a reboot.',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  anonymous: 'false',
};

const CHANGE: Record<string, string> = {
  kind: 'tool',
  sop: '',
  newSop: 'inventory-scanning',
  title: 'Turn off battery saver on the scanners',
  change: 'Scanners run with battery saver off; the shift lead checks it at the start of each shift.',
  why: 'Battery saver drops the Wi-Fi after 30 minutes and the scanner freezes.',
  friction: 'FR-1',
  constraint: '',
  risk: 'low',
  improvement: 'clarify',
  aiTool: '',
  aiStatus: '',
  aiDataClasses: '',
  aiForbiddenInputs: '',
  aiHumanReview: 'false',
  aiLayers: '',
};

describe.each(databaseKinds())('one message per person in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE_USER], people: PEOPLE });
  const { say, submitTask, press, flush, chatOf, cardIn, resetConnector } = story;
  let { bot } = story;
  beforeEach(() => {
    ({ bot } = story);
  });
  afterEach(() => {
    expectValidCards(story.cardsSent());
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  /** Everyone says hello (so the bot can reach them); the review channel; a manager who may raise changes. */
  const setUp = async () => {
    for (const person of PEOPLE) await say('help', { from: person });
    await say('setup review-channel', { from: COE_USER, channel: true });
    await say(`role <at>${MANAGER.name}</at> manager`, { from: COE_USER, mentioning: [MANAGER] });
    await flush();
    resetConnector();
  };
  const reportFriction = async (from: TeamsAccount) => {
    const answer = await submitTask({ coeAction: 'friction.submit', ...FRICTION }, { from });
    expect(words(taskModuleCard(answer))).toMatch(/your report is FR-1/);
  };
  const raiseChange = async () => {
    const answer = await submitTask({ coeAction: 'change.submit', ...CHANGE }, { from: MANAGER });
    expect(words(taskModuleCard(answer))).toMatch(/your change request is CR-1/);
    await flush();
  };
  /** Approves CR-1 on its review card; returns how long each personal chat was before. */
  const approveCr1 = async () => {
    const before = { manager: chatOf(MANAGER).length, worker: chatOf(WORKER).length };
    const review = cardIn(REVIEW_CHANNEL, 'CR-1 · ');
    await press({ coeAction: 'change.approve', value: 'CR-1' }, COE_USER, {
      channel: REVIEW_CHANNEL,
      activityId: review.activityId,
    });
    await flush();
    expect(words(chatOf(COE_USER).at(-1))).toContain('CR-1 is approved.');
    return before;
  };
  const summaryOf = (activity: unknown) => (activity as { summary?: string }).summary;
  const firstLine = (activity: unknown) => {
    const [card] = cardsOfActivity(activity) as Card[];
    return words((card?.body as unknown[] | undefined)?.[0]);
  };

  it('One approval of a change with a linked report sends its requester and the report’s reporter one message each', async () => {
    await setUp();
    await reportFriction(WORKER);
    await raiseChange();
    const before = await approveCr1();

    const toRequester = chatOf(MANAGER).slice(before.manager);
    expect(toRequester.map(summaryOf)).toEqual(['CR-1 "Turn off battery saver on the scanners" is now approved.']);
    const toReporter = chatOf(WORKER).slice(before.worker);
    expect(toReporter.map(summaryOf)).toEqual(['FR-1 "Inventory scanners fail after 30 minutes" is now in change.']);
    expect(words(toReporter)).toContain('was approved: the CoE is changing what caused it');
  });

  it('tells a requester who also reported the linked report once, the approval on the first line', async () => {
    await setUp();
    await reportFriction(MANAGER);
    await raiseChange();
    const before = await approveCr1();

    const toRequester = chatOf(MANAGER).slice(before.manager);
    expect(toRequester.map(summaryOf)).toEqual([
      'CR-1 "Turn off battery saver on the scanners" is now approved — FR-1 "Inventory scanners fail after 30 minutes", which you reported, is now in change.',
    ]);
    expect(firstLine(toRequester[0])).toContain(
      '**CR-1** "Turn off battery saver on the scanners" is now **approved**.',
    );
    expect(words(toRequester)).toContain(
      '**FR-1** "Inventory scanners fail after 30 minutes", which you reported, is now **in change**.',
    );
    expect(chatOf(WORKER).slice(before.worker)).toEqual([]);
  });
});
