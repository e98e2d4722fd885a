import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, createRegistry} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {layersPlugin, globalAveragePooling1d} from './index';
import {callContext, closeness, createBuildContext, uniform} from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MODE: 'max' | 'average' = 'average';
const INPUT = [3, 7, 4];
const CHANNELS = INPUT[INPUT.length - 1]!;
const POSITIONS = INPUT.slice(1, -1).reduce((a, b) => a * b, 1);

/** Float64 average over the positions of each sample and channel, with its gradient for the cotangent `dy`. */
function reference(x: number[], dy: number[]): {y: number[]; dx: number[]} {
  const y: number[] = [];
  const dx = new Array<number>(x.length).fill(0);
  for (let n = 0; n < INPUT[0]!; n++) {
    for (let c = 0; c < CHANNELS; c++) {
      const taps = Array.from({length: POSITIONS}, (_, p) => (n * POSITIONS + p) * CHANNELS + c);
      const out = n * CHANNELS + c;
      if (MODE === 'max') {
        const best = taps.reduce((b, t) => (x[t]! > x[b]! ? t : b), taps[0]!);
        y.push(x[best]!);
        dx[best]! += dy[out] ?? 0;
      } else {
        y.push(taps.reduce((s, t) => s + x[t]!, 0) / POSITIONS);
        for (const t of taps) dx[t]! += (dy[out] ?? 0) / POSITIONS;
      }
    }
  }
  return {y, dx};
}

describe('globalAveragePooling1d', () => {
  for (const keepdims of [false, true]) {
    it(`matches a float64 reference, forward and backward (keepdims ${keepdims})`, () => {
      const layer = globalAveragePooling1d({keepdims});
      const outputShape = layer.build(INPUT.slice(1), createBuildContext());
      expect(outputShape).toEqual(keepdims ? [1, 4] : [CHANNELS]);
      const x = uniform(randomGenerator(11), INPUT.reduce((a, b) => a * b, 1), -2, 2);
      const dyValues = uniform(randomGenerator(12), INPUT[0]! * CHANNELS, -1, 1);
      const ref = reference(x, dyValues);
      const xt = tf.tensor(x, INPUT);
      const dy = tf.tensor(dyValues, [INPUT[0]!, ...outputShape]);
      const y = layer.call(xt, callContext(false));
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dy, layer.call(t, callContext(true)))))(xt);
      expect(y.shape).toEqual([INPUT[0]!, ...outputShape]);
      expect(closeness(y.dataSync(), ref.y, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      expect(closeness(dx.dataSync(), ref.dx, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      tf.dispose([xt, dy, y, dx]);
    });
  }

  it("matches tfjs-layers' globalAveragePooling1d", () => {
    const layer = globalAveragePooling1d();
    layer.build(INPUT.slice(1), createBuildContext());
    const xt = tf.tensor(uniform(randomGenerator(5), INPUT.reduce((a, b) => a * b, 1), -2, 2), INPUT);
    const y = layer.call(xt, callContext(false));
    const yo = tfl.layers.globalAveragePooling1d({}).apply(xt) as tf.Tensor;
    expect(y.shape).toEqual(yo.shape);
    expect(closeness(y.dataSync(), yo.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    tf.dispose([xt, y, yo]);
  });

  it('has a spec that round-trips', () => {
    const layer = globalAveragePooling1d({keepdims: true, name: 'g'});
    expect(layer.spec).toEqual({id: 'trellis/globalAveragePooling1d', config: {name: 'g', keepdims: true, dataFormat: 'channelsLast'}});
    expect(globalAveragePooling1d().spec.config).toEqual({name: '', keepdims: false, dataFormat: 'channelsLast'});
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options with ConfigError and inputs it cannot take with ShapeError', () => {
    for (const options of [null, 3, {keepdims: 1}, {dataFormat: 'channelsFirst'}, {name: 'a/b'}, {inputShape: [0, 2]}]) {
      expect(() => globalAveragePooling1d(options as never), JSON.stringify(options)).toThrow(ConfigError);
    }
    const layer = globalAveragePooling1d({name: 'g'});
    expect(() => layer.build([4, 4, 4], createBuildContext())).toThrow(ShapeError);
    expect(() => layer.build([4, 4, 4], createBuildContext())).toThrow("globalAveragePooling1d layer 'g' expects inputs of shape [batch, steps, channels]");
    const x = tf.zeros(INPUT);
    expect(() => globalAveragePooling1d().call(x, callContext(false))).toThrow(StateError);
    layer.build([...INPUT.slice(1, -1), CHANNELS + 1], createBuildContext());
    expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const layer = globalAveragePooling1d();
    layer.build(INPUT.slice(1), createBuildContext());
    const x = tf.ones(INPUT);
    await expectNoTensorLeaks(() => {
      tf.dispose(layer.call(x, callContext(false)));
      tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(layer.call(t, callContext(true))))(x));
    });
    x.dispose();
  });
});
