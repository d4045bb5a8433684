/**
 * Composing a release (seed §8, §11): one standard, the approved change requests it ships, notes tagged with the
 * improvement kinds, and the teams it goes to. The version bump follows from the changes: any major one makes it a
 * major release. There is no release without at least one approved change request.
 */
import { z } from 'zod';
import { bumpOf, changeId, IMPROVEMENT_LABELS, IMPROVEMENTS, type Improvement, parseChangeId } from './change.ts';
import { choices, fieldErrors } from './form-fields.ts';
import { type Bump, releaseBump } from './sop.ts';

export const RELEASE_FIELDS = ['changes', 'notes', 'tags', 'teams', 'text'] as const;
export type ReleaseField = (typeof RELEASE_FIELDS)[number];
export type ReleaseFieldErrors = Partial<Record<ReleaseField, string>>;

export const RELEASE_NOTES_MAX = 2500;

/** An approved change request a release may ship. */
export interface ReleaseCandidate {
  number: number;
  sopKey: string;
  title: string;
  improvement: Improvement;
  /** It proposes a text for the standard (the release form offers to take it as proposed). */
  proposesText?: boolean;
}

/** The release form's choice for the next version's text: every proposal combined, or one change's as proposed. */
export const COMBINE_TEXTS = 'combine';

export interface ReleasePlan {
  sopKey: string;
  changes: number[];
  notes: string;
  tags: Improvement[];
  /** Empty: every team. */
  teamIds: number[];
  bump: Bump;
  /** The change request whose proposed text the version takes as proposed; none: every proposal combined. */
  pick?: number;
}

const form = z.object({
  changes: choices,
  notes: z
    .string({ error: 'Please write the release notes as text.' })
    .trim()
    .max(RELEASE_NOTES_MAX, `Keep the notes under ${RELEASE_NOTES_MAX} characters (they have {length}).`)
    .nullish(),
  tags: choices,
  teams: choices,
  text: z.string({ error: 'Please pick the text from the list.' }).trim().max(20).nullish(),
});

/** The notes a release gets when the CoE writes none: one line per change request, with its improvement. */
export function defaultNotes(changes: readonly ReleaseCandidate[]): string {
  return changes.map((c) => `• ${changeId(c.number)} ${c.title} (${IMPROVEMENT_LABELS[c.improvement]})`).join('\n');
}

/** The tags a release gets when the CoE picks none: the improvements of its changes, in the seed's order. */
export function defaultTags(changes: readonly ReleaseCandidate[]): Improvement[] {
  return IMPROVEMENTS.filter((i) => changes.some((c) => c.improvement === i));
}

/**
 * Checks a release form: change requests (by id) among the approved candidates, all of one standard; optional
 * notes and tags (defaults from the changes); target teams by id among `teams` (none picked: every team).
 */
export function planRelease(
  raw: Record<string, unknown>,
  candidates: readonly ReleaseCandidate[],
  teams: readonly { id: number; name: string }[],
): { ok: true; value: ReleasePlan } | { ok: false; errors: ReleaseFieldErrors } {
  const parsed = form.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors<ReleaseField>(parsed.error, raw) };
  const input = parsed.data;
  const errors: ReleaseFieldErrors = {};

  const chosen: ReleaseCandidate[] = [];
  for (const text of input.changes) {
    const number = parseChangeId(text);
    const candidate = candidates.find((c) => c.number === number);
    if (!candidate) {
      errors.changes = `${number === undefined ? text : changeId(number)} is not an approved change request waiting for a release.`;
      break;
    }
    if (!chosen.includes(candidate)) chosen.push(candidate);
  }
  if (!errors.changes && chosen.length === 0) {
    errors.changes = 'Pick at least one approved change request: a release ships approved changes only.';
  }
  const standards = [...new Set(chosen.map((c) => c.sopKey))];
  if (!errors.changes && standards.length > 1) {
    errors.changes = `A release is of one standard; these are of ${standards.map((k) => `SOP-${k}`).join(' and ')}.`;
  }

  const tags: Improvement[] = [];
  for (const tag of input.tags) {
    if (!(IMPROVEMENTS as readonly string[]).includes(tag)) {
      errors.tags = `"${tag}" is not an improvement kind.`;
      break;
    }
    tags.push(tag as Improvement);
  }

  const teamIds: number[] = [];
  for (const text of input.teams) {
    const team = teams.find((t) => String(t.id) === text || t.name.toLowerCase() === text.toLowerCase());
    if (!team) {
      errors.teams = `There is no team "${text}".`;
      break;
    }
    if (!teamIds.includes(team.id)) teamIds.push(team.id);
  }

  let pick: number | undefined;
  if (input.text && input.text !== COMBINE_TEXTS) {
    pick = parseChangeId(input.text);
    if (pick === undefined || !chosen.some((c) => c.number === pick)) {
      errors.text = `${pick === undefined ? input.text : changeId(pick)} is not one of the changes this release ships: pick the text of one of them.`;
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  chosen.sort((a, b) => a.number - b.number);
  return {
    ok: true,
    value: {
      sopKey: standards[0] as string,
      changes: chosen.map((c) => c.number),
      notes: input.notes || defaultNotes(chosen),
      tags: tags.length > 0 ? IMPROVEMENTS.filter((i) => tags.includes(i)) : defaultTags(chosen),
      teamIds,
      bump: releaseBump(chosen.map((c) => bumpOf(c.improvement))),
      ...(pick !== undefined ? { pick } : {}),
    },
  };
}
