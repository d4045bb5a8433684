/**
 * Training (seed §2, §4 "CoE publishes updated standards… with training"), for both platforms: the CoE assigns a
 * training to teams or layers; it is announced in the teams' channels; a scheduled run reminds the people who have not
 * completed it, by direct message and with a team-level line in the team's channel, on working days and hours only, a
 * few times at most; "Mark complete" stops it, "Snooze 1 day" skips a day. A person sees their own status, everyone
 * else team totals.
 */
import { addDays, isWorkingTime, localDate, type WorkCalendar } from '../domain/calendar.ts';
import { CoeError } from '../domain/errors.ts';
import { trainingCancelledAlready } from '../domain/lifecycle-messages.ts';
import { type Message, message } from '../domain/message.ts';
import { trainingReminderPart } from '../domain/notices.ts';
import { may, type PersonRef } from '../domain/people.ts';
import {
  type CompletionGroup,
  myTrainingsMessage,
  type TrainingView,
  teamTrainingReminder,
  trainingAnnouncement,
  trainingReminder,
  trainingSection,
  trainingStatusMessage,
} from '../domain/schedule-messages.ts';
import {
  parseTrainingId,
  reminderDue,
  SNOOZE_MS,
  type TrainingFieldErrors,
  trainingId,
  validateTraining,
} from '../domain/training.ts';
import type { Clock, Repositories, Store, Team, Training, TrainingAssignment } from '../ports.ts';
import { Notices } from './notices.ts';
import { tellPerson } from './review-thread.ts';
import { currentVersion } from './standards.ts';
import { trainingReach } from './training-reach.ts';

export interface TrainingSettings {
  calendar: WorkCalendar;
  /** Reminders a person gets at most per training. */
  maxReminders: number;
  /** No count about fewer people than this in a team's line or a status (`METRICS_MIN_GROUP`). */
  minGroup: number;
}

export interface TrainingRequest {
  actor: PersonRef;
  key: string;
}

export type AssignResult = { ok: false; errors: TrainingFieldErrors } | { ok: true; confirmation: Message };

/** What the assignment form offers. */
export interface TrainingFormOptions {
  sops: { key: string; title: string }[];
  teams: Team[];
  /** Today in the organisation's time zone: the earliest due date. */
  today: string;
}

const reminderKey = (number: number, personId: number) => `${trainingId(number)}:person:${personId}`;

/** Trainings due longer ago than this are not looked at by the reminder run. */
const REMIND_WITHIN_DAYS = 60;

