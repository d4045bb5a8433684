/**
 * Friction reports (seed §4, "Managers provide… tool friction reports, failure patterns, training gaps, quality
 * variance signals, cross-team issues"): the form's fields and their limits, the lifecycle, and what may happen next.
 */
import { z } from 'zod';
import { choice, fieldErrors, optionalText, requiredText as text } from './form-fields.ts';

export const FRICTION_KINDS = [
  'tool_friction',
  'failure_pattern',
  'training_gap',
  'quality_variance',
  'cross_team',
] as const;
export type FrictionKind = (typeof FRICTION_KINDS)[number];
export const KIND_LABELS: Record<FrictionKind, string> = {
  tool_friction: 'Tool friction',
  failure_pattern: 'Failure pattern',
  training_gap: 'Training gap',
  quality_variance: 'Quality variance',
  cross_team: 'Cross-team issue',
};

export const FREQUENCIES = ['once', 'daily', 'weekly', 'constantly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const FREQUENCY_LABELS: Record<Frequency, string> = {
  once: 'Once',
  daily: 'Daily',
  weekly: 'Weekly',
  constantly: 'Constantly',
};

export const IMPACTS = ['low', 'medium', 'high', 'blocking'] as const;
export type Impact = (typeof IMPACTS)[number];
export const IMPACT_LABELS: Record<Impact, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  blocking: 'Blocking',
};

export const FRICTION_STATUSES = [
  'new',
  'triaged',
  'analysing',
  'in_change',
  'resolved',
  'declined',
  'duplicate',
] as const;
export type FrictionStatus = (typeof FRICTION_STATUSES)[number];
export const STATUS_LABELS: Record<FrictionStatus, string> = {
  new: 'New',
  triaged: 'Triaged',
  analysing: 'Analysing',
  in_change: 'In change',
  resolved: 'Resolved',
  declined: 'Declined',
  duplicate: 'Duplicate',
};
/** The statuses of a report still in the loop (the database keeps an index of exactly these reports). */
export const OPEN_STATUSES = ['new', 'triaged', 'analysing'] as const satisfies readonly FrictionStatus[];
export const isOpen = (status: FrictionStatus) => (OPEN_STATUSES as readonly FrictionStatus[]).includes(status);

/** Field limits: what the forms enforce and what the review message can show within Slack's and Teams' limits. */
export const LIMITS = {
  title: 120,
  description: 3000,
  team: 80,
  tool: 100,
  relatedSop: 100,
  sourceLink: 2000,
  reason: 1000,
  rootCause: 2000,
} as const;

/** The form's fields; platforms use these names for their inputs so errors map back one to one. */
export const FRICTION_FIELDS = [
  'kind',
  'title',
  'description',
  'team',
  'tool',
  'frequency',
  'impact',
  'relatedSop',
  'anonymous',
] as const;
export type FrictionField = (typeof FRICTION_FIELDS)[number];

export const frictionInput = z.object({
  kind: choice(FRICTION_KINDS, 'what kind of friction this is'),
  title: text('a short title', LIMITS.title),
  description: text('what happened', LIMITS.description),
  team: optionalText('the team', LIMITS.team),
  tool: text('the tool or process affected', LIMITS.tool),
  frequency: choice(FREQUENCIES, 'how often it happens'),
  impact: choice(IMPACTS, 'the impact'),
  relatedSop: optionalText('the related SOP', LIMITS.relatedSop),
  anonymous: z.boolean({ error: 'Please say whether to report anonymously.' }).default(false),
  // Set by the platform (the message a report was started from); shown as a link, so web addresses only.
  sourceLink: z
    .url({ protocol: /^https?$/, error: 'The link to the original message must be a web address (https://…).' })
    .max(LIMITS.sourceLink, `Keep the link to the original message under ${LIMITS.sourceLink} characters.`)
    .nullish()
    .transform((s) => s ?? undefined),
});
export type FrictionInput = z.infer<typeof frictionInput>;

export type FieldErrors = Partial<Record<FrictionField, string>>;

/**
 * Checks a submitted form. `teams` are the organisation's teams; when there are none yet the team is free text
 * (a fresh install must still take a report), otherwise it must be one of them.
 */
