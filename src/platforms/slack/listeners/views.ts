import type { App } from '@slack/bolt';
import type { FieldErrors } from '../../../domain/friction.ts';
import { DECISION_BLOCKS, FRICTION_FORM_BLOCKS, VIEWS } from '../ids.ts';
import {
  actorOf,
  readDecisionForm,
  readDecisionMetadata,
  readFrictionForm,
  readFrictionFormMetadata,
  viewSubmission,
} from '../payloads.ts';
import { plain } from '../render.ts';
import { DECISION_FORMS, type FormDecision } from '../views/decision-form.ts';
import { messageView } from '../views/friction-form.ts';
import { attempt, type ListenerDeps, tellPrivately } from './deps.ts';

/** Slack shows an input's error under it; keep it readable. */
const ERROR_TEXT_MAX = 1000;
const INCOMPLETE = 'The form arrived incomplete, so nothing was stored. Please try again.';

/** The idempotency key of a submission: a view submitted twice has the same id and hash. */
const submissionKey = (view: { id: string; hash: string }) => `slack:view:${view.id}:${view.hash}`;

export function registerViews(app: App, deps: ListenerDeps): void {
  app.view(VIEWS.frictionForm, async ({ ack, body }) => {
    const parsed = viewSubmission.safeParse(body);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: { [FRICTION_FORM_BLOCKS.title]: INCOMPLETE } });
      return;
    }
    const { user, view } = parsed.data;
    const { sourceLink } = readFrictionFormMetadata(view.private_metadata);
    const raw = { ...readFrictionForm(view.state.values), ...(sourceLink ? { sourceLink } : {}) };
    const outcome = await attempt(
      () => deps.friction.submit({ actor: actorOf(user), key: submissionKey(view) }, raw),
      deps.log,
    );
    if (!outcome.ok) {
      // Pushed over the form, so closing it brings the person back to what they typed.
      await ack({ response_action: 'push', view: messageView(outcome.reply, { close: 'Back' }) });
      return;
    }
    const result = outcome.value;
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: frictionErrors(result.errors) });
      return;
    }
    await ack({ response_action: 'update', view: messageView(result.confirmation) });
  });

  for (const decision of Object.keys(DECISION_FORMS) as FormDecision[]) {
    const form = DECISION_FORMS[decision];
    app.view(form.callbackId, async ({ ack, body, client }) => {
      const parsed = viewSubmission.safeParse(body);
      const metadata = parsed.success ? readDecisionMetadata(parsed.data.view.private_metadata) : undefined;
      if (!parsed.success || !metadata) {
        await ack({ response_action: 'errors', errors: { [DECISION_BLOCKS[form.field]]: INCOMPLETE } });
        return;
      }
      const { user, view } = parsed.data;
      const input = readDecisionForm(view.state.values);
      const checked = await attempt(() => deps.friction.checkDecisionInput(decision, metadata.number, input), deps.log);
      // The form has one input: whatever is wrong is said under it.
      const problem = checked.ok ? Object.values(checked.value).find(Boolean) : checked.reply.text;
      if (problem) {
        await ack({
          response_action: 'errors',
          errors: { [DECISION_BLOCKS[form.field]]: plain(problem, ERROR_TEXT_MAX) },
        });
        return;
      }
      await ack();
      const outcome = await attempt(
        () =>
          deps.friction.decide({ actor: actorOf(user), key: submissionKey(view) }, decision, metadata.number, input),
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
}

function frictionErrors(errors: FieldErrors & { sourceLink?: string }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, text] of Object.entries(errors)) {
    if (!text) continue;
    // A bad link (only ever from the message shortcut) has no input of its own: say it under "what happened".
    const block = FRICTION_FORM_BLOCKS[field as keyof FieldErrors] ?? FRICTION_FORM_BLOCKS.description;
    out[block] ??= plain(text, ERROR_TEXT_MAX);
  }
  if (Object.keys(out).length === 0) out[FRICTION_FORM_BLOCKS.title] = INCOMPLETE;
  return out;
}
