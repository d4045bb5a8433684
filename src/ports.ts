/**
 * What the core needs from the outside world. `domain/` and `services/` depend on these interfaces only; `db/`,
 * `platforms/` and the in-memory fakes in tests implement them.
 */
import type { AiRule, AiRuleInput } from './domain/ai-rules.ts';
import type { ChangeKind, ChangeStatus, Improvement, Risk } from './domain/change.ts';
import type { KnownIdentity, Layer, Person, PersonRef, Platform } from './domain/people.ts';
import type { ConstraintRepository } from './ports/direction.ts';
import type { FrictionRepository } from './ports/friction.ts';
import type { FrictionIntakeRepository } from './ports/friction-intake.ts';
import type { OutboundMessage, OutboxTarget } from './ports/outbound.ts';
import type { AuditRepository, NudgeRepository, TrainingRepository } from './ports/scheduled-work.ts';
import type { SopSearchRepository } from './ports/sop-search.ts';
import type { ChangeTextRepository, SopTextRepository } from './ports/sop-texts.ts';
import type { TeamRepository } from './ports/teams.ts';

export type { ConstraintRepository } from './ports/direction.ts';
export type {
  FrictionChanges,
  FrictionReport,
  FrictionRepository,
  NewFrictionReport,
  OpenReportSummary,
} from './ports/friction.ts';
export { freshReport } from './ports/friction.ts';
export type { FrictionIntakeRepository, IntakeSurvey, IntakeWrite } from './ports/friction-intake.ts';
export type { OutboundMessage, OutboxTarget } from './ports/outbound.ts';
export type {
  AuditPlan,
  AuditPlanChanges,
  AuditRepository,
  AuditRun,
  NudgeRepository,
  Training,
  TrainingAssignment,
  TrainingRepository,
} from './ports/scheduled-work.ts';
export type { SopSearchHit, SopSearchQuery, SopSearchRepository } from './ports/sop-search.ts';
export type { ChangeText, ChangeTextRepository, SopText, SopTextRepository } from './ports/sop-texts.ts';
export type { Team, TeamChannel, TeamRepository, TeamSummary } from './ports/teams.ts';

export interface Clock {
  now(): Date;
}

/**
 * Messages to one channel, to one person or updating one message go out one after another, in order: their lane. The
 * outbox's claim (SQL) computes the same string, so a lane busy in this process can be left out of a claim.
 */
export function laneOf(platform: Platform, target: OutboxTarget): string {
  const where =
    target.kind === 'channel'
      ? target.channelId
      : target.kind === 'dm'
        ? `dm:${target.externalId}`
        : `update:${target.of}`;
  return `${platform}:${where}`;
}

/** What a claim leaves where it is: platforms a rate limit holds, lanes this process is still sending on. */
export interface ClaimSkip {
  platforms?: readonly Platform[];
  lanes?: readonly string[];
}

/** How far a fan-out has got, and what failed for good. */
export interface BatchProgress {
  total: number;
  sent: number;
  failed: number;
  /** The first failures, for the summary (target and the platform's last error). */
  failures: { platform: Platform; target: OutboxTarget; error: string }[];
}

/** A record of who changed what, from which state to which, and why (DOMAIN.md). */
export interface StateChange {
  actorPersonId: number | null;
  subject: string;
  action: string;
  from?: string;
  to?: string;
  reason?: string;
  data?: Record<string, unknown>;
}

