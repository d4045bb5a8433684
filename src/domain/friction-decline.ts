/**
 * Declining a friction report the way the CoE stays in its lane (seed §3): it does not assign or sequence work
 * (managers do), decide priorities or solve resource shortages (executives do), or get involved in interpersonal
 * issues and individual performance. A decline names the lane the matter belongs in, and the reporter is told where
 * to take it instead, in words that blame no one. Pure functions.
 */
import {
  FREQUENCY_LABELS,
  type Frequency,
  type FrictionKind,
  frictionId,
  IMPACT_LABELS,
  type Impact,
  KIND_LABELS,
  LIMITS,
} from './friction.ts';
import { coeCommand, type Message, type MessageBlock } from './message.ts';
import { normaliseSopKey, SOP_KEY_PATTERN, sopId } from './sop.ts';

export const DECLINE_LANES = [
  'manager_call',
  'executive_call',
  'people_matter',
  'covered_by_standard',
  'other',
] as const;
export type DeclineLane = (typeof DECLINE_LANES)[number];

/** What the form offers: a short choice and the line under it (each within Slack's 75 characters). */
export const DECLINE_CHOICES: Record<DeclineLane, { label: string; description: string }> = {
  manager_call: { label: "A manager's call", description: 'Assigning or sequencing work' },
  executive_call: {
    label: "An executive's call",
    description: 'Priority, budget or resources: the executives are told',
  },
  people_matter: { label: 'A people matter', description: 'Interpersonal or individual performance: not for the CoE' },
  covered_by_standard: { label: 'Already covered by a standard', description: 'Name the standard below if you can' },
  other: { label: 'Something else', description: 'Say why in the note' },
};

/** The lane in neutral words, after "Declined:": where the matter belongs, never who is at fault. */
export function laneWords(lane: DeclineLane, standard: string | null): string {
  switch (lane) {
    case 'manager_call':
      return "a manager's call (assigning or sequencing work)";
    case 'executive_call':
      return "an executive's call (priority, budget or resources)";
    case 'people_matter':
      return 'a people matter (interpersonal or individual performance), which the CoE does not handle';
    case 'covered_by_standard':
      return standard ? `already covered by ${sopId(standard)}` : 'already covered by a standard';
    case 'other':
      return 'another reason (see the note)';
  }
}

/** The decline form's fields: the lane, the note to the reporter (`reason`), and the standard that covers it. */
export const DECLINE_FIELDS = ['lane', 'reason', 'standard'] as const;
export type DeclineField = (typeof DECLINE_FIELDS)[number];
export type DeclineInput = Partial<Record<DeclineField, string>>;

export interface Decline {
  lane: DeclineLane;
  /** The CoE's note to the reporter. */
  note: string | null;
  /** The key of the standard that covers it (only with `covered_by_standard`). */
  standard: string | null;
}

const isLane = (value: string): value is DeclineLane => (DECLINE_LANES as readonly string[]).includes(value);

/** Checks the decline form; the standard's key is normalised (`SOP-Inventory Scanning` → `inventory-scanning`). */
export function checkDecline(
  input: DeclineInput,
): { ok: true; value: Decline } | { ok: false; errors: Partial<Record<DeclineField, string>> } {
  const errors: Partial<Record<DeclineField, string>> = {};
  const lane = input.lane?.trim() ?? '';
  if (!isLane(lane)) errors.lane = 'Please choose where this report belongs.';
  const note = input.reason?.trim() ?? '';
  if (note.length > LIMITS.reason) errors.reason = `Keep the note under ${LIMITS.reason} characters.`;
  else if (!note && lane === 'other') errors.reason = 'Please say why, so the reporter understands the decision.';
  const typed = input.standard?.trim() ?? '';
  const standard = typed ? normaliseSopKey(typed) : '';
  if (typed && !SOP_KEY_PATTERN.test(standard)) {
    errors.standard = "Give the standard's key, like inventory-scanning.";
  } else if (standard && isLane(lane) && lane !== 'covered_by_standard') {
    errors.standard = 'A standard goes with "Already covered by a standard": choose that, or leave this empty.';
  }
  if (!isLane(lane) || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { lane, note: note || null, standard: standard || null } };
}

/**
 * The reply in the review thread: the lane only. A people matter is not the CoE's to discuss, so its reply names
 * neither the note nor who declined it.
 */
export function declineThreadText(who: string, decline: Decline): string {
  const words = laneWords(decline.lane, decline.standard);
  if (decline.lane === 'people_matter') return `Declined: ${words}.`;
  return `${who} declined it: ${words}.${decline.note ? ` Note to the reporter: ${decline.note}` : ''}`;
}

