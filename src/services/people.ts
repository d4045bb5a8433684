/**
 * People's names, kept as the platforms show them, so records say who did what ("approved by Casey Morgan", not
 * "a CoE member"): a CoE member listed in `COE_MEMBERS` who only ever presses buttons is named the first time the
 * bot sees them. Names only; nothing else about a person is kept.
 */
import type { PersonRef } from '../domain/people.ts';
import type { Store } from '../ports.ts';
import { RecentMap } from './recent.ts';

/** Names already written by this process, so each is written once, not on every request. */
const REMEMBERED = 10_000;
/**
 * How long someone the bot does not know stays unasked-for: each of their requests would otherwise cost a transaction
 * before its ack (a rollout day: everyone). Whoever creates them later names them (`identify` takes the name).
 */
const UNKNOWN_FOR_MS = 30_000;

export class PeopleService {
  private readonly written = new RecentMap<string, string>(REMEMBERED);
  private readonly unknown = new RecentMap<string, { name: string; at: number }>(REMEMBERED);

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the platform's display name of someone the bot knows. Creates nobody; a no-op without a name. */
  async noteName(ref: PersonRef): Promise<void> {
    const name = ref.displayName?.trim();
    if (!name) return;
    const key = `${ref.platform}:${ref.externalId}`;
    if (this.written.get(key) === name) return;
    const unknown = this.unknown.get(key);
    if (unknown?.name === name && this.now() - unknown.at < UNKNOWN_FOR_MS) return;
    const known = await this.store.transaction((repos) => repos.people.rename(ref, name));
    // Someone the bot does not know yet is named when they are created; until then there is nothing to write.
    if (!known) {
      this.unknown.set(key, { name, at: this.now() });
      return;
    }
    this.written.set(key, name);
  }

  /** Forgets whom it named and whom it did not know (the database changed behind its back). */
  forget(): void {
    this.written.clear();
    this.unknown.clear();
  }
}
