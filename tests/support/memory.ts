/**
 * In-memory fakes of the core's ports for unit tests: a `Store` with real transaction semantics, an `OutboxQueue`
 * that behaves like `PrismaOutboxQueue` (src/db/store.ts) over the rows the store enqueues, and a clock tests move.
 *
 * Transactions run one at a time (like serializable ones) on a copy of the committed tables; the copy replaces the
 * tables when the work returns and is dropped when it throws. Outbox rows are buffered in the transaction and
 * appended on commit, so the queue can update committed rows meanwhile without either side losing a write.
 * Generated ids (people, report numbers, patterns, teams) come from sequences that, as in Postgres, a rolled-back
 * transaction does not give back. Timestamps the database would default to `now()` come from the store's clock.
 *
 * A transaction started from inside another one is refused at once: on the embedded database (PGlite, one
 * connection) it would wait forever for the outer one, and here it would too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AiRule } from '../../src/domain/ai-rules.ts';
import type { NudgeState } from '../../src/domain/nudges.ts';
import type { Layer, Person, PersonRef, Platform } from '../../src/domain/people.ts';
import {
  type AiRuleRepository,
  type AuditPlan,
  type AuditRun,
  type ChangeRepository,
  type ChangeRequest,
  type ChangeText,
  type ClaimSkip,
  type Clock,
  type FrictionReport,
  type FrictionRepository,
  freshReport,
  laneOf,
  type MessageRef,
  type OutboundMessage,
  type OutboxQueue,
  type OutboxRow,
  type Repositories,
  type Sop,
  type SopRelease,
  type SopRepository,
  type SopText,
  type StateChange,
  type Store,
  type TeamChannel,
  type Training,
  type TrainingAssignment,
} from '../../src/ports.ts';
import { changeTextRepository } from './memory-change-texts.ts';
import { constraintRepository, type StoredConstraint } from './memory-direction.ts';
import { intakeRepository } from './memory-intake.ts';
import { auditRepository, nudgeRepository, trainingRepository } from './memory-schedule.ts';
import { sopSearchRepository } from './memory-sop-search.ts';
import { sopTextRepository } from './memory-sop-texts.ts';
import { type StoredMember, type StoredTeam, teamRepository } from './memory-teams.ts';

/** A clock that stands still until the test moves it. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date | string = '2025-03-03T09:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  /** Moves the clock to `to`, forwards or back. */
  set(to: Date): void {
    this.ms = to.getTime();
  }
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'superseded';