export interface PeopleRepository {
  /** The person behind a platform identity, created as a worker the first time they are seen. */
  identify(ref: PersonRef): Promise<Person>;
  /**
   * `identify` for many at once (a group of submissions), in the order given; one person per distinct identity.
   * `known`: every one of these identities that exists, read already in this transaction (the intake's survey), so
   * not read again; the others are new.
   */
  identifyMany(
    refs: readonly PersonRef[],
    options?: { known?: readonly KnownIdentity[] },
  ): Promise<(Person & { lastTeam: string | null })[]>;
  /** The person behind a platform identity, if the bot knows them; never creates one. */
  find(ref: PersonRef): Promise<(Person & { lastTeam: string | null }) | undefined>;
  setLayer(personId: number, layer: Layer): Promise<void>;
  /** The person's identities, so a message can reach them on the platforms they use. */
  identitiesOf(personId: number): Promise<PersonRef[]>;
  get(personId: number): Promise<(Person & { lastTeam: string | null }) | undefined>;
  /** Records the name a platform gives for someone the bot knows; false when it knows nobody by that identity. */
  rename(ref: PersonRef, displayName: string): Promise<boolean>;
  /** Everyone in these layers, by id. */
  withLayers(layers: readonly Layer[]): Promise<Person[]>;
}

export interface ReviewChannelRepository {
  set(platform: Platform, channelId: string): Promise<void>;
  /** As read within the last few seconds (a message on its way there). */
  get(platform: Platform): Promise<string | undefined>;
  /** As the database holds it now: for a decision that writes (set it? move it?). */
  current(platform: Platform): Promise<string | undefined>;
  /** Every platform's review channel, in one read (as `get`). */
  all(): Promise<Map<Platform, string>>;
}

export interface EventLog {
  record(change: StateChange): Promise<void>;
  recordMany(changes: readonly StateChange[]): Promise<void>;
}

/** A direct message that could not be delivered: to whom, and the platform's reason. */
export interface UndeliveredMessage {
  key: string;
  platform: Platform;
  externalId: string;
  error: string;
}

export interface OutboxWriter {
  /** Queues a message for delivery; a key already queued is ignored. */
  enqueue(message: OutboundMessage): Promise<void>;
  /** Queues many messages at once (a fan-out), each like `enqueue`. */
  enqueueMany(messages: readonly OutboundMessage[]): Promise<void>;
  /** Counts a batch's messages by outcome; `failures` lists at most `maxFailures` of them. */
  batchProgress(batch: string, maxFailures: number): Promise<BatchProgress>;
  /** Whether a message with this key was ever queued (a review message to thread under or update). */
  has(key: string): Promise<boolean>;
  /** Direct messages given up for good since a time, with why: each is reported to the CoE (`ReachService`). */
  failedDirectMessages(since: Date): Promise<UndeliveredMessage[]>;
}

/** A change request as stored (CR-<number>). `requesterPersonId` is null for one the bot drafted (an audit). */
export interface ChangeRequest {
  number: number;
  kind: ChangeKind;
  sopKey: string;
  title: string;
  change: string;
  why: string;
  friction: number[];
  constraint: number | null;
  risk: Risk;
  improvement: Improvement;
  aiRule: AiRuleInput | null;
  status: ChangeStatus;
  requesterPersonId: number | null;
  /** Where a request the bot drafted came from, in words ("audit AUD-2, run 5"). */
  origin: string | null;
  decisionReason: string | null;
  releaseId: number | null;
  version: number;
  createdAt: Date;
}

export type NewChangeRequest = Omit<
  ChangeRequest,
  'number' | 'decisionReason' | 'releaseId' | 'version' | 'createdAt'
> & { submissionKey: string };

export type ChangeContent = Pick<
  ChangeRequest,
  'kind' | 'sopKey' | 'title' | 'change' | 'why' | 'friction' | 'constraint' | 'risk' | 'improvement' | 'aiRule'
>;

export type ChangeUpdate = Partial<ChangeContent & Pick<ChangeRequest, 'status' | 'decisionReason' | 'releaseId'>>;

