/**
 * The permission table (DOMAIN.md, "Layers and what each may do"; README's "who" column where DOMAIN.md is silent) as
 * data, and the runner that makes each row one test per layer. Every cell starts from a fresh organisation on the
 * in-memory store, puts the record the action is about in place, then lets one person try: an allowed cell must take
 * effect (or, for a read, answer and change nothing); a refused one must fail with a CoeError that says why in words,
 * and leave every table, the processed interaction keys and the outbox exactly as they were.
 */
import { describe, expect, it } from 'vitest';
import { CHANGE_ACTIONS } from '../../src/domain/change-messages.ts';
import { type CoeCommand, type CommandContext, parseCoeCommand } from '../../src/domain/coe-command.ts';
import { FRICTION_ACTIONS } from '../../src/domain/friction-messages.ts';
import { HELP_ACTIONS } from '../../src/domain/help.ts';
import type { Message } from '../../src/domain/message.ts';
import type { Layer, PersonRef } from '../../src/domain/people.ts';
import { RELEASE_ACTIONS } from '../../src/domain/release-messages.ts';
import { AUDIT_ACTIONS, NUDGE_ACTIONS, TRAINING_ACTIONS } from '../../src/domain/schedule-messages.ts';
import { SOP_TEXT_ACTIONS } from '../../src/domain/sop-text-messages.ts';
import type { Repositories } from '../../src/ports.ts';
import {
  carl,
  expectCoeError,
  max,
  mona,
  NIGHT_SLACK,
  olga,
  SLACK_REVIEW,
  TEAMS_REVIEW,
  WAREHOUSE_SLACK,
  WAREHOUSE_TEAMS,
  wanda,
} from './cast.ts';
import { ManualClock, MemoryStore } from './memory.ts';
import { buildServices } from './services.ts';

export const eve: PersonRef = { platform: 'teams', externalId: 'aad-eve', displayName: 'Eve Executive' };
/** The "self" column: the reporter, requester, owner or assignee, in the layer each row gives them. */
export const pat: PersonRef = { platform: 'slack', externalId: 'U0PAT', displayName: 'Pat Person' };

export const COLUMNS = ['worker', 'manager', 'otherManager', 'executive', 'coe', 'self'] as const;
export type Column = (typeof COLUMNS)[number];
export const ANYONE: readonly Column[] = COLUMNS;

/** Who tries in each column: Warehouse's worker and manager, Night Shift's manager, an executive, a CoE member, Pat. */
const CAST: Record<Column, PersonRef> = {
  worker: wanda,
  manager: mona,
  otherManager: max,
  executive: eve,
  coe: carl,
  self: pat,
};
const HEADINGS: Record<Exclude<Column, 'self'>, string> = {
  worker: 'worker',
  manager: 'manager of this team (Warehouse)',
  otherManager: 'manager of another team (Night Shift)',
  executive: 'executive',
  coe: 'CoE member',
};

/** The refusal a worker gets for what only managers, executives and the CoE raise: where to go instead. */
export const FRICTION_INSTEAD =
  /^Change requests come from managers, executives and the CoE\. Tell the CoE .+ \{\{friction\}\}/;

export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`no ${what}`);
  return value;
}

export const frictionForm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'tool_friction',
  title: 'Scanner dies after 30 minutes',
  description: 'The scanner switches off mid-shift.',
  team: 'Warehouse',
  tool: 'Inventory scanner',
  frequency: 'daily',
  impact: 'high',
  ...over,
});

export const changeForm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'workflow',
  sop: 'inventory-scanning',
  title: 'Charge scanners at every break',
  change: 'Scanners go on the charger at every break.',
  why: 'Scanners die after 30 minutes and the count is lost.',
  friction: '',
  risk: 'low',
  improvement: 'clarify',
  ...over,
});

/**
 * One organisation: Olga (CoE, none of the columns) sets the scene; Warehouse (Wanda, Pat, Mona managing; a Slack and
 * a Teams channel) and Night Shift (Max managing); Eve an executive, Carl in the CoE; review channels on both
 * platforms, and the standard SOP-inventory-scanning registered at v1.0.
 */
export class World {
  // Monday 3 March 2025, 09:00 UTC: working hours, so nothing waits for tomorrow.
  readonly clock = new ManualClock('2025-03-03T09:00:00.000Z');
  readonly store = new MemoryStore(this.clock);
  readonly services = buildServices(this.store, this.clock);
  readonly admin = olga;
  /** Everyone who tries, one per column. */
  readonly cast: readonly PersonRef[] = Object.values(CAST);
  private keys = 0;

  key(): string {
    return `permission-${++this.keys}`;
  }

  request(actor: PersonRef): { actor: PersonRef; key: string } {
    return { actor, key: this.key() };
  }

