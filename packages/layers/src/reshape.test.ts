import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layersPlugin, reshape} from './index';
import {callContext, createBuildContext, uniform} from '../test/testing';
import {expectCallAndGradientLeakNothing, runBesideOracle} from '../test/shape-layer-runs';

describe('reshape', () => {
  for (const [targetShape, inputShape, outputShape] of [
    [[4, 3, 2], [24], [4, 3, 2]],
    [
      [-1, 6],
      [4, 3, 2],
      [4, 6],
    ],
    [
      [2, -1],
      [3, 4],
      [2, 6],
    ],
    [[12], [3, 4], [12]],
  ] as const) {
    it(`reshapes ${JSON.stringify(inputShape)} to ${JSON.stringify(targetShape)} like tfjs-layers, with the identity gradient`, () => {
      const layer = reshape({targetShape});
      const {x, y, oracle, n} = runBesideOracle(
        layer,
        inputShape,
        outputShape,
        (t) => tfl.layers.reshape({targetShape: [...targetShape]}).apply(t) as tf.Tensor,
      );
      expect(oracle.shape).toEqual(y.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      const w = tf.tensor(uniform(randomGenerator(7), 2 * n, -1, 1), y.shape);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(w, layer.call(t, callContext(true)))))(x);
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
    const layer = reshape({targetShape: [5, 2], name: 'r'});
    expect(() => layer.build([3, 4], createBuildContext())).toThrow(ShapeError);
    expect(() => layer.build([3, 4], createBuildContext())).toThrow(
      "reshape layer 'r' cannot reshape input shape [3, 4] (12 values per sample) to [5, 2] (10 values)",
    );
    expect(() => reshape({targetShape: [-1, 5]}).build([3, 4], createBuildContext())).toThrow('a multiple of 5 values');
    const x = tf.zeros([2, 10]);
    expect(() => reshape({targetShape: [5, 2]}).call(x, callContext(false))).toThrow(StateError);
    layer.build([5, 2], createBuildContext());
    expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
    x.dispose();
  });

  it('leaks no tensors', async () => {
    await expectCallAndGradientLeakNothing(reshape({targetShape: [-1]}));
  });
});
