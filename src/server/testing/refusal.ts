import { expect } from 'vitest';
import { AppError } from '../http/errors.js';

/** The message of the refusal a call ends in (an AppError); a call that succeeds fails the test. */
export async function refusalMessage(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e instanceof AppError ? e.message : String(e);
  }
  throw new Error('expected a refusal');
}
