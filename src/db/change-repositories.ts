/**
 * The Prisma repositories of change management: teams and their channels, change requests, standards and their
 * releases, executive constraints and the AI usage rules registry. Each works inside the caller's transaction.
 */
import type { AiRuleInput } from '../domain/ai-rules.ts';
import type { Risk } from '../domain/change.ts';
import type { Platform } from '../domain/people.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type {
  AiRuleRepository,
  ChangeRepository,
  ChangeRequest,
  ConstraintRepository,
  SopRelease,
  SopRepository,
  TeamRepository,
} from '../ports.ts';
import type { RecentValue } from './recent-value.ts';

type Tx = Prisma.TransactionClient;

/**
 * `cache`: the team names every friction form offers, kept for a few seconds: `/friction` must open its form without a
 * database round trip under load (the form's choice is checked again on submit either way). `alone` as in
 * `RecentValue.read`.
 */
export function teamRepository(tx: Tx, cache?: { kept: RecentValue<string[]>; alone: boolean }): TeamRepository {
  return {
    async names() {
      const read = async () =>
        (await tx.team.findMany({ where: { archivedAt: null }, select: { name: true }, orderBy: { name: 'asc' } })).map(
          (t) => t.name,
        );
      return [...(cache ? await cache.kept.read(read, { alone: cache.alone }) : await read())];
    },
    async add(name: string) {
      const same = await tx.team.findFirst({ where: { name: { equals: name, mode: 'insensitive' } } });
      if (same) return false;
      await tx.team.create({ data: { name } });
      cache?.kept.forget();
      return true;
    },
    async byName(name) {
      const team = await tx.team.findFirst({ where: { name: { equals: name.trim(), mode: 'insensitive' } } });
      return team ? { id: team.id, name: team.name, archivedAt: team.archivedAt } : undefined;
    },
    async byId(teamId) {
      const team = await tx.team.findUnique({ where: { id: teamId } });
      return team ? { id: team.id, name: team.name, archivedAt: team.archivedAt } : undefined;
    },
    async rename(teamId, name) {
      const same = await tx.team.findFirst({
        where: { name: { equals: name, mode: 'insensitive' }, id: { not: teamId } },
      });
      if (same) return false;
      await tx.team.update({ where: { id: teamId }, data: { name } });
      cache?.kept.forget();
      return true;
    },
    async archive(teamId, at) {
      const { count } = await tx.team.updateMany({ where: { id: teamId, archivedAt: null }, data: { archivedAt: at } });
      cache?.kept.forget();
      return count > 0;
    },
    async list() {
      const teams = await tx.team.findMany({
        where: { archivedAt: null },
        orderBy: { name: 'asc' },
        include: { _count: { select: { channels: true, members: true } }, members: { where: { isManager: true } } },
      });
      return teams.map((t) => ({
        id: t.id,
        name: t.name,
        channels: t._count.channels,
        members: t._count.members,
        managers: t.members.map((m) => m.personId),
      }));
    },
    async addChannel(teamId, platform: Platform, channelId) {
      const existing = await tx.teamChannel.findUnique({ where: { platform_channelId: { platform, channelId } } });
      if (existing?.teamId === teamId) return 'same';
      await tx.teamChannel.upsert({
        where: { platform_channelId: { platform, channelId } },
        create: { platform, channelId, teamId },
        update: { teamId },
      });
      return existing ? 'moved' : 'added';
    },
    async channels(teamIds) {
      const rows = await tx.teamChannel.findMany({
        where: { ...(teamIds ? { teamId: { in: [...teamIds] } } : {}), team: { archivedAt: null } },
        orderBy: [{ teamId: 'asc' }, { platform: 'asc' }, { channelId: 'asc' }],
      });
      return rows.map((r) => ({ teamId: r.teamId, platform: r.platform, channelId: r.channelId }));
    },
    async setMember(teamId, personId, isManager) {
      await tx.teamMember.upsert({
        where: { teamId_personId: { teamId, personId } },
        create: { teamId, personId, isManager },
        update: { isManager },
      });
    },
    async removeMember(teamId, personId) {
      const { count } = await tx.teamMember.deleteMany({ where: { teamId, personId } });
      return count > 0;
    },
    async manages(personId, teamId) {
      const member = await tx.teamMember.findUnique({ where: { teamId_personId: { teamId, personId } } });
      return member?.isManager === true;
    },
    async members(teamId) {
      const rows = await tx.teamMember.findMany({ where: { teamId }, orderBy: { personId: 'asc' } });
      return rows.map((r) => ({ personId: r.personId, isManager: r.isManager }));
    },
    async teamsOf(personId) {
      const rows = await tx.teamMember.findMany({
        where: { personId, team: { archivedAt: null } },
        orderBy: { teamId: 'asc' },
        select: { teamId: true },
      });
      return rows.map((r) => r.teamId);
    },
  };
}

