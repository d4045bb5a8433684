/**
 * Task module (dialog) answers to `task/fetch`, `task/submit` and the message action's invokes: show a card, or
 * close with a short message. Pure functions.
 */
import type { TaskModuleResponse } from 'botbuilder';
import { type AdaptiveCard, teamsText } from '../cards.ts';

export type TaskSize = { width: 'small' | 'medium' | 'large'; height: 'small' | 'medium' | 'large' };

export const FORM_SIZE: TaskSize = { width: 'medium', height: 'large' };
export const SMALL_FORM_SIZE: TaskSize = { width: 'medium', height: 'small' };

/** Shows (or keeps showing) a card in the dialog. */
export function taskCard(title: string, card: AdaptiveCard, size: TaskSize = FORM_SIZE): TaskModuleResponse {
  return {
    task: {
      type: 'continue',
      value: {
        title,
        ...size,
        card: { contentType: 'application/vnd.microsoft.card.adaptive', content: card },
      },
    },
  };
}

/** Closes the dialog's form and shows a short message: the outcome, or why nothing happened. */
export function taskMessage(text: string): TaskModuleResponse {
  return { task: { type: 'message', value: teamsText(text) } };
}

/** Invokes that open or submit a dialog: their answer is a task module. */
const DIALOG_INVOKES = new Set([
  'task/fetch',
  'task/submit',
  'composeExtension/fetchTask',
  'composeExtension/submitAction',
]);

/**
 * An invoke's answer that only says `text`, in the form the invoke expects: a dialog message for a dialog, a message
 * for a Universal Action, and a bare 200 for any other (there is nothing to show it in).
 */
export function invokeNotice(name: string | undefined, text: string): { status: number; body?: unknown } {
  if (name && DIALOG_INVOKES.has(name)) return { status: 200, body: taskMessage(text) };
  if (name === 'adaptiveCard/action') {
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } };
  }
  return { status: 200 };
}
