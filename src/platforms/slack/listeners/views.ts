/**
 * The friction modals' submissions: the report form, and the decision forms behind the review message's buttons.
 */
import { FRICTION_FORM_BLOCKS, VIEWS } from '../ids.ts';
import { readFrictionForm, readFrictionFormMetadata } from '../payloads.ts';
import { DECISION_FORMS, type FormDecision } from '../views/decision-form.ts';
import { frictionMessageView } from '../views/friction-form.ts';
import type { ListenerDeps } from './deps.ts';
import { registerDecisionForm, registerForm } from './forms.ts';
import type { SlackRoutes } from './routes.ts';

export function registerViews(routes: SlackRoutes, deps: ListenerDeps): void {
  registerForm(routes, deps, {
    callbackId: VIEWS.frictionForm,
    blocks: FRICTION_FORM_BLOCKS,
    // A bad link (only ever from the message shortcut) has no input of its own: say it under "what happened".
    instead: { sourceLink: FRICTION_FORM_BLOCKS.description },
    fallbackBlock: FRICTION_FORM_BLOCKS.title,
    read: (view) => {
      const { sourceLink } = readFrictionFormMetadata(view.private_metadata);
      return { ...readFrictionForm(view.state.values), ...(sourceLink ? { sourceLink } : {}) };
    },
    submit: (request, raw) => deps.friction.submit(request, raw),
    messageView: frictionMessageView,
  });

  for (const decision of Object.keys(DECISION_FORMS) as FormDecision[]) {
    const form = DECISION_FORMS[decision];
    const inputOf = (value: string | undefined) => (value === undefined ? {} : { [form.field]: value });
    registerDecisionForm(routes, deps, form, {
      check: async (number, value) =>
        Object.values(await deps.friction.checkDecisionInput(decision, number, inputOf(value))).find(Boolean),
      decide: (request, number, value) => deps.friction.decide(request, decision, number, inputOf(value)),
    });
  }
}
