import {
  ConfigError,
  aliasOf,
  describe,
  type Initializer,
  type Json,
  type Layer,
  type Loss,
  type MultiInputLayer,
  type Plugin,
  type Registry,
} from '@trellis/core';
import {glorotUniform, ones, randomUniform, zeros} from '@trellis/initializers';
import {activation} from './layers/activation';
import {add} from './layers/add';
import {alphaDropout} from './layers/alpha-dropout';
import {average} from './layers/average';
import {averagePooling1d} from './layers/average-pooling1d';
import {averagePooling2d} from './layers/average-pooling2d';
import {batchNormalization} from './layers/batch-normalization';
import {concatenate} from './layers/concatenate';
import {conv1d} from './layers/conv1d';
import {conv2d} from './layers/conv2d';
import {conv2dTranspose} from './layers/conv2d-transpose';
import {cropping2d} from './layers/cropping2d';
import {dense} from './layers/dense';
import {depthwiseConv2d} from './layers/depthwise-conv2d';
import {dropout} from './layers/dropout';
import {elu as eluLayer} from './layers/elu';
import {embedding} from './layers/embedding';
import {flatten} from './layers/flatten';
import {gaussianDropout} from './layers/gaussian-dropout';
import {gaussianNoise} from './layers/gaussian-noise';
import {globalAveragePooling1d} from './layers/global-average-pooling1d';
import {globalAveragePooling2d} from './layers/global-average-pooling2d';
import {globalMaxPooling1d} from './layers/global-max-pooling1d';
import {globalMaxPooling2d} from './layers/global-max-pooling2d';
import {layerNormalization} from './layers/layer-normalization';
import {leakyRelu as leakyReluLayer} from './layers/leaky-relu';
import {maxPooling1d} from './layers/max-pooling1d';
import {maxPooling2d} from './layers/max-pooling2d';
import {maximum} from './layers/maximum';
import {minimum} from './layers/minimum';
import {multiply} from './layers/multiply';
import {normalization} from './layers/normalization';
import {permute} from './layers/permute';
import {prelu} from './layers/prelu';
import {randomBrightness} from './layers/random-brightness';
import {randomContrast} from './layers/random-contrast';
import {randomCrop} from './layers/random-crop';
import {randomFlip} from './layers/random-flip';
import {randomRotation} from './layers/random-rotation';
import {randomShear} from './layers/random-shear';
import {randomTranslation} from './layers/random-translation';
import {randomZoom} from './layers/random-zoom';
import {relu as reluLayer} from './layers/relu';
import {rescaling} from './layers/rescaling';
import {reshape} from './layers/reshape';
import {separableConv2d} from './layers/separable-conv2d';
import {softmax as softmaxLayer} from './layers/softmax';
import {spatialDropout1d} from './layers/spatial-dropout1d';
import {spatialDropout2d} from './layers/spatial-dropout2d';
import {subtract} from './layers/subtract';
import {upSampling2d} from './layers/up-sampling2d';
import {zeroPadding2d} from './layers/zero-padding2d';
import {binaryCrossentropy} from './losses/binary-crossentropy';
import {lossAliases} from './losses/get-loss';
import {binaryFocalCrossentropy} from './losses/binary-focal-crossentropy';
import {categoricalCrossentropy} from './losses/categorical-crossentropy';
import {categoricalFocalCrossentropy} from './losses/categorical-focal-crossentropy';
import {categoricalHinge} from './losses/categorical-hinge';
import {cosineSimilarity} from './losses/cosine-similarity';
import {hinge} from './losses/hinge';
import {huber} from './losses/huber';
import {kullbackLeiblerDivergence} from './losses/kullback-leibler-divergence';
import {logCosh} from './losses/log-cosh';
import {meanAbsoluteError} from './losses/mean-absolute-error';
import {meanAbsolutePercentageError} from './losses/mean-absolute-percentage-error';
import {meanSquaredError} from './losses/mean-squared-error';
import {meanSquaredLogarithmicError} from './losses/mean-squared-logarithmic-error';
import {poisson} from './losses/poisson';
import {sparseCategoricalCrossentropy} from './losses/sparse-categorical-crossentropy';
import {squaredHinge} from './losses/squared-hinge';

