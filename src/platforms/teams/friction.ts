/**
 * Friction intake and the CoE's decisions on Teams. Each handler parses what Teams sent (zod), calls the friction
 * service, and renders the answer: a card in a task module, a task module message, or a `Message` the bot delivers
 * privately. No business rule lives here.
 */
import type { Activity, MessagingExtensionAction, TaskModuleResponse } from 'botbuilder';
import { z } from 'zod';
import { CoeError } from '../../domain/errors.ts';
import {
  FRICTION_FIELDS,
  type FrictionDecision,
  type FrictionField,
  frictionId,
  LIMITS,
  parseFrictionId,
} from '../../domain/friction.ts';
import type { Message } from '../../domain/message.ts';
import type { ErrorSink } from '../../services/answer.ts';
import type { DecisionInput, FrictionService } from '../../services/friction.ts';
import { actorOf, htmlToText, interactionKey } from './activity.ts';
import { frictionDecisionTask, frictionFormCard, frictionOpenerCard, frictionPrefill } from './cards/friction.ts';
import { taskCard, taskMessage } from './cards/task-module.ts';
import { adaptiveCardActivity, renderCard } from './cards.ts';
import { formFields, inDialog, OUT_OF_DATE, parseData as parse } from './dialog.ts';
import { DECISION_INPUTS } from './ids.ts';

type FormDecision = Exclude<FrictionDecision, 'triage'>;

const FORM_TITLE = 'Report friction';

/** A report id on a button: `FR-12`. */
const reportId = z.string().max(20);

/** The opener card's button data (see `frictionOpenerCard`). */
const openerData = z.object({ prefill: z.string().max(10_000).optional() });

/** The friction form as Teams submits it: every input by its id (strings; the toggle as 'true'/'false'). */
const text = z.string().optional();
const formData = z.object({
  kind: text,
  title: text,
  description: text,
  team: text,
  tool: text,
  frequency: text,
  impact: text,
  relatedSop: text,
  anonymous: z.union([z.boolean(), z.string()]).optional(),
  sourceLink: text,
});

const buttonData = z.object({ value: reportId });

const decisionData = z.object({
  value: reportId,
  rootCause: z.string().optional(),
  duplicateOf: z.string().optional(),
  reason: z.string().optional(),
  lane: z.string().optional(),
  standard: z.string().optional(),
});

/** The part of a message action's payload the form uses: the message's text and its link. */
const messagePayload = z.object({
  body: z.object({ content: z.string().optional(), contentType: z.string().optional() }).optional(),
  linkToMessage: z.string().optional(),
});

export class TeamsFriction {
  constructor(
    private readonly friction: FrictionService,
    private readonly log: ErrorSink,
  ) {}

  /** `friction [text]`: a bot cannot open a dialog by itself, so it answers with a card whose button does. */
  opener(text: string): Partial<Activity> {
    return adaptiveCardActivity(frictionOpenerCard(text.trim()), 'Report friction');
  }

  /** task/fetch from the opener's button: the form, pre-filled with what the person wrote. */
  openForm(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return this.task(async () => {
      const { prefill } = parse(openerData, data);
      return this.form(activity, frictionPrefill(prefill ?? ''));
    });
  }

  /** composeExtension/fetchTask from the "Report friction" message action: the form, from that message. */
  openFormFromMessage(activity: Activity, action: MessagingExtensionAction): Promise<TaskModuleResponse> {
    return this.task(async () => {
      const payload = parse(messagePayload, action.messagePayload ?? {});
      const content = payload.body?.content ?? '';
      const text = payload.body?.contentType === 'text' ? content : htmlToText(content);
      const link = payload.linkToMessage;
      const sourceLink =
        link && link.length <= LIMITS.sourceLink && link.startsWith('https://') && URL.canParse(link)
          ? link
          : undefined;
      return this.form(activity, frictionPrefill(text), sourceLink);
    });
  }

