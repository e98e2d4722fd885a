import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, createRegistry, type Json, type Serializable} from '@trellis/core';
import {initializersPlugin, randomUniform} from '@trellis/initializers';
import {catchError} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import * as exported from './index';
import {
  activationNames,
  conv2d,
  dense,
  dropout,
  getActivation,
  layersPlugin,
  reduceLoss,
  sparseCategoricalCrossentropy,
  type ConfigurableActivation,
} from './index';

type Factory = (options?: unknown) => Serializable;

/** A valid, minimal options object for the factory of every layer id the plugin registers (`trellis/<name>`, `layers.<name>`). */
const MINIMAL_LAYER_OPTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  activation: {activation: 'relu'},
  add: {},
  alphaDropout: {rate: 0.1},
  average: {},
  averagePooling1d: {},
  averagePooling2d: {},
  batchNormalization: {},
  concatenate: {},
  conv1d: {filters: 2, kernelSize: 3},
  conv2d: {filters: 2, kernelSize: 3},
  conv2dTranspose: {filters: 2, kernelSize: 3},
  cropping2d: {},
  dense: {units: 3},
  depthwiseConv2d: {kernelSize: 3},
  dropout: {rate: 0.5},
  elu: {},
  embedding: {inputDim: 10, outputDim: 4},
  flatten: {},
  gaussianDropout: {rate: 0.1},
  gaussianNoise: {stddev: 0.1},
  globalAveragePooling1d: {},
  globalAveragePooling2d: {},
  globalMaxPooling1d: {},
  globalMaxPooling2d: {},
  layerNormalization: {},
  leakyRelu: {},
  maxPooling1d: {},
  maxPooling2d: {},
  maximum: {},
  minimum: {},
  multiply: {},
  normalization: {},
  permute: {dims: [2, 1]},
  prelu: {},
  randomBrightness: {factor: 0.2},
  randomContrast: {factor: 0.2},
  randomCrop: {height: 2, width: 2},
  randomFlip: {},
  randomRotation: {factor: 0.1},
  randomShear: {xFactor: 0.1},
  randomTranslation: {heightFactor: 0.1, widthFactor: 0.1},
  randomZoom: {heightFactor: 0.2},
  relu: {},
  rescaling: {scale: 1 / 255},
  reshape: {targetShape: [-1]},
  separableConv2d: {filters: 2, kernelSize: 3},
  softmax: {},
  spatialDropout1d: {rate: 0.1},
  spatialDropout2d: {rate: 0.1},
  subtract: {},
  upSampling2d: {},
  zeroPadding2d: {},
};

/** The losses whose factories take options; the others take no argument. */
const LOSSES_WITH_OPTIONS = [
  'binaryCrossentropy',
  'binaryFocalCrossentropy',
  'categoricalCrossentropy',
  'categoricalFocalCrossentropy',
  'cosineSimilarity',
  'huber',
  'sparseCategoricalCrossentropy',
];

/** The activations with options (`with(options)`). */
const CONFIGURABLE_ACTIVATIONS = ['elu', 'gelu', 'leakyRelu', 'logSoftmax', 'softmax'];

const registry = createRegistry(layersPlugin, initializersPlugin);

/** The deprecated former layer ids, aliases of `trellis/elu`, `trellis/leakyRelu`, `trellis/relu`, `trellis/softmax`. */
const DEPRECATED_LAYER_IDS = ['trellis/eluLayer', 'trellis/leakyReLU', 'trellis/reLU', 'trellis/softmaxLayer'];

/** The function `source[name]`; throws `missing` when there is none. */
function functionIn(source: object, name: string, missing: string): Factory {
  const factory = (source as Record<string, unknown>)[name];
  if (typeof factory !== 'function') throw new Error(missing);
  return factory as Factory;
}

const layerFactoryOf = (name: string) => functionIn(exported.layers, name, `@trellis/layers has no layers.${name}.`);

const factoryOf = (name: string) => functionIn(exported, name, `@trellis/layers exports no factory '${name}'.`);

/**
 * Misspellings of `key` that should be traced back to it: Keras' snake_case
 * spelling (`kernel_size`) when it differs, and the last two letters swapped
 * (`naem`).
 */
function misspellings(key: string): string[] {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const swapped = `${key.slice(0, -2)}${key.at(-1)}${key.at(-2)}`;
  return [...new Set([snake, swapped === key ? `${key}s` : swapped])].filter((k) => k !== key);
}

