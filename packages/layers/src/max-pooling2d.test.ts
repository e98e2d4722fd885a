import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, createRegistry} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {layersPlugin, maxPooling2d, type MaxPooling2dOptions} from './index';
import {callContext, closeness, createBuildContext, uniform} from './testing';
import {poolReference, type PoolGeometry} from './testing-conv';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Case = {options: MaxPooling2dOptions; input: number[]};
const CASES: Record<string, Case> = {
  default: {options: {}, input: [2, 6, 7, 3]},
  'same 3, stride 2': {options: {poolSize: 3, strides: 2, padding: 'same'}, input: [2, 7, 8, 2]},
  'valid [3, 2], stride 1': {options: {poolSize: [3, 2], strides: 1}, input: [2, 5, 6, 2]},
  'same 2 on odd sizes': {options: {poolSize: 2, padding: 'same'}, input: [1, 5, 7, 3]},
  'same [2, 3], strides [1, 2]': {options: {poolSize: [2, 3], strides: [1, 2], padding: 'same'}, input: [2, 4, 5, 2]},
};

describe('maxPooling2d', () => {
  Object.entries(CASES).forEach(([name, testCase], i) => {
    it(`matches a float64 max pooling, forward and backward (${name})`, () => {
      const layer = maxPooling2d(testCase.options);
      const outputShape = layer.build(testCase.input.slice(1), createBuildContext());
      const geometry: PoolGeometry = {input: testCase.input as [number, number, number, number], pool: layer.poolSize as [number, number], strides: layer.strides as [number, number], padding: layer.padding};
      const size = testCase.input.reduce((a, b) => a * b, 1);
      const x = uniform(randomGenerator(30 * i), size, -2, 2);
      const probe = poolReference(geometry, 'max', x, []);
      const dyValues = uniform(randomGenerator(30 * i + 1), probe.y.length, -1, 1);
      const ref = poolReference(geometry, 'max', x, dyValues);
      expect(outputShape).toEqual(ref.shape.slice(1));
      const xt = tf.tensor(x, testCase.input);
      const dy = tf.tensor(dyValues, ref.shape);
      const y = layer.call(xt, callContext(false));
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dy, layer.call(t, callContext(true)))))(xt);
      expect(y.shape).toEqual(ref.shape);
      expect(closeness(y.dataSync(), ref.y, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      expect(closeness(dx.dataSync(), ref.dx, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      tf.dispose([xt, dy, y, dx]);
    });
  });

  it("matches tfjs-layers' maxPooling2d forward", () => {
    const testCase = CASES['same 3, stride 2']!;
    const layer = maxPooling2d(testCase.options);
    layer.build(testCase.input.slice(1), createBuildContext());
    const xt = tf.tensor(uniform(randomGenerator(3), testCase.input.reduce((a, b) => a * b, 1), -2, 2), testCase.input);
    const y = layer.call(xt, callContext(false));
    const yo = tfl.layers.maxPooling2d({poolSize: 3, strides: 2, padding: 'same'}).apply(xt) as tf.Tensor;
    expect(y.shape).toEqual(yo.shape);
    expect(closeness(y.dataSync(), yo.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    tf.dispose([xt, y, yo]);
  });

  it('has Keras defaults (poolSize 2, strides = poolSize, valid) and a spec that round-trips', () => {
    const layer = maxPooling2d();
    expect(layer.build([8, 6, 3], createBuildContext())).toEqual([4, 3, 3]);
    expect(layer.spec).toEqual({id: 'trellis/maxPooling2d', config: {name: '', ...{poolSize: [2, 2], strides: [2, 2], padding: 'valid', dataFormat: 'channelsLast'}}});
    const named = maxPooling2d({poolSize: 3, strides: 1, padding: 'same', name: 'p', inputShape: [8, 6, 3]});
    expect(JSON.parse(JSON.stringify(named.spec))).toEqual(named.spec);
    const registry = createRegistry(layersPlugin);
    expect(registry.resolve('layer', named.spec).spec).toEqual(named.spec);
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options with ConfigError and inputs it cannot take with ShapeError', () => {
    for (const options of [null, {poolSize: 0}, {poolSize: [2]}, {strides: [1, 2, 3]}, {padding: 'full'}, {dataFormat: 'channelsFirst'}, {name: 'a/b'}]) {
      expect(() => maxPooling2d(options as never), JSON.stringify(options)).toThrow(ConfigError);
    }
    const layer = maxPooling2d({name: 'p'});
    expect(() => layer.build([4, 4], createBuildContext())).toThrow("maxPooling2d layer 'p' expects inputs of shape [batch, height, width, channels]");
    expect(() => layer.build([1, 4, 2], createBuildContext())).toThrow(ShapeError);
    expect(() => layer.build([1, 4, 2], createBuildContext())).toThrow("the pool window [2, 2] is larger than the input [1, 4]");
    expect(maxPooling2d({padding: 'same'}).build([1, 4, 2], createBuildContext())).toBeDefined();
    const x = tf.zeros([1, 4, 4, 3]);
    expect(() => maxPooling2d().call(x, callContext(false))).toThrow(StateError);
    layer.build([4, 4, 2], createBuildContext());
    expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const layer = maxPooling2d({padding: 'same', poolSize: 3, strides: 2});
    layer.build([2, 5, 5, 2].slice(1), createBuildContext());
    const x = tf.ones([2, 5, 5, 2]);
    await expectNoTensorLeaks(() => {
      tf.dispose(layer.call(x, callContext(false)));
      tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(layer.call(t, callContext(true))))(x));
    });
    x.dispose();
  });
});
