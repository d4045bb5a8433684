/**
 * Nobody is left out silently. A direct message the platform will never take (Teams: the bot has not met the person;
 * Slack: a deactivated or external account) ends in one note to the CoE's review channel: who could not be reached,
 * why, and what to do. Told as each such message fails, and swept again at start-up, so a stop in between loses
 * nothing; the note's key makes it once per message either way.
 */
import { type Message, message } from '../domain/message.ts';
import type { Platform } from '../domain/people.ts';
import type { OutboxRow, Store, UndeliveredMessage } from '../ports.ts';
import { reviewChannels } from './review-thread.ts';

const SWEEP_DAYS = 7;
const DAY = 24 * 3600 * 1000;
const PLATFORM_NAMES: Record<Platform, string> = { slack: 'Slack', teams: 'Teams' };

export interface ReachLog {
  error(obj: object, msg: string): void;
}

export class ReachService {
  constructor(
    private readonly store: Store,
    private readonly log: ReachLog,
  ) {}

  /** The deliverer's hook: a row was given up for good. Never throws (the start-up sweep tries again). */
  async onFailed(row: OutboxRow, error: string): Promise<void> {
    if (row.target.kind !== 'dm') return;
    const failed = { key: row.key, platform: row.platform, externalId: row.target.externalId, error };
    await this.report([failed]).catch((e: unknown) =>
      this.log.error({ err: e, key: row.key }, 'reach: could not tell the CoE about a message that failed'),
    );
  }

  /** Reports every direct message of the last week that failed for good (those already reported are skipped). */
  async sweep(now: Date): Promise<void> {
    const since = new Date(now.getTime() - SWEEP_DAYS * DAY);
    const failed = await this.store.transaction((repos) => repos.outbox.failedDirectMessages(since));
    if (failed.length > 0) await this.report(failed);
  }

  private async report(failed: readonly UndeliveredMessage[]): Promise<void> {
    await this.store.transaction(async (repos) => {
      const channels = await reviewChannels(repos);
      for (const f of failed) {
        // On the platform the person uses when it has a review channel, else wherever the CoE reviews.
        const platform = channels.has(f.platform) ? f.platform : [...channels.keys()][0];
        const channelId = platform && channels.get(platform);
        if (!platform || !channelId) continue;
        const person = await repos.people.find({ platform: f.platform, externalId: f.externalId });
        await repos.outbox.enqueue({
          key: `unreachable:${f.key}`,
          platform,
          target: { kind: 'channel', channelId },
          body: unreachableMessage(person?.displayName ?? null, f),
        });
      }
    });
  }
}

/** Who, why and what to do; the message itself is not repeated (it may be private to its reader). */
export function unreachableMessage(name: string | null, failed: UndeliveredMessage): Message {
  const who = name ?? 'Someone';
  const where = PLATFORM_NAMES[failed.platform];
  const { why, todo } = explain(failed);
  const about = /^((?:FR|CR|TR|AUD|REL)-\d+)/.exec(failed.key)?.[1];
  const first = `Could not reach ${who} in ${where}${about ? ` about ${about}` : ''}: ${why}.`;
  return message(
    first,
    { type: 'paragraph', text: `**${first}**` },
    { type: 'paragraph', text: `What to do: ${todo}` },
  );
}

function explain(failed: UndeliveredMessage): { why: string; todo: string } {
  const e = failed.error;
  if (/not met this person/i.test(e)) {
    return {
      why: 'the bot has not met them in Teams yet',
      todo: 'add the CoE app to a team they are in (the bot then knows everyone there), or ask them to say hello to the bot.',
    };
  }
  if (/user_disabled|account_inactive/.test(e)) {
    return {
      why: 'their Slack account is deactivated',
      todo: 'hand over what they own (reports, audits, trainings) to someone else, and take them out of their teams.',
    };
  }
  if (/user_not_found|cannot_dm_bot/.test(e)) {
    return {
      why: 'Slack does not know them in this workspace',
      todo: 'check who they are, and reach them another way.',
    };
  }
  return {
    why: `${PLATFORM_NAMES[failed.platform]} refused the message (${e.slice(0, 200)})`,
    todo: 'check that the app is installed for them, and reach them another way meanwhile.',
  };
}
