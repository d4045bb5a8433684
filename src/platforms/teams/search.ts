/**
 * Teams' search in the message box (issue 11): the `findStandard` search command of the app's message extension
 * (`composeExtension/query`). A query lists the standards it matches, each as its current version's Adaptive Card
 * with the one-line preview Teams shows in the list; the card picked is inserted in the conversation. An empty query,
 * and the first run before anything is typed (`initialRun`), list the standards most recently made current. Teams
 * waits 5 seconds at most; a failure is answered with a short message rather than an error.
 */
import {
  CardFactory,
  type MessagingExtensionAttachment,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
} from 'botbuilder';
import { z } from 'zod';
import type { ErrorSink } from '../../services/answer.ts';
import type { SearchResult, SopSearchService } from '../../services/sop-search.ts';
import { renderCard, teamsText } from './cards.ts';
import { SEARCH_COMMANDS, SEARCH_PARAMETER } from './ids.ts';

/** What Teams sends: the command, its parameters (the words typed, or `initialRun`), and the page it wants. */
const queryData = z.object({
  commandId: z.string().max(64).optional(),
  parameters: z
    .array(z.object({ name: z.string().max(64).optional(), value: z.unknown().optional() }))
    .max(10)
    .optional(),
  queryOptions: z
    .object({
      skip: z.number().int().min(0).max(10_000).optional(),
      count: z.number().int().min(1).max(100).optional(),
    })
    .optional(),
});

/** Teams asks for 25 at a time. */
const DEFAULT_COUNT = 25;
const MAX_QUERY = 200;

const UNKNOWN = 'That search is out of date: update the CoE app.';
const SORRY = 'Sorry, the search failed on our side. Please try again in a minute.';
const NOTHING = 'No standard matches those words. Try others, or say sop list to the CoE bot.';
const NONE_YET = 'No standard is registered yet.';

/** A short text in place of results. */
const say = (text: string): MessagingExtensionResponse => ({ composeExtension: { type: 'message', text } });

/** The words typed; `initialRun` (the first run before anything is typed) has none. */
function wordsOf(parameters: readonly { name?: string | undefined; value?: unknown }[] | undefined): string {
  const typed = parameters?.find((p) => p.name === SEARCH_PARAMETER)?.value;
  return typeof typed === 'string' ? typed.slice(0, MAX_QUERY) : '';
}

/** A result: the current version's card, and the preview Teams lists it by (a card of its own, required). */
export function searchAttachment(result: SearchResult): MessagingExtensionAttachment {
  return {
    ...CardFactory.adaptiveCard(renderCard(result.card)),
    preview: CardFactory.thumbnailCard(teamsText(result.preview.title), teamsText(result.preview.text)),
  };
}

export class TeamsSearch {
  constructor(
    private readonly search: SopSearchService,
    private readonly log: ErrorSink,
  ) {}

  /** `composeExtension/query`: the matches' cards, best first, or a short message when there are none. */
  async query(query: MessagingExtensionQuery | undefined): Promise<MessagingExtensionResponse> {
    const parsed = queryData.safeParse(query ?? {});
    if (!parsed.success || parsed.data.commandId !== SEARCH_COMMANDS.findStandard) return say(UNKNOWN);
    const { parameters, queryOptions } = parsed.data;
    const words = wordsOf(parameters);
    let results: SearchResult[];
    try {
      results = await this.search.results(words, {
        skip: queryOptions?.skip ?? 0,
        count: queryOptions?.count ?? DEFAULT_COUNT,
      });
    } catch (error) {
      this.log.error({ err: error }, 'teams: a search failed');
      return say(SORRY);
    }
    const attachments = results.map(searchAttachment);
    // A later page with nothing on it is an empty list, not a message in place of the results already shown.
    if (attachments.length === 0 && !queryOptions?.skip) return say(words.trim() ? NOTHING : NONE_YET);
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
  }
}
