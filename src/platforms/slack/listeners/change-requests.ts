/**
 * Change requests in Slack: the form `/change-request` opens, the review message's Approve / Request changes /
 * Reject, the reason forms behind the last two, and "Revise and resubmit" in the requester's direct message.
 */
import { changeId, parseChangeId } from '../../../domain/change.ts';
import { CHANGE_BUTTONS, CHANGE_FORM_BLOCKS, VIEWS } from '../ids.ts';
import { readChangeForm, readChangeFormMetadata } from '../payloads.ts';
import { changeFormView, changeMessageView } from '../views/change-form.ts';
import { CHANGE_DECISION_FORMS, type ChangeFormDecision, decisionFormView } from '../views/decision-form.ts';
import { registerFormButton, registerPressButton } from './buttons.ts';
import type { ListenerDeps } from './deps.ts';
import { registerDecisionForm, registerForm } from './forms.ts';
import { recordOf } from './interactions.ts';
import type { SlackRoutes } from './routes.ts';

/** The buttons that open a reason form first, by the decision they lead to. */
const REASON_BUTTONS: [ChangeFormDecision, string][] = [
  ['requestChanges', CHANGE_BUTTONS.requestChanges],
  ['reject', CHANGE_BUTTONS.reject],
];

const changeOf = (value: string) => recordOf(value, parseChangeId);

export function registerChangeRequests(routes: SlackRoutes, deps: ListenerDeps): void {
  registerForm(routes, deps, {
    callbackId: VIEWS.changeForm,
    fallbackBlock: CHANGE_FORM_BLOCKS.title,
    // A form without standards to pick (or constraints) has no such input: the error goes where it can be fixed.
    blocks: CHANGE_FORM_BLOCKS,
    instead: { sop: CHANGE_FORM_BLOCKS.newSop },
    read: (view) => {
      const metadata = readChangeFormMetadata(view.private_metadata);
      return metadata && { raw: readChangeForm(view.state.values), revise: metadata.revise };
    },
    submit: (request, { raw, revise }) => deps.changes.submit(request, raw, revise),
    messageView: changeMessageView,
  });

  // Approve: decided on the press; a double click is one decision (same message, button and person).
  registerPressButton(routes, deps, CHANGE_BUTTONS.approve, (press) =>
    deps.changes.decide({ actor: press.actor, key: press.key }, 'approve', changeId(changeOf(press.value))),
  );

  // Request changes, reject: only a CoE member who may decide gets the form; the decision is taken on submit.
  for (const [decision, actionId] of REASON_BUTTONS) {
    const form = CHANGE_DECISION_FORMS[decision];
    registerFormButton(
      routes,
      deps,
      actionId,
      async (press) => {
        const number = changeOf(press.value);
        await deps.changes.ensureMayDecide(press.actor, changeId(number));
        return number;
      },
      (number, press) =>
        decisionFormView(form, changeId(number), { number, ...(press.channel ? { channel: press.channel } : {}) }),
    );
    registerDecisionForm(routes, deps, form, {
      check: (_number, reason) => deps.changes.checkReason(decision, reason),
      decide: (request, number, reason) => deps.changes.decide(request, decision, changeId(number), reason),
    });
  }

  // "Revise and resubmit": the form again, with what the requester wrote, for the request sent back to them.
  registerFormButton(
    routes,
    deps,
    CHANGE_BUTTONS.revise,
    async (press) => {
      const id = changeId(changeOf(press.value));
      return { id, options: await deps.changes.formOptions(press.actor, id) };
    },
    ({ id, options }) => changeFormView({ options, revise: id }),
  );
}
