// The merge layers against keras.layers.Add, Subtract, Multiply, Average,
// Maximum, Minimum and Concatenate: output and the gradient of every input
// for a random cotangent, on cpu and wasm, with equal and broadcast shapes.
import * as tf from '@tensorflow/tfjs-core';
import {callContext, createBuildContext} from '@trellis/testing';
import {layers, type MultiInputLayer} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, tidyAsync, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasLayer} from './harness/keras-config';
import {MERGE_SHAPES} from './harness/merge-cases';
import {runKeras, type KerasCase} from './harness/keras';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-4;

/** One merge layer on a list of input shapes (without batch). */
type MergeCase = {make: () => MultiInputLayer; inputShapes: number[][]; batch: number};
const cases: Record<string, MergeCase> = {
  add: {make: () => layers.add(), inputShapes: [[6], [6]], batch: 4},
  addThreeBroadcast: {make: () => layers.add(), inputShapes: [[4, 3], [3], [1, 3]], batch: 2},
  addScalarPerSample: {make: () => layers.add(), inputShapes: [[], [2, 3]], batch: 3},
  subtract: {make: () => layers.subtract(), inputShapes: [[5], [5]], batch: 4},
  subtractBroadcast: {...MERGE_SHAPES.subtractBroadcast, batch: 2},
  multiplyThree: {
    make: () => layers.multiply(),
    inputShapes: [
      [4, 3],
      [4, 3],
      [4, 3],
    ],
    batch: 2,
  },
  multiplyBroadcast: {...MERGE_SHAPES.multiplyBroadcast, batch: 3},
  averageThree: {make: () => layers.average(), inputShapes: [[6], [6], [6]], batch: 4},
  averageBroadcast: {make: () => layers.average(), inputShapes: [[4, 3], [3]], batch: 2},
  maximumThree: {make: () => layers.maximum(), inputShapes: [[6], [6], [6]], batch: 4},
  maximumBroadcast: {...MERGE_SHAPES.maximumBroadcast, batch: 2},
  minimumThree: {make: () => layers.minimum(), inputShapes: [[6], [6], [6]], batch: 4},
  minimumBroadcast: {
    make: () => layers.minimum(),
    inputShapes: [
      [1, 5],
      [3, 1],
    ],
    batch: 3,
  },
  concatenateDefault: {...MERGE_SHAPES.concatenateLastAxis, batch: 2},
  concatenateAxis1: {...MERGE_SHAPES.concatenateAxis1, batch: 3},
  concatenateAxisMinus2: {
    make: () => layers.concatenate({axis: -2}),
    inputShapes: [
      [2, 3, 2],
      [2, 1, 2],
    ],
    batch: 2,
  },
  concatenateVectors: {make: () => layers.concatenate(), inputShapes: [[3], [1], [4]], batch: 5},
};

type Inputs = {xs: HostTensor[]; dy: HostTensor};
const inputs: Record<string, Inputs> = {};

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  // Building a layer to learn its output shape needs a backend.
  await activate('cpu');
  const kerasCases: Record<string, KerasCase> = {};
  Object.entries(cases).forEach(([name, {make, inputShapes, batch}], i) => {
    const seed = 1000 * (i + 1);
    const outputShape = make().build(inputShapes, createBuildContext('probe'));
    const xs = inputShapes.map((shape, k) => uniformTensor([batch, ...shape], seed + 1 + k, -2, 2));
    const dy = uniformTensor([batch, ...outputShape], seed, -1, 1);
    inputs[name] = {xs, dy};
    kerasCases[name] = {kind: 'layer', layer: kerasLayer(make()), inputShapes, inputs: xs, dy, weights: {}, training: false};
  });
  keras = await runKeras('merge-layers', kerasCases);
});

describe.each(BACKENDS)('merge layers on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`merge-layers ${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: output and every input's gradient within ${TOLERANCE}`, async (name) => {
    const {make, inputShapes} = cases[name]!;
    const {xs, dy} = inputs[name]!;
    const layer = make();
    layer.build(inputShapes, createBuildContext('layer'));
    await tidyAsync(async () => {
      const tensors = xs.map(toTensor);
      const cotangent = toTensor(dy);
      await expectClose(`${name} output`, layer.call(tensors, callContext(false)), field(keras[name], 'y'), TOLERANCE);
      const objective = (...ts: tf.Tensor[]) => tf.sum(tf.mul(layer.call(ts, callContext(false)), cotangent)) as tf.Scalar;
      for (const [k, grad] of tf.grads(objective)(tensors).entries()) {
        await expectClose(`${name} input ${k} gradient`, grad, field(keras[name], 'dxs', k), TOLERANCE);
      }
    });
  });
});
