/**
 * Every Teams identifier the app answers to lives here, so a handler and the card that renders its buttons can never
 * drift apart, and the manifest test can check manifests/teams/manifest.json against the code.
 */
import type { AuditPlanField } from '../../domain/audit.ts';
import type { ChangeDecision, ChangeField } from '../../domain/change.ts';
import { CHANGE_ACTIONS } from '../../domain/change-messages.ts';
import type { FrictionDecision, FrictionField } from '../../domain/friction.ts';
import { FRICTION_ACTIONS } from '../../domain/friction-messages.ts';
import type { ReleaseField } from '../../domain/release.ts';
import { RELEASE_ACTIONS } from '../../domain/release-messages.ts';
import { AUDIT_ACTIONS, NUDGE_ACTIONS, TRAINING_ACTIONS } from '../../domain/schedule-messages.ts';
import type { SopFormField } from '../../domain/sop-text.ts';
import { SOP_TEXT_ACTIONS } from '../../domain/sop-text-messages.ts';
import type { TrainingField } from '../../domain/training.ts';
import type { DecisionInput } from '../../services/friction.ts';

/** Where a bot command is offered: a personal chat, a team's channels, a group chat (one manifest list each). */
export const TEAMS_SCOPES = ['personal', 'team', 'groupChat'] as const;
export type TeamsScope = (typeof TEAMS_SCOPES)[number];

const EVERYWHERE: readonly TeamsScope[] = TEAMS_SCOPES;
/** About the person or a record they follow: their own chat, or a group chat. */
const PERSONAL: readonly TeamsScope[] = ['personal', 'groupChat'];
/** The CoE's work in its channels. */
const CHANNELS: readonly TeamsScope[] = ['team'];

/**
 * Every Teams bot command the app answers to, with the scopes whose command list offers it. Teams allows 10 commands
 * per list, so each scope lists what is used there; the manifest test checks manifests/teams/manifest.json against
 * this both ways. Titles up to 32 characters, descriptions up to 128.
 */
export const TEAMS_COMMANDS: readonly { title: string; description: string; scopes: readonly TeamsScope[] }[] = [
  { title: 'help', description: 'What the CoE bot can do for you', scopes: EVERYWHERE },
  {
    title: 'friction',
    description: 'Report friction: friction [what happened] opens the form',
    scopes: EVERYWHERE,
  },
  {
    title: 'change request',
    description: 'Propose a change: change request [what changes] opens the form (managers, executives, CoE)',
    scopes: EVERYWHERE,
  },
  {
    title: 'status',
    description: 'Where a report or change request stands: status FR-12 | status CR-7',
    scopes: PERSONAL,
  },
  {
    title: 'my reports',
    description: 'Your reports and change requests; withdraw CR-7 takes one of yours back',
    scopes: PERSONAL,
  },
  { title: 'queue', description: 'Open reports waiting for the CoE (CoE only)', scopes: CHANNELS },
  {
    title: 'setup review-channel',
    description: 'Make this channel the CoE review channel (CoE only)',
    scopes: CHANNELS,
  },
  {
    title: 'role',
    description: 'Give someone a layer: role @person coe|manager|executive|worker (CoE only)',
    scopes: CHANNELS,
  },
  {
    title: 'team',
    description: 'team add|channel|rename|archive <name> | team member [remove] @person <name> [manager] | team list',
    scopes: CHANNELS,
  },
  {
    title: 'constraint',
    description:
      'Executive direction: constraint add priority|constraint|target <text> | constraint list | constraint end EX-2',
    scopes: ['personal'],
  },
  {
    title: 'sop',
    description:
      'Standards: sop find <words> | sop show <key> [vX.Y] | sop diff <key> vA vB | sop list | new, retire <key> (CoE only)',
    scopes: PERSONAL,
  },
  {
    title: 'release',
    description: 'Publish a new version of a standard from approved change requests: release [sop key] (CoE only)',
    scopes: CHANNELS,
  },
  {
    title: 'metrics',
    description: "The CoE's scorecard: metrics [30d|90d|quarter] [team] (managers, executives, CoE)",
    scopes: PERSONAL,
  },
  { title: 'ai', description: 'Whether and how you may use an AI tool: ai <tool>', scopes: PERSONAL },
  {
    title: 'training',
    description: 'Your training | training status TR-3 | training assign, cancel TR-3, due TR-3 <date> (CoE only)',
    scopes: PERSONAL,
  },
  {
    title: 'audit',
    description: 'Audits: audit list | audit plan, audit run|pause|resume|change|stop AUD-2 (CoE only)',
    scopes: CHANNELS,
  },
  { title: 'jobs', description: 'The scheduled jobs: last and next run of each (CoE only)', scopes: CHANNELS },
];