export interface ChangeRepository {
  create(change: NewChangeRequest): Promise<ChangeRequest>;
  get(number: number): Promise<ChangeRequest | undefined>;
  /** Reads a request and locks it until the transaction ends. */
  getForUpdate(number: number): Promise<ChangeRequest | undefined>;
  bySubmissionKey(key: string): Promise<ChangeRequest | undefined>;
  /** Applies the changes and bumps the version. */
  update(number: number, changes: ChangeUpdate): Promise<ChangeRequest>;
  /** Records a CoE member's approval; false when they had approved it already. */
  approve(number: number, personId: number): Promise<boolean>;
  approvals(number: number): Promise<number[]>;
  clearApprovals(number: number): Promise<void>;
  /** Approved requests not released yet, oldest first. */
  approved(): Promise<ChangeRequest[]>;
  bySop(sopKey: string): Promise<ChangeRequest[]>;
  byRequester(personId: number, limit: number): Promise<ChangeRequest[]>;
  /** Requests linking this friction report. */
  linking(frictionNumber: number): Promise<ChangeRequest[]>;
}

export interface Sop {
  key: string;
  title: string;
  ownerPersonId: number | null;
  /** Registered as a standard already in use: its baseline is v1.0, before any release. */
  baseline: boolean;
  createdAt: Date;
  /** Retired: no new change request or release may target it; its history stays. */
  retiredAt: Date | null;
}

/** One published version of a standard. */
export interface SopRelease {
  id: number;
  sopKey: string;
  major: number;
  minor: number;
  notes: string;
  tags: Improvement[];
  changes: number[];
  teamIds: number[];
  publishedByPersonId: number | null;
  publishedAt: Date;
  /** Every announcement was delivered or failed for good, and the CoE got the summary. */
  delivered: boolean;
}

export type NewSopRelease = Omit<SopRelease, 'id' | 'publishedAt' | 'delivered'> & { submissionKey: string };

export interface SopRepository {
  get(key: string): Promise<Sop | undefined>;
  /** Locks the standard's name until the transaction ends (two releases of one standard never interleave). */
  lock(key: string): Promise<void>;
  create(sop: Omit<Sop, 'createdAt' | 'retiredAt'>): Promise<Sop>;
  list(): Promise<Sop[]>;
  /** Retires a standard; false when it was retired already. */
  retire(key: string, at: Date): Promise<boolean>;
  /** A standard's releases, newest first. */
  releases(key: string): Promise<SopRelease[]>;
  createRelease(release: NewSopRelease): Promise<SopRelease>;
  release(id: number): Promise<SopRelease | undefined>;
  releaseBySubmissionKey(key: string): Promise<SopRelease | undefined>;
  /** Releases whose announcements are still going out. */
  undelivered(): Promise<SopRelease[]>;
  /** Marks a release's fan-out done; false when it was marked already (its summary is out). */
  markDelivered(id: number): Promise<boolean>;
  /** Records that a team deployed a release; false when that team had already. */
  acknowledge(releaseId: number, teamId: number, personId: number): Promise<boolean>;
  acknowledgements(releaseId: number): Promise<{ teamId: number; personId: number | null; at: Date }[]>;
  /**
   * The version of a standard each team works to: per team, the newest version it said it deployed (below `below`,
   * when given). Teams that never did are not in it (they work to the baseline, if the standard has one).
   */
  deployedVersions(
    sopKey: string,
    below?: { major: number; minor: number },
  ): Promise<Map<number, { major: number; minor: number }>>;
}

/** The AI usage rules registry. Only a release of the AI usage rules standard writes it. */
export interface AiRuleRepository {
  all(): Promise<AiRule[]>;
  put(rule: Omit<AiRule, 'updatedAt'>): Promise<void>;
}

/** Everything a use case may change, inside one transaction. */
export interface Repositories {
  people: PeopleRepository;
  reviewChannels: ReviewChannelRepository;
  events: EventLog;
  outbox: OutboxWriter;
  friction: FrictionRepository;
  /** A group of friction submissions, in as few statements as it takes. */
  intake: FrictionIntakeRepository;
  teams: TeamRepository;
  changes: ChangeRepository;
  sops: SopRepository;
  sopTexts: SopTextRepository;
  /** Finding standards by words (read-only). */
  sopSearch: SopSearchRepository;
  changeTexts: ChangeTextRepository;
  constraints: ConstraintRepository;
  aiRules: AiRuleRepository;
  trainings: TrainingRepository;
  nudges: NudgeRepository;
  audits: AuditRepository;
}

