/**
 * What every Teams dialog handler shares: the data Teams sent is parsed with zod (anything else is an out-of-date
 * form), and a dialog always gets an answer: a refusal or a mistake closes it with a message saying so.
 */
import type { TaskModuleResponse } from 'botbuilder';
import type { z } from 'zod';
import { CoeError, isCoeError } from '../../domain/errors.ts';
import { type ErrorSink, UNEXPECTED } from '../../services/answer.ts';
import { taskMessage } from './cards/task-module.ts';

export const OUT_OF_DATE = 'That form is out of date. Nothing was changed; please start again.';

/** The data of an invoke or a button as `schema` says, or an out-of-date form. */
export function parseData<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new CoeError('INPUT.INVALID', OUT_OF_DATE);
  return parsed.data;
}

/** Runs a dialog's handler; a `CoeError` closes the dialog with its words, anything else is logged. */
export async function inDialog(log: ErrorSink, work: () => Promise<TaskModuleResponse>): Promise<TaskModuleResponse> {
  try {
    return await work();
  } catch (error) {
    if (isCoeError(error)) return taskMessage(error.userMessage);
    log.error({ err: error }, 'teams: unexpected error in a dialog');
    return taskMessage(UNEXPECTED.text);
  }
}

/**
 * The form inputs Teams sent, as the service's raw form: every field the form has, empty ones left out (Teams sends
 * an untouched input as '' or not at all). `values` keeps what was typed, to show the form again.
 */
export function formFields<F extends string>(
  fields: readonly F[],
  data: Partial<Record<F, string>>,
): { raw: Record<string, string>; values: Partial<Record<F, string>> } {
  const raw: Record<string, string> = {};
  const values: Partial<Record<F, string>> = {};
  for (const field of fields) {
    const value = data[field];
    if (typeof value !== 'string') continue;
    values[field] = value;
    if (value.trim() !== '') raw[field] = value;
  }
  return { raw, values };
}
