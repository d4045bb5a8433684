/**
 * Registers every Slack listener, by surface (commands, shortcuts, modals, buttons, events) and by capability
 * (friction, change requests, releases, training, audits, stale nudges, help).
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
import { registerShortcuts } from './shortcuts.ts';
import { registerSopFind } from './sop-find.ts';
import { registerSops } from './sops.ts';
import { registerTrainings } from './trainings.ts';
import { registerViews } from './views.ts';

/** Every Slack surface the app answers on: slash commands, shortcuts, modals, buttons, events. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommands(app, deps);
  registerShortcuts(app, deps);
  registerViews(app, deps);
  registerActions(app, deps);
  registerDecline(app, deps);
  registerChangeRequests(app, deps);
  registerReleases(app, deps);
  registerTrainings(app, deps);
  registerAudits(app, deps);
  registerSops(app, deps);
  registerSopFind(app, deps);
  registerNudges(app, deps);
  registerHelp(app, deps);
  registerEvents(app, deps);
}
