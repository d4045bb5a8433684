import { appHomeOpened } from '../payloads.ts';
import { homeView } from '../views/home.ts';
import { attempt, type ListenerDeps } from './deps.ts';
import type { SlackRoutes } from './routes.ts';

export function registerEvents(routes: SlackRoutes, deps: ListenerDeps): void {
  // App Home: published afresh on every opening (a retried event publishes the same view again, which is harmless).
  routes.event('app_home_opened', async ({ event, client }) => {
    const parsed = appHomeOpened.safeParse(event);
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    const actor = { platform: 'slack' as const, externalId: parsed.data.user };
    const sections = await attempt(() => deps.commands.overview(actor), deps.log);
    try {
      await client.views.publish({
        user_id: parsed.data.user,
        view: homeView(sections.ok ? sections.value : [sections.reply]),
      });
    } catch (error) {
      deps.log.warn({ err: error }, 'slack: could not publish the App Home');
    }
  });
}
