/**
 * The friction buttons: Triage and the buttons that open a decision form on the review message, and "+1 instead"
 * in the confirmation modal.
 */
import { frictionId, parseFrictionId } from '../../../domain/friction.ts';
import { ACTIONS } from '../ids.ts';
import { actorOf, blockAction } from '../payloads.ts';
import { DECISION_FORMS, decisionFormView, type FormDecision } from '../views/decision-form.ts';
import { frictionMessageView } from '../views/friction-form.ts';
import { registerFormButton, registerPressButton } from './buttons.ts';
import { attempt, type ListenerDeps } from './deps.ts';
import { recordOf } from './interactions.ts';
import type { SlackRoutes } from './routes.ts';

/** The review message's buttons that open a form first, by the decision they lead to. */
const FORM_BUTTONS: [FormDecision, string][] = [
  ['rootCause', ACTIONS.rootCause],
  ['duplicate', ACTIONS.duplicate],
];

const reportOf = (value: string) => recordOf(value, parseFrictionId);

export function registerActions(routes: SlackRoutes, deps: ListenerDeps): void {
  // Triage: decided on the press. A double click presses with the same message, button and person: one decision.
  registerPressButton(routes, deps, ACTIONS.triage, (press) =>
    deps.friction.decide({ actor: press.actor, key: press.key }, 'triage', reportOf(press.value)),
  );

  // Root cause, duplicate: only a CoE member gets the form; the decision is taken when it is submitted. Decline has
  // a form of its own (decline.ts).
  for (const [decision, actionId] of FORM_BUTTONS) {
    registerFormButton(
      routes,
      deps,
      actionId,
      async (press) => {
        await deps.friction.ensureMayDecide(press.actor);
        return reportOf(press.value);
      },
      (number, press) =>
        decisionFormView(DECISION_FORMS[decision], frictionId(number), {
          number,
          ...(press.channel ? { channel: press.channel } : {}),
        }),
    );
  }

  // "+1 FR-4 instead", in the confirmation modal: the answer replaces the modal's content.
  routes.action(ACTIONS.plusOneInstead, async ({ ack, body, client }) => {
    await ack();
    const parsed = blockAction.safeParse(body);
    const view = parsed.success ? parsed.data.view : undefined;
    const action = parsed.success ? parsed.data.actions[0] : undefined;
    if (!parsed.success || !view || !action) {
      deps.log.warn({}, 'slack: a +1 button press arrived without its modal');
      return;
    }
    // No user in the key: the reporter may be anonymous, and the key is stored. The value names the report and
    // carries its claim token, so it is unique to this report already.
    const key = `slack:action:${view.id}:${action.action_id}:${action.value}`;
    const outcome = await attempt(
      () => deps.friction.plusOneInstead({ actor: actorOf(parsed.data.user, deps.names), key }, action.value),
      deps.log,
    );
    try {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: frictionMessageView(outcome.ok ? outcome.value : outcome.reply),
      });
    } catch (error) {
      // A hash conflict means another press updated the modal first; its answer stands.
      deps.log.warn({ err: error }, 'slack: could not update the confirmation modal');
    }
  });
}
