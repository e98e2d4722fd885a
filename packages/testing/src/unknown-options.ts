/**
 * Checking that a factory refuses a misspelled option, as every Trellis
 * factory does (`checkOptions` of `@trellis/core`).
 * @module
 */
import {ConfigError} from '@trellis/core';
import {expectNoNewTensors} from './leaks';

/** A misspelling of `key` one edit away (its last letter doubled: `seed` → `seedd`), which `checkOptions` traces back to `key`. */
export function misspell(key: string): string {
  return `${key}${key.at(-1) ?? ''}`;
}

/**
 * Runs `run` (sync or async), which passes `misspell(key)` to the factory
 * `who`, and asserts that it throws a `ConfigError` saying
 * `<who> does not know the option '<misspelled>' (did you mean '<key>'?)`,
 * and that it leaves no tensor behind. Returns the error.
 *
 * @example
 * await expectUnknownOptionRefused(() => adam({[misspell('beta1')]: 0.9} as never), 'adam', 'beta1');
 */
export async function expectUnknownOptionRefused(run: () => unknown, who: string, key: string): Promise<Error> {
  let error: unknown;
  let returned = false;
  await expectNoNewTensors(async () => {
    try {
      await run();
      returned = true;
    } catch (e) {
      error = e;
    }
  });
  if (returned) throw new Error(`${who} accepted the misspelled option '${misspell(key)}'; expected a ConfigError.`);
  if (!ConfigError.is(error))
    throw new Error(`${who} threw ${String(error)} for the misspelled option '${misspell(key)}'; expected a ConfigError.`);
  const expected = `${who} does not know the option '${misspell(key)}' (did you mean '${key}'?)`;
  const message = (error as Error).message;
  if (!message.includes(expected)) throw new Error(`The ConfigError of ${who} says "${message}"; expected it to contain "${expected}".`);
  return error as Error;
}
