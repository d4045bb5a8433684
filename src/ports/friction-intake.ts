/**
 * The port of friction intake: what a group of submissions reads before it is stored, and the one write that stores
 * it. Two statements for the whole group, whatever its size (see services/friction-intake.ts).
 */
import type { KnownIdentity, PersonRef } from '../domain/people.ts';
import type { FrictionReport, NewFrictionReport, OpenReportSummary } from './friction.ts';
import type { OutboundMessage } from './outbound.ts';

export interface IntakeSurveyRequest {
  /** The group's submission keys, each once, in the order their reports are to be numbered. */
  keys: readonly string[];
  /** "Looks similar": the first `scan` open reports, oldest first, that share a tool key or a title word. */
  scan: number;
  near: { toolKeys: readonly string[]; words: readonly string[] };
  /** Recurring patterns: the group's tools, and the start of the window. */
  patterns: { toolKeys: readonly string[]; since: Date };
  /** Who sent the named reports: the ones the bot knows come back with the survey (see `KnownIdentity`). */
  people: readonly PersonRef[];
}

export interface IntakeSurvey {
  /** A report number drawn for each key not stored before, by key: ascending in the order the keys were given. */
  numbers: Map<string, number>;
  /** The reports stored before under one of the keys (a retry, a double click), by key. */
  before: Map<string, FrictionReport>;
  /**
   * Of the first `scan` open reports, oldest first, the ones that may look like the group's: a superset of those
   * `alike` finds, never fewer. A report stored before its title words were kept has none, and is always among them.
   */
  open: OpenReportSummary[];
  /**
   * Each of the tools asked about that has had no alert since the window began, with the numbers of its reports
   * created since then, oldest first (none of this group's new ones yet; possibly none at all).
   */
  recent: Map<string, number[]>;
  /** Of the people asked about, those the bot knows, each once: for `PeopleRepository.identifyMany`. */
  known: KnownIdentity[];
}

export interface IntakeWrite {
  /** The new reports, each with the number the survey drew for it. */
  reports: readonly (NewFrictionReport & { number: number })[];
  /** Recorded for each report: its subject the report's id, its actor the reporter. */
  event: { action: string; to: string };
  /** Channel posts to queue (review messages, pattern alerts); a key queued before is left alone. */
  posts: readonly OutboundMessage[];
  /** People whose usual team changes. */
  teams: readonly { personId: number; team: string }[];
  /** Recurring-pattern alerts raised. */
  patterns: readonly { toolKey: string; tool: string; reports: number[] }[];
}

export interface FrictionIntakeRepository {
  /**
   * One read for the whole group. Where several processes share the database, holds a lock on each tool asked about
   * until the transaction ends, so reports arriving together raise one alert.
   */
  survey(request: IntakeSurveyRequest): Promise<IntakeSurvey>;
  /**
   * One write for the whole group: the reports, their events, the posts, the teams and the alerts. Answers each
   * report's creation time by submission key. Throws, changing nothing once the transaction rolls back, if another
   * transaction stored one of the keys since the survey.
   */
  store(group: IntakeWrite): Promise<Map<string, Date>>;
}