/** The bot command that opens the friction form: `friction [what happened]`. */
export const FRICTION_COMMAND = 'friction';

/** The bot command that opens the change-request form: `change request [what changes]` (or `change-request`). */
export const CHANGE_REQUEST_COMMAND = 'change request';

/**
 * The `coeAction` carried in the data of every card button (Action.Submit), and so in the `task/fetch` and
 * `task/submit` invokes they cause. The review message's buttons use the core's neutral ids as they are.
 */
export const CARD_ACTIONS = {
  /** "Report friction" on the card the bot answers `friction …` with: opens the form (task/fetch). */
  openFrictionForm: 'friction.open',
  /** The friction form's submit button (task/submit, composeExtension/submitAction). */
  submitFriction: 'friction.submit',
  /** "Propose a change" on the card the bot answers `change request …` with: opens the form (task/fetch). */
  openChangeForm: 'change.open',
  /** The change-request form's submit button (task/submit). */
  submitChange: 'change.submit',
  /** "Publish a release" on the card the bot answers `release …` with: opens the form (task/fetch). */
  openReleaseForm: 'release.open',
  /** The release form's publish button (task/submit). */
  submitRelease: 'release.submit',
  /** "Assign a training" on the card the bot answers `training assign` with: opens the form (task/fetch). */
  openTrainingForm: 'training.open',
  /** The training form's assign button (task/submit). */
  submitTraining: 'training.submit',
  /** "Plan an audit" on the card the bot answers `audit plan` with: opens the form (task/fetch). */
  openAuditForm: 'audit.open',
  /** The audit plan form's button (task/submit). */
  submitAudit: 'audit.submit',
  /** "Change AUD-2" on the card the bot answers `audit change AUD-2` with: opens the plan's form (task/fetch). */
  openAuditChange: 'audit.change.open',
  /** The audit change form's button (task/submit). */
  submitAuditChange: 'audit.change.submit',
  /** "Register a standard" on the card the bot answers `sop new` with: opens the baseline form (task/fetch). */
  openSopForm: 'sop.open',
  /** The baseline form's register button (task/submit). */
  submitSop: 'sop.submit',
  /** "Show more" under a page of a standard's text or of a diff (a plain Action.Submit). */
  sopMore: SOP_TEXT_ACTIONS.more,
  ...FRICTION_ACTIONS,
  ...CHANGE_ACTIONS,
  ...RELEASE_ACTIONS,
  // The core's scheduled-work buttons, renamed: training and nudges both have a `snooze`.
  /** "Mark complete" on a training announcement or reminder (a plain Action.Submit). */
  completeTraining: TRAINING_ACTIONS.complete,
  /** "Snooze 1 day" on a training reminder (a plain Action.Submit). */
  snoozeTraining: TRAINING_ACTIONS.snooze,
  /** "Record results" on a due audit's checklist (task/fetch), and the results form's button (task/submit). */
  recordAudit: AUDIT_ACTIONS.record,
  /** "Snooze a week" on a nudge about a report that waits too long (a plain Action.Submit). */
  snoozeNudge: NUDGE_ACTIONS.snooze,
} as const;

