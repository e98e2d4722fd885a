import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layersPlugin, zeroPadding2d, type ZeroPadding2dOptions} from './index';
import {callContext, createBuildContext, uniform} from '../test/testing';
import {expectBuildAndCallErrors, imageShapeErrors} from '../test/layer-errors';
import {expectCallAndGradientLeakNothing, weightedInputGradient} from '../test/shape-layer-runs';
import {sides} from '../test/shape-cases';

describe('zeroPadding2d', () => {
  for (const [padding, pairs] of [
    [undefined, sides(1, 1, 1, 1)],
    [2, sides(2, 2, 2, 2)],
    [[2, 1], sides(2, 2, 1, 1)],
    [sides(1, 2, 3, 0), sides(1, 2, 3, 0)],
  ] as const) {
    it(`pads with zeros like tfjs-layers, gradient = the inner block (padding ${JSON.stringify(padding)})`, () => {
      const layer = zeroPadding2d(padding === undefined ? {} : {padding: padding as ZeroPadding2dOptions['padding']});
      const [[top, bottom], [left, right]] = pairs;
      expect(layer.padding).toEqual(pairs);
      expect(layer.build([3, 4, 2], createBuildContext())).toEqual([3 + top + bottom, 4 + left + right, 2]);
      const x = tf.tensor4d(uniform(randomGenerator(top * 10 + right), 2 * 3 * 4 * 2, -1, 1), [2, 3, 4, 2]);
      const y = layer.call(x, callContext(false));
      const oracle = tfl.layers.zeroPadding2d({padding: pairs.map((p) => [...p]) as never}).apply(x) as tf.Tensor;
      expect(Array.from(y.dataSync())).toEqual(Array.from(oracle.dataSync()));
      expect(y.shape).toEqual(oracle.shape);
      const {w, g} = weightedInputGradient(layer, x, y.shape, 9);
      const inner = tf.slice(w, [0, top, left, 0], [2, 3, 4, 2]);
      expect(Array.from(g.dataSync())).toEqual(Array.from(inner.dataSync()));
      tf.dispose([x, y, oracle, w, g, inner]);
    });
  }

  it('keeps int32 inputs as int32', () => {
    const layer = zeroPadding2d({padding: 1});
    layer.build([1, 1, 1], createBuildContext());
    const x = tf.tensor4d([7], [1, 1, 1, 1], 'int32');
    const y = layer.call(x, callContext(false));
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 0, 7, 0, 0, 0, 0]);
    tf.dispose([x, y]);
  });

  it('has a spec that round-trips', () => {
    const layer = zeroPadding2d({padding: [2, 1], name: 'z'});
    expect(layer.spec).toEqual({id: 'trellis/zeroPadding2d', config: {name: 'z', padding: sides(2, 2, 1, 1), dataFormat: 'channelsLast'}});
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options with ConfigError and shapes it cannot take with ShapeError', () => {
    for (const padding of [-1, 1.5, [1], [1, 2, 3], [[1, 2], [3]], sides(1, -2, 0, 0), 'same']) {
      expect(() => zeroPadding2d({padding} as never), JSON.stringify(padding)).toThrow(ConfigError);
    }
    expect(() => zeroPadding2d({dataFormat: 'channelsFirst'} as never)).toThrow(/channelsFirst' is not supported/);
    expectBuildAndCallErrors(zeroPadding2d({name: 'z'}), zeroPadding2d(), imageShapeErrors('zeroPadding2d', 'z'));
  });

  it('leaks no tensors', async () => {
    await expectCallAndGradientLeakNothing(zeroPadding2d(), [2, 3, 1], 4);
  });
});
