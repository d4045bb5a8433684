import type { WebClient } from '@slack/web-api';
import type { PersonRef } from '../../../domain/people.ts';
import { type FrictionPrefill, frictionFormView } from '../views/friction-form.ts';
import { afterAcks } from './after-acks.ts';
import type { ListenerDeps } from './deps.ts';

/**
 * Opens the friction form on a fresh trigger: `/friction` and the message shortcut both end here. Slack takes the
 * trigger for 3 seconds, so this runs right after the ack and asks the core only for the form's defaults.
 * Returns false when the form could not be opened (the caller tells the person).
 */
export async function openFrictionForm(
  deps: ListenerDeps,
  client: WebClient,
  request: { triggerId: string; actor: PersonRef; prefill: FrictionPrefill; sourceLink?: string | undefined },
): Promise<boolean> {
  try {
    // The ack is out; the acks of requests already waiting go out before this one's form work (the trigger's 3 s
    // leave room for that).
    await afterAcks();
    const defaults = await deps.friction.formDefaults(request.actor);
    await client.views.open({
      trigger_id: request.triggerId,
      view: frictionFormView({
        teams: defaults.teams,
        ...(defaults.team ? { team: defaults.team } : {}),
        prefill: request.prefill,
        ...(request.sourceLink ? { sourceLink: request.sourceLink } : {}),
      }),
    });
    return true;
  } catch (error) {
    deps.log.error({ err: error }, 'slack: could not open the friction form');
    return false;
  }
}

export const FORM_DID_NOT_OPEN =
  'Sorry, the friction form did not open (Slack gives it only a few seconds). Please try again.';
