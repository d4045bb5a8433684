/**
 * What people see about friction reports, as neutral messages both platforms render. Pure functions.
 */
import {
  decisionsFor,
  FREQUENCY_LABELS,
  type FrictionDecision,
  frictionId,
  IMPACT_LABELS,
  KIND_LABELS,
  STATUS_LABELS,
} from './friction.ts';
import { type DeclineLane, declineOutcome, laneWords } from './friction-decline.ts';
import { coeCommand, type Fact, type Message, type MessageAction, type MessageBlock } from './message.ts';

/** The report as the messages need it: the stored record plus the names the reader may see. */
export interface FrictionView {
  number: number;
  kind: keyof typeof KIND_LABELS;
  title: string;
  description: string;
  team: string | null;
  tool: string;
  frequency: keyof typeof FREQUENCY_LABELS;
  impact: keyof typeof IMPACT_LABELS;
  relatedSop: string | null;
  sourceLink: string | null;
  status: keyof typeof STATUS_LABELS;
  rootCause: string | null;
  declineReason: string | null;
  /** Where a declined report belongs instead; absent or null for one declined before lanes existed. */
  declineLane?: DeclineLane | null;
  declineStandard?: string | null;
  duplicateOf: number | null;
  plusOnes: number;
  anonymous: boolean;
  reporterName?: string | null;
  ownerName?: string | null;
}

/** Neutral action ids: each platform routes these back to the friction service. */
export const FRICTION_ACTIONS = {
  triage: 'friction.triage',
  rootCause: 'friction.root_cause',
  duplicate: 'friction.duplicate',
  decline: 'friction.decline',
  plusOneInstead: 'friction.plus_one_instead',
} as const;

const DECISION_BUTTONS: Record<FrictionDecision, Omit<MessageAction, 'value'>> = {
  triage: { id: FRICTION_ACTIONS.triage, label: 'Triage (take ownership)', style: 'primary' },
  rootCause: { id: FRICTION_ACTIONS.rootCause, label: 'Record root cause', opensForm: true },
  duplicate: { id: FRICTION_ACTIONS.duplicate, label: 'Mark duplicate of…', opensForm: true },
  decline: { id: FRICTION_ACTIONS.decline, label: 'Decline', style: 'danger', opensForm: true },
};

const REVIEW_DESCRIPTION_MAX = 2500;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function facts(report: FrictionView, withReporter: boolean): Fact[] {
  const list: Fact[] = [
    { label: 'Status', value: STATUS_LABELS[report.status] },
    { label: 'Kind', value: KIND_LABELS[report.kind] },
    { label: 'Tool or process', value: report.tool },
    { label: 'Team', value: report.team ?? '—' },
    { label: 'How often', value: FREQUENCY_LABELS[report.frequency] },
    { label: 'Impact', value: IMPACT_LABELS[report.impact] },
    { label: '+1', value: String(report.plusOnes) },
  ];
  if (report.ownerName) list.push({ label: 'Owner', value: report.ownerName });
  if (report.relatedSop) list.push({ label: 'Related SOP', value: report.relatedSop });
  if (withReporter)
    list.push({ label: 'Reported by', value: report.anonymous ? 'anonymous' : (report.reporterName ?? 'someone') });
  return list;
}

function outcome(report: FrictionView): MessageBlock[] {
  const blocks: MessageBlock[] = [];
  if (report.rootCause) blocks.push({ type: 'paragraph', text: `**Root cause:** ${clip(report.rootCause, 2000)}` });
  if (report.declineLane) {
    blocks.push(...declineOutcome(report.declineLane, report.declineStandard ?? null, report.declineReason));
  } else if (report.declineReason) {
    blocks.push({ type: 'paragraph', text: `**Declined:** ${clip(report.declineReason, 1000)}` });
  }
  if (report.duplicateOf)
    blocks.push({ type: 'paragraph', text: `**Duplicate of** ${frictionId(report.duplicateOf)}` });
  return blocks;
}

/**
 * A report declined as a people matter is not the CoE's to handle, nor its channel's to read: wherever it is shown
 * (review message, status) only its id, title and lane remain.
 */
function keptPrivate(report: FrictionView): Message | undefined {
  if (report.status !== 'declined' || report.declineLane !== 'people_matter') return undefined;
  const id = frictionId(report.number);
  return {
    text: `${id} declined: ${report.title}`,
    blocks: [
      { type: 'heading', text: clip(`${id} · ${report.title}`, 150) },
      { type: 'facts', facts: [{ label: 'Status', value: STATUS_LABELS.declined }] },
      { type: 'paragraph', text: `**Declined:** ${laneWords('people_matter', null)}.` },
      { type: 'note', text: 'Its details are kept out of here: this is for the people involved, their manager or HR.' },
    ],
  };
}

