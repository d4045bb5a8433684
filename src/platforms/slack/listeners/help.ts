/**
 * "More commands" under the help: the whole list for the person who pressed it, in place of the short one.
 */
import { HELP_BUTTONS } from '../ids.ts';
import { renderMessage } from '../render.ts';
import { attempt, type ListenerDeps, tellPrivately } from './deps.ts';
import { readPress } from './interactions.ts';
import type { SlackRoutes } from './routes.ts';

export function registerHelp(routes: SlackRoutes, deps: ListenerDeps): void {
  routes.action(HELP_BUTTONS.more, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, deps, respond);
    if (!press) return;
    // The help is the presser's own (an ephemeral answer), so the list is theirs too: by their layer, not the asker's.
    const outcome = await attempt(
      () => deps.commands.handle({ actor: press.actor, key: press.key }, { kind: 'help', topic: 'all' }),
      deps.log,
    );
    const reply = outcome.ok ? outcome.value : outcome.reply;
    if (press.respond) {
      try {
        // An ephemeral message can only be changed through its response_url.
        await press.respond({ response_type: 'ephemeral', replace_original: true, ...renderMessage(reply) });
        return;
      } catch (error) {
        deps.log.warn({ err: error }, 'slack: could not replace the help, answering beside it');
      }
    }
    await tellPrivately(client, { channel: press.channel, user: press.userId }, reply, deps.log);
  });
}
