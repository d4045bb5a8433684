/**
 * Issue 11's first acceptance point in Teams, through the real botbuilder CloudAdapter and a fake Bot Connector: a
 * baseline with text → a change request proposing a new text (the clarity check on the requester's confirmation and
 * on the review card) → approved → released from the task-module form that shows the difference first; the
 * announcement says what changed and offers the whole version ("Read it"); `sop show` gives the new text, `sop show
 * <key> v1.0` the old, `sop diff` both ways. Every card is a valid Adaptive Card 1.5 within Teams' size.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adaptiveCardProblems, teamsSizeProblems } from '../support/adaptive-card.ts';
import { type DatabaseKind, databaseKinds } from '../support/databases.ts';
import {
  cardButtons,
  cardErrors,
  cardInputs,
  cardsOfActivity,
  DEFAULT_TEAMS_USER,
  TEAMS_CHANNEL_ID,
  type TeamsAccount,
  taskModuleCard,
} from '../support/teams-activity.ts';
import { account, buttonsByAction, expectValidCards, teamsStory, words } from '../support/teams-harness.ts';

const COE_USER = account('coe', 'Cora CoE');
const OTHER_COE = account('otto', 'Otto CoE');
const MANAGER = account('mona', 'Mona Manager');
const WORKER: Required<TeamsAccount> = DEFAULT_TEAMS_USER;
const PEOPLE = [COE_USER, OTHER_COE, MANAGER, WORKER];
const REVIEW_CHANNEL = TEAMS_CHANNEL_ID;
const WAREHOUSE_CHANNEL = '19:warehouse@thread.tacv2';

const V1 = `# Inventory scanning

## Steps

1. Shift lead: charge the scanners.
2. Picker: scan each item.

## Checklist

- [ ] Scanners charged`;

const PROPOSED = `${V1.replace('charge the scanners.', 'charge the scanners at every break.')}
3. Picker: scan the shelf labels as needed, etc.
4. Report a broken scanner to the WMS desk ASAP.`;

/** The change-request form as Teams submits it: every input, untouched ones empty, the toggle as text. */
const CHANGE: Record<string, string> = {
  coeAction: 'change.submit',
  kind: 'standard',
  sop: 'inventory-scanning',
  newSop: '',
  title: 'Charge at every break, scan the labels',
  change: 'Charge the scanners at every break, and scan the shelf labels.',
  why: 'Scanners die mid-shift and labels go unscanned.',
  friction: '',
  constraint: '',
  risk: 'low',
  improvement: 'clarify',
  aiTool: '',
  aiStatus: '',
  aiDataClasses: '',
  aiForbiddenInputs: '',
  aiHumanReview: 'false',
  aiLayers: '',
  proposedText: '',
};

