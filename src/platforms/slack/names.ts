/**
 * People's names as Slack shows them. Slash commands and interactions carry only a username ("casey.morgan");
 * `users.info` (scope `users:read`) gives the name people know ("Casey Morgan"). Each person is looked up once and
 * kept for hours; a request waits for a lookup at most `waitMs`, so a slow or failing Slack costs a name, never the
 * three seconds an answer has. The person acting and the people a `/coe` command mentions are looked up together,
 * before any listener runs (`nameEveryone`).
 */
import type { WebClient } from '@slack/web-api';
import { FRICTION_ACTIONS } from '../../domain/friction-messages.ts';
import type { PeopleService } from '../../services/people.ts';
import { RecentMap } from '../../services/recent.ts';
import { SLASH_COMMANDS, VIEWS } from './ids.ts';
import { extractMentions } from './mentions.ts';

const HOUR = 3600_000;

interface Known {
  name: string | undefined;
  until: number;
}

export class SlackNames {
  private readonly known: RecentMap<string, Known>;
  private readonly looking = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly client: Pick<WebClient, 'users'>,
    private readonly options: { ttlMs?: number; failureTtlMs?: number; waitMs?: number; max?: number } = {},
    private readonly now: () => number = Date.now,
  ) {
    this.known = new RecentMap(options.max ?? 10_000);
  }

  /** The name already known for this user, if any. */
  nameOf(userId: string): string | undefined {
    const entry = this.known.get(userId);
    return entry && entry.until > this.now() ? entry.name : undefined;
  }

  /** Looks the user up unless known; resolves with the name, or undefined when Slack has none or took too long. */
  async resolve(userId: string): Promise<string | undefined> {
    const entry = this.known.get(userId);
    if (entry && entry.until > this.now()) return entry.name;
    let lookup = this.looking.get(userId);
    if (!lookup) {
      lookup = this.lookUp(userId).finally(() => this.looking.delete(userId));
      this.looking.set(userId, lookup);
    }
    const waitMs = this.options.waitMs ?? 1000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
    });
    try {
      return await Promise.race([lookup, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async lookUp(userId: string): Promise<string | undefined> {
    let name: string | undefined;
    let ttl = this.options.ttlMs ?? 6 * HOUR;
    try {
      const { user } = await this.client.users.info({ user: userId });
      const profile = user?.profile;
      name = [profile?.real_name, user?.real_name, profile?.display_name].find((n) => n?.trim())?.trim();
    } catch {
      // Deactivated, external, rate-limited or down: the username serves meanwhile; asked again later.
      ttl = this.options.failureTtlMs ?? 5 * 60_000;
    }
    this.known.set(userId, { name, until: this.now() + ttl });
    return name;
  }
}

/** Where a friction report is made: it may be anonymous, so nothing about its sender is looked up or kept there. */
const MAY_BE_ANONYMOUS = {
  commands: new Set<string>([SLASH_COMMANDS.friction]),
  views: new Set<string>([VIEWS.frictionForm, VIEWS.frictionConfirmation]),
  actions: new Set<string>([FRICTION_ACTIONS.plusOneInstead]),
};

/**
 * Whom to name for a request: the person who sent a command (`user_id`), pressed a button or submitted a form
 * (`user.id`). None for events, shortcuts, and every step of making a friction report, which may be anonymous.
 */
export function personToName(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { type?: unknown; command?: unknown; user_id?: unknown; user?: { id?: unknown }; view?: unknown };
  if (typeof b.command === 'string') {
    return typeof b.user_id === 'string' && !MAY_BE_ANONYMOUS.commands.has(b.command) ? b.user_id : undefined;
  }
  if (b.type !== 'block_actions' && b.type !== 'view_submission') return undefined;
  const view = b.view as { callback_id?: unknown } | undefined;
  if (typeof view?.callback_id === 'string' && MAY_BE_ANONYMOUS.views.has(view.callback_id)) return undefined;
  const actions = (b as { actions?: { action_id?: unknown }[] }).actions;
  if (Array.isArray(actions) && actions.some((a) => MAY_BE_ANONYMOUS.actions.has(String(a?.action_id)))) {
    return undefined;
  }
  return typeof b.user?.id === 'string' ? b.user.id : undefined;
}

/** At most this many people one request mentions or picks are looked up (in parallel, within the same wait). */
const MAX_MENTIONED = 10;
const USER_ID = /^[UW][A-Z0-9]{1,40}$/;

/**
 * The people a request names besides its sender: those a `/coe` command mentions (`/coe role @person manager`, `team
 * member @person …`; the mention carries only their username) and those picked in a form (an audit's owner). They may
 * never use the bot themselves. None for `/friction` and its forms (a report may be anonymous, and its text is not a
 * record of anyone).
 */
export function peopleMentioned(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { command?: unknown; text?: unknown; type?: unknown; view?: unknown };
  const ids = new Set<string>();
  if (b.command === SLASH_COMMANDS.coe && typeof b.text === 'string') {
    for (const m of extractMentions(b.text).mentions) ids.add(m.externalId);
  }
  const view = b.view as { callback_id?: unknown; state?: { values?: unknown } } | undefined;
  if (b.type === 'view_submission' && !MAY_BE_ANONYMOUS.views.has(String(view?.callback_id))) {
    const blocks = view?.state?.values;
    for (const block of typeof blocks === 'object' && blocks !== null ? Object.values(blocks) : []) {
      for (const element of typeof block === 'object' && block !== null ? Object.values(block) : []) {
        const picked = (element as { selected_user?: unknown } | null)?.selected_user;
        if (typeof picked === 'string' && USER_ID.test(picked)) ids.add(picked);
      }
    }
  }
  return [...ids].slice(0, MAX_MENTIONED);
}

/**
 * Bolt middleware, before any listener: the name Slack shows for the person acting and for everyone the request
 * mentions or picks, looked up at once (each at most `waitMs`), and kept on the records of those the bot knows
 * already; the listeners then read them from `names`, so someone first met in this request is created with their name
 * (`extractMentions`, the audit form's owner).
 */
export function nameEveryone(
  names: SlackNames,
  people: Pick<PeopleService, 'noteName'>,
  log: { warn(obj: unknown, msg?: string): void },
) {
  return async ({ body, next }: { body: unknown; next: () => Promise<void> }): Promise<void> => {
    const actor = personToName(body);
    const ids = [...new Set([...(actor ? [actor] : []), ...peopleMentioned(body)])];
    const found = await Promise.all(ids.map(async (id) => ({ id, name: await names.resolve(id) })));
    for (const { id, name } of found) {
      if (!name) continue;
      await people
        .noteName({ platform: 'slack', externalId: id, displayName: name })
        .catch((error: unknown) => log.warn({ err: error }, 'slack: could not record a name'));
    }
    await next();
  };
}
