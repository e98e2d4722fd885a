import {
  ConfigError,
  checkOptions,
  checkNumber,
  describe,
  optionKeys,
  type Callback,
  type FitContext,
  type Hook,
  type Json,
} from '@trellis/core';

/** Options of {@link lambdaCallback}: any of the contract's hooks, plus a name, an order and state functions. */
export type LambdaCallbackOptions = {
  /** The callback's name; default `'lambdaCallback'`. */
  readonly name?: string;
  /** Lower runs first (default 0). */
  readonly order?: number;
  readonly onFitStart?: Hook;
  readonly onEpochStart?: Hook;
  readonly onBatchStart?: Hook;
  readonly onBatchEnd?: Hook;
  readonly onEpochEnd?: Hook;
  readonly onFitEnd?: Hook;
  readonly onError?: (context: FitContext, error: unknown) => void | Promise<void>;
  /** What `saveState()` returns; default `{}`. */
  readonly saveState?: () => Json;
  /** Called by `loadState(state)`; default: accepts anything. */
  readonly loadState?: (state: Json) => void;
};

const KEYS = optionKeys<LambdaCallbackOptions>({
  name: true,
  order: true,
  onFitStart: true,
  onEpochStart: true,
  onBatchStart: true,
  onBatchEnd: true,
  onEpochEnd: true,
  onFitEnd: true,
  onError: true,
  saveState: true,
  loadState: true,
});
/** The hooks, in the order of the options: every key but `name` and `order`. */
const HOOKS = KEYS.filter((key): key is Exclude<keyof LambdaCallbackOptions, 'name' | 'order'> => key !== 'name' && key !== 'order');
const WHO = 'lambdaCallback';

/**
 * A callback made of the given functions, Keras' `LambdaCallback` with the
 * hooks named as Trellis' `Callback` contract (`onEpochEnd` for
 * `on_epoch_end`, `onBatchEnd` for `on_train_batch_end`, `onFitStart` for
 * `on_train_begin`...). Only the hooks given are called, so a callback
 * without `onBatchEnd` costs the loop nothing per batch.
 *
 * @example
 * lambdaCallback({onEpochEnd: async (c) => console.log(c.epoch, await c.readLogs(['loss']))})
 *
 * @throws ConfigError for an unknown option (`on_epoch_end` points to
 *   `onEpochEnd`) or a hook that is not a function.
 */
export function lambdaCallback(options: LambdaCallbackOptions): Callback {
  checkOptions(WHO, options, KEYS);
  if (options === undefined)
    throw new ConfigError(`${WHO} expects an options object with hooks such as {onEpochEnd: (context) => ...}; got undefined.`);
  const name = options.name ?? WHO;
  if (typeof name !== 'string' || name.length === 0)
    throw new ConfigError(`${WHO}: name must be a non-empty string; got ${describe(name)}.`);
  const order = options.order === undefined ? undefined : checkNumber(WHO, 'order', options.order, {example: -1});
  const callback: Record<string, unknown> = {name, ...(order === undefined ? {} : {order})};
  for (const hook of HOOKS) {
    const fn = options[hook];
    if (fn === undefined) continue;
    if (typeof fn !== 'function') throw new ConfigError(`${WHO}: ${hook} must be a function; got ${describe(fn)}.`);
    callback[hook] = fn;
  }
  callback.saveState ??= () => ({});
  callback.loadState ??= () => undefined;
  return callback as unknown as Callback;
}
