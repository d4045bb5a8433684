/**
 * One event, one message per person (issue 12) for audits, through the services on the in-memory store with
 * node-cron's own reading of the schedules: the runs of two plans one person owns that fire in the same minute reach
 * them as one message — the first plan's checklist first, the other as a line with its own "Record" button — and the
 * other plan's own fire then sends nothing; other owners, other minutes, paused plans, plans made after the fire and
 * `audit run` stay on their own. The merged message keeps within both platforms' limits.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseCoeCommand } from '../../src/domain/coe-command.ts';
import type { Message, MessageAction } from '../../src/domain/message.ts';
import type { Layer, PersonRef } from '../../src/domain/people.ts';
import { AUDIT_ACTIONS } from '../../src/domain/schedule-messages.ts';
import { cronRules } from '../../src/jobs/index.ts';
import { renderMessage } from '../../src/platforms/slack/render.ts';
import { renderCard } from '../../src/platforms/teams/cards.ts';
import { adaptiveCardProblems, teamsSizeProblems } from '../support/adaptive-card.ts';
import { blockKitProblems } from '../support/block-kit-limits.ts';
import { carl, max, mona, olga } from '../support/cast.ts';
import { ManualClock, type MemoryOutboxRow, MemoryStore } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

let clock: ManualClock;
let store: MemoryStore;
let services: ReturnType<typeof buildServices>;
let keys = 0;

const request = (actor: PersonRef) => ({ actor, key: `interaction-${++keys}` });
const dmsTo = (ref: PersonRef, since: number): MemoryOutboxRow[] =>
  store.outbox
    .slice(since)
    .filter((r) => r.target.kind === 'dm' && r.platform === ref.platform && r.target.externalId === ref.externalId);
const actionsOf = (body: Message): MessageAction[] =>
  body.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));

async function setLayer(ref: PersonRef, layer: Layer) {
  await store.transaction(async (repos) => repos.people.setLayer((await repos.people.identify(ref)).id, layer));
}

/** AUD-<n> of the standard, on `schedule`, owned by `owner`. */
async function plan(owner: PersonRef, schedule: string, checklist: string[]) {
  const result = await services.audits.plan(
    request(olga),
    { sop: 'inventory-scanning', schedule, checklist: checklist.join('\n'), variance: '5' },
    owner,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
}

/** Monday 14 December 2026, 09:00 UTC: when `0 9 * * 1` fires. */
const MONDAY_NINE = new Date('2026-12-14T09:00:00.000Z');

beforeEach(async () => {
  // Monday 7 December 2026, 10:00 UTC.
  clock = new ManualClock('2026-12-07T10:00:00.000Z');
  store = new MemoryStore(clock);
  services = buildServices(store, clock, { firesAt: cronRules('UTC').firesAt });
  await services.admin.bootstrapCoeMembers([olga, carl]);
  await setLayer(mona, 'manager');
  await setLayer(max, 'manager');
  await services.commands.handle(request(olga), parseCoeCommand('sop new inventory-scanning Inventory scanning'));
});

describe('audit runs due to one owner at once', () => {
  it('come as one message, the first plan’s checklist first; the other plan’s own fire sends nothing', async () => {
    await plan(mona, '0 9 * * 1', ['Scanners on the charger', 'Counts match the system']);
    await plan(mona, '0 9 * * 1-5', ['Cold store below 4°C']);
    // Another owner, and another minute: on their own.
    await plan(max, '0 9 * * 1', ['Dock doors shut']);
    await plan(mona, '30 9 * * 1', ['Labels printed']);
    clock.set(MONDAY_NINE);
    const before = store.outbox.length;

    expect(await services.audits.fire(1, MONDAY_NINE)).toBe("run 1 sent to its owner, with AUD-2's run 2");
    const [dm, ...more] = dmsTo(mona, before);
    expect(more).toEqual([]);
    expect(dm?.key).toBe('AUD-1:run:1');
    expect(dm?.body.text).toBe(
      'Audit AUD-1 of SOP-inventory-scanning v1.0 is due: 2 items — Audit AUD-2 of SOP-inventory-scanning v1.0 is due too: 1 item, listed in its form.',
    );
    expect(dm?.body.blocks[0]).toEqual({ type: 'heading', text: 'Audit AUD-1 · SOP-inventory-scanning v1.0' });
    expect(actionsOf(dm?.body as Message)).toEqual([
      { id: AUDIT_ACTIONS.record, label: 'Record results', value: '1', style: 'primary', opensForm: true },
      { id: AUDIT_ACTIONS.record, label: 'Record AUD-2 results', value: '2', opensForm: true },
    ]);
    expect(store.auditRuns.map((r) => [r.planNumber, r.dueAt])).toEqual([
      [1, MONDAY_NINE],
      [2, MONDAY_NINE],
    ]);
    expect(store.events.filter((e) => e.action === 'audit.due').map((e) => e.subject)).toEqual(['AUD-1', 'AUD-2']);

    // AUD-2's own fire of that minute finds its run open: nothing more for Mona.
    const after = store.outbox.length;
    expect(await services.audits.fire(2, MONDAY_NINE)).toBe('AUD-2 already has its run for 2026-12-14T09:00:00.000Z');
    expect(store.outbox).toHaveLength(after);

    // Max's plan, and Mona's 09:30 one, come on their own.
    expect(await services.audits.fire(3, MONDAY_NINE)).toBe('run 3 sent to its owner');
    expect(dmsTo(max, after).map((r) => r.body.text)).toEqual([
      'Audit AUD-3 of SOP-inventory-scanning v1.0 is due: 1 item.',
    ]);
    const half = new Date('2026-12-14T09:30:00.000Z');
    expect(await services.audits.fire(4, half)).toBe('run 4 sent to its owner');
    expect(dmsTo(mona, after).map((r) => r.key)).toEqual(['AUD-4:run:4']);

    // Tuesday at 09:00 only AUD-2 fires: alone.
    const tuesday = new Date('2026-12-15T09:00:00.000Z');
    expect(await services.audits.fire(2, tuesday)).toBe('run 5 sent to its owner');
  });

  it('leave out a paused plan, one planned after the fire, and a run asked for with `audit run`', async () => {
    await plan(mona, '0 9 * * 1', ['Scanners on the charger']);
    await plan(mona, '0 9 * * 1', ['Cold store below 4°C']);
    await services.commands.handle(request(carl), parseCoeCommand('audit pause AUD-2'));
    clock.set(new Date('2026-12-14T09:05:00.000Z'));
    // Planned after the fire it would share (a late catch-up of AUD-1's fire).
    await plan(mona, '0 9 * * 1', ['Labels printed']);
    const before = store.outbox.length;
    expect(await services.audits.fire(1, MONDAY_NINE)).toBe('run 1 sent to its owner');
    expect(dmsTo(mona, before).map((r) => r.body.text)).toEqual([
      'Audit AUD-1 of SOP-inventory-scanning v1.0 is due: 1 item.',
    ]);

    // `audit run` is not a scheduled fire: the plan alone, even at a minute AUD-3 fires too.
    clock.set(new Date('2026-12-21T09:00:00.000Z'));
    const now = store.outbox.length;
    expect((await services.commands.handle(request(carl), parseCoeCommand('audit run AUD-1'))).text).toBe(
      'AUD-1: a run is open, and its owner has the checklist.',
    );
    expect(dmsTo(mona, now).map((r) => r.key)).toEqual(['AUD-1:run:2']);
    expect(store.auditRuns.filter((r) => r.planNumber === 3)).toEqual([]);
  });

  it('keep the merged message within Slack’s and Teams’ limits, however long the checklists', async () => {
    const long = Array.from({ length: 15 }, (_, i) => `${'Check '.repeat(20)}${i}`);
    for (let i = 0; i < 12; i++) await plan(mona, '0 9 * * 1', long);
    clock.set(MONDAY_NINE);
    const before = store.outbox.length;
    await services.audits.fire(5, MONDAY_NINE);
    const [dm, ...more] = dmsTo(mona, before);
    expect(more).toEqual([]);
    expect(dm?.key).toBe('AUD-1:run:1');
    const body = dm?.body as Message;
    expect(blockKitProblems(renderMessage(body))).toEqual([]);
    expect(teamsSizeProblems(renderCard(body))).toEqual([]);
    expect(adaptiveCardProblems(renderCard(body))).toEqual([]);
    expect(body.blocks.at(-1)).toEqual({ type: 'note', text: '…and 1 more update.' });
  });
});
