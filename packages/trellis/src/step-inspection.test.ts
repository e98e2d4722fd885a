// Callback.onStepInspect: the step's own gradients, the weights around the
// update and each layer's output, checked against tfjs-core's variableGrads.
import * as tf from '@tensorflow/tfjs-core';
import {expect, it} from 'vitest';
import {onCpu} from '../test/cpu';
import {ConfigError, Sequential, dense, initializers, meanSquaredError, metrics, sgd, type StepInspection} from './index';

onCpu();

it('gives the gradients of the step (equal to tf.variableGrads), the weights before and after, and the outputs in call order', async () => {
  const model = new Sequential([
    dense({units: 3, activation: 'relu', inputShape: [2], kernelInitializer: initializers.ones(), biasInitializer: initializers.zeros()}),
    dense({units: 1, kernelInitializer: initializers.ones(), biasInitializer: initializers.zeros()}),
  ]);
  // A metric reads the predictions after the step: the last layer's recorded output must outlive the inspection.
  model.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError(), metrics: [metrics.meanAbsoluteError()]});
  const x = tf.tensor2d([
    [1, -2],
    [0.5, 1],
    [2, 0],
    [-1, -1],
  ]);
  const y = tf.tensor2d([[1], [2], [0], [1]]);
  // The oracle: tfjs-core's own gradients of the same loss at the starting weights.
  const [k0, b0, k1, b1] = [tf.ones([2, 3]), tf.zeros([3]), tf.ones([3, 1]), tf.zeros([1])].map((t) => tf.variable(t));
  const oracle = tf.variableGrads(
    () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, k0!), b0!)), k1!), b1!), y))) as tf.Scalar,
  );
  const expected = [k0, b0, k1, b1].map((v) => Array.from(oracle.grads[v!.name]!.dataSync()));
  const seen: {steps: number[]; grads?: number[][]; deltas?: number[][]; outputs?: string[]; shapes?: number[][]} = {steps: []};
  const before = tf.memory().numTensors;
  const history = await model.fit(x, y, {
    epochs: 3,
    batchSize: 4,
    callbacks: [
      {
        name: 'inspector',
        inspectEvery: 2,
        onStepInspect(context, inspection: StepInspection) {
          seen.steps.push(context.step);
          if (seen.grads) return;
          const names = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'];
          seen.grads = names.map((n) => Array.from(inspection.gradients[n]!.dataSync()));
          seen.deltas = names.map((n) => {
            const delta = tf.sub(inspection.weightsAfter[n]!, inspection.weightsBefore[n]!);
            const values = Array.from(delta.dataSync());
            delta.dispose();
            return values;
          });
          seen.outputs = inspection.outputs.map((o) => o.layer.name);
          seen.shapes = inspection.outputs.map((o) => o.output.shape);
        },
      },
    ],
  });
  expect(seen.steps).toEqual([0, 2]);
  expect(history.history.mean_absolute_error).toHaveLength(3);
  expect(tf.memory().numTensors).toBe(before);
  seen.grads!.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 5)));
  // sgd: the update is -0.1 × the gradient.
  seen.deltas!.forEach((d, i) => d.forEach((v, j) => expect(v).toBeCloseTo(-0.1 * expected[i]![j]!, 5)));
  expect(seen.outputs).toEqual(['dense', 'dense_1']);
  expect(seen.shapes).toEqual([
    [4, 3],
    [4, 1],
  ]);
  tf.dispose([x, y, k0!, b0!, k1!, b1!, oracle.value, ...Object.values(oracle.grads)]);
  model.dispose();
});

it('refuses an inspectEvery that is not an integer >= 1, and an onStepInspect that is not a function', async () => {
  const model = new Sequential([dense({units: 1, inputShape: [2]})]);
  model.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError()});
  const x = tf.ones([2, 2]);
  const y = tf.ones([2, 1]);
  for (const inspectEvery of [0, 1.5, '2']) {
    await expect(model.fit(x, y, {callbacks: [{name: 'bad', inspectEvery, onStepInspect() {}} as never]})).rejects.toThrow(ConfigError);
  }
  await expect(model.fit(x, y, {callbacks: [{name: 'bad', onStepInspect: 3} as never]})).rejects.toThrow(
    /onStepInspect must be a function/,
  );
  tf.dispose([x, y]);
  model.dispose();
});
