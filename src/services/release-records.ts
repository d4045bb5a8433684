/**
 * A release's records as the release service reads them: who may publish, the approved change requests waiting for
 * a release, and a release as its messages show it. Runs inside the caller's transaction.
 */
import { changeId } from '../domain/change.ts';
import { CoeError } from '../domain/errors.ts';
import { may, type Person, type PersonRef } from '../domain/people.ts';
import type { ReleaseCandidate } from '../domain/release.ts';
import type { ReleaseView } from '../domain/release-messages.ts';
import { titleFromKey } from '../domain/sop.ts';
import type { Repositories, SopRelease } from '../ports.ts';

/** Only CoE members publish releases. */
export async function publisherOf(repos: Repositories, actor: PersonRef): Promise<Person> {
  const person = await repos.people.find(actor);
  if (!person || !may(person.layer, 'publishRelease')) {
    throw new CoeError('PERMISSION.DENIED', 'Only CoE members publish releases. Nothing was changed.');
  }
  return person;
}

/** The approved change requests not released yet, oldest first, each saying whether it proposes a text. */
export async function releaseCandidates(repos: Repositories): Promise<ReleaseCandidate[]> {
  const approved = await repos.changes.approved();
  const texts = new Set((await repos.changeTexts.many(approved.map((c) => c.number))).map((t) => t.changeNumber));
  return approved.map((c) => ({
    number: c.number,
    sopKey: c.sopKey,
    title: c.title,
    improvement: c.improvement,
    ...(texts.has(c.number) ? { proposesText: true } : {}),
  }));
}

/** A release as its messages show it. */
export async function releaseView(repos: Repositories, release: SopRelease): Promise<ReleaseView> {
  const sop = await repos.sops.get(release.sopKey);
  const changes = [];
  for (const number of release.changes) {
    const change = await repos.changes.get(number);
    changes.push({ number, title: change?.title ?? changeId(number) });
  }
  return {
    id: release.id,
    sopKey: release.sopKey,
    sopTitle: sop?.title ?? titleFromKey(release.sopKey),
    version: { major: release.major, minor: release.minor },
    notes: release.notes,
    tags: release.tags,
    changes,
  };
}
