/**
 * Ending executive direction early (issue 12), for both platforms: `constraint end EX-2` marks a priority, constraint
 * or outcome target ended, so it is listed as ended and no longer offered (or accepted) in the change-request form;
 * change requests that served it keep saying so. Executives only: they set direction, the CoE designs how to meet it
 * (seed §5, DOMAIN.md). The CoE's review channel is told once, on each platform it has one.
 */
import { constraintId, parseConstraintId } from '../domain/change.ts';
import { isActive } from '../domain/constraint.ts';
import { CoeError } from '../domain/errors.ts';
import {
  constraintEndedConfirmation,
  constraintEndedNotice,
  constraintOverAlready,
} from '../domain/lifecycle-messages.ts';
import { coeCommand, type Message, message } from '../domain/message.ts';
import { may } from '../domain/people.ts';
import type { Clock, Store } from '../ports.ts';
import type { CoeRequest } from './coe-admin.ts';
import { reviewChannels } from './review-thread.ts';

export class ConstraintEndService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** `constraint end EX-2`. */
  async end(request: CoeRequest, id: string): Promise<Message> {
    const outcome = await this.store.once(request.key, async (repos) => {
      const person = await repos.people.find(request.actor);
      if (!person || !may(person.layer, 'setDirection')) {
        throw new CoeError(
          'PERMISSION.DENIED',
          'Only executives end priorities, constraints and outcome targets. Nothing was changed.',
        );
      }
      const number = parseConstraintId(id);
      if (number === undefined) {
        throw new CoeError(
          'INPUT.INVALID',
          `Name it by its id, like EX-2. See them with ${coeCommand('constraint list')}.`,
        );
      }
      const constraint = await repos.constraints.get(number);
      if (!constraint) {
        throw new CoeError(
          'NOT_FOUND',
          `There is no ${constraintId(number)}. See the active ones with ${coeCommand('constraint list')}.`,
        );
      }
      const now = this.clock.now();
      if (!isActive(constraint, now)) return constraintOverAlready(constraint);
      // The row decides, not the read above: of two at once, one ends it and the other hears it is over.
      if (!(await repos.constraints.end(number, now))) return constraintOverAlready({ ...constraint, endedAt: now });
      await repos.events.record({
        actorPersonId: person.id,
        subject: constraintId(number),
        action: 'constraint.ended',
        from: 'active',
        to: 'ended',
      });
      let told = 0;
      for (const [platform, channelId] of await reviewChannels(repos)) {
        told++;
        await repos.outbox.enqueue({
          // Ended once only: each review channel hears of it once.
          key: `${constraintId(number)}:ended:${platform}`,
          platform,
          target: { kind: 'channel', channelId },
          body: constraintEndedNotice(constraint),
        });
      }
      return constraintEndedConfirmation(constraint, told > 0);
    });
    return outcome.duplicate ? message('Already done.') : outcome.value;
  }
}
