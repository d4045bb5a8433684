/**
 * Standards (SOPs) and their versions (seed §2, §11): a standard has a key, a title and an owner; every version after
 * its baseline comes from one release that names approved change requests. A minor bump clarifies, simplifies,
 * removes ambiguity or improves alignment; a major bump changes the workflow.
 */

export type Bump = 'major' | 'minor';

export interface SopVersion {
  major: number;
  minor: number;
}

/** The version a standard starts at: its baseline when registered, or its first release when a change created it. */
export const FIRST_VERSION: SopVersion = { major: 1, minor: 0 };

/** Letters, digits and single dashes, 2 to 60 characters: `inventory-scanning`. */
export const SOP_KEY_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,59}$/;

/** The standard every AI usage rule belongs to (seed §6): its releases are the only way a rule changes. */
export const AI_RULES_SOP = { key: 'ai-usage-rules', title: 'AI usage rules' } as const;

/** `SOP-Inventory Scanning`, `inventory_scanning`, ` inventory-scanning ` → `inventory-scanning`. */
export function normaliseSopKey(text: string): string {
  return text
    .trim()
    .replace(/^sop[-\s]+/i, '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A readable title for a standard only known by its key: `inventory-scanning` → `Inventory scanning`. */
export function titleFromKey(key: string): string {
  if (key === AI_RULES_SOP.key) return AI_RULES_SOP.title;
  const words = key.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const sopId = (key: string) => `SOP-${key}`;
export const versionText = (v: SopVersion) => `v${v.major}.${v.minor}`;
export const releaseName = (key: string, v: SopVersion) => `${sopId(key)} ${versionText(v)}`;
/** `SOP-key v1.1` where the version is known, else `SOP-key` (a record from before versions were kept). */
export const standardName = (key: string, v: SopVersion | undefined) => (v ? releaseName(key, v) : sopId(key));

/** A version kept as two nullable columns (a training's, an audit's); undefined where it was not kept. */
export function storedVersion(
  major: number | null | undefined,
  minor: number | null | undefined,
): SopVersion | undefined {
  return major === null || major === undefined || minor === null || minor === undefined ? undefined : { major, minor };
}

/** The next version: a new standard starts at v1.0 whatever the bump. */
export function nextVersion(current: SopVersion | undefined, bump: Bump): SopVersion {
  if (!current) return FIRST_VERSION;
  return bump === 'major' ? { major: current.major + 1, minor: 0 } : { major: current.major, minor: current.minor + 1 };
}

/** The bump a release takes from its changes: any major one makes it major, else minor. */
export function releaseBump(bumps: readonly Bump[]): Bump {
  return bumps.includes('major') ? 'major' : 'minor';
}

export function compareVersions(a: SopVersion, b: SopVersion): number {
  return a.major - b.major || a.minor - b.minor;
}
