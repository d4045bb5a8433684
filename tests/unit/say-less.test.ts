/**
 * One event, one message per person (issue 12, item 3), through the services on the in-memory store: what one action
 * tells one person arrives as one direct message whose first line is the main change; reminders and nudges due to one
 * person at once come together; anonymous reporters are never told; the merged message keeps within both platforms'
 * limits; and a retried transaction queues nothing twice.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import { type Message, type MessageAction, message } from '../../src/domain/message.ts';
import { mergeNotices, NOTICE_LINES_MAX, type NoticePart } from '../../src/domain/notices.ts';
import type { Layer, PersonRef } from '../../src/domain/people.ts';
import { NUDGE_ACTIONS, TRAINING_ACTIONS } from '../../src/domain/schedule-messages.ts';
import { renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard } from '../../src/platforms/teams/cards.ts';
import { withNotices } from '../../src/services/notices.ts';
import { adaptiveCardProblems, teamsSizeProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { carl, mona, olga, SLACK_REVIEW, TEAMS_REVIEW, tim, WAREHOUSE_SLACK, wanda } from '../support/cast.ts';
import { ManualClock, type MemoryOutboxRow, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

const eve: PersonRef = { platform: 'teams', externalId: 'aad-eve', displayName: 'Eve Executive' };
const ed: PersonRef = { platform: 'slack', externalId: 'U0ED', displayName: 'Ed Executive' };
const secret: PersonRef = { platform: 'slack', externalId: 'U0SECRET', displayName: 'Secret Sam' };

const HOUR = 3600 * 1000;

let clock: ManualClock;
let store: MemoryStore;
let services: ReturnType<typeof buildServices>;
let keys = 0;

const request = (actor: PersonRef, key = `interaction-${++keys}`) => ({ actor, key });
const idOf = (ref: PersonRef) => {
  const id = store.personByIdentity(ref.platform, ref.externalId)?.id;
  if (id === undefined) throw new Error(`${ref.externalId} is not known`);
  return id;
};
/** The direct messages to `ref` queued after the first `since` outbox rows. */
const dmsTo = (ref: PersonRef, since = 0): MemoryOutboxRow[] =>
  store.outbox
    .slice(since)
    .filter((r) => r.target.kind === 'dm' && r.platform === ref.platform && r.target.externalId === ref.externalId);
const onlyDmTo = (ref: PersonRef, since = 0): MemoryOutboxRow => {
  const rows = dmsTo(ref, since);
  expect(rows.map((r) => r.key)).toHaveLength(1);
  return rows[0] as MemoryOutboxRow;
};
const paragraphs = (body: Message) => body.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : []));
const actionsOf = (body: Message): MessageAction[] =>
  body.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));

async function setLayer(ref: PersonRef, layer: Layer) {
  await store.transaction(async (repos) => repos.people.setLayer((await repos.people.identify(ref)).id, layer));
}

const frictionForm = (title: string, over: Record<string, unknown> = {}) => ({
  kind: 'tool_friction',
  title,
  description: 'It gets in the way every shift.',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  ...over,
});

async function report(actor: PersonRef, title = 'Scanner dies after 30 minutes', over: Record<string, unknown> = {}) {
  const result = await services.friction.submit(request(actor), frictionForm(title, over));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.number;
}