/**
 * Registers the layers (`trellis/dense`, `trellis/flatten`,
 * `trellis/dropout`, `trellis/activation`) and losses
 * (`trellis/meanSquaredError`, `trellis/binaryCrossentropy`,
 * `trellis/categoricalCrossentropy`, `trellis/sparseCategoricalCrossentropy`,
 * and every other loss of `lossNames`, each under `trellis/<name>`)
 * of this package. Each factory takes the JSON config of the object's spec,
 * so `registry.resolve('layer', layer.spec)` rebuilds an equal layer; a
 * config key the factory does not know is a ConfigError naming it.
 * The convolution, pooling and reshaping layers register under their factory
 * names (`trellis/conv2d`, `trellis/maxPooling2d`, `trellis/reshape`, …),
 * and so do the merge layers (`trellis/add`, `trellis/concatenate`, …), which
 * are `MultiInputLayer`s: check `isMultiInputLayer` on a resolved layer.
 * Every layer id is `trellis/<name>`, its factory's name in the `layers`
 * namespace (`trellis/elu` is `layers.elu`, `trellis/relu` is `layers.relu`;
 * ids are per kind, so the layer `trellis/elu` and the activation
 * `trellis/elu` do not clash). The former ids `trellis/eluLayer`,
 * `trellis/leakyReLU`, `trellis/reLU` and `trellis/softmaxLayer` still load,
 * as deprecated aliases, until the next minor release. Keras' spellings of
 * the losses (`'mse'`, `'mae'`, `'binary_crossentropy'`,
 * `'sparse_categorical_crossentropy'`, `'kld'`, `'Huber'`, …: every spelling
 * `getLoss` accepts) are registered as aliases (`trellis/mse`): they resolve to
 * the same loss, whose spec has the canonical id.
 *
 * Nested specs in a layer config (initializers, regularizers, constraints)
 * are resolved through the same registry; `trellis/zeros` and
 * `trellis/glorotUniform`, the dense defaults, and `trellis/ones` and
 * `trellis/randomUniform`, the normalization and embedding defaults, resolve
 * even when no initializers plugin registers them.
 */
export const layersPlugin: Plugin = {
  name: '@trellis/layers',
  specVersion: 1,
  setup(registry) {
    for (const [id, factory] of Object.entries(WEIGHT_LAYERS)) {
      registry.register('layer', id, (config) => {
        const c = objectConfig(id, config);
        return factory({...c, ...weightOptions(registry, c)} as never);
      });
    }
    for (const [id, factory] of Object.entries({...PLAIN_LAYERS, ...AUGMENTATION_LAYERS})) {
      registry.register('layer', id, (config) => factory(objectConfig(id, config) as never));
    }
    for (const [id, factory] of Object.entries(ACTIVATION_LAYERS)) {
      const make = (config: unknown) => factory(objectConfig(id, config) as never);
      registry.register('layer', id, make);
      for (const [old, current] of Object.entries(DEPRECATED_LAYER_IDS)) {
        if (current === id) registry.register('layer', old, make);
      }
    }
    for (const [id, factory] of Object.entries(MERGE_LAYERS)) {
      // The layer kind is typed as the one-input `Layer`; these take a list of
      // inputs, which callers tell apart with `isMultiInputLayer`.
      registry.register('layer', id, (config) => factory(objectConfig(id, config) as never) as unknown as Layer);
    }
    registry.register('layer', 'trellis/layerNormalization', (config) => {
      const c = objectConfig('trellis/layerNormalization', config);
      return layerNormalization({
        ...c,
        betaInitializer: initializer(registry, c.betaInitializer),
        gammaInitializer: initializer(registry, c.gammaInitializer),
      } as never);
    });
    for (const [id, factory] of Object.entries(LOSSES)) {
      registry.register('loss', id, (config) => factory(objectConfig(id, config)));
    }
    for (const [id, factory] of Object.entries(OPTIONLESS_LOSSES)) {
      registry.register('loss', id, () => factory());
    }
    for (const [alias, name] of Object.entries(lossAliases)) {
      registry.register('loss', `trellis/${alias}`, aliasOf('loss', `trellis/${name}`));
    }
  },
};