export function validateFriction(
  raw: Record<string, unknown>,
  teams: readonly string[],
): { ok: true; value: FrictionInput } | { ok: false; errors: FieldErrors } {
  const parsed = frictionInput.safeParse(raw);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors<FrictionField>(parsed.error, raw);
  const team = parsed.success ? parsed.data.team : undefined;
  if (team && teams.length > 0 && !teams.some((t) => t.toLowerCase() === team.toLowerCase())) {
    errors.team = `There is no team called "${team}". Pick one of: ${teams.join(', ')}.`;
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const canonicalTeam = team ? (teams.find((t) => t.toLowerCase() === team.toLowerCase()) ?? team) : undefined;
  return { ok: true, value: { ...parsed.data, team: canonicalTeam } };
}

/** How reports about "the same tool or process" find each other: case, spacing and punctuation do not matter. */
export function toolKey(tool: string): string {
  return tool
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // the accents NFKD splits off: "Crème" is "creme", not "cre me"
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'of',
  'to',
  'in',
  'on',
  'for',
  'is',
  'are',
  'after',
  'when',
  'with',
  'it',
]);

function words(text: string): Set<string> {
  return new Set(
    toolKey(text)
      .split(' ')
      .filter((w) => w.length > 1 && !STOP_WORDS.has(w)),
  );
}

/** Jaccard similarity of two titles' meaningful words, 0…1. */
export function titleSimilarity(a: string, b: string): number {
  return jaccard(words(a), words(b));
}

function jaccard(x: ReadonlySet<string>, y: ReadonlySet<string>): number {
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return shared / (x.size + y.size - shared);
}

/** What "looks like" compares, worked out once per report: comparing many reports is then cheap. */
export interface Likeness {
  toolKey: string;
  words: ReadonlySet<string>;
}

export function likeness(report: { tool: string; title: string }): Likeness {
  return { toolKey: toolKey(report.tool), words: words(report.title) };
}

/** The likeness of a stored report from what was kept with it; from its title for a report stored before its words were. */
export function keptLikeness(report: { toolKey: string; titleWords: readonly string[]; title: string }): Likeness {
  return {
    toolKey: report.toolKey,
    words: report.titleWords.length > 0 ? new Set(report.titleWords) : words(report.title),
  };
}

/** A report "looks like" another when it is about the same tool or process, or its title is close. */
export function alike(a: Likeness, b: Likeness): boolean {
  return a.toolKey === b.toolKey || jaccard(a.words, b.words) >= 0.5;
}

export function looksAlike(a: { tool: string; title: string }, b: { tool: string; title: string }): boolean {
  return alike(likeness(a), likeness(b));
}

/** What a friction report's number is shown behind (`FR-12`); the database writes it too (friction intake's events). */
export const FRICTION_ID_PREFIX = 'FR-';
export const frictionId = (number: number) => `${FRICTION_ID_PREFIX}${number}`;

/** `FR-12`, `fr-12`, `12` → 12; anything else → undefined. */
export function parseFrictionId(text: string): number | undefined {
  const match = /^\s*(?:fr-?)?(\d{1,9})\s*$/i.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The CoE's decisions on a report, and the states each may start from. */
export type FrictionDecision = 'triage' | 'rootCause' | 'duplicate' | 'decline';
const ALLOWED_FROM: Record<FrictionDecision, readonly FrictionStatus[]> = {
  triage: ['new'],
  rootCause: ['triaged', 'analysing'],
  duplicate: ['new', 'triaged', 'analysing'],
  decline: ['new', 'triaged', 'analysing'],
};

export function canDecide(decision: FrictionDecision, status: FrictionStatus): boolean {
  return ALLOWED_FROM[decision].includes(status);
}

/** The decisions still open for a report in this state, in the order the review message shows them. */
export function decisionsFor(status: FrictionStatus): FrictionDecision[] {
  return (['triage', 'rootCause', 'duplicate', 'decline'] as const).filter((d) => canDecide(d, status));
}

/**
 * Whether a report moves along with a change request linked to it: an open report goes "in change" when the request
 * is approved; an open or in-change report is resolved when the request is released. Declined, merged and resolved
 * reports stay as they are.
 */
export function movesWithChange(status: FrictionStatus, to: 'in_change' | 'resolved'): boolean {
  return isOpen(status) || (to === 'resolved' && status === 'in_change');
}
