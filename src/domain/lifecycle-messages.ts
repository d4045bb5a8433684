/**
 * What people read when a record's lifecycle ends or changes: an audit plan paused, resumed, changed or stopped, a
 * training cancelled or its due date moved, a standard retired, an executive constraint ended early. The
 * confirmations go to whoever decided; the notices to whom the change concerns (an audit's owner, a training's
 * assignees, a standard's teams, the CoE for direction). Pure functions.
 */
import { type AuditPlanState, auditId } from './audit.ts';
import { constraintId } from './change.ts';
import { CONSTRAINT_KIND_LABELS, type ExecutiveConstraint } from './constraint.ts';
import { coeCommand, type Message, message } from './message.ts';
import { dayText, TRAINING_ACTIONS } from './schedule-messages.ts';
import { type SopVersion, sopId, standardName } from './sop.ts';
import { trainingId } from './training.ts';

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** How `audit list` and `sop show` name a plan's state. */
export const AUDIT_STATE_LABELS: Record<AuditPlanState, string> = {
  active: 'running',
  paused: 'paused',
  stopped: 'stopped',
};

export interface AuditPlanSummary {
  number: number;
  sopKey: string;
  /** The version the plan was made for, where it was kept. */
  version?: SopVersion;
  schedule: string;
  items: number;
  acceptableVariance: number;
}

/** `SOP-key v1.0`: the standard and the version the plan is about. */
const standardOf = (p: AuditPlanSummary) => standardName(p.sopKey, p.version);

const planLine = (p: AuditPlanSummary) =>
  `on "${p.schedule}", ${p.items} items, acceptable variance ${p.acceptableVariance}%`;

/** `audit pause|resume|stop` on a plan already in that state (or stopped for good): nothing changes. */
export function auditStateUnchanged(plan: AuditPlanSummary, state: AuditPlanState, wanted: AuditPlanState): Message {
  const id = auditId(plan.number);
  if (state === 'stopped') {
    return message(
      `${id} was stopped for good, so it stays as it is. Plan a new audit with ${coeCommand('audit plan')}.`,
    );
  }
  if (wanted === 'paused')
    return message(`${id} is paused already. Resume it with ${coeCommand(`audit resume ${id}`)}.`);
  return message(`${id} is running already, ${planLine(plan)}: there is nothing to resume.`);
}

/** The confirmation to whoever paused, resumed or stopped a plan. */
export function auditStateConfirmation(plan: AuditPlanSummary, state: AuditPlanState, next?: Date): Message {
  const id = auditId(plan.number);
  if (state === 'paused') {
    return message(
      `Paused: ${id} (${standardOf(plan)}) does not run until it is resumed with ${coeCommand(`audit resume ${id}`)}.`,
    );
  }
  if (state === 'stopped') {
    return message(
      `Stopped: ${id} will not run again. Its runs stay in the history of ${sopId(plan.sopKey)} (${coeCommand(`sop show ${plan.sopKey}`)}).`,
    );
  }
  return message(`Resumed: ${id} runs again ${planLine(plan)}${next ? `; the next run is ${when(next)}` : ''}.`);
}

/** To the plan's owner when someone else paused, resumed or stopped it. */
export function auditStateNotice(plan: AuditPlanSummary, state: AuditPlanState): Message {
  const id = auditId(plan.number);
  const lines: Record<AuditPlanState, string> = {
    paused: `The CoE paused ${id}, the audit of ${standardOf(plan)} you own: no checklist comes until it is resumed.`,
    active: `The CoE resumed ${id}, the audit of ${standardOf(plan)} you own: you get its checklist again when a run is due (${plan.schedule}).`,
    stopped: `The CoE stopped ${id}, the audit of ${standardOf(plan)} you owned: no more checklists come. Its recorded runs stay.`,
  };
  return message(lines[state]);
}

/** The confirmation of `audit change`, and what its owner is told. */
export function auditChangedConfirmation(plan: AuditPlanSummary, state: AuditPlanState, next?: Date): Message {
  const id = auditId(plan.number);
  const paused = state === 'paused' ? ` It stays paused until ${coeCommand(`audit resume ${id}`)}.` : '';
  const first = state === 'active' && next ? `; the next run is ${when(next)}` : '';
  return message(`Done: ${id} audits ${standardOf(plan)} ${planLine(plan)}${first}.${paused}`);
}