type ChangeRow = Awaited<ReturnType<Tx['changeRequest']['findUniqueOrThrow']>>;

function toChange(row: ChangeRow): ChangeRequest {
  const { submissionKey: _key, updatedAt: _updated, risk, aiRule, ...rest } = row;
  return { ...rest, risk: risk as Risk, aiRule: (aiRule as AiRuleInput | null) ?? null };
}

const json = (value: AiRuleInput | null | undefined) =>
  value === undefined ? undefined : value === null ? (null as unknown as Prisma.InputJsonValue) : value;

export function changeRepository(tx: Tx): ChangeRepository {
  const many = async (where: Prisma.ChangeRequestWhereInput, order: 'asc' | 'desc' = 'asc', take?: number) =>
    (await tx.changeRequest.findMany({ where, orderBy: { number: order }, ...(take ? { take } : {}) })).map(toChange);
  return {
    async create(change) {
      const { aiRule, ...rest } = change;
      return toChange(await tx.changeRequest.create({ data: { ...rest, aiRule: json(aiRule) } }));
    },
    async get(number) {
      const row = await tx.changeRequest.findUnique({ where: { number } });
      return row ? toChange(row) : undefined;
    },
    async getForUpdate(number) {
      await tx.$executeRaw`SELECT 1 FROM change_request WHERE number = ${number} FOR UPDATE`;
      const row = await tx.changeRequest.findUnique({ where: { number } });
      return row ? toChange(row) : undefined;
    },
    async bySubmissionKey(key) {
      const row = await tx.changeRequest.findUnique({ where: { submissionKey: key } });
      return row ? toChange(row) : undefined;
    },
    async update(number, changes) {
      const { aiRule, ...rest } = changes;
      const data = { ...rest, ...(aiRule !== undefined ? { aiRule: json(aiRule) } : {}), version: { increment: 1 } };
      return toChange(await tx.changeRequest.update({ where: { number }, data }));
    },
    async approve(number, personId) {
      const inserted = await tx.$executeRaw`
        INSERT INTO change_approval (change_number, person_id) VALUES (${number}, ${personId})
        ON CONFLICT DO NOTHING`;
      return inserted > 0;
    },
    async approvals(number) {
      const rows = await tx.changeApproval.findMany({ where: { changeNumber: number }, orderBy: { at: 'asc' } });
      return rows.map((r) => r.personId);
    },
    async clearApprovals(number) {
      await tx.changeApproval.deleteMany({ where: { changeNumber: number } });
    },
    approved: () => many({ status: 'approved' }),
    bySop: (sopKey) => many({ sopKey }),
    byRequester: (personId, limit) => many({ requesterPersonId: personId }, 'desc', limit),
    linking: (frictionNumber) => many({ friction: { has: frictionNumber } }),
  };
}

type ReleaseRow = Awaited<ReturnType<Tx['sopRelease']['findUniqueOrThrow']>>;

function toRelease(row: ReleaseRow): SopRelease {
  const { submissionKey: _key, ...rest } = row;
  return rest;
}

