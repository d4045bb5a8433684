/**
 * The rest of an audit plan's life (issue 12), for both platforms: `audit pause AUD-2` keeps its job from firing,
 * `audit resume AUD-2` lets it fire again on its schedule (the fires missed meanwhile are not caught up), `audit stop
 * AUD-2` ends it for good with its history kept, and `audit change AUD-2` opens its form pre-filled (schedule,
 * checklist, acceptable variance, owner; the standard stays). CoE members only, as planning is (DOMAIN.md). Each
 * change is an event, its owner is told through the outbox, and the scheduler is asked to follow.
 */
import {
  type AuditPlanErrors,
  type AuditPlanState,
  auditId,
  parseAuditId,
  validateAuditPlan,
} from '../domain/audit.ts';
import { CoeError } from '../domain/errors.ts';
import {
  type AuditPlanSummary,
  auditChangedConfirmation,
  auditChangedNotice,
  auditStateConfirmation,
  auditStateNotice,
  auditStateUnchanged,
  auditStoppedRefusal,
  auditUnchanged,
} from '../domain/lifecycle-messages.ts';
import { coeCommand, type Message, message } from '../domain/message.ts';
import { may, type Person, type PersonRef } from '../domain/people.ts';
import { storedVersion } from '../domain/sop.ts';
import type { AuditPlan, AuditPlanChanges, Clock, Repositories, Store } from '../ports.ts';
import type { AuditFormOptions, PlanResult, ScheduleRules } from './audit.ts';
import type { CoeRequest } from './coe-admin.ts';
import { tellPerson } from './review-thread.ts';

/** What `audit change` opens: the plan's form, filled with the plan as it stands. */
export interface AuditChangeForm {
  plan: { number: number; sopKey: string; sopTitle: string };
  /** The owners to pick from (the current owner among them) and the plan's standard. */
  options: AuditFormOptions;
  /** As the form's inputs hold them: text, the owner as a person id. */
  values: { schedule: string; checklist: string; variance: string; owner: string };
  /** Where the owner is known on each platform (Slack's user picker starts on them). */
  owner: PersonRef[];
}

/** Rolls back a change whose form does not check out, carrying what to fix (the interaction stays unprocessed). */
class FormProblems extends Error {
  constructor(readonly errors: AuditPlanErrors) {
    super('the audit change form has errors');
  }
}

const REFUSAL = 'Only CoE members pause, resume, change or stop audits. Nothing was changed.';

const summary = (plan: AuditPlan): AuditPlanSummary => ({
  number: plan.number,
  sopKey: plan.sopKey,
  version: storedVersion(plan.sopMajor, plan.sopMinor),
  schedule: plan.schedule,
  items: plan.checklist.length,
  acceptableVariance: plan.acceptableVariance,
});

