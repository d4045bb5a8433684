/**
 * Audits (seed §7), for both platforms: the CoE plans an audit of a standard (`AUD-<n>`: schedule, checklist,
 * acceptable variance, owner); each scheduled fire opens a run and sends its owner the checklist with a "Record
 * results" button; recorded results outside the acceptable variance open a redesign — a draft change request of the
 * standard, linked to the run, in the CoE's review channel.
 */
import {
  type AuditPlanErrors,
  assessAudit,
  auditId,
  parseAuditId,
  redesignDraft,
  validateAuditPlan,
  validateAuditResults,
} from '../domain/audit.ts';
import { CoeError } from '../domain/errors.ts';
import { AUDIT_STATE_LABELS, auditStoppedRefusal } from '../domain/lifecycle-messages.ts';
import { coeCommand, type Message, message } from '../domain/message.ts';
import { auditDuePart } from '../domain/notices.ts';
import { may, type PersonRef } from '../domain/people.ts';
import {
  type AuditedVersion,
  type AuditView,
  auditRecordedMessage,
  auditSection,
} from '../domain/schedule-messages.ts';
import { type SopVersion, standardName, storedVersion, versionText } from '../domain/sop.ts';
import type { AuditPlan, AuditRun, Clock, Repositories, Store } from '../ports.ts';
import type { ChangeService } from './change.ts';
import { withNotices } from './notices.ts';
import { currentVersion } from './standards.ts';
import { auditedVersion, teamName } from './works-to.ts';

/** What the scheduler knows about cron expressions, for the domain that does not parse them. */
export interface ScheduleRules {
  isValid(expression: string): boolean;
  /** The next fire after now, in the configured time zone. */
  next(expression: string): Date | undefined;
  /** Whether the expression fires at this moment; without it, each plan's fire stands alone. */
  firesAt?(expression: string, at: Date): boolean;
}

export interface AuditRequest {
  actor: PersonRef;
  key: string;
}

export type PlanResult = { ok: false; errors: AuditPlanErrors } | { ok: true; confirmation: Message };
export type RecordResult = { ok: false; errors: Record<string, string> } | { ok: true; outcome: Message };

export interface AuditFormOptions {
  sops: { key: string; title: string }[];
  /** People who may own an audit: the CoE and managers the bot knows. */
  owners: { id: number; name: string }[];
}

