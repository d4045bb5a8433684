/**
 * SOP releases on Teams (issue 4): `release [sop key]` said to the bot, the task-module release form, and the
 * "Deployed in my team" button on the announcements. Each handler parses what Teams sent (zod), calls the release
 * service, and renders the answer. No business rule lives here.
 */
import type { Activity, TaskModuleResponse } from 'botbuilder';
import { z } from 'zod';
import type { Message } from '../../domain/message.ts';
import type { PersonRef } from '../../domain/people.ts';
import { RELEASE_FIELDS } from '../../domain/release.ts';
import { normaliseSopKey, SOP_KEY_PATTERN } from '../../domain/sop.ts';
import type { ErrorSink } from '../../services/answer.ts';
import type { ReleaseService } from '../../services/release.ts';
import { actorOf, interactionKey } from './activity.ts';
import { releaseFormCard, releaseOpenerCard, releaseStartValues } from './cards/release.ts';
import { taskCard } from './cards/task-module.ts';
import { adaptiveCardActivity, renderCard } from './cards.ts';
import { formFields, inDialog, parseData } from './dialog.ts';

const FORM_TITLE = 'Publish a release';

/** The standard a form is for, as the opener and the form carry it. */
const sopKey = z
  .string()
  .max(60)
  .transform(normaliseSopKey)
  .refine((key) => SOP_KEY_PATTERN.test(key));

const openerData = z.object({ sopKey: sopKey.optional() });

/** The form as Teams submits it: multi-selects as "a,b". */
const text = z.string().optional();
const formData = z.object({
  changes: text,
  notes: text,
  tags: text,
  teams: text,
  text,
  sopKey: sopKey.optional(),
  /** The fingerprint of the next version's text the form showed. */
  previewed: z.string().max(40).optional(),
});

const buttonData = z.object({ value: z.string().max(40) });

export class TeamsRelease {
  constructor(
    private readonly releases: ReleaseService,
    private readonly log: ErrorSink,
  ) {}

  /**
   * `release [sop key]`: checked first, so someone who may not publish, or a release with nothing approved to ship,
   * is refused with the reason (thrown); otherwise the card whose button opens the form.
   */
  async opener(actor: PersonRef, sop?: string): Promise<Partial<Activity>> {
    await this.releases.formOptions(actor, sop);
    return adaptiveCardActivity(releaseOpenerCard(sop), FORM_TITLE);
  }

  /** task/fetch from the opener's button: the form with the approved change requests waiting for a release. */
  openForm(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const { sopKey } = parseData(openerData, data);
      const options = await this.releases.formOptions(actorOf(activity), sopKey);
      const state = { options, values: releaseStartValues(options), text: options.prefill?.text };
      return taskCard(FORM_TITLE, releaseFormCard({ ...state, ...(sopKey ? { sopKey } : {}) }));
    });
  }

  /** task/submit of the form: published, or the form again with what to fix under each field. */
  submit(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const form = parseData(formData, data);
      const { raw, values } = formFields(RELEASE_FIELDS, form);
      const actor = actorOf(activity);
      const previewed = form.previewed ? { previewed: form.previewed } : {};
      const result = await this.releases.publish({ actor, key: interactionKey(activity), ...previewed }, raw);
      if (!result.ok) {
        // The text as it is now when it depends on what was picked; else the one the form showed is still right.
        const options = await this.releases.formOptions(actor, form.sopKey);
        const text =
          result.text ?? (form.previewed === options.prefill?.text.fingerprint ? options.prefill?.text : undefined);
        const state = { options, values, errors: result.errors, text, ...(form.sopKey ? { sopKey: form.sopKey } : {}) };
        return taskCard(FORM_TITLE, releaseFormCard(state));
      }
      return taskCard('Published', renderCard(result.confirmation));
    });
  }

  /** "Deployed in my team" on an announcement (a plain Action.Submit): the outcome, told privately to the presser. */
  async deployed(activity: Activity, data: unknown): Promise<Message> {
    const { value } = parseData(buttonData, data);
    return this.releases.acknowledge({ actor: actorOf(activity), key: interactionKey(activity) }, value);
  }
}
