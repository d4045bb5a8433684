/**
 * The change-request form's side of `ChangeService` (`change.ts`): what the form offers, checking what came back,
 * the confirmation, and finding a request by its id. Each runs in the caller's transaction.
 */
import {
  type ChangeFieldErrors,
  type ChangeFormValues,
  type ChangeInput,
  changeId,
  constraintId,
  parseChangeId,
  validateChange,
} from '../domain/change.ts';
import { changeConfirmation } from '../domain/change-messages.ts';
import { isActive } from '../domain/constraint.ts';
import { CoeError } from '../domain/errors.ts';
import { frictionId } from '../domain/friction.ts';
import type { Message } from '../domain/message.ts';
import type { ChangeRequest, Repositories } from '../ports.ts';
import { proposalView } from './change-text.ts';
import { reviewChannels } from './review-thread.ts';

export type ChangeSubmitResult =
  | { ok: false; errors: ChangeFieldErrors }
  | { ok: true; number: number; confirmation: Message };

/** What the change-request form offers. */
export interface ChangeFormOptions {
  sops: { key: string; title: string }[];
  constraints: { number: number; text: string }[];
  /** The values to start from: a request sent back for changes. */
  values?: ChangeFormValues;
}

/** The registered standards (not retired) and the constraints active now: what the form offers. */
export async function changeFormOptions(repos: Repositories, now: Date): Promise<ChangeFormOptions> {
  const sops = (await repos.sops.list()).filter((s) => !s.retiredAt).map((s) => ({ key: s.key, title: s.title }));
  const constraints = (await repos.constraints.list())
    .filter((c) => isActive(c, now))
    .map((c) => ({ number: c.number, text: `${constraintId(c.number)} ${c.text}` }));
  return { sops, constraints };
}

/** The form as submitted, checked against the standards, the active constraints and the linked reports. */
export async function checkChangeForm(
  repos: Repositories,
  raw: Record<string, unknown>,
  now: Date,
): Promise<{ ok: true; value: ChangeInput } | { ok: false; errors: ChangeFieldErrors }> {
  const registered = await repos.sops.list();
  const sops = registered.map((s) => s.key);
  const retired = registered.filter((s) => s.retiredAt).map((s) => s.key);
  const activeConstraints = (await repos.constraints.list()).filter((c) => isActive(c, now)).map((c) => c.number);
  const checked = validateChange(raw, { sops, activeConstraints, retired });
  if (!checked.ok) return checked;
  for (const number of checked.value.friction) {
    const report = await repos.friction.get(number);
    if (!report) return { ok: false, errors: { friction: `There is no ${frictionId(number)}.` } };
    if (report.status === 'duplicate' && report.duplicateOf !== null) {
      return {
        ok: false,
        errors: {
          friction: `${frictionId(number)} was merged into ${frictionId(report.duplicateOf)}; link that one.`,
        },
      };
    }
  }
  return checked;
}

/** What the requester is told once their request is stored. */
export async function changeSubmitted(repos: Repositories, change: ChangeRequest): Promise<ChangeSubmitResult> {
  const reviewChannel = (await reviewChannels(repos)).size > 0;
  return {
    ok: true,
    number: change.number,
    confirmation: changeConfirmation(change.number, change.title, reviewChannel, await proposalView(repos, change)),
  };
}

/** The request with that id (`CR-12`), locked for update when asked; a clear "there is no" otherwise. */
export async function existingChange(repos: Repositories, id: string, forUpdate = false): Promise<ChangeRequest> {
  const number = parseChangeId(id);
  const change =
    number === undefined
      ? undefined
      : forUpdate
        ? await repos.changes.getForUpdate(number)
        : await repos.changes.get(number);
  if (!change)
    throw new CoeError('NOT_FOUND', `There is no ${number === undefined ? 'such change request' : changeId(number)}.`);
  return change;
}
