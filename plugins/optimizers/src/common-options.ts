/**
 * Keras' common optimizer options (`weight_decay`, `clipnorm`, `clipvalue`,
 * `global_clipnorm`, `gradient_accumulation_steps`, `use_ema`, ...): their
 * checks, their spec form and the transforms they add around an update rule.
 * Internal to this package; `namedOptimizer` applies them to every named optimizer.
 * @module
 * @internal
 */
import {
  checkBoolean,
  checkNumber,
  ConfigError,
  describe,
  type GradientTransform,
  type Json,
  type Schedule,
  optionKeys,
} from '@trellis/core';
import {accumulateGradients} from './accumulate-gradients';
import {chain} from './chain';
import {} from './checks';
import {clipByGlobalNorm} from './clip-by-global-norm';
import {clipByNorm} from './clip-by-norm';
import {clipByValue} from './clip-by-value';
import {decoupledWeightDecay} from './decoupled-weight-decay';
import {ema} from './ema';
import {learningRateAt} from './learning-rate';

/** The options of Keras' base `Optimizer` besides the learning rate, camelCased. */
export type CommonTrainingOptions = {
  /** Decoupled weight decay `w -= w * weightDecay * lr` before each update, >= 0 (Keras `weight_decay`). */
  readonly weightDecay?: number;
  /** Clip each gradient to this L2 norm, > 0 (Keras `clipnorm`). */
  readonly clipNorm?: number;
  /** Clip each gradient element to [-clipValue, clipValue], > 0 (Keras `clipvalue`). */
  readonly clipValue?: number;
  /** Clip all gradients together to this global L2 norm, > 0 (Keras `global_clipnorm`). */
  readonly globalClipNorm?: number;
  /** Update every this many steps with the mean gradient, an integer >= 2 (Keras `gradient_accumulation_steps`). */
  readonly gradientAccumulationSteps?: number;
  /** Keep an exponential moving average of the weights (default false; Keras `use_ema`). */
  readonly useEma?: boolean;
  /** The EMA's momentum in [0, 1] (default 0.99; Keras `ema_momentum`). */
  readonly emaMomentum?: number;
  /** Overwrite the weights with their average every this many iterations, an integer >= 1 (Keras `ema_overwrite_frequency`). */
  readonly emaOverwriteFrequency?: number;
};

/** The names of {@link CommonTrainingOptions}, in Keras' order. */
export const COMMON_TRAINING_KEYS = optionKeys<CommonTrainingOptions>({
  weightDecay: true,
  clipNorm: true,
  clipValue: true,
  globalClipNorm: true,
  gradientAccumulationSteps: true,
  useEma: true,
  emaMomentum: true,
  emaOverwriteFrequency: true,
});

/** The common options as they appear in a spec: those that were set (and `weightDecay` when the optimizer has a default). */
export type CommonTrainingConfig = {readonly [K in keyof CommonTrainingOptions]?: number | boolean};

/** The checked common options. */
export type CommonSettings = {
  readonly weightDecay: number | null;
  readonly clip: {readonly key: 'clipNorm' | 'clipValue' | 'globalClipNorm'; readonly value: number} | null;
  readonly accumulationSteps: number | null;
  readonly ema: {readonly momentum: number; readonly overwriteFrequency: number | null} | null;
  /** The spec form: the options that were set, plus `weightDecay` when the optimizer has a default. */
  readonly config: {readonly [key: string]: Json};
};

/**
 * Checks the common options (names were checked before) and returns them
 * with their spec form. `defaultWeightDecay` is the optimizer's own default
 * (AdamW: 0.004), or undefined for none.
 * @throws ConfigError for a negative weight decay, a clip value <= 0, more
 *   than one clipping option (Keras refuses that too), accumulation steps that
 *   are not an integer >= 2, a non-boolean useEma, an EMA momentum outside
 *   [0, 1] or an overwrite frequency that is not an integer >= 1.
 */
