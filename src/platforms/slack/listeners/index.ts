/**
 * Registers every Slack listener, by surface (commands, shortcuts, modals, buttons, events) and by capability
 * (friction, change requests, releases, training, audits, stale nudges, help): each against our routes, which give
 * Bolt one listener per surface and pick the handler by id (`routes.ts`).
 */
import type { App } from '@slack/bolt';
import { registerActions } from './actions.ts';
import { registerAudits } from './audits.ts';
import { registerChangeRequests } from './change-requests.ts';
import { registerCommands } from './commands.ts';
import { registerDecline } from './decline.ts';
import type { ListenerDeps } from './deps.ts';
import { registerEvents } from './events.ts';
import { registerHelp } from './help.ts';
import { registerNudges } from './nudges.ts';
import { registerReleases } from './releases.ts';
import { SlackRoutes } from './routes.ts';
import { registerShortcuts } from './shortcuts.ts';
import { registerSopFind } from './sop-find.ts';
import { registerSops } from './sops.ts';
import { registerTrainings } from './trainings.ts';
import { registerViews } from './views.ts';

/** Every Slack surface the app answers on: slash commands, shortcuts, modals, buttons, events. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const routes = new SlackRoutes(app);
  registerCommands(routes, deps);
  registerShortcuts(routes, deps);
  registerViews(routes, deps);
  registerActions(routes, deps);
  registerDecline(routes, deps);
  registerChangeRequests(routes, deps);
  registerReleases(routes, deps);
  registerTrainings(routes, deps);
  registerAudits(routes, deps);
  registerSops(routes, deps);
  registerSopFind(routes, deps);
  registerNudges(routes, deps);
  registerHelp(routes, deps);
  registerEvents(routes, deps);
}
