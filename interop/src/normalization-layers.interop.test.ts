// The normalization, embedding and preprocessing layers against Keras: output
// and the gradients of the input and of the trainable weights (`layer` kind,
// weights assigned by Keras' short names), on cpu and wasm; batch
// normalization in training and inference mode, and its moving statistics
// after 10 steps of model.fit (`fit` kind, every weight compared).
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, batchNormalization, dense, layers, meanSquaredError, setSeed, sgd, type Layer, type NamedTensors} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, classIds, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasLayer, kerasLoss, kerasOptimizer} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import {expectLayerMatchesKeras} from './harness/layer-check';
import {setWeightsPerLayer, weightsPerLayer} from './harness/mnist-mlp';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-4;

type LayerCase = {
  readonly make: () => Layer;
  /** Without the batch dimension. */
  readonly inputShape: number[];
  readonly x: HostTensor;
  readonly dy: HostTensor;
  /** Every weight by its short name, assigned on both sides. */
  readonly weights: Record<string, HostTensor>;
  /** Keras' weights when they differ (Keras' Normalization given mean and variance has none). */
  readonly kerasWeights?: Record<string, HostTensor>;
  readonly training: boolean;
};

function batchNormCase(inputShape: number[], batch: number, axis: number, training: boolean, seed: number): LayerCase {
  const rank = inputShape.length + 1;
  const features = inputShape[(axis < 0 ? axis + rank : axis) - 1]!;
  const shape = [batch, ...inputShape];
  return {
    make: () => batchNormalization({axis, momentum: 0.9}),
    inputShape,
    x: uniformTensor(shape, seed, -2, 4),
    dy: uniformTensor(shape, seed + 1, -1, 1),
    weights: {
      gamma: uniformTensor([features], seed + 2, 0.5, 1.5),
      beta: uniformTensor([features], seed + 3, -0.5, 0.5),
      moving_mean: uniformTensor([features], seed + 4, -1, 1),
      moving_variance: uniformTensor([features], seed + 5, 0.5, 2),
    },
    training,
  };
}

function layerNormCase(inputShape: number[], batch: number, axis: number | number[], seed: number, scale = true): LayerCase {
  const rank = inputShape.length + 1;
  const axes = (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a)).sort();
  const weightShape = axes.map((a) => inputShape[a - 1]!);
  const shape = [batch, ...inputShape];
  return {
    make: () => layers.layerNormalization({axis, scale}),
    inputShape,
    x: uniformTensor(shape, seed, -2, 4),
    dy: uniformTensor(shape, seed + 1, -1, 1),
    weights: {
      ...(scale ? {gamma: uniformTensor(weightShape, seed + 2, 0.5, 1.5)} : {}),
      beta: uniformTensor(weightShape, seed + 3, -0.5, 0.5),
    },
    training: true,
  };
}

function weightlessCase(make: () => Layer, shape: number[], seed: number, weights: Record<string, HostTensor> = {}): LayerCase {
  return {
    make,
    inputShape: shape.slice(1),
    x: uniformTensor(shape, seed, -3, 5),
    dy: uniformTensor(shape, seed + 1, -1, 1),
    weights,
    kerasWeights: {},
    training: true,
  };
}

const cases: Record<string, LayerCase> = {
  batchNormTraining: batchNormCase([6], 8, -1, true, 100),
  batchNormInference: batchNormCase([6], 8, -1, false, 200),
  batchNormTrainingAxis1Rank4: batchNormCase([3, 4, 2], 3, 1, true, 300),
  batchNormInferenceAxis1Rank4: batchNormCase([3, 4, 2], 3, 1, false, 400),
  layerNorm: layerNormCase([10], 6, -1, 500),
  layerNormRank3: layerNormCase([4, 5], 3, -1, 600),
  layerNormTwoAxes: layerNormCase([3, 4], 2, [1, 2], 700),
  layerNormWithoutScale: layerNormCase([8], 4, -1, 800, false),
  embedding: {
    make: () => layers.embedding({inputDim: 11, outputDim: 4}),
    inputShape: [5],
    x: classIds([3, 5], 11, 1100),
    dy: uniformTensor([3, 5, 4], 1101, -1, 1),
    weights: {embeddings: uniformTensor([11, 4], 1102, -1, 1)},
    training: true,
  },
  rescaling: weightlessCase(() => layers.rescaling({scale: 1 / 127.5, offset: -1}), [4, 6], 1200),
  normalizationPerFeature: weightlessCase(() => layers.normalization({mean: [0.5, -1, 2], variance: [4, 0.25, 1.5]}), [6, 3], 1300, {
    mean: {dtype: 'float32', shape: [3], values: Float32Array.from([0.5, -1, 2])},
    variance: {dtype: 'float32', shape: [3], values: Float32Array.from([4, 0.25, 1.5])},
  }),
  normalizationInvertRank3: weightlessCase(
    () => layers.normalization({axis: 1, mean: [1, -1], variance: [2, 0.5], invert: true}),
    [3, 2, 4],
    1400,
    {
      mean: {dtype: 'float32', shape: [2], values: Float32Array.from([1, -1])},
      variance: {dtype: 'float32', shape: [2], values: Float32Array.from([2, 0.5])},
    },
  ),
  normalizationScalar: weightlessCase(() => layers.normalization({axis: null, mean: 0.5, variance: 2.25}), [4, 3], 1500, {
    mean: {dtype: 'float32', shape: [], values: Float32Array.from([0.5])},
    variance: {dtype: 'float32', shape: [], values: Float32Array.from([2.25])},
  }),
};

