/**
 * Trellis specs as the Keras constructor arguments that mean the same thing:
 * `{class_name, config}`, which `python/oracle/kinds.py` instantiates as
 * `keras.<module>.<class_name>(**config)`. Each table maps a Trellis spec id to
 * its Keras class; add a line when a layer, loss or optimizer is added.
 * @module
 */
import {type Json, type Layer, type Loss, type MultiInputLayer, type Optimizer, type Spec} from 'trellis';

/** A Keras class and its constructor's keyword arguments. */
export type KerasSpec = {class_name: string; config: Record<string, Json>};

type Config = Readonly<Record<string, Json | undefined>>;
type Translate = (config: Config) => KerasSpec;

/** Layers: Trellis id → Keras layer (weights are assigned separately, by their short names). */
const LAYERS: Readonly<Record<string, Translate>> = {
  'trellis/dense': (c) => ({
    class_name: 'Dense',
    config: {
      units: c.units!,
      activation: kerasActivationName(c.activation!),
      use_bias: c.useBias!,
      ...regularizerConfig(c),
      ...constraintConfig(c),
    },
  }),
  'trellis/activation': (c) => ({class_name: 'Activation', config: {activation: kerasActivationName(c.activation!)}}),
  'trellis/dropout': (c) => ({class_name: 'Dropout', config: {rate: c.rate!, noise_shape: c.noiseShape ?? null}}),
  'trellis/spatialDropout1d': (c) => ({class_name: 'SpatialDropout1D', config: {rate: c.rate!}}),
  'trellis/spatialDropout2d': (c) => ({
    class_name: 'SpatialDropout2D',
    config: {rate: c.rate!, data_format: c.dataFormat === 'channelsFirst' ? 'channels_first' : 'channels_last'},
  }),
  'trellis/gaussianNoise': (c) => ({class_name: 'GaussianNoise', config: {stddev: c.stddev!}}),
  'trellis/gaussianDropout': (c) => ({class_name: 'GaussianDropout', config: {rate: c.rate!}}),
  'trellis/alphaDropout': (c) => ({class_name: 'AlphaDropout', config: {rate: c.rate!}}),
  'trellis/flatten': () => ({class_name: 'Flatten', config: {}}),
  'trellis/batchNormalization': (c) => ({
    class_name: 'BatchNormalization',
    config: {axis: c.axis!, momentum: c.momentum!, epsilon: c.epsilon!, center: c.center!, scale: c.scale!},
  }),
  'trellis/layerNormalization': (c) => ({
    class_name: 'LayerNormalization',
    config: {axis: c.axis!, epsilon: c.epsilon!, center: c.center!, scale: c.scale!},
  }),
  'trellis/embedding': (c) => ({
    class_name: 'Embedding',
    config: {input_dim: c.inputDim!, output_dim: c.outputDim!, ...regularizerConfig(c)},
  }),
  'trellis/rescaling': (c) => ({class_name: 'Rescaling', config: {scale: c.scale!, offset: c.offset!}}),
  'trellis/normalization': (c) => ({
    class_name: 'Normalization',
    config: {axis: c.axis!, mean: c.mean!, variance: c.variance!, invert: c.invert!},
  }),
  'trellis/conv1d': (c) => ({class_name: 'Conv1D', config: convConfig(c)}),
  'trellis/conv2d': (c) => ({class_name: 'Conv2D', config: convConfig(c)}),
  'trellis/conv2dTranspose': (c) => ({class_name: 'Conv2DTranspose', config: convConfig(c)}),
  'trellis/depthwiseConv2d': (c) => {
    const {filters: _, ...rest} = convConfig(c);
    return {class_name: 'DepthwiseConv2D', config: {...rest, depth_multiplier: c.depthMultiplier!}};
  },
  'trellis/separableConv2d': (c) => ({
    class_name: 'SeparableConv2D',
    config: {...convConfig(c), depth_multiplier: c.depthMultiplier!},
  }),
  'trellis/maxPooling1d': (c) => ({class_name: 'MaxPooling1D', config: poolConfig(c)}),
  'trellis/maxPooling2d': (c) => ({class_name: 'MaxPooling2D', config: poolConfig(c)}),
  'trellis/averagePooling1d': (c) => ({class_name: 'AveragePooling1D', config: poolConfig(c)}),
  'trellis/averagePooling2d': (c) => ({class_name: 'AveragePooling2D', config: poolConfig(c)}),
  'trellis/globalMaxPooling1d': (c) => ({class_name: 'GlobalMaxPooling1D', config: {keepdims: c.keepdims!}}),
  'trellis/globalMaxPooling2d': (c) => ({class_name: 'GlobalMaxPooling2D', config: {keepdims: c.keepdims!}}),
  'trellis/globalAveragePooling1d': (c) => ({class_name: 'GlobalAveragePooling1D', config: {keepdims: c.keepdims!}}),
  'trellis/globalAveragePooling2d': (c) => ({class_name: 'GlobalAveragePooling2D', config: {keepdims: c.keepdims!}}),
  'trellis/reshape': (c) => ({class_name: 'Reshape', config: {target_shape: c.targetShape!}}),
  'trellis/permute': (c) => ({class_name: 'Permute', config: {dims: c.dims!}}),
  'trellis/zeroPadding2d': (c) => ({class_name: 'ZeroPadding2D', config: {padding: c.padding!}}),
  'trellis/cropping2d': (c) => ({class_name: 'Cropping2D', config: {cropping: c.cropping!}}),
  'trellis/upSampling2d': (c) => ({class_name: 'UpSampling2D', config: {size: c.size!, interpolation: c.interpolation!}}),
  'trellis/elu': (c) => ({class_name: 'ELU', config: {alpha: c.alpha!}}),
  'trellis/leakyRelu': (c) => ({class_name: 'LeakyReLU', config: {negative_slope: c.negativeSlope!}}),
  'trellis/prelu': (c) => ({class_name: 'PReLU', config: {shared_axes: c.sharedAxes!}}),
  'trellis/relu': (c) => ({
    class_name: 'ReLU',
    config: {max_value: c.maxValue!, negative_slope: c.negativeSlope!, threshold: c.threshold!},
  }),
  'trellis/softmax': (c) => ({class_name: 'Softmax', config: {axis: c.axis!}}),
  'trellis/randomFlip': (c) => ({class_name: 'RandomFlip', config: {mode: c.mode!, seed: c.seed!}}),
  'trellis/randomRotation': (c) => ({class_name: 'RandomRotation', config: {factor: c.factor!, ...resampling(c)}}),
  'trellis/randomTranslation': (c) => ({
    class_name: 'RandomTranslation',
    config: {height_factor: c.heightFactor!, width_factor: c.widthFactor!, ...resampling(c)},
  }),
  'trellis/randomShear': (c) => ({
    class_name: 'RandomShear',
    config: {x_factor: c.xFactor!, y_factor: c.yFactor!, ...resampling(c)},
  }),
  'trellis/randomZoom': (c) => ({
    class_name: 'RandomZoom',
    config: {height_factor: c.heightFactor!, width_factor: c.widthFactor!, ...resampling(c)},
  }),
  'trellis/randomCrop': (c) => ({class_name: 'RandomCrop', config: {height: c.height!, width: c.width!, seed: c.seed!}}),
  'trellis/randomContrast': (c) => ({class_name: 'RandomContrast', config: {factor: c.factor!, value_range: c.valueRange!, seed: c.seed!}}),
  'trellis/randomBrightness': (c) => ({
    class_name: 'RandomBrightness',
    config: {factor: c.factor!, value_range: c.valueRange!, seed: c.seed!},
  }),
  'trellis/add': () => ({class_name: 'Add', config: {}}),
  'trellis/subtract': () => ({class_name: 'Subtract', config: {}}),
  'trellis/multiply': () => ({class_name: 'Multiply', config: {}}),
  'trellis/average': () => ({class_name: 'Average', config: {}}),
  'trellis/maximum': () => ({class_name: 'Maximum', config: {}}),
  'trellis/minimum': () => ({class_name: 'Minimum', config: {}}),
  'trellis/concatenate': (c) => ({class_name: 'Concatenate', config: {axis: c.axis!}}),
};

