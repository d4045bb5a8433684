/**
 * Friction intake's repository on PGlite and real Postgres: a group of submissions read in one statement and written
 * in one, and what a whole group costs in statements through the service.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../src/db/store.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { FrictionService } from '../../src/services/friction.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { reportRow as report } from '../support/friction-rows.ts';

const hourAgo = () => new Date(Date.now() - 3600_000);
const submitted = { action: 'friction.submitted', to: 'new' };
const post = (key: string) => ({
  key,
  platform: 'slack' as const,
  target: { kind: 'channel' as const, channelId: 'C0REVIEW' },
  body: { text: key, blocks: [] },
});
const emptyWrite = { reports: [], event: submitted, posts: [], teams: [], patterns: [] };

describe.each(databaseKinds())('friction intake repository (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
  });

  it('surveys a group in one read: numbers for new keys, earlier reports, open reports near it, recent ones per tool', async () => {
    await store.transaction((r) =>
      r.friction.createMany([
        report({ submissionKey: 'a', title: 'Scanner dies' }),
        report({ tool: 'Printer', toolKey: 'printer', titleWords: ['label', 'jams'] }),
        report({ tool: 'Wiki', toolKey: 'wiki', titleWords: ['wiki', 'search'] }),
        report({ tool: 'Wiki', toolKey: 'wiki', titleWords: ['wiki', 'search'] }),
      ]),
    );
    await db.prisma.recurringPattern.create({ data: { toolKey: 'wiki', tool: 'Wiki', reports: [3, 4] } });
    const kim = { platform: 'slack' as const, externalId: 'UKIM' };
    const known = await store.transaction(async (r) => {
      const person = await r.people.identify({ ...kim, displayName: 'Kim Lee' });
      await r.people.setLayer(person.id, 'manager');
      return person;
    });
    await store.transaction((r) => r.intake.store({ ...emptyWrite, teams: [{ personId: known.id, team: 'Packing' }] }));
    const survey = await store.transaction((r) =>
      r.intake.survey({
        keys: ['new-1', 'a', 'new-2'],
        scan: 10,
        near: { toolKeys: ['inventory scanner'], words: ['jams'] },
        patterns: { toolKeys: ['wiki', 'inventory scanner', 'handheld', 'wiki'], since: hourAgo() },
        people: [kim, { platform: 'teams', externalId: 'UKIM' }, { platform: 'slack', externalId: 'UNEW' }],
      }),
    );
    // Drawn from the table's own sequence, in the order of the keys; the stored one gets none.
    expect([...survey.numbers]).toEqual([
      ['new-1', 5],
      ['new-2', 6],
    ]);
    expect([...survey.before].map(([key, r]) => [key, r.number, r.title, r.status])).toEqual([
      ['a', 1, 'Scanner dies', 'new'],
    ]);
    expect(survey.open.map((o) => [o.number, o.toolKey, o.titleWords])).toEqual([
      [1, 'inventory scanner', ['scanner', 'dies', '30', 'minutes']],
      [2, 'printer', ['label', 'jams']],
    ]);
    // The wiki was alerted within the window: passed over. A tool nobody reported yet is asked about with none.
    expect([...survey.recent].sort()).toEqual([
      ['handheld', []],
      ['inventory scanner', [1]],
    ]);
    // The reporters the bot knows come with it, as stored; a person met for the first time does not.
    expect(survey.known).toEqual([
      { ...kim, id: known.id, layer: 'manager', displayName: 'Kim Lee', lastTeam: 'Packing' },
    ]);
    // A window that starts after the alert (and after every report) holds every tool back with none.
    const later = await store.transaction((r) =>
      r.intake.survey({
        keys: [],
        scan: 10,
        near: { toolKeys: [], words: [] },
        patterns: { toolKeys: ['wiki'], since: new Date(Date.now() + 60_000) },
        people: [],
      }),
    );
    expect([...later.recent]).toEqual([['wiki', []]]);
    expect([...later.numbers, ...later.before, ...later.open, ...later.known]).toEqual([]);
  });

  it('"looks similar" asks only for the oldest open reports that share a tool or a title word', async () => {
    await store.transaction((r) =>
      r.friction.createMany([
        report({ title: 'Scanner freezes', tool: 'Scanner', toolKey: 'scanner', titleWords: ['scanner', 'freezes'] }),
        report({ title: 'Label jams', tool: 'Printer', toolKey: 'printer', titleWords: ['label', 'jams'] }),
        // Stored before the words were kept: always sent, the service decides.
        report({ title: 'Old one', tool: 'Wiki', toolKey: 'wiki', titleWords: [] }),
        report({ title: 'Wiki search', tool: 'Wiki', toolKey: 'wiki', titleWords: ['wiki', 'search'] }),
        report({ title: 'Freezes again', tool: 'Handheld', toolKey: 'handheld', titleWords: ['freezes', 'again'] }),
      ]),
    );
    await store.transaction((r) => r.friction.update(1, { status: 'declined' }));
    const numbers = async (scan: number, near: { toolKeys: string[]; words: string[] }) =>
      (
        await store.transaction((r) =>
          r.intake.survey({ keys: [], scan, near, patterns: { toolKeys: [], since: hourAgo() }, people: [] }),
        )
      ).open.map((o) => o.number);
    // Report 1 is no longer open; 2 shares nothing; 3 has no words kept; 4 shares the tool; 5 shares "freezes".
    expect(await numbers(10, { toolKeys: ['wiki'], words: ['freezes'] })).toEqual([3, 4, 5]);
    expect(await numbers(10, { toolKeys: ['printer'], words: [] })).toEqual([2, 3]);
    expect(await numbers(10, { toolKeys: [], words: ['nothing'] })).toEqual([3]);
    // The window is the oldest open reports (2, 3, 4), filtered after.
    expect(await numbers(3, { toolKeys: [], words: ['freezes', 'search'] })).toEqual([3, 4]);
  });

  it('stores a group in one write: the reports as numbered, their events, posts, usual teams and alerts', async () => {
    const casey = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'UCASEY' }));
    const { numbers } = await store.transaction((r) =>
      r.intake.survey({
        keys: ['k1', 'k2'],
        scan: 10,
        near: { toolKeys: [], words: [] },
        patterns: { toolKeys: [], since: hourAgo() },
        people: [],
      }),
    );
    const [n1, n2] = [numbers.get('k1') as number, numbers.get('k2') as number];
    const write = {
      reports: [
        { ...report({ submissionKey: 'k1', title: 'one', reporterPersonId: casey.id }), number: n1 },
        { ...report({ submissionKey: 'k2', title: 'two' }), number: n2 },
      ],
      event: submitted,
      posts: [post('review:k1'), post('review:k2')],
      teams: [{ personId: casey.id, team: 'Packing' }],
      patterns: [{ toolKey: 'inventory scanner', tool: 'Inventory scanner', reports: [n1, n2] }],
    };
    const stored = await store.transaction((r) => r.intake.store(write));
    expect([...stored.keys()]).toEqual(['k1', 'k2']);
    const one = await store.transaction((r) => r.friction.get(n1));
    expect(one).toMatchObject({ title: 'one', status: 'new', reporterPersonId: casey.id, version: 1 });
    expect(one?.createdAt).toEqual(stored.get('k1'));
    const events = await db.prisma.event.findMany({ where: { action: 'friction.submitted' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.subject, e.actorPersonId, e.fromState, e.toState])).toEqual([
      [`FR-${n1}`, casey.id, null, 'new'],
      [`FR-${n2}`, null, null, 'new'],
    ]);
    const queued = await db.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(queued.map((m) => [m.idempotencyKey, m.kind, m.status])).toEqual([
      ['review:k1', 'channel', 'pending'],
      ['review:k2', 'channel', 'pending'],
    ]);
    expect((await store.transaction((r) => r.people.get(casey.id)))?.lastTeam).toBe('Packing');
    const alerts = await db.prisma.recurringPattern.findMany();
    expect(alerts.map((a) => [a.toolKey, a.tool, a.reports])).toEqual([
      ['inventory scanner', 'Inventory scanner', [n1, n2]],
    ]);
    // A post queued before is left alone; a group with nothing to write writes nothing.
    await store.transaction((r) => r.intake.store({ ...write, reports: [], teams: [], patterns: [] }));
    expect(await db.prisma.outboxMessage.count()).toBe(2);
    expect(await store.transaction((r) => r.intake.store(emptyWrite))).toEqual(new Map());
  });

  it('a key another process stored since the survey: the write throws and its transaction leaves nothing', async () => {
    await store.transaction((r) => r.friction.createMany([report({ submissionKey: 'taken' })]));
    const write = {
      reports: [
        { ...report({ submissionKey: 'fresh' }), number: 50 },
        { ...report({ submissionKey: 'taken' }), number: 51 },
      ],
      event: submitted,
      posts: [post('review:fresh')],
      teams: [],
      patterns: [{ toolKey: 'inventory scanner', tool: 'Inventory scanner', reports: [1, 50] }],
    };
    await expect(store.transaction((r) => r.intake.store(write))).rejects.toThrow(/taken was stored meanwhile/);
    expect(await db.prisma.frictionReport.count()).toBe(1);
    expect(await db.prisma.event.count()).toBe(0);
    expect(await db.prisma.outboxMessage.count()).toBe(0);
    expect(await db.prisma.recurringPattern.count()).toBe(0);
  });

  it('a group of submissions costs the same few statements whatever its size', async () => {
    let statements = 0;
    const counted = db.prisma.$extends({
      query: {
        async $allOperations({ args, query }) {
          statements++;
          return query(args);
        },
      },
    }) as unknown as PrismaClient;
    const service = new FrictionService(
      new PrismaStore(counted, { oneSession: kind === 'pglite' }),
      { now: () => new Date() },
      { recurrenceThreshold: 3, recurrenceWindowDays: 14 },
      () => 'claim-token-123456',
    );
    const form = (i: number) => ({
      kind: 'tool_friction',
      title: `Label printer ${i} jams`,
      description: 'It jams on every tenth label.',
      tool: `Printer ${i % 4}`,
      frequency: 'daily',
      impact: 'high',
    });
    const group = async (size: number, round: number) => {
      statements = 0;
      const answers = await Promise.all(
        Array.from({ length: size }, (_, i) =>
          service.submit(
            { actor: { platform: 'slack', externalId: `U${i}` }, key: `slack:view:V${round}-${i}:h1` },
            form(i),
          ),
        ),
      );
      expect(answers.every((a) => a.ok)).toBe(true);
      return statements;
    };
    // The first group also reads the organisation's teams and review channels (kept a few seconds) and makes the
    // people it has never seen.
    expect(await group(30, 1)).toBeGreaterThan(3);
    // Known people: the survey, which says who they are too (after the tools' locks where processes share the
    // database), and the write.
    const perGroup = kind === 'pglite' ? 2 : 3;
    expect(await group(30, 2)).toBe(perGroup);
    expect(await group(1, 3)).toBe(perGroup);
    // The alerts raised (three reports about each printer within the window) go in the same write.
    expect(await db.prisma.recurringPattern.count()).toBe(4);
    expect(await db.prisma.frictionReport.count()).toBe(61);
  });
});