/** An outbox row with the columns of `outbox_message`. */
export interface MemoryOutboxRow extends OutboundMessage {
  id: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lockedBy: string | null;
  lastError: string | null;
  ref: MessageRef | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface RecordedEvent extends StateChange {
  at: Date;
}

/** A person with the columns of `person`. */
export interface StoredPerson extends Person {
  lastTeam: string | null;
}

/** A friction report with every column of `friction_report` (the repository hides the last two). */
export interface StoredFrictionReport extends FrictionReport {
  submissionKey: string;
  updatedAt: Date;
}

export interface StoredSupporter {
  reportNumber: number;
  personId: number;
  at: Date;
}

export interface StoredPattern {
  id: number;
  toolKey: string;
  tool: string;
  reports: number[];
  alertedAt: Date;
}

/** A change request with every column of `change_request`. */
export interface StoredChange extends ChangeRequest {
  submissionKey: string;
  updatedAt: Date;
}

export interface StoredRelease extends SopRelease {
  submissionKey: string;
}

export interface StoredAck {
  releaseId: number;
  teamId: number;
  personId: number | null;
  at: Date;
}

interface Tables {
  people: Map<number, StoredPerson>;
  /** `platform:externalId` → person id. */
  identities: Map<string, number>;
  reviewChannels: Map<Platform, string>;
  events: RecordedEvent[];
  processed: Set<string>;
  friction: Map<number, StoredFrictionReport>;
  supporters: StoredSupporter[];
  patterns: StoredPattern[];
  teams: StoredTeam[];
  teamChannels: TeamChannel[];
  teamMembers: StoredMember[];
  changes: Map<number, StoredChange>;
  approvals: { changeNumber: number; personId: number; at: Date }[];
  sops: Map<string, Sop>;
  sopTexts: SopText[];
  changeTexts: ChangeText[];
  releases: Map<number, StoredRelease>;
  acks: StoredAck[];
  constraints: StoredConstraint[];
  aiRules: Map<string, AiRule>;
  trainings: (Training & { submissionKey: string })[];
  assignments: TrainingAssignment[];
  nudges: Map<string, NudgeState>;
  auditPlans: (AuditPlan & { submissionKey: string })[];
  auditRuns: AuditRun[];
}

/** Postgres sequences: outside the transactions, so a rolled-back insert leaves a gap. */
interface Sequences {
  person: number;
  friction: number;
  pattern: number;
  team: number;
  change: number;
  release: number;
  constraint: number;
  training: number;
  auditPlan: number;
  auditRun: number;
}

/** What `PrismaStore` returns for a row: the columns the ports know, copied. */
function toReport(row: StoredFrictionReport): FrictionReport {
  const { submissionKey: _key, updatedAt: _updated, ...report } = structuredClone(row);
  return report;
}

const toPerson = ({ id, layer, displayName, lastTeam }: StoredPerson) => ({ id, layer, displayName, lastTeam });

const OPEN_STATUSES: readonly FrictionReport['status'][] = ['new', 'triaged', 'analysing'];

/** Maps and sets as arrays, so the whole state can be serialised and searched. */
function plain(value: unknown): unknown {
  if (value instanceof Map) return [...value].map(([k, v]) => [plain(k), plain(v)]);
  if (value instanceof Set) return [...value].map(plain);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const identityKey = (ref: Pick<PersonRef, 'platform' | 'externalId'>) => `${ref.platform}:${ref.externalId}`;

export class MemoryStore implements Store {
  private tables: Tables = {
    people: new Map(),
    identities: new Map(),
    reviewChannels: new Map(),
    events: [],
    processed: new Set(),
    friction: new Map(),
    supporters: [],
    patterns: [],
    teams: [],
    teamChannels: [],
    teamMembers: [],
    changes: new Map(),
    approvals: [],
    sops: new Map(),
    sopTexts: [],
    changeTexts: [],
    releases: new Map(),
    acks: [],
    constraints: [],
    aiRules: new Map(),
    trainings: [],
    assignments: [],
    nudges: new Map(),
    auditPlans: [],
    auditRuns: [],
  };
  private readonly sequences: Sequences = {
    person: 1,
    friction: 1,
    pattern: 1,
    team: 1,
    change: 1,
    release: 1,
    constraint: 1,
    training: 1,
    auditPlan: 1,
    auditRun: 1,
  };
  /** The outbox table; share it with `MemoryOutboxQueue`. */
  readonly outbox: MemoryOutboxRow[] = [];
  private nextOutboxId = 1;
  private lock: Promise<unknown> = Promise.resolve();
  /** Set while a transaction's work runs, to refuse a transaction nested in it. */
  private readonly inTransaction = new AsyncLocalStorage<true>();

  constructor(
    private readonly clock: Clock = new ManualClock(),
    /** Runs after every commit, like `PrismaStore`'s hook. */
    private readonly afterCommit: () => void = () => {},
  ) {}

  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.run(work));
  }