/** The resampling arguments of Keras' RandomRotation, RandomTranslation and RandomZoom. */
function resampling(c: Config): Record<string, Json> {
  return {fill_mode: c.fillMode!, interpolation: c.interpolation!, fill_value: c.fillValue!, seed: c.seed!};
}

/** The Keras arguments shared by Conv1D and Conv2D. */
function convConfig(c: Config): Record<string, Json> {
  return {
    filters: c.filters!,
    kernel_size: c.kernelSize!,
    strides: c.strides!,
    padding: c.padding!,
    dilation_rate: c.dilationRate!,
    activation: c.activation!,
    use_bias: c.useBias!,
    ...regularizerConfig(c),
  };
}

/**
 * Regularizers of the interop suite's own ids (`test/l1`, `test/l2`: `rate · sum(|x|)`,
 * `rate · sum(x²)`) as the Keras class dicts a layer config accepts.
 */
const REGULARIZERS: Readonly<Record<string, Translate>> = {
  'test/l1': (c) => ({class_name: 'L1', config: {l1: c.l1!}}),
  'test/l2': (c) => ({class_name: 'L2', config: {l2: c.l2!}}),
  'trellis/l1': (c) => ({class_name: 'L1', config: {l1: c.l1!}}),
  'trellis/l1l2': (c) => ({class_name: 'L1L2', config: {l1: c.l1!, l2: c.l2!}}),
  'trellis/l2': (c) => ({class_name: 'L2', config: {l2: c.l2!}}),
  'trellis/orthogonal': (c) => ({class_name: 'OrthogonalRegularizer', config: {factor: c.factor!, mode: c.mode!}}),
};

