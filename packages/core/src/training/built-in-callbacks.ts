/**
 * The callbacks `fit` adds to the user's for its `verbose` and `yieldEvery` options.
 * @module
 */
import {ConfigError, describe} from '../errors';
import type {FitOptions} from '../model/options';
import type {Callback} from '../spec/callback';
import {checkVerbose, progressLogger} from './progress-logger';
import {checkYieldEvery, yieldCallback} from './yield-every';

/**
 * `options.callbacks` followed (as Keras appends its `ProgbarLogger`) by the
 * progress logger when `verbose > 0` and the yielding callback unless
 * `yieldEvery` is `'never'`. A `callbacks` that is not an array is returned
 * as is, for `CallbackList` to reject. @internal
 * @throws ConfigError for a bad `verbose`, `yieldEvery` or `print`.
 */
export function withBuiltInCallbacks(options: Pick<FitOptions, 'verbose' | 'yieldEvery' | 'print' | 'callbacks'>): readonly Callback[] {
  const verbose = checkVerbose(options.verbose === undefined ? 0 : options.verbose);
  const yieldEvery = checkYieldEvery(options.yieldEvery === undefined ? 'auto' : options.yieldEvery);
  if (options.print !== undefined && typeof options.print !== 'function') {
    throw new ConfigError(`print must be a function (text: string) => void; got ${describe(options.print)}.`);
  }
  const callbacks = options.callbacks ?? [];
  if (!Array.isArray(callbacks)) return callbacks;
  const added: Callback[] = [];
  if (verbose > 0) added.push(progressLogger({verbose: verbose as 1 | 2, ...(options.print ? {print: options.print} : {})}));
  const yielding = yieldCallback(yieldEvery);
  if (yielding) added.push(yielding);
  return [...callbacks, ...added];
}