/** The error `make` throws, checking that no tensor was left behind. */
function refusal(make: () => unknown): Error {
  const before = tf.memory().numTensors;
  const error = catchError(make);
  expect(tf.memory().numTensors).toBe(before);
  return error;
}

/** Expects `make` to throw a ConfigError that names `typo`, suggests `key`, and leaks no tensor. */
function expectRefused(make: () => unknown, typo: string, key: string): void {
  const error = refusal(make);
  expect(ConfigError.is(error), `${typo}: ${error.message}`).toBe(true);
  expect(error.message).toContain(`'${typo}'`);
  expect(error.message).toContain(`did you mean '${key}'?`);
}

describe('unknown options', () => {
  it('has a minimal config for every layer the plugin registers', () => {
    const ids = Object.keys(MINIMAL_LAYER_OPTIONS).map((name) => `trellis/${name}`);
    expect(ids.sort()).toEqual(
      registry
        .ids('layer')
        .filter((id) => !DEPRECATED_LAYER_IDS.includes(id))
        .sort(),
    );
  });

  describe.each(Object.keys(MINIMAL_LAYER_OPTIONS))('layer %s', (name) => {
    const factory = layerFactoryOf(name);
    // Every layer but the merge layers also takes an input shape (and then keeps it in its spec).
    const minimal = {
      ...MINIMAL_LAYER_OPTIONS[name]!,
      ...('multiInput' in factory(MINIMAL_LAYER_OPTIONS[name]!) ? {} : {inputShape: [4, 4, 2]}),
    };

    it('refuses a misspelling of each of its options, suggesting the option', () => {
      const keys = Object.keys(factory(minimal).spec.config as object);
      expect(keys).toContain('name');
      for (const key of keys) {
        for (const typo of misspellings(key)) {
          expectRefused(() => factory({...minimal, [typo]: 1}), typo, key);
        }
      }
    });

    it('refuses a misspelled key in a spec config, and rebuilds from its own spec config', () => {
      const spec = JSON.parse(JSON.stringify(factory({...minimal, name: 'x'}).spec)) as {id: string; config: Json};
      expect(registry.resolve('layer', spec).spec).toEqual(spec);
      const misspelled = {id: spec.id, config: {...(spec.config as object), nmae: 'y'}};
      expectRefused(() => registry.resolve('layer', misspelled), 'nmae', 'name');
    });
  });

  it('covers every loss that takes options', () => {
    const names = registry.ids('loss').map((id) => id.slice('trellis/'.length));
    const withOptions = names.filter((name) => Object.keys(factoryOf(name)().spec.config as object).length > 0);
    expect(withOptions).toEqual(LOSSES_WITH_OPTIONS);
  });

  it('rebuilds every loss from its own spec config', () => {
    for (const id of registry.ids('loss')) {
      const {spec} = factoryOf(id.slice('trellis/'.length))();
      expect(registry.resolve('loss', JSON.parse(JSON.stringify(spec))).spec).toEqual(spec);
    }
  });

  describe.each(LOSSES_WITH_OPTIONS)('loss %s', (name) => {
    const factory = factoryOf(name);

    it('refuses a misspelling of each of its options, directly and in a spec config', () => {
      const {id, config} = factory().spec;
      for (const key of Object.keys(config as object)) {
        for (const typo of misspellings(key)) {
          expectRefused(() => factory({[typo]: 1}), typo, key);
          expectRefused(() => registry.resolve('loss', {id, config: {...(config as object), [typo]: 1}}), typo, key);
        }
      }
    });
  });

  it('covers every activation that takes options', () => {
    const configurable = activationNames.filter(
      (name) => typeof (getActivation(name) as Partial<ConfigurableActivation>).with === 'function',
    );
    expect(configurable).toEqual(CONFIGURABLE_ACTIVATIONS);
  });

  describe.each(CONFIGURABLE_ACTIVATIONS)('activation %s', (name) => {
    const activation = getActivation(name) as ConfigurableActivation;

    it('rebuilds from its own spec, with default and other options', () => {
      expect(getActivation(JSON.parse(JSON.stringify(activation.spec)))).toBe(activation);
      const key = Object.keys(activation.spec.config as object)[0]!;
      const other = activation.with({[key]: key === 'approximate' ? true : 2} as never);
      expect(getActivation(JSON.parse(JSON.stringify(other.spec))).spec).toEqual(other.spec);
    });

    it('refuses a misspelling of each of its options in with() and in a spec', () => {
      for (const key of Object.keys(activation.spec.config as object)) {
        for (const typo of misspellings(key)) {
          expectRefused(() => activation.with({[typo]: 1} as never), typo, key);
          expect(refusal(() => activation.with({[typo]: 1} as never)).message).toContain(`${name}.with does not know`);
          expectRefused(() => getActivation({id: activation.spec.id, config: {[typo]: 1}}), typo, key);
        }
      }
    });
  });

  it('dense: activaton → activation', () => {
    const error = refusal(() => dense({units: 3, activaton: 'relu'} as never));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain("dense does not know the option 'activaton' (did you mean 'activation'?)");
    expect(error.message).toContain("it takes 'units', 'activation', 'useBias'");
  });

  it('conv2d: kernel_size → kernelSize', () => {
    expect(() => conv2d({filters: 2, kernel_size: 3} as never)).toThrow(ConfigError);
    expect(refusal(() => conv2d({filters: 2, kernel_size: 3} as never)).message).toContain(
      "conv2d does not know the option 'kernel_size' (did you mean 'kernelSize'?)",
    );
    // An option the spec does not keep (only 1 is supported) is still known.
    expectRefused(() => conv2d({filters: 2, kernelSize: 3, group: 1} as never), 'group', 'groups');
    expect(conv2d({filters: 2, kernelSize: 3, groups: 1}).filters).toBe(2);
  });

  it('dropout: an unknown key far from every option is named, with the options it takes', () => {
    const error = refusal(() => dropout({rate: 0.5, seed: 1, foo: 1} as never));
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toBe(
      "dropout does not know the option 'foo'; it takes 'rate', 'noiseShape', 'seed', 'inputShape', 'name'. " +
        'Options are camelCase; remove or rename the unknown one.',
    );
  });

  it('names every unknown key at once', () => {
    const error = refusal(() => dense({units: 3, use_bias: false, kernel_initializer: null} as never));
    expect(error.message).toContain(
      "dense does not know the options 'use_bias' (did you mean 'useBias'?), " + "'kernel_initializer' (did you mean 'kernelInitializer'?)",
    );
  });

  it('sparseCategoricalCrossentropy: from_logits → fromLogits', () => {
    expect(() => sparseCategoricalCrossentropy({from_logits: true} as never)).toThrow(ConfigError);
    expect(refusal(() => sparseCategoricalCrossentropy({from_logits: true} as never)).message).toContain(
      "sparseCategoricalCrossentropy does not know the option 'from_logits' (did you mean 'fromLogits'?)",
    );
  });

  it('reduceLoss: sample_weight → sampleWeight, before computing anything', () => {
    const losses = tf.tensor1d([1, 2, 3]);
    const weights = tf.tensor1d([1, 0, 1]);
    expectRefused(() => reduceLoss(losses, {reduction: 'sum', sample_weight: weights} as never), 'sample_weight', 'sampleWeight');
    expectRefused(() => reduceLoss(losses, {reducton: 'sum'} as never), 'reducton', 'reduction');
    tf.dispose([losses, weights]);
  });

  it('the built-in randomUniform initializer refuses unknown keys', () => {
    expectRefused(() => randomUniform({max_val: 1} as never), 'max_val', 'maxval');
  });

  it('still accepts what the factories accepted: no options, undefined values, and null for losses', () => {
    expect(factoryOf('flatten')().spec.config).toEqual({name: ''});
    expect(dense({units: 2, activation: undefined, name: undefined}).spec.config).toMatchObject({
      units: 2,
      activation: 'linear',
    });
    expect(sparseCategoricalCrossentropy(null as never).spec.config).toEqual({fromLogits: false, axis: -1});
  });

  it('refuses options that are not an object', () => {
    const add = factoryOf('add');
    const flatten = factoryOf('flatten');
    for (const make of [() => dense(null as never), () => conv2d(3 as never), () => add([]), () => flatten('x')]) {
      const error = refusal(make);
      expect(ConfigError.is(error)).toBe(true);
      expect(error.message).toMatch(/expects an options object such as \{/);
    }
  });
});
