/**
 * The small form a CoE decision opens in a dialog when it needs one more input (a reason, a root cause, the report
 * a duplicate belongs to): one input, its problem under it, and a button that carries the record's id back. Friction
 * and change decisions each describe theirs with a `DecisionFormSpec`. Pure functions.
 */
import type { TaskModuleResponse } from 'botbuilder';
import type { AdaptiveCard } from '../cards.ts';
import { card, FormLayout, heading, submitButton, textInput } from './elements.ts';
import { SMALL_FORM_SIZE, taskCard } from './task-module.ts';

export interface DecisionFormSpec {
  title: (id: string) => string;
  /** The input's id: the service's name for what it holds. */
  input: string;
  label: string;
  max: number;
  multiline: boolean;
  placeholder?: string;
  /** What Teams says when the input is left empty. */
  required: string;
  submit: string;
  /** The card action the submit button carries (the decision's own button id). */
  action: string;
  destructive?: boolean;
}

export function decisionFormCard(spec: DecisionFormSpec, id: string, value?: string, problem?: string): AdaptiveCard {
  const layout = new FormLayout(problem ? { [spec.input]: problem } : {});
  layout.input(
    textInput(spec.input, spec.label, spec.max, {
      value,
      multiline: spec.multiline,
      placeholder: spec.placeholder,
      required: spec.required,
    }),
  );
  const data = { coeAction: spec.action, value: id };
  return card(
    [heading(spec.title(id)), ...layout.fields],
    [submitButton(spec.submit, data, spec.destructive ? 'destructive' : 'positive')],
    spec.title(id),
  );
}

/** The decision's form in a small dialog: first shown, or again with what to fix. */
export function decisionTask(spec: DecisionFormSpec, id: string, value?: string, problem?: string): TaskModuleResponse {
  return taskCard(spec.title(id), decisionFormCard(spec, id, value, problem), SMALL_FORM_SIZE);
}
