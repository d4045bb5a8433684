import type { App } from '@slack/bolt';
import { parseCoeCommand } from '../../../domain/coe-command.ts';
import { answer } from '../../../services/answer.ts';
import { SLASH_COMMANDS } from '../ids.ts';
import { extractMentions, readableText } from '../mentions.ts';
import { slashCommand } from '../payloads.ts';
import { renderMessage } from '../render.ts';
import { prefillFromText } from '../views/friction-form.ts';
import type { ListenerDeps } from './deps.ts';
import { FORM_DID_NOT_OPEN, openFrictionForm } from './open-friction-form.ts';

const INCOMPLETE = 'That command arrived incomplete, so I did nothing. Please try again.';

export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMANDS.coe, async ({ command, ack }) => {
    const parsed = slashCommand.safeParse(command);
    if (!parsed.success) {
      await ack({ response_type: 'ephemeral', text: INCOMPLETE });
      return;
    }
    const c = parsed.data;
    const { text, mentions } = extractMentions(c.text);
    const inDirectMessage = c.channel_name === 'directmessage' || c.channel_id.startsWith('D');
    const reply = await answer(
      () =>
        deps.commands.handle(
          {
            actor: { platform: 'slack', externalId: c.user_id, ...(c.user_name ? { displayName: c.user_name } : {}) },
            key: `slack:command:${c.trigger_id}`,
            ...(inDirectMessage ? {} : { channelId: c.channel_id }),
          },
          parseCoeCommand(text, mentions),
        ),
      deps.log,
    );
    await ack({ response_type: 'ephemeral', ...renderMessage(reply) });
  });

  // `/friction [text]`: the form opens on the trigger; nothing is stored until it is submitted.
  app.command(SLASH_COMMANDS.friction, async ({ command, ack, client, respond }) => {
    const parsed = slashCommand.safeParse(command);
    if (!parsed.success) {
      await ack({ response_type: 'ephemeral', text: INCOMPLETE });
      return;
    }
    await ack();
    const c = parsed.data;
    const opened = await openFrictionForm(deps, client, {
      triggerId: c.trigger_id,
      actor: { platform: 'slack', externalId: c.user_id },
      prefill: prefillFromText(readableText(c.text)),
    });
    if (!opened) {
      await respond({ response_type: 'ephemeral', text: FORM_DID_NOT_OPEN }).catch((error: unknown) => {
        deps.log.warn({ err: error }, 'slack: could not answer through the response_url');
      });
    }
  });
}
