/**
 * Friction intake and the CoE's triage (seed §4: "Managers surface patterns. CoE analyses…"), for both platforms.
 * Platforms hand in what a person typed or pressed; this service checks, stores, and queues every message that
 * follows (the review message and its thread, updates in place, the reporter's direct messages, pattern alerts).
 */
import { CoeError } from '../domain/errors.ts';
import {
  canDecide,
  type FrictionDecision,
  type FrictionStatus,
  frictionId,
  isOpen,
  LIMITS,
  movesWithChange,
  parseFrictionId,
  STATUS_LABELS,
} from '../domain/friction.ts';
import {
  checkDecline,
  type DeclineInput,
  declinedAnswer,
  declineNotice,
  declineThreadText,
} from '../domain/friction-decline.ts';
import {
  type FrictionView,
  parsePlusOneValue,
  reportListMessage,
  reviewMessage,
  statusChangeMessage,
  statusMessage,
} from '../domain/friction-messages.ts';
import { coeCommand, type Message, message } from '../domain/message.ts';
import { reportLine } from '../domain/notices.ts';
import { may, type Person, type PersonRef } from '../domain/people.ts';
import type { Clock, FrictionReport, Repositories, Store } from '../ports.ts';
import { passOnToExecutives, recordPassedOn } from './friction-decline.ts';
import { FrictionIntake, type FrictionRequest, type FrictionSettings, type SubmitResult } from './friction-intake.ts';
import { type Notices, onceWithNotices } from './notices.ts';
import { replyInThread, updateReview } from './review-thread.ts';

export type { FrictionRequest, FrictionSettings, SubmitResult };

/** Where a report goes when its change request moves: approved → in change, released → resolved. */
type FollowTo = 'in_change' | 'resolved';

/**
 * What a decision needs beyond the button: filled in a form for everything but triage. A decline takes its lane,
 * a note to the reporter (`reason`) and the standard that covers it (src/domain/friction-decline.ts).
 */
export interface DecisionInput extends DeclineInput {
  duplicateOf?: string;
  rootCause?: string;
}

