import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, createRegistry} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {layersPlugin, permute} from './index';
import {expectBuildAndCallErrors} from '../test/layer-errors';
import {expectCallAndGradientLeakNothing, runBesideOracle, weightedInputGradient} from '../test/shape-layer-runs';

describe('permute', () => {
  for (const {dims, inputShape, outputShape} of [
    {dims: [2, 1], inputShape: [5, 3], outputShape: [3, 5]},
    {dims: [3, 1, 2], inputShape: [2, 3, 4], outputShape: [4, 2, 3]},
    {dims: [1, 3, 2], inputShape: [2, 3, 4], outputShape: [2, 4, 3]},
  ] as const) {
    it(`permutes ${JSON.stringify(inputShape)} by ${JSON.stringify(dims)} like tfjs-layers, forward and backward`, () => {
      const layer = permute({dims});
      const {x, y, oracle} = runBesideOracle(layer, inputShape, outputShape, tfl.layers.permute({dims: [...dims]}));
      expect(Array.from(y.dataSync())).toEqual(Array.from(oracle.dataSync()));
      // Element [b, i1..in] of the output is element [b, j..] of the input with j[dims[k]-1] = i[k].
      const xs = x.arraySync() as number[][];
      const first = (y.arraySync() as number[][])[1]!;
      const index = (array: unknown, at: number[]) => at.reduce((a: unknown, i) => (a as unknown[])[i], array) as number;
      const at = outputShape.map((d) => d - 1);
      const source = new Array<number>(dims.length);
      dims.forEach((d, k) => (source[d - 1] = at[k]!));
      expect(index(first, at)).toBe(index(xs[1], source));
      const {w, g} = weightedInputGradient(layer, x, y.shape, 3);
      const go = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(w, tf.transpose(t, [0, ...dims]))))(x);
      expect(Array.from(g.dataSync())).toEqual(Array.from(go.dataSync()));
      tf.dispose([x, y, oracle, w, g, go]);
    });
  }

  it('has a spec that round-trips', () => {
    const layer = permute({dims: [2, 1], name: 'p'});
    expect(layer.spec).toEqual({id: 'trellis/permute', config: {name: 'p', dims: [2, 1]}});
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options with ConfigError and shapes it cannot take with ShapeError', () => {
    for (const dims of [undefined, [], [0, 1], [1, 1], [1, 3], [2, 1.5], 'x']) {
      expect(() => permute({dims} as never), JSON.stringify(dims)).toThrow(ConfigError);
    }
    expectBuildAndCallErrors(permute({dims: [2, 1], name: 'p'}), permute({dims: [1]}), {
      refused: [2, 3, 4],
      message: "permute layer 'p' permutes 2 sample axes",
      builtFor: [4, 3],
      input: [2, 3, 4],
    });
  });

  it('leaks no tensors', async () => {
    await expectCallAndGradientLeakNothing(permute({dims: [2, 1]}));
  });
});
