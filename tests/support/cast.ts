/**
 * The people and channels the service tests' stories share (each name says the person's role), and the check that
 * a call was refused with a CoeError.
 */
import { expect } from 'vitest';
import { CoeError } from '../../src/domain/errors.ts';
import type { PersonRef } from '../../src/domain/people.ts';

export const SLACK_REVIEW = 'C0REVIEW';
export const TEAMS_REVIEW = '19:review@thread.tacv2';
export const WAREHOUSE_SLACK = 'C0WARE';
export const WAREHOUSE_TEAMS = '19:warehouse@thread.tacv2';
export const NIGHT_SLACK = 'C0NIGHT';

export const olga: PersonRef = { platform: 'slack', externalId: 'U0OLGA', displayName: 'Olga Owner' };
export const carl: PersonRef = { platform: 'teams', externalId: 'aad-carl', displayName: 'Carl Coe' };
export const mona: PersonRef = { platform: 'slack', externalId: 'U0MONA', displayName: 'Mona Manager' };
export const max: PersonRef = { platform: 'teams', externalId: 'aad-max', displayName: 'Max Manager' };
export const wanda: PersonRef = { platform: 'slack', externalId: 'U0WANDA', displayName: 'Wanda Worker' };
export const tim: PersonRef = { platform: 'teams', externalId: 'aad-tim', displayName: 'Tim Teams' };
/** Someone the bot has never seen. */
export const stranger: PersonRef = { platform: 'slack', externalId: 'U0NEW' };
// Shared by every test file of a worker: nothing may change them.
for (const person of [olga, carl, mona, max, wanda, tim, stranger]) Object.freeze(person);

/** Awaits `promise`, which must fail with a CoeError of `code` (saying `text`, when given); returns the error. */
export async function expectCoeError(
  promise: Promise<unknown>,
  code: CoeError['code'],
  text?: string | RegExp,
): Promise<CoeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CoeError);
  expect((error as CoeError).code).toBe(code);
  if (typeof text === 'string') expect((error as CoeError).userMessage).toBe(text);
  if (text instanceof RegExp) expect((error as CoeError).userMessage).toMatch(text);
  return error as CoeError;
}
