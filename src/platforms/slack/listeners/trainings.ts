/**
 * Training in Slack: the form `/coe training assign` opens, its submission, and the "Mark complete" and "Snooze 1
 * day" buttons on the announcements in team channels and on the reminders in direct messages.
 */
import { TRAINING_BUTTONS, TRAINING_FORM_BLOCKS, VIEWS } from '../ids.ts';
import { readTrainingForm } from '../payloads.ts';
import { trainingMessageView } from '../views/training-form.ts';
import { registerPressButton } from './buttons.ts';
import type { ListenerDeps } from './deps.ts';
import { registerForm } from './forms.ts';
import type { SlackRoutes } from './routes.ts';

export function registerTrainings(routes: SlackRoutes, deps: ListenerDeps): void {
  registerForm(routes, deps, {
    callbackId: VIEWS.trainingForm,
    fallbackBlock: TRAINING_FORM_BLOCKS.title,
    // Without teams (or standards) the form has no such input: "pick teams or layers" goes under the layers.
    blocks: TRAINING_FORM_BLOCKS,
    instead: { teams: TRAINING_FORM_BLOCKS.layers },
    read: (view) => readTrainingForm(view.state.values),
    submit: (request, raw) => deps.trainings.assign(request, raw),
    messageView: trainingMessageView,
  });

  // Each person's own assignment only; the answer is private, wherever the button was pressed.
  registerPressButton(routes, deps, TRAINING_BUTTONS.complete, (press) =>
    deps.trainings.complete({ actor: press.actor, key: press.key }, press.value),
  );
  registerPressButton(routes, deps, TRAINING_BUTTONS.snooze, (press) =>
    deps.trainings.snooze({ actor: press.actor, key: press.key }, press.value),
  );
}
