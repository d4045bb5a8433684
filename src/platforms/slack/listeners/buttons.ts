/**
 * The two kinds of message buttons we have: one that is decided on the press (one service call, its answer told
 * privately to the presser), and one that opens a form first.
 */
import type { ModalView } from '@slack/web-api';
import type { Message } from '../../../domain/message.ts';
import { attempt, type ListenerDeps, tellPrivately } from './deps.ts';
import { type Press, readPress } from './interactions.ts';
import { openFormFromButton } from './open-form.ts';
import type { SlackRoutes } from './routes.ts';

export function registerPressButton(
  routes: SlackRoutes,
  deps: ListenerDeps,
  actionId: string,
  handle: (press: Press) => Promise<Message>,
): void {
  routes.action(actionId, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, deps, respond);
    if (!press) return;
    const outcome = await attempt(() => handle(press), deps.log);
    await tellPrivately(
      client,
      { channel: press.channel, user: press.userId, respond },
      outcome.ok ? outcome.value : outcome.reply,
      deps.log,
    );
  });
}

export function registerFormButton<T>(
  routes: SlackRoutes,
  deps: ListenerDeps,
  actionId: string,
  load: (press: Press) => Promise<T>,
  view: (options: T, press: Press) => ModalView,
): void {
  routes.action(actionId, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, deps, respond);
    if (!press) return;
    await openFormFromButton(
      deps,
      client,
      press,
      () => load(press),
      (options) => view(options, press),
    );
  });
}
