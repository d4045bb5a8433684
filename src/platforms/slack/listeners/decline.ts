/**
 * Declining a friction report: the review message's Decline button opens the lane form (CoE only), and its
 * submission is checked inline (each problem under its input, nothing stored) before the decision is taken and its
 * outcome told privately where the review message is.
 */
import { frictionId, parseFrictionId } from '../../../domain/friction.ts';
import type { DecisionInput } from '../../../services/friction.ts';
import { ACTIONS, VIEWS } from '../ids.ts';
import { actorOf, type FormState, formValue, hasInput, readDecisionMetadata, viewSubmission } from '../payloads.ts';
import { plainWithCommands } from '../render.ts';
import { DECLINE_BLOCKS, declineFormView } from '../views/decline-form.ts';
import { registerFormButton } from './buttons.ts';
import { attempt, type ListenerDeps, tellPrivately } from './deps.ts';
import { recordOf, submissionKey } from './interactions.ts';
import type { SlackRoutes } from './routes.ts';

/** Slack shows an input's error under it; keep it readable. */
const ERROR_TEXT_MAX = 1000;
const INCOMPLETE = 'The form arrived incomplete, so nothing was changed. Please try again.';

type DeclineField = keyof typeof DECLINE_BLOCKS;

function readDecline(values: FormState): DecisionInput {
  const input: DecisionInput = {};
  for (const field of Object.keys(DECLINE_BLOCKS) as DeclineField[]) {
    const value = formValue(values, DECLINE_BLOCKS[field]);
    if (value !== undefined) input[field] = value;
  }
  return input;
}

export function registerDecline(routes: SlackRoutes, deps: ListenerDeps): void {
  // Only a CoE member gets the form; the decision is taken when it is submitted.
  registerFormButton(
    routes,
    deps,
    ACTIONS.decline,
    async (press) => {
      await deps.friction.ensureMayDecide(press.actor);
      return recordOf(press.value, parseFrictionId);
    },
    (number, press) =>
      declineFormView(frictionId(number), { number, ...(press.channel ? { channel: press.channel } : {}) }),
  );

  routes.view(VIEWS.decideDecline, async ({ ack, body, client }) => {
    const parsed = viewSubmission.safeParse(body);
    const metadata = parsed.success ? readDecisionMetadata(parsed.data.view.private_metadata) : undefined;
    if (!parsed.success || !metadata) {
      await ack({ response_action: 'errors', errors: { [DECLINE_BLOCKS.lane]: INCOMPLETE } });
      return;
    }
    const { user, view } = parsed.data;
    const input = readDecline(view.state.values);
    const checked = await attempt(() => deps.friction.checkDecisionInput('decline', metadata.number, input), deps.log);
    const problems: Partial<Record<string, string>> = checked.ok ? checked.value : { lane: checked.reply.text };
    // A form opened before the lanes existed has only the note: what has no input of its own is said under it.
    const shown = (block: string) => hasInput(view.state.values, block);
    const fallback = shown(DECLINE_BLOCKS.lane) ? DECLINE_BLOCKS.lane : DECLINE_BLOCKS.reason;
    const errors: Record<string, string> = {};
    for (const [field, problem] of Object.entries(problems)) {
      if (!problem) continue;
      const own = DECLINE_BLOCKS[field as DeclineField];
      errors[own && shown(own) ? own : fallback] ??= plainWithCommands(problem, ERROR_TEXT_MAX);
    }
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const outcome = await attempt(
      () =>
        deps.friction.decide(
          { actor: actorOf(user, deps.names), key: submissionKey(view) },
          'decline',
          metadata.number,
          input,
        ),
      deps.log,
    );
    await tellPrivately(
      client,
      { channel: metadata.channel, user: user.id },
      outcome.ok ? outcome.value : outcome.reply,
      deps.log,
    );
  });
}