export class TrainingService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: TrainingSettings,
  ) {}

  async formOptions(actor: PersonRef): Promise<TrainingFormOptions> {
    return this.store.transaction(async (repos) => {
      await this.assigner(repos, actor);
      return {
        sops: (await repos.sops.list()).filter((s) => !s.retiredAt).map((s) => ({ key: s.key, title: s.title })),
        teams: (await repos.teams.list()).map((t) => ({ id: t.id, name: t.name })),
        today: this.today(),
      };
    });
  }

  /**
   * `training assign`: stores TR-<n>, assigns the members of its teams and the people of its layers, announces it in
   * each team channel and tells the people assigned through their layer directly.
   */
  async assign(request: TrainingRequest, raw: Record<string, unknown>): Promise<AssignResult> {
    return this.store.transaction(async (repos) => {
      const actor = await this.assigner(repos, request.actor);
      const done = await repos.trainings.bySubmissionKey(request.key);
      if (done) return { ok: true, confirmation: this.confirmation(done) };
      const teams = (await repos.teams.list()).map((t) => ({ id: t.id, name: t.name }));
      const sops = (await repos.sops.list()).filter((s) => !s.retiredAt).map((s) => s.key);
      const checked = validateTraining(raw, { sops, teams, today: this.today() });
      if (!checked.ok) return checked;
      const input = checked.value;
      const version = input.sopKey
        ? currentVersion(await repos.sops.get(input.sopKey), await repos.sops.releases(input.sopKey))
        : undefined;
      const training = await repos.trainings.create({
        title: input.title,
        material: input.material,
        sopKey: input.sopKey ?? null,
        sopMajor: version?.major ?? null,
        sopMinor: version?.minor ?? null,
        teamIds: input.teamIds,
        layers: input.layers,
        dueOn: input.dueOn,
        createdByPersonId: actor.id,
        createdAt: this.clock.now(),
        submissionKey: request.key,
      });
      const id = trainingId(training.number);
      await repos.events.record({ actorPersonId: actor.id, subject: id, action: 'training.assigned', to: input.dueOn });
      await this.enrol(repos, training);
      const view = viewOf(training);
      for (const channel of await repos.teams.channels(training.teamIds)) {
        const team = teams.find((t) => t.id === channel.teamId);
        await repos.outbox.enqueue({
          key: `${id}:announce:${channel.platform}:${channel.channelId}`,
          platform: channel.platform,
          target: { kind: 'channel', channelId: channel.channelId },
          body: trainingAnnouncement(view, team?.name ?? 'your team'),
        });
      }
      for (const assignment of await repos.trainings.assignments(training.number)) {
        if (assignment.teamId !== null) continue;
        await tellPerson(
          repos,
          assignment.personId,
          `${id}:assigned:${assignment.personId}`,
          trainingReminder(view, true),
        );
      }
      return { ok: true, confirmation: this.confirmation(training) };
    });
  }

  /** "Mark complete": the person's own assignment only. */
  async complete(request: TrainingRequest, id: string): Promise<Message> {
    const number = this.number(id);
    return this.store.transaction(async (repos) => {
      const training = await this.existing(repos, number);
      const person = await repos.people.find(request.actor);
      const mine = person && (await repos.trainings.assignmentsOf(person.id)).find((a) => a.trainingNumber === number);
      if (!person || !mine) {
        throw new CoeError(
          'PERMISSION.DENIED',
          `${trainingId(number)} is not assigned to you, so there is nothing to mark.`,
        );
      }
      if (training.cancelledAt) return trainingCancelledAlready(training);
      if (!(await repos.trainings.complete(number, person.id, this.clock.now()))) {
        return message(`You completed ${trainingId(number)} already. Thank you.`);
      }
      await repos.events.record({
        actorPersonId: person.id,
        subject: trainingId(number),
        action: 'training.completed',
      });
      return message(`Done: ${trainingId(number)} "${training.title}" is marked complete. No more reminders about it.`);
    });
  }

  /** "Snooze 1 day": no reminder before 24 hours have passed. */
  async snooze(request: TrainingRequest, id: string): Promise<Message> {
    const number = this.number(id);
    return this.store.transaction(async (repos) => {
      const training = await this.existing(repos, number);
      const person = await repos.people.find(request.actor);
      const mine = person && (await repos.trainings.assignmentsOf(person.id)).find((a) => a.trainingNumber === number);
      if (!person || !mine) throw new CoeError('PERMISSION.DENIED', `${trainingId(number)} is not assigned to you.`);
      if (training.cancelledAt) return trainingCancelledAlready(training);
      if (mine.completedAt)
        return message(`You completed ${trainingId(number)} already: there are no reminders to snooze.`);
      await repos.nudges.snooze(reminderKey(number, person.id), new Date(this.clock.now().getTime() + SNOOZE_MS));
      return message(`Snoozed: no reminder about ${trainingId(number)} before this time tomorrow.`);
    });
  }

  /**
   * The scheduled run: reminds everyone due a reminder (see `reminderDue`) and tells each of their teams how far it
   * is. Outside working hours it does nothing (the next run will). Each reminder is keyed by training, person and
   * day, so a repeated or caught-up run sends none twice. A person due reminders of several trainings gets them in one
   * message (issue 12: say less).
   */
  async remind(): Promise<string> {
    const now = this.clock.now();
    if (!isWorkingTime(now, this.settings.calendar)) return 'outside working hours: nothing sent';
    const today = this.today();
    // Reminders start the day after assignment and stop at the cap, well within this window past the due date; older
    // trainings are done with, however many there are.
    const trainings = await this.store.read((repos) => repos.trainings.list(addDays(today, -REMIND_WITHIN_DAYS)));
    // Many short transactions, never one long one for a large organisation: who is due what, one per training; then
    // one per person reminded; then one per training for its teams' channels.
    const due = new Map<number, Training[]>();
    const teamLines: { training: Training; teamIds: number[] }[] = [];
    for (const training of trainings) {
      const found = await this.store.transaction((repos) => this.dueOf(repos, training, today, now));
      for (const personId of found.people) due.set(personId, [...(due.get(personId) ?? []), training]);
      if (found.teamIds.length > 0) teamLines.push({ training, teamIds: found.teamIds });
    }
    let people = 0;
    for (const [personId, list] of due) {
      if (await this.store.transaction((repos) => this.remindPerson(repos, personId, list, today, now))) people++;
    }
    let channels = 0;
    for (const { training, teamIds } of teamLines) {
      channels += await this.store.transaction((repos) => this.tellTeams(repos, training, teamIds, today));
    }
    return `reminded ${people} people and ${channels} team channels`;
  }

  /**
   * Who is due a reminder of one training, and their teams; newcomers to its teams and layers are assigned first.
   * Those it reached only through a team archived since are reminded no more, and that team gets no line.
   */
  private async dueOf(repos: Repositories, training: Training, today: string, now: Date) {
    const reach = await trainingReach(repos, training);
    await this.enrol(repos, training, reach.liveTeamIds);
    const people: number[] = [];
    const teamIds = new Set<number>();
    for (const a of await repos.trainings.assignments(training.number)) {
      if (!reach.concerns(a) || !(await this.isDue(repos, training, a, today, now))) continue;
      people.push(a.personId);
      if (a.teamId !== null && reach.liveTeamIds.includes(a.teamId)) teamIds.add(a.teamId);
    }
    return { people, teamIds: [...teamIds] };
  }

  /** One message about every training due, checked again: the person may have completed or snoozed one since. */
  private async remindPerson(repos: Repositories, personId: number, trainings: Training[], today: string, now: Date) {
    const notices = new Notices(repos);
    const assignments = await repos.trainings.assignmentsOf(personId);
    for (const training of trainings) {
      const a = assignments.find((m) => m.trainingNumber === training.number);
      if (!a || !(await this.isDue(repos, training, a, today, now))) continue;
      const key = `${trainingId(training.number)}:remind:${personId}:${today}`;
      if (await notices.tell(personId, key, trainingReminderPart(viewOf(training)))) {
        await repos.nudges.sent(reminderKey(training.number, personId), today);
      }
    }
    return (await notices.send()) > 0;
  }

  private async isDue(repos: Repositories, training: Training, a: TrainingAssignment, today: string, now: Date) {
    const state = await repos.nudges.get(reminderKey(training.number, a.personId));
    const reminder = {
      completed: a.completedAt !== null,
      nudges: state?.count ?? 0,
      lastOn: state?.lastOn ?? null,
      snoozedUntil: state?.snoozedUntil ?? null,
      assignedOn: localDate(training.createdAt, this.settings.calendar.timeZone),
    };
    return reminderDue(reminder, today, now, this.settings.maxReminders);
  }

  /** The line in the channels of the teams someone was reminded in: how far the team is, never who. */
  private async tellTeams(repos: Repositories, training: Training, teamIds: number[], today: string) {
    const assignments = await repos.trainings.assignments(training.number);
    const view = viewOf(training);
    const id = trainingId(training.number);
    const channels = await repos.teams.channels(teamIds);
    const teams = channels.length > 0 ? await repos.teams.list() : [];
    for (const channel of channels) {
      const members = assignments.filter((a) => a.teamId === channel.teamId);
      await repos.outbox.enqueue({
        key: `${id}:team:${channel.platform}:${channel.channelId}:${today}`,
        platform: channel.platform,
        target: { kind: 'channel', channelId: channel.channelId },
        body: teamTrainingReminder(
          view,
          teams.find((t) => t.id === channel.teamId)?.name ?? 'your team',
          members.filter((m) => m.completedAt).length,
          members.length,
          this.settings.minGroup,
        ),
      });
    }
    return channels.length;
  }

  /** `training`: the person's own trainings. */
  async mine(actor: PersonRef): Promise<Message> {
    return this.store.transaction(async (repos) => {
      const person = await repos.people.find(actor);
      if (!person) return myTrainingsMessage([]);
      const items = [];
      for (const a of await repos.trainings.assignmentsOf(person.id)) {
        const training = await repos.trainings.get(a.trainingNumber);
        if (training) items.push({ training: viewOf(training), completedAt: a.completedAt });
      }
      return myTrainingsMessage(items.reverse());
    });
  }

  /** `training status TR-3`: anyone; completion per team and per layer, never per person. */
  async status(id: string): Promise<Message> {
    const number = this.number(id);
    return this.store.transaction(async (repos) => {
      const training = await this.existing(repos, number);
      const assignments = await repos.trainings.assignments(number);
      const teams: CompletionGroup[] = [];
      for (const team of (await repos.teams.list()).filter((t) => training.teamIds.includes(t.id))) {
        const members = assignments.filter((a) => a.teamId === team.id);
        teams.push({ name: team.name, done: members.filter((m) => m.completedAt).length, total: members.length });
      }
      const layers: CompletionGroup[] = [];
      const people = await repos.people.withLayers(training.layers);
      for (const layer of training.layers) {
        const ids = new Set(people.filter((p) => p.layer === layer).map((p) => p.id));
        const members = assignments.filter((a) => a.teamId === null && ids.has(a.personId));
        layers.push({ name: layer, done: members.filter((m) => m.completedAt).length, total: members.length });
      }
      return trainingStatusMessage(viewOf(training), teams, layers, this.settings.minGroup);
    });
  }

  /** The "Training" section of `sop show`. */
  readonly sopSection = async (repos: Repositories, sopKey: string) =>
    trainingSection((await repos.trainings.bySop(sopKey)).map(viewOf));

  /** Assigns whoever belongs now: the teams' members and the layers' people (already assigned ones stay as they are). */
  private async enrol(repos: Repositories, training: Training, teamIds = training.teamIds): Promise<void> {
    for (const teamId of teamIds) {
      for (const member of await repos.teams.members(teamId)) {
        await repos.trainings.assign(training.number, member.personId, teamId);
      }
    }
    if (training.layers.length === 0) return;
    for (const person of await repos.people.withLayers(training.layers)) {
      await repos.trainings.assign(training.number, person.id, null);
    }
  }

  private confirmation(training: Training): Message {
    const id = trainingId(training.number);
    return message(
      `Done: ${id} "${training.title}" is assigned, due ${training.dueOn}. It is announced in the teams' channels; reminders follow on working days.`,
    );
  }

  private today(): string {
    return localDate(this.clock.now(), this.settings.calendar.timeZone);
  }

  private number(id: string): number {
    const number = parseTrainingId(id);
    if (number === undefined) throw new CoeError('INPUT.INVALID', 'Give a training id, like TR-3.');
    return number;
  }

  private async existing(repos: Repositories, number: number): Promise<Training> {
    const training = await repos.trainings.get(number);
    if (!training) throw new CoeError('NOT_FOUND', `There is no ${trainingId(number)}.`);
    return training;
  }

  private async assigner(repos: Repositories, actor: PersonRef) {
    const person = await repos.people.find(actor);
    if (!person || !may(person.layer, 'assignTraining')) {
      throw new CoeError('PERMISSION.DENIED', 'Only CoE members assign training. Nothing was changed.');
    }
    return person;
  }
}

function viewOf(training: Training): TrainingView {
  const version =
    training.sopMajor !== null && training.sopMinor !== null
      ? { major: training.sopMajor, minor: training.sopMinor }
      : undefined;
  return {
    number: training.number,
    title: training.title,
    material: training.material,
    sop: training.sopKey ? { key: training.sopKey, version } : null,
    dueOn: training.dueOn,
    ...(training.cancelledAt ? { cancelled: true } : {}),
  };
}
