/**
 * Capturing thrown errors in tests.
 * @module
 */

/** Runs `fn` and returns what it throws; throws if it returns normally. */
export function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected the function to throw, but it returned.');
}

/** Awaits `fn` and returns what it rejects with; throws if it resolves. */
export async function catchErrorAsync(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected the promise to reject, but it resolved.');
}
