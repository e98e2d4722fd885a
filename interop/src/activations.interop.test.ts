// Every activation of @trellis/layers against keras.activations: values and
// gradients (a vector-Jacobian product with a random cotangent), on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import {activationNames, getActivation} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {runKeras, type KerasCase} from './harness/keras';
import type {TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-5;
const SHAPE = [16, 12];

const inputs = Object.fromEntries(
  activationNames.map((name, i) => [
    name,
    {x: uniformTensor(SHAPE, 100 + i, -6, 6), dy: uniformTensor(SHAPE, 200 + i, -1, 1)},
  ]),
);

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  const cases: Record<string, KerasCase> = {};
  for (const [name, {x, dy}] of Object.entries(inputs)) cases[name] = {kind: 'activation', name, x, dy};
  keras = await runKeras('activations', cases);
});

describe.each(BACKENDS)('activations on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(activationNames)(`%s: value and gradient within ${TOLERANCE}`, (name) => {
    const activation = getActivation(name);
    const {x, dy} = inputs[name]!;
    tf.tidy(() => {
      const input = toTensor(x);
      const cotangent = toTensor(dy);
      expectClose(`${name} value`, activation(input), field(keras[name], 'y'), TOLERANCE);
      const dx = tf.grad((t: tf.Tensor) => activation(t))(input, cotangent);
      expectClose(`${name} gradient`, dx, field(keras[name], 'dx'), TOLERANCE);
    });
  });
});
