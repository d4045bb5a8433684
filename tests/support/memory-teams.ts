/**
 * The in-memory repository of teams (names, channels, members, managers; renamed and archived), for `MemoryStore`
 * (memory.ts): it mirrors `teamRepository` of src/db/change-repositories.ts over the store's tables.
 */
import type { Clock, TeamChannel, TeamRepository } from '../../src/ports.ts';

export interface StoredTeam {
  id: number;
  name: string;
  createdAt: Date;
  archivedAt?: Date | null;
}

export interface StoredMember {
  teamId: number;
  personId: number;
  isManager: boolean;
}

/** The store's tables this repository reads and writes. */
export interface TeamTables {
  teams: StoredTeam[];
  teamChannels: TeamChannel[];
  teamMembers: StoredMember[];
}

export function teamRepository(t: TeamTables, seq: { team: number }, clock: Clock): TeamRepository {
  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const find = (name: string) => t.teams.find((team) => team.name.toLowerCase() === name.trim().toLowerCase());
  // Archived teams are offered nowhere and told nothing new, as in the Prisma twin.
  const active = () => t.teams.filter((team) => !team.archivedAt);
  return {
    async names() {
      // PGlite sorts with the C collation: by code point, capitals first.
      return active()
        .map((team) => team.name)
        .sort(byCodePoint);
    },
    async add(name) {
      if (find(name)) return false;
      t.teams.push({ id: seq.team++, name, createdAt: clock.now() });
      return true;
    },
    async byName(name) {
      const team = find(name);
      return team && { id: team.id, name: team.name, archivedAt: team.archivedAt ?? null };
    },
    async byId(teamId) {
      const team = t.teams.find((x) => x.id === teamId);
      return team && { id: team.id, name: team.name, archivedAt: team.archivedAt ?? null };
    },
    async rename(teamId, name) {
      const same = find(name);
      if (same && same.id !== teamId) return false;
      const team = t.teams.find((x) => x.id === teamId);
      if (team) team.name = name;
      return true;
    },
    async archive(teamId, at) {
      const team = t.teams.find((x) => x.id === teamId);
      if (!team || team.archivedAt) return false;
      team.archivedAt = at;
      return true;
    },
    async list() {
      return active()
        .sort((a, b) => byCodePoint(a.name, b.name))
        .map((team) => ({
          id: team.id,
          name: team.name,
          channels: t.teamChannels.filter((c) => c.teamId === team.id).length,
          members: t.teamMembers.filter((m) => m.teamId === team.id).length,
          managers: t.teamMembers.filter((m) => m.teamId === team.id && m.isManager).map((m) => m.personId),
        }));
    },
    async addChannel(teamId, platform, channelId) {
      if (!t.teams.some((team) => team.id === teamId))
        throw new Error(`Foreign key constraint violated: no team ${teamId}`);
      const existing = t.teamChannels.find((c) => c.platform === platform && c.channelId === channelId);
      if (existing?.teamId === teamId) return 'same';
      if (existing) {
        existing.teamId = teamId;
        return 'moved';
      }
      t.teamChannels.push({ teamId, platform, channelId });
      return 'added';
    },
    async channels(teamIds) {
      const live = new Set(active().map((team) => team.id));
      return t.teamChannels
        .filter((c) => live.has(c.teamId) && (!teamIds || teamIds.includes(c.teamId)))
        .sort(
          (a, b) => a.teamId - b.teamId || byCodePoint(a.platform, b.platform) || byCodePoint(a.channelId, b.channelId),
        )
        .map((c) => ({ ...c }));
    },
    async setMember(teamId, personId, isManager) {
      if (!t.teams.some((team) => team.id === teamId))
        throw new Error(`Foreign key constraint violated: no team ${teamId}`);
      const member = t.teamMembers.find((m) => m.teamId === teamId && m.personId === personId);
      if (member) member.isManager = isManager;
      else t.teamMembers.push({ teamId, personId, isManager });
    },
    async removeMember(teamId, personId) {
      const at = t.teamMembers.findIndex((m) => m.teamId === teamId && m.personId === personId);
      if (at < 0) return false;
      t.teamMembers.splice(at, 1);
      return true;
    },
    async manages(personId, teamId) {
      return t.teamMembers.some((m) => m.teamId === teamId && m.personId === personId && m.isManager);
    },
    async members(teamId) {
      return t.teamMembers
        .filter((m) => m.teamId === teamId)
        .sort((a, b) => a.personId - b.personId)
        .map((m) => ({ personId: m.personId, isManager: m.isManager }));
    },
    async teamsOf(personId) {
      const live = new Set(active().map((team) => team.id));
      return t.teamMembers
        .filter((m) => m.personId === personId && live.has(m.teamId))
        .map((m) => m.teamId)
        .sort((a, b) => a - b);
    },
  };
}