export class AuditLifecycleService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly rules: ScheduleRules,
    /** Told when plans change, so the scheduler follows at once. */
    private readonly onPlansChanged: () => void = () => {},
  ) {}

  /** `audit pause AUD-2`: its job stops firing until it is resumed. */
  pause(request: CoeRequest, id: string): Promise<Message> {
    return this.setState(request, id, 'paused');
  }

  /** `audit resume AUD-2`: it fires again on its schedule, from now on. */
  resume(request: CoeRequest, id: string): Promise<Message> {
    return this.setState(request, id, 'active');
  }

  /** `audit stop AUD-2`: for good; its job is removed, its runs stay in the standard's history. */
  stop(request: CoeRequest, id: string): Promise<Message> {
    return this.setState(request, id, 'stopped');
  }

  /**
   * Stops a plan inside another decision's transaction (a standard retired): recorded and told like `audit stop`.
   * The caller asks the scheduler to follow (`plansChanged`) once its transaction is done.
   */
  async stopWithin(repos: Repositories, actor: Person, plan: AuditPlan, key: string, reason: string): Promise<void> {
    await this.apply(repos, actor, plan, 'stopped', key, reason);
  }

  plansChanged(): void {
    this.onPlansChanged();
  }

  /** What `audit change AUD-2` opens: refused for others, for an unknown plan and for a stopped one. */
  async changeForm(actor: PersonRef, id: string): Promise<AuditChangeForm> {
    const number = this.number(id);
    return this.store.transaction(async (repos) => {
      await this.planner(repos, actor);
      const plan = await this.existing(repos, number, false);
      if (plan.state === 'stopped') throw new CoeError('INPUT.INVALID', auditStoppedRefusal(number));
      const sop = await repos.sops.get(plan.sopKey);
      const people = await repos.people.withLayers(['coe', 'manager']);
      const owners = people.map((p) => ({ id: p.id, name: p.displayName ?? `person ${p.id}` }));
      if (!owners.some((o) => o.id === plan.ownerPersonId)) {
        const owner = await repos.people.get(plan.ownerPersonId);
        owners.unshift({ id: plan.ownerPersonId, name: owner?.displayName ?? `person ${plan.ownerPersonId}` });
      }
      const sopTitle = sop?.title ?? plan.sopKey;
      return {
        plan: { number, sopKey: plan.sopKey, sopTitle },
        options: { sops: [{ key: plan.sopKey, title: sopTitle }], owners },
        values: {
          schedule: plan.schedule,
          checklist: plan.checklist.join('\n'),
          variance: String(plan.acceptableVariance),
          owner: String(plan.ownerPersonId),
        },
        owner: await repos.people.identitiesOf(plan.ownerPersonId),
      };
    });
  }

  /**
   * The changed form: the plan takes its new schedule, checklist, variance and owner (none given: the owner stays).
   * A new schedule runs from now on; what is wrong goes back under the form's inputs and changes nothing.
   */
  async change(
    request: CoeRequest,
    id: string,
    raw: Record<string, unknown>,
    owner?: PersonRef | { id: number },
  ): Promise<PlanResult> {
    const number = this.number(id);
    let changed = false;
    try {
      const outcome = await this.store.once(request.key, async (repos) => {
        const actor = await this.planner(repos, request.actor);
        const plan = await this.existing(repos, number, true);
        if (plan.state === 'stopped') throw new CoeError('INPUT.INVALID', auditStoppedRefusal(number));
        const checked = validateAuditPlan(
          { ...raw, sop: plan.sopKey },
          { sops: [plan.sopKey], validSchedule: (e) => this.rules.isValid(e) },
        );
        if (!checked.ok) throw new FormProblems(checked.errors);
        let ownerPersonId = plan.ownerPersonId;
        if (owner && 'id' in owner) {
          if (!(await repos.people.get(owner.id))) throw new FormProblems({ owner: 'Pick the owner from the list.' });
          ownerPersonId = owner.id;
        } else if (owner) {
          ownerPersonId = (await repos.people.identify(owner)).id;
        }
        const next = checked.value;
        const changes: AuditPlanChanges = {};
        if (next.schedule !== plan.schedule) changes.schedule = next.schedule;
        if (JSON.stringify(next.checklist) !== JSON.stringify(plan.checklist)) changes.checklist = next.checklist;
        if (next.acceptableVariance !== plan.acceptableVariance) changes.acceptableVariance = next.acceptableVariance;
        if (ownerPersonId !== plan.ownerPersonId) changes.ownerPersonId = ownerPersonId;
        const fields = Object.keys(changes);
        if (fields.length === 0) return auditUnchanged(summary(plan));
        // Fires of the old schedule missed while the bot was down are not caught up on the new one.
        if (changes.schedule) changes.runsFrom = this.clock.now();
        const after = await repos.audits.updatePlan(number, changes);
        await repos.events.record({
          actorPersonId: actor.id,
          subject: auditId(number),
          action: 'audit.changed',
          ...(changes.schedule ? { from: plan.schedule, to: after.schedule } : {}),
          data: { changed: fields },
        });
        const told = `${auditId(number)}:changed:${request.key}`;
        if (after.ownerPersonId !== actor.id) {
          const role = after.ownerPersonId === plan.ownerPersonId ? 'owner' : 'newOwner';
          await tellPerson(repos, after.ownerPersonId, `${told}:owner`, auditChangedNotice(summary(after), role));
        }
        if (after.ownerPersonId !== plan.ownerPersonId && plan.ownerPersonId !== actor.id) {
          await tellPerson(
            repos,
            plan.ownerPersonId,
            `${told}:former`,
            auditChangedNotice(summary(after), 'formerOwner'),
          );
        }
        changed = true;
        return auditChangedConfirmation(summary(after), after.state, this.next(after));
      });
      if (changed) this.onPlansChanged();
      if (!outcome.duplicate) return { ok: true, confirmation: outcome.value };
      // The same submission again (a retry, a double click): the plan as the first one left it.
      const plan = await this.store.read((repos) => repos.audits.plan(number));
      return { ok: true, confirmation: plan ? auditChangedConfirmation(summary(plan), plan.state) : message('Done.') };
    } catch (error) {
      if (error instanceof FormProblems) return { ok: false, errors: error.errors };
      throw error;
    }
  }

  private async setState(request: CoeRequest, id: string, wanted: AuditPlanState): Promise<Message> {
    const number = this.number(id);
    let changed = false;
    const outcome = await this.store.once(request.key, async (repos) => {
      const actor = await this.planner(repos, request.actor);
      const plan = await this.existing(repos, number, true);
      // Idempotent: a repeat says where the plan stands and changes nothing; a stopped plan stays stopped.
      if (plan.state === wanted || plan.state === 'stopped')
        return auditStateUnchanged(summary(plan), plan.state, wanted);
      const after = await this.apply(repos, actor, plan, wanted, request.key);
      changed = true;
      return auditStateConfirmation(summary(after), wanted, wanted === 'active' ? this.next(after) : undefined);
    });
    if (changed) this.onPlansChanged();
    return outcome.duplicate ? message('Already done.') : outcome.value;
  }

  /** The state change itself: stored, recorded, and told to the owner when someone else decided it. */
  private async apply(
    repos: Repositories,
    actor: Person,
    plan: AuditPlan,
    state: AuditPlanState,
    key: string,
    reason?: string,
  ): Promise<AuditPlan> {
    // Resumed: the fires that fell while it was paused are not caught up, it runs on its schedule from now on.
    const after = await repos.audits.updatePlan(plan.number, {
      state,
      ...(state === 'active' ? { runsFrom: this.clock.now() } : {}),
    });
    const action = { paused: 'audit.paused', active: 'audit.resumed', stopped: 'audit.stopped' }[state];
    await repos.events.record({
      actorPersonId: actor.id,
      subject: auditId(plan.number),
      action,
      from: plan.state,
      to: state,
      ...(reason ? { reason } : {}),
    });
    if (plan.ownerPersonId !== actor.id) {
      await tellPerson(
        repos,
        plan.ownerPersonId,
        `${auditId(plan.number)}:${state}:${key}`,
        auditStateNotice(summary(after), state),
      );
    }
    return after;
  }

  private next(plan: AuditPlan): Date | undefined {
    return plan.state === 'active' ? this.rules.next(plan.schedule) : undefined;
  }

  private number(id: string): number {
    const number = parseAuditId(id);
    if (number === undefined) throw new CoeError('INPUT.INVALID', 'Give an audit id, like AUD-2.');
    return number;
  }

  private async existing(repos: Repositories, number: number, forUpdate: boolean): Promise<AuditPlan> {
    const plan = forUpdate ? await repos.audits.planForUpdate(number) : await repos.audits.plan(number);
    if (!plan) {
      throw new CoeError(
        'NOT_FOUND',
        `There is no ${auditId(number)}. See the audit plans with ${coeCommand('audit list')}.`,
      );
    }
    return plan;
  }

  private async planner(repos: Repositories, actor: PersonRef): Promise<Person> {
    const person = await repos.people.find(actor);
    if (!person || !may(person.layer, 'planAudits')) throw new CoeError('PERMISSION.DENIED', REFUSAL);
    return person;
  }
}