describe.each(databaseKinds())('a standard’s text changed through the loop, in Teams (%s)', (kind: DatabaseKind) => {
  const story = teamsStory(kind, { coe: [COE_USER, OTHER_COE], people: PEOPLE, botPerTest: true });
  const { say, fetchTask, submitTask, press, flush, lastInChat, buttonData, cardIn, resetConnector } = story;
  let { db, bot } = story;
  beforeEach(() => {
    ({ db, bot } = story);
  });
  afterEach(() => {
    expectValidCards(story.cardsSent());
    expect(bot.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  const withinTeams = (activity: unknown) => {
    for (const card of cardsOfActivity(activity)) expect(adaptiveCardProblems(card)).toEqual([]);
    expect(teamsSizeProblems(activity)).toEqual([]);
  };

  /** The review channel, Otto and Mona's layers, a team with its channel, SOP-inventory-scanning v1.0 with its text. */
  const setUp = async () => {
    for (const person of PEOPLE) await say('help', { from: person });
    await say('setup review-channel', { from: COE_USER, channel: true });
    for (const [person, layer] of [
      [OTHER_COE, 'coe'],
      [MANAGER, 'manager'],
    ] as const) {
      await say(`role <at>${person.name}</at> ${layer}`, { from: COE_USER, mentioning: [person] });
    }
    await say('team add Warehouse', { from: COE_USER });
    await say('team channel Warehouse', { from: COE_USER, channel: WAREHOUSE_CHANNEL });
    await say('sop new', { from: COE_USER });
    await fetchTask(buttonData(COE_USER), { from: COE_USER });
    const registered = await submitTask(
      { coeAction: 'sop.submit', key: 'inventory-scanning', title: 'Inventory scanning', text: V1 },
      { from: COE_USER },
    );
    expect(words(taskModuleCard(registered))).toContain('Done: SOP-inventory-scanning v1.0');
    await flush();
    resetConnector();
  };

  it('takes a proposed text from request to release: difference shown, announced, readable, comparable', async () => {
    await setUp();

    // The change dialog has the optional proposed text; the requester's confirmation has the clarity check.
    await say('change request', { from: MANAGER });
    const form = taskModuleCard(await fetchTask(buttonData(MANAGER), { from: MANAGER }));
    expect(cardInputs(form).get('proposedText')).toMatchObject({
      type: 'Input.Text',
      isMultiline: true,
      maxLength: 40_000,
    });
    expect(cardInputs(form).get('proposedText')?.isRequired).toBeUndefined();
    const too = taskModuleCard(await submitTask({ ...CHANGE, proposedText: 'x'.repeat(40_001) }, { from: MANAGER }));
    expect(cardErrors(too)).toEqual({
      proposedText:
        'The proposed text has 40,001 characters, more than 40,000: keep the standard minimal, or keep the detail in its linked document.',
    });
    const answer = await submitTask({ ...CHANGE, proposedText: PROPOSED }, { from: MANAGER });
    const confirmation = words(taskModuleCard(answer));
    expect(confirmation).toContain('your change request is CR-1');
    expect(confirmation).toContain('**Proposed text of the standard**');
    expect(confirmation).toContain('against v1.0: 3 lines added, 1 line removed.');
    expect(confirmation).toContain('**Clarity check**');
    expect(confirmation).toMatch(/ASAP/);
    await flush();

    // The review card: the changed lines and a few findings, "and N more".
    const review = cardIn(REVIEW_CHANNEL, 'CR-1 · ');
    const reviewed = JSON.stringify(review.card);
    expect(reviewed).toContain('"text":"+ 1. Shift lead: charge the scanners at every break."');
    expect(words(review.card)).toContain('**Clarity check**');
    expect(words(review.card)).toMatch(/…and \d+ more\./);
    await press({ coeAction: 'change.approve', value: 'CR-1' }, OTHER_COE, {
      channel: REVIEW_CHANNEL,
      activityId: review.activityId,
    });
    await flush();
    expect((await db.prisma.changeRequest.findUnique({ where: { number: 1 } }))?.status).toBe('approved');

    // The release dialog shows the next version's text and the lines it changes; its Publish carries what it showed.
    await say('release inventory-scanning', { from: COE_USER });
    const release = await fetchTask(buttonData(COE_USER), { from: COE_USER });
    const card = taskModuleCard(release);
    const shown = words(card);
    expect(shown).toContain('**The text of v1.1**');
    expect(shown).toContain('v1.1 takes the text CR-1 proposes.');
    expect(shown).toContain('Against v1.0: 3 lines added, 1 line removed.');
    expect(JSON.stringify(card)).toContain('"text":"+ 3. Picker: scan the shelf labels as needed, etc."');
    expect(cardInputs(card).get('text')).toMatchObject({ type: 'Input.ChoiceSet', value: 'combine' });
    withinTeams({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
    const submit = cardButtons(card)[0]?.data as Record<string, string>;
    expect(submit).toMatchObject({
      coeAction: 'release.submit',
      sopKey: 'inventory-scanning',
      previewed: expect.any(String),
    });
    const values = Object.fromEntries([...cardInputs(card)].map(([input, e]) => [input, String(e.value ?? '')]));
    const published = await submitTask({ ...submit, ...values }, { from: COE_USER });
    expect(words(taskModuleCard(published))).toContain('Published SOP-inventory-scanning v1.1');
    await flush();
    const version = (minor: number) =>
      db.prisma.sopText.findUnique({
        where: { sopKey_major_minor: { sopKey: 'inventory-scanning', major: 1, minor } },
      });
    expect((await version(1))?.text).toBe(PROPOSED);
    expect((await version(0))?.text).toBe(V1.trim());

    // The announcement says what changed in the text; "Read it" gives the presser the whole version.
    const announcement = cardIn(WAREHOUSE_CHANNEL, 'New standard: SOP-inventory-scanning v1.1');
    expect(words(announcement.card)).toContain('**The text** since v1.0: +3 lines, −1 line.');
    expect(words(announcement.card)).toContain('**sop show inventory-scanning v1.1**');
    expect(JSON.stringify(announcement.card)).toContain('"text":"- 1. Shift lead: charge the scanners."');
    const readIt = buttonsByAction(announcement.card)['sop.more'];
    expect(readIt).toMatchObject({ title: 'Read it', data: { value: 'show:inventory-scanning:v1.1:1' } });
    await press(readIt?.data, WORKER, { channel: WAREHOUSE_CHANNEL, activityId: announcement.activityId });
    expect(words(lastInChat(WORKER))).toContain('SOP-inventory-scanning v1.1: Inventory scanning');
    expect(words(lastInChat(WORKER))).toContain('at every break');
    withinTeams(lastInChat(WORKER));

    // Anyone reads the new text, the old one by its version, and compares them both ways.
    await say('sop show inventory-scanning', { from: WORKER });
    expect(words(lastInChat(WORKER))).toContain('4. Report a broken scanner to the WMS desk ASAP.');
    await say('sop show inventory-scanning v1.0', { from: WORKER });
    expect(words(lastInChat(WORKER))).toContain('the current one is v1.1');
    expect(JSON.stringify(lastInChat(WORKER))).not.toContain('at every break');
    await say('sop diff inventory-scanning v1.0 v1.1', { from: WORKER });
    expect(words(lastInChat(WORKER))).toContain('3 lines added, 1 line removed');
    await say('sop diff inventory-scanning v1.1 v1.0', { from: WORKER });
    expect(words(lastInChat(WORKER))).toContain('1 line added, 3 lines removed');
  });

  it('shows the dialog again when what it would publish is not what it showed, and publishes nothing until then', async () => {
    await setUp();
    await submitTask({ ...CHANGE, proposedText: PROPOSED }, { from: MANAGER });
    await flush();
    const review = cardIn(REVIEW_CHANNEL, 'CR-1 · ');
    await press({ coeAction: 'change.approve', value: 'CR-1' }, OTHER_COE, {
      channel: REVIEW_CHANNEL,
      activityId: review.activityId,
    });
    await flush();
    // A Publish that carries no fingerprint (or an old one): the dialog again, with the text as it is and why.
    const again = taskModuleCard(
      await submitTask({ coeAction: 'release.submit', changes: 'CR-1', previewed: 'stale' }, { from: COE_USER }),
    );
    expect(cardErrors(again)).toEqual({
      text: 'The next version’s text is not what this form showed (the changes picked, or the standard, changed since): look at it again and press Publish to publish it.',
    });
    expect(words(again)).toContain('v1.1 takes the text CR-1 proposes.');
    expect(await db.prisma.sopRelease.count()).toBe(0);
    const submit = cardButtons(again)[0]?.data as Record<string, string>;
    const values = Object.fromEntries([...cardInputs(again)].map(([input, e]) => [input, String(e.value ?? '')]));
    const published = await submitTask({ ...submit, ...values }, { from: COE_USER });
    expect(words(taskModuleCard(published))).toContain('Published SOP-inventory-scanning v1.1');
  });
});