type JsonObject = {readonly [key: string]: Json | undefined};

/** Losses whose configs are plain JSON options. */
const LOSSES: Readonly<Record<string, (options: JsonObject) => Loss>> = {
  'trellis/binaryCrossentropy': binaryCrossentropy,
  'trellis/categoricalCrossentropy': categoricalCrossentropy,
  'trellis/sparseCategoricalCrossentropy': sparseCategoricalCrossentropy,
  'trellis/binaryFocalCrossentropy': binaryFocalCrossentropy,
  'trellis/categoricalFocalCrossentropy': categoricalFocalCrossentropy,
  'trellis/cosineSimilarity': cosineSimilarity,
  'trellis/huber': huber,
};

/** Losses without options: their configs are ignored. */
const OPTIONLESS_LOSSES: Readonly<Record<string, () => Loss>> = {
  'trellis/meanSquaredError': meanSquaredError,
  'trellis/categoricalHinge': categoricalHinge,
  'trellis/hinge': hinge,
  'trellis/kullbackLeiblerDivergence': kullbackLeiblerDivergence,
  'trellis/logCosh': logCosh,
  'trellis/meanAbsoluteError': meanAbsoluteError,
  'trellis/meanAbsolutePercentageError': meanAbsolutePercentageError,
  'trellis/meanSquaredLogarithmicError': meanSquaredLogarithmicError,
  'trellis/poisson': poisson,
  'trellis/squaredHinge': squaredHinge,
};

/** Layers whose configs hold nested initializer, regularizer and constraint specs. */
const WEIGHT_LAYERS: Readonly<Record<string, (options: never) => Layer>> = {
  'trellis/dense': dense,
  'trellis/batchNormalization': batchNormalization,
  'trellis/embedding': embedding,
  'trellis/prelu': prelu,
  'trellis/conv1d': conv1d,
  'trellis/conv2d': conv2d,
  'trellis/conv2dTranspose': conv2dTranspose,
  'trellis/depthwiseConv2d': depthwiseConv2d,
  'trellis/separableConv2d': separableConv2d,
};

/** Layers whose configs are plain JSON options: pooling, reshaping, dropout, noise and the rest. */
const PLAIN_LAYERS: Readonly<Record<string, (options: never) => Layer>> = {
  'trellis/flatten': flatten,
  'trellis/dropout': dropout,
  'trellis/activation': activation,
  'trellis/spatialDropout1d': spatialDropout1d,
  'trellis/spatialDropout2d': spatialDropout2d,
  'trellis/gaussianNoise': gaussianNoise,
  'trellis/gaussianDropout': gaussianDropout,
  'trellis/alphaDropout': alphaDropout,
  'trellis/rescaling': rescaling,
  'trellis/normalization': normalization,
  'trellis/averagePooling1d': averagePooling1d,
  'trellis/averagePooling2d': averagePooling2d,
  'trellis/cropping2d': cropping2d,
  'trellis/globalAveragePooling1d': globalAveragePooling1d,
  'trellis/globalAveragePooling2d': globalAveragePooling2d,
  'trellis/globalMaxPooling1d': globalMaxPooling1d,
  'trellis/globalMaxPooling2d': globalMaxPooling2d,
  'trellis/maxPooling1d': maxPooling1d,
  'trellis/maxPooling2d': maxPooling2d,
  'trellis/permute': permute,
  'trellis/reshape': reshape,
  'trellis/upSampling2d': upSampling2d,
  'trellis/zeroPadding2d': zeroPadding2d,
};

