import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, createRegistry} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {layersPlugin, reshape} from './index';
import {createBuildContext} from '../test/testing';
import {expectBuildAndCallErrors} from '../test/layer-errors';
import {expectCallAndGradientLeakNothing, runBesideOracle, weightedInputGradient} from '../test/shape-layer-runs';

describe('reshape', () => {
  for (const {targetShape, inputShape, outputShape} of [
    {targetShape: [4, 3, 2], inputShape: [24], outputShape: [4, 3, 2]},
    {targetShape: [-1, 6], inputShape: [4, 3, 2], outputShape: [4, 6]},
    {targetShape: [2, -1], inputShape: [3, 4], outputShape: [2, 6]},
    {targetShape: [12], inputShape: [3, 4], outputShape: [12]},
  ] as const) {
    it(`reshapes ${JSON.stringify(inputShape)} to ${JSON.stringify(targetShape)} like tfjs-layers, with the identity gradient`, () => {
      const layer = reshape({targetShape});
      const {x, y, oracle} = runBesideOracle(layer, inputShape, outputShape, tfl.layers.reshape({targetShape: [...targetShape]}));
      expect(oracle.shape).toEqual(y.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      const {w, g} = weightedInputGradient(layer, x, y.shape, 7);
      expect(g.shape).toEqual(x.shape);
      expect(Array.from(g.dataSync())).toEqual(Array.from(w.dataSync()));
      tf.dispose([x, y, oracle, w, g]);
    });
  }

  it('has a spec that keeps the -1 and round-trips', () => {
    const layer = reshape({targetShape: [-1, 3], name: 'r', inputShape: [6]});
    expect(layer.spec).toEqual({id: 'trellis/reshape', config: {name: 'r', targetShape: [-1, 3], inputShape: [6]}});
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options with ConfigError and shapes it cannot take with ShapeError', () => {
    for (const targetShape of [undefined, [0], [-1, -1], [2.5], [-2, 3], 'x']) {
      expect(() => reshape({targetShape} as never), JSON.stringify(targetShape)).toThrow(ConfigError);
    }
    expect(() => reshape(null as never)).toThrow(ConfigError);
    expect(() => reshape({targetShape: [-1, 5]}).build([3, 4], createBuildContext())).toThrow('a multiple of 5 values');
    expectBuildAndCallErrors(reshape({targetShape: [5, 2], name: 'r'}), reshape({targetShape: [5, 2]}), {
      refused: [3, 4],
      message: "reshape layer 'r' cannot reshape input shape [3, 4] (12 values per sample) to [5, 2] (10 values)",
      builtFor: [5, 2],
      input: [2, 10],
    });
  });

  it('leaks no tensors', async () => {
    await expectCallAndGradientLeakNothing(reshape({targetShape: [-1]}));
  });
});
