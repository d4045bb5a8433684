/**
 * The small one-input modals a CoE member fills before a decision: on a friction report the root cause or the report
 * it duplicates (declining has a form of its own, decline-form.ts); on a change request what should change, or why it
 * is rejected. Pure functions: no Slack client, no state.
 */
import type { ModalView } from '@slack/web-api';
import { CHANGE_LIMITS, type ChangeDecision } from '../../../domain/change.ts';
import { type FrictionDecision, LIMITS } from '../../../domain/friction.ts';
import type { DecisionInput } from '../../../services/friction.ts';
import { DECISION_BLOCKS, VIEWS } from '../ids.ts';
import { text, textInput } from './inputs.ts';

/** Which modal, which input, and the words around it. */
export interface DecisionForm {
  callbackId: string;
  blockId: string;
  title: string;
  submit: string;
  label: (id: string) => string;
  max: number;
  multiline: boolean;
  placeholder: string;
}

/** The decisions on a friction report that ask for one input more than a button press. */
export type FormDecision = Exclude<FrictionDecision, 'triage' | 'decline'>;

/** The friction decision forms, each with the `DecisionInput` field its input fills. */
export const DECISION_FORMS: Record<FormDecision, DecisionForm & { field: keyof DecisionInput }> = {
  rootCause: {
    callbackId: VIEWS.decideRootCause,
    field: 'rootCause',
    blockId: DECISION_BLOCKS.rootCause,
    title: 'Record root cause',
    submit: 'Record',
    label: (id) => `Root cause of ${id}`,
    max: LIMITS.rootCause,
    multiline: true,
    placeholder: 'What in the system (tool, process, training) causes it?',
  },
  duplicate: {
    callbackId: VIEWS.decideDuplicate,
    field: 'duplicateOf',
    blockId: DECISION_BLOCKS.duplicateOf,
    title: 'Mark duplicate',
    submit: 'Merge',
    label: (id) => `${id} duplicates which report?`,
    max: 12,
    multiline: false,
    placeholder: 'e.g. FR-4',
  },
};

/** The decisions on a change request that need a reason. */
export type ChangeFormDecision = Exclude<ChangeDecision, 'approve'>;

export const CHANGE_DECISION_FORMS: Record<ChangeFormDecision, DecisionForm> = {
  requestChanges: {
    callbackId: VIEWS.changeRequestChanges,
    blockId: DECISION_BLOCKS.reason,
    title: 'Request changes',
    submit: 'Send back',
    label: (id) => `What should change in ${id}?`,
    max: CHANGE_LIMITS.reason,
    multiline: true,
    placeholder: 'The requester reads this and revises the request.',
  },
  reject: {
    callbackId: VIEWS.changeReject,
    blockId: DECISION_BLOCKS.reason,
    title: 'Reject change request',
    submit: 'Reject',
    label: (id) => `Why is ${id} rejected?`,
    max: CHANGE_LIMITS.reason,
    multiline: true,
    placeholder: 'The requester reads this, so explain kindly.',
  },
};

export interface DecisionMetadata {
  /** The report's or change request's number. */
  number: number;
  /** Where the review message is, so the outcome can be told privately there. */
  channel?: string;
}

/** `id` is how the record is shown in the label: `FR-3`, `CR-7`. */
export function decisionFormView(form: DecisionForm, id: string, metadata: DecisionMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: form.callbackId,
    title: text(form.title),
    submit: text(form.submit),
    close: text('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      textInput(form.blockId, form.label(id), form.max, { multiline: form.multiline, placeholder: form.placeholder }),
    ],
  };
}