  /** As a transaction whose writes are refused: the work runs on a copy that is thrown away. */
  read<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const before = JSON.stringify(this.snapshot());
      const draft = structuredClone(this.tables);
      const value = await work(this.repositories(draft, []));
      if (JSON.stringify(plain({ tables: draft, outbox: this.outbox })) !== before) {
        throw new Error('a read-only store.read() wrote something');
      }
      return value;
    });
  }

  once<T>(
    key: string,
    work: (repos: Repositories) => Promise<T>,
  ): Promise<{ duplicate: false; value: T } | { duplicate: true }> {
    return this.exclusive(async () => {
      if (this.tables.processed.has(key)) return { duplicate: true as const };
      const value = await this.run(work, (draft) => draft.processed.add(key));
      return { duplicate: false as const, value };
    });
  }

  // Committed state, for assertions.
  get people(): StoredPerson[] {
    return [...this.tables.people.values()].map((p) => ({ ...p }));
  }
  /** Every friction report with all its columns, by number. */
  get reports(): StoredFrictionReport[] {
    return structuredClone([...this.tables.friction.values()].sort((a, b) => a.number - b.number));
  }
  report(number: number): StoredFrictionReport | undefined {
    const row = this.tables.friction.get(number);
    return row && structuredClone(row);
  }
  supportersOf(number: number): number[] {
    return this.tables.supporters.filter((s) => s.reportNumber === number).map((s) => s.personId);
  }
  get patterns(): StoredPattern[] {
    return structuredClone(this.tables.patterns);
  }
  get teams(): string[] {
    return this.tables.teams.map((t) => t.name);
  }
  /** Every change request with all its columns, by number. */
  get changes(): StoredChange[] {
    return structuredClone([...this.tables.changes.values()].sort((a, b) => a.number - b.number));
  }
  change(number: number): StoredChange | undefined {
    const row = this.tables.changes.get(number);
    return row && structuredClone(row);
  }
  get releases(): StoredRelease[] {
    return structuredClone([...this.tables.releases.values()].sort((a, b) => a.id - b.id));
  }
  get acks(): StoredAck[] {
    return structuredClone(this.tables.acks);
  }
  get aiRules(): AiRule[] {
    return structuredClone([...this.tables.aiRules.values()]);
  }
  get sops(): Sop[] {
    return structuredClone([...this.tables.sops.values()]);
  }
  get trainings(): Training[] {
    return structuredClone(this.tables.trainings);
  }
  get assignments(): TrainingAssignment[] {
    return structuredClone(this.tables.assignments);
  }
  nudge(key: string): NudgeState | undefined {
    const state = this.tables.nudges.get(key);
    return state && structuredClone(state);
  }
  get auditRuns(): AuditRun[] {
    return structuredClone(this.tables.auditRuns);
  }
  /** Everything the store holds (tables, processed keys, outbox), as plain data to serialise and search. */
  snapshot(): unknown {
    return plain({ tables: this.tables, outbox: this.outbox });
  }
  get events(): RecordedEvent[] {
    return structuredClone(this.tables.events);
  }
  personByIdentity(platform: Platform, externalId: string): Person | undefined {
    const id = this.tables.identities.get(identityKey({ platform, externalId }));
    const person = id === undefined ? undefined : this.tables.people.get(id);
    return person && { ...person };
  }
  reviewChannel(platform: Platform): string | undefined {
    return this.tables.reviewChannels.get(platform);
  }
  processed(key: string): boolean {
    return this.tables.processed.has(key);
  }

  /** Queues `fn` behind every transaction already running or waiting. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction.getStore()) {
      return Promise.reject(
        new Error('a transaction was started inside another one: it would wait for it forever (one connection)'),
      );
    }
    const result = this.lock.then(() => this.inTransaction.run(true, fn));
    this.lock = result.catch(() => {});
    return result;
  }

  private async run<T>(work: (repos: Repositories) => Promise<T>, prepare?: (draft: Tables) => void): Promise<T> {
    const draft = structuredClone(this.tables);
    const queued: OutboundMessage[] = [];
    prepare?.(draft);
    const value = await work(this.repositories(draft, queued));
    this.tables = draft;
    for (const message of queued) this.append(message);
    this.afterCommit();
    return value;
  }

  private repositories(t: Tables, queued: OutboundMessage[]): Repositories {
    const clock = this.clock;
    const outbox = this.outbox;
    const seq = this.sequences;
    const person = (id: number | undefined) => (id === undefined ? undefined : t.people.get(id));
    const people: Repositories['people'] = {
      async identify(ref) {
        const found = person(t.identities.get(identityKey(ref)));
        if (found) {
          // As the Prisma store: a display name wins; a handle only names someone who has no name yet.
          found.displayName = ref.displayName ?? found.displayName ?? ref.handle ?? null;
          return { id: found.id, layer: found.layer, displayName: found.displayName };
        }
        const created: StoredPerson = {
          id: seq.person++,
          layer: 'worker',
          displayName: ref.displayName ?? ref.handle ?? null,
          lastTeam: null,
        };
        t.people.set(created.id, created);
        t.identities.set(identityKey(ref), created.id);
        return { id: created.id, layer: created.layer, displayName: created.displayName };
      },
      async find(ref) {
        const found = person(t.identities.get(identityKey(ref)));
        return found && toPerson(found);
      },
      async get(personId) {
        const found = person(personId);
        return found && toPerson(found);
      },
      async setLayer(personId: number, layer: Layer) {
        const found = person(personId);
        if (!found) throw new Error(`no person ${personId}`);
        found.layer = layer;
      },
      async rename(ref, displayName) {
        const found = person(t.identities.get(identityKey(ref)));
        if (found) found.displayName = displayName;
        return found !== undefined;
      },
      async withLayers(layers) {
        return [...t.people.values()]
          .filter((p) => layers.includes(p.layer))
          .sort((a, b) => a.id - b.id)
          .map((p) => ({ id: p.id, layer: p.layer, displayName: p.displayName }));
      },
      async identitiesOf(personId: number) {
        return [...t.identities]
          .filter(([, id]) => id === personId)
          .map(([key]) => {
            const [platform, ...rest] = key.split(':');
            return { platform: platform as Platform, externalId: rest.join(':') };
          });
      },
      async identifyMany(refs) {
        const found = [];
        for (const ref of refs) found.push(toPerson(person((await people.identify(ref)).id) as StoredPerson));
        return found;
      },
    };
    const events: Repositories['events'] = {
      async record(change) {
        t.events.push({ ...structuredClone(change), at: clock.now() });
      },
      async recordMany(changes) {
        for (const change of changes) await events.record(change);
      },
    };
    const repos: Omit<Repositories, 'intake'> = {
      people,
      reviewChannels: {
        async set(platform, channelId) {
          t.reviewChannels.set(platform, channelId);
        },
        async get(platform) {
          return t.reviewChannels.get(platform);
        },
        async current(platform) {
          return t.reviewChannels.get(platform);
        },
        async all() {
          return new Map(t.reviewChannels);
        },
      },
      events,
      outbox: {
        async enqueue(message) {
          if (outbox.some((r) => r.key === message.key) || queued.some((m) => m.key === message.key)) return;
          queued.push(structuredClone(message));
        },
        async enqueueMany(messages) {
          // As in PrismaStore: the posts go in first, in one statement; then each update, superseding older ones.
          const posts = messages.filter((m) => m.target.kind !== 'update');
          for (const message of [...posts, ...messages.filter((m) => m.target.kind === 'update')]) {
            await this.enqueue(message);
          }
        },
        async batchProgress(batch, maxFailures) {
          // Queued in this transaction but not committed: counted as pending, as in the database.
          const rows = [
            ...outbox.filter((r) => r.batch === batch),
            ...queued
              .filter((m) => m.batch === batch)
              .map((m) => ({ ...m, status: 'pending' as const, lastError: null })),
          ];
          const failed = rows.filter((r) => r.status === 'failed');
          return {
            total: rows.length,
            sent: rows.filter((r) => r.status === 'sent').length,
            failed: failed.length,
            failures: failed.slice(0, maxFailures).map((r) => ({
              platform: r.platform,
              target: structuredClone(r.target),
              error: r.lastError ?? 'unknown error',
            })),
          };
        },
        async has(key) {
          return outbox.some((r) => r.key === key) || queued.some((m) => m.key === key);
        },
        async failedDirectMessages(since) {
          return outbox
            .filter((r) => r.target.kind === 'dm' && r.status === 'failed' && r.createdAt >= since)
            .map((r) => ({
              key: r.key,
              platform: r.platform,
              externalId: r.target.kind === 'dm' ? r.target.externalId : '',
              error: r.lastError ?? 'unknown error',
            }));
        },
      },
      friction: frictionRepository(t, seq, clock),
      teams: teamRepository(t, seq, clock),
      changes: changeRepository(t, seq, clock),
      sops: sopRepository(t, seq, clock),
      sopTexts: sopTextRepository(t.sopTexts, t.sops, clock),
      sopSearch: sopSearchRepository(t.sops, t.releases, t.sopTexts),
      changeTexts: changeTextRepository(t.changeTexts, t.changes, clock),
      constraints: constraintRepository(t.constraints, seq, clock),
      aiRules: aiRuleRepository(t, clock),
      trainings: trainingRepository(t, seq, clock),
      nudges: nudgeRepository(t),
      audits: auditRepository(t, seq, clock),
    };
    return { ...repos, intake: intakeRepository(t, seq, clock, repos) };
  }

  private append(message: OutboundMessage): void {
    const now = this.clock.now();
    const target = message.target;
    if (target.kind === 'update') {
      // As in PrismaStore: only the newest content of a message matters; older waiting updates are dropped.
      for (const row of this.outbox) {
        if (row.status === 'pending' && row.target.kind === 'update' && row.target.of === target.of) {
          row.status = 'superseded';
        }
      }
    }
    this.outbox.push({
      ...message,
      id: String(this.nextOutboxId++),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      lockedBy: null,
      lastError: null,
      ref: null,
      createdAt: now,
      sentAt: null,
    });
  }
}

/** `frictionRepository` of src/db/store.ts over the in-memory tables. */
function frictionRepository(t: Tables, seq: Sequences, clock: Clock): FrictionRepository {
  const row = (number: number) => {
    const found = t.friction.get(number);
    if (!found) throw new Error(`No record was found for an update (friction report ${number}).`);
    return found;
  };
  const byNumber = (a: FrictionReport, b: FrictionReport) => a.number - b.number;
  const repository: FrictionRepository = {
    async createMany(reports) {
      const created = [];
      for (const report of reports) created.push(await repository.create(report));
      return created;
    },
    async create(report) {
      if ([...t.friction.values()].some((r) => r.submissionKey === report.submissionKey)) {
        throw new Error('Unique constraint failed on the fields: (`submission_key`)');
      }
      const now = clock.now();
      // The title's words serve the database's "near" filter; this fake hands every open report to the service.
      const created: StoredFrictionReport = {
        ...freshReport({ ...structuredClone(report), number: seq.friction++ }, now),
        submissionKey: report.submissionKey,
        updatedAt: now,
      };
      t.friction.set(created.number, created);
      return toReport(created);
    },
    async get(number) {
      const found = t.friction.get(number);
      return found && toReport(found);
    },
    // Transactions here run one at a time, so a read is as good as a lock.
    async getForUpdate(number) {
      const found = t.friction.get(number);
      return found && toReport(found);
    },
    async bySubmissionKey(key) {
      const found = [...t.friction.values()].find((r) => r.submissionKey === key);
      return found && toReport(found);
    },
    async update(number, changes) {
      const found = row(number);
      for (const [field, value] of Object.entries(changes)) {
        // As in Prisma: `undefined` leaves a column alone, `null` clears it.
        if (value !== undefined) Object.assign(found, { [field]: value });
      }
      found.version += 1;
      found.updatedAt = clock.now();
      return toReport(found);
    },
    async open(options = {}) {
      const open = [...t.friction.values()]
        .filter((r) => OPEN_STATUSES.includes(r.status) && (!options.except || r.number !== options.except))
        .sort(byNumber);
      return (options.limit ? open.slice(0, options.limit) : open).map(toReport);
    },
    async aboutTool(toolKey, since) {
      return [...t.friction.values()]
        .filter((r) => r.toolKey === toolKey && r.createdAt >= since)
        .sort(byNumber)
        .map(toReport);
    },
    async stuck(statuses, before) {
      return [...t.friction.values()]
        .filter((r) => statuses.includes(r.status) && r.statusChangedAt < before)
        .sort(byNumber)
        .map(toReport);
    },
    async byReporter(personId, limit) {
      return [...t.friction.values()]
        .filter((r) => r.reporterPersonId === personId)
        .sort((a, b) => b.number - a.number)
        .slice(0, limit)
        .map(toReport);
    },
    async addSupporter(number, personId) {
      if (!t.friction.has(number)) throw new Error(`Foreign key constraint violated: no friction report ${number}`);
      if (t.supporters.some((s) => s.reportNumber === number && s.personId === personId)) return false;
      t.supporters.push({ reportNumber: number, personId, at: clock.now() });
      return true;
    },
    async supporters(number) {
      return t.supporters.filter((s) => s.reportNumber === number).map((s) => s.personId);
    },
  };
  return repository;
}

