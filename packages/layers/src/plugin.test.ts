import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, UnknownIdError, createRegistry, withSpec, type Layer, type Loss} from '@trellis/core';
import {glorotUniform, initializersPlugin, zeros} from '@trellis/initializers';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {
  activation,
  binaryCrossentropy,
  categoricalCrossentropy,
  dense,
  dropout,
  flatten,
  layersPlugin,
  meanSquaredError,
  sparseCategoricalCrossentropy,
} from './index';
import {callContext, createBuildContext, uniform} from '../test/testing';
import {expectLossRoundTrip} from '../test/loss-round-trip';

const acmePlugin = {
  name: 'acme',
  specVersion: 1 as const,
  setup(registry: ReturnType<typeof createRegistry>) {
    registry.register('regularizer', 'acme/l2', (config: {factor: number}) =>
      withSpec({id: 'acme/l2', config}, (w: tf.Tensor) => tf.mul(config.factor, tf.sum(tf.square(w))) as tf.Scalar),
    );
    registry.register('constraint', 'acme/nonNeg', () => withSpec({id: 'acme/nonNeg', config: {}}, (w: tf.Tensor) => tf.relu(w)));
  },
};

const regularizer = withSpec({id: 'acme/l2', config: {factor: 0.01}}, (w: tf.Tensor) => tf.mul(0.01, tf.sum(tf.square(w))) as tf.Scalar);
const constraint = withSpec({id: 'acme/nonNeg', config: {}}, (w: tf.Tensor) => tf.relu(w));

const layers: [string, () => Layer, number[]][] = [
  ['dense (defaults)', () => dense({units: 3}), [4]],
  [
    'dense (every option)',
    () =>
      dense({
        units: 2,
        activation: 'tanh',
        useBias: true,
        kernelInitializer: glorotUniform({seed: 11}),
        biasInitializer: zeros(),
        kernelRegularizer: regularizer,
        biasConstraint: constraint,
        inputShape: [4],
        name: 'hidden',
      }),
    [4],
  ],
  ['dense (no bias, softmax, rank 3)', () => dense({units: 5, useBias: false, activation: 'softmax'}), [2, 4]],
  ['flatten', () => flatten({inputShape: [2, 2], name: 'flat'}), [2, 2]],
  ['dropout (seeded, noise shape)', () => dropout({rate: 0.3, seed: 5, noiseShape: [null, 1]}), [4]],
  ['dropout (defaults)', () => dropout({rate: 0.5, name: 'drop'}), [4]],
  ['activation', () => activation({activation: 'sigmoid', name: 'act'}), [4]],
];

