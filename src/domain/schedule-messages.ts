/**
 * What people see of the scheduled part of the loop: training announcements and reminders, audit checklists and
 * their outcome, nudges about reports that wait too long, and the jobs board. Team-level numbers only: nobody's
 * completion is shown to anyone but themselves (seed §3 "does not monitor individual performance"). Pure functions.
 */

import { auditId } from './audit.ts';
import { changeId } from './change.ts';
import { frictionId } from './friction.ts';
import { coeCommand, type Fact, type Message, type MessageBlock } from './message.ts';
import { MIN_GROUP_DEFAULT, shownCells, TOO_FEW } from './metrics.ts';
import { LAYER_LABELS, type Layer } from './people.ts';
import { releaseName, type SopVersion, sopId, standardName, storedVersion, versionText } from './sop.ts';
import { trainingId } from './training.ts';

export const TRAINING_ACTIONS = {
  complete: 'training.complete',
  snooze: 'training.snooze',
} as const;

export const AUDIT_ACTIONS = {
  /** Opens the results form of one run. */
  record: 'audit.record',
} as const;

export const NUDGE_ACTIONS = {
  snooze: 'nudge.snooze',
} as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `2026-12-04` → `Fri, 4 Dec 2026`. */
export function dayText(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return d.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export interface TrainingView {
  number: number;
  title: string;
  material: string;
  sop: { key: string; version: SopVersion | undefined } | null;
  dueOn: string;
  /** Cancelled: nothing left to do for it. */
  cancelled?: boolean;
}

const standardOf = (t: TrainingView) =>
  t.sop ? (t.sop.version ? releaseName(t.sop.key, t.sop.version) : sopId(t.sop.key)) : undefined;

function trainingFacts(t: TrainingView): Fact[] {
  const standard = standardOf(t);
  return [
    { label: 'Due', value: `${dayText(t.dueOn)}${t.cancelled ? ' (cancelled)' : ''}` },
    ...(standard ? [{ label: 'Standard', value: standard }] : []),
  ];
}

const completeButton = (t: TrainingView) => ({
  id: TRAINING_ACTIONS.complete,
  label: 'Mark complete',
  value: trainingId(t.number),
  style: 'primary' as const,
});

/** In a team's channel when a training is assigned to it. */
export function trainingAnnouncement(t: TrainingView, team: string): Message {
  const id = trainingId(t.number);
  return {
    text: `New training ${id} for ${team}: ${t.title}, due ${dayText(t.dueOn)}.`,
    blocks: [
      { type: 'heading', text: clip(`Training ${id} · ${t.title}`, 150) },
      { type: 'paragraph', text: `For ${clip(team, 80)}. ${clip(t.material, 2000)}` },
      { type: 'facts', facts: trainingFacts(t) },
      { type: 'note', text: 'Press the button once you have done it: only you see your own status.' },
      { type: 'actions', actions: [completeButton(t)] },
    ],
  };
}

/** A direct message: to someone assigned through their layer, and the reminders to everyone not done yet. */
export function trainingReminder(t: TrainingView, first: boolean): Message {
  const id = trainingId(t.number);
  const lead = first ? `You have a training to do: ${id}` : `Reminder: training ${id} is not marked complete yet`;
  return {
    text: `${lead}: ${t.title}, due ${dayText(t.dueOn)}.`,
    blocks: [
      { type: 'paragraph', text: `**${lead}:** ${clip(t.title, 200)}` },
      { type: 'paragraph', text: clip(t.material, 2000) },
      { type: 'facts', facts: trainingFacts(t) },
      {
        type: 'actions',
        actions: [completeButton(t), { id: TRAINING_ACTIONS.snooze, label: 'Snooze 1 day', value: id }],
      },
    ],
  };
}

/**
 * The reminder in a team's channel: how far the team is, never who. A team smaller than the minimum group gets no
 * count ("1 of 2 have completed it" would point at the one who has not).
 */
export function teamTrainingReminder(
  t: TrainingView,
  team: string,
  done: number,
  total: number,
  minGroup = MIN_GROUP_DEFAULT,
): Message {
  const standard = standardOf(t);
  const name = `Training ${trainingId(t.number)} "${clip(t.title, 100)}"${standard ? ` (${standard})` : ''}`;
  const text =
    total >= minGroup
      ? `${name}: ${done} of ${total} in ${team} have completed it; due ${dayText(t.dueOn)}.`
      : `${name} is due ${dayText(t.dueOn)} in ${team}: if it is yours, mark it complete once done.`;
  return {
    text,
    blocks: [
      { type: 'paragraph', text },
      { type: 'actions', actions: [completeButton(t)] },
    ],
  };
}

/** `training`: a person's own trainings and whether they completed each. */
export function myTrainingsMessage(items: readonly { training: TrainingView; completedAt: Date | null }[]): Message {
  if (items.length === 0) {
    return {
      text: 'You have no training assigned.',
      blocks: [{ type: 'paragraph', text: 'You have no training assigned.' }],
    };
  }
  return {
    text: `My training: ${items.length}`,
    blocks: [
      { type: 'heading', text: 'My training' },
      {
        type: 'facts',
        facts: items.slice(0, 30).map(({ training, completedAt }) => ({
          label: `${trainingId(training.number)} · ${completedAt ? 'Completed' : training.cancelled ? 'Cancelled' : `Due ${dayText(training.dueOn)}`}`,
          value: clip(training.title, 200),
        })),
      },
    ],
  };
}

export interface CompletionGroup {
  /** A team's name, or a layer. */
  name: string;
  done: number;
  total: number;
}

/**
 * `training status TR-3`: completion per team and per layer, for everyone. A group smaller than the minimum reads "too
 * few to show", and so does one more where the total would give it away (DOMAIN.md privacy rules).
 */
export function trainingStatusMessage(
  t: TrainingView,
  teams: readonly CompletionGroup[],
  layers: readonly CompletionGroup[],
  minGroup = MIN_GROUP_DEFAULT,
): Message {
  const groups = [...teams, ...layers.map((l) => ({ ...l, name: LAYER_LABELS[l.name as Layer] ?? l.name }))];
  const done = groups.reduce((n, g) => n + g.done, 0);
  const total = groups.reduce((n, g) => n + g.total, 0);
  const totalShown = total >= minGroup;
  const shown = shownCells(
    groups.map((g) => ({ value: g, people: g.total })),
    minGroup,
    totalShown,
  );
  const summary = totalShown
    ? `${done} of ${total} completed`
    : `completion is shown for groups of ${minGroup} or more`;
  return {
    text: `${trainingId(t.number)} ${t.title}: ${summary}.`,
    blocks: [
      { type: 'heading', text: clip(`Training ${trainingId(t.number)} · ${t.title}`, 150) },
      { type: 'facts', facts: trainingFacts(t) },
      groups.length > 0
        ? {
            type: 'facts',
            facts: groups.slice(0, 40).map((g, i) => ({
              label: clip(g.name, 100),
              value: shown[i] ? `${g.done} of ${g.total} completed` : TOO_FEW,
            })),
          }
        : { type: 'paragraph', text: 'Nobody is assigned yet.' },
      {
        type: 'note',
        text: `Totals per team and layer only, for groups of ${minGroup} people or more: each person sees their own status with ${coeCommand('training')}.`,
      },
    ],
  };
}

export interface AuditView {
  number: number;
  sopKey: string;
  /** The version of the standard the plan was made for, where it was kept. */
  version?: SopVersion;
  checklist: string[];
  acceptableVariance: number;
  runId: number;
  dueAt: Date;
}

/** To the audit's owner when a run is due: the checklist, and the button that opens the results form. */
export function auditDueMessage(audit: AuditView): Message {
  const id = auditId(audit.number);
  const standard = standardName(audit.sopKey, audit.version);
  return {
    text: `Audit ${id} of ${standard} is due: ${audit.checklist.length} ${audit.checklist.length === 1 ? 'item' : 'items'}.`,
    blocks: [
      { type: 'heading', text: clip(`Audit ${id} · ${standard}`, 150) },
      { type: 'paragraph', text: `Due now. Check each item, then record pass or fail and the variance you measured.` },
      { type: 'paragraph', text: audit.checklist.map((item, i) => `${i + 1}. ${clip(item, 150)}`).join('\n') },
      { type: 'facts', facts: [{ label: 'Acceptable variance', value: `${audit.acceptableVariance}%` }] },
      {
        type: 'actions',
        actions: [
          {
            id: AUDIT_ACTIONS.record,
            label: 'Record results',
            value: String(audit.runId),
            style: 'primary',
            opensForm: true,
          },
        ],
      },
    ],
  };
}

/** The version an audit run was recorded against, and the team whose version it is (else the standard's current). */
export interface AuditedVersion {
  version: SopVersion;
  team?: string;
}

/** What the recorder sees once results are in, with the version audited where it is known. */
export function auditRecordedMessage(
  audit: AuditView,
  outcome: { maxVariance: number; breach: boolean; passed: number; failed: number },
  redesign: number | undefined,
  against?: AuditedVersion,
): Message {
  const id = auditId(audit.number);
  const whose = against?.team ? `the version ${clip(against.team, 80)} works to` : 'the current version';
  const audited = against
    ? ` of ${sopId(audit.sopKey)}, audited against ${versionText(against.version)} (${whose})`
    : '';
  const line = `${id}${audited}: ${outcome.passed} passed, ${outcome.failed} failed, largest variance ${outcome.maxVariance}% (acceptable ${audit.acceptableVariance}%).`;
  const next =
    outcome.breach && redesign !== undefined
      ? `Outside the acceptable variance: ${changeId(redesign)} is drafted for the CoE to redesign the workflow.`
      : 'Within the acceptable variance. Thank you.';
  return {
    text: `${line} ${next}`,
    blocks: [
      { type: 'paragraph', text: line },
      { type: 'paragraph', text: next },
    ],
  };
}

/** `sop show`: the audits of a standard, newest runs first. */
export function auditSection(
  plans: readonly {
    number: number;
    schedule: string;
    acceptableVariance: number;
    /** The version the plan was made for, and each run's audited version, where kept. */
    sopMajor?: number | null;
    sopMinor?: number | null;
    /** Said when the plan is not running (paused, stopped). */
    state?: 'active' | 'paused' | 'stopped';
    runs: {
      dueAt: Date;
      maxVariance: number | null;
      breach: boolean | null;
      changeNumber: number | null;
      sopMajor?: number | null;
      sopMinor?: number | null;
    }[];
  }[],
): MessageBlock[] {
  if (plans.length === 0) return [];
  const facts: Fact[] = [];
  for (const plan of plans) {
    const recorded = plan.runs.filter((r) => r.maxVariance !== null);
    const made = storedVersion(plan.sopMajor, plan.sopMinor);
    facts.push({
      label: `${auditId(plan.number)}${made ? ` · ${versionText(made)}` : ''} · ${plan.schedule}${plan.state && plan.state !== 'active' ? ` (${plan.state})` : ''}`,
      value: `acceptable ${plan.acceptableVariance}%; ${recorded.length} recorded of the last ${plan.runs.length} runs`,
    });
    for (const run of recorded.slice(0, 5)) {
      const audited = storedVersion(run.sopMajor, run.sopMinor);
      facts.push({
        label: `${auditId(plan.number)} · ${run.dueAt.toISOString().slice(0, 10)}`,
        value: `variance ${run.maxVariance}%${audited ? ` on ${versionText(audited)}` : ''}${run.breach ? ` — breach${run.changeNumber ? `, redesign ${changeId(run.changeNumber)}` : ''}` : ''}`,
      });
    }
  }
  return [
    { type: 'paragraph', text: '**Audits**' },
    { type: 'facts', facts: facts.slice(0, 30) },
  ];
}

/** `sop show`: the trainings linked to a standard. */
export function trainingSection(trainings: readonly TrainingView[]): MessageBlock[] {
  if (trainings.length === 0) return [];
  return [
    { type: 'paragraph', text: '**Training**' },
    {
      type: 'facts',
      facts: trainings.slice(0, 10).map((t) => ({
        label: `${trainingId(t.number)} · ${t.cancelled ? 'cancelled' : `due ${dayText(t.dueOn)}`}`,
        value: `${clip(t.title, 150)}${standardOf(t) ? ` (${standardOf(t)})` : ''}`,
      })),
    },
  ];
}

/** In the CoE channel (untriaged) or to the owner (no progress): a report that waits too long. */
export function staleNudgeMessage(
  report: { number: number; title: string },
  kind: 'untriaged' | 'stalled',
  workingDays: number,
  snoozeValue: string,
): Message {
  const id = frictionId(report.number);
  const text =
    kind === 'untriaged'
      ? `${id} "${clip(report.title, 120)}" has waited ${workingDays} working days for triage.`
      : `${id} "${clip(report.title, 120)}", which you own, has had no progress for ${workingDays} working days.`;
  return {
    text,
    blocks: [
      { type: 'paragraph', text },
      {
        type: 'note',
        text:
          kind === 'untriaged'
            ? 'Triage it from its review message.'
            : 'Record the root cause, or link it to a change request.',
      },
      { type: 'actions', actions: [{ id: NUDGE_ACTIONS.snooze, label: 'Snooze a week', value: snoozeValue }] },
    ],
  };
}

export interface JobView {
  name: string;
  schedule: string;
  timeZone: string;
  last?: { fireTime: Date; outcome: string; error: string | null };
  next?: Date;
}

/** `jobs`: every scheduled job, its last run and its next. */
export function jobsMessage(jobs: readonly JobView[]): Message {
  const when = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 16);
  return {
    text: `Scheduled jobs: ${jobs.map((j) => `${j.name} (${j.last?.outcome ?? 'not run yet'})`).join(', ')}`,
    blocks: [
      { type: 'heading', text: 'Scheduled jobs' },
      {
        type: 'facts',
        facts: jobs.slice(0, 40).map((j) => ({
          label: `${j.name} · ${j.schedule} (${j.timeZone})`,
          value: [
            j.last
              ? `last ${when(j.last.fireTime)} UTC: ${j.last.outcome}${j.last.error ? ` (${clip(j.last.error, 200)})` : ''}`
              : 'not run yet',
            j.next ? `next ${when(j.next)} UTC` : 'no next run',
          ].join('; '),
        })),
      },
    ],
  };
}
