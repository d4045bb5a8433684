/**
 * Change requests on Teams (issue 4): `change request …` said to the bot, the task-module form (new, or revising a
 * request sent back for changes), and the CoE's decisions from the review card. Each handler parses what Teams sent
 * (zod), calls the change service, and renders the answer: a card in a task module, a task module message, or a
 * `Message` the bot delivers privately. No business rule lives here.
 */
import type { Activity, TaskModuleResponse } from 'botbuilder';
import { z } from 'zod';
import { CHANGE_FIELDS, type ChangeDecision, type ChangeField, changeId, parseChangeId } from '../../domain/change.ts';
import { CoeError } from '../../domain/errors.ts';
import type { Message } from '../../domain/message.ts';
import type { PersonRef } from '../../domain/people.ts';
import type { ErrorSink } from '../../services/answer.ts';
import type { ChangeFormOptions, ChangeService } from '../../services/change.ts';
import { actorOf, interactionKey } from './activity.ts';
import {
  type ChangeFormState,
  changeDecisionTask,
  changeFormCard,
  changeInputValues,
  changeOpenerCard,
  changePrefill,
} from './cards/change.ts';
import { taskCard, taskMessage } from './cards/task-module.ts';
import { adaptiveCardActivity, renderCard } from './cards.ts';
import { formFields, inDialog, OUT_OF_DATE, parseData } from './dialog.ts';

type ReasonDecision = Exclude<ChangeDecision, 'approve'>;

/** A change request id on a button or in a form's data: `CR-7`. */
const requestId = z.string().max(20);

const openerData = z.object({ prefill: z.string().max(10_000).optional() });
const buttonData = z.object({ value: requestId });

/** The form as Teams submits it: every input by its id, as text (the toggle may come as a boolean). */
const text = z.string().optional();
const formData = z.object({
  ...(Object.fromEntries(CHANGE_FIELDS.map((field) => [field, text])) as Record<ChangeField, typeof text>),
  aiHumanReview: z.union([z.boolean(), z.string()]).optional(),
  revise: requestId.optional(),
});

const decisionData = z.object({ value: requestId, reason: z.string().optional() });

export class TeamsChange {
  constructor(
    private readonly changes: ChangeService,
    private readonly log: ErrorSink,
  ) {}

  /**
   * `change request [text]`: checked first, so a worker is pointed kindly to `friction` (the refusal is thrown);
   * otherwise the card whose button opens the form.
   */
  async opener(actor: PersonRef, text: string): Promise<Partial<Activity>> {
    await this.changes.formOptions(actor);
    return adaptiveCardActivity(changeOpenerCard(text.trim()), 'Propose a change');
  }

  /** task/fetch from the opener's button: the form, pre-filled with what the person wrote. */
  openForm(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const { prefill } = parseData(openerData, data);
      const options = await this.changes.formOptions(actorOf(activity));
      return this.form({ ...choicesOf(options), values: changePrefill(prefill ?? '') });
    });
  }

  /** task/fetch of "Revise and resubmit": the form with what the requester wrote, for the request sent back. */
  openRevision(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const id = changeId(requestNumber(parseData(buttonData, data).value));
      const options = await this.changes.formOptions(actorOf(activity), id);
      return this.form({ ...choicesOf(options), values: changeInputValues(options.values ?? {}), revise: id });
    });
  }

  /** task/submit of the form: stored (or resubmitted), or the form again with what to fix under each field. */
  submit(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const form = parseData(formData, data);
      const revise = form.revise === undefined ? undefined : changeId(requestNumber(form.revise));
      const { raw, values } = formFields(CHANGE_FIELDS, { ...form, aiHumanReview: toggleText(form.aiHumanReview) });
      const actor = actorOf(activity);
      const result = await this.changes.submit({ actor, key: interactionKey(activity) }, raw, revise);
      if (!result.ok) {
        const options = await this.changes.formOptions(actor);
        return this.form({ ...choicesOf(options), values, errors: result.errors, ...(revise ? { revise } : {}) });
      }
      return taskCard(`${changeId(result.number)} submitted`, renderCard(result.confirmation));
    });
  }

  /** Approve on the review card (a plain Action.Submit): the outcome, for the bot to tell the presser privately. */
  async approve(activity: Activity, data: unknown): Promise<Message> {
    const id = changeId(requestNumber(parseData(buttonData, data).value));
    return this.changes.decide({ actor: actorOf(activity), key: interactionKey(activity) }, 'approve', id);
  }

  /** task/fetch of "Request changes" or "Reject": refused early for anyone who may not decide, else the reason form. */
  openDecision(activity: Activity, decision: ReasonDecision, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const id = changeId(requestNumber(parseData(buttonData, data).value));
      await this.changes.ensureMayDecide(actorOf(activity), id);
      return changeDecisionTask(decision, id);
    });
  }

  /** task/submit of the reason form: the form again with what to fix, or the decision and its outcome. */
  submitDecision(activity: Activity, decision: ReasonDecision, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const form = parseData(decisionData, data);
      const id = changeId(requestNumber(form.value));
      const problem = this.changes.checkReason(decision, form.reason);
      if (problem) return changeDecisionTask(decision, id, form.reason, problem);
      const outcome = await this.changes.decide(
        { actor: actorOf(activity), key: interactionKey(activity) },
        decision,
        id,
        form.reason,
      );
      return taskMessage(outcome.text);
    });
  }

  private form(state: ChangeFormState): TaskModuleResponse {
    return taskCard(state.revise ? `Revise ${state.revise}` : 'Propose a change', changeFormCard(state));
  }
}

function requestNumber(value: string): number {
  const number = parseChangeId(value);
  if (number === undefined) throw new CoeError('INPUT.INVALID', OUT_OF_DATE);
  return number;
}

const choicesOf = ({ sops, constraints }: ChangeFormOptions) => ({ sops, constraints });

const toggleText = (value: boolean | string | undefined) => (typeof value === 'boolean' ? String(value) : value);
