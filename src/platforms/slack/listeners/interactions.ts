/**
 * What every button press and view submission is read as before a service is called: who, where, which button and
 * value, and the idempotency key that makes a double click or a re-submitted view one decision.
 */

import { createHash } from 'node:crypto';
import { CoeError } from '../../../domain/errors.ts';
import { actorOf, type BlockActionPayload, blockAction } from '../payloads.ts';
import type { ListenerDeps } from './deps.ts';

/** The record (`FR-3`, `CR-7`) a button is about; a value that names none is a button from an older version. */
export function recordOf(value: string, parse: (text: string) => number | undefined): number {
  const number = parse(value);
  if (number === undefined) throw new CoeError('INPUT.INVALID', 'That button is out of date. Nothing was changed.');
  return number;
}

/** The idempotency key of a submission: a view submitted twice has the same id and hash. */
export const submissionKey = (view: { id: string; hash: string }) => `slack:view:${view.id}:${view.hash}`;

export interface Press {
  actor: ReturnType<typeof actorOf>;
  userId: string;
  triggerId: string;
  /** The channel of the message the button is on (a review channel, a team channel, a direct message). */
  channel: string | undefined;
  /** The button's value: the record it is about (`FR-3`, `CR-7`, a release and team). */
  value: string;
  key: string;
  respond: ((reply: object) => Promise<unknown>) | undefined;
}

/**
 * A press on a button of a message: a double click presses with the same message, button, value and person, so it
 * has the same key and the core takes one decision. The value is in it because a message updated in place keeps its
 * ts: a button shown on a later revision (a change request resubmitted) carries another value, and is a new press.
 */
export function readPress(
  body: unknown,
  deps: Pick<ListenerDeps, 'log' | 'names'>,
  respond?: (reply: object) => Promise<unknown>,
): Press | undefined {
  const { log } = deps;
  const parsed = blockAction.safeParse(body);
  if (!parsed.success) {
    log.warn({ issues: parsed.error.issues.length }, 'slack: a button press arrived malformed');
    return undefined;
  }
  const b: BlockActionPayload = parsed.data;
  const action = b.actions[0];
  if (!action) return undefined;
  const channel = b.container?.channel_id ?? b.channel?.id;
  const messageTs = b.container?.message_ts;
  const where = messageTs ? `${channel ?? ''}:${messageTs}` : (action.action_ts ?? b.trigger_id);
  return {
    actor: actorOf(b.user, deps.names),
    userId: b.user.id,
    triggerId: b.trigger_id,
    channel,
    value: action.value,
    key: `slack:action:${where}:${action.action_id}:${keyPart(action.value)}:${b.user.id}`,
    respond,
  };
}

/** A button value as part of a key: as it is when short, else its hash (values may be up to 2000 characters). */
function keyPart(value: string): string {
  return value.length <= 64 ? value : createHash('sha256').update(value).digest('base64url');
}