/** The Keras regularizer for a regularizer spec in a Trellis layer config. */
export function kerasRegularizer(spec: Json): KerasSpec {
  return translate('regularizer', REGULARIZERS, spec as Spec);
}

/** `kernel_regularizer`, `bias_regularizer` and `activity_regularizer` for those a Trellis layer config sets. */
function regularizerConfig(c: Config): Record<string, Json> {
  const keys = {kernelRegularizer: 'kernel_regularizer', biasRegularizer: 'bias_regularizer', activityRegularizer: 'activity_regularizer'};
  const out: Record<string, Json> = {};
  for (const [ours, theirs] of Object.entries(keys)) {
    const spec = c[ours];
    if (spec !== undefined && spec !== null) out[theirs] = kerasRegularizer(spec);
  }
  return out;
}

/** Constraints (`@trellis/regularizers`) as the Keras class dicts a layer config accepts. */
const CONSTRAINTS: Readonly<Record<string, Translate>> = {
  'trellis/maxNorm': (c) => ({class_name: 'MaxNorm', config: {max_value: c.maxValue!, axis: c.axis!}}),
  'trellis/minMaxNorm': (c) => ({
    class_name: 'MinMaxNorm',
    config: {min_value: c.minValue!, max_value: c.maxValue!, rate: c.rate!, axis: c.axis!},
  }),
  'trellis/nonNeg': () => ({class_name: 'NonNeg', config: {}}),
  'trellis/unitNorm': (c) => ({class_name: 'UnitNorm', config: {axis: c.axis!}}),
};

/** The Keras constraint for a constraint spec in a Trellis layer config. */
export function kerasConstraint(spec: Json): KerasSpec {
  return translate('constraint', CONSTRAINTS, spec as Spec);
}

/** `kernel_constraint` and `bias_constraint` for those a Trellis layer config sets (none otherwise). */
function constraintConfig(c: Config): Record<string, Json> {
  const keys = {kernelConstraint: 'kernel_constraint', biasConstraint: 'bias_constraint'};
  const out: Record<string, Json> = {};
  for (const [ours, theirs] of Object.entries(keys)) {
    const spec = c[ours];
    if (spec !== undefined && spec !== null) out[theirs] = kerasConstraint(spec);
  }
  return out;
}

/** The Keras arguments of the window pooling layers. */
function poolConfig(c: Config): Record<string, Json> {
  return {pool_size: c.poolSize!, strides: c.strides!, padding: c.padding!};
}

/**
 * The Keras name of a built-in activation as a Trellis layer config stores it:
 * camelCase becomes snake_case (`leakyRelu` → `leaky_relu`). Keras layers take
 * activations by name only, so one with non-default options has no equivalent.
 */