async function raise(actor: PersonRef, friction: number[], title = 'Charge scanners at every break') {
  const result = await services.changes.submit(request(actor), {
    kind: 'workflow',
    sop: 'inventory-scanning',
    title,
    change: 'Scanners go on the charger at every break.',
    why: 'Scanners die after 30 minutes and the count is lost.',
    friction: friction.map((n) => `FR-${n}`).join(', '),
    risk: 'low',
    improvement: 'clarify',
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.number;
}

const approve = async (number: number) =>
  expect((await services.changes.decide(request(carl), 'approve', `CR-${number}`)).text).toBe(
    `CR-${number} is approved.`,
  );

beforeEach(async () => {
  // Monday 7 December 2026, 08:30 UTC.
  clock = new ManualClock('2026-12-07T08:30:00.000Z');
  store = new MemoryStore(clock);
  services = buildServices(store, clock);
  await services.admin.bootstrapCoeMembers([olga, carl]);
  await setLayer(mona, 'manager');
  await store.transaction(async (repos) => {
    await repos.reviewChannels.set('slack', SLACK_REVIEW);
    await repos.reviewChannels.set('teams', TEAMS_REVIEW);
    await repos.teams.add('Warehouse');
    const warehouse = await repos.teams.byName('Warehouse');
    if (!warehouse) throw new Error('no team');
    await repos.teams.addChannel(warehouse.id, 'slack', WAREHOUSE_SLACK);
    for (const ref of [wanda, tim, mona]) {
      await repos.teams.setMember(warehouse.id, (await repos.people.identify(ref)).id, ref === mona);
    }
  });
  await services.commands.handle(request(olga), parseCoeCommand('sop new inventory-scanning Inventory scanning'));
});

describe('an approval', () => {
  it('tells the person who raised CR-1 and reported FR-1 once: the approval first, then the report', async () => {
    await report(mona);
    await raise(mona, [1]);
    const before = store.outbox.length;
    await approve(1);

    const dm = onlyDmTo(mona, before);
    expect(dm.key).toBe(`CR-1:v2:dm:${idOf(mona)}`);
    expect(dm.body.text).toBe(
      'CR-1 "Charge scanners at every break" is now approved — FR-1 "Scanner dies after 30 minutes", which you reported, is now in change.',
    );
    expect(paragraphs(dm.body)).toEqual([
      '**CR-1** "Charge scanners at every break" is now **approved**.',
      'Carl Coe approved it.',
      '**FR-1** "Scanner dies after 30 minutes", which you reported, is now **in change**.',
    ]);
    // The report's own key was never queued: its part rides in the approval's message.
    expect(store.outbox.some((r) => r.key === `FR-1:v2:dm:${idOf(mona)}`)).toBe(false);
    expect(store.report(1)?.status).toBe('in_change');
  });

  it('tells the requester and a different reporter one message each', async () => {
    await report(wanda);
    await report(tim, 'Scanner freezes in the cold store');
    await raise(mona, [1, 2]);
    const before = store.outbox.length;
    await approve(1);

    expect(onlyDmTo(mona, before).body.text).toBe('CR-1 "Charge scanners at every break" is now approved.');
    const toWanda = onlyDmTo(wanda, before);
    expect(toWanda.key).toBe(`FR-1:v2:dm:${idOf(wanda)}`);
    expect(toWanda.body.text).toBe('FR-1 "Scanner dies after 30 minutes" is now in change.');
    expect(onlyDmTo(tim, before).body.text).toBe('FR-2 "Scanner freezes in the cold store" is now in change.');
    expect(dmsTo(olga, before)).toEqual([]);
    expect(dmsTo(carl, before)).toEqual([]);
  });

  it('tells someone who reported two linked reports, and said "me too" to a third, once', async () => {
    await report(wanda);
    await report(wanda, 'Scanner freezes in the cold store');
    await report(tim, 'Scanner loses the count');
    await report(wanda, 'Scanner loses the count again');
    // Wanda's fourth report folds into Tim's: she is one of its supporters now.
    await services.friction.decide(request(olga), 'duplicate', 4, { duplicateOf: 'FR-3' });
    await raise(mona, [1, 2, 3]);
    const before = store.outbox.length;
    await approve(1);

    const dm = onlyDmTo(wanda, before);
    expect(dm.body.text).toBe(
      'FR-1 "Scanner dies after 30 minutes" is now in change — FR-2 "Scanner freezes in the cold store", which you reported, is now in change (and 1 more).',
    );
    expect(paragraphs(dm.body).slice(-2)).toEqual([
      '**FR-2** "Scanner freezes in the cold store", which you reported, is now **in change**.',
      '**FR-3** "Scanner loses the count", which you also raised, is now **in change**.',
    ]);
    expect(onlyDmTo(tim, before).body.text).toBe('FR-3 "Scanner loses the count" is now in change.');
  });

  it('never tells an anonymous reporter, and names nobody who reported', async () => {
    await report(secret, 'Scanner dies after 30 minutes', { anonymous: true });
    await raise(mona, [1]);
    const before = store.outbox.length;
    await approve(1);
    expect(store.outbox.slice(before).filter((r) => r.target.kind === 'dm')).toEqual([
      expect.objectContaining({ key: `CR-1:v2:dm:${idOf(mona)}` }),
    ]);
    expect(JSON.stringify(store.outbox)).not.toMatch(/Secret Sam|U0SECRET/);
  });
});

describe('a release', () => {
  it('tells each requester and reporter once, however many changes and reports it closes', async () => {
    await report(wanda);
    await report(mona, 'Labels print blank');
    await report(wanda, 'Scanner freezes in the cold store');
    await raise(mona, [1, 2]);
    await raise(mona, [3], 'Keep spare scanners warm');
    await approve(1);
    await approve(2);
    const before = store.outbox.length;
    const published = await services.releases.publish(request(olga), { changes: ['CR-1', 'CR-2'] });
    expect(published.ok).toBe(true);

    const toMona = onlyDmTo(mona, before);
    expect(toMona.key).toBe(`CR-1:v3:dm:${idOf(mona)}`);
    expect(toMona.body.text).toBe(
      'CR-1 "Charge scanners at every break" is now released — CR-2 "Keep spare scanners warm", which you raised, is now released (and 1 more).',
    );
    expect(paragraphs(toMona.body).slice(-2)).toEqual([
      '**CR-2** "Keep spare scanners warm", which you raised, is now **released**.',
      '**FR-2** "Labels print blank", which you reported, is now **resolved**.',
    ]);
    const toWanda = onlyDmTo(wanda, before);
    expect(toWanda.body.text).toBe(
      'FR-1 "Scanner dies after 30 minutes" is now resolved — FR-3 "Scanner freezes in the cold store", which you reported, is now resolved.',
    );
    expect(JSON.stringify(toWanda.body)).toContain('Resolved by SOP-inventory-scanning v1.1');
  });

  it('keeps a long merged message within Slack’s and Teams’ limits, counting what it does not show', async () => {
    const numbers: number[] = [];
    for (let i = 1; i <= 20; i++) numbers.push(await report(wanda, `Scanner trouble number ${i} ${'x'.repeat(90)}`));
    await raise(mona, numbers.slice(0, 10));
    await raise(mona, numbers.slice(10), 'Keep spare scanners warm');
    await approve(1);
    await approve(2);
    const before = store.outbox.length;
    await services.releases.publish(request(olga), { changes: ['CR-1', 'CR-2'] });

    const { body } = onlyDmTo(wanda, before);
    expect(paragraphs(body).filter((p) => p.includes('which you reported'))).toHaveLength(NOTICE_LINES_MAX);
    expect(body.blocks.at(-1)).toEqual({ type: 'note', text: '…and 9 more updates.' });
    expect(body.text).toMatch(/\(and 18 more\)\.$/);
    expect(blockKitProblems(renderMessage(body))).toEqual([]);
    const card = renderCard(body);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(teamsSizeProblems(card)).toEqual([]);
  });
});

describe('a decline passed on to the executives', () => {
  it('tells an executive who reported it once: where it goes first, then that it came to them', async () => {
    await setLayer(eve, 'executive');
    await setLayer(ed, 'executive');
    await report(eve);
    const before = store.outbox.length;
    await services.friction.decide(request(olga), 'decline', 1, { lane: 'executive_call' });

    const toEve = onlyDmTo(eve, before);
    expect(toEve.key).toBe(`FR-1:v2:dm:${idOf(eve)}`);
    expect(toEve.body.text).toMatch(/^FR-1 "Scanner dies after 30 minutes" is for your leadership to decide .* — /);
    expect(toEve.body.text).toContain('The CoE passed FR-1 "Scanner dies after 30 minutes" on to you');
    expect(onlyDmTo(ed, before).key).toBe(`FR-1:v2:passed-on:${idOf(ed)}`);
  });
});

describe('reminders and nudges due at once', () => {
  const at = (date: string, time: string) => clock.set(new Date(`${date}T${time}:00.000Z`));

  it('reminds a person of two trainings in one message, each with its own buttons', async () => {
    for (const title of ['Scanner charging', 'Cold store safety']) {
      const result = await services.trainings.assign(request(olga), {
        title,
        material: 'https://wiki.example.com/scanners',
        sop: 'inventory-scanning',
        teams: ['Warehouse'],
        layers: [],
        due: '2026-12-11',
      });
      expect(result.ok).toBe(true);
    }
    at('2026-12-08', '09:00');
    const before = store.outbox.length;
    expect(await services.trainings.remind()).toBe('reminded 3 people and 2 team channels');

    const dm = onlyDmTo(wanda, before);
    expect(dm.key).toBe(`TR-1:remind:${idOf(wanda)}:2026-12-08`);
    expect(dm.body.text).toBe(
      'Reminder: training TR-1 is not marked complete yet: Scanner charging, due Fri, 11 Dec 2026 — Training TR-2 "Cold store safety" is not marked complete yet; due Fri, 11 Dec 2026.',
    );
    expect(actionsOf(dm.body).map((a) => [a.id, a.value])).toEqual([
      [TRAINING_ACTIONS.complete, 'TR-1'],
      [TRAINING_ACTIONS.snooze, 'TR-1'],
      [TRAINING_ACTIONS.complete, 'TR-2'],
      [TRAINING_ACTIONS.snooze, 'TR-2'],
    ]);
    expect(onlyDmTo(tim, before).key).toBe(`TR-1:remind:${idOf(tim)}:2026-12-08`);
    // Both reminders count, so the cap and the day hold for each training.
    expect(store.nudge(`TR-1:person:${idOf(wanda)}`)).toMatchObject({ count: 1, lastOn: '2026-12-08' });
    expect(store.nudge(`TR-2:person:${idOf(wanda)}`)).toMatchObject({ count: 1, lastOn: '2026-12-08' });
    const again = store.outbox.length;
    expect(await services.trainings.remind()).toBe('reminded 0 people and 0 team channels');
    expect(store.outbox.length).toBe(again);

    // Done with one: the next day's reminder is the other one alone.
    at('2026-12-08', '10:00');
    await services.trainings.complete(request(wanda), 'TR-1');
    at('2026-12-09', '09:00');
    const wednesday = store.outbox.length;
    await services.trainings.remind();
    const next = onlyDmTo(wanda, wednesday);
    expect(next.key).toBe(`TR-2:remind:${idOf(wanda)}:2026-12-09`);
    expect(next.body.text).toBe(
      'Reminder: training TR-2 is not marked complete yet: Cold store safety, due Fri, 11 Dec 2026.',
    );
  });

  it('nudges an owner about several stalled reports in one message, each snoozable', async () => {
    at('2026-12-07', '10:30');
    for (const title of ['Scanner dies', 'Labels print blank', 'Cold store freezes']) await report(wanda, title);
    const carls = await report(tim, 'Dock door sticks');
    for (const number of [1, 2, 3]) await services.friction.decide(request(olga), 'triage', number);
    await services.friction.decide(request(carl), 'triage', carls);
    // Ten working days later, all four have had no progress.
    at('2026-12-21', '10:00');
    const before = store.outbox.length;
    expect(await services.nudges.run()).toBe('raised 0 untriaged reports, nudged 2 owners about 4 reports');

    const dm = onlyDmTo(olga, before);
    expect(dm.key).toBe(`FR-1:stalled:2026-12-21:${idOf(olga)}`);
    expect(dm.body.text).toBe(
      'FR-1 "Scanner dies", which you own, has had no progress for 10 working days — FR-2 "Labels print blank", which you own, has had no progress for 10 working days (and 1 more).',
    );
    expect(actionsOf(dm.body).map((a) => [a.id, a.value])).toEqual([
      [NUDGE_ACTIONS.snooze, 'FR-1:stalled'],
      [NUDGE_ACTIONS.snooze, 'FR-2:stalled'],
      [NUDGE_ACTIONS.snooze, 'FR-3:stalled'],
    ]);
    for (const number of [1, 2, 3]) expect(store.nudge(`FR-${number}:stalled`)?.count).toBe(1);
    expect(onlyDmTo(carl, before).key).toBe(`FR-4:stalled:2026-12-21:${idOf(carl)}`);
    // The same day again: nothing more.
    clock.set(new Date(clock.now().getTime() + HOUR));
    const again = store.outbox.length;
    await services.nudges.run();
    expect(store.outbox.length).toBe(again);
  });
});

describe('the collector', () => {
  it('queues one message per person under its main part’s key, once however often the action runs', async () => {
    const monaId = idOf(mona);
    const action = () =>
      store.transaction((repos) =>
        withNotices(repos, async (notices) => {
          await notices.tell(monaId, 'side', { body: message('A side note.') }, 1);
          await notices.tell(monaId, 'main', { body: message('The main change.') });
          await notices.tell(monaId, 'main', { body: message('The main change, told twice.') });
          expect(await notices.tell(9999, 'nobody', { body: message('Nobody to tell.') })).toBe(false);
        }),
      );
    await action();
    await action();
    expect(dmsTo(mona).map((r) => [r.key, r.body.text])).toEqual([['main', 'The main change — A side note.']]);
    expect(store.outbox.some((r) => r.key === 'nobody')).toBe(false);
  });

  it('merges within the limits whatever the parts, and leaves a single part as it is', () => {
    const one: NoticePart = { body: message('Only this.') };
    expect(mergeNotices([one])).toBe(one.body);
    const big = (i: number): NoticePart => ({
      body: message(`Part ${i}`, { type: 'paragraph', text: 'y'.repeat(2900) }),
      line: `**Part ${i}** ${'z'.repeat(1000)}`,
      actions: [{ id: `a.${i}`, label: `Do ${i}`, value: String(i) }],
    });
    const merged = mergeNotices(Array.from({ length: 40 }, (_, i) => big(i)));
    expect(blockKitProblems(renderMessage(merged))).toEqual([]);
    expect(teamsSizeProblems(renderCard(merged))).toEqual([]);
    expect(adaptiveCardProblems(renderCard(merged))).toEqual([]);
    expect(merged.blocks.at(-1)).toEqual({ type: 'note', text: '…and 29 more updates.' });
  });
});
