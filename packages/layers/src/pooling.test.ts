import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, createRegistry} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {
  layersPlugin,
  averagePooling1d,
  averagePooling2d,
  maxPooling1d,
  maxPooling2d,
  type AveragePooling1dOptions,
  type AveragePooling2dOptions,
  type MaxPooling1dOptions,
  type MaxPooling2dOptions,
} from './index';
import type {BasePoolingLayer} from './layers/base-pooling';
import {callContext, closeness, createBuildContext, uniform} from '../test/testing';
import {poolReference, type PoolGeometry} from '../test/testing-conv';

type Options = AveragePooling1dOptions | AveragePooling2dOptions | MaxPooling1dOptions | MaxPooling2dOptions;
type Case = {options: Options; input: number[]};

/** What the 1d or the 2d pooling layers share in these tests: cases, geometry and the numbers of each check. */
type Dims = {
  cases: Record<string, Case>;
  /** The reference geometry of a layer built for `input`. */
  geometry: (input: number[], layer: BasePoolingLayer) => PoolGeometry;
  /** The layer's output shape for the reference's `[batch, h', w', channels]`. */
  outputOf: (refShape: number[]) => number[];
  defaultInput: number[];
  defaultOutput: number[];
  defaultWindow: number[];
  namedInputShape: number[];
  invalidOptions: unknown[];
  wrongRank: number[];
  rankMessage: string;
  tooSmall: number[];
  windowMessage: string;
  callInput: number[];
  otherBuild: number[];
  leakInput: number[];
};

const DIMS_1D: Dims = {
  cases: {
    default: {options: {}, input: [2, 9, 3]},
    'same 3, stride 2': {options: {poolSize: 3, strides: 2, padding: 'same'}, input: [2, 10, 2]},
    'valid 3, stride 1': {options: {poolSize: 3, strides: 1}, input: [2, 6, 2]},
    'same 4, stride 3': {options: {poolSize: 4, strides: 3, padding: 'same'}, input: [2, 11, 2]},
  },
  geometry: (input, layer) => ({
    input: [input[0]!, 1, input[1]!, input[2]!],
    pool: [1, layer.poolSize[0]!],
    strides: [1, layer.strides[0]!],
    padding: layer.padding,
  }),
  outputOf: (refShape) => [refShape[0]!, refShape[2]!, refShape[3]!],
  defaultInput: [9, 3],
  defaultOutput: [4, 3],
  defaultWindow: [2],
  namedInputShape: [9, 3],
  invalidOptions: [
    null,
    {poolSize: 0},
    {poolSize: [2, 2]},
    {strides: 1.5},
    {padding: 'causal'},
    {dataFormat: 'channelsFirst'},
    {name: 'a/b'},
  ],
  wrongRank: [4],
  rankMessage: 'expects inputs of shape [batch, steps, channels]',
  tooSmall: [1, 2],
  windowMessage: 'the pool window [2] is larger than the input [1]',
  callInput: [1, 4, 3],
  otherBuild: [4, 2],
  leakInput: [2, 8, 2],
};

const DIMS_2D: Dims = {
  cases: {
    default: {options: {}, input: [2, 6, 7, 3]},
    'same 3, stride 2': {options: {poolSize: 3, strides: 2, padding: 'same'}, input: [2, 7, 8, 2]},
    'valid [3, 2], stride 1': {options: {poolSize: [3, 2], strides: 1}, input: [2, 5, 6, 2]},
    'same 2 on odd sizes': {options: {poolSize: 2, padding: 'same'}, input: [1, 5, 7, 3]},
    'same [2, 3], strides [1, 2]': {options: {poolSize: [2, 3], strides: [1, 2], padding: 'same'}, input: [2, 4, 5, 2]},
  },
  geometry: (input, layer) => ({
    input: input as [number, number, number, number],
    pool: layer.poolSize as [number, number],
    strides: layer.strides as [number, number],
    padding: layer.padding,
  }),
  outputOf: (refShape) => refShape,
  defaultInput: [8, 6, 3],
  defaultOutput: [4, 3, 3],
  defaultWindow: [2, 2],
  namedInputShape: [8, 6, 3],
  invalidOptions: [
    null,
    {poolSize: 0},
    {poolSize: [2]},
    {strides: [1, 2, 3]},
    {padding: 'full'},
    {dataFormat: 'channelsFirst'},
    {name: 'a/b'},
  ],
  wrongRank: [4, 4],
  rankMessage: 'expects inputs of shape [batch, height, width, channels]',
  tooSmall: [1, 4, 2],
  windowMessage: 'the pool window [2, 2] is larger than the input [1, 4]',
  callInput: [1, 4, 4, 3],
  otherBuild: [4, 4, 2],
  leakInput: [2, 5, 5, 2],
};

/** One pooling layer under test. */
type Variant = {
  name: 'averagePooling1d' | 'averagePooling2d' | 'maxPooling1d' | 'maxPooling2d';
  create: (options?: Options) => BasePoolingLayer;
  mode: 'max' | 'average';
  dims: Dims;
};

