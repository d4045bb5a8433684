/**
 * The part of declining a report that reaches beyond the review thread: a matter of priority, budget or resources is
 * the executives' call (seed §3, §5), so the CoE passes it on to them. Runs inside the decision's transaction.
 */
import { frictionId } from '../domain/friction.ts';
import { type Decline, passedOnMessage } from '../domain/friction-decline.ts';
import type { FrictionReport, Repositories } from '../ports.ts';
import type { Notices } from './notices.ts';

/**
 * Tells every executive the bot can reach about a report declined as theirs to decide; returns how many were told.
 * The reporter is told "passed on" only when this is more than none. An executive who reported it or said "me too"
 * gets this as a line under the decline itself (order 1: after it).
 */
export async function passOnToExecutives(
  notices: Notices,
  repos: Repositories,
  report: FrictionReport,
  decline: Decline,
) {
  const id = frictionId(report.number);
  const body = passedOnMessage(report, decline);
  let told = 0;
  for (const executive of await repos.people.withLayers(['executive'])) {
    if (await notices.tell(executive.id, `${id}:v${report.version}:passed-on:${executive.id}`, { body }, 1)) told++;
  }
  return told;
}

/** Records that a report was passed on (after its decline, so the log reads in order). */
export async function recordPassedOn(repos: Repositories, number: number, actorId: number, told: number) {
  if (told === 0) return;
  await repos.events.record({
    actorPersonId: actorId,
    subject: frictionId(number),
    action: 'friction.passed-on',
    data: { to: 'executives', count: told },
  });
}
