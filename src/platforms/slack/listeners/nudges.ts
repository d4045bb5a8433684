/**
 * "Snooze a week" on the nudges about friction reports that wait too long (in the CoE channel, or to a report's
 * owner): one service call, answered privately.
 */
import { NUDGE_BUTTONS } from '../ids.ts';
import { registerPressButton } from './buttons.ts';
import type { ListenerDeps } from './deps.ts';
import type { SlackRoutes } from './routes.ts';

export function registerNudges(routes: SlackRoutes, deps: ListenerDeps): void {
  registerPressButton(routes, deps, NUDGE_BUTTONS.snooze, (press) =>
    deps.nudges.snooze({ actor: press.actor }, press.value),
  );
}
