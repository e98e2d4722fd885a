import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, UnknownIdError} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {activation, sigmoid, softmax} from './index';
import {callContext, createBuildContext, uniform} from '../test/testing';

describe('activation layer', () => {
  it('applies its activation and keeps the shape', () => {
    const layer = activation({activation: 'softmax', name: 'probs'});
    expect(layer.activation).toBe(softmax);
    expect(layer.build([2, 5], createBuildContext())).toEqual([2, 5]);
    const x = tf.tensor3d(uniform(randomGenerator(8), 30, -3, 3), [3, 2, 5]);
    const y = layer.call(x, callContext(false));
    const expected = softmax(x);
    expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.range(0, 30), [3, 2, 5]), layer.call(v, callContext(true)))))(x);
    const ge = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.range(0, 30), [3, 2, 5]), softmax(v))))(x);
    expect(Array.from(g.dataSync())).toEqual(Array.from(ge.dataSync()));
    tf.dispose([x, y, expected, g, ge]);
  });

  it('accepts an activation object and serializes it by name', () => {
    const layer = activation({activation: sigmoid, inputShape: [3]});
    expect(layer.spec).toEqual({id: 'trellis/activation', config: {name: '', activation: 'sigmoid', inputShape: [3]}});
  });

  it('validates its options and shapes', () => {
    expect(() => activation({activation: 'sparsemax' as never})).toThrow(UnknownIdError);
    expect(() => activation({} as never)).toThrow(ConfigError);
    const layer = activation({activation: 'relu'});
    layer.build([4], createBuildContext());
    const x = tf.zeros([2, 3]);
    expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const layer = activation({activation: 'tanh'});
    layer.build([3], createBuildContext());
    const x = tf.ones([2, 3]);
    await expectNoTensorLeaks(() => {
      tf.dispose(layer.call(x, callContext(false)));
    });
    x.dispose();
  });
});