export interface Store {
  /** Runs `work` in one transaction: all of its changes land, or none do. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs read-only `work` outside a transaction: for what a form shows, where each read stands alone and the
   * transaction's round trips would be most of the cost. Writes here are a mistake.
   */
  read<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction at most once per interaction key (a Slack retry, a double click, a Teams
   * activity delivered twice). A key already handled returns `{ duplicate: true }` and changes nothing.
   */
  once<T>(
    key: string,
    work: (repos: Repositories) => Promise<T>,
  ): Promise<{ duplicate: false; value: T } | { duplicate: true }>;
}

/** An outbox row as the deliverer sees it. */
export interface OutboxRow extends OutboundMessage {
  id: string;
  attempts: number;
  createdAt: Date;
  /** The row was being sent when its sender vanished (crash, lost lease): it may already have reached the platform. */
  inDoubt: boolean;
}

/** The platform's handle on a delivered message, kept to thread under it or update it later. */
export type MessageRef = Record<string, string>;

/** The outbox as the deliverer drains it. Claims are leases, so several replicas can drain one database. */
export interface OutboxQueue {
  /**
   * Takes up to `limit` due rows for `worker`, for `leaseMs`; rows whose lease ran out come back as in doubt. Rows of
   * a fan-out (a `batch`) come after the others, so a release to hundreds of channels never delays a confirmation or
   * a review update. Rows of the platforms and lanes in `skip` are left where they are.
   */
  claim(worker: string, limit: number, leaseMs: number, skip?: ClaimSkip): Promise<OutboxRow[]>;
  /**
   * Puts a claimed row back, untried, until `at` (its platform is paused, the message it refers to is not sent yet,
   * the process is stopping): it does not count as an attempt, and a row in doubt stays in doubt. `note` says why,
   * for whoever looks at the outbox.
   */
  release(id: string, worker: string, at: Date, inDoubt: boolean, note?: string): Promise<void>;
  /** The delivered message behind an outbox key; `undefined` while it is not sent yet, `null` if it failed for good. */
  refOf(key: string): Promise<MessageRef | null | undefined>;
  /** False when the lease was lost meanwhile (another worker owns the row now). */
  markSent(id: string, worker: string, ref: MessageRef): Promise<boolean>;
  retryAt(id: string, worker: string, at: Date, error?: string): Promise<void>;
  markFailed(id: string, worker: string, error: string): Promise<void>;
  /** Rows not yet delivered or failed, and the earliest time one of them is due. */
  backlog(): Promise<{ pending: number; nextDueAt: Date | undefined }>;
}

/** Why a platform refused to deliver, so the deliverer knows whether and when to try again. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: 'rate-limited' | 'transient' | 'permanent',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Sends outbox rows to one platform. */
export interface MessageSender {
  /** Delivers a row; `parent` is the referenced message for threads and updates. Throws `DeliveryError`. */
  send(row: OutboxRow, parent: MessageRef | undefined): Promise<MessageRef>;
  /** For an in-doubt row: the message if it did reach the platform, so it is not sent twice. */
  findDelivered?(row: OutboxRow, parent: MessageRef | undefined): Promise<MessageRef | undefined>;
  /** Least time between two messages to the same channel (Slack: about one per second). */
  readonly perChannelIntervalMs?: number;
}

/** Where proactive messages can reach a channel or a person on one platform (kept by the platform edge). */
export interface AddressBook {
  get(platform: Platform, key: string): Promise<Record<string, unknown> | undefined>;
  put(platform: Platform, key: string, address: Record<string, unknown>): Promise<void>;
}
