/**
 * A change request as the messages show it, and what follows each change of its state: the event, the review
 * message in place, the thread reply and the requester's part of what the action tells them. Runs inside the
 * caller's transaction; shared by the change and release services.
 */
import { type ChangeInput, changeId } from '../domain/change.ts';
import { type ChangeView, changeDecisionMessage, changeReviewMessage } from '../domain/change-messages.ts';
import { message } from '../domain/message.ts';
import { changeLine } from '../domain/notices.ts';
import type { Person } from '../domain/people.ts';
import { releaseName } from '../domain/sop.ts';
import type { ChangeContent, ChangeRequest, Repositories } from '../ports.ts';
import { proposalView } from './change-text.ts';
import type { Notices } from './notices.ts';
import { replyInThread, updateReview } from './review-thread.ts';

/** The record as the messages show it, with the names the reader may see. */
export async function changeView(repos: Repositories, change: ChangeRequest, quorum: number): Promise<ChangeView> {
  const nameOf = async (id: number | null) =>
    id === null ? null : ((await repos.people.get(id))?.displayName ?? null);
  const approvers = await repos.changes.approvals(change.number);
  const release = change.releaseId === null ? undefined : await repos.sops.release(change.releaseId);
  const proposal = await proposalView(repos, change);
  return {
    ...change,
    requesterName: await nameOf(change.requesterPersonId),
    approverNames: (await Promise.all(approvers.map(nameOf))).map((n) => n ?? 'a CoE member'),
    quorum,
    ...(release ? { release: releaseName(release.sopKey, release) } : {}),
    ...(proposal ? { proposal } : {}),
  };
}

/** Records a state change and tells everyone concerned: the review thread, the message in place, the requester. */
export async function recordChange(
  repos: Repositories,
  notices: Notices,
  quorum: number,
  change: { actor: Person | null; before: ChangeRequest; after: ChangeRequest; what: string; reason?: string },
): Promise<void> {
  const { actor, before, after, what, reason } = change;
  const id = changeId(after.number);
  await repos.events.record({
    actorPersonId: actor?.id ?? null,
    subject: id,
    action: `change.${after.status}`,
    from: before.status,
    to: after.status,
    ...(reason ? { reason } : {}),
  });
  const view = await changeView(repos, after, quorum);
  await updateReview(repos, id, after.version, changeReviewMessage(view));
  await replyInThread(repos, id, after.version, message(what));
  const requester = after.requesterPersonId;
  if (before.status !== after.status && requester !== null && requester !== actor?.id) {
    await notices.tell(requester, `${id}:v${after.version}:dm:${requester}`, {
      body: changeDecisionMessage(view, what),
      line: changeLine(after),
    });
  }
}

/** What a checked form stores on the request itself (its proposed text is kept apart: `change-text.ts`). */
export function contentOf(input: ChangeInput): ChangeContent {
  return {
    kind: input.kind,
    sopKey: input.sopKey,
    title: input.title,
    change: input.change,
    why: input.why,
    friction: input.friction,
    constraint: input.constraint ?? null,
    risk: input.risk,
    improvement: input.improvement,
    aiRule: input.aiRule ?? null,
  };
}
