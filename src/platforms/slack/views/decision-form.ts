/**
 * The small modals a CoE member fills before a decision on a report: the root cause, the report it duplicates, or
 * why it is declined. Pure functions: no Slack client, no state.
 */
import type { ModalView } from '@slack/web-api';
import { type FrictionDecision, frictionId, LIMITS } from '../../../domain/friction.ts';
import type { DecisionInput } from '../../../services/friction.ts';
import { DECISION_BLOCKS, INPUT_ACTION, VIEWS } from '../ids.ts';

/** The decisions that ask for more than a button press. */
export type FormDecision = Exclude<FrictionDecision, 'triage'>;

/** Which modal, which input, and the words around it, per decision. */
export const DECISION_FORMS: Record<
  FormDecision,
  {
    callbackId: string;
    field: keyof DecisionInput;
    title: string;
    submit: string;
    label: (id: string) => string;
    max: number;
    multiline: boolean;
    placeholder: string;
  }
> = {
  rootCause: {
    callbackId: VIEWS.decideRootCause,
    field: 'rootCause',
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
    title: 'Mark duplicate',
    submit: 'Merge',
    label: (id) => `${id} duplicates which report?`,
    max: 12,
    multiline: false,
    placeholder: 'e.g. FR-4',
  },
  decline: {
    callbackId: VIEWS.decideDecline,
    field: 'reason',
    title: 'Decline report',
    submit: 'Decline',
    label: (id) => `Why is ${id} declined?`,
    max: LIMITS.reason,
    multiline: true,
    placeholder: 'The reporter reads this, so explain kindly.',
  },
};

export interface DecisionMetadata {
  number: number;
  /** Where the review message is, so the outcome can be told privately there. */
  channel?: string;
}

export function decisionFormView(decision: FormDecision, metadata: DecisionMetadata): ModalView {
  const form = DECISION_FORMS[decision];
  const id = frictionId(metadata.number);
  return {
    type: 'modal',
    callback_id: form.callbackId,
    title: { type: 'plain_text', text: form.title },
    submit: { type: 'plain_text', text: form.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'input',
        block_id: DECISION_BLOCKS[form.field],
        label: { type: 'plain_text', text: form.label(id) },
        element: {
          type: 'plain_text_input',
          action_id: INPUT_ACTION,
          max_length: form.max,
          ...(form.multiline ? { multiline: true } : {}),
          placeholder: { type: 'plain_text', text: form.placeholder },
        },
      },
    ],
  };
}
