/**
 * A compiled model's settings as Keras 3's `compile_config` (and the legacy
 * `.h5` `training_config`), and compiling from them (internal).
 * @module
 */
import {ConfigError, type AnyModel, type Compiled, type Json, type Registry, type Spec} from '@trellis/core';
import {compileFromTrainingConfig} from '../compile-config';
import {kerasOptimizerConfig} from '../keras-config/training';
import {isObject, snakeCase, type JsonObject} from '../keras-config/types';
import {kerasOptimizerName} from './optimizer-slots';

/** Keras' base optimizer options, with the values that mean what Trellis does. */
const BASE_OPTIMIZER: JsonObject = {
  weight_decay: null,
  clipnorm: null,
  global_clipnorm: null,
  clipvalue: null,
  use_ema: false,
  ema_momentum: 0.99,
  ema_overwrite_frequency: null,
  loss_scale_factor: null,
  gradient_accumulation_steps: null,
};

/** Keras names of Trellis losses and metrics that snake_case does not give. */
const KERAS_NAMES: Readonly<Record<string, string>> = {kullbackLeiblerDivergence: 'kl_divergence'};
const KERAS_CLASSES: Readonly<Record<string, string>> = {kullbackLeiblerDivergence: 'KLDivergence'};

/** A loss or metric spec as Keras names it: a snake_case name, or `{module, class_name, config}` when it has options. */
function kerasFunction(spec: Spec, module: string, what: string): Json {
  const short = spec.id.startsWith('trellis/') ? spec.id.slice('trellis/'.length) : undefined;
  if (short === undefined) {
    throw new ConfigError(
      `The ${what} '${spec.id}' is not a built-in Trellis ${what}; Keras cannot rebuild it. Save with {includeOptimizer: false}.`,
    );
  }
  const config = isObject(spec.config) ? spec.config : {};
  const entries = Object.entries(config).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return KERAS_NAMES[short] ?? snakeCase(short);
  return {
    module,
    class_name: KERAS_CLASSES[short] ?? short.charAt(0).toUpperCase() + short.slice(1),
    config: Object.fromEntries(entries.map(([k, v]) => [snakeCase(k), v as Json])),
    registered_name: null,
  };
}

/**
 * The Keras `{module, class_name, config, registered_name}` of a compiled
 * optimizer, with Keras' base options and name.
 * @throws UnknownIdError / ConfigError for an optimizer or option Keras cannot express (naming it).
 */
export function kerasOptimizerObject(spec: Spec): JsonObject {
  const {class_name: className, config} = kerasOptimizerConfig(spec);
  return {
    module: 'keras.optimizers',
    class_name: className,
    config: {name: kerasOptimizerName(spec), ...BASE_OPTIMIZER, ...config},
    registered_name: null,
  };
}

/**
 * Keras 3's `compile_config` of a compiled model: optimizer, loss(es),
 * loss weights, metrics and weighted metrics.
 * @throws ConfigError / UnknownIdError for anything Keras cannot rebuild, naming it.
 */
export function kerasCompileConfig(compiled: Compiled): JsonObject {
  const spec = compiled.optimizer.spec;
  if (!spec) throw new ConfigError('The optimizer has no spec (a hand-built gradient transform); save with {includeOptimizer: false}.');
  const losses = compiled.losses.map((l) => {
    if (!l.spec) throw new ConfigError('A loss has no spec (a plain function); save with {includeOptimizer: false}.');
    return kerasFunction(l.spec, 'keras.losses', 'loss');
  });
  const metric = (weighted: boolean) =>
    compiled.metrics
      .filter((m) => (m.usesSampleWeight === true) === weighted)
      .map((m) => {
        if (!m.spec) throw new ConfigError(`The metric '${m.name}' has no spec; save with {includeOptimizer: false}.`);
        return kerasFunction(m.spec, 'keras.metrics', 'metric');
      });
  const metrics = metric(false);
  const weighted = metric(true);
  return {
    optimizer: kerasOptimizerObject(spec),
    loss: compiled.outputNames ? losses : losses[0]!,
    loss_weights: compiled.lossWeights ? [...compiled.lossWeights] : null,
    metrics: metrics.length > 0 ? metrics : null,
    weighted_metrics: weighted.length > 0 ? weighted : null,
    run_eagerly: false,
    steps_per_execution: 1,
    // Keras resolves 'auto' for its backend (XLA on JAX, as Keras itself writes there).
    jit_compile: 'auto',
  };
}

/**
 * The legacy `.h5` `training_config` of a `compile_config`: the same keys,
 * the optimizer as `optimizer_config: {class_name, config}`.
 */
export function legacyTrainingConfig(compileConfig: JsonObject): JsonObject {
  const {optimizer, ...rest} = compileConfig;
  const o = optimizer as JsonObject;
  return {...rest, optimizer_config: {class_name: o.class_name as string, config: o.config as Json}};
}

/**
 * Compiles `model` from Keras' `compile_config` (or a legacy
 * `training_config`): optimizer, loss and metrics through `registry`.
 * @throws UnknownIdError / ConfigError for an optimizer, loss or metric Trellis cannot rebuild
 *   (load with `compile: false` to skip compiling).
 */
export function compileFromKeras(model: AnyModel, config: Json, registry: Registry): void {
  if (!isObject(config)) throw new ConfigError('compile_config must be an object.');
  const training = 'optimizer_config' in config ? config : {...config, optimizer_config: config.optimizer ?? null};
  const metrics = [
    ...(Array.isArray(config.metrics) ? config.metrics : []),
    ...(Array.isArray(config.weighted_metrics) ? config.weighted_metrics : []),
  ];
  compileFromTrainingConfig(model, {...training, metrics} as Json, registry);
}
