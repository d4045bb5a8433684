/**
 * What people see about change requests, executive constraints and AI usage rules, as neutral messages both
 * platforms render. Pure functions.
 */
import { AI_STATUS_LABELS, type AiRule, type AiRuleInput, mayUse } from './ai-rules.ts';
import {
  bumpOf,
  CHANGE_KIND_LABELS,
  CHANGE_STATUS_LABELS,
  type ChangeKind,
  type ChangeStatus,
  changeId,
  constraintId,
  IMPROVEMENT_LABELS,
  type Improvement,
  isDecidable,
  RISK_LABELS,
  type Risk,
} from './change.ts';
import { type ProposalDetail, type ProposalView, proposalBlocks } from './change-text-messages.ts';
import { CONSTRAINT_KIND_LABELS, type ExecutiveConstraint, isActive } from './constraint.ts';
import { frictionId } from './friction.ts';
import { coeCommand, commandToken, type Fact, type Message, type MessageBlock } from './message.ts';
import { LAYER_LABELS, type Layer, withArticle } from './people.ts';
import { sopId } from './sop.ts';

/** Neutral action ids: each platform routes these back to the change service. */
export const CHANGE_ACTIONS = {
  approve: 'change.approve',
  requestChanges: 'change.request_changes',
  reject: 'change.reject',
  /** In the requester's direct message when changes were requested: opens the form with what they wrote. */
  revise: 'change.revise',
} as const;

