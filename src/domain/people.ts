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
  displayName?: string;
}

export interface Person {
  id: number;
  layer: Layer;
  displayName: string | null;
}

export const LAYER_LABELS: Record<Layer, string> = {
  worker: 'worker',
  manager: 'manager',
  executive: 'executive',
  coe: 'CoE member',
};

/** Actions the permission table governs. Later capabilities add theirs here. */
export type Action = 'grantRole' | 'setupReviewChannel' | 'manageTeams' | 'decideFriction' | 'seeTriageQueue';

const ALLOWED: Record<Action, readonly Layer[]> = {
  grantRole: ['coe'],
  setupReviewChannel: ['coe'],
  manageTeams: ['coe'],
  // Triage, merge duplicates, decline, record root cause (DOMAIN.md): the CoE's analysis, nobody else's.
  decideFriction: ['coe'],
  seeTriageQueue: ['coe'],
};

export function may(layer: Layer, action: Action): boolean {
  return ALLOWED[action].includes(layer);
}

export function isLayer(value: string): value is Layer {
  return (LAYERS as readonly string[]).includes(value);
}
