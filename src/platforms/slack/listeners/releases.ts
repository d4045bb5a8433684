/**
 * SOP releases in Slack: the release form (opened by `/coe release [sop key]`), its submission, and the "Deployed in
 * my team" button on the announcements in team channels.
 */
import type { App } from '@slack/bolt';
import { RELEASE_BUTTONS, RELEASE_FORM_BLOCKS, VIEWS } from '../ids.ts';
import { readReleaseForm } from '../payloads.ts';
import { releaseMessageView } from '../views/release-form.ts';
import { registerPressButton } from './buttons.ts';
import type { ListenerDeps } from './deps.ts';
import { registerForm } from './forms.ts';

export function registerReleases(app: App, deps: ListenerDeps): void {
  registerForm(app, deps, {
    callbackId: VIEWS.releaseForm,
    fallbackBlock: RELEASE_FORM_BLOCKS.changes,
    // Without any team the form has no team input: "add teams first" is said under the changes.
    blocks: RELEASE_FORM_BLOCKS,
    read: (view) => readReleaseForm(view.state.values),
    submit: (request, raw) => deps.releases.publish(request, raw),
    messageView: releaseMessageView,
  });

  // "Deployed in my team": counted once per team however often it is pressed; the answer is private.
  registerPressButton(app, deps, RELEASE_BUTTONS.deployed, (press) =>
    deps.releases.acknowledge({ actor: press.actor, key: press.key }, press.value),
  );
}
