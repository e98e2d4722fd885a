import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {cropping2d, layersPlugin, type Cropping2dOptions} from './index';
import {callContext, createBuildContext, uniform} from '../test/testing';
import {expectBuildAndCallErrors} from '../test/layer-errors';
import {expectCallAndGradientLeakNothing, weightedInputGradient} from '../test/shape-layer-runs';
import {sides} from '../test/shape-cases';

describe('cropping2d', () => {
  for (const [cropping, pairs] of [
    [undefined, sides(0, 0, 0, 0)],
    [1, sides(1, 1, 1, 1)],
    [[1, 2], sides(1, 1, 2, 2)],
    [sides(1, 2, 0, 3), sides(1, 2, 0, 3)],
  ] as const) {
    it(`crops like tfjs-layers, gradient zero-padded back (cropping ${JSON.stringify(cropping)})`, () => {
      const layer = cropping2d(cropping === undefined ? {} : {cropping: cropping as Cropping2dOptions['cropping']});
      const [[top, bottom], [left, right]] = pairs;
      expect(layer.cropping).toEqual(pairs);
      const outH = 6 - top - bottom;
      const outW = 7 - left - right;
      expect(layer.build([6, 7, 2], createBuildContext())).toEqual([outH, outW, 2]);
      const x = tf.tensor4d(uniform(randomGenerator(top + 7 * right), 2 * 6 * 7 * 2, -1, 1), [2, 6, 7, 2]);
      const y = layer.call(x, callContext(false));
      const oracle = tfl.layers.cropping2D({cropping: pairs.map((p) => [...p]) as never}).apply(x) as tf.Tensor;
      expect(y.shape).toEqual([2, outH, outW, 2]);
      expect(Array.from(y.dataSync())).toEqual(Array.from(oracle.dataSync()));
      const {w, g} = weightedInputGradient(layer, x, y.shape, 9);
      const expected = tf.pad(w, [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ]);
      expect(Array.from(g.dataSync())).toEqual(Array.from(expected.dataSync()));
      tf.dispose([x, y, oracle, w, g, expected]);
    });
  }

  it('has a spec that round-trips', () => {
    const layer = cropping2d({cropping: sides(1, 0, 2, 3), name: 'c'});
    expect(layer.spec).toEqual({id: 'trellis/cropping2d', config: {name: 'c', cropping: sides(1, 0, 2, 3), dataFormat: 'channelsLast'}});
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options with ConfigError and shapes it cannot take with ShapeError', () => {
    for (const cropping of [-1, [1], [[1, 2]], sides(0, 0, 0, 0.5), 'x']) {
      expect(() => cropping2d({cropping} as never), JSON.stringify(cropping)).toThrow(ConfigError);
    }
    expect(() => cropping2d({dataFormat: 'channelsFirst'} as never)).toThrow(ConfigError);
    const layer = cropping2d({cropping: sides(2, 2, 0, 0), name: 'c'});
    expect(() => layer.build([5], createBuildContext())).toThrow(ShapeError);
    expectBuildAndCallErrors(layer, cropping2d(), {
      refused: [4, 5, 1],
      message: "cropping2d layer 'c': cropping [[2,2],[0,0]] leaves nothing of input shape [4, 5, 1]",
      builtFor: [6, 5, 1],
      input: [1, 6, 5, 2],
    });
  });

  it('leaks no tensors', async () => {
    await expectCallAndGradientLeakNothing(cropping2d({cropping: 1}), [4, 4, 1], 2);
  });
});