/** The friction decisions whose buttons open a form first (task/fetch), by their card action. */
export const DECISION_FORMS: Record<string, Exclude<FrictionDecision, 'triage'>> = {
  [FRICTION_ACTIONS.rootCause]: 'rootCause',
  [FRICTION_ACTIONS.duplicate]: 'duplicate',
  [FRICTION_ACTIONS.decline]: 'decline',
};

/** The change decisions that ask for a reason first (task/fetch), by their card action. */
export const CHANGE_DECISION_FORMS: Record<string, Exclude<ChangeDecision, 'approve'>> = {
  [CHANGE_ACTIONS.requestChanges]: 'requestChanges',
  [CHANGE_ACTIONS.reject]: 'reject',
};

/** Message actions (manifest `composeExtensions[0].commands`, type `action`, context `message`), by command id. */
export const MESSAGE_ACTIONS = {
  reportFriction: 'reportFriction',
} as const;

/**
 * Search commands (manifest `composeExtensions[0].commands`, type `query`, from the message box and the command box),
 * by command id, with the one parameter each takes.
 */
export const SEARCH_COMMANDS = {
  findStandard: 'findStandard',
} as const;
export const SEARCH_PARAMETER = 'query';

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

/** The change-request form's input ids: the core's field names as they are (CHANGE_FIELDS). */
export const CHANGE_FORM_INPUTS: Record<ChangeField, ChangeField> = {
  kind: 'kind',
  sop: 'sop',
  newSop: 'newSop',
  title: 'title',
  change: 'change',
  why: 'why',
  friction: 'friction',
  constraint: 'constraint',
  risk: 'risk',
  improvement: 'improvement',
  aiTool: 'aiTool',
  aiStatus: 'aiStatus',
  aiDataClasses: 'aiDataClasses',
  aiForbiddenInputs: 'aiForbiddenInputs',
  aiHumanReview: 'aiHumanReview',
  aiLayers: 'aiLayers',
  proposedText: 'proposedText',
};

/** The release form's input ids: the core's field names as they are (RELEASE_FIELDS). */
export const RELEASE_FORM_INPUTS: Record<ReleaseField, ReleaseField> = {
  changes: 'changes',
  notes: 'notes',
  tags: 'tags',
  teams: 'teams',
  text: 'text',
};

/** The training form's input ids: the core's field names as they are (TRAINING_FIELDS). */
export const TRAINING_FORM_INPUTS: Record<TrainingField, TrainingField> = {
  title: 'title',
  material: 'material',
  sop: 'sop',
  teams: 'teams',
  layers: 'layers',
  due: 'due',
};

/** The audit plan form's input ids: the core's field names as they are (AUDIT_PLAN_FIELDS). */
export const AUDIT_PLAN_FORM_INPUTS: Record<AuditPlanField, AuditPlanField> = {
  sop: 'sop',
  schedule: 'schedule',
  checklist: 'checklist',
  variance: 'variance',
  owner: 'owner',
};

/** The `sop new` form's input ids: the core's field names as they are (SOP_FORM_FIELDS). */
export const SOP_FORM_INPUTS: Record<SopFormField, SopFormField> = {
  key: 'key',
  title: 'title',
  owner: 'owner',
  text: 'text',
  link: 'link',
};

/** The input of the reason a change decision asks for. */
export const CHANGE_REASON_INPUT = 'reason';

/** The decision forms' input ids, keyed by the `DecisionInput` field each one fills. */
export const DECISION_INPUTS: Record<keyof DecisionInput, keyof DecisionInput> = {
  rootCause: 'rootCause',
  duplicateOf: 'duplicateOf',
  reason: 'reason',
  // The decline form's other two inputs (its note is `reason`).
  lane: 'lane',
  standard: 'standard',
};

/** The id of the error line shown under an input. */
export const errorId = (input: string) => `${input}.error`;
