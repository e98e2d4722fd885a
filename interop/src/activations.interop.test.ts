// Every activation of @trellis/layers against keras.activations, with default
// and non-default options: values and gradients (a vector-Jacobian product
// with a random cotangent), on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import {activations, type Json} from 'trellis';
import {activationNames, getActivation, type Activation} from '@trellis/layers';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BACKENDS, activate, tidyAsync, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasActivationName} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import type {TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-5;
const SHAPE = [16, 12];

type ActivationCase = {activation: Activation; shape?: number[]; range?: number};

/** Keyword arguments of the Keras function for a Trellis spec config (`negativeSlope` → `negative_slope`). */
function kerasKeywords(config: Json): Record<string, Json> {
  return Object.fromEntries(
    Object.entries(config as Record<string, Json>).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}

const cases: Record<string, ActivationCase> = {
  ...Object.fromEntries(activationNames.map((name) => [name, {activation: getActivation(name)}])),
  // softplus switches formula for large |x|.
  'softplus on [-30, 30]': {activation: getActivation('softplus'), range: 30},
  'leakyRelu negativeSlope 0.05': {activation: activations.leakyRelu.with({negativeSlope: 0.05})},
  'elu alpha 0.5': {activation: activations.elu.with({alpha: 0.5})},
  'elu alpha 2.5': {activation: activations.elu.with({alpha: 2.5})},
  'gelu approximate': {activation: activations.gelu.with({approximate: true})},
  'softmax on rank 3': {activation: activations.softmax, shape: [4, 5, 6]},
  'softmax axis 1 on rank 3': {activation: activations.softmax.with({axis: 1}), shape: [4, 5, 6]},
  'logSoftmax axis 0': {activation: activations.logSoftmax.with({axis: 0})},
  'logSoftmax axis -2 on rank 3': {activation: activations.logSoftmax.with({axis: -2}), shape: [4, 5, 6]},
};

const inputs = Object.fromEntries(
  Object.entries(cases).map(([label, {shape = SHAPE, range = 6}], i) => [
    label,
    {x: uniformTensor(shape, 100 + i, -range, range), dy: uniformTensor(shape, 200 + i, -1, 1)},
  ]),
);

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  const kerasCases: Record<string, KerasCase> = {};
  for (const [label, {activation}] of Object.entries(cases)) {
    const {x, dy} = inputs[label]!;
    // A plain name runs Keras with its own defaults, which checks ours; silu keeps its Keras name.
    const plain = activationNames.includes(label as never);
    const name = plain ? label : activation.spec.id.slice('trellis/'.length);
    const config = plain ? {} : kerasKeywords(activation.spec.config);
    kerasCases[label] = {kind: 'activation', name: kerasActivationName(name), config, x, dy};
  }
  keras = await runKeras('activations', kerasCases);
});

it('covers every activation name', () => {
  for (const name of activationNames) expect(Object.keys(cases)).toContain(name);
});

describe.each(BACKENDS)('activations on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: value and gradient within ${TOLERANCE}`, async (label) => {
    const {activation} = cases[label]!;
    const {x, dy} = inputs[label]!;
    await tidyAsync(async () => {
      const input = toTensor(x);
      const cotangent = toTensor(dy);
      await expectClose(`${label} value`, activation(input), field(keras[label], 'y'), TOLERANCE);
      const dx = tf.grad((t: tf.Tensor) => activation(t))(input, cotangent);
      await expectClose(`${label} gradient`, dx, field(keras[label], 'dx'), TOLERANCE);
    });
  });
});
