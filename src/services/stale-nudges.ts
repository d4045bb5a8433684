/**
 * Reports that wait too long (seed §9 "reduction in blockers"), for both platforms: a friction report untriaged for
 * more than a few working days is raised in the CoE's review channel; one triaged but without progress for longer
 * nudges its owner directly. Daily at first, then weekly, never outside working hours, each snoozable for a week.
 * An owner with several such reports gets one message about all of them.
 */
import { isWorkingTime, localDate, type WorkCalendar, workingDaysSince } from '../domain/calendar.ts';
import { CoeError } from '../domain/errors.ts';
import { frictionId } from '../domain/friction.ts';
import { type Message, message } from '../domain/message.ts';
import { staleNudgePart } from '../domain/notices.ts';
import { nudgeDue, STALE_POLICY, STALE_SNOOZE_MS, type StaleSettings } from '../domain/nudges.ts';
import { may, type PersonRef, PLATFORMS } from '../domain/people.ts';
import { staleNudgeMessage } from '../domain/schedule-messages.ts';
import type { Clock, Store } from '../ports.ts';
import { Notices } from './notices.ts';

type StaleKind = 'untriaged' | 'stalled';

const DAY = 24 * 3600 * 1000;
const SNOOZE_VALUE = /^FR-(\d{1,9}):(untriaged|stalled)$/;

export class StaleNudgeService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: StaleSettings & { calendar: WorkCalendar },
  ) {}

  /** The scheduled run. Keyed by report, kind and day, so a repeated or caught-up run nudges nobody twice. */
  async run(): Promise<string> {
    const now = this.clock.now();
    const { calendar } = this.settings;
    if (!isWorkingTime(now, calendar)) return 'outside working hours: nothing sent';
    const today = localDate(now, calendar.timeZone);
    return this.store.transaction(async (repos) => {
      // One message per owner, whatever number of their reports waits (issue 12: say less).
      const notices = new Notices(repos);
      let raised = 0;
      let nudged = 0;
      // Calendar days are at least as many as working days: a cheap bound for the query, refined below.
      const untriaged = await repos.friction.stuck(['new'], new Date(now.getTime() - this.settings.triageDays * DAY));
      for (const report of untriaged) {
        const days = workingDaysSince(report.statusChangedAt, now, calendar);
        if (days <= this.settings.triageDays) continue;
        const key = `${frictionId(report.number)}:untriaged`;
        if (!nudgeDue(await repos.nudges.get(key), today, now, STALE_POLICY)) continue;
        let posted = false;
        for (const platform of PLATFORMS) {
          const channelId = await repos.reviewChannels.get(platform);
          if (!channelId) continue;
          await repos.outbox.enqueue({
            key: `${key}:${today}:${platform}`,
            platform,
            target: { kind: 'channel', channelId },
            body: staleNudgeMessage(report, 'untriaged', days, key),
          });
          posted = true;
        }
        if (posted) {
          await repos.nudges.sent(key, today);
          raised++;
        }
      }
      const stalled = await repos.friction.stuck(
        ['triaged', 'analysing'],
        new Date(now.getTime() - this.settings.progressDays * DAY),
      );
      for (const report of stalled) {
        const days = workingDaysSince(report.statusChangedAt, now, calendar);
        if (days < this.settings.progressDays || report.ownerPersonId === null) continue;
        const key = `${frictionId(report.number)}:stalled`;
        if (!nudgeDue(await repos.nudges.get(key), today, now, STALE_POLICY)) continue;
        const part = staleNudgePart(report, days, key);
        if (await notices.tell(report.ownerPersonId, `${key}:${today}:${report.ownerPersonId}`, part)) {
          await repos.nudges.sent(key, today);
          nudged++;
        }
      }
      const owners = await notices.send();
      return `raised ${raised} untriaged reports, nudged ${owners} owners${nudged > owners ? ` about ${nudged} reports` : ''}`;
    });
  }

  /** "Snooze a week": the CoE for an untriaged report, its owner (or the CoE) for a stalled one. */
  async snooze(request: { actor: PersonRef }, value: string): Promise<Message> {
    const match = SNOOZE_VALUE.exec(value);
    if (!match) throw new CoeError('INPUT.INVALID', 'That button is out of date. Nothing was changed.');
    const number = Number(match[1]);
    const kind = match[2] as StaleKind;
    return this.store.transaction(async (repos) => {
      const report = await repos.friction.get(number);
      const person = await repos.people.find(request.actor);
      if (!report) throw new CoeError('NOT_FOUND', `There is no ${frictionId(number)}.`);
      const allowed =
        person && (may(person.layer, 'decideFriction') || (kind === 'stalled' && report.ownerPersonId === person.id));
      if (!allowed)
        throw new CoeError(
          'PERMISSION.DENIED',
          'Only the CoE (or the report’s owner) can snooze this. Nothing was changed.',
        );
      const until = new Date(this.clock.now().getTime() + STALE_SNOOZE_MS);
      await repos.nudges.snooze(value, until);
      return message(`Snoozed: no nudge about ${frictionId(number)} for a week.`);
    });
  }
}
