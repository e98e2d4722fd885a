/**
 * Optimizers, losses and metrics: Trellis specs ↔ Keras (and tfjs-layers')
 * `trainingConfig` / `compile_config` spellings.
 * @module
 */
import {ConfigError, UnknownIdError, describeValue, type Json, type Spec} from '@trellis/core';
import {camelCase, checkClassConfig, checkSpec, isObject, own, type JsonObject, type KerasClassConfig} from './types';

type OptimizerEntry = {
  readonly id: string;
  readonly className: string;
  readonly aliases: readonly string[];
  readonly keys: readonly string[];
};

const OPTIMIZERS: readonly OptimizerEntry[] = [
  {id: 'trellis/sgd', className: 'SGD', aliases: ['sgd', 'Momentum'], keys: ['learningRate', 'momentum', 'nesterov']},
  {id: 'trellis/adam', className: 'Adam', aliases: ['adam'], keys: ['learningRate', 'beta1', 'beta2', 'epsilon', 'amsgrad']},
  {
    id: 'trellis/adamw',
    className: 'AdamW',
    aliases: ['adamw'],
    keys: ['learningRate', 'beta1', 'beta2', 'epsilon', 'amsgrad', 'weightDecay'],
  },
  {id: 'trellis/adamax', className: 'Adamax', aliases: ['adamax'], keys: ['learningRate', 'beta1', 'beta2', 'epsilon']},
  {id: 'trellis/nadam', className: 'Nadam', aliases: ['nadam'], keys: ['learningRate', 'beta1', 'beta2', 'epsilon']},
  {
    id: 'trellis/rmsprop',
    className: 'RMSprop',
    aliases: ['RMSProp', 'rmsprop'],
    keys: ['learningRate', 'rho', 'momentum', 'epsilon', 'centered'],
  },
  {id: 'trellis/adagrad', className: 'Adagrad', aliases: ['adagrad'], keys: ['learningRate', 'initialAccumulatorValue', 'epsilon']},
  {id: 'trellis/adadelta', className: 'Adadelta', aliases: ['adadelta'], keys: ['learningRate', 'rho', 'epsilon']},
  {id: 'trellis/lion', className: 'Lion', aliases: ['lion'], keys: ['learningRate', 'beta1', 'beta2']},
];

/** Keras spellings of Trellis optimizer keys that snake_case does not give. */
const OPTIMIZER_KEYS: Readonly<Record<string, string>> = {
  beta1: 'beta_1',
  beta2: 'beta_2',
  learningRate: 'learning_rate',
  initialAccumulatorValue: 'initial_accumulator_value',
  weightDecay: 'weight_decay',
};

/** Keras / tfjs optimizer keys read as a Trellis key. */
const OPTIMIZER_READ: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(OPTIMIZER_KEYS).map(([ours, theirs]) => [theirs, ours])),
  lr: 'learningRate',
  useNesterov: 'nesterov',
  use_nesterov: 'nesterov',
  initialAccumulatorValue: 'initialAccumulatorValue',
};

/** Keras optimizer keys whose value here means what Trellis does (no clipping, no EMA…): read and dropped. */
const OPTIMIZER_NEUTRAL: Readonly<Record<string, Json>> = {
  name: null,
  weight_decay: null,
  clipnorm: null,
  clipvalue: null,
  global_clipnorm: null,
  use_ema: false,
  ema_momentum: 0.99,
  ema_overwrite_frequency: null,
  loss_scale_factor: null,
  gradient_accumulation_steps: null,
  is_legacy_optimizer: false,
  jit_compile: null,
  decay: 0,
};

/**
 * The Keras `{class_name, config}` of a Trellis optimizer spec with a
 * constant learning rate (`{class_name: 'Adam', config: {learning_rate, beta_1, ...}}`).
 * @throws UnknownIdError for an optimizer without a Keras class; ConfigError
 *   for an option Keras cannot express here (a learning-rate schedule, naming it).
 */
export function kerasOptimizerConfig(spec: Spec): KerasClassConfig {
  const s = checkSpec(spec, 'an optimizer');
  const entry = OPTIMIZERS.find((e) => e.id === s.id);
  if (!entry)
    throw new UnknownIdError(
      'optimizer (with a Keras class)',
      s.id,
      OPTIMIZERS.map((e) => e.id),
    );
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(isObject(s.config) ? s.config : {})) {
    if (value === undefined) continue;
    if (!entry.keys.includes(key))
      throw new ConfigError(`Optimizer ${s.id}: the option '${key}' has no Keras ${entry.className} equivalent here.`);
    if (typeof value === 'object' && value !== null) {
      throw new ConfigError(
        `Optimizer ${s.id}: '${key}' is ${describeValue(value)} (a schedule); only a constant number can be written as a Keras ${entry.className} option.`,
      );
    }
    out[own(OPTIMIZER_KEYS, key) ?? key] = value;
  }
  return {class_name: entry.className, config: out};
}

/**
 * The Trellis optimizer spec of a Keras or tfjs-layers optimizer config
 * (`optimizer_config`: `{class_name: 'Adam', config: {learning_rate | learningRate, beta_1 | beta1, ...}}`).
 * @throws UnknownIdError for an optimizer Trellis does not have; ConfigError for an option it cannot honour.
 */
