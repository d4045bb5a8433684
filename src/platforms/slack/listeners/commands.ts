import type { App } from '@slack/bolt';
import { z } from 'zod';
import { parseCoeCommand } from '../../../domain/coe-command.ts';
import { answer } from '../../../services/answer.ts';
import type { CoeCommands } from '../../../services/commands.ts';
import { SLASH_COMMANDS } from '../ids.ts';
import { extractMentions } from '../mentions.ts';
import { renderMessage } from '../render.ts';

const slashCommand = z.object({
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
  trigger_id: z.string().min(1),
  text: z.string().max(4000).default(''),
});

export function registerCommands(app: App, deps: { commands: CoeCommands }): void {
  app.command(SLASH_COMMANDS.coe, async ({ command, ack, logger }) => {
    const parsed = slashCommand.safeParse(command);
    if (!parsed.success) {
      await ack({
        response_type: 'ephemeral',
        text: 'That command arrived incomplete, so I did nothing. Please try again.',
      });
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
      logger,
    );
    await ack({ response_type: 'ephemeral', ...renderMessage(reply) });
  });
}
