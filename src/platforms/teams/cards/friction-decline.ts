/**
 * The dialog a CoE member fills to decline a friction report: where the matter belongs instead (seed §3, as radio
 * buttons), the standard that covers it, and a note to the reporter; each problem under its input. Pure functions.
 */
import type { TaskModuleResponse } from 'botbuilder';
import { LIMITS } from '../../../domain/friction.ts';
import { DECLINE_CHOICES, DECLINE_LANES } from '../../../domain/friction-decline.ts';
import type { DecisionInput } from '../../../services/friction.ts';
import { CARD_ACTIONS, DECISION_INPUTS } from '../ids.ts';
import { card, choiceSet, FormLayout, heading, note, submitButton, textInput } from './elements.ts';
import { FORM_SIZE, taskCard } from './task-module.ts';

/** The decline form, first shown or again with what was typed and what is wrong with it. */
export function frictionDeclineTask(
  reportId: string,
  values: DecisionInput = {},
  errors: Partial<Record<keyof DecisionInput, string>> = {},
): TaskModuleResponse {
  const layout = new FormLayout(errors);
  const lanes = DECLINE_LANES.map((lane) => ({
    title: `${DECLINE_CHOICES[lane].label}: ${DECLINE_CHOICES[lane].description}`,
    value: lane,
  }));
  layout.input({
    ...choiceSet(DECISION_INPUTS.lane, `Whose call is ${reportId}?`, lanes, {
      value: values.lane,
      required: 'Please choose where this report belongs.',
    }),
    // Five choices read best side by side with their explanations: radio buttons, not a drop-down.
    style: 'expanded',
  });
  layout.input(
    textInput(DECISION_INPUTS.standard, 'Which standard covers it? (only for "Already covered")', LIMITS.relatedSop, {
      value: values.standard,
      placeholder: 'inventory-scanning',
    }),
  );
  layout.input(
    textInput(DECISION_INPUTS.reason, 'Note to the reporter (needed for "Something else")', LIMITS.reason, {
      value: values.reason,
      multiline: true,
      placeholder: 'The reporter reads this, so explain kindly.',
    }),
  );
  const title = `Decline ${reportId}`;
  const body = [
    heading(title),
    note('The CoE stays in its lane. The reporter is told where to take it instead, without your name.'),
    ...layout.problems(),
    ...layout.fields,
  ];
  const data = { coeAction: CARD_ACTIONS.decline, value: reportId };
  return taskCard(title, card(body, [submitButton('Decline', data, 'destructive')], title), FORM_SIZE);
}
