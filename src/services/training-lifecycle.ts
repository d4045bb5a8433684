/**
 * The rest of a training's life (issue 12), for both platforms: `training cancel TR-3` stops its reminders and tells
 * the people who had not completed it, once; `training due TR-3 YYYY-MM-DD` moves its due date and tells those still
 * not done the new one. CoE members only, as assigning is (DOMAIN.md). Each change is an event; the people it concerns
 * hear of it through the outbox, and their teams' channels get one line (team-level, never who is behind).
 */
import { localDate, type WorkCalendar } from '../domain/calendar.ts';
import { CoeError } from '../domain/errors.ts';
import {
  trainingCancelledAlready,
  trainingCancelledConfirmation,
  trainingCancelledNotice,
  trainingCancelledRefusal,
  trainingDueConfirmation,
  trainingDueNotice,
  trainingDueUnchanged,
} from '../domain/lifecycle-messages.ts';
import { type Message, message } from '../domain/message.ts';
import { may, type Person, type PersonRef } from '../domain/people.ts';
import { parseTrainingId, trainingId } from '../domain/training.ts';
import type { Clock, Repositories, Store, Training } from '../ports.ts';
import type { CoeRequest } from './coe-admin.ts';
import { tellPerson } from './review-thread.ts';
import { trainingReach } from './training-reach.ts';

const REFUSAL = 'Only CoE members cancel a training or move its due date. Nothing was changed.';

export class TrainingLifecycleService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: { calendar: WorkCalendar },
  ) {}

  /** `training cancel TR-3`: reminders stop; whoever had not completed it is told, once. */
  async cancel(request: CoeRequest, id: string): Promise<Message> {
    const number = this.number(id);
    const outcome = await this.store.once(request.key, async (repos) => {
      const actor = await this.assigner(repos, request.actor);
      const training = await this.existing(repos, number);
      if (training.cancelledAt) return trainingCancelledAlready(training);
      const after = await repos.trainings.update(number, { cancelledAt: this.clock.now() });
      await repos.events.record({
        actorPersonId: actor.id,
        subject: trainingId(number),
        action: 'training.cancelled',
        from: training.dueOn,
      });
      // Cancelled once only, so these keys never come back.
      const told = await this.tell(repos, after, `${trainingId(number)}:cancelled`, trainingCancelledNotice(after));
      return trainingCancelledConfirmation(after, told);
    });
    return outcome.duplicate ? message('Already done.') : outcome.value;
  }

  /** `training due TR-3 2025-03-14`: a new due date, today or later; those not done yet are told it. */
  async moveDue(request: CoeRequest, id: string, dueOn: string): Promise<Message> {
    const number = this.number(id);
    const outcome = await this.store.once(request.key, async (repos) => {
      const actor = await this.assigner(repos, request.actor);
      const training = await this.existing(repos, number);
      if (training.cancelledAt) throw new CoeError('INPUT.INVALID', trainingCancelledRefusal(number));
      if (training.dueOn === dueOn) return trainingDueUnchanged(training);
      if (dueOn < localDate(this.clock.now(), this.settings.calendar.timeZone)) {
        throw new CoeError(
          'INPUT.INVALID',
          `${dueOn} has passed already: pick today or a later day. Nothing was changed.`,
        );
      }
      const after = await repos.trainings.update(number, { dueOn });
      await repos.events.record({
        actorPersonId: actor.id,
        subject: trainingId(number),
        action: 'training.due_moved',
        from: training.dueOn,
        to: dueOn,
      });
      // Keyed by this command: moved again (even back), the people are told again.
      const key = `${trainingId(number)}:due:${request.key}`;
      const told = await this.tell(repos, after, key, trainingDueNotice(after, training.dueOn));
      return trainingDueConfirmation(after, training.dueOn, told);
    });
    return outcome.duplicate ? message('Already done.') : outcome.value;
  }

  /**
   * Each assignee not done yet by direct message, and each of its teams' channels in one line; how many people. Those
   * it reached only through a team archived since are not told (nor is that team's channel).
   */
  private async tell(repos: Repositories, training: Training, key: string, body: Message): Promise<number> {
    const reach = await trainingReach(repos, training);
    let people = 0;
    for (const a of await repos.trainings.assignments(training.number)) {
      if (a.completedAt || !reach.concerns(a)) continue;
      if (await tellPerson(repos, a.personId, `${key}:person:${a.personId}`, body)) people++;
    }
    for (const channel of await repos.teams.channels(training.teamIds)) {
      await repos.outbox.enqueue({
        key: `${key}:${channel.platform}:${channel.channelId}`,
        platform: channel.platform,
        target: { kind: 'channel', channelId: channel.channelId },
        body,
      });
    }
    return people;
  }

  private number(id: string): number {
    const number = parseTrainingId(id);
    if (number === undefined) throw new CoeError('INPUT.INVALID', 'Give a training id, like TR-3.');
    return number;
  }

  private async existing(repos: Repositories, number: number): Promise<Training> {
    const training = await repos.trainings.getForUpdate(number);
    if (!training) throw new CoeError('NOT_FOUND', `There is no ${trainingId(number)}.`);
    return training;
  }

  private async assigner(repos: Repositories, actor: PersonRef): Promise<Person> {
    const person = await repos.people.find(actor);
    if (!person || !may(person.layer, 'assignTraining')) throw new CoeError('PERMISSION.DENIED', REFUSAL);
    return person;
  }
}
