/**
 * One event, one message per person (issue 12). An action collects what it tells each person while it works; when
 * the work is done, still in its transaction, each person gets one direct message (src/domain/notices.ts merges the
 * parts). The message takes the outbox key of its main part, which already names the record, its version and the
 * person: a retried transaction queues nothing twice, and the other parts' keys are never queued.
 */
import { mergeNotices, type NoticePart } from '../domain/notices.ts';
import type { PersonRef } from '../domain/people.ts';
import type { OutboundMessage, Repositories, Store } from '../ports.ts';

interface Told extends NoticePart {
  key: string;
  order: number;
}

export class Notices {
  private readonly people = new Map<number, { identity: PersonRef | undefined; parts: Told[] }>();
  private sent = false;

  constructor(private readonly repos: Repositories) {}

  /**
   * Adds a part to what a person is told; false when the bot cannot reach them (it never met them on a platform).
   * Parts go in the order told, a higher `order` after a lower one (a side note never leads).
   */
  async tell(personId: number, key: string, part: NoticePart, order = 0): Promise<boolean> {
    if (this.sent) throw new Error(`notices: ${key} was told after the messages were queued`);
    let person = this.people.get(personId);
    if (!person) {
      const [identity] = await this.repos.people.identitiesOf(personId);
      person = { identity, parts: [] };
      this.people.set(personId, person);
    }
    if (!person.identity) return false;
    if (!person.parts.some((p) => p.key === key)) person.parts.push({ ...part, key, order });
    return true;
  }

  /** Queues one direct message per person told, on the platform the bot knows them from; returns how many. */
  async send(): Promise<number> {
    this.sent = true;
    const messages: OutboundMessage[] = [];
    for (const { identity, parts } of this.people.values()) {
      // Array sort is stable: parts of one order keep the order they were told in.
      const ordered = [...parts].sort((a, b) => a.order - b.order);
      const [main] = ordered;
      if (!identity || !main) continue;
      messages.push({
        key: main.key,
        platform: identity.platform,
        target: { kind: 'dm', externalId: identity.externalId },
        body: mergeNotices(ordered),
      });
    }
    if (messages.length > 0) await this.repos.outbox.enqueueMany(messages);
    return messages.length;
  }
}

/** Runs one action's work with a collector, then queues its direct messages: one per person. */
export async function withNotices<T>(repos: Repositories, work: (notices: Notices) => Promise<T>): Promise<T> {
  const notices = new Notices(repos);
  const value = await work(notices);
  await notices.send();
  return value;
}

/** `store.once` for an action that tells people: one collector for its transaction, its messages queued at the end. */
export function onceWithNotices<T>(
  store: Store,
  key: string,
  work: (repos: Repositories, notices: Notices) => Promise<T>,
): Promise<{ duplicate: false; value: T } | { duplicate: true }> {
  return store.once(key, (repos) => withNotices(repos, (notices) => work(repos, notices)));
}
