// Depthwise convolution gradients with unequal row and column strides on the
// tensorflow backend: TensorFlow's own kernels refuse them ("only supports
// equal length strides"), Trellis computes them through the block-diagonal
// ordinary convolution. Compared with the cpu backend's gradients.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {useBackend} from '@trellis/core';
import {randomValues} from '@trellis/testing';
import {expect, it} from 'vitest';
import {describeNative} from '../test/native';
import {nodeBackend} from './index';

type Case = {
  name: string;
  input: [number, number, number, number];
  kernel: [number, number];
  multiplier: number;
  strides: [number, number];
  pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding;
};

const CASES: Case[] = [
  {
    name: "'same' as explicit amounts, [1, 2]",
    input: [2, 6, 7, 2],
    kernel: [3, 1],
    multiplier: 1,
    strides: [1, 2],
    pad: [
      [0, 0],
      [1, 1],
      [0, 0],
      [0, 0],
    ],
  },
  {name: "'valid', [2, 1], multiplier 3", input: [2, 7, 6, 3], kernel: [2, 3], multiplier: 3, strides: [2, 1], pad: 'valid'},
  {name: "'same', [3, 1], multiplier 2", input: [1, 8, 5, 4], kernel: [3, 3], multiplier: 2, strides: [3, 1], pad: 'same'},
];

/** Output, input gradient and filter gradient of `sum(depthwiseConv2d(x, f) * dy)` on the active backend. */
function gradients(c: Case, x: Float32Array, f: Float32Array, seed: number) {
  return tf.tidy(() => {
    const xs = tf.tensor4d(x, c.input);
    const fs = tf.tensor4d(f, [...c.kernel, c.input[3], c.multiplier]);
    const y = tf.depthwiseConv2d(xs, fs, c.strides, c.pad);
    const dy = tf.tensor(randomValues(y.size, seed), y.shape);
    const [dx, df] = tf.grads((a, b) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy)))([
      xs,
      fs,
    ]);
    return {y: y.arraySync(), dx: dx!.arraySync(), df: df!.arraySync()};
  });
}

describeNative('depthwise gradients with unequal strides on tensorflow', () => {
  it.each(CASES)('$name: the cpu backend’s output and gradients, leaking nothing', async (c) => {
    const x = randomValues(
      c.input.reduce((a, b) => a * b, 1),
      1,
    );
    const f = randomValues(c.kernel[0] * c.kernel[1] * c.input[3] * c.multiplier, 2);
    await useBackend('cpu');
    const expected = gradients(c, x, f, 3);
    await useBackend(nodeBackend({gpu: false}));
    const before = tf.memory().numTensors;
    const actual = gradients(c, x, f, 3);
    expect(tf.memory().numTensors).toBe(before);
    for (const key of ['y', 'dx', 'df'] as const) {
      const a = (actual[key] as number[][][][]).flat(3);
      const e = (expected[key] as number[][][][]).flat(3);
      expect(a.length, key).toBe(e.length);
      a.forEach((v, i) => expect(Math.abs(v - e[i]!), `${key}[${i}]`).toBeLessThan(1e-5));
    }
  });
});
