import type { App } from '@slack/bolt';
import { CoeError } from '../../../domain/errors.ts';
import { parseFrictionId } from '../../../domain/friction.ts';
import { message } from '../../../domain/message.ts';
import { ACTIONS } from '../ids.ts';
import { actorOf, type BlockActionPayload, blockAction } from '../payloads.ts';
import { decisionFormView, type FormDecision } from '../views/decision-form.ts';
import { messageView } from '../views/friction-form.ts';
import { attempt, type ListenerDeps, tellPrivately } from './deps.ts';

const OUT_OF_DATE = 'That button is out of date. Nothing was changed.';

/** The review message's buttons that open a form first, by the decision they lead to. */
const FORM_BUTTONS: [FormDecision, string][] = [
  ['rootCause', ACTIONS.rootCause],
  ['duplicate', ACTIONS.duplicate],
  ['decline', ACTIONS.decline],
];

export function registerActions(app: App, deps: ListenerDeps): void {
  // Triage: decided on the press. A double click presses with the same message, button and person: one decision.
  app.action({ type: 'block_actions', action_id: ACTIONS.triage }, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, deps);
    if (!press) return;
    const outcome = await attempt(() => {
      if (press.number === undefined) throw new CoeError('INPUT.INVALID', OUT_OF_DATE);
      return deps.friction.decide({ actor: press.actor, key: press.key }, 'triage', press.number);
    }, deps.log);
    await tellPrivately(
      client,
      { channel: press.channel, user: press.userId, respond },
      outcome.ok ? outcome.value : outcome.reply,
      deps.log,
    );
  });

  // Root cause, duplicate, decline: only a CoE member gets the form; the decision is taken when it is submitted.
  for (const [decision, actionId] of FORM_BUTTONS) {
    app.action({ type: 'block_actions', action_id: actionId }, async ({ ack, body, client, respond }) => {
      await ack();
      const press = readPress(body, deps);
      if (!press) return;
      const where = { channel: press.channel, user: press.userId, respond };
      const allowed = await attempt(async () => {
        await deps.friction.ensureMayDecide(press.actor);
        if (press.number === undefined) throw new CoeError('INPUT.INVALID', OUT_OF_DATE);
        return press.number;
      }, deps.log);
      if (!allowed.ok) {
        await tellPrivately(client, where, allowed.reply, deps.log);
        return;
      }
      try {
        await client.views.open({
          trigger_id: press.triggerId,
          view: decisionFormView(decision, {
            number: allowed.value,
            ...(press.channel ? { channel: press.channel } : {}),
          }),
        });
      } catch (error) {
        deps.log.error({ err: error }, 'slack: could not open a decision form');
        await tellPrivately(
          client,
          where,
          message('Sorry, the form did not open (Slack gives it only a few seconds). Please press the button again.'),
          deps.log,
        );
      }
    });
  }

  // "+1 FR-4 instead", in the confirmation modal: the answer replaces the modal's content.
  app.action({ type: 'block_actions', action_id: ACTIONS.plusOneInstead }, async ({ ack, body, client }) => {
    await ack();
    const parsed = blockAction.safeParse(body);
    const view = parsed.success ? parsed.data.view : undefined;
    const action = parsed.success ? parsed.data.actions[0] : undefined;
    if (!parsed.success || !view || !action) {
      deps.log.warn({}, 'slack: a +1 button press arrived without its modal');
      return;
    }
    // No user in the key: the reporter may be anonymous, and the key is stored. The value names the report and
    // carries its claim token, so it is unique to this report already.
    const key = `slack:action:${view.id}:${action.action_id}:${action.value}`;
    const outcome = await attempt(
      () => deps.friction.plusOneInstead({ actor: actorOf(parsed.data.user), key }, action.value),
      deps.log,
    );
    try {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: messageView(outcome.ok ? outcome.value : outcome.reply),
      });
    } catch (error) {
      // A hash conflict means another press updated the modal first; its answer stands.
      deps.log.warn({ err: error }, 'slack: could not update the confirmation modal');
    }
  });
}

interface Press {
  actor: ReturnType<typeof actorOf>;
  userId: string;
  triggerId: string;
  channel: string | undefined;
  number: number | undefined;
  key: string;
}

/** A review-message button press: who, where, which report, and the press's idempotency key. */
function readPress(body: unknown, deps: ListenerDeps): Press | undefined {
  const parsed = blockAction.safeParse(body);
  if (!parsed.success) {
    deps.log.warn({ issues: parsed.error.issues.length }, 'slack: a button press arrived malformed');
    return undefined;
  }
  const b: BlockActionPayload = parsed.data;
  const action = b.actions[0];
  if (!action) return undefined;
  const channel = b.container?.channel_id ?? b.channel?.id;
  const messageTs = b.container?.message_ts;
  const where = messageTs ? `${channel ?? ''}:${messageTs}` : (action.action_ts ?? b.trigger_id);
  return {
    actor: actorOf(b.user),
    userId: b.user.id,
    triggerId: b.trigger_id,
    channel,
    number: parseFrictionId(action.value),
    key: `slack:action:${where}:${action.action_id}:${b.user.id}`,
  };
}