export function checkCommonOptions(who: string, options: CommonTrainingOptions, defaultWeightDecay: number | undefined): CommonSettings {
  const config: Record<string, Json> = {};
  const weightDecayIn = options.weightDecay ?? defaultWeightDecay;
  const weightDecay = weightDecayIn === undefined ? null : checkNumber(who, 'weightDecay', weightDecayIn, {min: 0});
  if (weightDecay !== null) config.weightDecay = weightDecay;

  const clips = (['clipNorm', 'clipValue', 'globalClipNorm'] as const).filter((key) => options[key] !== undefined);
  if (clips.length > 1) {
    throw new ConfigError(
      `${who}: only one of clipNorm, clipValue and globalClipNorm can be set (as in Keras); got ` +
        `${clips.map((key) => `${key}: ${String(options[key])}`).join(', ')}. Keep one.`,
    );
  }
  let clip: CommonSettings['clip'] = null;
  if (clips.length === 1) {
    const key = clips[0]!;
    clip = {key, value: checkNumber(who, key, options[key], {min: 0, minExclusive: true})};
    config[key] = clip.value;
  }

  let accumulationSteps: number | null = null;
  if (options.gradientAccumulationSteps !== undefined) {
    const n = options.gradientAccumulationSteps;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 2) {
      throw new ConfigError(
        `${who}: gradientAccumulationSteps must be an integer >= 2 (as in Keras; leave it out to update every step); got ${describe(n)}.`,
      );
    }
    accumulationSteps = n;
    config.gradientAccumulationSteps = n;
  }

  const useEma = checkBoolean(who, 'useEma', options.useEma ?? false);
  if (options.useEma !== undefined) config.useEma = useEma;
  const momentum = checkNumber(who, 'emaMomentum', options.emaMomentum ?? 0.99, {min: 0, max: 1});
  if (options.emaMomentum !== undefined) config.emaMomentum = momentum;
  let overwriteFrequency: number | null = null;
  if (options.emaOverwriteFrequency !== undefined) {
    const f = options.emaOverwriteFrequency;
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 1) {
      throw new ConfigError(
        `${who}: emaOverwriteFrequency must be an integer >= 1 (leave it out to never overwrite during training); got ${describe(f)}.`,
      );
    }
    overwriteFrequency = f;
    config.emaOverwriteFrequency = f;
  }
  return {weightDecay, clip, accumulationSteps, ema: useEma ? {momentum, overwriteFrequency} : null, config};
}

const CLIPS = {clipNorm: clipByNorm, clipValue: clipByValue, globalClipNorm: clipByGlobalNorm} as const;

/**
 * The update rule with the common options around it, in Keras' order
 * (`BaseOptimizer.apply` / `_backend_apply_gradients`):
 *
 * ```
 * chain(
 *   accumulateGradients(n,                         gradient_accumulation_steps
 *     chain(clip,                                  clipnorm / clipvalue / global_clipnorm
 *           decoupledWeightDecay(rule, wd, lr))),  weight_decay with the current lr, then update_step
 *   ema)                                           use_ema (every step)
 * ```
 *
 * (each part only when its option is set), so the state is an array:
 * `[ruleState']` or `[ruleState', emaState]`, `ruleState'` being the rule's
 * state wrapped by the parts in use.
 * With accumulation, `rule` only runs on update steps, so its counters count
 * updates `u` (Keras' `iterations`); a learning-rate schedule is called at the
 * raw step `(u + 1) * n - 1`, as Keras calls it at `_iterations`, and a value
 * that is not a finite number >= 0 is refused naming that step (`who` is the
 * optimizer). Without any option set this is `build(learningRate)` itself
 * (state and spec unchanged).
 */
export function withCommonOptions(
  who: string,
  settings: CommonSettings,
  learningRate: number | Schedule,
  build: (learningRate: number | Schedule) => GradientTransform,
): GradientTransform {
  const n = settings.accumulationSteps;
  const anySet = settings.weightDecay !== null || settings.clip !== null || n !== null || settings.ema !== null;
  if (!anySet) return build(learningRate);
  // Not a saveable schedule (no spec of its own): it only feeds the rule's counters the raw step.
  const rate =
    n !== null && typeof learningRate === 'function'
      ? (((update: number) => learningRateAt(who, learningRate, (update + 1) * n - 1)) as unknown as Schedule)
      : learningRate;
  let transform = build(rate);
  if (settings.weightDecay !== null && settings.weightDecay > 0) {
    transform = decoupledWeightDecay(transform, {weightDecay: settings.weightDecay, learningRate: rate});
  }
  if (settings.clip !== null) transform = chain(CLIPS[settings.clip.key](settings.clip.value), transform);
  if (n !== null) transform = accumulateGradients(n, transform);
  if (settings.ema === null) return chain(transform);
  const {momentum, overwriteFrequency} = settings.ema;
  return chain(transform, ema({momentum, accumulationSteps: n ?? 1, ...(overwriteFrequency === null ? {} : {overwriteFrequency})}));
}
