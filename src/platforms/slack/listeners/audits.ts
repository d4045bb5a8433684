/**
 * Audits in Slack: the plan form `/coe audit plan` opens and its submission, the same form filled for `/coe audit
 * change AUD-2`, and the "Record results" button in the owner's direct message with the results form behind it.
 */
import { resultFields } from '../../../domain/audit.ts';
import type { PersonRef } from '../../../domain/people.ts';
import { AUDIT_BUTTONS, AUDIT_PLAN_BLOCKS, VIEWS } from '../ids.ts';
import { readAuditChangeMetadata, readAuditPlanForm, readAuditResults, readAuditResultsMetadata } from '../payloads.ts';
import {
  auditChangeMessageView,
  auditPlanMessageView,
  auditResultsFormView,
  auditResultsMessageView,
} from '../views/audit-form.ts';
import { registerFormButton } from './buttons.ts';
import type { ListenerDeps } from './deps.ts';
import { registerForm } from './forms.ts';
import type { SlackRoutes } from './routes.ts';

/** The owner picked in the form, with the name Slack shows for them (looked up before the listener, `names.ts`). */
function ownerRef(deps: ListenerDeps, owner: string | undefined): PersonRef | undefined {
  if (!owner) return undefined;
  const displayName = deps.names.nameOf(owner);
  return { platform: 'slack', externalId: owner, ...(displayName ? { displayName } : {}) };
}

export function registerAudits(routes: SlackRoutes, deps: ListenerDeps): void {
  registerForm(routes, deps, {
    callbackId: VIEWS.auditPlanForm,
    blocks: AUDIT_PLAN_BLOCKS,
    fallbackBlock: AUDIT_PLAN_BLOCKS.schedule,
    read: (view) => readAuditPlanForm(view.state.values),
    submit: (request, { raw, owner }) => deps.audits.plan(request, raw, ownerRef(deps, owner)),
    messageView: auditPlanMessageView,
  });

  // `audit change AUD-2`: the plan's form, filled; the standard is not in it (it stays).
  registerForm(routes, deps, {
    callbackId: VIEWS.auditChangeForm,
    blocks: AUDIT_PLAN_BLOCKS,
    fallbackBlock: AUDIT_PLAN_BLOCKS.schedule,
    read: (view) => {
      const metadata = readAuditChangeMetadata(view.private_metadata);
      return metadata && { plan: metadata.plan, ...readAuditPlanForm(view.state.values) };
    },
    submit: (request, { plan, raw, owner }) => deps.auditLifecycle.change(request, plan, raw, ownerRef(deps, owner)),
    messageView: auditChangeMessageView,
  });

  // Only the plan's owner or a CoE member gets the form; anyone else is told privately.
  registerFormButton(
    routes,
    deps,
    AUDIT_BUTTONS.record,
    (press) => deps.audits.resultsForm(press.actor, press.value),
    (audit) => auditResultsFormView(audit),
  );

  registerForm(routes, deps, {
    callbackId: VIEWS.auditResultsForm,
    fallbackBlock: resultFields(0).passed,
    // No `blocks`: the core names the inputs as this form does (`item2.variance`).
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
