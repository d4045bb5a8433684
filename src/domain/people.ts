/**
 * People, their layer (seed §1) and what each layer may do (DOMAIN.md, "Layers and what each may do").
 */
export const PLATFORMS = ['slack', 'teams'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const LAYERS = ['worker', 'manager', 'executive', 'coe'] as const;
export type Layer = (typeof LAYERS)[number];

/** How the platform edge names a person: their id on one platform. */
export interface PersonRef {
  platform: Platform;
  externalId: string;
  /** The person's name as the platform shows it ("Casey Morgan"). */
  displayName?: string;
  /** A username ("casey.morgan"): a name only for someone the bot has no better name for. */
  handle?: string;
}

export interface Person {
  id: number;
  layer: Layer;
  displayName: string | null;
}

/** A platform identity the bot knows, with its person as stored (their usual team too). */
export interface KnownIdentity extends Person {
  platform: Platform;
  externalId: string;
  lastTeam: string | null;
}

export const LAYER_LABELS: Record<Layer, string> = {
  worker: 'worker',
  manager: 'manager',
  executive: 'executive',
  coe: 'CoE member',
};

/** Actions the permission table governs (DOMAIN.md, "Layers and what each may do"). */
export type Action =
  | 'grantRole'
  | 'setupReviewChannel'
  | 'manageTeams'
  | 'decideFriction'
  | 'seeTriageQueue'
  | 'raiseChange'
  | 'decideChange'
  | 'manageSops'
  | 'publishRelease'
  | 'acknowledgeDeployment'
  | 'setDirection'
  | 'assignTraining'
  | 'planAudits'
  | 'seeJobs'
  | 'seeMetrics';

const ALLOWED: Record<Action, readonly Layer[]> = {
  grantRole: ['coe'],
  setupReviewChannel: ['coe'],
  manageTeams: ['coe'],
  // Triage, merge duplicates, decline, record root cause (DOMAIN.md): the CoE's analysis, nobody else's.
  decideFriction: ['coe'],
  seeTriageQueue: ['coe'],
  // Workers surface friction instead; the CoE decides how it becomes a change (seed §4, §8).
  raiseChange: ['manager', 'executive', 'coe'],
  // Executives set direction, never CoE methods (seed §5): they neither approve changes nor publish releases.
  decideChange: ['coe'],
  manageSops: ['coe'],
  publishRelease: ['coe'],
  // Managers deploy standards in their own team (the service checks which team); the CoE may record it for any.
  acknowledgeDeployment: ['manager', 'coe'],
  setDirection: ['executive'],
  assignTraining: ['coe'],
  // Audits are about processes, not people (seed §7); recording results is the plan's owner's (or the CoE's).
  planAudits: ['coe'],
  seeJobs: ['coe'],
  // Team-level aggregates only (DOMAIN.md); managers see their own teams, executives and the CoE the organisation.
  seeMetrics: ['manager', 'executive', 'coe'],
};

/** "a manager", "an executive", "a CoE member". */
export const withArticle = (label: string) => `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;

export function may(layer: Layer, action: Action): boolean {
  return ALLOWED[action].includes(layer);
}

export function isLayer(value: string): value is Layer {
  return (LAYERS as readonly string[]).includes(value);
}
