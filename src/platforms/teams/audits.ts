/**
 * Audits on Teams (issue 5): `audit plan` said to the bot and the task-module plan form, `audit change AUD-2` and the
 * same form filled with the plan (issue 12), and "Record results" on the checklist a due run sends its owner, which
 * opens the results form. Each handler parses what Teams sent (zod), calls the audit services, and renders the
 * answer. No business rule lives here.
 */
import type { Activity, TaskModuleResponse } from 'botbuilder';
import { z } from 'zod';
import { AUDIT_PLAN_FIELDS } from '../../domain/audit.ts';
import type { PersonRef } from '../../domain/people.ts';
import type { ErrorSink } from '../../services/answer.ts';
import type { AuditService } from '../../services/audit.ts';
import type { AuditLifecycleService } from '../../services/audit-lifecycle.ts';
import { actorOf, interactionKey } from './activity.ts';
import {
  auditChangeOpenerCard,
  auditChangeTitle,
  auditOpenerCard,
  auditPlanCard,
  auditResultsCard,
  auditResultsTitle,
  auditStartValues,
} from './cards/audit.ts';
import { taskCard, taskMessage } from './cards/task-module.ts';
import { adaptiveCardActivity, renderCard } from './cards.ts';
import { formFields, inDialog, parseData } from './dialog.ts';

const FORM_TITLE = 'Plan an audit';

/** The plan form as Teams submits it: text inputs, the owner as a person id (or nothing: the planner). */
const text = z.string().optional();
const planData = z.object({
  sop: text,
  schedule: text,
  checklist: text,
  variance: text,
  owner: z
    .string()
    .regex(/^\d{0,9}$/)
    .optional(),
});

/** `audit change`'s opener and form: the plan they change, as `AUD-2`. */
const changeData = planData.extend({ value: z.string().regex(/^AUD-\d{1,9}$/) });
/** What `audit change` lets change: everything but the standard. */
const CHANGE_FIELDS = AUDIT_PLAN_FIELDS.filter((f) => f !== 'sop');

/** "Record results" and the results form's submit: the run id, with the form's inputs (`item<i>.passed` …). */
const runData = z.looseObject({ value: z.string().regex(/^\d{1,9}$/) });
const RESULT_INPUT = /^item\d{1,2}\.(?:passed|variance)$/;

export class TeamsAudit {
  constructor(
    private readonly audits: AuditService,
    private readonly log: ErrorSink,
    private readonly lifecycle: AuditLifecycleService,
  ) {}

  /**
   * `audit plan`, `audit change AUD-2`: checked first, so someone who may not (or has no standard to audit, or names
   * a plan that is not there or stopped) is refused (thrown); then the card whose button opens the form.
   */
  async opener(actor: PersonRef, command: { kind: 'auditPlan' } | { kind: 'auditChange'; id: string }) {
    if (command.kind === 'auditChange') {
      const { plan } = await this.lifecycle.changeForm(actor, command.id);
      return adaptiveCardActivity(auditChangeOpenerCard(plan.number), auditChangeTitle(plan.number));
    }
    await this.audits.formOptions(actor);
    return adaptiveCardActivity(auditOpenerCard(), FORM_TITLE);
  }

  /** task/fetch from `audit change`'s opener: the plan's form, filled with the plan as it stands. */
  openChangeForm(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const form = await this.lifecycle.changeForm(actorOf(activity), parseData(changeData, data).value);
      const card = auditPlanCard({ options: form.options, values: form.values, change: form.plan });
      return taskCard(auditChangeTitle(form.plan.number), card);
    });
  }

  /** task/submit of the change form: the plan changed, or the form again with what to fix under each field. */
  submitChange(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const form = parseData(changeData, data);
      const { raw, values } = formFields(CHANGE_FIELDS, form);
      const actor = actorOf(activity);
      // No owner picked: the owner stays.
      const owner = form.owner ? { id: Number(form.owner) } : undefined;
      const result = await this.lifecycle.change({ actor, key: interactionKey(activity) }, form.value, raw, owner);
      if (!result.ok) {
        const current = await this.lifecycle.changeForm(actor, form.value);
        const card = auditPlanCard({ options: current.options, values, errors: result.errors, change: current.plan });
        return taskCard(auditChangeTitle(current.plan.number), card);
      }
      return taskCard('Audit changed', renderCard(result.confirmation));
    });
  }

  /** task/fetch from the opener's button: the plan form. */
  openForm(activity: Activity): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const options = await this.audits.formOptions(actorOf(activity));
      return taskCard(FORM_TITLE, auditPlanCard({ options, values: auditStartValues(options) }));
    });
  }

  /** task/submit of the plan form: AUD-n, or the form again with what to fix under each field. */
  submit(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const form = parseData(planData, data);
      const { raw, values } = formFields(AUDIT_PLAN_FIELDS, form);
      const actor = actorOf(activity);
      const owner = form.owner ? { id: Number(form.owner) } : undefined;
      const result = await this.audits.plan({ actor, key: interactionKey(activity) }, raw, owner);
      if (!result.ok) {
        const options = await this.audits.formOptions(actor);
        return taskCard(FORM_TITLE, auditPlanCard({ options, values, errors: result.errors }));
      }
      return taskCard('Audit planned', renderCard(result.confirmation));
    });
  }

  /** task/fetch of "Record results": the results form of that run, for its owner or the CoE only. */
  openResults(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const audit = await this.audits.resultsForm(actorOf(activity), parseData(runData, data).value);
      return taskCard(auditResultsTitle(audit), auditResultsCard(audit));
    });
  }

  /** task/submit of the results form: the outcome (closing the dialog), or the form again with what to fix. */
  submitResults(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const form = parseData(runData, data);
      const raw: Record<string, string> = {};
      for (const [input, value] of Object.entries(form)) {
        if (RESULT_INPUT.test(input) && typeof value === 'string') raw[input] = value;
      }
      const actor = actorOf(activity);
      const result = await this.audits.record({ actor, key: interactionKey(activity) }, form.value, raw);
      if (!result.ok) {
        const audit = await this.audits.resultsForm(actor, form.value);
        return taskCard(auditResultsTitle(audit), auditResultsCard(audit, raw, result.errors));
      }
      return taskMessage(result.outcome.text);
    });
  }
}
