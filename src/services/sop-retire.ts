/**
 * Retiring a standard (issue 12), for both platforms: `sop retire <key>` marks it retired, so it is listed as such and
 * no new change request or release may target it; its history stays. Its teams are told once in their channels, and
 * its audit plans are stopped (an audit of a standard that no longer applies checks nothing). CoE members only, as
 * registering a standard is (DOMAIN.md).
 */
import { CoeError } from '../domain/errors.ts';
import { sopRetiredAlready, sopRetiredConfirmation, sopRetiredNotice } from '../domain/lifecycle-messages.ts';
import { coeCommand, type Message, message } from '../domain/message.ts';
import { may } from '../domain/people.ts';
import { AI_RULES_SOP, sopId } from '../domain/sop.ts';
import type { Clock, Repositories, Store } from '../ports.ts';
import type { AuditLifecycleService } from './audit-lifecycle.ts';
import type { CoeRequest } from './coe-admin.ts';

/** A change request no longer open: decided, shipped or taken back. */
const CLOSED = new Set(['rejected', 'released', 'withdrawn']);

export class SopRetireService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audits: AuditLifecycleService,
  ) {}

  /** `sop retire <key>`. */
  async retire(request: CoeRequest, key: string): Promise<Message> {
    let stopped = false;
    const outcome = await this.store.once(request.key, async (repos) => {
      const person = await repos.people.find(request.actor);
      if (!person || !may(person.layer, 'manageSops')) {
        throw new CoeError('PERMISSION.DENIED', 'Only CoE members retire standards. Nothing was changed.');
      }
      if (key === AI_RULES_SOP.key) {
        throw new CoeError(
          'INPUT.INVALID',
          `${sopId(key)} cannot be retired: every AI usage rule changes through it. Nothing was changed.`,
        );
      }
      await repos.sops.lock(key);
      const sop = await repos.sops.get(key);
      if (!sop) {
        throw new CoeError(
          'NOT_FOUND',
          `There is no ${sopId(key)}. See the registered standards with ${coeCommand('sop list')}.`,
        );
      }
      if (sop.retiredAt) return sopRetiredAlready(key, sop.retiredAt);
      await repos.sops.retire(key, this.clock.now());
      await repos.events.record({
        actorPersonId: person.id,
        subject: sopId(key),
        action: 'sop.retired',
        to: 'retired',
      });
      const stoppedAudits: number[] = [];
      for (const plan of await repos.audits.plans(key)) {
        if (plan.state === 'stopped') continue;
        await this.audits.stopWithin(repos, person, plan, request.key, `${sopId(key)} was retired.`);
        stoppedAudits.push(plan.number);
      }
      stopped = stoppedAudits.length > 0;
      const openChanges = (await repos.changes.bySop(key)).filter((c) => !CLOSED.has(c.status)).map((c) => c.number);
      const channels = await repos.teams.channels(await this.teamsOf(repos, key));
      for (const channel of channels) {
        await repos.outbox.enqueue({
          // Retired once only: each channel hears of it once.
          key: `${sopId(key)}:retired:${channel.platform}:${channel.channelId}`,
          platform: channel.platform,
          target: { kind: 'channel', channelId: channel.channelId },
          body: sopRetiredNotice(sop),
        });
      }
      return sopRetiredConfirmation(sop, { channels: channels.length, stoppedAudits, openChanges });
    });
    if (stopped) this.audits.plansChanged();
    return outcome.duplicate ? message('Already done.') : outcome.value;
  }

  /**
   * A standard's teams: those its releases and trainings went to. One registered as already in use and never
   * released since was everyone's, so every team hears of it.
   */
  private async teamsOf(repos: Repositories, key: string): Promise<number[]> {
    const ids = new Set<number>();
    for (const release of await repos.sops.releases(key)) for (const id of release.teamIds) ids.add(id);
    for (const training of await repos.trainings.bySop(key)) for (const id of training.teamIds) ids.add(id);
    if (ids.size > 0) return [...ids];
    return (await repos.teams.list()).map((t) => t.id);
  }
}