/** Activation layers without weights: their configs are plain JSON options. */
const ACTIVATION_LAYERS: Readonly<Record<string, (options: never) => Layer>> = {
  'trellis/elu': eluLayer,
  'trellis/leakyRelu': leakyReluLayer,
  'trellis/relu': reluLayer,
  'trellis/softmax': softmaxLayer,
};

/**
 * Deprecated former layer ids, each registered as an alias of its current id
 * (the same factory) so specs saved under it still load; layers put the
 * current id in their specs. The aliases are removed in the next minor release.
 */
const DEPRECATED_LAYER_IDS: Readonly<Record<string, string>> = {
  'trellis/eluLayer': 'trellis/elu',
  'trellis/leakyReLU': 'trellis/leakyRelu',
  'trellis/reLU': 'trellis/relu',
  'trellis/softmaxLayer': 'trellis/softmax',
};

/** Image augmentation layers (active in training only): their configs are plain JSON options. */
const AUGMENTATION_LAYERS: Readonly<Record<string, (options: never) => Layer>> = {
  'trellis/randomBrightness': randomBrightness,
  'trellis/randomContrast': randomContrast,
  'trellis/randomCrop': randomCrop,
  'trellis/randomFlip': randomFlip,
  'trellis/randomRotation': randomRotation,
  'trellis/randomShear': randomShear,
  'trellis/randomTranslation': randomTranslation,
  'trellis/randomZoom': randomZoom,
};

/**
 * Merge layers (`MultiInputLayer`s, resolved under the layer kind): their
 * configs are plain JSON options.
 */
const MERGE_LAYERS: Readonly<Record<string, (options: never) => MultiInputLayer>> = {
  'trellis/add': add,
  'trellis/average': average,
  'trellis/concatenate': concatenate,
  'trellis/maximum': maximum,
  'trellis/minimum': minimum,
  'trellis/multiply': multiply,
  'trellis/subtract': subtract,
};

/** Resolves every `*Initializer`, `*Regularizer` and `*Constraint` spec of a layer config. */
function weightOptions(registry: Registry, c: JsonObject): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(c)) {
    if (key.endsWith('Initializer')) resolved[key] = initializer(registry, value);
    else if (key.endsWith('Regularizer')) resolved[key] = nested(registry, 'regularizer', value);
    else if (key.endsWith('Constraint')) resolved[key] = nested(registry, 'constraint', value);
  }
  return resolved;
}

function objectConfig(id: string, config: unknown): JsonObject {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(`The config of '${id}' must be a JSON object; got ${describe(config)}.`);
  }
  return config as JsonObject;
}

const BUILT_IN_INITIALIZERS: Readonly<Record<string, (config: never) => Initializer>> = {
  'trellis/zeros': () => zeros(),
  'trellis/glorotUniform': (config) => glorotUniform(config),
  'trellis/ones': () => ones(),
  'trellis/randomUniform': (config) => randomUniform(config),
};

function initializer(registry: Registry, spec: Json | undefined): Initializer | undefined {
  if (spec === undefined || spec === null) return undefined;
  const id = (spec as {id?: unknown}).id;
  if (typeof id === 'string' && !registry.has('initializer', id) && Object.hasOwn(BUILT_IN_INITIALIZERS, id)) {
    return BUILT_IN_INITIALIZERS[id]!(((spec as {config?: Json}).config ?? {}) as never);
  }
  return nested(registry, 'initializer', spec) as Initializer | undefined;
}

function nested(registry: Registry, kind: 'initializer' | 'regularizer' | 'constraint', spec: Json | undefined) {
  if (spec === undefined || spec === null) return undefined;
  if (typeof spec === 'string') return registry.resolve(kind, spec);
  if (typeof spec !== 'object' || Array.isArray(spec) || typeof (spec as {id?: unknown}).id !== 'string') {
    throw new ConfigError(`Expected a ${kind} spec {id, config} or id; got ${describe(spec)}.`);
  }
  return registry.resolve(kind, spec as {id: string; config: Json});
}