/** The outcome lines of a declined report on its review message and its status. */
export function declineOutcome(lane: DeclineLane, standard: string | null, note: string | null): MessageBlock[] {
  const blocks: MessageBlock[] = [{ type: 'paragraph', text: `**Declined:** ${laneWords(lane, standard)}.` }];
  if (note && lane !== 'people_matter') blocks.push({ type: 'paragraph', text: `**Note:** ${clip(note, 1000)}` });
  return blocks;
}

/** The first line the reporter reads: what happened, and where to go instead. `passedOn`: executives were told. */
function whereToGo(id: string, title: string, decline: Decline, passedOn: boolean): string {
  const report = `${id} "${clip(title, 200)}"`;
  switch (decline.lane) {
    case 'manager_call':
      return `${report} is a manager's call rather than the CoE's: please raise it with your manager, who assigns and sequences the work.`;
    case 'executive_call':
      return passedOn
        ? `${report} is for your leadership to decide (priority, budget or resources), so the CoE has passed it on to them.`
        : `${report} is for your leadership to decide (priority, budget or resources): please raise it with them, or ask your manager to take it there.`;
    case 'people_matter':
      return `${report} is a people matter, which the CoE does not handle: please talk it over privately with your manager or HR.`;
    case 'covered_by_standard':
      return decline.standard
        ? `${report} is already covered by the standard ${sopId(decline.standard)}: ${coeCommand(`sop show ${decline.standard}`)} shows how it is done.`
        : `${report} is already covered by one of the CoE's standards: ${coeCommand('sop list')} lists them, and the CoE can tell you which one applies.`;
    case 'other':
      return `The CoE will not take ${report} further, for the reason below.`;
  }
}

/**
 * The private message to the reporter and to everyone who said "me too": first what happened and where to go
 * instead, then the CoE's note. It names nobody: not who decided, and not who reported.
 */
export function declineNotice(report: { number: number; title: string }, decline: Decline, passedOn: boolean): Message {
  const id = frictionId(report.number);
  const first = whereToGo(id, report.title, decline, passedOn);
  const blocks: MessageBlock[] = [{ type: 'paragraph', text: first.replace(id, `**${id}**`) }];
  if (decline.note) blocks.push({ type: 'paragraph', text: `**Note from the CoE:** ${clip(decline.note, 1000)}` });
  blocks.push({
    type: 'note',
    text: `Thanks for raising it. ${id} is marked declined; ${coeCommand(`status ${id}`)} shows it any time.`,
  });
  return { text: first, blocks };
}

/** What the executives need to weigh a report passed on to them; never who reported it. */
export interface PassedOnReport {
  number: number;
  title: string;
  kind: FrictionKind;
  tool: string;
  team: string | null;
  frequency: Frequency;
  impact: Impact;
  plusOnes: number;
}

/** The direct message to each executive when the CoE passes a matter of priority, budget or resources on. */
export function passedOnMessage(report: PassedOnReport, decline: Decline): Message {
  const id = frictionId(report.number);
  const text = `The CoE passed ${id} "${clip(report.title, 200)}" on to you: it needs a decision on priority, budget or resources.`;
  const blocks: MessageBlock[] = [
    { type: 'paragraph', text: text.replace(id, `**${id}**`) },
    {
      type: 'facts',
      facts: [
        { label: 'Kind', value: KIND_LABELS[report.kind] },
        { label: 'Tool or process', value: report.tool },
        { label: 'Team', value: report.team ?? '—' },
        { label: 'How often', value: FREQUENCY_LABELS[report.frequency] },
        { label: 'Impact', value: IMPACT_LABELS[report.impact] },
        { label: '+1', value: String(report.plusOnes) },
      ],
    },
  ];
  if (decline.note) blocks.push({ type: 'paragraph', text: `**Note from the CoE:** ${clip(decline.note, 1000)}` });
  blocks.push({
    type: 'note',
    text: `Where it stands: ${coeCommand(`status ${id}`)}. A priority or constraint the CoE should work within: ${coeCommand('constraint add priority <text>')}.`,
  });
  return { text, blocks };
}

/** What the CoE member who declined is told. */
export function declinedAnswer(number: number, decline: Decline, executivesTold: number): string {
  const id = frictionId(number);
  if (decline.lane === 'executive_call') {
    return executivesTold > 0
      ? `${id} declined and passed on to ${executivesTold === 1 ? '1 executive' : `${executivesTold} executives`}.`
      : `${id} declined. The bot knows no executive to pass it on to, so the reporter was asked to raise it with their leadership.`;
  }
  if (decline.lane === 'people_matter') return `${id} declined. Its details are kept out of the review channel now.`;
  return `${id} declined.`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