/** A change request as the messages need it: the stored record plus the names the reader may see. */
export interface ChangeView {
  number: number;
  kind: ChangeKind;
  sopKey: string;
  title: string;
  change: string;
  why: string;
  friction: number[];
  constraint: number | null;
  risk: Risk;
  improvement: Improvement;
  aiRule: AiRuleInput | null;
  status: ChangeStatus;
  /** Bumped on every change of the request. */
  version: number;
  origin: string | null;
  decisionReason: string | null;
  requesterName: string | null;
  approverNames: string[];
  quorum: number;
  release?: string;
  /** The text of its standard it proposes, while it is not released. */
  proposal?: ProposalView;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const improvementText = (improvement: Improvement) =>
  `${IMPROVEMENT_LABELS[improvement]} (${bumpOf(improvement)} version)`;

function facts(view: ChangeView): Fact[] {
  const list: Fact[] = [
    { label: 'Status', value: CHANGE_STATUS_LABELS[view.status] },
    { label: 'What changes', value: CHANGE_KIND_LABELS[view.kind] },
    { label: 'Standard', value: sopId(view.sopKey) },
    { label: 'Improvement', value: improvementText(view.improvement) },
    { label: 'Risk', value: RISK_LABELS[view.risk] },
    { label: 'Raised by', value: view.requesterName ?? view.origin ?? 'the CoE bot' },
  ];
  if (view.friction.length > 0) list.push({ label: 'Friction', value: view.friction.map(frictionId).join(', ') });
  if (view.constraint !== null) list.push({ label: 'Serves', value: constraintId(view.constraint) });
  if (isDecidable(view.status) || view.approverNames.length > 0) {
    const names = view.approverNames.length > 0 ? ` (${view.approverNames.join(', ')})` : '';
    list.push({ label: 'Approvals', value: `${view.approverNames.length}/${view.quorum}${names}` });
  }
  if (view.release) list.push({ label: 'Released in', value: view.release });
  return list;
}

export function aiRuleBlocks(rule: AiRuleInput): MessageBlock[] {
  return [
    {
      type: 'facts',
      facts: [
        { label: 'AI tool', value: rule.tool },
        { label: 'Status', value: AI_STATUS_LABELS[rule.status] },
        { label: 'Allowed data', value: rule.dataClasses.length > 0 ? rule.dataClasses.join(', ') : 'none named' },
        { label: 'Human review', value: rule.humanReview ? 'Required' : 'Not required' },
        {
          label: 'Who may use it',
          value:
            rule.status === 'prohibited'
              ? 'Nobody'
              : rule.layers.length > 0
                ? rule.layers.map((l) => LAYER_LABELS[l]).join(', ')
                : 'Every layer',
        },
      ],
    },
    ...(rule.forbiddenInputs
      ? [{ type: 'paragraph' as const, text: `**Never put in:** ${clip(rule.forbiddenInputs, 1000)}` }]
      : []),
  ];
}

function body(view: ChangeView, detail: ProposalDetail): MessageBlock[] {
  const blocks: MessageBlock[] = [
    { type: 'heading', text: clip(`${changeId(view.number)} · ${view.title}`, 150) },
    { type: 'facts', facts: facts(view) },
    { type: 'paragraph', text: `**The change:** ${clip(view.change, 2500)}` },
    { type: 'paragraph', text: `**Why:** ${clip(view.why, 1800)}` },
  ];
  if (view.aiRule) blocks.push({ type: 'paragraph', text: '**The AI rule becomes:**' }, ...aiRuleBlocks(view.aiRule));
  if (view.proposal) blocks.push(...proposalBlocks(view.proposal, detail));
  if (view.decisionReason && (view.status === 'rejected' || view.status === 'changes_requested')) {
    const label = view.status === 'rejected' ? 'Rejected' : 'Changes requested';
    blocks.push({ type: 'paragraph', text: `**${label}:** ${clip(view.decisionReason, 1000)}` });
  }
  return blocks;
}

/** The review message in the CoE channel: the request, and the decisions still open as buttons. */
export function changeReviewMessage(view: ChangeView): Message {
  const id = changeId(view.number);
  // The buttons name the revision they were shown on: pressing Approve again after the request came back revised
  // is a new press, not a repeat of the old one.
  const value = `${id}:v${view.version}`;
  const blocks = body(view, 'review');
  if (isDecidable(view.status)) {
    blocks.push({
      type: 'actions',
      actions: [
        { id: CHANGE_ACTIONS.approve, label: 'Approve', value, style: 'primary' },
        // A draft the bot raised (an audit) has nobody to send it back to: approve or reject it.
        ...(view.origin === null
          ? [{ id: CHANGE_ACTIONS.requestChanges, label: 'Request changes', value, opensForm: true }]
          : []),
        { id: CHANGE_ACTIONS.reject, label: 'Reject', value, style: 'danger', opensForm: true },
      ],
    });
  }
  return {
    text: `${id} ${CHANGE_STATUS_LABELS[view.status].toLowerCase()}: ${view.title} (${sopId(view.sopKey)})`,
    blocks,
  };
}

/** `status CR-7`: anyone may look. */
export function changeStatusMessage(view: ChangeView): Message {
  const id = changeId(view.number);
  return {
    text: `${id} is ${CHANGE_STATUS_LABELS[view.status].toLowerCase()}: ${view.title}`,
    blocks: body(view, 'status'),
  };
}

/** What the requester sees right after submitting. */
export function changeConfirmation(
  number: number,
  title: string,
  reviewChannel: boolean,
  proposal?: ProposalView,
): Message {
  const id = changeId(number);
  return {
    text: `Thanks: your change request is ${id}.`,
    blocks: [
      { type: 'heading', text: `Thanks: your change request is ${id}` },
      {
        type: 'paragraph',
        text: reviewChannel
          ? `The CoE will review "${clip(title, 200)}". Follow it with ${coeCommand(`status ${id}`)}.`
          : `It is stored, and the CoE will review it once they set up their review channel. Follow it with ${coeCommand(`status ${id}`)}.`,
      },
      ...(proposal ? proposalBlocks(proposal, 'confirmation') : []),
    ],
  };
}

/** A decision, told privately to the requester; sent back for changes, it carries the button to revise. */
export function changeDecisionMessage(view: ChangeView, what: string): Message {
  const id = changeId(view.number);
  const blocks: MessageBlock[] = [
    {
      type: 'paragraph',
      text: `**${id}** "${clip(view.title, 200)}" is now **${CHANGE_STATUS_LABELS[view.status].toLowerCase()}**.`,
    },
    { type: 'paragraph', text: clip(what, 2500) },
  ];
  if (view.status === 'changes_requested') {
    blocks.push({
      type: 'actions',
      actions: [{ id: CHANGE_ACTIONS.revise, label: 'Revise and resubmit', value: id, opensForm: true }],
    });
  }
  return {
    text: `${id} "${clip(view.title, 100)}" is now ${CHANGE_STATUS_LABELS[view.status].toLowerCase()}.`,
    blocks,
  };
}

/** A worker's `/change-request`: kindly, where their signal goes instead (seed §4: managers surface, CoE designs). */
export function frictionInstead(): Message {
  const frictionCommand = commandToken({ command: 'friction' });
  return {
    text: `Change requests come from managers, executives and the CoE. Tell the CoE what got in the way with ${frictionCommand}: that is how changes start.`,
    blocks: [
      {
        type: 'paragraph',
        text: `Change requests come from managers, executives and the CoE. What you see matters most, though: tell the CoE what got in the way with ${frictionCommand}, and they will turn it into a change if it needs one.`,
      },
    ],
  };
}

export function constraintListMessage(constraints: readonly ExecutiveConstraint[], now: Date): Message {
  const active = constraints.filter((c) => isActive(c, now));
  // Ended early by an executive: listed as such, so nobody wonders where it went (the newest few).
  const ended = constraints.filter((c) => c.endedAt).slice(0, ENDED_SHOWN);
  const endedFacts = ended.map((c) => ({
    label: `${constraintId(c.number)} · ${CONSTRAINT_KIND_LABELS[c.kind]}`,
    value: `${clip(c.text, 300)} (ended ${c.endedAt?.toISOString().slice(0, 10)})`,
  }));
  const endedBlocks: MessageBlock[] =
    ended.length > 0
      ? [
          { type: 'heading', text: 'Ended' },
          { type: 'facts', facts: endedFacts },
        ]
      : [];
  if (active.length === 0) {
    return {
      text: 'No active executive priorities, constraints or targets.',
      blocks: [
        { type: 'heading', text: 'Executive direction' },
        { type: 'paragraph', text: 'No active priorities, constraints or outcome targets. Executives add them.' },
        ...endedBlocks,
      ],
    };
  }
  const blocks: MessageBlock[] = [
    { type: 'heading', text: 'Executive direction' },
    {
      type: 'facts',
      // One message holds only so much (50 Slack blocks, a Teams card of about 28 KB); the newest come first.
      facts: active.slice(0, CONSTRAINTS_SHOWN).map((c) => ({
        label: `${constraintId(c.number)} · ${CONSTRAINT_KIND_LABELS[c.kind]}`,
        value: `${clip(c.text, 300)}${c.until ? ` (until ${c.until.toISOString().slice(0, 10)})` : ''}`,
      })),
    },
  ];
  if (active.length > CONSTRAINTS_SHOWN) {
    blocks.push({ type: 'note', text: `…and ${active.length - CONSTRAINTS_SHOWN} older ones.` });
  }
  blocks.push(...endedBlocks);
  return { text: `Executive direction: ${active.length} active`, blocks };
}

const CONSTRAINTS_SHOWN = 50;
const ENDED_SHOWN = 10;

/** `ai <tool>`: the rule, and what it means for the person asking. */
export function aiRuleMessage(rule: AiRule, layer: Layer, alsoMeant: readonly string[]): Message {
  const may = mayUse(rule, layer);
  const verdict =
    rule.status === 'prohibited'
      ? `${rule.tool} is prohibited: do not use it for work.`
      : may
        ? `${rule.tool} is ${rule.status === 'restricted' ? 'restricted' : 'approved'}: as ${withArticle(LAYER_LABELS[layer])} you may use it within the rule below.`
        : `${rule.tool} is not for your layer (${LAYER_LABELS[layer]}); ask the CoE if you need it.`;
  const blocks: MessageBlock[] = [
    { type: 'heading', text: clip(`AI usage rule: ${rule.tool}`, 150) },
    { type: 'paragraph', text: verdict },
    ...aiRuleBlocks(rule),
    { type: 'note', text: `Set by ${changeId(rule.changeNumber)}, released in ${rule.release}.` },
  ];
  if (alsoMeant.length > 0)
    blocks.push({ type: 'note', text: `Did you mean another tool? Also listed: ${alsoMeant.join(', ')}.` });
  return { text: verdict, blocks };
}

export function aiNotListedMessage(query: string): Message {
  const text = `"${clip(query, 80)}" is not listed in the AI usage rules: ask the CoE before you use it for work.`;
  return {
    text,
    blocks: [
      { type: 'paragraph', text },
      { type: 'note', text: `To see every listed tool, send ${coeCommand('ai')}.` },
    ],
  };
}

export function aiRuleListMessage(rules: readonly AiRule[]): Message {
  if (rules.length === 0) {
    return {
      text: 'No AI usage rules yet: ask the CoE before you use an AI tool for work.',
      blocks: [
        { type: 'heading', text: 'AI usage rules' },
        { type: 'paragraph', text: 'None yet: ask the CoE before you use an AI tool for work.' },
      ],
    };
  }
  return {
    text: `AI usage rules: ${rules.map((r) => `${r.tool} (${r.status})`).join(', ')}`,
    blocks: [
      { type: 'heading', text: 'AI usage rules' },
      {
        type: 'facts',
        facts: rules.slice(0, 50).map((r) => ({
          label: r.tool,
          value: `${AI_STATUS_LABELS[r.status]}${r.humanReview ? ', human review required' : ''}`,
        })),
      },
    ],
  };
}

/** A person's own change requests (under their reports in "my reports"). */
export function changeListMessage(title: string, changes: readonly ChangeView[]): Message {
  return {
    text: `${title}: ${changes.length}`,
    blocks: [
      { type: 'heading', text: title },
      {
        type: 'facts',
        facts: changes.map((c) => ({
          label: `${changeId(c.number)} · ${CHANGE_STATUS_LABELS[c.status]}`,
          value: clip(`${c.title} (${sopId(c.sopKey)})`, 200),
        })),
      },
    ],
  };
}
