import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {flatten} from './index';
import {callContext, createBuildContext, uniform} from '../test/testing';
import {expectCallAndGradientLeakNothing} from '../test/shape-layer-runs';

describe('flatten', () => {
  it('flattens each sample in row-major order, like tfjs-layers', () => {
    const layer = flatten({name: 'f'});
    expect(layer.build([3, 4, 2], createBuildContext())).toEqual([24]);
    const x = tf.tensor4d(uniform(randomGenerator(5), 2 * 24, -1, 1), [2, 3, 4, 2]);
    const y = layer.call(x, callContext(false));
    const oracle = tfl.layers.flatten().apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 24]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(Array.from(y.dataSync())).toEqual(Array.from(oracle.dataSync()));
    const w = tf.tensor2d(uniform(randomGenerator(6), 48, -1, 1), [2, 24]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, layer.call(v, callContext(true)))))(x);
    expect(g.shape).toEqual([2, 3, 4, 2]);
    expect(Array.from(g.dataSync())).toEqual(Array.from(w.dataSync()));
    tf.dispose([x, y, oracle, w, g]);
  });

  it('turns samples without axes into vectors of length 1', () => {
    const layer = flatten();
    expect(layer.build([], createBuildContext())).toEqual([1]);
    const x = tf.tensor1d([1, 2, 3]);
    const y = layer.call(x, callContext(false));
    expect(y.shape).toEqual([3, 1]);
    tf.dispose([x, y]);
  });

  it('validates options and shapes', () => {
    expect(() => flatten({name: 'x/y'})).toThrow(ConfigError);
    expect(() => flatten({inputShape: [-1]})).toThrow(ConfigError);
    expect(() => flatten({inputShape: [2, 2]}).build([4], createBuildContext())).toThrow(ShapeError);
    const layer = flatten({name: 'f'});
    const x = tf.zeros([2, 3]);
    expect(() => layer.call(x, callContext(false))).toThrow(StateError);
    layer.build([2, 2], createBuildContext());
    expect(() => layer.call(x, callContext(false))).toThrow("flatten layer 'f' expects input of shape [batch, 2, 2]");
    x.dispose();
  });

  it('has a JSON spec', () => {
    expect(flatten({inputShape: [28, 28, 1]}).spec).toEqual({id: 'trellis/flatten', config: {name: '', inputShape: [28, 28, 1]}});
    expect(flatten().spec).toEqual({id: 'trellis/flatten', config: {name: ''}});
  });

  it('leaks no tensors', async () => {
    await expectCallAndGradientLeakNothing(flatten());
  });
});
