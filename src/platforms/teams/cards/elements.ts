/**
 * The Adaptive Card 1.5 pieces every Teams form is made of: the card itself, headings and notes, text inputs,
 * date pickers, choice sets and toggles with Teams-side validation, the line under a bad input, an opener card whose button opens a
 * dialog, and the layout that puts each problem under its input. Pure functions.
 */
import { type AdaptiveCard, type CardElement, teamsText } from '../cards.ts';
import { errorId } from '../ids.ts';

const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export function card(body: CardElement[], actions: CardElement[], fallbackText: string): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: SCHEMA, version: '1.5', body, actions, fallbackText };
}

export function heading(text: string): CardElement {
  return { type: 'TextBlock', text, size: 'Large', weight: 'Bolder', wrap: true, style: 'heading' };
}

export function paragraph(text: string): CardElement {
  return { type: 'TextBlock', text, wrap: true };
}

export function note(text: string): CardElement {
  return { type: 'TextBlock', text, wrap: true, isSubtle: true, size: 'Small' };
}

/** The line under a bad input, as Teams shows its own validation errors. */
export function errorLine(text: string, input: string): CardElement {
  return {
    type: 'TextBlock',
    id: errorId(input),
    // The core's problems may name a command: the words said to the bot.
    text: teamsText(text),
    color: 'Attention',
    wrap: true,
    size: 'Small',
    spacing: 'None',
  };
}

/** A submit button; `data` is merged with the inputs' values when Teams sends it back. */
export function submitButton(title: string, data: object, style: 'positive' | 'destructive' = 'positive'): CardElement {
  return { type: 'Action.Submit', title, style, data };
}

/**
 * A bot cannot open a dialog by itself: it answers a form's command with a card whose button does (Teams turns
 * `msteams.type: 'task/fetch'` in the button's data into a task/fetch invoke).
 */
export function openerCard(title: string, text: string, button: string, data: object): AdaptiveCard {
  return card(
    [heading(title), paragraph(text)],
    [submitButton(button, { msteams: { type: 'task/fetch' }, ...data })],
    title,
  );
}

/** What a form starts with from the words after its command: one short line is a title, anything longer the body. */
export function prefillOf<F extends string>(
  text: string,
  titleMax: number,
  body: F,
  bodyMax: number,
): Partial<Record<'title' | F, string>> {
  const trimmed = text.trim();
  if (!trimmed) return {};
  if (trimmed.length <= titleMax && !trimmed.includes('\n'))
    return { title: trimmed } as Partial<Record<'title' | F, string>>;
  return { [body]: trimmed.slice(0, bodyMax) } as Partial<Record<'title' | F, string>>;
}

export function choices<T extends string>(values: readonly T[], labels: Record<T, string>) {
  return values.map((value) => ({ title: labels[value], value }));
}

export interface InputOptions {
  value?: string | undefined;
  placeholder?: string | undefined;
  /** The message Teams shows when the input is left empty; absent → optional. */
  required?: string | undefined;
  multiline?: boolean;
}

export function textInput(id: string, label: string, maxLength: number, options: InputOptions): CardElement {
  return {
    type: 'Input.Text',
    id,
    label,
    maxLength,
    ...(options.multiline ? { isMultiline: true } : {}),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.value ? { value: options.value } : {}),
    ...(options.required ? { isRequired: true, errorMessage: options.required } : {}),
  };
}

/** A date picker; Teams sends the date back as `YYYY-MM-DD`, and offers none before `min`. */
export function dateInput(id: string, label: string, options: InputOptions & { min?: string }): CardElement {
  return {
    type: 'Input.Date',
    id,
    label,
    ...(options.min ? { min: options.min } : {}),
    ...(options.value ? { value: options.value } : {}),
    ...(options.required ? { isRequired: true, errorMessage: options.required } : {}),
  };
}

/** A choice; `multiSelect` ones hold (and send back) their values comma-separated, as Teams does: "a,b". */
export function choiceSet(
  id: string,
  label: string,
  list: { title: string; value: string }[],
  options: InputOptions & { multiSelect?: boolean },
): CardElement {
  return {
    type: 'Input.ChoiceSet',
    id,
    label,
    style: options.multiSelect ? 'expanded' : 'compact',
    ...(options.multiSelect ? { isMultiSelect: true } : {}),
    choices: list,
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.value ? { value: options.value } : {}),
    ...(options.required ? { isRequired: true, errorMessage: options.required } : {}),
  };
}

/** A checkbox that sends 'true' or 'false'. */
export function toggle(id: string, title: string, value: string | undefined): CardElement {
  return {
    type: 'Input.Toggle',
    id,
    title,
    value: value === 'true' ? 'true' : 'false',
    valueOn: 'true',
    valueOff: 'false',
    wrap: true,
  };
}

/**
 * Lays out a form's inputs with each problem right under its input. A problem whose input the form does not show
 * (a choice with nothing to choose from, a field no input stands for) goes to the top, under the banner.
 */
export class FormLayout {
  readonly fields: CardElement[] = [];
  private readonly placed = new Set<string>();

  constructor(private readonly errors: Partial<Record<string, string>> = {}) {}

  /** Adds an input, to the form or to a container's `items`, followed by its problem. */
  input(element: CardElement, into: CardElement[] = this.fields): void {
    into.push(element);
    const id = String(element.id);
    this.placed.add(id);
    const problem = this.errors[id];
    if (problem) into.push(errorLine(problem, id));
  }

  /** The banner saying nothing was stored, and the problems no input shows: for the top of the form. */
  problems(): CardElement[] {
    const all = Object.entries(this.errors).filter((entry): entry is [string, string] => Boolean(entry[1]));
    if (all.length === 0) return [];
    return [
      errorLine('Please fix what is marked below; nothing was stored yet.', 'form'),
      ...all.filter(([field]) => !this.placed.has(field)).map(([field, text]) => errorLine(text, field)),
    ];
  }
}