export class AuditService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly changes: ChangeService,
    private readonly rules: ScheduleRules,
    /** Told when plans change, so the scheduler picks new ones up at once. */
    private readonly onPlansChanged: () => void = () => {},
  ) {}

  /** What the plan form offers; with no standard registered there is nothing to audit yet, which is said kindly. */
  async formOptions(actor: PersonRef): Promise<AuditFormOptions> {
    return this.store.transaction(async (repos) => {
      await this.planner(repos, actor);
      const sops = (await repos.sops.list()).filter((s) => !s.retiredAt);
      if (sops.length === 0) {
        throw new CoeError(
          'SETUP.MISSING',
          `An audit checks a standard, and none is registered yet: register one first with ${coeCommand('sop new <key> <title>')}.`,
        );
      }
      const people = await repos.people.withLayers(['coe', 'manager']);
      return {
        sops: sops.map((s) => ({ key: s.key, title: s.title })),
        owners: people.map((p) => ({ id: p.id, name: p.displayName ?? `person ${p.id}` })),
      };
    });
  }

  /**
   * `audit plan`: stores AUD-<n>. The owner is a person named on the platform (Slack's user picker) or one of the
   * offered owners (`ownerId`); without either, whoever plans it owns it.
   */
  async plan(
    request: AuditRequest,
    raw: Record<string, unknown>,
    owner?: PersonRef | { id: number },
  ): Promise<PlanResult> {
    const result = await this.store.transaction(async (repos): Promise<PlanResult> => {
      const actor = await this.planner(repos, request.actor);
      const done = await repos.audits.planBySubmissionKey(request.key);
      if (done) return { ok: true, confirmation: this.confirmation(done) };
      const sops = (await repos.sops.list()).filter((s) => !s.retiredAt).map((s) => s.key);
      const checked = validateAuditPlan(raw, { sops, validSchedule: (e) => this.rules.isValid(e) });
      if (!checked.ok) return checked;
      let ownerId = actor.id;
      if (owner && 'id' in owner) {
        if (!(await repos.people.get(owner.id)))
          return { ok: false, errors: { owner: 'Pick the owner from the list.' } };
        ownerId = owner.id;
      } else if (owner) {
        ownerId = (await repos.people.identify(owner)).id;
      }
      // The plan is about the version current now: its messages name it (issue 11).
      const key = checked.value.sopKey;
      const version = currentVersion(await repos.sops.get(key), await repos.sops.releases(key));
      const plan = await repos.audits.createPlan({
        ...checked.value,
        sopMajor: version?.major ?? null,
        sopMinor: version?.minor ?? null,
        ownerPersonId: ownerId,
        createdByPersonId: actor.id,
        submissionKey: request.key,
        createdAt: this.clock.now(),
      });
      await repos.events.record({
        actorPersonId: actor.id,
        subject: auditId(plan.number),
        action: 'audit.planned',
        to: plan.schedule,
        data: { sop: plan.sopKey },
      });
      return { ok: true, confirmation: this.confirmation(plan) };
    });
    if (result.ok) this.onPlansChanged();
    return result;
  }

  /** Every active plan, for the scheduler: a job per plan. */
  async schedules(): Promise<{ number: number; schedule: string }[]> {
    const plans = await this.store.read((repos) => repos.audits.plans());
    return plans.map((p) => ({ number: p.number, schedule: p.schedule }));
  }

  /**
   * A scheduled fire (or `audit run`): opens the run due at `dueAt` — once, whatever replica or catch-up gets there
   * first — and sends its owner the checklist. The owner's other plans due at the same fire are opened with it, so
   * they get one message (issue 12: say less); those plans' own fires then find their runs open and send nothing.
   * `alone`: this plan only (`audit run`, which is not a scheduled fire).
   */
  async fire(planNumber: number, dueAt: Date, alone = false): Promise<string> {
    return this.store.transaction(async (repos) => {
      const plan = await repos.audits.plan(planNumber);
      if (!plan) return `${auditId(planNumber)} is not active`;
      if (plan.state !== 'active') return `${auditId(planNumber)} is ${plan.state}: no run`;
      // A fire from before it was resumed (or took its schedule), caught up late: not this plan's to run.
      if (plan.runsFrom && dueAt < plan.runsFrom) return `${auditId(planNumber)} was not running then: no run`;
      const plans = alone ? [plan] : await this.dueTogether(repos, plan, dueAt);
      return withNotices(repos, async (notices) => {
        let outcome = `${auditId(plan.number)} already has its run for ${dueAt.toISOString()}`;
        const others: string[] = [];
        // In plan order, so two fires of one moment wait on each other's runs rather than deadlock.
        for (const due of plans) {
          const run = await repos.audits.createRun(due.number, dueAt);
          if (!run) continue;
          await repos.events.record({
            actorPersonId: null,
            subject: auditId(due.number),
            action: 'audit.due',
            data: { run: run.id },
          });
          const key = `${auditId(due.number)}:run:${run.id}`;
          const told = await notices.tell(due.ownerPersonId, key, auditDuePart(view(due, run)));
          if (due.number !== plan.number) others.push(`${auditId(due.number)}'s run ${run.id}`);
          else outcome = told ? `run ${run.id} sent to its owner` : `run ${run.id} opened; the owner cannot be reached`;
        }
        return others.length > 0 ? `${outcome}, with ${others.join(', ')}` : outcome;
      });
    });
  }

  /** This plan and its owner's other running plans that fire at the same moment (and existed then), in plan order. */
  private async dueTogether(repos: Repositories, plan: AuditPlan, dueAt: Date): Promise<AuditPlan[]> {
    const firesAt = this.rules.firesAt?.bind(this.rules);
    if (!firesAt) return [plan];
    const together = (await repos.audits.plans()).filter(
      (p) =>
        p.number !== plan.number &&
        p.ownerPersonId === plan.ownerPersonId &&
        p.createdAt <= dueAt &&
        !(p.runsFrom && dueAt < p.runsFrom) &&
        firesAt(p.schedule, dueAt),
    );
    return [plan, ...together].sort((a, b) => a.number - b.number);
  }

  /** `audit run AUD-2`: a run now, for the CoE (a dry run of a new plan, an extra check). */
  async runNow(request: AuditRequest, id: string): Promise<Message> {
    const number = this.number(id);
    await this.store.transaction(async (repos) => {
      await this.planner(repos, request.actor);
      const plan = await repos.audits.plan(number);
      if (!plan) throw new CoeError('NOT_FOUND', `There is no ${auditId(number)}.`);
      if (plan.state !== 'active') throw new CoeError('INPUT.INVALID', notRunning(plan));
    });
    await this.fire(number, this.clock.now(), true);
    return message(`${auditId(number)}: a run is open, and its owner has the checklist.`);
  }

  /** What the results form shows for a run; only its plan's owner or a CoE member may record it, and only once. */
  async resultsForm(actor: PersonRef, runValue: string): Promise<AuditView> {
    return this.store.transaction(async (repos) => {
      const { plan, run } = await this.recordable(repos, actor, runValue);
      if (run.recordedAt) throw recordedAlready(plan, run.recordedAt);
      return view(plan, run);
    });
  }

  /** Records a run's results; outside the acceptable variance, a redesign is drafted for the CoE. */
  async record(request: AuditRequest, runValue: string, raw: Record<string, unknown>): Promise<RecordResult> {
    return this.store.transaction(async (repos): Promise<RecordResult> => {
      const { plan, run, person } = await this.recordable(repos, request.actor, runValue, true);
      const checked = validateAuditResults(raw, plan.checklist);
      if (run.recordedAt) {
        // The same results from the same person again (a retry, a double click): the first outcome, again.
        // Anything else would overwrite a record: refused.
        const repeat =
          checked.ok &&
          run.recordedByPersonId === person.id &&
          JSON.stringify(run.results) === JSON.stringify(checked.value);
        if (!repeat) throw recordedAlready(plan, run.recordedAt);
        const first = assessAudit(checked.value, plan.acceptableVariance);
        const then = { version: storedVersion(run.sopMajor, run.sopMinor), teamId: run.teamId };
        const against = await againstOf(repos, then);
        return {
          ok: true,
          outcome: auditRecordedMessage(view(plan, run), first, run.changeNumber ?? undefined, against),
        };
      }
      if (!checked.ok) return checked;
      const outcome = assessAudit(checked.value, plan.acceptableVariance);
      let changeNumber: number | undefined;
      if (outcome.breach) {
        const draft = redesignDraft(plan, run, checked.value);
        const change = await this.changes.draft(
          repos,
          `audit:${auditId(plan.number)}:run:${run.id}`,
          { ...draft, friction: [], constraint: null, aiRule: null },
          `audit ${auditId(plan.number)}, run ${run.id}`,
        );
        changeNumber = change.number;
      }
      // The version the audited team works to, as it stands when the results are in (issue 11).
      const audited = await auditedVersion(repos, plan);
      await repos.audits.record(run.id, {
        results: checked.value,
        maxVariance: outcome.maxVariance,
        breach: outcome.breach,
        changeNumber: changeNumber ?? null,
        recordedByPersonId: person.id,
        recordedAt: this.clock.now(),
        sopMajor: audited.version?.major ?? null,
        sopMinor: audited.version?.minor ?? null,
        teamId: audited.teamId,
      });
      await repos.events.record({
        actorPersonId: person.id,
        subject: auditId(plan.number),
        action: outcome.breach ? 'audit.breach' : 'audit.recorded',
        data: {
          run: run.id,
          maxVariance: outcome.maxVariance,
          ...(changeNumber ? { change: changeNumber } : {}),
          ...(audited.version ? { version: versionText(audited.version) } : {}),
        },
      });
      const against = await againstOf(repos, audited);
      return { ok: true, outcome: auditRecordedMessage(view(plan, run), outcome, changeNumber, against) };
    });
  }

  /** `audit list`: running plans first, then paused and stopped ones, each with its state. */
  async list(): Promise<Message> {
    const order = { active: 0, paused: 1, stopped: 2 };
    const all = await this.store.transaction((repos) => repos.audits.allPlans());
    const plans = all.sort((a, b) => order[a.state] - order[b.state] || a.number - b.number);
    if (plans.length === 0)
      return message(`No audits planned yet. CoE members plan them with ${coeCommand('audit plan')}.`);
    return message(
      `Audits: ${plans.map((p) => `${auditId(p.number)}${stateNote(p, ' ', true)}`).join(', ')}`,
      { type: 'heading', text: 'Audits' },
      {
        type: 'facts',
        facts: plans.slice(0, 40).map((p) => {
          const next = p.state === 'active' ? this.rules.next(p.schedule) : undefined;
          return {
            label: `${auditId(p.number)} · ${standardName(p.sopKey, storedVersion(p.sopMajor, p.sopMinor))}${stateNote(p, ' · ')}`,
            value: `${p.schedule}; ${p.checklist.length} items; acceptable ${p.acceptableVariance}%${next ? `; next ${next.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}`,
          };
        }),
      },
    );
  }

  /** The "Audits" section of `sop show`. */
  readonly sopSection = async (repos: Repositories, sopKey: string) => {
    const plans = [];
    for (const plan of await repos.audits.plans(sopKey))
      plans.push({ ...plan, runs: await repos.audits.runs(plan.number, 10) });
    return auditSection(plans);
  };

  private async recordable(repos: Repositories, actor: PersonRef, runValue: string, forUpdate = false) {
    const id = /^\d{1,9}$/.test(runValue.trim()) ? Number(runValue) : undefined;
    const run =
      id === undefined ? undefined : forUpdate ? await repos.audits.runForUpdate(id) : await repos.audits.run(id);
    const plan = run ? await repos.audits.plan(run.planNumber) : undefined;
    if (!run || !plan) throw new CoeError('INPUT.INVALID', 'That audit run is not known. Nothing was recorded.');
    const person = await repos.people.find(actor);
    if (!person || (person.id !== plan.ownerPersonId && !may(person.layer, 'planAudits'))) {
      throw new CoeError(
        'PERMISSION.DENIED',
        `Only the owner of ${auditId(plan.number)} or a CoE member records its results.`,
      );
    }
    return { plan, run, person };
  }

  private confirmation(plan: AuditPlan): Message {
    const next = this.rules.next(plan.schedule);
    return message(
      `Done: ${auditId(plan.number)} audits ${standardName(plan.sopKey, storedVersion(plan.sopMajor, plan.sopMinor))} on "${plan.schedule}" (${plan.checklist.length} items, acceptable variance ${plan.acceptableVariance}%)${next ? `; the first run is ${next.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}.`,
    );
  }

  private number(id: string): number {
    const number = parseAuditId(id);
    if (number === undefined) throw new CoeError('INPUT.INVALID', 'Give an audit id, like AUD-2.');
    return number;
  }

  private async planner(repos: Repositories, actor: PersonRef) {
    const person = await repos.people.find(actor);
    if (!person || !may(person.layer, 'planAudits')) {
      throw new CoeError('PERMISSION.DENIED', 'Only CoE members plan audits. Nothing was changed.');
    }
    return person;
  }
}

/** A plan's state where it is not the usual one (running): ` · paused`, ` (stopped)`. */
function stateNote(plan: AuditPlan, before: string, brackets = false): string {
  if (plan.state === 'active') return '';
  const label = AUDIT_STATE_LABELS[plan.state];
  return `${before}${brackets ? `(${label})` : label}`;
}

/** `audit run` on a plan that is not running. */
function notRunning(plan: AuditPlan): string {
  if (plan.state === 'stopped') return auditStoppedRefusal(plan.number);
  const id = auditId(plan.number);
  return `${id} is paused: resume it with ${coeCommand(`audit resume ${id}`)} first. Nothing was started.`;
}

function recordedAlready(plan: AuditPlan, at: Date): CoeError {
  return new CoeError(
    'INPUT.INVALID',
    `This run of ${auditId(plan.number)} was recorded already, on ${at.toISOString().slice(0, 10)}.`,
  );
}

/** What the recorded message says about the version audited, and whose it is. */
async function againstOf(
  repos: Repositories,
  audited: { version: SopVersion | undefined; teamId: number | null },
): Promise<AuditedVersion | undefined> {
  if (!audited.version) return undefined;
  const team = await teamName(repos, audited.teamId);
  return { version: audited.version, ...(team ? { team } : {}) };
}

function view(plan: AuditPlan, run: AuditRun): AuditView {
  const version = storedVersion(plan.sopMajor, plan.sopMinor);
  return {
    number: plan.number,
    sopKey: plan.sopKey,
    ...(version ? { version } : {}),
    checklist: plan.checklist,
    acceptableVariance: plan.acceptableVariance,
    runId: run.id,
    dueAt: run.dueAt,
  };
}
