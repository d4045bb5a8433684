/**
 * Every Teams identifier the app answers to lives here, so a handler and the card that renders its buttons can never
 * drift apart, and the manifest test can check manifests/teams/manifest.json against the code.
 */
import type { FrictionDecision, FrictionField } from '../../domain/friction.ts';
import { FRICTION_ACTIONS } from '../../domain/friction-messages.ts';
import type { DecisionInput } from '../../services/friction.ts';

/**
 * Every Teams bot command the app answers to; each one must be declared in the commandLists of
 * manifests/teams/manifest.json (the manifest test checks both ways). At most 10 per list, titles up to 32 characters.
 */
export const TEAMS_COMMANDS = [
  { title: 'help', description: 'What the CoE bot can do for you' },
  { title: 'friction', description: 'Report friction: friction [what happened] opens the form' },
  { title: 'status', description: 'Where a report stands: status FR-12' },
  { title: 'my reports', description: 'Your reports and their status (CoE members: the triage queue too)' },
  { title: 'queue', description: 'Open reports waiting for the CoE (CoE only)' },
  { title: 'setup review-channel', description: 'Make this channel the CoE review channel (CoE only)' },
  { title: 'role', description: 'Give someone a layer: role @person coe|manager|executive|worker (CoE only)' },
  { title: 'team', description: 'Add or list teams: team add <name> | team list (CoE only to add)' },
] as const;

/** The bot command that opens the friction form: `friction [what happened]`. */
export const FRICTION_COMMAND = 'friction';

/**
 * The `coeAction` carried in the data of every card button (Action.Submit), and so in the `task/fetch` and
 * `task/submit` invokes they cause. The review message's buttons use the core's neutral ids as they are.
 */
export const CARD_ACTIONS = {
  /** "Report friction" on the card the bot answers `friction …` with: opens the form (task/fetch). */
  openFrictionForm: 'friction.open',
  /** The friction form's submit button (task/submit, composeExtension/submitAction). */
  submitFriction: 'friction.submit',
  ...FRICTION_ACTIONS,
} as const;

/** The decisions whose buttons open a form first (task/fetch), by their card action. */
export const DECISION_FORMS: Record<string, Exclude<FrictionDecision, 'triage'>> = {
  [FRICTION_ACTIONS.rootCause]: 'rootCause',
  [FRICTION_ACTIONS.duplicate]: 'duplicate',
  [FRICTION_ACTIONS.decline]: 'decline',
};

/** Message actions (manifest `composeExtensions[0].commands`, type `action`, context `message`), by command id. */
export const MESSAGE_ACTIONS = {
  reportFriction: 'reportFriction',
} as const;

/** The friction form's input ids: the core's field names as they are, so its errors map back one to one. */
export const FRICTION_FORM_INPUTS: Record<FrictionField, FrictionField> = {
  kind: 'kind',
  title: 'title',
  description: 'description',
  team: 'team',
  tool: 'tool',
  frequency: 'frequency',
  impact: 'impact',
  relatedSop: 'relatedSop',
  anonymous: 'anonymous',
};

/** The decision forms' input ids, keyed by the `DecisionInput` field each one fills. */
export const DECISION_INPUTS: Record<keyof DecisionInput, keyof DecisionInput> = {
  rootCause: 'rootCause',
  duplicateOf: 'duplicateOf',
  reason: 'reason',
};

/** The id of the error line shown under an input. */
export const errorId = (input: string) => `${input}.error`;
