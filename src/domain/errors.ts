/**
 * Errors the core raises on purpose. Each carries a stable code and a sentence meant for the person who asked, so
 * the platform edge can answer kindly in one place instead of every listener inventing its own wording.
 */
export type ErrorCode = 'PERMISSION.DENIED' | 'INPUT.INVALID' | 'NOT_FOUND' | 'SETUP.WRONG_PLACE' | 'SETUP.MISSING';

export class CoeError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Safe to show to the person: says what happened and what to do instead. */
    readonly userMessage: string,
  ) {
    super(`${code}: ${userMessage}`);
    this.name = 'CoeError';
  }
}

export const isCoeError = (error: unknown): error is CoeError => error instanceof CoeError;