  /** A `/coe` command (Slack) or the same words said to the bot (Teams), as both platforms hand it over. */
  coe(
    actor: PersonRef,
    text: string,
    options: { mentions?: PersonRef[]; channelId?: string; context?: CommandContext } = {},
  ): Promise<Message> {
    const command = parseCoeCommand(text, options.mentions, { today: this.clock.now(), ...options.context });
    const channel = options.channelId ? { channelId: options.channelId } : {};
    return this.services.commands.handle({ ...this.request(actor), ...channel }, command);
  }

  repos<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.store.transaction(work);
  }

  idOf(ref: PersonRef): number {
    return must(this.store.personByIdentity(ref.platform, ref.externalId), ref.externalId).id;
  }

  async setLayer(ref: PersonRef, layer: Layer): Promise<void> {
    await this.repos(async (repos) => repos.people.setLayer((await repos.people.identify(ref)).id, layer));
  }

  async teamId(name: string): Promise<number> {
    return must(await this.repos((repos) => repos.teams.byName(name)), `team ${name}`).id;
  }

  /** A friction report; its number. */
  async report(actor: PersonRef = wanda, over: Record<string, unknown> = {}): Promise<number> {
    const result = await this.services.friction.submit(this.request(actor), frictionForm(over));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.number;
  }

  /** A change request; its number. */
  async raise(actor: PersonRef, over: Record<string, unknown> = {}): Promise<number> {
    const result = await this.services.changes.submit(this.request(actor), changeForm(over));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.number;
  }

  /** A change request Mona raised and Olga approved, waiting for a release. */
  async approved(over: Record<string, unknown> = {}): Promise<number> {
    const number = await this.raise(mona, over);
    await this.services.changes.decide(this.request(this.admin), 'approve', `CR-${number}`);
    return number;
  }

  /** Olga publishes these change requests to every team; the release's id. */
  async publish(changes: readonly number[]): Promise<number> {
    const result = await this.services.releases.publish(this.request(this.admin), {
      changes: changes.map((n) => `CR-${n}`),
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return must(this.store.releases.at(-1), 'release').id;
  }
}

export async function world(selfLayer: Layer): Promise<World> {
  const w = new World();
  await w.services.admin.bootstrapCoeMembers([olga, carl]);
  await w.setLayer(mona, 'manager');
  await w.setLayer(max, 'manager');
  await w.setLayer(eve, 'executive');
  await w.setLayer(wanda, 'worker');
  await w.setLayer(pat, selfLayer);
  await w.repos(async (repos) => {
    await repos.reviewChannels.set('slack', SLACK_REVIEW);
    await repos.reviewChannels.set('teams', TEAMS_REVIEW);
    await repos.teams.add('Warehouse');
    await repos.teams.add('Night Shift');
    const warehouse = must(await repos.teams.byName('Warehouse'), 'Warehouse');
    const night = must(await repos.teams.byName('Night Shift'), 'Night Shift');
    await repos.teams.addChannel(warehouse.id, 'slack', WAREHOUSE_SLACK);
    await repos.teams.addChannel(warehouse.id, 'teams', WAREHOUSE_TEAMS);
    await repos.teams.addChannel(night.id, 'slack', NIGHT_SLACK);
    for (const ref of [wanda, pat, mona]) {
      await repos.teams.setMember(warehouse.id, (await repos.people.identify(ref)).id, ref === mona);
    }
    await repos.teams.setMember(night.id, (await repos.people.identify(max)).id, true);
  });
  await w.coe(olga, 'sop new inventory-scanning Inventory scanning');
  return w;
}

/** Every button of the core's messages (Slack and Teams use these ids as they are). */
type ButtonId =
  | (typeof FRICTION_ACTIONS)[keyof typeof FRICTION_ACTIONS]
  | (typeof CHANGE_ACTIONS)[keyof typeof CHANGE_ACTIONS]
  | (typeof RELEASE_ACTIONS)[keyof typeof RELEASE_ACTIONS]
  | (typeof TRAINING_ACTIONS)[keyof typeof TRAINING_ACTIONS]
  | (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS]
  | (typeof NUDGE_ACTIONS)[keyof typeof NUDGE_ACTIONS]
  | (typeof HELP_ACTIONS)[keyof typeof HELP_ACTIONS]
  | (typeof SOP_TEXT_ACTIONS)[keyof typeof SOP_TEXT_ACTIONS];
/** What is not a `/coe` command or a button: the commands and shortcuts that open a form, the forms, the App Home. */
type Surface =
  | '/friction'
  | 'friction form'
  | 'root cause form'
  | 'duplicate form'
  | 'decline form'
  | '/change-request'
  | 'change form'
  | 'revised change form'
  | 'request changes form'
  | 'reject form'
  | 'release form'
  | 'training form'
  | 'audit plan form'
  | 'audit results form'
  | 'audit change form'
  | 'sop form'
  | 'change form with a proposed text'
  | 'revised change form with a proposed text'
  | 'release form writing the next text'
  | 'App Home';
export type Entry = CoeCommand['kind'] | ButtonId | Surface;
export type TableFile = 'permissions' | 'permissions-admin' | 'permissions-lifecycle' | 'permissions-sop';

/** Which file's table has the row for each way in. A new command or button fails the typecheck until it is placed. */
const ENTRIES: Record<Entry, TableFile> = {
  '/friction': 'permissions',
  'friction form': 'permissions',
  'friction.plus_one_instead': 'permissions',
  'friction.triage': 'permissions',
  'friction.root_cause': 'permissions',
  'friction.duplicate': 'permissions',
  'friction.decline': 'permissions',
  'root cause form': 'permissions',
  'duplicate form': 'permissions',
  'decline form': 'permissions',
  status: 'permissions',
  myReports: 'permissions',
  'App Home': 'permissions',
  triageQueue: 'permissions',
  '/change-request': 'permissions',
  'change form': 'permissions',
  'change.approve': 'permissions',
  'change.request_changes': 'permissions',
  'change.reject': 'permissions',
  'request changes form': 'permissions',
  'reject form': 'permissions',
  'change.revise': 'permissions',
  'revised change form': 'permissions',
  withdraw: 'permissions',
  release: 'permissions',
  'release form': 'permissions',
  'release.deployed': 'permissions',
  ai: 'permissions',
  trainingAssign: 'permissions-admin',
  'training form': 'permissions-admin',
  'training.complete': 'permissions-admin',
  'training.snooze': 'permissions-admin',
  trainingMine: 'permissions-admin',
  trainingStatus: 'permissions-admin',
  auditPlan: 'permissions-admin',
  'audit plan form': 'permissions-admin',
  'audit.record': 'permissions-admin',
  'audit results form': 'permissions-admin',
  auditList: 'permissions-admin',
  auditRun: 'permissions-admin',
  auditPause: 'permissions-lifecycle',
  auditResume: 'permissions-lifecycle',
  auditStop: 'permissions-lifecycle',
  auditChange: 'permissions-lifecycle',
  'audit change form': 'permissions-lifecycle',
  trainingCancel: 'permissions-lifecycle',
  trainingDue: 'permissions-lifecycle',
  sopRetire: 'permissions-lifecycle',
  constraintEnd: 'permissions-lifecycle',
  teamRename: 'permissions-lifecycle',
  teamArchive: 'permissions-lifecycle',
  teamMemberRemove: 'permissions-lifecycle',
  'nudge.snooze': 'permissions-admin',
  sopNew: 'permissions-admin',
  sopForm: 'permissions-sop',
  'sop form': 'permissions-sop',
  sopDiff: 'permissions-sop',
  sopFind: 'permissions-sop',
  'sop.share': 'permissions-sop',
  'sop.more': 'permissions-sop',
  'change form with a proposed text': 'permissions-sop',
  'revised change form with a proposed text': 'permissions-sop',
  'release form writing the next text': 'permissions-sop',
  sopShow: 'permissions-admin',
  sopList: 'permissions-admin',
  constraintAdd: 'permissions-admin',
  constraintList: 'permissions-admin',
  setupReviewChannel: 'permissions-admin',
  grantRole: 'permissions-admin',
  teamAdd: 'permissions-admin',
  teamChannel: 'permissions-admin',
  teamMember: 'permissions-admin',
  teamList: 'permissions-admin',
  jobs: 'permissions-admin',
  metrics: 'permissions-admin',
  help: 'permissions-admin',
  'help.more': 'permissions-admin',
  unknown: 'permissions-admin',
  invalid: 'permissions-admin',
};

export interface RowSpec<C> {
  /** The action as people meet it, in Slack and in Teams. */
  action: string;
  /** The commands, forms and buttons that reach it. */
  covers: readonly Entry[];
  /** Who Pat is in this row (the reporter, the requester, the owner…) and in which layer; no "self" column without. */
  self?: { is: string; layer: Layer };
  /** The columns the spec allows; every other column must be refused. */
  allowed: readonly Column[];
  /** What a refusal says; `refusals` for columns refused in other words. */
  refusal?: RegExp;
  refusals?: Partial<Record<Column, RegExp>>;
  /** Cells where the code disagrees with the spec: they are expected to fail (`it.fails`), and say why. */
  differs?: { columns: readonly Column[]; why: string };
  /** Puts in place the record the action is about; what it returns is handed to `call` and `done`. */
  setup?: (w: World) => Promise<C>;
  call: (w: World, actor: PersonRef, c: C) => Promise<unknown>;
  /** True once an allowed call took effect (false before). Without it the action is a read: it must change nothing. */
  done?: (w: World, actor: PersonRef, c: C) => boolean | Promise<boolean>;
  /** What a read shows (matched against its result as JSON). */
  shows?: RegExp;
}

interface Cell {
  call(actor: PersonRef): Promise<unknown>;
  done?: (actor: PersonRef) => boolean | Promise<boolean>;
}

export interface PermissionRow extends Omit<RowSpec<unknown>, 'setup' | 'call' | 'done'> {
  prepare(w: World): Promise<Cell>;
}

export function row<C = undefined>(spec: RowSpec<C>): PermissionRow {
  const { setup, call, done, ...rest } = spec;
  return {
    ...rest,
    async prepare(w) {
      const c = (setup ? await setup(w) : undefined) as C;
      return { call: (actor) => call(w, actor, c), ...(done ? { done: (actor: PersonRef) => done(w, actor, c) } : {}) };
    },
  };
}

/** A refusal in words a person can act on: a sentence, no code, no internals. */
function expectFriendly(text: string): void {
  expect(text).toMatch(/^[A-Z].{10,300}[.!?]$/s);
  expect(text).not.toMatch(/undefined|null|NaN|\[object|PERMISSION|[Ee]rror|\bat \w+ \(/);
}

/** One cell; `untouched` checks only that a refused call changed nothing (for cells where the code differs). */
async function runCell(r: PermissionRow, column: Column, untouched = false): Promise<void> {
  const w = await world(r.self?.layer ?? 'worker');
  const cell = await r.prepare(w);
  const actor = CAST[column];
  const before = w.store.snapshot();
  if (!r.allowed.includes(column)) {
    const attempt = cell.call(actor);
    await attempt.then(
      () => undefined,
      () => undefined,
    );
    expect(w.store.snapshot()).toEqual(before);
    if (untouched) return;
    const refusal = must(r.refusals?.[column] ?? r.refusal, `refusal for ${column} in "${r.action}"`);
    const error = await expectCoeError(attempt, 'PERMISSION.DENIED', refusal);
    expectFriendly(error.userMessage);
    return;
  }
  if (cell.done) {
    expect(await cell.done(actor)).toBe(false);
    await cell.call(actor);
    expect(await cell.done(actor)).toBe(true);
    expect(w.store.snapshot()).not.toEqual(before);
    return;
  }
  const result = await cell.call(actor);
  if (r.shows) expect(JSON.stringify(result)).toMatch(r.shows);
  expect(w.store.snapshot()).toEqual(before);
}

/**
 * One `describe` per row, one test per column: "worker → refused", "CoE member → allowed". A cell where the code
 * differs from the spec runs as `it.fails`, beside a test that it changes nothing all the same when it is a refusal.
 */
export function permissionTable(file: TableFile, rows: readonly PermissionRow[]): void {
  for (const r of rows) {
    describe(r.action, () => {
      for (const column of COLUMNS) {
        if (column === 'self' && !r.self) continue;
        const who = column === 'self' ? `${r.self?.is} (${r.self?.layer})` : HEADINGS[column];
        const allowed = r.allowed.includes(column);
        if (!r.differs?.columns.includes(column)) {
          it(`${who} → ${allowed ? 'allowed' : 'refused'}`, () => runCell(r, column));
          continue;
        }
        it.fails(`${who} → ${allowed ? 'allowed' : 'refused'} — the code differs: ${r.differs.why}`, () =>
          runCell(r, column));
        if (!allowed) it(`${who} → changes nothing, whatever it answers`, () => runCell(r, column, true));
      }
    });
  }

  it('has a row for every command, form and button of its part of the bot', () => {
    const buttons = [
      FRICTION_ACTIONS,
      CHANGE_ACTIONS,
      RELEASE_ACTIONS,
      TRAINING_ACTIONS,
      AUDIT_ACTIONS,
      NUDGE_ACTIONS,
      HELP_ACTIONS,
      SOP_TEXT_ACTIONS,
    ];
    const unplaced = buttons.flatMap((ids) => Object.values(ids)).filter((id) => !(id in ENTRIES));
    expect(unplaced).toEqual([]);
    const covered = new Set(rows.flatMap((r) => r.covers));
    const mine = Object.entries(ENTRIES).filter(([, f]) => f === file);
    expect(mine.map(([entry]) => entry).filter((entry) => !covered.has(entry as Entry))).toEqual([]);
    expect([...covered].filter((entry) => ENTRIES[entry] !== file)).toEqual([]);
  });
}
