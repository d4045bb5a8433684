/**
 * Training on Teams (issue 5): `training assign` said to the bot, the task-module training form, and the "Mark
 * complete" / "Snooze 1 day" buttons on the announcements and reminders. Each handler parses what Teams sent (zod),
 * calls the training service, and renders the answer. No business rule lives here.
 */
import type { Activity, TaskModuleResponse } from 'botbuilder';
import { z } from 'zod';
import type { Message } from '../../domain/message.ts';
import type { PersonRef } from '../../domain/people.ts';
import { TRAINING_FIELDS, type TrainingField } from '../../domain/training.ts';
import type { ErrorSink } from '../../services/answer.ts';
import type { TrainingService } from '../../services/training.ts';
import { actorOf, interactionKey } from './activity.ts';
import { taskCard } from './cards/task-module.ts';
import { trainingFormCard, trainingOpenerCard, trainingStartValues } from './cards/training.ts';
import { adaptiveCardActivity, renderCard } from './cards.ts';
import { formFields, inDialog, parseData } from './dialog.ts';

const FORM_TITLE = 'Assign a training';

/** The form as Teams submits it: every input by its id, as text (multi-selects as "a,b"). */
const text = z.string().optional();
const formData = z.object(
  Object.fromEntries(TRAINING_FIELDS.map((field) => [field, text])) as Record<TrainingField, typeof text>,
);

/** A training button's data: the training id, `TR-3`. */
const buttonData = z.object({ value: z.string().max(20) });

export class TeamsTraining {
  constructor(
    private readonly trainings: TrainingService,
    private readonly log: ErrorSink,
  ) {}

  /** `training assign`: checked first, so someone who may not assign is refused (thrown); else the opener card. */
  async opener(actor: PersonRef): Promise<Partial<Activity>> {
    await this.trainings.formOptions(actor);
    return adaptiveCardActivity(trainingOpenerCard(), FORM_TITLE);
  }

  /** task/fetch from the opener's button: the form, with the standards and teams to choose from. */
  openForm(activity: Activity): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const options = await this.trainings.formOptions(actorOf(activity));
      return taskCard(FORM_TITLE, trainingFormCard({ options, values: trainingStartValues(options) }));
    });
  }

  /** task/submit of the form: assigned, or the form again with what to fix under each field. */
  submit(activity: Activity, data: unknown): Promise<TaskModuleResponse> {
    return inDialog(this.log, async () => {
      const { raw, values } = formFields(TRAINING_FIELDS, parseData(formData, data));
      const actor = actorOf(activity);
      const result = await this.trainings.assign({ actor, key: interactionKey(activity) }, raw);
      if (!result.ok) {
        const options = await this.trainings.formOptions(actor);
        return taskCard(FORM_TITLE, trainingFormCard({ options, values, errors: result.errors }));
      }
      return taskCard('Training assigned', renderCard(result.confirmation));
    });
  }

  /** "Mark complete" (a plain Action.Submit): the outcome, told privately to the presser. */
  complete(activity: Activity, data: unknown): Promise<Message> {
    const { value } = parseData(buttonData, data);
    return this.trainings.complete({ actor: actorOf(activity), key: interactionKey(activity) }, value);
  }

  /** "Snooze 1 day" on a reminder (a plain Action.Submit): the outcome, told privately to the presser. */
  snooze(activity: Activity, data: unknown): Promise<Message> {
    const { value } = parseData(buttonData, data);
    return this.trainings.snooze({ actor: actorOf(activity), key: interactionKey(activity) }, value);
  }
}
