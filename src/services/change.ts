/**
 * Change requests and their review (seed §8: every change goes through the CoE), for both platforms. Managers,
 * executives and the CoE raise them; CoE members other than the requester approve (a quorum of them), request
 * changes or reject, each with the decision in the review thread, the review message updated in place, and the
 * requester told. Approval moves the linked friction reports to "in change".
 */
import {
  afterApproval,
  CHANGE_LIMITS,
  CHANGE_STATUS_LABELS,
  type ChangeDecision,
  type ChangeFieldErrors,
  changeFormValues,
  changeId,
  isDecidable,
  isWithdrawable,
  parseChangeId,
} from '../domain/change.ts';
import {
  type ChangeView,
  changeReviewMessage,
  changeStatusMessage,
  frictionInstead,
} from '../domain/change-messages.ts';
import { CoeError } from '../domain/errors.ts';
import { type Message, message } from '../domain/message.ts';
import { may, type Person, type PersonRef } from '../domain/people.ts';
import type { ChangeContent, ChangeRequest, Clock, Repositories, Store } from '../ports.ts';
import {
  type ChangeFormOptions,
  type ChangeSubmitResult,
  changeFormOptions,
  changeSubmitted,
  checkChangeForm,
  existingChange,
} from './change-form.ts';
import { changeView, contentOf, recordChange } from './change-record.ts';
import { keepProposal } from './change-text.ts';
import type { FrictionService } from './friction.ts';
import { type Notices, onceWithNotices } from './notices.ts';
import { postReview } from './review-thread.ts';

export type { ChangeFormOptions, ChangeSubmitResult } from './change-form.ts';

export interface ChangeSettings {
  /** Distinct CoE approvals a change request needs. */
  quorum: number;
}

export interface ChangeRequestContext {
  actor: PersonRef;
  /** The inbound interaction's idempotency key. */
  key: string;
}

const DECISION_WORDS: Record<
  Exclude<ChangeDecision, 'approve'>,
  { status: 'changes_requested' | 'rejected'; verb: string }
> = {
  requestChanges: { status: 'changes_requested', verb: 'asked for changes' },
  reject: { status: 'rejected', verb: 'rejected it' },
};