const VARIANTS: Variant[] = [
  {name: 'averagePooling1d', create: (o) => averagePooling1d(o as AveragePooling1dOptions), mode: 'average', dims: DIMS_1D},
  {name: 'maxPooling1d', create: (o) => maxPooling1d(o as MaxPooling1dOptions), mode: 'max', dims: DIMS_1D},
  {name: 'averagePooling2d', create: (o) => averagePooling2d(o as AveragePooling2dOptions), mode: 'average', dims: DIMS_2D},
  {name: 'maxPooling2d', create: (o) => maxPooling2d(o as MaxPooling2dOptions), mode: 'max', dims: DIMS_2D},
];

describe.each(VARIANTS.map((v) => [v.name, v] as const))('%s', (name, {create, mode, dims}) => {
  const cases = Object.entries(dims.cases).map(([caseName, testCase], i) => [caseName, testCase, i] as const);

  it.each(cases)(`matches a float64 ${mode} pooling, forward and backward (%s)`, (_, testCase, i) => {
    const layer = create(testCase.options);
    const outputShape = layer.build(testCase.input.slice(1), createBuildContext());
    const geometry = dims.geometry(testCase.input, layer);
    const size = testCase.input.reduce((a, b) => a * b, 1);
    const x = uniform(randomGenerator(30 * i), size, -2, 2);
    const probe = poolReference(geometry, mode, x, []);
    const dyValues = uniform(randomGenerator(30 * i + 1), probe.y.length, -1, 1);
    const ref = poolReference(geometry, mode, x, dyValues);
    const refShape = dims.outputOf(ref.shape);
    expect(outputShape).toEqual(refShape.slice(1));
    const xt = tf.tensor(x, testCase.input);
    const dy = tf.tensor(dyValues, refShape);
    const y = layer.call(xt, callContext(false));
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dy, layer.call(t, callContext(true)))))(xt);
    expect(y.shape).toEqual(refShape);
    expect(closeness(y.dataSync(), ref.y, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    expect(closeness(dx.dataSync(), ref.dx, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    tf.dispose([xt, dy, y, dx]);
  });

  it(`matches tfjs-layers' ${name} forward`, () => {
    const testCase = dims.cases['same 3, stride 2']!;
    const layer = create(testCase.options);
    layer.build(testCase.input.slice(1), createBuildContext());
    const xt = tf.tensor(
      uniform(
        randomGenerator(3),
        testCase.input.reduce((a, b) => a * b, 1),
        -2,
        2,
      ),
      testCase.input,
    );
    const y = layer.call(xt, callContext(false));
    const yo = tfl.layers[name]({poolSize: 3, strides: 2, padding: 'same'}).apply(xt) as tf.Tensor;
    expect(y.shape).toEqual(yo.shape);
    expect(closeness(y.dataSync(), yo.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    tf.dispose([xt, y, yo]);
  });

  it('has Keras defaults (poolSize 2, strides = poolSize, valid) and a spec that round-trips', () => {
    const layer = create();
    expect(layer.build(dims.defaultInput, createBuildContext())).toEqual(dims.defaultOutput);
    expect(layer.spec).toEqual({
      id: `trellis/${name}`,
      config: {name: '', ...{poolSize: dims.defaultWindow, strides: dims.defaultWindow, padding: 'valid', dataFormat: 'channelsLast'}},
    });
    const named = create({poolSize: 3, strides: 1, padding: 'same', name: 'p', inputShape: dims.namedInputShape});
    expect(JSON.parse(JSON.stringify(named.spec))).toEqual(named.spec);
    const registry = createRegistry(layersPlugin);
    expect(registry.resolve('layer', named.spec).spec).toEqual(named.spec);
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options with ConfigError and inputs it cannot take with ShapeError', () => {
    for (const options of dims.invalidOptions) {
      expect(() => create(options as never), JSON.stringify(options)).toThrow(ConfigError);
    }
    const layer = create({name: 'p'});
    expect(() => layer.build(dims.wrongRank, createBuildContext())).toThrow(`${name} layer 'p' ${dims.rankMessage}`);
    expect(() => layer.build(dims.tooSmall, createBuildContext())).toThrow(ShapeError);
    expect(() => layer.build(dims.tooSmall, createBuildContext())).toThrow(dims.windowMessage);
    expect(create({padding: 'same'}).build(dims.tooSmall, createBuildContext())).toBeDefined();
    const x = tf.zeros(dims.callInput);
    expect(() => create().call(x, callContext(false))).toThrow(StateError);
    layer.build(dims.otherBuild, createBuildContext());
    expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const layer = create({padding: 'same', poolSize: 3, strides: 2});
    layer.build(dims.leakInput.slice(1), createBuildContext());
    const x = tf.ones(dims.leakInput);
    await expectNoTensorLeaks(() => {
      tf.dispose(layer.call(x, callContext(false)));
      tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(layer.call(t, callContext(true))))(x));
    });
    x.dispose();
  });
});
