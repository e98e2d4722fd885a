import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, createRegistry} from '@trellis/core';
import {catchError, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layersPlugin, rescaling} from './index';
import {expectCallRefusesShape} from '../test/layer-errors';
import {callContext, closeness, createBuildContext, uniform} from '../test/testing';

describe('rescaling', () => {
  it("computes x · scale + offset (int32 pixels cast), matching tfjs-layers' rescaling, with gradient scale", async () => {
    const layer = rescaling({scale: 1 / 127.5, offset: -1});
    expect(layer.build([2, 3], createBuildContext())).toEqual([2, 3]);
    const pixels = tf.tensor3d([0, 255, 127, 64, 1, 200], [1, 2, 3], 'int32');
    const y = layer.call(pixels, callContext(false));
    expect(y.dtype).toBe('float32');
    const expected = [0, 255, 127, 64, 1, 200].map((p) => p / 127.5 - 1);
    expect(closeness(y.dataSync(), expected, 1e-6, 1e-7)).toBeLessThanOrEqual(1);
    const oracle = tfl.layers.rescaling({scale: 1 / 127.5, offset: -1});
    const theirs = oracle.apply(tf.cast(pixels, 'float32')) as tf.Tensor;
    expect(closeness(y.dataSync(), theirs.dataSync(), 1e-6, 1e-7)).toBeLessThanOrEqual(1);
    const x = tf.tensor3d(uniform(randomGenerator(2), 6, -1, 1), [1, 2, 3]);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(layer.call(t, callContext(true))) as tf.Scalar)(x);
    expect(closeness(dx.dataSync(), new Array(6).fill(1 / 127.5), 1e-6, 1e-9)).toBeLessThanOrEqual(1);
    await expectNoTensorLeaks(() => tf.dispose(layer.call(pixels, callContext(true))));
    tf.dispose([pixels, y, theirs, x, dx]);
  });

  it('round-trips its spec and rejects bad options and inputs', () => {
    const registry = createRegistry(layersPlugin);
    for (const layer of [rescaling({scale: 1 / 255}), rescaling({scale: 2, offset: 0.5, name: 'r', inputShape: [4]})]) {
      expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    }
    expect(rescaling({scale: 3}).spec.config.offset).toBe(0);
    for (const options of [{scale: NaN}, {scale: 1, offset: Infinity}, {offset: 1}, {scale: '1'}]) {
      expect(ConfigError.is(catchError(() => rescaling(options as never)))).toBe(true);
    }
    const layer = rescaling({scale: 2, name: 'r'});
    layer.build([4], createBuildContext());
    expectCallRefusesShape(layer, [2, 3], false, /rescaling layer 'r'.*\[batch, 4\].*\[2, 3\]/);
  });
});