export function kerasActivationName(activation: Json): string {
  if (typeof activation !== 'string') {
    throw new Error(`Keras layers take activations by name; ${JSON.stringify(activation)} has options: use an activation case`);
  }
  return activation.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Losses: Trellis id → Keras loss. */
const LOSSES: Readonly<Record<string, Translate>> = {
  'trellis/meanSquaredError': () => ({class_name: 'MeanSquaredError', config: {}}),
  'trellis/binaryCrossentropy': (c) => ({
    class_name: 'BinaryCrossentropy',
    config: {from_logits: c.fromLogits!, label_smoothing: c.labelSmoothing!},
  }),
  'trellis/binaryFocalCrossentropy': (c) => ({
    class_name: 'BinaryFocalCrossentropy',
    config: {
      apply_class_balancing: c.applyClassBalancing!,
      alpha: c.alpha!,
      gamma: c.gamma!,
      from_logits: c.fromLogits!,
      label_smoothing: c.labelSmoothing!,
    },
  }),
  'trellis/categoricalCrossentropy': (c) => ({
    class_name: 'CategoricalCrossentropy',
    config: {from_logits: c.fromLogits!, label_smoothing: c.labelSmoothing!, axis: c.axis!},
  }),
  'trellis/categoricalFocalCrossentropy': (c) => ({
    class_name: 'CategoricalFocalCrossentropy',
    config: {alpha: c.alpha!, gamma: c.gamma!, from_logits: c.fromLogits!, label_smoothing: c.labelSmoothing!, axis: c.axis!},
  }),
  'trellis/categoricalHinge': () => ({class_name: 'CategoricalHinge', config: {}}),
  'trellis/cosineSimilarity': (c) => ({class_name: 'CosineSimilarity', config: {axis: c.axis!}}),
  'trellis/hinge': () => ({class_name: 'Hinge', config: {}}),
  'trellis/huber': (c) => ({class_name: 'Huber', config: {delta: c.delta!}}),
  'trellis/kullbackLeiblerDivergence': () => ({class_name: 'KLDivergence', config: {}}),
  'trellis/logCosh': () => ({class_name: 'LogCosh', config: {}}),
  'trellis/meanAbsoluteError': () => ({class_name: 'MeanAbsoluteError', config: {}}),
  'trellis/meanAbsolutePercentageError': () => ({class_name: 'MeanAbsolutePercentageError', config: {}}),
  'trellis/meanSquaredLogarithmicError': () => ({class_name: 'MeanSquaredLogarithmicError', config: {}}),
  'trellis/poisson': () => ({class_name: 'Poisson', config: {}}),
  'trellis/sparseCategoricalCrossentropy': (c) => ({
    class_name: 'SparseCategoricalCrossentropy',
    config: {from_logits: c.fromLogits!, axis: c.axis!},
  }),
  'trellis/squaredHinge': () => ({class_name: 'SquaredHinge', config: {}}),
};

/** Optimizers with a constant learning rate: Trellis id → Keras optimizer. */
const OPTIMIZERS: Readonly<Record<string, Translate>> = {
  'trellis/sgd': (c) => ({
    class_name: 'SGD',
    config: {learning_rate: c.learningRate!, momentum: c.momentum!, nesterov: c.nesterov!},
  }),
  'trellis/adam': (c) => ({
    class_name: 'Adam',
    config: {learning_rate: c.learningRate!, beta_1: c.beta1!, beta_2: c.beta2!, epsilon: c.epsilon!, amsgrad: c.amsgrad!},
  }),
  'trellis/rmsprop': (c) => ({
    class_name: 'RMSprop',
    config: {learning_rate: c.learningRate!, rho: c.rho!, momentum: c.momentum!, epsilon: c.epsilon!, centered: c.centered!},
  }),
  'trellis/adagrad': (c) => ({
    class_name: 'Adagrad',
    config: {learning_rate: c.learningRate!, initial_accumulator_value: c.initialAccumulatorValue!, epsilon: c.epsilon!},
  }),
  'trellis/adadelta': (c) => ({
    class_name: 'Adadelta',
    config: {learning_rate: c.learningRate!, rho: c.rho!, epsilon: c.epsilon!},
  }),
  'trellis/adamax': (c) => ({
    class_name: 'Adamax',
    config: {learning_rate: c.learningRate!, beta_1: c.beta1!, beta_2: c.beta2!, epsilon: c.epsilon!},
  }),
  'trellis/adamw': (c) => ({
    class_name: 'AdamW',
    config: {
      learning_rate: c.learningRate!,
      weight_decay: c.weightDecay!,
      beta_1: c.beta1!,
      beta_2: c.beta2!,
      epsilon: c.epsilon!,
      amsgrad: c.amsgrad!,
    },
  }),
  'trellis/nadam': (c) => ({
    class_name: 'Nadam',
    config: {learning_rate: c.learningRate!, beta_1: c.beta1!, beta_2: c.beta2!, epsilon: c.epsilon!},
  }),
  'trellis/lion': (c) => ({
    class_name: 'Lion',
    config: {learning_rate: c.learningRate!, beta_1: c.beta1!, beta_2: c.beta2!},
  }),
  'trellis/lamb': (c) => ({
    class_name: 'Lamb',
    config: {learning_rate: c.learningRate!, beta_1: c.beta1!, beta_2: c.beta2!, epsilon: c.epsilon!},
  }),
};

/**
 * Learning-rate schedules (`@trellis/schedules`): Trellis id → `keras.optimizers.schedules`
 * class. `stepDecay` is Keras' staircase `ExponentialDecay` over `epochsPerDrop · stepsPerEpoch`
 * steps; `constant`, `join`, `linearWarmup` and `oneCycle` have no Keras class.
 */
const SCHEDULES: Readonly<Record<string, Translate>> = {
  'trellis/cosineDecay': (c) => ({
    class_name: 'CosineDecay',
    config: {
      initial_learning_rate: c.initialLearningRate!,
      decay_steps: c.decaySteps!,
      alpha: c.alpha!,
      warmup_target: c.warmupTarget!,
      warmup_steps: c.warmupSteps!,
    },
  }),
  'trellis/cosineDecayRestarts': (c) => ({
    class_name: 'CosineDecayRestarts',
    config: {
      initial_learning_rate: c.initialLearningRate!,
      first_decay_steps: c.firstDecaySteps!,
      t_mul: c.tMul!,
      m_mul: c.mMul!,
      alpha: c.alpha!,
    },
  }),
  'trellis/exponentialDecay': (c) => ({
    class_name: 'ExponentialDecay',
    config: {initial_learning_rate: c.initialLearningRate!, decay_steps: c.decaySteps!, decay_rate: c.decayRate!, staircase: c.staircase!},
  }),
  'trellis/inverseTimeDecay': (c) => ({
    class_name: 'InverseTimeDecay',
    config: {initial_learning_rate: c.initialLearningRate!, decay_steps: c.decaySteps!, decay_rate: c.decayRate!, staircase: c.staircase!},
  }),
  'trellis/piecewiseConstantDecay': (c) => ({class_name: 'PiecewiseConstantDecay', config: {boundaries: c.boundaries!, values: c.values!}}),
  'trellis/polynomialDecay': (c) => ({
    class_name: 'PolynomialDecay',
    config: {
      initial_learning_rate: c.initialLearningRate!,
      decay_steps: c.decaySteps!,
      end_learning_rate: c.endLearningRate!,
      power: c.power!,
      cycle: c.cycle!,
    },
  }),
  'trellis/stepDecay': (c) => ({
    class_name: 'ExponentialDecay',
    config: {
      initial_learning_rate: c.initialLearningRate!,
      decay_steps: (c.epochsPerDrop as number) * (c.stepsPerEpoch as number),
      decay_rate: c.dropRate!,
      staircase: true,
    },
  }),
};

/** The Keras schedule (`keras.optimizers.schedules`) for a Trellis schedule spec. */
export function kerasSchedule(spec: Json): KerasSpec {
  return translate('schedule', SCHEDULES, spec as Spec);
}

function translate(kind: string, table: Readonly<Record<string, Translate>>, spec: Spec): KerasSpec {
  const entry = table[spec.id];
  if (!entry) throw new Error(`No Keras equivalent of the ${kind} ${spec.id} is known to the interop suite: add it to keras-config.ts`);
  return entry(spec.config as Config);
}

/** The Keras layer for a Trellis layer. */
export function kerasLayer(layer: Layer | MultiInputLayer): KerasSpec {
  return translate('layer', LAYERS, layer.spec);
}

/** The Keras loss for a Trellis loss. */
export function kerasLoss(loss: Loss): KerasSpec {
  return translate('loss', LOSSES, loss.spec);
}

/**
 * The Keras optimizer for a Trellis optimizer; a schedule learning rate becomes
 * the Keras schedule's `{class_name, config}` (see {@link kerasSchedule}), which
 * the oracle instantiates from `keras.optimizers.schedules`.
 */
export function kerasOptimizer(optimizer: Optimizer): KerasSpec {
  const config = optimizer.spec.config as Config;
  const learningRate = typeof config.learningRate === 'number' ? config.learningRate : kerasSchedule(config.learningRate!);
  const keras = translate('optimizer', OPTIMIZERS, {id: optimizer.spec.id, config: {...config, learningRate}});
  // Keras' base Optimizer options, for every optimizer (only those set in the spec).
  const common = Object.entries(COMMON_OPTIMIZER_OPTIONS).filter(([ours]) => config[ours] !== undefined);
  return {...keras, config: {...keras.config, ...Object.fromEntries(common.map(([ours, theirs]) => [theirs, config[ours]!]))}};
}

/** The common options of every named optimizer: Trellis name → Keras' base `Optimizer` argument. */
const COMMON_OPTIMIZER_OPTIONS: Readonly<Record<string, string>> = {
  weightDecay: 'weight_decay',
  clipNorm: 'clipnorm',
  clipValue: 'clipvalue',
  globalClipNorm: 'global_clipnorm',
  gradientAccumulationSteps: 'gradient_accumulation_steps',
  useEma: 'use_ema',
  emaMomentum: 'ema_momentum',
  emaOverwriteFrequency: 'ema_overwrite_frequency',
};
