/**
 * Standards' texts on Teams (issue 11): `sop new [key]` said to the bot and the task-module baseline form, and
 * "Show more" under a page of a standard's text or of a diff. Each handler parses what Teams sent (zod), calls the
 * standards' text service, and renders the answer. No business rule lives here.
 */
import type { Activity, TaskModuleResponse } from 'botbuilder';
import { z } from 'zod';
import type { Message } from '../../domain/message.ts';
import type { PersonRef } from '../../domain/people.ts';
import { normaliseSopKey, SOP_KEY_PATTERN } from '../../domain/sop.ts';
import { SOP_FORM_FIELDS } from '../../domain/sop-text.ts';
import type { ErrorSink } from '../../services/answer.ts';
import type { SopTextService } from '../../services/sop-text.ts';
import { actorOf, interactionKey } from './activity.ts';
import { SOP_FORM_TITLE, sopFormCard, sopOpenerCard } from './cards/sop.ts';
import { taskCard } from './cards/task-module.ts';
import { adaptiveCardActivity, renderCard } from './cards.ts';
import { formFields, inDialog, parseData } from './dialog.ts';

/** The key typed after `sop new`, carried by the opener's button. */
const openerData = z.object({
  value: z
    .string()
    .max(60)
    .transform(normaliseSopKey)
    .refine((key) => SOP_KEY_PATTERN.test(key))
    .optional(),
});

/** The form as Teams submits it: text inputs, the owner as a person id (or nothing: whoever registers it). */
const text = z.string().optional();
const formData = z.object({
  key: text,
  title: text,
  text,
  link: text,
  owner: z
    .string()
    .regex(/^\d{0,9}$/)
    .optional(),
});

const buttonData = z.object({ value: z.string().max(200) });

export class TeamsSop {
  constructor(
    private readonly sops: SopTextService,
    private readonly log: ErrorSink,
  ) {}

  /** `sop new [key]`: refused (thrown) to anyone but the CoE; otherwise the card whose button opens the form. */
  async opener(actor: PersonRef, key?: string): Promise<Partial<Activity>> {
    await this.sops.formOptions(actor);
    return adaptiveCardActivity(sopOpenerCard(key), SOP_FORM_TITLE);
  }

  /** task/fetch from the opener's button: the form, with the key typed after `sop new`. */
  openForm(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const { value: key } = parseData(openerData, data);
      const options = await this.sops.formOptions(actorOf(activity));
      return taskCard(SOP_FORM_TITLE, sopFormCard({ options, values: key ? { key } : {} }));
    });
  }

  /** task/submit of the form: registered, or the form again with what to fix under each field. */
  submit(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const form = parseData(formData, data);
      const { raw, values } = formFields(SOP_FORM_FIELDS, form);
      const actor = actorOf(activity);
      const owner = form.owner ? { id: Number(form.owner) } : undefined;
      const result = await this.sops.submit({ actor, key: interactionKey(activity) }, raw, owner);
      if (!result.ok) {
        const options = await this.sops.formOptions(actor);
        return taskCard(SOP_FORM_TITLE, sopFormCard({ options, values, errors: result.errors }));
      }
      return taskCard('Standard registered', renderCard(result.confirmation));
    });
  }

  /** "Show more" (a plain Action.Submit): the next page, told to the presser. */
  async more(_activity: Activity, data: unknown): Promise<Message> {
    return this.sops.more(parseData(buttonData, data).value);
  }
}
