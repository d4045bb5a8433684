/**
 * The one place where a failure becomes words for the person who asked: a `CoeError` says what it means; anything
 * else is our fault, is logged, and the person learns that nothing was changed.
 */
import { isCoeError } from '../domain/errors.ts';
import { type Message, message } from '../domain/message.ts';

export interface ErrorSink {
  error(obj: object, msg: string): void;
}

export const UNEXPECTED = message(
  'Sorry, something went wrong on our side and nothing was changed. Please try again in a minute.',
);

export async function answer(work: () => Promise<Message> | Message, log: ErrorSink): Promise<Message> {
  try {
    return await work();
  } catch (error) {
    if (isCoeError(error)) return message(error.userMessage);
    log.error({ err: error }, 'unexpected error while handling a request');
    return UNEXPECTED;
  }
}
