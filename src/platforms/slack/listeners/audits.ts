/**
 * Audits in Slack: the plan form `/coe audit plan` opens and its submission, and the "Record results" button in the
 * owner's direct message with the results form behind it.
 */
import type { App } from '@slack/bolt';
import { type AuditPlanField, resultFields } from '../../../domain/audit.ts';
import { CoeError } from '../../../domain/errors.ts';
import type { PersonRef } from '../../../domain/people.ts';
import type { AuditFormOptions } from '../../../services/audit.ts';
import { AUDIT_BUTTONS, AUDIT_PLAN_BLOCKS, VIEWS } from '../ids.ts';
import { hasInput, readAuditPlanForm, readAuditResults, readAuditResultsMetadata } from '../payloads.ts';
import { auditPlanMessageView, auditResultsFormView, auditResultsMessageView } from '../views/audit-form.ts';
import { registerFormButton } from './buttons.ts';
import type { ListenerDeps } from './deps.ts';
import { registerForm } from './forms.ts';

/**
 * What the plan form offers. Its standard is a select, which Slack cannot show empty: with no standard registered
 * there is nothing to audit yet, and the person is told what to do instead of getting a form they cannot send.
 */
export async function auditPlanOptions(deps: ListenerDeps, actor: PersonRef): Promise<AuditFormOptions> {
  const options = await deps.audits.formOptions(actor);
  if (options.sops.length === 0) {
    throw new CoeError(
      'SETUP.MISSING',
      'An audit checks a standard: register a standard first with `/coe sop new <key> <title>`.',
    );
  }
  return options;
}

export function registerAudits(app: App, deps: ListenerDeps): void {
  registerForm(app, deps, {
    callbackId: VIEWS.auditPlanForm,
    fallbackBlock: AUDIT_PLAN_BLOCKS.schedule,
    blockOf: (field, view) => {
      const block = AUDIT_PLAN_BLOCKS[field as AuditPlanField] ?? AUDIT_PLAN_BLOCKS.schedule;
      return hasInput(view.state.values, block) ? block : AUDIT_PLAN_BLOCKS.schedule;
    },
    read: (view) => readAuditPlanForm(view.state.values),
    submit: (request, { raw, owner }) =>
      deps.audits.plan(request, raw, owner ? { platform: 'slack', externalId: owner } : undefined),
    messageView: auditPlanMessageView,
  });

  // Only the plan's owner or a CoE member gets the form; anyone else is told privately.
  registerFormButton(
    app,
    deps,
    AUDIT_BUTTONS.record,
    (press) => deps.audits.resultsForm(press.actor, press.value),
    (audit) => auditResultsFormView(audit),
  );

  registerForm(app, deps, {
    callbackId: VIEWS.auditResultsForm,
    fallbackBlock: resultFields(0).passed,
    // The core names the inputs as this form does (`item2.variance`).
    blockOf: (field, view) => (hasInput(view.state.values, field) ? field : resultFields(0).passed),
    read: (view) => {
      const metadata = readAuditResultsMetadata(view.private_metadata);
      return metadata && { run: metadata.run, raw: readAuditResults(view.state.values) };
    },
    submit: async (request, { run, raw }) => {
      const result = await deps.audits.record(request, run, raw);
      return result.ok ? { ok: true, confirmation: result.outcome } : result;
    },
    messageView: auditResultsMessageView,
  });
}