export class ChangeService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: ChangeSettings,
    private readonly friction: FrictionService,
  ) {}

  /**
   * What the form offers, checked before it opens: a worker is pointed to `/friction` instead. `revise` opens it on
   * a request that was sent back for changes, for its requester only.
   */
  async formOptions(actor: PersonRef, revise?: string): Promise<ChangeFormOptions> {
    return this.store.transaction(async (repos) => {
      const person = await repos.people.find(actor);
      if (!person || !may(person.layer, 'raiseChange')) {
        throw new CoeError('PERMISSION.DENIED', frictionInstead().text);
      }
      const options = await changeFormOptions(repos, this.clock.now());
      if (revise === undefined) return options;
      const change = await this.revisable(repos, person, revise);
      const registered = options.sops.some((s) => s.key === change.sopKey);
      return {
        ...options,
        values: changeFormValues(
          {
            ...change,
            constraint: change.constraint ?? undefined,
            aiRule: change.aiRule ?? undefined,
            proposedText: (await repos.changeTexts.get(change.number))?.text,
          },
          registered,
        ),
      };
    });
  }

  /**
   * Stores a change request, or says what to fix in the form. The same submission twice finds the first request.
   * `revise` resubmits a request that was sent back for changes (its requester only).
   */
  async submit(
    request: ChangeRequestContext,
    raw: Record<string, unknown>,
    revise?: string,
  ): Promise<ChangeSubmitResult> {
    if (revise !== undefined) return this.resubmit(request, raw, revise);
    const run = async (repos: Repositories): Promise<ChangeSubmitResult> => {
      const person = await this.raiser(repos, request.actor);
      const existing = await repos.changes.bySubmissionKey(request.key);
      if (existing) return changeSubmitted(repos, existing);
      const checked = await checkChangeForm(repos, raw, this.clock.now());
      if (!checked.ok) return checked;
      const change = await repos.changes.create({
        ...contentOf(checked.value),
        status: 'submitted',
        requesterPersonId: person.id,
        origin: null,
        submissionKey: request.key,
      });
      await keepProposal(repos, change, checked.value.proposedText);
      await repos.events.record({
        actorPersonId: person.id,
        subject: changeId(change.number),
        action: 'change.submitted',
        to: 'submitted',
      });
      await postReview(repos, changeId(change.number), changeReviewMessage(await this.view(repos, change)));
      return changeSubmitted(repos, change);
    };
    try {
      return await this.store.transaction(run);
    } catch (error) {
      if (error instanceof CoeError) throw error;
      // Two copies of one submission racing: the loser finds the winner's request.
      return this.store.transaction(run);
    }
  }

  /**
   * Drafts a change request the bot raises itself (an audit breach, seed §7), posted to the CoE for review. `key`
   * makes it once per cause.
   */
  async draft(repos: Repositories, key: string, content: ChangeContent, origin: string): Promise<ChangeRequest> {
    const existing = await repos.changes.bySubmissionKey(key);
    if (existing) return existing;
    const change = await repos.changes.create({
      ...content,
      status: 'draft',
      requesterPersonId: null,
      origin,
      submissionKey: key,
    });
    await repos.events.record({
      actorPersonId: null,
      subject: changeId(change.number),
      action: 'change.drafted',
      to: 'draft',
      reason: origin,
    });
    await postReview(repos, changeId(change.number), changeReviewMessage(await this.view(repos, change)));
    return change;
  }

  /** Refuses early (before a reason form opens) anyone who may not decide on this request. */
  async ensureMayDecide(actor: PersonRef, id: string): Promise<void> {
    await this.store.transaction(async (repos) => {
      const change = await existingChange(repos, id);
      await this.decider(repos, actor, change);
    });
  }

  /** Checks a decision's reason (required for "request changes" and "reject"). */
  checkReason(decision: ChangeDecision, reason: string | undefined): string | undefined {
    if (decision === 'approve') return undefined;
    const text = reason?.trim() ?? '';
    if (!text) return 'Please say why, so the requester knows what to do next.';
    if (text.length > CHANGE_LIMITS.reason) return `Keep the reason under ${CHANGE_LIMITS.reason} characters.`;
    return undefined;
  }

  /** A CoE decision from the review message: approve, request changes or reject (the last two with a reason). */
  async decide(request: ChangeRequestContext, decision: ChangeDecision, id: string, reason?: string): Promise<Message> {
    const outcome = await onceWithNotices(this.store, request.key, async (repos, notices) => {
      const number = parseChangeId(id);
      const before = number === undefined ? undefined : await repos.changes.getForUpdate(number);
      if (!before) throw new CoeError('NOT_FOUND', `There is no ${id.trim() || 'such change request'}.`);
      const actor = await this.decider(repos, request.actor, before);
      if (decision === 'requestChanges' && before.requesterPersonId === null) {
        // Nobody could revise it, and a request sent back cannot be decided: it would be stuck for good.
        throw new CoeError(
          'INPUT.INVALID',
          `The bot drafted ${changeId(before.number)}, so there is nobody to send it back to: approve or reject it.`,
        );
      }
      const problem = this.checkReason(decision, reason);
      if (problem) throw new CoeError('INPUT.INVALID', problem);
      const who = actor.displayName ?? 'A CoE member';
      const cr = changeId(before.number);
      if (decision === 'approve') {
        if (!(await repos.changes.approve(before.number, actor.id))) return `You approved ${cr} already.`;
        const approvals = (await repos.changes.approvals(before.number)).length;
        const status = afterApproval(approvals, this.settings.quorum);
        const after = await repos.changes.update(before.number, { status });
        const what =
          status === 'approved'
            ? `${who} approved it${this.settings.quorum > 1 ? ` (${approvals}/${this.settings.quorum}: approved)` : ''}.`
            : `${who} approved it (${approvals}/${this.settings.quorum}; ${this.settings.quorum - approvals} more needed).`;
        await this.changed(repos, notices, actor, before, after, what);
        if (status === 'approved' && after.friction.length > 0) {
          await this.friction.followChange(
            repos,
            notices,
            after.friction,
            'in_change',
            `${cr} "${after.title}" was approved: the CoE is changing what caused it.`,
          );
        }
        return status === 'approved'
          ? `${cr} is approved.`
          : `Your approval of ${cr} is recorded (${approvals}/${this.settings.quorum}).`;
      }
      const { status, verb } = DECISION_WORDS[decision];
      const text = (reason ?? '').trim();
      const after = await repos.changes.update(before.number, { status, decisionReason: text });
      await repos.changes.clearApprovals(before.number);
      await this.changed(repos, notices, actor, before, after, `${who} ${verb}: ${text}`, text);
      return decision === 'reject' ? `${cr} is rejected.` : `${cr} went back to its requester for changes.`;
    });
    return message(outcome.duplicate ? 'Already done.' : outcome.value);
  }

  /** `withdraw CR-7`: the requester takes back a request the CoE has not approved yet. */
  async withdraw(request: ChangeRequestContext, id: string): Promise<Message> {
    const outcome = await onceWithNotices(this.store, request.key, async (repos, notices) => {
      const before = await existingChange(repos, id, true);
      const person = await repos.people.find(request.actor);
      if (!person || before.requesterPersonId !== person.id) {
        throw new CoeError(
          'PERMISSION.DENIED',
          `Only the person who raised ${changeId(before.number)} can withdraw it.`,
        );
      }
      if (!isWithdrawable(before.status)) {
        throw new CoeError(
          'INPUT.INVALID',
          `${changeId(before.number)} is ${CHANGE_STATUS_LABELS[before.status].toLowerCase()}, so it can no longer be withdrawn.`,
        );
      }
      const after = await repos.changes.update(before.number, { status: 'withdrawn' });
      const what = `${person.displayName ?? 'The requester'} withdrew it.`;
      await this.changed(repos, notices, person, before, after, what);
      return changeId(after.number);
    });
    return message(outcome.duplicate ? 'Already done.' : `${outcome.value} is withdrawn.`);
  }

  /** `status CR-7`: anyone may look. */
  async status(id: string): Promise<Message> {
    return this.store.transaction(async (repos) =>
      changeStatusMessage(await this.view(repos, await existingChange(repos, id))),
    );
  }

  /** The person's own change requests, newest first (for "my reports"). */
  async mine(actor: PersonRef): Promise<ChangeView[]> {
    return this.store.transaction(async (repos) => {
      const person = await repos.people.find(actor);
      if (!person) return [];
      const changes = await repos.changes.byRequester(person.id, 20);
      return Promise.all(changes.map((c) => this.view(repos, c)));
    });
  }

  /** The record as the messages show it. */
  view(repos: Repositories, change: ChangeRequest): Promise<ChangeView> {
    return changeView(repos, change, this.settings.quorum);
  }

  /** Records a state change; what the requester is told goes to `notices` (src/services/change-record.ts). */
  changed(
    repos: Repositories,
    notices: Notices,
    actor: Person | null,
    before: ChangeRequest,
    after: ChangeRequest,
    what: string,
    reason?: string,
  ): Promise<void> {
    return recordChange(repos, notices, this.settings.quorum, {
      actor,
      before,
      after,
      what,
      ...(reason ? { reason } : {}),
    });
  }

  /**
   * Resubmits a request sent back for changes, once per interaction key: the same resubmission again confirms
   * without changing anything more. A form with errors rolls back, so its key stays free for the fixed form.
   */
  private async resubmit(
    request: ChangeRequestContext,
    raw: Record<string, unknown>,
    id: string,
  ): Promise<ChangeSubmitResult> {
    try {
      const outcome = await onceWithNotices(
        this.store,
        request.key,
        async (repos, notices): Promise<ChangeSubmitResult> => {
          const person = await this.raiser(repos, request.actor);
          const before = await this.revisable(repos, person, id);
          const checked = await checkChangeForm(repos, raw, this.clock.now());
          if (!checked.ok) throw new FormErrors(checked.errors);
          const content = contentOf(checked.value);
          const after = await repos.changes.update(before.number, {
            ...content,
            status: 'submitted',
            decisionReason: null,
          });
          await keepProposal(repos, after, checked.value.proposedText);
          const who = person.displayName ?? 'The requester';
          await this.changed(repos, notices, person, before, after, `${who} revised and resubmitted it.`);
          await repos.events.record({
            actorPersonId: person.id,
            subject: changeId(after.number),
            action: 'change.revised',
            reason: request.key,
          });
          return changeSubmitted(repos, after);
        },
      );
      if (!outcome.duplicate) return outcome.value;
      return await this.store.transaction(async (repos) => changeSubmitted(repos, await existingChange(repos, id)));
    } catch (error) {
      if (error instanceof FormErrors) return { ok: false, errors: error.errors };
      throw error;
    }
  }

  /** Managers, executives and the CoE raise change requests; a worker is pointed kindly to friction instead. */
  private async raiser(repos: Repositories, actor: PersonRef): Promise<Person> {
    const person = await repos.people.identify(actor);
    if (!may(person.layer, 'raiseChange')) {
      throw new CoeError('PERMISSION.DENIED', frictionInstead().text);
    }
    return person;
  }

  /** A request the person may revise: theirs, and sent back for changes. */
  private async revisable(repos: Repositories, person: Person, id: string): Promise<ChangeRequest> {
    const change = await existingChange(repos, id, true);
    if (change.requesterPersonId !== person.id) {
      throw new CoeError('PERMISSION.DENIED', `Only the person who raised ${changeId(change.number)} can revise it.`);
    }
    if (change.status !== 'changes_requested') {
      throw new CoeError(
        'INPUT.INVALID',
        `${changeId(change.number)} is not waiting for changes, so there is nothing to revise.`,
      );
    }
    return change;
  }

  /** CoE members decide, never on a request of their own (DOMAIN.md), and only while it is in front of the CoE. */
  private async decider(repos: Repositories, ref: PersonRef, change: ChangeRequest): Promise<Person> {
    const person = await repos.people.find(ref);
    if (!person || !may(person.layer, 'decideChange')) {
      throw new CoeError(
        'PERMISSION.DENIED',
        'Only CoE members approve, send back or reject change requests. Nothing was changed.',
      );
    }
    if (change.requesterPersonId === person.id) {
      throw new CoeError(
        'PERMISSION.DENIED',
        `You raised ${changeId(change.number)}, so another CoE member decides it. Nothing was changed.`,
      );
    }
    if (!isDecidable(change.status)) {
      throw new CoeError(
        'INPUT.INVALID',
        `${changeId(change.number)} is ${CHANGE_STATUS_LABELS[change.status].toLowerCase()} now, so that no longer applies.`,
      );
    }
    return person;
  }
}

/** Rolls back a resubmission whose form does not check out, carrying what to fix. */
class FormErrors extends Error {
  constructor(readonly errors: ChangeFieldErrors) {
    super('the change-request form has errors');
  }
}
