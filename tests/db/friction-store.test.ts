/**
 * The friction repositories on PGlite and real Postgres: numbering, locking, lists, supporters and the pattern lock.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IS_OPEN } from '../../src/db/friction-repositories.ts';
import { PrismaStore } from '../../src/db/store.ts';
import { FRICTION_STATUSES, OPEN_STATUSES } from '../../src/domain/friction.ts';
import { FrictionService } from '../../src/services/friction.ts';
import { type DatabaseKind, databaseKinds, type TestDatabase, testDatabase } from '../support/databases.ts';
import { reportRow as report } from '../support/friction-rows.ts';

describe.each(databaseKinds())('friction repositories (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let store: PrismaStore;

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  beforeEach(async () => {
    await db.reset();
    store = new PrismaStore(db.prisma);
  });

  it('numbers reports from 1, finds them by submission, and bumps the version on every update', async () => {
    const first = await store.transaction((r) => r.friction.create(report({ submissionKey: 'view-1' })));
    const second = await store.transaction((r) => r.friction.create(report()));
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(first).toMatchObject({ status: 'new', plusOnes: 0, version: 1, reporterPersonId: null });
    expect((await store.transaction((r) => r.friction.bySubmissionKey('view-1')))?.number).toBe(1);
    const triaged = await store.transaction((r) => r.friction.update(1, { status: 'triaged' }));
    expect(triaged).toMatchObject({ status: 'triaged', version: 2 });
  });

  it('refuses a second report with the same submission key', async () => {
    await store.transaction((r) => r.friction.create(report({ submissionKey: 'same' })));
    await expect(store.transaction((r) => r.friction.create(report({ submissionKey: 'same' })))).rejects.toThrow();
    expect(await db.prisma.frictionReport.count()).toBe(1);
  });

  it('lists open reports oldest first, by tool since a date, and by reporter newest first', async () => {
    const person = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'U1' }));
    await store.transaction(async (r) => {
      await r.friction.create(report({ reporterPersonId: person.id }));
      await r.friction.create(report({ toolKey: 'label printer', tool: 'Label printer' }));
      await r.friction.create(report({ reporterPersonId: person.id }));
      await r.friction.update(2, { status: 'declined' });
    });
    const open = await store.transaction((r) => r.friction.open({ except: 1 }));
    expect(open.map((r) => r.number)).toEqual([3]);
    const scanner = await store.transaction((r) =>
      r.friction.aboutTool('inventory scanner', new Date(Date.now() - 60_000)),
    );
    expect(scanner.map((r) => r.number)).toEqual([1, 3]);
    expect(
      await store.transaction((r) => r.friction.aboutTool('inventory scanner', new Date(Date.now() + 60_000))),
    ).toEqual([]);
    const mine = await store.transaction((r) => r.friction.byReporter(person.id, 10));
    expect(mine.map((r) => r.number)).toEqual([3, 1]);
  });

  it('records each supporter once', async () => {
    const person = await store.transaction((r) => r.people.identify({ platform: 'teams', externalId: 'aad-1' }));
    await store.transaction((r) => r.friction.create(report()));
    expect(await store.transaction((r) => r.friction.addSupporter(1, person.id))).toBe(true);
    expect(await store.transaction((r) => r.friction.addSupporter(1, person.id))).toBe(false);
    expect(await store.transaction((r) => r.friction.supporters(1))).toEqual([person.id]);
  });

  it('serialises two decisions on one report (row lock)', async () => {
    await store.transaction((r) => r.friction.create(report()));
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = store.transaction(async (r) => {
      await r.friction.getForUpdate(1);
      order.push('first locked');
      await held;
      await r.friction.update(1, { status: 'triaged' });
      order.push('first done');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = store.transaction(async (r) => {
      const seen = await r.friction.getForUpdate(1);
      order.push(`second saw ${seen?.status}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second saw triaged']);
  });

  it('the open reports\' index holds exactly the open statuses, and the "looks similar" read can use it', async () => {
    const [index] = await db.prisma.$queryRaw<{ indexdef: string }[]>`
      SELECT indexdef FROM pg_indexes WHERE indexname = 'friction_report_open_number_idx'`;
    const listed = FRICTION_STATUSES.filter((status) => index?.indexdef.includes(`'${status}'`));
    expect(listed).toEqual([...OPEN_STATUSES]);
    // With the alternatives priced out, a plan over the index exists only if the query states the index's condition.
    const plan = await db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      await tx.$executeRaw`SET LOCAL enable_bitmapscan = off`;
      return tx.$queryRaw<{ 'QUERY PLAN': string }[]>`
        EXPLAIN SELECT number FROM friction_report WHERE ${IS_OPEN} ORDER BY number LIMIT 5`;
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('friction_report_open_number_idx');
  });

  it('two replicas storing the same submissions at the same moment: one report each, both told its number', async () => {
    const clock = { now: () => new Date() };
    const replica = () =>
      new FrictionService(
        new PrismaStore(db.prisma),
        clock,
        { recurrenceThreshold: 3, recurrenceWindowDays: 14 },
        () => 'claim-token-123456',
      );
    const [a, b] = [replica(), replica()];
    const form = (i: number) => ({
      kind: 'tool_friction',
      title: `Label printer ${i} jams`,
      description: 'It jams on every tenth label.',
      tool: `Printer ${i}`,
      frequency: 'daily',
      impact: 'high',
    });
    const send = (service: FrictionService, i: number) =>
      service.submit({ actor: { platform: 'slack', externalId: `U${i}` }, key: `slack:view:V${i}:h1` }, form(i));
    // Each submission sent to both replicas at once (Slack's retry reaching another replica), ten of them together.
    const answers = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [send(a, i), send(b, i)]));
    const numbers = answers.map((answer) => (answer.ok ? answer.number : Number.NaN));
    for (let i = 0; i < 10; i++) expect(numbers[2 * i]).toBe(numbers[2 * i + 1]);
    expect(new Set(numbers).size).toBe(10);
    const stored = await db.prisma.frictionReport.findMany({ select: { number: true, submissionKey: true } });
    expect(stored.map((r) => r.number).sort((x, y) => x - y)).toEqual([...new Set(numbers)].sort((x, y) => x - y));
    expect(await db.prisma.event.count({ where: { action: 'friction.submitted' } })).toBe(10);
  });

  it('identifies many people at once: one person per identity, new ones created, names kept current', async () => {
    const known = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'U1' }));
    const people = await store.transaction((r) =>
      r.people.identifyMany([
        { platform: 'slack', externalId: 'U1', displayName: 'Ada' },
        { platform: 'teams', externalId: 'U1' },
        { platform: 'slack', externalId: 'U2' },
        { platform: 'slack', externalId: 'U1' },
      ]),
    );
    expect(people[0]).toEqual({ id: known.id, layer: 'worker', displayName: 'Ada', lastTeam: null });
    expect(people[3]).toEqual(people[0]);
    expect(new Set(people.map((p) => p.id)).size).toBe(3);
    expect((await store.transaction((r) => r.people.get(known.id)))?.displayName).toBe('Ada');
    expect(await store.transaction((r) => r.people.identifyMany([]))).toEqual([]);

    // Newcomers are made together (one statement): each with their identity and name, found again afterwards, and
    // someone made later still gets a new id.
    const refs = [
      { platform: 'slack', externalId: 'N1', displayName: 'Nia' },
      { platform: 'teams', externalId: 'N2', handle: 'noor' },
      { platform: 'slack', externalId: 'N3' },
    ] as const;
    const newcomers = await store.transaction((r) => r.people.identifyMany(refs));
    expect(newcomers.map((p) => [p.layer, p.displayName, p.lastTeam])).toEqual([
      ['worker', 'Nia', null],
      ['worker', 'noor', null],
      ['worker', null, null],
    ]);
    for (const [i, ref] of refs.entries()) {
      expect((await store.transaction((r) => r.people.find(ref)))?.id).toBe(newcomers[i]?.id);
    }
    const later = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'N4' }));
    expect(later.id).toBeGreaterThan(Math.max(...newcomers.map((p) => p.id)));
  });

  it('keeps names: a display name wins, a handle only names someone nameless; rename never creates', async () => {
    const ref = { platform: 'slack' as const, externalId: 'U1' };
    const first = await store.transaction((r) => r.people.identify({ ...ref, handle: 'casey.m' }));
    expect(first.displayName).toBe('casey.m');
    expect(await store.transaction((r) => r.people.rename(ref, 'Casey Morgan'))).toBe(true);
    expect((await store.transaction((r) => r.people.identify({ ...ref, handle: 'casey.m' }))).displayName).toBe(
      'Casey Morgan',
    );
    const [many] = await store.transaction((r) => r.people.identifyMany([{ ...ref, handle: 'casey.m' }]));
    expect(many?.displayName).toBe('Casey Morgan');
    expect(await store.transaction((r) => r.people.rename({ platform: 'teams', externalId: 'nobody' }, 'X'))).toBe(
      false,
    );
    expect(await store.transaction((r) => r.people.find({ platform: 'teams', externalId: 'nobody' }))).toBeUndefined();
  });

  it('keeps team names unique whatever their case', async () => {
    expect(await store.transaction((r) => r.teams.add('Warehouse'))).toBe(true);
    expect(await store.transaction((r) => r.teams.add('warehouse'))).toBe(false);
    expect(await store.transaction((r) => r.teams.names())).toEqual(['Warehouse']);
  });

  it('remembers the team of a person who reported openly', async () => {
    const person = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'U9' }));
    const other = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'U8' }));
    const bystander = await store.transaction((r) => r.people.identify({ platform: 'slack', externalId: 'U7' }));
    // Written with the group of reports that chose them (friction intake's one write).
    const write = (teams: { personId: number; team: string }[]) =>
      store.transaction((r) =>
        r.intake.store({
          reports: [],
          event: { action: 'friction.submitted', to: 'new' },
          posts: [],
          teams,
          patterns: [],
        }),
      );
    await write([
      { personId: person.id, team: 'Warehouse' },
      { personId: other.id, team: 'Night Shift' },
    ]);
    await write([]);
    const teamOf = async (id: number) => (await store.transaction((r) => r.people.get(id)))?.lastTeam;
    expect([await teamOf(person.id), await teamOf(other.id), await teamOf(bystander.id)]).toEqual([
      'Warehouse',
      'Night Shift',
      null,
    ]);
    expect(await store.transaction((r) => r.people.find({ platform: 'slack', externalId: 'U9' }))).toMatchObject({
      lastTeam: 'Warehouse',
    });
    expect(await store.transaction((r) => r.people.find({ platform: 'slack', externalId: 'nobody' }))).toBeUndefined();
  });
});
