/**
 * The port of teams: names, channels, members and managers (archived teams keep their history). Kept apart from
 * `../ports.ts` (which re-exports it).
 */
import type { Platform } from '../domain/people.ts';

export interface Team {
  id: number;
  name: string;
}

export interface TeamChannel {
  teamId: number;
  platform: Platform;
  channelId: string;
}

export interface TeamSummary extends Team {
  channels: number;
  members: number;
  managers: number[];
}

export interface TeamRepository {
  /** The teams not archived: what forms offer (so are `list` and `channels`). */
  names(): Promise<string[]>;
  /** False when a team of that name (any case) exists already. */
  add(name: string): Promise<boolean>;
  /**
   * The team of that name, whatever its case, archived ones too (`archivedAt`: no form offers it, nothing new reaches
   * its channels; its history stays).
   */
  byName(name: string): Promise<(Team & { archivedAt: Date | null }) | undefined>;
  /** The team with that id, archived ones too: one row, where `list` reads every team with its counts. */
  byId(teamId: number): Promise<(Team & { archivedAt: Date | null }) | undefined>;
  /** False when another team has that name (any case) already. */
  rename(teamId: number, name: string): Promise<boolean>;
  /** False when it was archived already. */
  archive(teamId: number, at: Date): Promise<boolean>;
  list(): Promise<TeamSummary[]>;
  /**
   * Makes a channel the team's (a channel belongs to one team): `moved` when it was another team's, `same` when it
   * was this team's already.
   */
  addChannel(teamId: number, platform: Platform, channelId: string): Promise<'added' | 'moved' | 'same'>;
  /** The channels of these teams (all teams when undefined), in a stable order. */
  channels(teamIds?: readonly number[]): Promise<TeamChannel[]>;
  /** Adds a member, or changes whether they manage the team. */
  setMember(teamId: number, personId: number, isManager: boolean): Promise<void>;
  /** Takes a member (and their manager flag) out; false when they were not in it. */
  removeMember(teamId: number, personId: number): Promise<boolean>;
  /** Whether this person manages this team. */
  manages(personId: number, teamId: number): Promise<boolean>;
  members(teamId: number): Promise<{ personId: number; isManager: boolean }[]>;
  /** The teams (not archived) this person is a member of, by id. */
  teamsOf(personId: number): Promise<number[]>;
}
