/**
 * Opening a form on a fresh trigger, from a slash command or a button. The core is asked first what the form offers
 * (and whether this person may fill it in at all), so a refusal is said privately and no form opens. Slack takes the
 * trigger for 3 seconds, so nothing else runs in between.
 */
import type { AckFn, RespondArguments, RespondFn } from '@slack/bolt';
import type { ModalView, WebClient } from '@slack/web-api';
import { message } from '../../../domain/message.ts';
import { renderMessage } from '../render.ts';
import { attempt, type ListenerDeps, type ListenerLog, tellPrivately } from './deps.ts';
import type { Press } from './interactions.ts';

const DID_NOT_OPEN = 'Sorry, the form did not open (Slack gives it only a few seconds). Please try again.';

/** Opens `view` on the trigger; false when Slack refused it (most likely the trigger expired). */
async function openModal(client: WebClient, triggerId: string, view: ModalView, log: ListenerLog): Promise<boolean> {
  try {
    await client.views.open({ trigger_id: triggerId, view });
    return true;
  } catch (error) {
    log.error({ err: error, callbackId: view.callback_id }, 'slack: could not open a form');
    return false;
  }
}

/** A slash command that opens a form: the refusal, if any, is the command's (ephemeral) answer. */
export async function openFormFromCommand<T>(
  deps: ListenerDeps,
  command: { ack: AckFn<string | RespondArguments>; respond: RespondFn; client: WebClient; triggerId: string },
  load: () => Promise<T>,
  view: (options: T) => ModalView,
): Promise<void> {
  const loaded = await attempt(load, deps.log);
  if (!loaded.ok) {
    await command.ack({ response_type: 'ephemeral', ...renderMessage(loaded.reply) });
    return;
  }
  await command.ack();
  if (await openModal(command.client, command.triggerId, view(loaded.value), deps.log)) return;
  await command.respond({ response_type: 'ephemeral', text: DID_NOT_OPEN }).catch((error: unknown) => {
    deps.log.warn({ err: error }, 'slack: could not answer through the response_url');
  });
}

/** A button that opens a form (a reason, a revision): refused privately, or the form on the press's trigger. */
export async function openFormFromButton<T>(
  deps: ListenerDeps,
  client: WebClient,
  press: Press,
  load: () => Promise<T>,
  view: (options: T) => ModalView,
): Promise<void> {
  const where = { channel: press.channel, user: press.userId, respond: press.respond };
  const loaded = await attempt(load, deps.log);
  if (!loaded.ok) {
    await tellPrivately(client, where, loaded.reply, deps.log);
    return;
  }
  if (await openModal(client, press.triggerId, view(loaded.value), deps.log)) return;
  await tellPrivately(client, where, message(DID_NOT_OPEN), deps.log);
}