/** The review message in the CoE channel: the report, and the decisions still open as buttons. */
export function reviewMessage(report: FrictionView): Message {
  const hidden = keptPrivate(report);
  if (hidden) return hidden;
  const id = frictionId(report.number);
  const decisions = decisionsFor(report.status);
  const blocks: MessageBlock[] = [
    { type: 'heading', text: clip(`${id} · ${report.title}`, 150) },
    { type: 'facts', facts: facts(report, true) },
    { type: 'paragraph', text: clip(report.description, REVIEW_DESCRIPTION_MAX) },
    ...outcome(report),
  ];
  if (report.sourceLink) blocks.push({ type: 'note', text: `From [this message](${report.sourceLink})` });
  if (decisions.length > 0) {
    blocks.push({ type: 'actions', actions: decisions.map((d) => ({ ...DECISION_BUTTONS[d], value: id })) });
  }
  return {
    text: `${id} ${STATUS_LABELS[report.status].toLowerCase()}: ${report.title} (${report.tool})`,
    blocks,
  };
}

/** `/coe status FR-12`: anyone may look; the reporter is never named here. */
export function statusMessage(report: FrictionView): Message {
  const hidden = keptPrivate(report);
  if (hidden) return { ...hidden, text: `${frictionId(report.number)} is declined: ${report.title}` };
  const id = frictionId(report.number);
  return {
    text: `${id} is ${STATUS_LABELS[report.status].toLowerCase()}: ${report.title}`,
    blocks: [
      { type: 'heading', text: clip(`${id} · ${report.title}`, 150) },
      { type: 'facts', facts: facts(report, false) },
      ...outcome(report),
    ],
  };
}

export interface SimilarOffer {
  number: number;
  title: string;
  plusOnes: number;
}

/** What the reporter sees right after submitting: the id, and similar open reports they could +1 instead. */
export function confirmationMessage(
  report: { number: number; title: string; anonymous: boolean },
  similar: readonly SimilarOffer[],
  options: { claimToken: string; reviewChannel: boolean },
): Message {
  const id = frictionId(report.number);
  const blocks: MessageBlock[] = [
    { type: 'heading', text: `Thanks: your report is ${id}` },
    {
      type: 'paragraph',
      text: options.reviewChannel
        ? `The CoE will review "${clip(report.title, 200)}". Follow it any time with ${coeCommand(`status ${id}`)}.`
        : `It is stored, and the CoE will review it as soon as they set up their review channel. Follow it with ${coeCommand(`status ${id}`)}.`,
    },
  ];
  if (report.anonymous) {
    blocks.push({
      type: 'note',
      text: `Submitted anonymously: nobody, the CoE included, can see it came from you. Keep ${id} to follow it.`,
    });
  }
  if (similar.length > 0) {
    blocks.push({
      type: 'paragraph',
      text: '**These open reports look similar.** Add your +1 to one instead, so the signals add up:',
    });
    for (const s of similar) {
      blocks.push({ type: 'paragraph', text: `${frictionId(s.number)} · ${clip(s.title, 200)} (+${s.plusOnes})` });
    }
    blocks.push({
      type: 'actions',
      actions: similar.map((s) => ({
        id: FRICTION_ACTIONS.plusOneInstead,
        label: `+1 ${frictionId(s.number)} instead`,
        value: plusOneValue(report.number, s.number, options.claimToken),
      })),
    });
  }
  return { text: `Thanks: your report is ${id}.`, blocks };
}

export function plusOneValue(from: number, to: number, token: string): string {
  return `${from}:${to}:${token}`;
}

export function parsePlusOneValue(value: string): { from: number; to: number; token: string } | undefined {
  const match = /^(\d+):(\d+):([A-Za-z0-9_-]{8,64})$/.exec(value);
  return match ? { from: Number(match[1]), to: Number(match[2]), token: match[3] as string } : undefined;
}

/** A status change, told privately to the reporter and to the people who said "me too". */
export function statusChangeMessage(report: FrictionView, why: string): Message {
  const id = frictionId(report.number);
  return {
    text: `${id} "${clip(report.title, 100)}" is now ${STATUS_LABELS[report.status].toLowerCase()}.`,
    blocks: [
      {
        type: 'paragraph',
        text: `**${id}** "${clip(report.title, 200)}" is now **${STATUS_LABELS[report.status].toLowerCase()}**.`,
      },
      { type: 'paragraph', text: clip(why, 2500) },
    ],
  };
}

export function recurringPatternMessage(tool: string, reports: readonly number[], days: number): Message {
  const ids = reports.map(frictionId).join(', ');
  return {
    text: `Recurring pattern: ${reports.length} reports about "${tool}" in ${days} days (${ids}).`,
    blocks: [
      { type: 'heading', text: 'Recurring pattern' },
      {
        type: 'paragraph',
        text: `**${reports.length} reports** about **${clip(tool, 100)}** in the last ${days} days: ${ids}. Time for a root-cause look?`,
      },
    ],
  };
}

/** A list of reports: "my reports", the triage queue. */
export function reportListMessage(title: string, reports: readonly FrictionView[], empty: string): Message {
  if (reports.length === 0)
    return {
      text: `${title}: ${empty}`,
      blocks: [
        { type: 'heading', text: title },
        { type: 'paragraph', text: empty },
      ],
    };
  return {
    text: `${title}: ${reports.length}`,
    blocks: [
      { type: 'heading', text: title },
      {
        type: 'facts',
        facts: reports.map((r) => ({
          label: `${frictionId(r.number)} · ${STATUS_LABELS[r.status]}`,
          value: `${clip(r.title, 150)}${r.plusOnes > 0 ? ` (+${r.plusOnes})` : ''}`,
        })),
      },
    ],
  };
}
