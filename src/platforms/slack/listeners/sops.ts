/**
 * Standards' texts in Slack (issue 11): the form `/coe sop new` opens, and "Show more" under a page of a standard's
 * text or of a diff, answered privately with the next page.
 */
import { SOP_BUTTONS, SOP_FORM_BLOCKS, SOP_TEXT_PARTS, VIEWS } from '../ids.ts';
import { type FormState, formValue } from '../payloads.ts';
import { sopMessageView } from '../views/sop-form.ts';
import { registerPressButton } from './buttons.ts';
import type { ListenerDeps } from './deps.ts';
import { registerForm } from './forms.ts';
import type { SlackRoutes } from './routes.ts';

/** The form as the core takes it: the text's boxes joined, and the Slack user picked as owner, if any. */
function readSopForm(values: FormState): { raw: Record<string, unknown>; owner: string | undefined } {
  const B = SOP_FORM_BLOCKS;
  const parts = [B.text, ...SOP_TEXT_PARTS].map((block) => formValue(values, block) ?? '').filter((t) => t.trim());
  return {
    raw: {
      key: formValue(values, B.key),
      title: formValue(values, B.title),
      text: parts.join('\n'),
      link: formValue(values, B.link),
    },
    owner: formValue(values, B.owner),
  };
}

export function registerSops(routes: SlackRoutes, deps: ListenerDeps): void {
  registerForm(routes, deps, {
    callbackId: VIEWS.sopForm,
    fallbackBlock: SOP_FORM_BLOCKS.key,
    blocks: SOP_FORM_BLOCKS,
    read: (view) => readSopForm(view.state.values),
    submit: (request, form) =>
      deps.sopTexts.submit(request, form.raw, form.owner ? { platform: 'slack', externalId: form.owner } : undefined),
    messageView: sopMessageView,
  });

  // Anyone may read on; the next page is theirs alone, like the first.
  registerPressButton(routes, deps, SOP_BUTTONS.more, (press) => deps.sopTexts.more(press.value));
}
