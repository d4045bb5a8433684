/**
 * The modal a CoE member fills to decline a friction report: where the matter belongs instead (seed §3, radio
 * buttons), the standard that covers it, and a note to the reporter. Pure functions: no Slack client, no state.
 */
import type { InputBlock, ModalView } from '@slack/web-api';
import { LIMITS } from '../../../domain/friction.ts';
import { DECLINE_CHOICES, DECLINE_LANES } from '../../../domain/friction-decline.ts';
import { DECISION_BLOCKS, INPUT_ACTION, VIEWS } from '../ids.ts';
import type { DecisionMetadata } from './decision-form.ts';
import { option, text, textInput } from './inputs.ts';

/** The three inputs, by the `DecisionInput` field each fills; errors come back under these blocks. */
export const DECLINE_BLOCKS = {
  lane: DECISION_BLOCKS.lane,
  standard: DECISION_BLOCKS.standard,
  reason: DECISION_BLOCKS.reason,
} as const;

function laneInput(id: string): InputBlock {
  return {
    type: 'input',
    block_id: DECLINE_BLOCKS.lane,
    label: text(`Whose call is ${id}?`),
    element: {
      type: 'radio_buttons',
      action_id: INPUT_ACTION,
      options: DECLINE_LANES.map((lane) =>
        option(DECLINE_CHOICES[lane].label, lane, DECLINE_CHOICES[lane].description),
      ),
    },
  };
}

/** `id` is the report as the label shows it: `FR-3`. */
export function declineFormView(id: string, metadata: DecisionMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.decideDecline,
    title: text('Decline report'),
    submit: text('Decline'),
    close: text('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'The CoE stays in its lane. The reporter is told where to take it instead, without your name.',
          },
        ],
      },
      laneInput(id),
      textInput(DECLINE_BLOCKS.standard, 'Which standard covers it?', LIMITS.relatedSop, {
        optional: true,
        placeholder: 'e.g. inventory-scanning',
        hint: 'Only for "Already covered by a standard": the reporter is pointed to it.',
      }),
      textInput(DECLINE_BLOCKS.reason, 'Note to the reporter', LIMITS.reason, {
        optional: true,
        multiline: true,
        placeholder: 'The reporter reads this, so explain kindly.',
        hint: 'Needed for "Something else". A people matter\'s note stays out of the review channel.',
      }),
    ],
  };
}