// Batch normalization between two dense layers, 10 SGD steps of model.fit.
const FIT_SAMPLES = 40;
const FIT_BATCH = 4;
function fitModel(): Sequential {
  return new Sequential([dense({units: 5, activation: 'tanh', inputShape: [3]}), batchNormalization({momentum: 0.9}), dense({units: 2})]);
}
const fitX = uniformTensor([FIT_SAMPLES, 3], 900, -2, 2);
const fitY = uniformTensor([FIT_SAMPLES, 2], 901, -1, 1);
let fitInitial: Record<string, HostTensor>[];

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  await activate('cpu');
  const kerasCases: Record<string, KerasCase> = {};
  for (const [name, c] of Object.entries(cases)) {
    kerasCases[name] = {
      kind: 'layer',
      layer: kerasLayer(c.make()),
      inputShape: c.inputShape,
      weights: c.kerasWeights ?? c.weights,
      x: c.x,
      dy: c.dy,
      training: c.training,
    };
  }
  setSeed(17);
  const model = fitModel();
  model.build([3]);
  // Moving statistics away from their initial values, so the update formula's every term counts.
  model.setWeights(
    tf.tidy(() => ({
      'batch_normalization/moving_mean': tf.fill([5], 0.3),
      'batch_normalization/moving_variance': tf.fill([5], 2),
    })) as NamedTensors,
    {strict: false},
  );
  fitInitial = await weightsPerLayer(model);
  kerasCases.batchNormFit = {
    kind: 'fit',
    inputShape: [3],
    layers: model.layers.map(kerasLayer),
    weights: fitInitial,
    x: fitX,
    y: fitY,
    loss: kerasLoss(meanSquaredError()),
    optimizer: kerasOptimizer(sgd({learningRate: 0.1, momentum: 0.5})),
    epochs: 1,
    batchSize: FIT_BATCH,
  };
  model.dispose();
  keras = await runKeras('normalization-layers', kerasCases);
});

describe.each(BACKENDS)('normalization layers on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: output and gradients within ${TOLERANCE}`, async (name) => {
    const {make, inputShape, x, dy, weights, training} = cases[name]!;
    const layer = make();
    await expectLayerMatchesKeras({
      name,
      layer,
      inputShape,
      x,
      dy,
      weights,
      keras: keras[name],
      tolerance: TOLERANCE,
      training,
      contextName: layer.spec.id.slice('trellis/'.length),
    });
  });

  it(`batch normalization in model.fit: every weight, moving statistics included, after 10 steps within ${TOLERANCE}`, async () => {
    const model = fitModel();
    model.compile({optimizer: sgd({learningRate: 0.1, momentum: 0.5}), loss: meanSquaredError()});
    setWeightsPerLayer(model, fitInitial);
    const [xs, ys] = [toTensor(fitX), toTensor(fitY)];
    try {
      const history = await model.fit(xs, ys, {epochs: 1, batchSize: FIT_BATCH, shuffle: false});
      await expectClose('fit loss', history.history.loss![0]!, (field(keras.batchNormFit, 'epochLosses') as number[])[0]!, TOLERANCE);
      for (const [i, layer] of (await weightsPerLayer(model)).entries()) {
        for (const [weight, values] of Object.entries(layer)) {
          await expectClose(`fit layer ${i} ${weight}`, values, field(keras.batchNormFit, 'weights', i, weight), TOLERANCE);
        }
      }
    } finally {
      tf.dispose([xs, ys]);
      model.dispose();
    }
  });
});