export const auditUnchanged = (plan: AuditPlanSummary) =>
  message(`Nothing to change: ${auditId(plan.number)} already runs ${planLine(plan)}.`);

export function auditChangedNotice(plan: AuditPlanSummary, role: 'owner' | 'newOwner' | 'formerOwner'): Message {
  const id = auditId(plan.number);
  if (role === 'formerOwner') {
    return message(`${id}, the audit of ${standardOf(plan)}, has a new owner: its checklists no longer come to you.`);
  }
  const lead = role === 'newOwner' ? `You now own ${id}, the audit of ${standardOf(plan)}` : `The CoE changed ${id}`;
  return message(`${lead}: it runs ${planLine(plan)}. You get its checklist when a run is due.`);
}

/** An audit that cannot be paused, resumed, changed or run any more. */
export const auditStoppedRefusal = (number: number) =>
  `${auditId(number)} was stopped for good. Plan a new audit with ${coeCommand('audit plan')}.`;

export interface TrainingSummary {
  number: number;
  title: string;
  dueOn: string;
}

const trainingName = (t: TrainingSummary) => `${trainingId(t.number)} "${clip(t.title, 120)}"`;

const completeButton = (t: TrainingSummary) => ({
  type: 'actions' as const,
  actions: [
    { id: TRAINING_ACTIONS.complete, label: 'Mark complete', value: trainingId(t.number), style: 'primary' as const },
  ],
});

export function trainingCancelledConfirmation(t: TrainingSummary, told: number): Message {
  // No count: in a small team "1 person had not completed it" points at someone (minimum group size).
  const tell = told > 0 ? ' Everyone who had not completed it is told.' : '';
  return message(`Cancelled: ${trainingName(t)}. Its reminders stop, and its history stays.${tell}`);
}

/** To each assignee not done yet, and in the teams' channels. */
export const trainingCancelledNotice = (t: TrainingSummary) =>
  message(`Training ${trainingName(t)} is cancelled: there is nothing more to do for it, and no more reminders.`);

export const trainingCancelledAlready = (t: TrainingSummary) =>
  message(`${trainingName(t)} is cancelled already: there is nothing left to do for it.`);

/** Refused: a cancelled training's due date stays where it was. */
export const trainingCancelledRefusal = (number: number) =>
  `${trainingId(number)} is cancelled, so it has no due date to move.`;

export function trainingDueConfirmation(t: TrainingSummary, was: string, told: number): Message {
  const tell = told > 0 ? '; everyone who has not completed it is told' : '';
  return message(`Done: ${trainingName(t)} is now due ${dayText(t.dueOn)} (it was ${dayText(was)})${tell}.`);
}

export const trainingDueUnchanged = (t: TrainingSummary) =>
  message(`${trainingName(t)} is due ${dayText(t.dueOn)} already: nothing to change.`);

/** To each assignee not done yet, and in the teams' channels. */
export function trainingDueNotice(t: TrainingSummary, was: string): Message {
  const text = `Training ${trainingName(t)} is now due ${dayText(t.dueOn)} (it was ${dayText(was)}).`;
  return { text, blocks: [{ type: 'paragraph', text }, completeButton(t)] };
}

export function sopRetiredConfirmation(
  sop: { key: string; title: string },
  told: { channels: number; stoppedAudits: number[]; openChanges: number[] },
): Message {
  const lines = [
    `Retired: ${sopId(sop.key)} "${clip(sop.title, 120)}". It stays listed as retired with its history; no new change request or release may target it.`,
    told.channels > 0
      ? `Its teams are told in ${told.channels === 1 ? 'their channel' : `${told.channels} channels`}.`
      : 'No team channel is linked yet, so no team was told.',
  ];
  const audits = told.stoppedAudits.map(auditId);
  if (audits.length === 1) lines.push(`Its audit ${audits[0]} is stopped.`);
  if (audits.length > 1) lines.push(`Its audits ${audits.join(', ')} are stopped.`);
  const open = told.openChanges.length;
  if (open === 1) lines.push('1 change request of it is still open: it can no longer be released.');
  if (open > 1) lines.push(`${open} change requests of it are still open: they can no longer be released.`);
  return message(lines.join(' '));
}

