/**
 * The audit modals: the plan form (`/coe audit plan`: standard, cron schedule, checklist, acceptable variance,
 * owner), the results form behind "Record results" (pass / fail and the measured variance of each checklist item),
 * and the modals that confirm each. Pure functions.
 */
import type { KnownBlock, ModalView } from '@slack/web-api';
import { AUDIT_LIMITS, auditId, resultFields } from '../../../domain/audit.ts';
import type { Message } from '../../../domain/message.ts';
import type { AuditView } from '../../../domain/schedule-messages.ts';
import { sopId } from '../../../domain/sop.ts';
import type { AuditFormOptions } from '../../../services/audit.ts';
import type { AuditChangeForm } from '../../../services/audit-lifecycle.ts';
import { AUDIT_PLAN_BLOCKS, AUDIT_RESULT_OPTIONS, VIEWS } from '../ids.ts';
import { plain } from '../render.ts';
import { messageView, option, selectInput, standardInput, text, textInput, userInput } from './inputs.ts';

const PLAN_TITLE = 'Plan an audit';
const CHANGE_TITLE = 'Change an audit';
const RESULTS_TITLE = 'Record audit results';
const B = AUDIT_PLAN_BLOCKS;
/** Slack's longest text input: the core checks the number of items and their length. */
const CHECKLIST_MAX = 3000;
const VARIANCE_MAX = 10;
const HEADER_MAX = 150;
const LABEL_MAX = 2000;

/** The plan's own inputs (all but its standard), empty or filled with a plan as it stands. */
function planInputs(values?: AuditChangeForm['values'], owner?: string): KnownBlock[] {
  return [
    textInput(B.schedule, 'Schedule', AUDIT_LIMITS.schedule, {
      placeholder: '0 9 * * 1',
      hint: 'cron: minute hour day month weekday, e.g. 0 9 * * 1 (Mondays at 09:00), in the bot’s time zone.',
      initial: values?.schedule,
    }),
    textInput(B.checklist, 'Checklist', CHECKLIST_MAX, {
      multiline: true,
      hint: `One item per line, up to ${AUDIT_LIMITS.items}: what is checked, about the process, never about a person.`,
      initial: values?.checklist,
    }),
    textInput(B.variance, 'Acceptable variance (%)', VARIANCE_MAX, {
      placeholder: '5',
      hint: 'A measured variance above this opens a redesign: a draft change request for the CoE.',
      initial: values?.variance,
    }),
    userInput(B.owner, 'Owner', {
      optional: true,
      hint: values
        ? 'Gets the checklist when a run is due. Empty: the owner stays.'
        : 'Gets the checklist when a run is due. Empty: you.',
      initial: owner,
    }),
  ];
}

export function auditPlanFormView(options: AuditFormOptions): ModalView {
  const blocks: KnownBlock[] = [
    standardInput(B.sop, 'Standard to audit', options.sops, {
      initial: options.sops.length === 1 ? options.sops[0]?.key : undefined,
    }),
    ...planInputs(),
  ];
  return {
    type: 'modal',
    callback_id: VIEWS.auditPlanForm,
    title: text(PLAN_TITLE),
    submit: text('Plan'),
    close: text('Cancel'),
    blocks,
  };
}

/**
 * `audit change AUD-2`: the plan form filled with the plan as it stands; its standard is said, not asked (it stays).
 * The plan's number rides in the metadata.
 */
export function auditChangeFormView(form: AuditChangeForm): ModalView {
  const slackOwner = form.owner.find((ref) => ref.platform === 'slack')?.externalId;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: text(
        plain(`${auditId(form.plan.number)} · ${sopId(form.plan.sopKey)} · ${form.plan.sopTitle}`, HEADER_MAX),
      ),
    },
    ...planInputs(form.values, slackOwner),
  ];
  return {
    type: 'modal',
    callback_id: VIEWS.auditChangeForm,
    private_metadata: JSON.stringify({ plan: auditId(form.plan.number) }),
    title: text(CHANGE_TITLE),
    submit: text('Save'),
    close: text('Cancel'),
    blocks,
  };
}

/** The confirmation (or an answer) in place of the change form. */
export function auditChangeMessageView(message: Message, close?: string): ModalView {
  return messageView(message, {
    title: CHANGE_TITLE,
    callbackId: VIEWS.auditChangeConfirmation,
    ...(close ? { close } : {}),
  });
}

/** The confirmation (or an answer) in place of the plan form. */
export function auditPlanMessageView(message: Message, close?: string): ModalView {
  return messageView(message, {
    title: PLAN_TITLE,
    callbackId: VIEWS.auditPlanConfirmation,
    ...(close ? { close } : {}),
  });
}

/** The results of one run: per checklist item, pass or fail and the measured variance; the run in the metadata. */
export function auditResultsFormView(audit: AuditView): ModalView {
  const passFail = [option('Pass', AUDIT_RESULT_OPTIONS.pass), option('Fail', AUDIT_RESULT_OPTIONS.fail)];
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: text(
        plain(
          `${auditId(audit.number)} · ${sopId(audit.sopKey)} · acceptable ${audit.acceptableVariance}%`,
          HEADER_MAX,
        ),
      ),
    },
  ];
  audit.checklist.slice(0, AUDIT_LIMITS.items).forEach((item, i) => {
    const fields = resultFields(i);
    blocks.push(
      selectInput(fields.passed, plain(`${i + 1}. ${item}`, LABEL_MAX), passFail, { placeholder: 'Pass or fail' }),
      textInput(fields.variance, `${i + 1}. Measured variance (%)`, VARIANCE_MAX, { placeholder: '0' }),
    );
  });
  return {
    type: 'modal',
    callback_id: VIEWS.auditResultsForm,
    private_metadata: auditResultsMetadata(audit.runId),
    title: text(RESULTS_TITLE),
    submit: text('Record'),
    close: text('Cancel'),
    blocks,
  };
}

/** The results form's `private_metadata`: the run it records. */
export const auditResultsMetadata = (runId: number) => JSON.stringify({ run: String(runId) });

/** The outcome (or an answer) in place of the results form. */
export function auditResultsMessageView(message: Message, close?: string): ModalView {
  return messageView(message, {
    title: RESULTS_TITLE,
    callbackId: VIEWS.auditResultsConfirmation,
    ...(close ? { close } : {}),
  });
}
