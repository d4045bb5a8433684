import type { WebClient } from '@slack/web-api';
import { LIMITS } from '../../../domain/friction.ts';
import { MESSAGE_SHORTCUTS } from '../ids.ts';
import { readableText } from '../mentions.ts';
import { actorOf, messageShortcut } from '../payloads.ts';
import type { ListenerDeps } from './deps.ts';
import { FORM_DID_NOT_OPEN, openFrictionForm } from './open-friction-form.ts';
import type { SlackRoutes } from './routes.ts';

/** The permalink may not eat the trigger's 3 seconds: after this, the report goes without a link. */
const PERMALINK_WAIT_MS = 1000;

export function registerShortcuts(routes: SlackRoutes, deps: ListenerDeps): void {
  // "Report friction" on a message: the form, pre-filled with the message's text and a link back to it.
  routes.shortcut(
    { callback_id: MESSAGE_SHORTCUTS.reportFriction, type: 'message_action' },
    async ({ ack, body, client, respond }) => {
      await ack();
      const parsed = messageShortcut.safeParse(body);
      if (!parsed.success) {
        deps.log.warn({ issues: parsed.error.issues.length }, 'slack: a message shortcut arrived malformed');
        return;
      }
      const s = parsed.data;
      const sourceLink = await permalink(client, s.channel.id, s.message_ts);
      const opened = await openFrictionForm(deps, client, {
        triggerId: s.trigger_id,
        actor: actorOf(s.user, deps.names),
        prefill: { description: readableText(s.message.text) },
        sourceLink,
      });
      if (!opened) {
        await respond({ response_type: 'ephemeral', text: FORM_DID_NOT_OPEN }).catch((error: unknown) => {
          deps.log.warn({ err: error }, 'slack: could not answer through the response_url');
        });
      }
    },
  );
}

/** The message's permalink (`chat.getPermalink` needs no extra scope), or undefined: the report can go without it. */
async function permalink(client: WebClient, channel: string, ts: string): Promise<string | undefined> {
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), PERMALINK_WAIT_MS).unref());
  const lookup = client.chat
    .getPermalink({ channel, message_ts: ts })
    .then((res) => {
      const link = res.permalink;
      return link?.startsWith('https://') && link.length <= LIMITS.sourceLink && URL.canParse(link) ? link : undefined;
    })
    .catch(() => undefined);
  return Promise.race([lookup, timeout]);
}