/** In each of its teams' channels, once. */
export const sopRetiredNotice = (sop: { key: string; title: string }) =>
  message(
    `${sopId(sop.key)} "${clip(sop.title, 120)}" is retired: it no longer applies. Questions about it go to the CoE.`,
  );

export const sopRetiredAlready = (key: string, at: Date) =>
  message(`${sopId(key)} is retired already, since ${at.toISOString().slice(0, 10)}.`);

/** A change request or release aimed at a retired standard. */
export const retiredRefusal = (key: string, what: 'change requests' | 'releases') =>
  `${sopId(key)} is retired: it takes no new ${what}. Nothing was ${what === 'releases' ? 'published' : 'stored'}.`;

/** `2027-01-11T09:00:00Z` → `2027-01-11 09:00 UTC`, as `audit list` writes it. */
const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

type ConstraintSummary = Pick<ExecutiveConstraint, 'number' | 'kind' | 'text' | 'until' | 'endedAt'>;

const constraintLine = (c: ConstraintSummary) =>
  `${constraintId(c.number)} (${CONSTRAINT_KIND_LABELS[c.kind].toLowerCase()}) "${clip(c.text, 120)}"`;

/** The confirmation to the executive who ended a constraint early. */
export const constraintEndedConfirmation = (c: ConstraintSummary, reviewChannel: boolean) =>
  message(
    `Ended: ${constraintLine(c)}. It stays listed as ended; new change requests can no longer say they serve it.${reviewChannel ? ' The CoE is told in its review channel.' : ''}`,
  );

/** In the CoE's review channel, once: direction changed, so work planned for it may need another look. */
export const constraintEndedNotice = (c: ConstraintSummary) =>
  message(
    `${constraintLine(c)} was ended early by an executive. Change requests no longer serve it; open ones that did may need another look.`,
  );

/** `constraint end` on one ended already, or past its own end date. */
export const constraintOverAlready = (c: ConstraintSummary) =>
  message(
    c.endedAt
      ? `${constraintId(c.number)} was ended already, on ${c.endedAt.toISOString().slice(0, 10)}.`
      : `${constraintId(c.number)} is over already: it applied until ${c.until?.toISOString().slice(0, 10)}.`,
  );

const told = (channels: number) =>
  channels > 0
    ? ` Its ${channels === 1 ? 'channel is' : `${channels} channels are`} told.`
    : ' It has no channel linked, so no channel was told.';

export const teamRenamedConfirmation = (from: string, to: string, channels: number) =>
  message(
    `Renamed: ${clip(from, 80)} is now ${clip(to, 80)}; its members, channels and history stay.${told(channels)}`,
  );

export const teamRenamedNotice = (from: string, to: string) =>
  message(`This team, ${clip(from, 80)}, is now called ${clip(to, 80)}. Nothing else changes.`);

export const teamArchivedConfirmation = (name: string, channels: number) =>
  message(
    `Archived: ${clip(name, 80)}. No form offers it and its channels get no new announcements or reminders; its history stays.${told(channels)}`,
  );

/** In each of its channels, once: the last thing the bot posts there for it. */
export const teamArchivedNotice = (name: string) =>
  message(
    `${clip(name, 80)} is archived: new releases, trainings and reminders no longer come to this channel. Questions go to the CoE.`,
  );

export const teamArchivedAlready = (name: string, at: Date) =>
  message(`${clip(name, 80)} is archived already, since ${at.toISOString().slice(0, 10)}.`);

/** "Deployed in my team" on an announcement to a team archived since: its history stays, it takes nothing new. */
export const deployedArchivedRefusal = (release: string) =>
  `This team is archived, so ${release} cannot be recorded as deployed there. Nothing was recorded.`;

export const teamMemberRemovedConfirmation = (who: string, team: string, told: boolean) =>
  message(`Done: ${clip(who, 80)} is no longer in ${clip(team, 80)}.${told ? ' They are told.' : ''}`);

/** To the person taken out of a team. */
export const teamMemberRemovedNotice = (team: string) =>
  message(
    `You are no longer in ${clip(team, 80)}: its releases and reminders no longer come to you as one of its members. Ask the CoE if that is a mistake.`,
  );
