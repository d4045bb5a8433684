/**
 * The audit cards of the Teams side, as Adaptive Cards 1.5: the "Plan an audit" opener the bot answers `audit plan`
 * with, the plan form (standard, cron schedule, checklist, acceptable variance, owner; filled, and without the
 * standard, for `audit change AUD-2`, whose opener is here too) and the results form behind
 * "Record results" (pass or fail and the measured variance of each checklist item), both shown in a task module.
 * Pure functions: what to show in, a card out.
 */
import {
  AUDIT_LIMITS,
  type AuditPlanErrors,
  type AuditPlanField,
  auditId,
  resultFields,
} from '../../../domain/audit.ts';
import type { AuditView } from '../../../domain/schedule-messages.ts';
import { sopId } from '../../../domain/sop.ts';
import type { AuditFormOptions } from '../../../services/audit.ts';
import type { AdaptiveCard, CardElement } from '../cards.ts';
import { CARD_ACTIONS, AUDIT_PLAN_FORM_INPUTS as INPUT } from '../ids.ts';
import {
  card,
  choiceSet,
  FormLayout,
  heading,
  note,
  openerCard,
  paragraph,
  submitButton,
  textInput,
} from './elements.ts';

const PLAN_TITLE = 'Plan an audit';

/** A checklist at its longest: every item at its longest, one a line. */
const CHECKLIST_MAX = AUDIT_LIMITS.items * (AUDIT_LIMITS.item + 1);
const VARIANCE_MAX = 10;

const PASS_FAIL = [
  { title: 'Pass', value: 'pass' },
  { title: 'Fail', value: 'fail' },
];

export interface AuditPlanFormState {
  options: AuditFormOptions;
  /** As the card's inputs hold them: text, the owner as a person id. */
  values: Partial<Record<AuditPlanField, string>>;
  errors?: AuditPlanErrors;
  /** `audit change AUD-2`: the plan being changed; its standard is said, not asked (it stays). */
  change?: { number: number; sopKey: string; sopTitle: string };
}

/** `audit plan`: the card whose button opens the form. */
export function auditOpenerCard(): AdaptiveCard {
  return openerCard(
    PLAN_TITLE,
    'Open the form to plan an audit of a standard: when it runs, what is checked and what variance is acceptable. A result outside it opens a redesign for the CoE.',
    PLAN_TITLE,
    { coeAction: CARD_ACTIONS.openAuditForm },
  );
}

/** `audit change AUD-2`: the card whose button opens that plan's form. */
export function auditChangeOpenerCard(number: number): AdaptiveCard {
  const id = auditId(number);
  return openerCard(
    `Change ${id}`,
    `Open the form to change ${id}: its schedule, checklist, acceptable variance or owner. Its standard stays.`,
    `Change ${id}`,
    { coeAction: CARD_ACTIONS.openAuditChange, value: id },
  );
}

/** The title of `audit change`'s form. */
export const auditChangeTitle = (number: number) => `Change ${auditId(number)}`;

/** What the form starts with: the only standard, when there is one. */
export function auditStartValues(options: AuditFormOptions): Partial<Record<AuditPlanField, string>> {
  const [only, ...others] = options.sops;
  return only && others.length === 0 ? { sop: only.key } : {};
}

export function auditPlanCard(state: AuditPlanFormState): AdaptiveCard {
  const { options, values, change } = state;
  const layout = new FormLayout(state.errors);
  if (!change) {
    layout.input(
      choiceSet(
        INPUT.sop,
        'Standard to audit',
        options.sops.map((s) => ({ title: `${sopId(s.key)} · ${s.title}`, value: s.key })),
        { value: values.sop, required: 'Pick the standard to audit.' },
      ),
    );
  }
  layout.input(
    textInput(INPUT.schedule, 'Schedule (cron: minute hour day month weekday)', AUDIT_LIMITS.schedule, {
      value: values.schedule,
      placeholder: '0 9 * * 1 (Mondays at 09:00)',
      required: 'Give the schedule as a cron expression, like 0 9 * * 1.',
    }),
  );
  layout.input(
    textInput(INPUT.checklist, `Checklist (one item per line, up to ${AUDIT_LIMITS.items})`, CHECKLIST_MAX, {
      value: values.checklist,
      multiline: true,
      placeholder: 'What is checked: about the process, never about a person',
      required: 'List what is checked, one item per line.',
    }),
  );
  layout.input(
    textInput(INPUT.variance, 'Acceptable variance (%)', VARIANCE_MAX, {
      value: values.variance,
      placeholder: '5',
      required: 'Give the acceptable variance in percent, like 5.',
    }),
  );
  if (options.owners.length > 0) {
    layout.input(
      choiceSet(
        INPUT.owner,
        'Owner (gets the checklist when a run is due)',
        options.owners.map((o) => ({ title: o.name, value: String(o.id) })),
        { value: values.owner, placeholder: 'Me' },
      ),
    );
  }
  const title = change ? auditChangeTitle(change.number) : PLAN_TITLE;
  const body = [
    heading(title),
    ...(change ? [paragraph(`Audits ${sopId(change.sopKey)} · ${change.sopTitle}`)] : []),
    note('A measured variance above the acceptable one opens a redesign: a draft change request for the CoE.'),
    ...layout.problems(),
    ...layout.fields,
  ];
  const submit = change
    ? submitButton('Save', { coeAction: CARD_ACTIONS.submitAuditChange, value: auditId(change.number) })
    : submitButton('Plan', { coeAction: CARD_ACTIONS.submitAudit });
  return card(body, [submit], title);
}

/** The results form's title: which audit, of which standard. */
export const auditResultsTitle = (audit: AuditView) => `Record ${auditId(audit.number)}`;

/**
 * The results of one run: per checklist item, pass or fail and the measured variance (inputs named by the core's
 * `resultFields`, so its errors land under them); the run id goes back with the submit.
 */
export function auditResultsCard(
  audit: AuditView,
  values: Record<string, string> = {},
  errors: Record<string, string> = {},
): AdaptiveCard {
  const layout = new FormLayout(errors);
  audit.checklist.forEach((item, i) => {
    const fields = resultFields(i);
    const items: CardElement[] = [{ type: 'TextBlock', text: `${i + 1}. ${item}`, weight: 'Bolder', wrap: true }];
    layout.input(
      choiceSet(fields.passed, 'Pass or fail', PASS_FAIL, {
        value: values[fields.passed],
        required: 'Choose pass or fail.',
      }),
      items,
    );
    layout.input(
      textInput(fields.variance, 'Measured variance (%)', VARIANCE_MAX, {
        value: values[fields.variance],
        placeholder: '0',
        required: 'Give the measured variance in percent.',
      }),
      items,
    );
    layout.fields.push({ type: 'Container', spacing: 'Medium', separator: i > 0, items });
  });
  const title = `${auditId(audit.number)} · ${sopId(audit.sopKey)}`;
  const body = [
    heading(title),
    paragraph(
      `Acceptable variance: ${audit.acceptableVariance}%. For each item, record pass or fail and the variance you measured.`,
    ),
    ...layout.problems(),
    ...layout.fields,
  ];
  const data = { coeAction: CARD_ACTIONS.recordAudit, value: String(audit.runId) };
  return card(body, [submitButton('Record', data)], title);
}
