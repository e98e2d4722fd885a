// computeFans against Keras' keras.src.initializers.random_initializers.compute_fans for the
// kernel shapes Keras layers create: dense [in, out], conv1d [k, in, out], conv2d
// [kh, kw, in, out], conv3d [kd, kh, kw, in, out], depthwise [kh, kw, in, multiplier], plus the
// bias-like vector and the scalar. Integers only: the comparison is exact.
import {computeFans} from '@trellis/initializers';
import {describe, expect, it} from 'vitest';
import {runKeras, type KerasCase} from './harness/keras';

const shapes: Record<string, number[]> = {
  dense: [784, 512],
  denseOneUnit: [3, 1],
  conv1d: [5, 3, 8],
  conv2d: [3, 3, 16, 32],
  conv2dRectangular: [5, 2, 1, 7],
  conv3d: [2, 3, 3, 4, 6],
  depthwiseConv2d: [3, 3, 32, 1],
  depthwiseConv2dMultiplier: [5, 5, 3, 4],
  vector: [7],
  scalar: [],
};

describe('computeFans vs Keras compute_fans', () => {
  it('gives the same fans for dense, conv1d, conv2d, conv3d and depthwise kernels', async () => {
    const cases: Record<string, KerasCase> = {};
    for (const [name, shape] of Object.entries(shapes)) cases[name] = {kind: 'fans', shape};
    const results = await runKeras('initializer-fans', cases);
    for (const [name, shape] of Object.entries(shapes)) {
      const [fanIn, fanOut] = computeFans(shape);
      expect({name, fanIn, fanOut}).toEqual({name, ...(results[name] as {fanIn: number; fanOut: number})});
    }
  }, 120_000);
});
