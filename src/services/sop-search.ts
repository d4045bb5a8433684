/**
 * Finding the current standard where people work (issue 11), for both platforms: `sop find <words>` answers privately
 * with the matches; Slack's "Share in channel" posts the current version's card where it was asked (once per press:
 * a double click posts one); Teams' search in the message box lists the matches' cards to insert. Anyone may search;
 * only current versions are searched and shown, an earlier one is read on request (`sop show <key> vX.Y`).
 */
import { CoeError } from '../domain/errors.ts';
import { coeCommand, type Message, message } from '../domain/message.ts';
import type { Platform } from '../domain/people.ts';
import { normaliseSopKey, releaseName, SOP_KEY_PATTERN, sopId } from '../domain/sop.ts';
import { SEARCH_LIMITS, searchKey, searchWords, snippet } from '../domain/sop-search.ts';
import {
  findMessage,
  type SearchMatch,
  type StandardCardView,
  standardCard,
  standardPreview,
} from '../domain/sop-search-messages.ts';
import type { Clock, Repositories, SopSearchHit, Store } from '../ports.ts';
import type { CoeRequest } from './coe-admin.ts';
import { currentVersion } from './standards.ts';

/** A match with what a search extension shows of it: the line in the list, and the card it inserts. */
export interface SearchResult {
  match: SearchMatch;
  preview: { title: string; text: string };
  card: Message;
}

/**
 * Where the answer to `sop find` offers "Share in channel": Slack posts the card in the channel it was asked in.
 * Teams inserts a card from the message box's search instead (a message extension), so its answer says where that is.
 */
const SHARES_FROM_ANSWER: Record<Platform, boolean> = { slack: true, teams: false };

const OUT_OF_DATE = 'That button is out of date. Nothing was changed.';

const matchOf =
  (words: readonly string[]) =>
  (hit: SopSearchHit): SearchMatch => ({
    key: hit.key,
    title: hit.title,
    version: hit.version,
    snippet: snippet(hit.excerpt, words, hit),
  });

export class SopSearchService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** `sop find <words>`: anyone; the matches, best first, privately. */
  async find(request: Pick<CoeRequest, 'actor' | 'channelId'>, query: string): Promise<Message> {
    const words = searchWords(query);
    if (words.length === 0) {
      throw new CoeError('INPUT.INVALID', `Say what to look for, like ${coeCommand('sop find scanner')}.`);
    }
    const hits = await this.store.read((repos) => this.search(repos, words, SEARCH_LIMITS.results));
    const platform = request.actor.platform;
    return findMessage(query, hits.map(matchOf(words)), {
      share: SHARES_FROM_ANSWER[platform] && request.channelId !== undefined,
      insertHint: !SHARES_FROM_ANSWER[platform],
    });
  }

  /**
   * A search extension's results: the matches' cards (each the current version), `skip` of them passed over for the
   * next page; no words lists the standards most recently made current.
   */
  async results(query: string, page: { skip: number; count: number }): Promise<SearchResult[]> {
    const words = searchWords(query);
    const skip = Math.max(0, Math.floor(page.skip));
    const limit = Math.min(SEARCH_LIMITS.results, skip + Math.max(1, Math.floor(page.count)));
    if (skip >= limit) return [];
    return this.store.read(async (repos) => {
      const asOf = this.clock.now();
      const results: SearchResult[] = [];
      for (const hit of (await this.search(repos, words, limit)).slice(skip)) {
        const match = matchOf(words)(hit);
        const text = await repos.sopTexts.get(hit.key, hit.version);
        const view = { ...match, text: text?.text ?? '', link: text?.link ?? null, asOf };
        results.push({ match, preview: standardPreview(match), card: standardCard(view, { readButton: false }) });
      }
      return results;
    });
  }

  /**
   * "Share in channel" under a match: the standard's current version (now, not when it was found) posted in the
   * channel as a card, through the outbox. Once per press: a double click, or Slack sending the press again, posts
   * one card. The platform has checked that it may post there.
   */
  async share(request: CoeRequest & { channelId: string }, value: string): Promise<Message> {
    const key = normaliseSopKey(value);
    if (!SOP_KEY_PATTERN.test(key)) throw new CoeError('INPUT.INVALID', OUT_OF_DATE);
    const outcome = await this.store.once(request.key, async (repos) => {
      const view = await this.current(repos, key);
      await repos.outbox.enqueue({
        key: `sop-share:${request.key}`,
        platform: request.actor.platform,
        target: { kind: 'channel', channelId: request.channelId },
        body: standardCard(view, { readButton: true }),
      });
      return releaseName(view.key, view.version);
    });
    if (outcome.duplicate) return message('Already shared: one card per press.');
    return message(`Done: ${outcome.value} is shared in this channel.`);
  }

  private search(repos: Repositories, words: readonly string[], limit: number): Promise<SopSearchHit[]> {
    return repos.sopSearch.search({ words, key: searchKey(words), limit });
  }

  /** A standard's current version with its text, as a card shows it; refused when it has none to show. */
  private async current(repos: Repositories, key: string): Promise<StandardCardView> {
    const sop = await repos.sops.get(key);
    if (!sop) {
      throw new CoeError('NOT_FOUND', `There is no ${sopId(key)}. See the standards with ${coeCommand('sop list')}.`);
    }
    if (sop.retiredAt) {
      throw new CoeError('INPUT.INVALID', `${sopId(key)} is retired: there is no current version to share.`);
    }
    const version = currentVersion(sop, await repos.sops.releases(key));
    if (!version) throw new CoeError('NOT_FOUND', `${sopId(key)} has no version yet: there is nothing to share.`);
    const text = await repos.sopTexts.get(key, version);
    return {
      key,
      title: sop.title,
      version,
      text: text?.text ?? '',
      link: text?.link ?? null,
      asOf: this.clock.now(),
    };
  }
}
