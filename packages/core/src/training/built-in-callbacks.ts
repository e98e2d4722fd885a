/**
 * The callbacks `fit` adds to the user's for its `verbose` and `yieldEvery` options.
 * @module
 */
import {ConfigError, describe} from '../errors';
import type {FitOptions} from '../model/options';
import type {Callback} from '../spec/callback';
import {checkVerbose, progressLogger} from './progress-logger';
import {checkYieldEvery, yieldCallback} from './yield-every';

/** The names of the progress callbacks that stand in for `verbose: 'auto'`. */
const PROGRESS_CALLBACKS: readonly string[] = ['progressLogger', 'progressBar'];

/**
 * `options.callbacks` followed (as Keras appends its `ProgbarLogger`) by the
 * progress logger when `verbose` (resolved from `'auto'`) is 1 or 2 and the yielding callback unless
 * `yieldEvery` is `'never'`. Under `'auto'` no logger is added when
 * `callbacks` holds a progress callback (`progressLogger`, `progressBar`). A `callbacks` that is not an array is returned
 * as is, for `CallbackList` to reject. @internal
 * @throws ConfigError for a bad `verbose`, `yieldEvery` or `print`.
 */
export function withBuiltInCallbacks(options: Pick<FitOptions, 'verbose' | 'yieldEvery' | 'print' | 'callbacks'>): readonly Callback[] {
  const verbose = checkVerbose(options.verbose === undefined ? 'auto' : options.verbose);
  const yieldEvery = checkYieldEvery(options.yieldEvery === undefined ? 'auto' : options.yieldEvery);
  if (options.print !== undefined && typeof options.print !== 'function') {
    throw new ConfigError(`print must be a function (text: string) => void; got ${describe(options.print)}.`);
  }
  const callbacks = options.callbacks ?? [];
  if (!Array.isArray(callbacks)) return callbacks;
  const added: Callback[] = [];
  // Under 'auto', a progress callback the user added already (progressBar of @trellis/callbacks) is the only one, as in Keras.
  const auto = options.verbose === undefined || options.verbose === 'auto';
  const hasProgress = callbacks.some((cb) => PROGRESS_CALLBACKS.includes((cb as Partial<Callback> | null)?.name as string));
  if (verbose > 0 && !(auto && hasProgress))
    added.push(progressLogger({verbose: verbose as 1 | 2, ...(options.print ? {print: options.print} : {})}));
  const yielding = yieldCallback(yieldEvery);
  if (yielding) added.push(yielding);
  return [...callbacks, ...added];
}
