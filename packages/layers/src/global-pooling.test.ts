import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, createRegistry} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layersPlugin, globalAveragePooling1d, globalAveragePooling2d, globalMaxPooling1d, globalMaxPooling2d} from './index';
import type {BaseGlobalPoolingLayer, BaseGlobalPoolingOptions} from './layers/base-global-pooling';
import {callContext, closeness, createBuildContext, uniform} from '../test/testing';

/** One global pooling layer under test, with the numbers specific to it. */
type Variant = {
  name: 'globalAveragePooling1d' | 'globalAveragePooling2d' | 'globalMaxPooling1d' | 'globalMaxPooling2d';
  create: (options?: BaseGlobalPoolingOptions) => BaseGlobalPoolingLayer;
  mode: 'max' | 'average';
  input: number[];
  keptShape: number[];
  wrongRank: number[];
  rankMessage: string;
};

/** The input shapes of the 1-D and 2-D layers, and the axes their rank error names. */
const DIMENSIONS = [
  {suffix: '1d', input: [3, 7, 4], keptShape: [1, 4], wrongRank: [4, 4, 4], axes: 'steps, channels'},
  {suffix: '2d', input: [3, 5, 6, 4], keptShape: [1, 1, 4], wrongRank: [4, 4], axes: 'height, width, channels'},
] as const;

const FACTORIES = {globalAveragePooling1d, globalMaxPooling1d, globalAveragePooling2d, globalMaxPooling2d};

const VARIANTS: Variant[] = DIMENSIONS.flatMap(({suffix, input, keptShape, wrongRank, axes}) =>
  (['average', 'max'] as const).map((mode) => {
    const name = `global${mode === 'max' ? 'Max' : 'Average'}Pooling${suffix}` as const;
    return {
      name,
      create: FACTORIES[name],
      mode,
      input: [...input],
      keptShape: [...keptShape],
      wrongRank: [...wrongRank],
      rankMessage: `${name} layer 'g' expects inputs of shape [batch, ${axes}]`,
    };
  }),
);

/** Float64 max or average over the positions of each sample and channel, with its gradient for the cotangent `dy`. */
function reference(mode: 'max' | 'average', input: number[], x: number[], dy: number[]): {y: number[]; dx: number[]} {
  const channels = input[input.length - 1]!;
  const positions = input.slice(1, -1).reduce((a, b) => a * b, 1);
  const y: number[] = [];
  const dx = new Array<number>(x.length).fill(0);
  for (let n = 0; n < input[0]!; n++) {
    for (let c = 0; c < channels; c++) {
      const taps = Array.from({length: positions}, (_, p) => (n * positions + p) * channels + c);
      const out = n * channels + c;
      if (mode === 'max') {
        const best = taps.reduce((b, t) => (x[t]! > x[b]! ? t : b), taps[0]!);
        y.push(x[best]!);
        dx[best]! += dy[out] ?? 0;
      } else {
        y.push(taps.reduce((s, t) => s + x[t]!, 0) / positions);
        for (const t of taps) dx[t]! += (dy[out] ?? 0) / positions;
      }
    }
  }
  return {y, dx};
}

describe.each(VARIANTS.map((v) => [v.name, v] as const))('%s', (name, {create, mode, input: INPUT, keptShape, wrongRank, rankMessage}) => {
  const CHANNELS = INPUT[INPUT.length - 1]!;

  it.each([false, true])('matches a float64 reference, forward and backward (keepdims %s)', (keepdims) => {
    const layer = create({keepdims});
    const outputShape = layer.build(INPUT.slice(1), createBuildContext());
    expect(outputShape).toEqual(keepdims ? keptShape : [CHANNELS]);
    const x = uniform(
      randomGenerator(11),
      INPUT.reduce((a, b) => a * b, 1),
      -2,
      2,
    );
    const dyValues = uniform(randomGenerator(12), INPUT[0]! * CHANNELS, -1, 1);
    const ref = reference(mode, INPUT, x, dyValues);
    const xt = tf.tensor(x, INPUT);
    const dy = tf.tensor(dyValues, [INPUT[0]!, ...outputShape]);
    const y = layer.call(xt, callContext(false));
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dy, layer.call(t, callContext(true)))))(xt);
    expect(y.shape).toEqual([INPUT[0]!, ...outputShape]);
    expect(closeness(y.dataSync(), ref.y, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    expect(closeness(dx.dataSync(), ref.dx, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    tf.dispose([xt, dy, y, dx]);
  });

  it(`matches tfjs-layers' ${name}`, () => {
    const layer = create();
    layer.build(INPUT.slice(1), createBuildContext());
    const xt = tf.tensor(
      uniform(
        randomGenerator(5),
        INPUT.reduce((a, b) => a * b, 1),
        -2,
        2,
      ),
      INPUT,
    );
    const y = layer.call(xt, callContext(false));
    const yo = tfl.layers[name]({}).apply(xt) as tf.Tensor;
    expect(y.shape).toEqual(yo.shape);
    expect(closeness(y.dataSync(), yo.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    tf.dispose([xt, y, yo]);
  });

  it('has a spec that round-trips', () => {
    const layer = create({keepdims: true, name: 'g'});
    expect(layer.spec).toEqual({id: `trellis/${name}`, config: {name: 'g', keepdims: true, dataFormat: 'channelsLast'}});
    expect(create().spec.config).toEqual({name: '', keepdims: false, dataFormat: 'channelsLast'});
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options with ConfigError and inputs it cannot take with ShapeError', () => {
    for (const options of [null, 3, {keepdims: 1}, {dataFormat: 'channelsFirst'}, {name: 'a/b'}, {inputShape: [0, 2]}]) {
      expect(() => create(options as never), JSON.stringify(options)).toThrow(ConfigError);
    }
    const layer = create({name: 'g'});
    expect(() => layer.build(wrongRank, createBuildContext())).toThrow(ShapeError);
    expect(() => layer.build(wrongRank, createBuildContext())).toThrow(rankMessage);
    const x = tf.zeros(INPUT);
    expect(() => create().call(x, callContext(false))).toThrow(StateError);
    layer.build([...INPUT.slice(1, -1), CHANNELS + 1], createBuildContext());
    expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const layer = create();
    layer.build(INPUT.slice(1), createBuildContext());
    const x = tf.ones(INPUT);
    await expectNoTensorLeaks(() => {
      tf.dispose(layer.call(x, callContext(false)));
      tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(layer.call(t, callContext(true))))(x));
    });
    x.dispose();
  });
});
