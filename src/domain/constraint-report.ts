/**
 * What executives see of their direction (seed §5): each constraint, the change requests that serve it and the
 * releases that shipped them, and what is still open. `metrics constraints` shows every constraint; the monthly
 * summary shows an executive the ones they set. About changes and releases only, never about who did what.
 */
import { CHANGE_STATUS_LABELS, type ChangeStatus, changeId, constraintId } from './change.ts';
import { CONSTRAINT_KIND_LABELS } from './constraint.ts';
import type { Message, MessageBlock } from './message.ts';
import type { ConstraintServing, ServingChange } from './metrics-facts.ts';
import { dayText } from './schedule-messages.ts';
import { sopId } from './sop.ts';

const MAX_CONSTRAINTS = 20;
const MAX_CHANGES = 8;
/** Decided against or taken back: they serve nothing and are not "open". */
const CLOSED: readonly string[] = ['rejected', 'withdrawn'];

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const day = (date: Date) => dayText(date.toISOString().slice(0, 10));

function changeLine(c: ServingChange): string {
  const title = `${changeId(c.number)} ${clip(c.title, 80)}`;
  if (c.release)
    return `• ${title}: released in ${sopId(c.release.sopKey)} ${c.release.version} on ${day(c.release.publishedAt)}`;
  return `• ${title}: ${(CHANGE_STATUS_LABELS[c.status as ChangeStatus] ?? c.status).toLowerCase()}`;
}

function when(c: ConstraintServing, now: Date): string {
  if (c.endedAt) return `ended ${day(c.endedAt)}`;
  if (c.until && c.until.getTime() + 86_400_000 <= now.getTime()) return `ran until ${day(c.until)}`;
  return c.until ? `until ${day(c.until)}` : 'open-ended';
}

/** One constraint: its words, its changes (released ones with their release), and how many are still open. */
export function constraintBlock(c: ConstraintServing, now: Date): MessageBlock {
  const live = c.changes.filter((ch) => !CLOSED.includes(ch.status));
  const released = live.filter((ch) => ch.release !== null).length;
  const open = live.length - released;
  const summary = live.length === 0 ? 'No change request serves it yet.' : `${released} released, ${open} still open.`;
  const lines = live.slice(0, MAX_CHANGES).map(changeLine);
  const more = live.length > MAX_CHANGES ? [`…and ${live.length - MAX_CHANGES} more`] : [];
  return {
    type: 'paragraph',
    text: [
      `**${constraintId(c.number)} · ${CONSTRAINT_KIND_LABELS[c.kind]}** (${when(c, now)}): ${clip(c.text, 300)}`,
      summary,
      ...lines,
      ...more,
    ].join('\n'),
  };
}

export function constraintReportMessage(
  constraints: readonly ConstraintServing[],
  now: Date,
  heading = 'Executive direction and the changes serving it',
): Message {
  if (constraints.length === 0) {
    const text = 'No executive priorities, constraints or targets yet.';
    return { text, blocks: [{ type: 'paragraph', text }] };
  }
  const served = constraints.filter((c) => c.changes.some((ch) => ch.release !== null)).length;
  const shown = constraints.slice(-MAX_CONSTRAINTS);
  return {
    text: `${heading}: ${served} of ${constraints.length} served by a released change.`,
    blocks: [
      { type: 'heading', text: heading },
      ...shown.map((c) => constraintBlock(c, now)),
      ...(constraints.length > shown.length
        ? [{ type: 'note' as const, text: `The ${shown.length} newest of ${constraints.length} are shown.` }]
        : []),
      { type: 'note', text: 'Changes and releases only: nothing here is about who did what.' },
    ],
  };
}
