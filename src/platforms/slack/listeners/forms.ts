/**
 * The two shapes every modal submission of ours takes. A form (a friction report, a change request, a release):
 * the core checks it, and either its errors go back under the inputs (nothing stored) or the confirmation replaces
 * the form. A decision form (one input: a reason, a root cause): checked inline, then the decision is taken and its
 * outcome told privately where the review message is.
 */
import type { ModalView } from '@slack/web-api';
import type { Message } from '../../../domain/message.ts';
import {
  actorOf,
  formValue,
  hasInput,
  readDecisionMetadata,
  type ViewSubmission,
  viewSubmission,
} from '../payloads.ts';
import { plainWithCommands } from '../render.ts';
import type { DecisionForm } from '../views/decision-form.ts';
import { attempt, type ListenerDeps, tellPrivately } from './deps.ts';
import { submissionKey } from './interactions.ts';
import type { SlackRoutes } from './routes.ts';

/** Slack shows an input's error under it; keep it readable. */
const ERROR_TEXT_MAX = 1000;
const INCOMPLETE = 'The form arrived incomplete, so nothing was stored. Please try again.';

const errors = (byBlock: Record<string, string>) => ({ response_action: 'errors' as const, errors: byBlock });

export interface InteractionRequest {
  actor: ReturnType<typeof actorOf>;
  key: string;
}

export type FormResult = { ok: false; errors: Partial<Record<string, string>> } | { ok: true; confirmation: Message };

export interface FormSpec<T, R extends FormResult = FormResult> {
  callbackId: string;
  /** The block of each field the core names; without it, the core names the blocks themselves. */
  blocks?: Readonly<Record<string, string>>;
  /** Where a field's error goes when its own input is not in the view (a picker left out when it had nothing). */
  instead?: Readonly<Record<string, string>>;
  /** The input an error goes under when it names no input of the submitted view. */
  fallbackBlock: string;
  /** What the view holds, as the service takes it; undefined when its metadata is not ours. */
  read: (view: ViewSubmission['view']) => T | undefined;
  /** The one service call. */
  submit: (request: InteractionRequest, input: T) => Promise<R>;
  /**
   * For a form whose content follows from the answer (the release form's text): the form again in place of this
   * one, instead of errors under its inputs; undefined to say them under the inputs after all.
   */
  again?: (request: InteractionRequest, input: T, result: Extract<R, { ok: false }>) => Promise<ModalView | undefined>;
  /** A message in place of the form: the confirmation, or the reason it could not be taken. */
  messageView: (message: Message, close?: string) => ModalView;
}

export function registerForm<T, R extends FormResult = FormResult>(
  routes: SlackRoutes,
  deps: ListenerDeps,
  spec: FormSpec<T, R>,
): void {
  routes.view(spec.callbackId, async ({ ack, body }) => {
    const parsed = viewSubmission.safeParse(body);
    const input = parsed.success ? spec.read(parsed.data.view) : undefined;
    if (!parsed.success || input === undefined) {
      await ack(errors({ [spec.fallbackBlock]: INCOMPLETE }));
      return;
    }
    const { user, view } = parsed.data;
    const request = { actor: actorOf(user, deps.names), key: submissionKey(view) };
    const outcome = await attempt(() => spec.submit(request, input), deps.log);
    if (!outcome.ok) {
      // Pushed over the form, so closing it brings the person back to what they typed.
      await ack({ response_action: 'push', view: spec.messageView(outcome.reply, 'Back') });
      return;
    }
    const result = outcome.value;
    if (result.ok) {
      await ack({ response_action: 'update', view: spec.messageView(result.confirmation) });
      return;
    }
    const refused = result as Extract<R, { ok: false }>;
    const shown = spec.again ? await attempt(async () => spec.again?.(request, input, refused), deps.log) : undefined;
    if (shown?.ok && shown.value) {
      await ack({ response_action: 'update', view: shown.value });
      return;
    }
    const byBlock: Record<string, string> = {};
    for (const [field, text] of Object.entries(result.errors)) {
      if (text) byBlock[blockOf(spec, field, view)] ??= plainWithCommands(text, ERROR_TEXT_MAX);
    }
    await ack(errors(Object.keys(byBlock).length > 0 ? byBlock : { [spec.fallbackBlock]: INCOMPLETE }));
  });
}

/** The input of the submitted view that the core's error about `field` goes under. */
function blockOf(
  spec: Pick<FormSpec<unknown>, 'blocks' | 'instead' | 'fallbackBlock'>,
  field: string,
  view: ViewSubmission['view'],
): string {
  const own = spec.blocks ? spec.blocks[field] : field;
  for (const block of [own, spec.instead?.[field]]) if (block && hasInput(view.state.values, block)) return block;
  return spec.fallbackBlock;
}

export interface DecisionSpec {
  /** What is wrong with the input, in words; undefined when it will do. */
  check: (number: number, input: string | undefined) => Promise<string | undefined> | string | undefined;
  decide: (request: InteractionRequest, number: number, input: string | undefined) => Promise<Message>;
}

export function registerDecisionForm(
  routes: SlackRoutes,
  deps: ListenerDeps,
  form: DecisionForm,
  spec: DecisionSpec,
): void {
  routes.view(form.callbackId, async ({ ack, body, client }) => {
    const parsed = viewSubmission.safeParse(body);
    const metadata = parsed.success ? readDecisionMetadata(parsed.data.view.private_metadata) : undefined;
    if (!parsed.success || !metadata) {
      await ack(errors({ [form.blockId]: INCOMPLETE }));
      return;
    }
    const { user, view } = parsed.data;
    const input = formValue(view.state.values, form.blockId);
    const checked = await attempt(async () => spec.check(metadata.number, input), deps.log);
    // The form has one input: whatever is wrong is said under it.
    const problem = checked.ok ? checked.value : checked.reply.text;
    if (problem) {
      await ack(errors({ [form.blockId]: plainWithCommands(problem, ERROR_TEXT_MAX) }));
      return;
    }
    await ack();
    const outcome = await attempt(
      () => spec.decide({ actor: actorOf(user, deps.names), key: submissionKey(view) }, metadata.number, input),
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