export class FrictionService {
  private readonly intake: FrictionIntake;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    settings: FrictionSettings,
    newToken: () => string,
  ) {
    this.intake = new FrictionIntake(store, clock, settings, newToken);
  }

  /** What the form offers: the organisation's teams, and this person's usual team. Creates nobody. */
  formDefaults(actor: PersonRef): Promise<{ teams: string[]; team?: string }> {
    return this.intake.formDefaults(actor);
  }

  /**
   * Stores a report, or says what to fix in the form. The same submission twice (a retry, a double click) finds the
   * first report. An anonymous report is stored with no trace of who sent it.
   */
  submit(request: FrictionRequest, raw: Record<string, unknown>): Promise<SubmitResult> {
    return this.intake.submit(request, raw);
  }

  /** "+1 FR-4 instead": the report just made becomes a +1 on the similar one. */
  async plusOneInstead(request: FrictionRequest, value: string): Promise<Message> {
    const parsed = parsePlusOneValue(value);
    if (!parsed) throw new CoeError('INPUT.INVALID', 'That button is out of date. Your report was kept as it was.');
    const outcome = await onceWithNotices(this.store, request.key, async (repos, notices) => {
      const from = await repos.friction.getForUpdate(parsed.from);
      const to = await repos.friction.getForUpdate(parsed.to);
      if (!from || !to || from.number === to.number || from.claimToken !== parsed.token) {
        throw new CoeError('INPUT.INVALID', 'That button is out of date. Your report was kept as it was.');
      }
      if (from.status === 'duplicate' && from.duplicateOf === to.number) return to;
      if (from.status !== 'new') {
        throw new CoeError(
          'INPUT.INVALID',
          `${frictionId(from.number)} is already being handled by the CoE, so it stays as it is.`,
        );
      }
      if (!isOpen(to.status)) {
        throw new CoeError(
          'INPUT.INVALID',
          `${frictionId(to.number)} is ${STATUS_LABELS[to.status].toLowerCase()} now; your report stays open.`,
        );
      }
      await this.merge(repos, notices, from, to, null, 'withdrawn by its reporter in favour of a similar report');
      return to;
    });
    if (outcome.duplicate) return message('Already done.');
    return message(`Thanks: your +1 is on ${frictionId(outcome.value.number)}, and your report was folded into it.`);
  }

  /** Refuses early (before a form opens) when the person may not decide on reports. */
  async ensureMayDecide(actor: PersonRef): Promise<void> {
    await this.store.transaction(async (repos) => {
      await this.decider(repos, actor);
    });
  }

  /** Checks what a decision's form asks for; errors are keyed by the input's name. */
  async checkDecisionInput(
    decision: FrictionDecision,
    number: number,
    input: DecisionInput,
  ): Promise<Partial<Record<keyof DecisionInput, string>>> {
    return this.decisionInputProblems(decision, number, input, (read) => this.store.transaction(read));
  }

  /**
   * `checkDecisionInput`, reading what it checks against (a duplicate's target, a standard) through `read`: inside a
   * decision that is the decision's own transaction (a second transaction opened inside it would wait forever on the
   * embedded database's one connection).
   */
  private async decisionInputProblems(
    decision: FrictionDecision,
    number: number,
    input: DecisionInput,
    read: <T>(work: (repos: Repositories) => Promise<T>) => Promise<T>,
  ): Promise<Partial<Record<keyof DecisionInput, string>>> {
    if (decision === 'decline') {
      const checked = checkDecline(input);
      if (!checked.ok) return checked.errors;
      const key = checked.value.standard;
      // Only a registered standard, so that the reporter's `sop show` finds it.
      if (key && !(await read((repos) => repos.sops.get(key)))) {
        return { standard: `There is no standard SOP-${key}. Check its key, or leave this empty.` };
      }
    }
    if (decision === 'rootCause') {
      const text = input.rootCause?.trim() ?? '';
      if (!text) return { rootCause: 'Please describe the root cause.' };
      if (text.length > LIMITS.rootCause) return { rootCause: `Keep it under ${LIMITS.rootCause} characters.` };
    }
    if (decision === 'duplicate') {
      const of = parseFrictionId(input.duplicateOf ?? '');
      if (of === undefined) return { duplicateOf: 'Give the id of the report it duplicates, like FR-4.' };
      if (of === number) return { duplicateOf: 'A report cannot duplicate itself.' };
      const target = await read((repos) => repos.friction.get(of));
      if (!target) return { duplicateOf: `There is no ${frictionId(of)}.` };
      if (target.status === 'duplicate') {
        return {
          duplicateOf: `${frictionId(of)} is itself a duplicate of ${frictionId(target.duplicateOf ?? 0)}; use that one.`,
        };
      }
    }
    return {};
  }

  /** A CoE decision from a review message: triage, root cause, duplicate or decline. */
  async decide(
    request: FrictionRequest,
    decision: FrictionDecision,
    number: number,
    input: DecisionInput = {},
  ): Promise<Message> {
    const outcome = await onceWithNotices(this.store, request.key, async (repos, notices) => {
      const actor = await this.decider(repos, request.actor);
      const errors = await this.decisionInputProblems(decision, number, input, (work) => work(repos));
      const problem = Object.values(errors)[0];
      if (problem) throw new CoeError('INPUT.INVALID', problem);
      const report = await repos.friction.getForUpdate(number);
      if (!report) throw new CoeError('NOT_FOUND', `There is no ${frictionId(number)}.`);
      if (!canDecide(decision, report.status)) {
        throw new CoeError(
          'INPUT.INVALID',
          `${frictionId(number)} is ${STATUS_LABELS[report.status].toLowerCase()} now, so that no longer applies.`,
        );
      }
      const who = actor.displayName ?? 'A CoE member';
      switch (decision) {
        case 'triage': {
          const next = await repos.friction.update(number, { ...this.moved('triaged'), ownerPersonId: actor.id });
          await this.changed(repos, notices, actor, report, next, `${who} triaged it and took ownership.`);
          return `You own ${frictionId(number)} now.`;
        }
        case 'rootCause': {
          const rootCause = (input.rootCause ?? '').trim();
          const next = await repos.friction.update(number, { ...this.moved('analysing'), rootCause });
          await this.changed(repos, notices, actor, report, next, `${who} recorded the root cause: ${rootCause}`);
          return `Root cause recorded on ${frictionId(number)}.`;
        }
        case 'decline': {
          const checked = checkDecline(input);
          // Checked above, with the rest of the form; this only tells the types.
          if (!checked.ok) throw new CoeError('INPUT.INVALID', 'Please choose where this report belongs.');
          const decline = checked.value;
          const next = await repos.friction.update(number, {
            ...this.moved('declined'),
            declineLane: decline.lane,
            declineReason: decline.note,
            declineStandard: decline.standard,
          });
          const told = decline.lane === 'executive_call' ? await passOnToExecutives(notices, repos, next, decline) : 0;
          await this.changed(repos, notices, actor, report, next, declineThreadText(who, decline), {
            ...(decline.note ? { reason: decline.note } : {}),
            data: { lane: decline.lane, ...(decline.standard ? { standard: decline.standard } : {}) },
            // The reporter learns where to go instead, not who decided.
            notice: declineNotice(next, decline, told > 0),
          });
          await recordPassedOn(repos, number, actor.id, told);
          return declinedAnswer(number, decline, told);
        }
        case 'duplicate': {
          const of = parseFrictionId(input.duplicateOf ?? '') as number;
          const target = await repos.friction.getForUpdate(of);
          if (!target) throw new CoeError('NOT_FOUND', `There is no ${frictionId(of)}.`);
          await this.merge(repos, notices, report, target, actor, `${who} marked it a duplicate of ${frictionId(of)}.`);
          return `${frictionId(number)} merged into ${frictionId(of)}.`;
        }
      }
    });
    return message(outcome.duplicate ? 'Already done.' : outcome.value);
  }

  /**
   * Moves the reports linked to a change request along with it (DOMAIN.md): approved → in change, released →
   * resolved; their reporters and supporters are told, through the caller's `notices`. Runs in the caller's transaction.
   */
  async followChange(repos: Repositories, notices: Notices, numbers: readonly number[], to: FollowTo, why: string) {
    for (const number of numbers) {
      const report = await repos.friction.getForUpdate(number);
      if (!report || !movesWithChange(report.status, to)) continue;
      const next = await repos.friction.update(number, this.moved(to));
      await this.changed(repos, notices, null, report, next, why);
    }
  }

  /** `/coe status FR-12`: anyone may look. */
  async status(text: string): Promise<Message> {
    const number = parseFrictionId(text);
    if (number === undefined)
      throw new CoeError('INPUT.INVALID', `Give a report id, like ${coeCommand('status FR-12')}.`);
    return this.store.transaction(async (repos) => {
      const report = await repos.friction.get(number);
      if (!report) throw new CoeError('NOT_FOUND', `There is no ${frictionId(number)}.`);
      return statusMessage(await this.view(repos, report));
    });
  }

  /** The person's own reports (anonymous ones cannot be listed: nothing ties them to anybody). */
  async myReports(actor: PersonRef): Promise<Message> {
    return this.store.transaction(async (repos) => {
      const person = await repos.people.find(actor);
      const reports = person ? await repos.friction.byReporter(person.id, 20) : [];
      return reportListMessage(
        'My reports',
        await Promise.all(reports.map((r) => this.view(repos, r))),
        'You have not reported anything yet (anonymous reports are not listed here: follow them by their id).',
      );
    });
  }

  /** Open reports, oldest first: the CoE's work list. */
  async triageQueue(actor: PersonRef): Promise<Message> {
    return this.store.transaction(async (repos) => {
      const person = await repos.people.find(actor);
      if (!person || !may(person.layer, 'seeTriageQueue')) {
        throw new CoeError('PERMISSION.DENIED', 'Only CoE members see the triage queue.');
      }
      const reports = await repos.friction.open({ limit: 20 });
      return reportListMessage(
        'Triage queue',
        await Promise.all(reports.map((r) => this.view(repos, r))),
        'Nothing waiting. Well done.',
      );
    });
  }

  /** Whether this person sees the triage queue (App Home, `my reports`). */
  async isCoe(actor: PersonRef): Promise<boolean> {
    const person = await this.store.transaction((repos) => repos.people.find(actor));
    return person !== undefined && may(person.layer, 'seeTriageQueue');
  }

  /** Folds `from` into `to`: its +1s, its reporter and its supporters roll up (DOMAIN.md). */
  private async merge(
    repos: Repositories,
    notices: Notices,
    from: FrictionReport,
    to: FrictionReport,
    actor: Person | null,
    why: string,
  ) {
    const merged = await repos.friction.update(from.number, { ...this.moved('duplicate'), duplicateOf: to.number });
    const grown = await repos.friction.update(to.number, { plusOnes: to.plusOnes + from.plusOnes + 1 });
    const people = [from.reporterPersonId, ...(await repos.friction.supporters(from.number))];
    for (const personId of people) if (personId !== null) await repos.friction.addSupporter(to.number, personId);
    await this.changed(repos, notices, actor, from, merged, why);
    await repos.events.record({
      actorPersonId: actor?.id ?? null,
      subject: frictionId(to.number),
      action: 'friction.merged-in',
      data: { from: from.number, plusOnes: grown.plusOnes },
    });
    await this.refreshReview(repos, grown);
  }

  /** Records a state change and tells everyone concerned: review thread, message in place, reporter, supporters. */
  private async changed(
    repos: Repositories,
    notices: Notices,
    actor: Person | null,
    before: FrictionReport,
    after: FrictionReport,
    what: string,
    extra: { reason?: string; data?: Record<string, unknown>; notice?: Message } = {},
  ) {
    const id = frictionId(after.number);
    await repos.events.record({
      actorPersonId: actor?.id ?? null,
      subject: id,
      action: `friction.${after.status}`,
      from: before.status,
      to: after.status,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.data ? { data: extra.data } : {}),
    });
    const view = await this.refreshReview(repos, after);
    await replyInThread(repos, id, after.version, message(what));
    if (before.status === after.status) return;
    const told = new Set<number>();
    for (const personId of [after.reporterPersonId, ...(await repos.friction.supporters(after.number))]) {
      if (personId === null || told.has(personId) || personId === actor?.id) continue;
      told.add(personId);
      const body = extra.notice ?? statusChangeMessage(view, what);
      const line = reportLine(after, personId === after.reporterPersonId ? 'reporter' : 'supporter');
      await notices.tell(personId, `${id}:v${after.version}:dm:${personId}`, { body, line });
    }
  }

  /** Queues the review message's new content on every platform it was posted to. */
  private async refreshReview(repos: Repositories, report: FrictionReport): Promise<FrictionView> {
    const view = await this.view(repos, report);
    await updateReview(repos, frictionId(report.number), report.version, reviewMessage(view));
    return view;
  }

  /** A new status, stamped with this service's clock (stale reports are found by it). */
  private moved(status: FrictionStatus): { status: FrictionStatus; statusChangedAt: Date } {
    return { status, statusChangedAt: this.clock.now() };
  }

  private async decider(repos: Repositories, ref: PersonRef): Promise<Person> {
    const person = await repos.people.find(ref);
    if (!person || !may(person.layer, 'decideFriction')) {
      throw new CoeError(
        'PERMISSION.DENIED',
        'Only CoE members can triage, merge, decline or record root causes. Nothing was changed.',
      );
    }
    return person;
  }

  private async view(repos: Repositories, report: FrictionReport): Promise<FrictionView> {
    const nameOf = async (id: number | null) =>
      id === null ? null : ((await repos.people.get(id))?.displayName ?? null);
    return {
      ...report,
      anonymous: report.reporterPersonId === null,
      reporterName: await nameOf(report.reporterPersonId),
      ownerName: await nameOf(report.ownerPersonId),
    };
  }
}
