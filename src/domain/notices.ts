/**
 * One event, one message per person (issue 12): everything one action tells one person arrives as one direct
 * message. Its first part is the main change, told in full; the others follow as one short line each, keeping their
 * buttons. Pure functions.
 */
import { auditId } from './audit.ts';
import { CHANGE_STATUS_LABELS, type ChangeStatus, changeId } from './change.ts';
import { type FrictionStatus, frictionId, STATUS_LABELS } from './friction.ts';
import type { Message, MessageAction, MessageBlock } from './message.ts';
import {
  AUDIT_ACTIONS,
  type AuditView,
  auditDueMessage,
  dayText,
  NUDGE_ACTIONS,
  staleNudgeMessage,
  TRAINING_ACTIONS,
  type TrainingView,
  trainingReminder,
} from './schedule-messages.ts';
import { standardName } from './sop.ts';
import { trainingId } from './training.ts';

/** Something a person is told: the message it makes on its own, and the line it becomes beside a bigger change. */
export interface NoticePart {
  body: Message;
  /** One line in the core's markdown (the body's text when left out). */
  line?: string;
  /** Buttons the part keeps as a line (a training's "Mark complete"). */
  actions?: MessageAction[];
}

/**
 * Lines shown under the main part; the rest are counted. With the main part's few blocks this stays well within
 * Slack's 50 blocks a message and a Teams card's size.
 */
export const NOTICE_LINES_MAX = 10;
const LINE_MAX = 300;
const TEXT_MAX = 600;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A line as plain text (the notification, screen readers): no bold, no final full stop. */
const plainLine = (line: string) => line.replace(/\*\*/g, '').replace(/[.\s]+$/, '');

const lineOf = (part: NoticePart) => part.line ?? part.body.text;

/**
 * The one message a person gets: the main part as it is, then each other part as a line. The plain text leads with
 * the main change and names the next one, so a notification alone says what happened.
 */
export function mergeNotices(parts: readonly NoticePart[]): Message {
  const [main, ...others] = parts;
  if (!main) throw new Error('mergeNotices: nothing to tell');
  const [next] = others;
  if (!next) return main.body;
  const shown = others.slice(0, NOTICE_LINES_MAX);
  const blocks: MessageBlock[] = [...main.body.blocks, { type: 'divider' }];
  for (const part of shown) {
    blocks.push({ type: 'paragraph', text: clip(lineOf(part), LINE_MAX) });
    if (part.actions && part.actions.length > 0) blocks.push({ type: 'actions', actions: part.actions });
  }
  const hidden = others.length - shown.length;
  if (hidden > 0) blocks.push({ type: 'note', text: `…and ${hidden} more ${hidden === 1 ? 'update' : 'updates'}.` });
  const more = others.length > 1 ? ` (and ${others.length - 1} more)` : '';
  return { text: clip(`${plainLine(main.body.text)} — ${plainLine(lineOf(next))}${more}.`, TEXT_MAX), blocks };
}

/** A change request's new status, as a line to the person who raised it. */
export function changeLine(change: { number: number; title: string; status: ChangeStatus }): string {
  const status = CHANGE_STATUS_LABELS[change.status].toLowerCase();
  return `**${changeId(change.number)}** "${clip(change.title, 120)}", which you raised, is now **${status}**.`;
}

/** A report's new status, as a line to its reporter or to someone who said "me too". */
export function reportLine(
  report: { number: number; title: string; status: FrictionStatus },
  role: 'reporter' | 'supporter',
): string {
  const how = role === 'reporter' ? 'which you reported' : 'which you also raised';
  const status = STATUS_LABELS[report.status].toLowerCase();
  return `**${frictionId(report.number)}** "${clip(report.title, 120)}", ${how}, is now **${status}**.`;
}

/** A training reminder: the whole reminder on its own, a line with its buttons beside another. */
export function trainingReminderPart(t: TrainingView): NoticePart {
  const id = trainingId(t.number);
  return {
    body: trainingReminder(t, false),
    line: `Training **${id}** "${clip(t.title, 120)}" is not marked complete yet; due ${dayText(t.dueOn)}.`,
    actions: [
      { id: TRAINING_ACTIONS.complete, label: `Mark ${id} complete`, value: id, style: 'primary' },
      { id: TRAINING_ACTIONS.snooze, label: 'Snooze 1 day', value: id },
    ],
  };
}

/** A nudge to the owner of a report without progress: the whole nudge on its own, a line beside another. */
export function staleNudgePart(
  report: { number: number; title: string },
  workingDays: number,
  key: string,
): NoticePart {
  return {
    body: staleNudgeMessage(report, 'stalled', workingDays, key),
    line: `**${frictionId(report.number)}** "${clip(report.title, 120)}", which you own, has had no progress for ${workingDays} working days.`,
    actions: [{ id: NUDGE_ACTIONS.snooze, label: `Snooze ${frictionId(report.number)} a week`, value: key }],
  };
}

/** An audit run due: the whole checklist on its own; beside another run due at once, a line with its own button. */
export function auditDuePart(audit: AuditView): NoticePart {
  const id = auditId(audit.number);
  const items = audit.checklist.length;
  return {
    body: auditDueMessage(audit),
    line: `Audit **${id}** of ${standardName(audit.sopKey, audit.version)} is due too: ${items} ${items === 1 ? 'item' : 'items'}, listed in its form.`,
    actions: [{ id: AUDIT_ACTIONS.record, label: `Record ${id} results`, value: String(audit.runId), opensForm: true }],
  };
}