export function sopRepository(tx: Tx): SopRepository {
  return {
    async get(key) {
      return (await tx.sop.findUnique({ where: { key } })) ?? undefined;
    },
    async lock(key) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sop:${key}`}))`;
    },
    async create(sop) {
      return tx.sop.create({ data: sop });
    },
    async list() {
      return tx.sop.findMany({ orderBy: { key: 'asc' } });
    },
    async retire(key, at) {
      const { count } = await tx.sop.updateMany({ where: { key, retiredAt: null }, data: { retiredAt: at } });
      return count === 1;
    },
    async releases(key) {
      const rows = await tx.sopRelease.findMany({
        where: { sopKey: key },
        orderBy: [{ major: 'desc' }, { minor: 'desc' }],
      });
      return rows.map(toRelease);
    },
    async createRelease(release) {
      return toRelease(await tx.sopRelease.create({ data: release }));
    },
    async release(id) {
      const row = await tx.sopRelease.findUnique({ where: { id } });
      return row ? toRelease(row) : undefined;
    },
    async releaseBySubmissionKey(key) {
      const row = await tx.sopRelease.findUnique({ where: { submissionKey: key } });
      return row ? toRelease(row) : undefined;
    },
    async undelivered() {
      return (await tx.sopRelease.findMany({ where: { delivered: false }, orderBy: { id: 'asc' } })).map(toRelease);
    },
    async markDelivered(id) {
      const { count } = await tx.sopRelease.updateMany({ where: { id, delivered: false }, data: { delivered: true } });
      return count === 1;
    },
    async acknowledge(releaseId, teamId, personId) {
      const inserted = await tx.$executeRaw`
        INSERT INTO release_ack (release_id, team_id, person_id) VALUES (${releaseId}, ${teamId}, ${personId})
        ON CONFLICT DO NOTHING`;
      return inserted > 0;
    },
    async acknowledgements(releaseId) {
      return tx.releaseAck.findMany({
        where: { releaseId },
        orderBy: { at: 'asc' },
        select: { teamId: true, personId: true, at: true },
      });
    },
    async deployedVersions(sopKey, below) {
      const [major, minor] = below ? [below.major, below.minor] : [null, null];
      const rows = await tx.$queryRaw<{ teamId: number; major: number; minor: number }[]>`
        SELECT DISTINCT ON (a.team_id) a.team_id AS "teamId", r.major, r.minor
        FROM release_ack a JOIN sop_release r ON r.id = a.release_id
        WHERE r.sop_key = ${sopKey} AND (${major}::int IS NULL OR (r.major, r.minor) < (${major}::int, ${minor}::int))
        ORDER BY a.team_id, r.major DESC, r.minor DESC`;
      return new Map(rows.map((r) => [r.teamId, { major: r.major, minor: r.minor }]));
    },
  };
}

export function constraintRepository(tx: Tx): ConstraintRepository {
  const shape = (row: {
    number: number;
    kind: 'priority' | 'constraint' | 'target';
    text: string;
    until: Date | null;
    createdAt: Date;
    endedAt: Date | null;
  }) => ({
    number: row.number,
    kind: row.kind,
    text: row.text,
    until: row.until,
    createdAt: row.createdAt,
    endedAt: row.endedAt,
  });
  return {
    async create(constraint) {
      return shape(await tx.executiveConstraint.create({ data: constraint }));
    },
    async get(number) {
      const row = await tx.executiveConstraint.findUnique({ where: { number } });
      return row ? shape(row) : undefined;
    },
    async list() {
      return (await tx.executiveConstraint.findMany({ orderBy: { number: 'desc' } })).map(shape);
    },
    async end(number, at) {
      // Only one not ended yet: a repeat changes nothing and says so.
      const { count } = await tx.executiveConstraint.updateMany({
        where: { number, endedAt: null },
        data: { endedAt: at },
      });
      return count > 0;
    },
  };
}

export function aiRuleRepository(tx: Tx): AiRuleRepository {
  return {
    async all() {
      return tx.aiRule.findMany({ orderBy: { tool: 'asc' } });
    },
    async put(rule) {
      const { toolKey, ...data } = rule;
      await tx.aiRule.upsert({ where: { toolKey }, create: { toolKey, ...data }, update: data });
    },
  };
}