function toChange(row: StoredChange): ChangeRequest {
  const { submissionKey: _key, updatedAt: _updated, ...change } = structuredClone(row);
  return change;
}

/** `changeRepository` of src/db/change-repositories.ts over the in-memory tables. */
function changeRepository(t: Tables, seq: Sequences, clock: Clock): ChangeRepository {
  const all = () => [...t.changes.values()].sort((a, b) => a.number - b.number);
  return {
    async create(change) {
      if (all().some((c) => c.submissionKey === change.submissionKey)) {
        throw new Error('Unique constraint failed on the fields: (`submission_key`)');
      }
      const now = clock.now();
      const row: StoredChange = {
        ...structuredClone(change),
        number: seq.change++,
        decisionReason: null,
        releaseId: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      t.changes.set(row.number, row);
      return toChange(row);
    },
    async get(number) {
      const row = t.changes.get(number);
      return row && toChange(row);
    },
    async getForUpdate(number) {
      const row = t.changes.get(number);
      return row && toChange(row);
    },
    async bySubmissionKey(key) {
      const row = all().find((c) => c.submissionKey === key);
      return row && toChange(row);
    },
    async update(number, changes) {
      const row = t.changes.get(number);
      if (!row) throw new Error(`No record was found for an update (change request ${number}).`);
      for (const [field, value] of Object.entries(changes)) {
        if (value !== undefined) Object.assign(row, { [field]: structuredClone(value) });
      }
      row.version += 1;
      row.updatedAt = clock.now();
      return toChange(row);
    },
    async approve(number, personId) {
      if (!t.changes.has(number)) throw new Error(`Foreign key constraint violated: no change request ${number}`);
      if (t.approvals.some((a) => a.changeNumber === number && a.personId === personId)) return false;
      t.approvals.push({ changeNumber: number, personId, at: clock.now() });
      return true;
    },
    async approvals(number) {
      return t.approvals.filter((a) => a.changeNumber === number).map((a) => a.personId);
    },
    async clearApprovals(number) {
      t.approvals = t.approvals.filter((a) => a.changeNumber !== number);
    },
    async approved() {
      return all()
        .filter((c) => c.status === 'approved')
        .map(toChange);
    },
    async bySop(sopKey) {
      return all()
        .filter((c) => c.sopKey === sopKey)
        .map(toChange);
    },
    async byRequester(personId, limit) {
      return all()
        .filter((c) => c.requesterPersonId === personId)
        .reverse()
        .slice(0, limit)
        .map(toChange);
    },
    async linking(frictionNumber) {
      return all()
        .filter((c) => c.friction.includes(frictionNumber))
        .map(toChange);
    },
  };
}

function toRelease(row: StoredRelease): SopRelease {
  const { submissionKey: _key, ...release } = structuredClone(row);
  return release;
}

/** `sopRepository` of src/db/change-repositories.ts over the in-memory tables. */
function sopRepository(t: Tables, seq: Sequences, clock: Clock): SopRepository {
  const releases = () => [...t.releases.values()];
  return {
    async get(key) {
      const sop = t.sops.get(key);
      return sop && structuredClone(sop);
    },
    // Transactions here run one at a time, so there is nothing to lock.
    async lock() {},
    async create(sop) {
      if (t.sops.has(sop.key)) throw new Error('Unique constraint failed on the fields: (`key`)');
      const row: Sop = { ...sop, createdAt: clock.now(), retiredAt: null };
      t.sops.set(sop.key, row);
      return structuredClone(row);
    },
    async list() {
      return [...t.sops.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map((s) => structuredClone(s));
    },
    async retire(key, at) {
      const sop = t.sops.get(key);
      if (!sop || sop.retiredAt) return false;
      sop.retiredAt = at;
      return true;
    },
    async releases(key) {
      return releases()
        .filter((r) => r.sopKey === key)
        .sort((a, b) => b.major - a.major || b.minor - a.minor)
        .map(toRelease);
    },
    async createRelease(release) {
      if (!t.sops.has(release.sopKey)) throw new Error(`Foreign key constraint violated: no SOP ${release.sopKey}`);
      const clash = releases().find(
        (r) =>
          r.submissionKey === release.submissionKey ||
          (r.sopKey === release.sopKey && r.major === release.major && r.minor === release.minor),
      );
      if (clash) throw new Error('Unique constraint failed on sop_release');
      const row: StoredRelease = {
        ...structuredClone(release),
        id: seq.release++,
        publishedAt: clock.now(),
        delivered: false,
      };
      t.releases.set(row.id, row);
      return toRelease(row);
    },
    async release(id) {
      const row = t.releases.get(id);
      return row && toRelease(row);
    },
    async releaseBySubmissionKey(key) {
      const row = releases().find((r) => r.submissionKey === key);
      return row && toRelease(row);
    },
    async undelivered() {
      return releases()
        .filter((r) => !r.delivered)
        .sort((a, b) => a.id - b.id)
        .map(toRelease);
    },
    async markDelivered(id) {
      const row = t.releases.get(id);
      if (!row || row.delivered) return false;
      row.delivered = true;
      return true;
    },
    async acknowledge(releaseId, teamId, personId) {
      if (!t.releases.has(releaseId)) throw new Error(`Foreign key constraint violated: no release ${releaseId}`);
      if (t.acks.some((a) => a.releaseId === releaseId && a.teamId === teamId)) return false;
      t.acks.push({ releaseId, teamId, personId, at: clock.now() });
      return true;
    },
    async acknowledgements(releaseId) {
      return t.acks
        .filter((a) => a.releaseId === releaseId)
        .map((a) => ({ teamId: a.teamId, personId: a.personId, at: a.at }));
    },
    async deployedVersions(sopKey, below) {
      const versions = new Map<number, { major: number; minor: number }>();
      for (const ack of t.acks) {
        const release = t.releases.get(ack.releaseId);
        if (release?.sopKey !== sopKey) continue;
        if (below && (release.major > below.major || (release.major === below.major && release.minor >= below.minor)))
          continue;
        const known = versions.get(ack.teamId);
        if (!known || release.major > known.major || (release.major === known.major && release.minor > known.minor))
          versions.set(ack.teamId, { major: release.major, minor: release.minor });
      }
      return versions;
    },
  };
}

/** `aiRuleRepository` of src/db/change-repositories.ts over the in-memory tables. */
function aiRuleRepository(t: Tables, clock: Clock): AiRuleRepository {
  return {
    async all() {
      return [...t.aiRules.values()].sort((a, b) => (a.tool < b.tool ? -1 : 1)).map((r) => structuredClone(r));
    },
    async put(rule) {
      t.aiRules.set(rule.toolKey, { ...structuredClone(rule), updatedAt: clock.now() });
    },
  };
}

/** `PrismaOutboxQueue` over an in-memory outbox table, on the given clock. Each call is atomic. */
export class MemoryOutboxQueue implements OutboxQueue {
  constructor(
    readonly rows: MemoryOutboxRow[],
    private readonly clock: Clock,
  ) {}

  /** The row behind an idempotency key (test helper). */
  row(key: string): MemoryOutboxRow {
    const row = this.rows.find((r) => r.key === key);
    if (!row) throw new Error(`no outbox row ${key}`);
    return row;
  }

  async claim(worker: string, limit: number, leaseMs: number, skip: ClaimSkip = {}): Promise<OutboxRow[]> {
    const now = this.clock.now();
    const due = this.rows
      .filter(
        (r) =>
          ((r.status === 'pending' && r.nextAttemptAt <= now) ||
            (r.status === 'sending' && r.lockedUntil !== null && r.lockedUntil < now)) &&
          !skip.platforms?.includes(r.platform) &&
          !skip.lanes?.includes(laneOf(r.platform, r.target)),
      )
      // As the SQL: rows of a fan-out after the others, then by id.
      .sort((a, b) => Number(a.batch !== undefined) - Number(b.batch !== undefined) || Number(a.id) - Number(b.id))
      .slice(0, limit);
    return due.map((r) => {
      const inDoubt = r.status === 'sending';
      r.status = 'sending';
      r.lockedBy = worker;
      r.lockedUntil = new Date(now.getTime() + leaseMs);
      r.attempts += 1;
      return {
        id: r.id,
        key: r.key,
        platform: r.platform,
        target: structuredClone(r.target),
        body: structuredClone(r.body),
        attempts: r.attempts,
        createdAt: r.createdAt,
        inDoubt,
        ...(r.batch ? { batch: r.batch } : {}),
      };
    });
  }

  async refOf(key: string): Promise<MessageRef | null | undefined> {
    const row = this.rows.find((r) => r.key === key);
    if (!row || row.status === 'failed') return null;
    return row.status === 'sent' ? { ...(row.ref ?? {}) } : undefined;
  }

  async markSent(id: string, worker: string, ref: MessageRef): Promise<boolean> {
    const row = this.owned(id, worker);
    if (!row) return false;
    Object.assign(row, {
      status: 'sent',
      ref: { ...ref },
      sentAt: this.clock.now(),
      lockedUntil: null,
      lastError: null,
    });
    return true;
  }

  async release(id: string, worker: string, at: Date, inDoubt: boolean, note?: string): Promise<void> {
    const row = this.owned(id, worker);
    if (!row) return;
    row.attempts -= 1;
    row.lockedBy = null;
    if (note) row.lastError = note;
    if (inDoubt) row.lockedUntil = at;
    else Object.assign(row, { status: 'pending', lockedUntil: null, nextAttemptAt: at });
  }

  async retryAt(id: string, worker: string, at: Date, error?: string): Promise<void> {
    const row = this.owned(id, worker);
    if (row) Object.assign(row, { status: 'pending', nextAttemptAt: at, lockedUntil: null, lastError: error ?? null });
  }

  async markFailed(id: string, worker: string, error: string): Promise<void> {
    const row = this.owned(id, worker);
    if (row) Object.assign(row, { status: 'failed', lockedUntil: null, lastError: error });
  }

  async backlog(): Promise<{ pending: number; nextDueAt: Date | undefined }> {
    const pending = this.rows.filter((r) => r.status === 'pending' || r.status === 'sending').length;
    const due = this.rows.filter((r) => r.status === 'pending').map((r) => r.nextAttemptAt.getTime());
    return { pending, nextDueAt: due.length > 0 ? new Date(Math.min(...due)) : undefined };
  }

  /** The row only while `worker` holds its lease, as the SQL's `WHERE locked_by = worker AND status = 'sending'`. */
  private owned(id: string, worker: string): MemoryOutboxRow | undefined {
    return this.rows.find((r) => r.id === id && r.lockedBy === worker && r.status === 'sending');
  }
}
