/**
 * SOP releases in Slack: the release form (opened by `/coe release [sop key]`), its submission, and the "Deployed in
 * my team" button on the announcements in team channels. The form shows the next version's text; when what it would
 * publish is no longer what it showed (other changes picked, a conflict to settle), it comes back, updated in place.
 */
import { z } from 'zod';
import { RELEASE_BUTTONS, RELEASE_FORM_BLOCKS, VIEWS } from '../ids.ts';
import { readReleaseForm } from '../payloads.ts';
import { releaseFormView, releaseMessageView } from '../views/release-form.ts';
import { registerPressButton } from './buttons.ts';
import type { ListenerDeps } from './deps.ts';
import { registerForm } from './forms.ts';
import type { SlackRoutes } from './routes.ts';

/** The form's `private_metadata`: the fingerprint of the text it showed (`releaseFormMetadata`). */
const metadata = z.object({ previewed: z.string().max(40).optional() });

function previewedOf(text: string): string | undefined {
  if (!text) return undefined;
  try {
    const parsed = metadata.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.previewed : undefined;
  } catch {
    return undefined;
  }
}

export function registerReleases(routes: SlackRoutes, deps: ListenerDeps): void {
  registerForm(routes, deps, {
    callbackId: VIEWS.releaseForm,
    fallbackBlock: RELEASE_FORM_BLOCKS.changes,
    // Without any team the form has no team input: "add teams first" is said under the changes.
    blocks: RELEASE_FORM_BLOCKS,
    read: (view) => ({ raw: readReleaseForm(view.state.values), previewed: previewedOf(view.private_metadata) }),
    submit: (request, { raw, previewed }) =>
      deps.releases.publish({ ...request, ...(previewed ? { previewed } : {}) }, raw),
    // The next version's text as it is now, for the CoE to look at before pressing Publish again.
    again: async (request, { raw }, result) => {
      if (!result.text) return undefined;
      const options = await deps.releases.formOptions(request.actor);
      return releaseFormView(options, { values: raw, text: result.text, notice: result.errors.text });
    },
    messageView: releaseMessageView,
  });

  // "Deployed in my team": counted once per team however often it is pressed; the answer is private.
  registerPressButton(routes, deps, RELEASE_BUTTONS.deployed, (press) =>
    deps.releases.acknowledge({ actor: press.actor, key: press.key }, press.value),
  );
}