export function optimizerSpecFromKeras(classConfig: Json): Spec {
  const {class_name: className, config} = checkClassConfig(classConfig, 'an optimizer');
  const entry = OPTIMIZERS.find((e) => e.className === className || e.aliases.includes(className));
  if (!entry) throw new UnknownIdError('Keras optimizer class', className, OPTIMIZERS.flatMap((e) => [e.className, ...e.aliases]).sort());
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (Object.hasOwn(OPTIMIZER_NEUTRAL, key) && !entry.keys.includes(own(OPTIMIZER_READ, key) ?? camelCase(key))) {
      if (key === 'name' || value === OPTIMIZER_NEUTRAL[key] || (value === null && key !== 'use_ema')) continue;
      throw new ConfigError(`Keras optimizer ${className}: Trellis' ${entry.id} cannot honour '${key}': ${JSON.stringify(value)} here.`);
    }
    const ours = own(OPTIMIZER_READ, key) ?? camelCase(key);
    if (!entry.keys.includes(ours)) throw new ConfigError(`Keras optimizer ${className}: Trellis' ${entry.id} has no option '${key}'.`);
    if (typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ConfigError(
        `Keras optimizer ${className}: '${key}' is ${describeValue(value)}; only numbers and booleans are read (a schedule is not).`,
      );
    }
    out[ours] = value;
  }
  return {id: entry.id, config: out};
}

/** Keras loss names (and aliases) → Trellis loss ids. */
const LOSSES: Readonly<Record<string, string>> = {
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  MeanSquaredError: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
  MeanAbsoluteError: 'meanAbsoluteError',
  mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  mape: 'meanAbsolutePercentageError',
  MeanAbsolutePercentageError: 'meanAbsolutePercentageError',
  mean_squared_logarithmic_error: 'meanSquaredLogarithmicError',
  msle: 'meanSquaredLogarithmicError',
  MeanSquaredLogarithmicError: 'meanSquaredLogarithmicError',
  binary_crossentropy: 'binaryCrossentropy',
  BinaryCrossentropy: 'binaryCrossentropy',
  binary_focal_crossentropy: 'binaryFocalCrossentropy',
  BinaryFocalCrossentropy: 'binaryFocalCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  CategoricalCrossentropy: 'categoricalCrossentropy',
  categorical_focal_crossentropy: 'categoricalFocalCrossentropy',
  CategoricalFocalCrossentropy: 'categoricalFocalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  SparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  hinge: 'hinge',
  Hinge: 'hinge',
  squared_hinge: 'squaredHinge',
  SquaredHinge: 'squaredHinge',
  categorical_hinge: 'categoricalHinge',
  CategoricalHinge: 'categoricalHinge',
  poisson: 'poisson',
  Poisson: 'poisson',
  kl_divergence: 'kullbackLeiblerDivergence',
  kld: 'kullbackLeiblerDivergence',
  kullback_leibler_divergence: 'kullbackLeiblerDivergence',
  KLDivergence: 'kullbackLeiblerDivergence',
  log_cosh: 'logCosh',
  logcosh: 'logCosh',
  LogCosh: 'logCosh',
  cosine_similarity: 'cosineSimilarity',
  CosineSimilarity: 'cosineSimilarity',
  huber: 'huber',
  huber_loss: 'huber',
  Huber: 'huber',
};

/** Keras loss config keys whose value here is what Trellis does: dropped. */
const LOSS_NEUTRAL: Readonly<Record<string, Json>> = {name: null, reduction: 'sum_over_batch_size', dtype: null};

/**
 * The Trellis loss spec of a Keras loss: a name (`'categorical_crossentropy'`,
 * tfjs' `'categoricalCrossentropy'`) or `{class_name, config}`.
 * @throws UnknownIdError for a loss Trellis does not have.
 */
export function lossSpecFromKeras(loss: Json): Spec {
  if (typeof loss === 'string') {
    const id = own(LOSSES, loss) ?? (Object.values(LOSSES).includes(loss) ? loss : undefined);
    if (!id) throw new UnknownIdError('Keras loss', loss, Object.keys(LOSSES).sort());
    return {id: `trellis/${id}`, config: {}};
  }
  const {class_name: className, config} = checkClassConfig(loss, 'a loss');
  const id = own(LOSSES, className);
  if (!id)
    throw new UnknownIdError(
      'Keras loss class',
      className,
      Object.keys(LOSSES)
        .filter((k) => /^[A-Z]/.test(k))
        .sort(),
    );
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(config as JsonObject)) {
    if (value === undefined) continue;
    if (Object.hasOwn(LOSS_NEUTRAL, key)) {
      if (key === 'name' || value === null || value === LOSS_NEUTRAL[key]) continue;
      throw new ConfigError(`Keras loss ${className}: Trellis cannot honour '${key}': ${JSON.stringify(value)}.`);
    }
    out[camelCase(key)] = value;
  }
  return {id: `trellis/${id}`, config: out};
}

/** Keras metric names → Trellis metric ids (others are camel-cased: `'top_k_categorical_accuracy'` → `'trellis/topKCategoricalAccuracy'`). */
const METRICS: Readonly<Record<string, string>> = {
  acc: 'accuracy',
  accuracy: 'accuracy',
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
};

/**
 * The Trellis metric spec of a Keras metric name or `{class_name, config}`.
 * Whether the id exists is checked when the model is compiled (an
 * `UnknownIdError` then lists the known metrics).
 */
export function metricSpecFromKeras(metric: Json): Spec {
  if (typeof metric === 'string') return {id: `trellis/${own(METRICS, metric) ?? camelCase(metric)}`, config: {}};
  const {class_name: className, config} = checkClassConfig(metric, 'a metric');
  const name = className.charAt(0).toLowerCase() + className.slice(1);
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(config))
    if (value !== undefined && key !== 'name' && key !== 'dtype') out[camelCase(key)] = value;
  return {id: `trellis/${name}`, config: out};
}