  /**
   * task/submit (and composeExtension/submitAction) of the form: stored, or the form again with what to fix.
   * `named` says whether the report carries the reporter's name (so the bot may keep their address).
   */
  async submit(activity: Activity, data: unknown): Promise<{ response: TaskModuleResponse; named: boolean }> {
    let named = false;
    const response = await this.task(async () => {
      const form = parse(formData, data);
      const anonymous = form.anonymous === true || form.anonymous === 'true';
      const texts = FRICTION_FIELDS.filter((f): f is Exclude<FrictionField, 'anonymous'> => f !== 'anonymous');
      const fields = formFields(texts, form);
      const raw: Record<string, unknown> = { ...fields.raw, anonymous };
      const values: Partial<Record<FrictionField, string>> = { ...fields.values, anonymous: String(anonymous) };
      if (form.sourceLink) raw.sourceLink = form.sourceLink;
      const result = await this.friction.submit({ actor: actorOf(activity), key: interactionKey(activity) }, raw);
      if (!result.ok) {
        const { teams } = await this.friction.formDefaults(actorOf(activity));
        const card = frictionFormCard({
          teams,
          values,
          errors: result.errors,
          ...(form.sourceLink ? { sourceLink: form.sourceLink } : {}),
        });
        return taskCard(FORM_TITLE, card);
      }
      named = !anonymous;
      return taskCard(`${frictionId(result.number)} reported`, renderCard(result.confirmation));
    });
    return { response, named };
  }

  /** task/submit of "+1 FR-4 instead" on the confirmation. */
  plusOneInstead(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return this.task(async () => {
      const { value } = parse(z.object({ value: z.string().max(200) }), data);
      const reply = await this.friction.plusOneInstead(
        { actor: actorOf(activity), key: interactionKey(activity) },
        value,
      );
      return taskMessage(reply.text);
    });
  }

  /** task/fetch of a decision that needs more input: refused early for anyone but the CoE, else its form. */
  openDecision(activity: Activity, decision: FormDecision, data: unknown): Promise<TaskModuleResponse> {
    return this.task(async () => {
      const number = reportNumber(parse(buttonData, data).value);
      await this.friction.ensureMayDecide(actorOf(activity));
      return frictionDecisionTask(decision, frictionId(number));
    });
  }

  /** task/submit of a decision's form: the form again with what to fix, or the decision and its outcome. */
  submitDecision(activity: Activity, decision: FormDecision, data: unknown): Promise<TaskModuleResponse> {
    return this.task(async () => {
      const form = parse(decisionData, data);
      const number = reportNumber(form.value);
      const input: DecisionInput = {};
      for (const field of Object.values(DECISION_INPUTS)) {
        const value = form[field];
        if (value !== undefined) input[field] = value;
      }
      const errors = await this.friction.checkDecisionInput(decision, number, input);
      if (Object.keys(errors).length > 0) return frictionDecisionTask(decision, frictionId(number), input, errors);
      const outcome = await this.friction.decide(
        { actor: actorOf(activity), key: interactionKey(activity) },
        decision,
        number,
        input,
      );
      return taskMessage(outcome.text);
    });
  }

  /** Triage from the review message (a plain Action.Submit): the outcome, for the bot to tell the presser privately. */
  async triage(activity: Activity, data: unknown): Promise<Message> {
    const number = reportNumber(parse(buttonData, data).value);
    return this.friction.decide({ actor: actorOf(activity), key: interactionKey(activity) }, 'triage', number);
  }

  private async form(
    activity: Activity,
    prefill: Partial<Record<FrictionField, string>>,
    sourceLink?: string,
  ): Promise<TaskModuleResponse> {
    const defaults = await this.friction.formDefaults(actorOf(activity));
    const values = { ...prefill, ...(defaults.team ? { team: defaults.team } : {}) };
    const card = frictionFormCard({ teams: defaults.teams, values, ...(sourceLink ? { sourceLink } : {}) });
    return taskCard(FORM_TITLE, card);
  }

  /** A dialog always gets an answer: a refusal or a mistake closes it with a message saying so. */
  private task(work: () => Promise<TaskModuleResponse>): Promise<TaskModuleResponse> {
    return inDialog(this.log, work);
  }
}

function reportNumber(value: string): number {
  const number = parseFrictionId(value);
  if (number === undefined) throw new CoeError('INPUT.INVALID', OUT_OF_DATE);
  return number;
}
