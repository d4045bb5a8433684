/**
 * The change-management repositories and the outbox's fan-out on PGlite and real Postgres: teams and channels,
 * change requests and approvals, standards and releases, executive constraints, the AI usage rules registry,
 * `enqueueMany` and `batchProgress` — and the services on top of them, where only a real database can race.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaOutboxQueue, PrismaStore } from '../../src/db/store.ts';
import type { AiRule } from '../../src/domain/ai-rules.ts';
import type { PersonRef } from '../../src/domain/people.ts';
import type { NewChangeRequest, NewSopRelease, OutboundMessage, Repositories } from '../../src/ports.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { ManualClock } from '../support/memory.ts';
import { buildServices } from '../support/services.ts';

let submissions = 0;
const change = (over: Partial<NewChangeRequest> = {}): NewChangeRequest => ({
  kind: 'workflow',
  sopKey: 'inventory-scanning',
  title: 'Charge scanners at every break',
  change: 'Scanners go on the charger at every break.',
  why: 'They die after 30 minutes.',
  friction: [],
  constraint: null,
  risk: 'low',
  improvement: 'clarify',
  aiRule: null,
  status: 'submitted',
  requesterPersonId: null,
  origin: null,
  submissionKey: `cr-${++submissions}`,
  ...over,
});

const release = (over: Partial<NewSopRelease> = {}): NewSopRelease => ({
  sopKey: 'inventory-scanning',
  major: 1,
  minor: 1,
  notes: 'Charge at every break.',
  tags: ['clarify'],
  changes: [1],
  teamIds: [1],
  publishedByPersonId: null,
  submissionKey: `release-${++submissions}`,
  ...over,
});

const chatGpt = {
  tool: 'ChatGPT',
  status: 'restricted',
  dataClasses: ['public', 'internal'],
  forbiddenInputs: 'Customer personal data',
  humanReview: true,
  layers: ['manager', 'coe'],
} as const satisfies Omit<AiRule, 'toolKey' | 'changeNumber' | 'release' | 'updatedAt'>;

const post = (key: string, over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  key,
  platform: 'slack',
  target: { kind: 'channel', channelId: `C-${key}` },
  body: { text: key, blocks: [{ type: 'paragraph', text: key }] },
  ...over,
});

/** Lets two transactions overlap: the first holds its lock until the second has asked for it. */
async function overlapped(
  store: PrismaStore,
  lock: (r: Repositories) => Promise<unknown>,
  first: (r: Repositories) => Promise<void>,
  second: (r: Repositories) => Promise<void>,
) {
  let releaseFirst: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    releaseFirst = resolve;
  });
  const a = store.transaction(async (r) => {
    await lock(r);
    await held;
    await first(r);
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const b = store.transaction(async (r) => {
    await lock(r);
    await second(r);
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  releaseFirst();
  await Promise.all([a, b]);
}

describe.each(databaseKinds())('change-management repositories (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;
  const tx = <T>(work: (r: Repositories) => Promise<T>) => store.transaction(work);
  const person = (externalId: string) => tx((r) => r.people.identify({ platform: 'slack', externalId }));

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
  });

  describe('teams', () => {
    it('adds teams once whatever the case, finds them by name, and lists them with their counts', async () => {
      expect(await tx((r) => r.teams.add('Warehouse'))).toBe(true);
      expect(await tx((r) => r.teams.add('WAREHOUSE'))).toBe(false);
      expect(await tx((r) => r.teams.add('Night Shift'))).toBe(true);
      expect(await tx((r) => r.teams.byName(' warehouse '))).toEqual({ id: 1, name: 'Warehouse', archivedAt: null });
      expect(await tx((r) => r.teams.byName('Dock'))).toBeUndefined();
      expect(await tx((r) => r.teams.byId(1))).toEqual({ id: 1, name: 'Warehouse', archivedAt: null });
      expect(await tx((r) => r.teams.byId(999))).toBeUndefined();
      const mona = await person('U-mona');
      const wanda = await person('U-wanda');
      await tx(async (r) => {
        await r.teams.setMember(1, mona.id, true);
        await r.teams.setMember(1, wanda.id, false);
        await r.teams.addChannel(1, 'slack', 'C-ware');
      });
      expect(await tx((r) => r.teams.list())).toEqual([
        { id: 2, name: 'Night Shift', channels: 0, members: 0, managers: [] },
        { id: 1, name: 'Warehouse', channels: 1, members: 2, managers: [mona.id] },
      ]);
    });

    it('gives a channel to one team: added, same, or moved from another', async () => {
      await tx(async (r) => {
        await r.teams.add('Warehouse');
        await r.teams.add('Night Shift');
      });
      expect(await tx((r) => r.teams.addChannel(1, 'slack', 'C1'))).toBe('added');
      expect(await tx((r) => r.teams.addChannel(1, 'slack', 'C1'))).toBe('same');
      expect(await tx((r) => r.teams.addChannel(2, 'slack', 'C1'))).toBe('moved');
      // The same id on another platform is another channel.
      expect(await tx((r) => r.teams.addChannel(1, 'teams', 'C1'))).toBe('added');
      await tx((r) => r.teams.addChannel(1, 'slack', 'C0'));
      expect(await tx((r) => r.teams.channels())).toEqual([
        { teamId: 1, platform: 'slack', channelId: 'C0' },
        { teamId: 1, platform: 'teams', channelId: 'C1' },
        { teamId: 2, platform: 'slack', channelId: 'C1' },
      ]);
      expect(await tx((r) => r.teams.channels([2]))).toEqual([{ teamId: 2, platform: 'slack', channelId: 'C1' }]);
      expect(await tx((r) => r.teams.channels([]))).toEqual([]);
      await expect(tx((r) => r.teams.addChannel(9, 'slack', 'C9'))).rejects.toThrow();
    });

    it('makes a member a manager and back, once per team', async () => {
      await tx((r) => r.teams.add('Warehouse'));
      const mona = await person('U-mona');
      await tx((r) => r.teams.setMember(1, mona.id, false));
      expect(await tx((r) => r.teams.manages(mona.id, 1))).toBe(false);
      await tx((r) => r.teams.setMember(1, mona.id, true));
      expect(await tx((r) => r.teams.manages(mona.id, 1))).toBe(true);
      expect(await tx((r) => r.teams.manages(mona.id, 2))).toBe(false);
      expect(await tx((r) => r.teams.members(1))).toEqual([{ personId: mona.id, isManager: true }]);
      await expect(tx((r) => r.teams.setMember(9, mona.id, true))).rejects.toThrow();
    });
  });

  describe('change requests', () => {
    it('numbers requests from 1, keeps every field, and finds them by submission', async () => {
      const mona = await person('U-mona');
      const first = await tx((r) =>
        r.changes.create(
          change({ submissionKey: 'view-1', requesterPersonId: mona.id, friction: [3, 1], constraint: 2 }),
        ),
      );
      const ai = await tx((r) =>
        r.changes.create(change({ kind: 'ai_rule', sopKey: 'ai-usage-rules', aiRule: chatGpt })),
      );
      expect(first).toEqual({
        number: 1,
        kind: 'workflow',
        sopKey: 'inventory-scanning',
        title: 'Charge scanners at every break',
        change: 'Scanners go on the charger at every break.',
        why: 'They die after 30 minutes.',
        friction: [3, 1],
        constraint: 2,
        risk: 'low',
        improvement: 'clarify',
        aiRule: null,
        status: 'submitted',
        requesterPersonId: mona.id,
        origin: null,
        decisionReason: null,
        releaseId: null,
        version: 1,
        createdAt: expect.any(Date),
      });
      expect(ai).toMatchObject({ number: 2, kind: 'ai_rule', aiRule: chatGpt });
      expect(await tx((r) => r.changes.bySubmissionKey('view-1'))).toEqual(first);
      expect(await tx((r) => r.changes.get(2))).toEqual(ai);
      expect(await tx((r) => r.changes.get(3))).toBeUndefined();
      expect(await tx((r) => r.changes.getForUpdate(3))).toBeUndefined();
      expect(await tx((r) => r.changes.bySubmissionKey('nope'))).toBeUndefined();
    });

    it('refuses a second request with the same submission key, and rolls the whole transaction back', async () => {
      await tx((r) => r.changes.create(change({ submissionKey: 'same' })));
      await expect(
        tx(async (r) => {
          await r.teams.add('Warehouse');
          await r.changes.create(change({ submissionKey: 'same' }));
        }),
      ).rejects.toThrow();
      expect(await db.prisma.changeRequest.count()).toBe(1);
      expect(await db.prisma.team.count()).toBe(0);
    });

    it('updates what it is given, bumps the version, and sets or clears the AI rule', async () => {
      await tx((r) => r.changes.create(change()));
      const sentBack = await tx((r) => r.changes.update(1, { status: 'changes_requested', decisionReason: 'Why?' }));
      expect(sentBack).toMatchObject({
        status: 'changes_requested',
        decisionReason: 'Why?',
        version: 2,
        title: 'Charge scanners at every break',
      });
      const revised = await tx((r) =>
        r.changes.update(1, { status: 'submitted', decisionReason: null, aiRule: chatGpt, friction: [4] }),
      );
      expect(revised).toMatchObject({
        status: 'submitted',
        decisionReason: null,
        aiRule: chatGpt,
        friction: [4],
        version: 3,
      });
      const cleared = await tx((r) => r.changes.update(1, { aiRule: null, releaseId: 7, status: 'released' }));
      expect(cleared).toMatchObject({ aiRule: null, releaseId: 7, status: 'released', version: 4 });
      expect(await tx((r) => r.changes.get(1))).toEqual(cleared);
      await expect(tx((r) => r.changes.update(9, { status: 'approved' }))).rejects.toThrow();
    });

    it('records each CoE member’s approval once, in order, and clears them', async () => {
      const [olga, carl] = [await person('U-olga'), await person('U-carl')];
      await tx((r) => r.changes.create(change()));
      expect(await tx((r) => r.changes.approve(1, carl.id))).toBe(true);
      expect(await tx((r) => r.changes.approve(1, olga.id))).toBe(true);
      expect(await tx((r) => r.changes.approve(1, carl.id))).toBe(false);
      expect(await tx((r) => r.changes.approvals(1))).toEqual([carl.id, olga.id]);
      await tx((r) => r.changes.clearApprovals(1));
      expect(await tx((r) => r.changes.approvals(1))).toEqual([]);
      expect(await tx((r) => r.changes.approve(1, carl.id))).toBe(true);
      await expect(tx((r) => r.changes.approve(9, carl.id))).rejects.toThrow();
    });

    it('lists approved ones oldest first, by standard, by requester newest first, and by friction report', async () => {
      const mona = await person('U-mona');
      await tx(async (r) => {
        await r.changes.create(change({ status: 'approved', friction: [5] }));
        await r.changes.create(change({ status: 'released', requesterPersonId: mona.id, friction: [5, 6] }));
        await r.changes.create(change({ status: 'approved', sopKey: 'returns', requesterPersonId: mona.id }));
        await r.changes.create(change({ requesterPersonId: mona.id }));
      });
      const numbers = (list: { number: number }[]) => list.map((c) => c.number);
      expect(numbers(await tx((r) => r.changes.approved()))).toEqual([1, 3]);
      expect(numbers(await tx((r) => r.changes.bySop('inventory-scanning')))).toEqual([1, 2, 4]);
      expect(numbers(await tx((r) => r.changes.byRequester(mona.id, 2)))).toEqual([4, 3]);
      expect(numbers(await tx((r) => r.changes.linking(5)))).toEqual([1, 2]);
      expect(numbers(await tx((r) => r.changes.linking(6)))).toEqual([2]);
      expect(await tx((r) => r.changes.linking(7))).toEqual([]);
    });

    it('serialises two decisions on one request (row lock)', async () => {
      await tx((r) => r.changes.create(change()));
      const order: string[] = [];
      await overlapped(
        store,
        async (r) => order.push(`locked, saw ${(await r.changes.getForUpdate(1))?.status}`),
        async (r) => {
          await r.changes.update(1, { status: 'approved' });
          order.push('first done');
        },
        async () => {
          order.push('second done');
        },
      );
      expect(order).toEqual(['locked, saw submitted', 'first done', 'locked, saw approved', 'second done']);
    });
  });

  describe('standards and releases', () => {
    beforeEach(async () => {
      await tx((r) =>
        r.sops.create({ key: 'inventory-scanning', title: 'Inventory scanning', ownerPersonId: null, baseline: true }),
      );
    });

    it('registers standards once, and lists them by key', async () => {
      const olga = await person('U-olga');
      const created = await tx((r) =>
        r.sops.create({ key: 'returns', title: 'Returns', ownerPersonId: olga.id, baseline: false }),
      );
      expect(created).toEqual({
        key: 'returns',
        title: 'Returns',
        ownerPersonId: olga.id,
        baseline: false,
        createdAt: expect.any(Date),
        retiredAt: null,
      });
      expect(await tx((r) => r.sops.get('returns'))).toEqual(created);
      expect(await tx((r) => r.sops.get('payroll'))).toBeUndefined();
      await expect(
        tx((r) => r.sops.create({ key: 'returns', title: 'Again', ownerPersonId: null, baseline: true })),
      ).rejects.toThrow();
      expect((await tx((r) => r.sops.list())).map((s) => s.key)).toEqual(['inventory-scanning', 'returns']);
    });

    it('keeps a standard’s releases newest version first, unique per version and per submission', async () => {
      await tx(async (r) => {
        await r.sops.createRelease(release({ major: 1, minor: 9 }));
        await r.sops.createRelease(release({ major: 2, minor: 0 }));
        await r.sops.createRelease(release({ major: 1, minor: 10, submissionKey: 'view-r' }));
      });
      const versions = (await tx((r) => r.sops.releases('inventory-scanning'))).map((v) => `${v.major}.${v.minor}`);
      expect(versions).toEqual(['2.0', '1.10', '1.9']);
      expect(await tx((r) => r.sops.releases('returns'))).toEqual([]);
      await expect(tx((r) => r.sops.createRelease(release({ major: 2, minor: 0 })))).rejects.toThrow();
      await expect(tx((r) => r.sops.createRelease(release({ major: 3, submissionKey: 'view-r' })))).rejects.toThrow();
      await expect(tx((r) => r.sops.createRelease(release({ sopKey: 'payroll' })))).rejects.toThrow();
      const found = await tx((r) => r.sops.releaseBySubmissionKey('view-r'));
      expect(found).toEqual({
        id: 3,
        sopKey: 'inventory-scanning',
        major: 1,
        minor: 10,
        notes: 'Charge at every break.',
        tags: ['clarify'],
        changes: [1],
        teamIds: [1],
        publishedByPersonId: null,
        publishedAt: expect.any(Date),
        delivered: false,
      });
      expect(await tx((r) => r.sops.release(3))).toEqual(found);
      expect(await tx((r) => r.sops.release(9))).toBeUndefined();
    });

    it('marks a fan-out delivered once, and lists the releases still going out', async () => {
      await tx(async (r) => {
        await r.sops.createRelease(release({ minor: 1 }));
        await r.sops.createRelease(release({ minor: 2 }));
      });
      expect((await tx((r) => r.sops.undelivered())).map((v) => v.id)).toEqual([1, 2]);
      expect(await tx((r) => r.sops.markDelivered(1))).toBe(true);
      expect(await tx((r) => r.sops.markDelivered(1))).toBe(false);
      expect(await tx((r) => r.sops.markDelivered(9))).toBe(false);
      expect((await tx((r) => r.sops.undelivered())).map((v) => v.id)).toEqual([2]);
      expect((await tx((r) => r.sops.release(1)))?.delivered).toBe(true);
    });

    it('counts a team’s deployment once', async () => {
      const mona = await person('U-mona');
      await tx((r) => r.sops.createRelease(release({ teamIds: [1, 2] })));
      expect(await tx((r) => r.sops.acknowledge(1, 1, mona.id))).toBe(true);
      expect(await tx((r) => r.sops.acknowledge(1, 1, mona.id))).toBe(false);
      expect(await tx((r) => r.sops.acknowledge(1, 2, mona.id))).toBe(true);
      expect(await tx((r) => r.sops.acknowledgements(1))).toEqual([
        { teamId: 1, personId: mona.id, at: expect.any(Date) },
        { teamId: 2, personId: mona.id, at: expect.any(Date) },
      ]);
      expect(await tx((r) => r.sops.acknowledgements(2))).toEqual([]);
      await expect(tx((r) => r.sops.acknowledge(9, 1, mona.id))).rejects.toThrow();
    });

    it('serialises two releases of one standard (the standard’s lock), not of two', async () => {
      const order: string[] = [];
      await overlapped(
        store,
        (r) => r.sops.lock('inventory-scanning'),
        async () => {
          order.push('first done');
        },
        async () => {
          order.push('second done');
        },
      );
      expect(order).toEqual(['first done', 'second done']);

      if (kind === 'pglite') return; // one connection: every transaction waits for the one before
      const other: string[] = [];
      const standards = ['inventory-scanning', 'returns'];
      await overlapped(
        store,
        (r) => r.sops.lock(standards.shift() as string),
        async () => {
          other.push('first done');
        },
        async () => {
          other.push('second done');
        },
      );
      expect(other).toEqual(['second done', 'first done']);
    });
  });

  describe('executive constraints', () => {
    it('numbers them, keeps the end date as a day, and lists them newest first', async () => {
      const eve = await person('U-eve');
      const target = await tx((r) =>
        r.constraints.create({
          kind: 'target',
          text: 'Reduce cycle time by 15%',
          until: new Date('2027-06-30T00:00:00.000Z'),
          createdByPersonId: eve.id,
        }),
      );
      expect(target).toEqual({
        number: 1,
        kind: 'target',
        text: 'Reduce cycle time by 15%',
        until: new Date('2027-06-30T00:00:00.000Z'),
        createdAt: expect.any(Date),
        endedAt: null,
      });
      await tx((r) =>
        r.constraints.create({ kind: 'priority', text: 'Quality', until: null, createdByPersonId: eve.id }),
      );
      expect(await tx((r) => r.constraints.get(1))).toEqual(target);
      expect(await tx((r) => r.constraints.get(3))).toBeUndefined();
      expect((await tx((r) => r.constraints.list())).map((c) => [c.number, c.until])).toEqual([
        [2, null],
        [1, new Date('2027-06-30T00:00:00.000Z')],
      ]);
    });
  });

  describe('AI usage rules', () => {
    it('writes a rule per tool key, replaces it on the next release, and lists them by tool', async () => {
      expect(await tx((r) => r.aiRules.all())).toEqual([]);
      await tx((r) =>
        r.aiRules.put({ ...chatGpt, toolKey: 'chatgpt', changeNumber: 2, release: 'SOP-ai-usage-rules v1.0' }),
      );
      await tx((r) =>
        r.aiRules.put({
          tool: 'Claude',
          toolKey: 'claude',
          status: 'approved',
          dataClasses: [],
          forbiddenInputs: '',
          humanReview: false,
          layers: [],
          changeNumber: 3,
          release: 'SOP-ai-usage-rules v1.0',
        }),
      );
      await tx((r) =>
        r.aiRules.put({
          ...chatGpt,
          tool: 'Chat GPT',
          toolKey: 'chatgpt',
          status: 'prohibited',
          layers: [],
          changeNumber: 4,
          release: 'SOP-ai-usage-rules v1.1',
        }),
      );
      const rules = await tx((r) => r.aiRules.all());
      expect(rules).toEqual([
        {
          toolKey: 'chatgpt',
          tool: 'Chat GPT',
          status: 'prohibited',
          dataClasses: ['public', 'internal'],
          forbiddenInputs: 'Customer personal data',
          humanReview: true,
          layers: [],
          changeNumber: 4,
          release: 'SOP-ai-usage-rules v1.1',
          updatedAt: expect.any(Date),
        },
        expect.objectContaining({ toolKey: 'claude', tool: 'Claude', status: 'approved', layers: [] }),
      ]);
    });
  });

  describe('the outbox fan-out', () => {
    it('queues many messages in one go, each key once, with its batch', async () => {
      await tx((r) => r.outbox.enqueue(post('old')));
      const fanOut = Array.from({ length: 2500 }, (_, i) => post(`ann-${i}`, { batch: 'release:1' }));
      await tx((r) =>
        r.outbox.enqueueMany([
          ...fanOut,
          post('ann-7', { batch: 'release:1' }), // twice in one call
          post('old', { batch: 'release:1' }), // already queued before
          post('dm-1', { platform: 'teams', target: { kind: 'dm', externalId: 'aad-1' } }),
        ]),
      );
      expect(await db.prisma.outboxMessage.count()).toBe(2502);
      expect(await db.prisma.outboxMessage.count({ where: { batch: 'release:1' } })).toBe(2500);
      const [first] = await db.prisma.outboxMessage.findMany({ where: { idempotencyKey: 'ann-0' } });
      expect(first).toMatchObject({
        platform: 'slack',
        kind: 'channel',
        target: { kind: 'channel', channelId: 'C-ann-0' },
        body: { text: 'ann-0', blocks: [{ type: 'paragraph', text: 'ann-0' }] },
        status: 'pending',
        batch: 'release:1',
      });
      expect(await db.prisma.outboxMessage.findUnique({ where: { idempotencyKey: 'old' } })).toMatchObject({
        batch: null,
      });
      expect(await db.prisma.outboxMessage.findUnique({ where: { idempotencyKey: 'dm-1' } })).toMatchObject({
        platform: 'teams',
        kind: 'dm',
        target: { kind: 'dm', externalId: 'aad-1' },
        batch: null,
      });
    });

    it('queues updates in the list after the posts, each superseding older waiting updates of its message', async () => {
      await tx(async (r) => {
        await r.outbox.enqueue(post('m1'));
        await r.outbox.enqueue(post('u0', { target: { kind: 'update', of: 'm1' } }));
      });
      await tx((r) =>
        r.outbox.enqueueMany([
          post('u1', { target: { kind: 'update', of: 'm1' } }),
          post('m2'),
          post('u2', { target: { kind: 'update', of: 'm1' } }),
        ]),
      );
      const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
      expect(rows.map((r) => [r.idempotencyKey, r.kind, r.status])).toEqual([
        ['m1', 'channel', 'pending'],
        ['u0', 'update', 'superseded'],
        ['m2', 'channel', 'pending'],
        ['u1', 'update', 'superseded'],
        ['u2', 'update', 'pending'],
      ]);
    });

    it('queues nothing when the transaction rolls back, and nothing for an empty list', async () => {
      await expect(
        tx(async (r) => {
          await r.outbox.enqueueMany([post('a', { batch: 'b' }), post('b', { batch: 'b' })]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await tx((r) => r.outbox.enqueueMany([]));
      expect(await db.prisma.outboxMessage.count()).toBe(0);
    });

    it('counts a batch by outcome and names its first failures with their errors', async () => {
      const queue = new PrismaOutboxQueue(db.prisma);
      await tx((r) =>
        r.outbox.enqueueMany([
          ...Array.from({ length: 6 }, (_, i) => post(`a${i}`, { batch: 'release:1' })),
          post('other', { batch: 'release:2' }),
          post('none'),
        ]),
      );
      expect(await tx((r) => r.outbox.batchProgress('release:1', 5))).toEqual({
        total: 6,
        sent: 0,
        failed: 0,
        failures: [],
      });
      const claimed = await queue.claim('w', 100, 60_000);
      const id = (k: string) => claimed.find((c) => c.key === k)?.id as string;
      await queue.markSent(id('a0'), 'w', { ts: '1' });
      await queue.markSent(id('a1'), 'w', { ts: '2' });
      await queue.markFailed(id('a4'), 'w', 'channel_not_found');
      await queue.markFailed(id('a2'), 'w', 'not_in_channel');
      await queue.markFailed(id('other'), 'w', 'is_archived');
      await queue.retryAt(id('a3'), 'w', new Date(Date.now() + 60_000), 'HTTP 429');
      // a5 is still being sent.
      expect(await tx((r) => r.outbox.batchProgress('release:1', 5))).toEqual({
        total: 6,
        sent: 2,
        failed: 2,
        failures: [
          { platform: 'slack', target: { kind: 'channel', channelId: 'C-a2' }, error: 'not_in_channel' },
          { platform: 'slack', target: { kind: 'channel', channelId: 'C-a4' }, error: 'channel_not_found' },
        ],
      });
      expect((await tx((r) => r.outbox.batchProgress('release:1', 1))).failures).toHaveLength(1);
      expect(await tx((r) => r.outbox.batchProgress('release:1', 0))).toMatchObject({ failed: 2, failures: [] });
      expect(await tx((r) => r.outbox.batchProgress('release:3', 5))).toEqual({
        total: 0,
        sent: 0,
        failed: 0,
        failures: [],
      });
    });

    it('counts what the transaction itself queued, as pending', async () => {
      const progress = await tx(async (r) => {
        await r.outbox.enqueueMany([post('x1', { batch: 'release:5' }), post('x2', { batch: 'release:5' })]);
        return r.outbox.batchProgress('release:5', 5);
      });
      expect(progress).toEqual({ total: 2, sent: 0, failed: 0, failures: [] });
    });
  });
});

describe.each(databaseKinds())('change management through the services (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;
  let services: ReturnType<typeof buildServices>;
  let keys = 0;
  const clock = new ManualClock();
  const olga: PersonRef = { platform: 'slack', externalId: 'U0OLGA', displayName: 'Olga Owner' };
  const carl: PersonRef = { platform: 'teams', externalId: 'aad-carl', displayName: 'Carl Coe' };
  const cleo: PersonRef = { platform: 'slack', externalId: 'U0CLEO', displayName: 'Cleo Coe' };
  const mona: PersonRef = { platform: 'slack', externalId: 'U0MONA', displayName: 'Mona Manager' };
  const request = (actor: PersonRef, key = `k-${++keys}`) => ({ actor, key });
  const form = {
    kind: 'workflow',
    sop: 'inventory-scanning',
    title: 'Charge scanners at every break',
    change: 'Scanners go on the charger at every break.',
    why: 'They die after 30 minutes.',
    friction: 'FR-1',
    risk: 'low',
    improvement: 'clarify',
  };

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
    services = buildServices(store, clock);
    await services.admin.bootstrapCoeMembers([olga, carl, cleo]);
    await store.transaction(async (r) => {
      await r.people.setLayer((await r.people.identify(mona)).id, 'manager');
      await r.reviewChannels.set('slack', 'C0REVIEW');
      await r.sops.create({
        key: 'inventory-scanning',
        title: 'Inventory scanning',
        ownerPersonId: null,
        baseline: true,
      });
      await r.teams.add('Warehouse');
      await r.teams.addChannel(1, 'slack', 'C0WARE');
      await r.teams.addChannel(1, 'teams', '19:ware@thread.tacv2');
    });
    const report = await services.friction.submit(request(mona), {
      kind: 'tool_friction',
      title: 'Scanner dies after 30 minutes',
      description: 'It switches off.',
      tool: 'Inventory scanner',
      frequency: 'daily',
      impact: 'high',
    });
    expect(report).toMatchObject({ ok: true, number: 1 });
  });

  it('raises, approves and publishes CR-1 as SOP-inventory-scanning v1.1 on the real database', async () => {
    expect(await services.changes.submit(request(mona), form)).toMatchObject({ ok: true, number: 1 });
    expect((await services.changes.decide(request(carl), 'approve', 'CR-1')).text).toBe('CR-1 is approved.');
    expect((await db.prisma.frictionReport.findUniqueOrThrow({ where: { number: 1 } })).status).toBe('in_change');
    const published = await services.releases.publish(request(olga, 'release-1'), { changes: ['CR-1'] });
    expect(published).toMatchObject({ ok: true });
    expect(await db.prisma.sopRelease.findMany()).toEqual([
      expect.objectContaining({ id: 1, sopKey: 'inventory-scanning', major: 1, minor: 1, changes: [1], teamIds: [1] }),
    ]);
    expect(await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: 1 } })).toMatchObject({
      status: 'released',
      releaseId: 1,
    });
    expect((await db.prisma.frictionReport.findUniqueOrThrow({ where: { number: 1 } })).status).toBe('resolved');
    const announcements = await db.prisma.outboxMessage.findMany({
      where: { batch: 'release:1' },
      orderBy: { id: 'asc' },
    });
    expect(announcements.map((a) => [a.idempotencyKey, a.platform, a.target])).toEqual([
      ['release:1:ann:slack:C0WARE', 'slack', { kind: 'channel', channelId: 'C0WARE' }],
      ['release:1:ann:teams:19:ware@thread.tacv2', 'teams', { kind: 'channel', channelId: '19:ware@thread.tacv2' }],
    ]);

    // Delivered: the progress is updated and the summary posted once.
    const queue = new PrismaOutboxQueue(db.prisma);
    for (const row of await queue.claim('w', 100, 60_000)) {
      if (row.key.endsWith(':C0WARE')) await queue.markFailed(row.id, 'w', 'channel_not_found');
      else await queue.markSent(row.id, 'w', { ts: row.key });
    }
    await services.releases.refresh(1);
    await services.releases.resume();
    const summaries = await db.prisma.outboxMessage.findMany({ where: { idempotencyKey: { endsWith: ':summary' } } });
    expect(summaries.map((s) => [s.idempotencyKey, (s.body as { text: string }).text])).toEqual([
      ['release:1:review:slack:reply:summary', 'SOP-inventory-scanning v1.1: announced in 1 of 2 channels; 1 failed.'],
    ]);
    expect(JSON.stringify(summaries[0]?.body)).toContain('Warehouse: slack channel C0WARE');
    expect((await db.prisma.sopRelease.findUniqueOrThrow({ where: { id: 1 } })).delivered).toBe(true);
  });

  it('publishes once when the same release form arrives twice at the same time', async () => {
    await services.changes.submit(request(mona), form);
    await services.changes.decide(request(carl), 'approve', 'CR-1');
    const results = await Promise.all([
      services.releases.publish(request(olga, 'release-twice'), { changes: ['CR-1'] }),
      services.releases.publish(request(olga, 'release-twice'), { changes: ['CR-1'] }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(results[1]).toEqual(results[0]);
    expect(await db.prisma.sopRelease.count()).toBe(1);
    // The loser may have drawn the first id before it lost the race: the release is whichever won.
    const release = await db.prisma.sopRelease.findFirstOrThrow();
    expect(await db.prisma.outboxMessage.count({ where: { batch: `release:${release.id}` } })).toBe(2);
  });

  it('lets only one of two releases at the same time ship the same change request', async () => {
    await services.changes.submit(request(mona), form);
    await services.changes.decide(request(carl), 'approve', 'CR-1');
    const results = await Promise.allSettled([
      services.releases.publish(request(olga), { changes: ['CR-1'] }),
      services.releases.publish(request(cleo), { changes: ['CR-1'] }),
    ]);
    const shipped = results.filter((r) => r.status === 'fulfilled' && r.value.ok);
    expect(shipped).toHaveLength(1);
    const other = results.find((r) => !(r.status === 'fulfilled' && r.value.ok));
    // The other one is told, in words, that there is nothing left to ship.
    const said =
      other?.status === 'rejected'
        ? (other.reason as { userMessage?: string }).userMessage
        : other?.status === 'fulfilled' && !other.value.ok
          ? other.value.errors.changes
          : undefined;
    expect(said).toMatch(/CR-1 is (no longer approved|not an approved change request)/);
    expect(await db.prisma.sopRelease.count()).toBe(1);
  });

  it('counts two CoE approvals at the same time towards a quorum of two, once each', async () => {
    services = buildServices(store, clock, { quorum: 2 });
    await services.changes.submit(request(mona), form);
    const answers = await Promise.all([
      services.changes.decide(request(carl), 'approve', 'CR-1'),
      services.changes.decide(request(cleo), 'approve', 'CR-1'),
    ]);
    expect(answers.map((a) => a.text).sort()).toEqual([
      'CR-1 is approved.',
      'Your approval of CR-1 is recorded (1/2).',
    ]);
    expect(await db.prisma.changeApproval.count()).toBe(2);
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: 1 } })).status).toBe('approved');
  });

  it('keeps one resubmission of the same revision sent twice at the same time', async () => {
    await services.changes.submit(request(mona), form);
    await services.changes.decide(request(carl), 'requestChanges', 'CR-1', 'Say which chargers.');
    const results = await Promise.all([
      services.changes.submit(request(mona, 'revise-1'), { ...form, change: 'On the wall chargers.' }, 'CR-1'),
      services.changes.submit(request(mona, 'revise-1'), { ...form, change: 'On the wall chargers.' }, 'CR-1'),
    ]);
    expect(results.map((r) => r.ok && r.number)).toEqual([1, 1]);
    expect(await db.prisma.event.count({ where: { action: 'change.revised' } })).toBe(1);
    expect(await db.prisma.changeRequest.findUniqueOrThrow({ where: { number: 1 } })).toMatchObject({
      status: 'submitted',
      change: 'On the wall chargers.',
    });
  });
});
