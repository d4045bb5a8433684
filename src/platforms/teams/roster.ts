/**
 * Who the bot can reach in Teams. A bot may message the members of a team it is installed in, but only if it knows
 * their user ids: so when it is added to a team (or the app is installed there) it reads the team's roster, and when
 * members join it notes them. Each member's address lets the sender open a personal chat the first time a message
 * is due — a manager named by `role @person manager`, a training reminder — without the person ever writing first.
 */
import { type Activity, type ChannelAccount, TeamsInfo, type TurnContext } from 'botbuilder';
import type { PersonRef } from '../../domain/people.ts';
import type { AddressBook } from '../../ports.ts';
import { actorOf, channelIdOf, externalIdOf } from './activity.ts';
import { channelKey, personKey, type TeamsAddress } from './sender.ts';

const PAGE_SIZE = 500;

export interface RosterDeps {
  addresses: AddressBook;
  /** Records the names of people the bot already knows. */
  noteName(ref: PersonRef): Promise<void>;
  log: { error(obj: object, msg: string): void };
}

/** On members added or an installation: learns the whole roster when it is the bot that was added, else the newcomers. */
export async function learnWho(context: TurnContext, deps: RosterDeps): Promise<void> {
  try {
    if (botWasAdded(context.activity)) await learnRoster(context, deps);
    else await learnMembers(context.activity, context.activity.membersAdded ?? [], deps);
  } catch (error) {
    deps.log.error({ err: error }, 'teams: could not read who is in the team');
  }
}

/** Keeps how to reach the sender of an activity (and the channel they wrote in), and their name. */
export async function rememberSender(activity: Activity, deps: RosterDeps): Promise<void> {
  await deps
    .noteName(actorOf(activity))
    .catch((error: unknown) => deps.log.error({ err: error }, 'teams: could not record a name'));
  const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  const base = { serviceUrl: activity.serviceUrl, ...(tenantId ? { tenantId } : {}) };
  const person: TeamsAddress = { ...base, userId: activity.from.id };
  if (activity.conversation.conversationType === 'personal') person.conversationId = activity.conversation.id;
  const key = personKey(externalIdOf(activity));
  const existing = (await deps.addresses.get('teams', key)) as TeamsAddress | undefined;
  if (!person.conversationId && existing?.conversationId) person.conversationId = existing.conversationId;
  await deps.addresses.put('teams', key, { ...person });
  const channelId = channelIdOf(activity);
  if (channelId) await deps.addresses.put('teams', channelKey(channelId), { ...base, conversationId: channelId });
}

/** A member as the roster or `membersAdded` gives them: the Teams user id, and the Entra id the core knows them by. */
type Member = ChannelAccount & { aadObjectId?: string };

/** The bot itself was added to a team or a chat, or the app installed there: everyone in it becomes reachable. */
export function botWasAdded(activity: Activity): boolean {
  if (activity.type === 'installationUpdate') return activity.action === 'add' || activity.action === 'add-upgrade';
  return (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
}

/** Reads the whole roster of the team (or chat) the activity comes from, a page at a time; returns how many. */
export async function learnRoster(context: TurnContext, deps: RosterDeps): Promise<number> {
  let count = 0;
  let continuationToken: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuationToken);
    await learnMembers(context.activity, page.members ?? [], deps);
    count += page.members?.length ?? 0;
    continuationToken = page.continuationToken || undefined;
  } while (continuationToken);
  return count;
}

/** Keeps each member's address (keeping a personal chat already open) and their name, the bot itself aside. */
export async function learnMembers(activity: Activity, members: readonly Member[], deps: RosterDeps): Promise<void> {
  const tenantId = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
  for (const member of members) {
    if (!member?.id || member.id === activity.recipient?.id) continue;
    const externalId = member.aadObjectId ?? member.id;
    const key = personKey(externalId);
    const existing = (await deps.addresses.get('teams', key)) as TeamsAddress | undefined;
    const address: TeamsAddress = {
      serviceUrl: activity.serviceUrl,
      userId: member.id,
      ...(tenantId ? { tenantId } : {}),
      ...(existing?.conversationId ? { conversationId: existing.conversationId } : {}),
    };
    await deps.addresses.put('teams', key, { ...address });
    if (member.name) await deps.noteName({ platform: 'teams', externalId, displayName: member.name });
  }
}