describe('layersPlugin', () => {
  it('registers the layer and loss ids', () => {
    const registry = createRegistry(layersPlugin);
    // The current ids and the deprecated former ones (`trellis/eluLayer`, `trellis/leakyReLU`,
    // `trellis/reLU`, `trellis/softmaxLayer`), registered as their aliases.
    expect(registry.ids('layer')).toEqual([
      'trellis/activation',
      'trellis/add',
      'trellis/alphaDropout',
      'trellis/average',
      'trellis/averagePooling1d',
      'trellis/averagePooling2d',
      'trellis/batchNormalization',
      'trellis/concatenate',
      'trellis/conv1d',
      'trellis/conv2d',
      'trellis/conv2dTranspose',
      'trellis/cropping2d',
      'trellis/dense',
      'trellis/depthwiseConv2d',
      'trellis/dropout',
      'trellis/elu',
      'trellis/eluLayer',
      'trellis/embedding',
      'trellis/flatten',
      'trellis/gaussianDropout',
      'trellis/gaussianNoise',
      'trellis/globalAveragePooling1d',
      'trellis/globalAveragePooling2d',
      'trellis/globalMaxPooling1d',
      'trellis/globalMaxPooling2d',
      'trellis/layerNormalization',
      'trellis/leakyReLU',
      'trellis/leakyRelu',
      'trellis/maxPooling1d',
      'trellis/maxPooling2d',
      'trellis/maximum',
      'trellis/minimum',
      'trellis/multiply',
      'trellis/normalization',
      'trellis/permute',
      'trellis/prelu',
      'trellis/randomBrightness',
      'trellis/randomContrast',
      'trellis/randomCrop',
      'trellis/randomFlip',
      'trellis/randomRotation',
      'trellis/randomShear',
      'trellis/randomTranslation',
      'trellis/randomZoom',
      'trellis/reLU',
      'trellis/relu',
      'trellis/rescaling',
      'trellis/reshape',
      'trellis/separableConv2d',
      'trellis/softmax',
      'trellis/softmaxLayer',
      'trellis/spatialDropout1d',
      'trellis/spatialDropout2d',
      'trellis/subtract',
      'trellis/upSampling2d',
      'trellis/zeroPadding2d',
    ]);
    expect(registry.ids('loss')).toEqual([
      'trellis/binaryCrossentropy',
      'trellis/binaryFocalCrossentropy',
      'trellis/categoricalCrossentropy',
      'trellis/categoricalFocalCrossentropy',
      'trellis/categoricalHinge',
      'trellis/cosineSimilarity',
      'trellis/hinge',
      'trellis/huber',
      'trellis/kullbackLeiblerDivergence',
      'trellis/logCosh',
      'trellis/meanAbsoluteError',
      'trellis/meanAbsolutePercentageError',
      'trellis/meanSquaredError',
      'trellis/meanSquaredLogarithmicError',
      'trellis/poisson',
      'trellis/sparseCategoricalCrossentropy',
      'trellis/squaredHinge',
    ]);
  });

  for (const withInitializers of [false, true]) {
    describe(withInitializers ? 'with the initializers plugin' : 'without the initializers plugin', () => {
      for (const [title, make, inputShape] of layers) {
        it(`rebuilds an equal ${title} from its JSON spec`, async () => {
          const registry = createRegistry(layersPlugin, acmePlugin, ...(withInitializers ? [initializersPlugin] : []));
          const original = make();
          const spec = JSON.parse(JSON.stringify(original.spec));
          const rebuilt = registry.resolve('layer', spec);
          expect(rebuilt.spec).toEqual(original.spec);
          expect(rebuilt).not.toBe(original);

          // Same behaviour: same weights for the same seeds, same outputs.
          const c1 = createBuildContext('a', 99);
          const c2 = createBuildContext('b', 99);
          expect(rebuilt.build(inputShape, c2)).toEqual(original.build(inputShape, c1));
          expect(c2.requests.map((r) => [r.name, r.shape, r.regularizer?.spec, r.constraint?.spec])).toEqual(
            c1.requests.map((r) => [r.name, r.shape, r.regularizer?.spec, r.constraint?.spec]),
          );
          const x = tf.tensor(uniform(randomGenerator(1), 3 * inputShape.reduce((a, b) => a * b, 1), -1, 1), [3, ...inputShape]);
          for (const training of [false, true]) {
            const y1 = original.call(x, callContext(training, 3));
            const y2 = rebuilt.call(x, callContext(training, 3));
            expect(Array.from(y2.dataSync())).toEqual(Array.from(y1.dataSync()));
            tf.dispose([y1, y2]);
          }
          x.dispose();
          c1.dispose();
          c2.dispose();
          await expectNoTensorLeaks(() => registry.resolve('layer', spec));
        });
      }
    });
  }

  it('rebuilds equal losses from their specs', () => {
    const registry = createRegistry(layersPlugin);
    const losses: Loss[] = [
      meanSquaredError(),
      binaryCrossentropy(),
      binaryCrossentropy({fromLogits: true}),
      categoricalCrossentropy({fromLogits: true}),
      sparseCategoricalCrossentropy(),
      sparseCategoricalCrossentropy({fromLogits: true}),
    ];
    const yPred = tf.tensor2d([0.2, 0.3, 0.5, 0.6, 0.3, 0.1], [2, 3]);
    for (const loss of losses) expectLossRoundTrip(registry, loss, yPred);
    yPred.dispose();
  });

  it('resolves bare names and partial configs with defaults', () => {
    const registry = createRegistry(layersPlugin);
    const layer = registry.resolve('layer', 'dense', {units: 4});
    expect(layer.spec).toEqual(dense({units: 4}).spec);
    expect(registry.resolve('loss', 'sparseCategoricalCrossentropy').fromLogits).toBe(false);
    expect(registry.resolve('layer', 'trellis/flatten').spec).toEqual(flatten().spec);
  });

  it('reports bad configs and unknown nested ids', () => {
    const registry = createRegistry(layersPlugin);
    expect(() => registry.resolve('layer', {id: 'trellis/dense', config: {units: -1}})).toThrow(ConfigError);
    expect(() => registry.resolve('layer', {id: 'trellis/dense', config: 3})).toThrow(ConfigError);
    expect(() =>
      registry.resolve('layer', {id: 'trellis/dense', config: {units: 2, kernelInitializer: {id: 'acme/magic', config: {}}}}),
    ).toThrow(UnknownIdError);
    expect(() =>
      registry.resolve('layer', {id: 'trellis/dense', config: {units: 2, kernelRegularizer: {id: 'acme/l2', config: {}}}}),
    ).toThrow(UnknownIdError);
    expect(() => registry.resolve('layer', {id: 'trellis/dropout', config: {rate: 2}})).toThrow(ConfigError);
    expect(() => registry.resolve('loss', {id: 'trellis/binaryCrossentropy', config: {fromLogits: 1}})).toThrow(ConfigError);
  });
});
