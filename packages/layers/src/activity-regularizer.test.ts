import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, Sequential, createRegistry, setSeed, withSpec, type CallContext, type Layer, type Regularizer} from '@trellis/core';
import {catchError, expectNoTensorLeaks, plainSgd, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {conv1d, conv2d, conv2dTranspose, dense, depthwiseConv2d, embedding, meanSquaredError, separableConv2d} from './index';
import {layersPlugin} from './plugin';
import {callContext, uniform} from '../test/testing';
import {contextsDisposedAfterEach} from '../test/build-contexts';

const context = contextsDisposedAfterEach('layer');

/** `rate · sum(x²)`, a regularizer known only to these tests. */
function l2(rate: number): Regularizer {
  return withSpec({id: 'test/l2', config: {l2: rate}}, (x: tf.Tensor) => tf.mul(rate, tf.sum(tf.square(x))) as tf.Scalar);
}

/** A context offering `addLoss`, keeping what it receives (as the model's contexts do). */
function collecting(training: boolean): {context: CallContext; penalties: tf.Scalar[]} {
  const penalties: tf.Scalar[] = [];
  return {context: {...callContext(training), addLoss: (p) => void penalties.push(tf.keep(p))}, penalties};
}

const BATCH = 3;

/** Each layer of the option with an input for it: `[factory(options), inputShape, x]`. */
const LAYERS: ReadonlyArray<[string, (options: {activityRegularizer?: Regularizer}) => Layer, number[], () => tf.Tensor]> = [
  ['dense', (o) => dense({units: 4, activation: 'tanh', ...o}), [5], () => input([BATCH, 5])],
  ['conv1d', (o) => conv1d({filters: 2, kernelSize: 3, activation: 'relu', ...o}), [6, 2], () => input([BATCH, 6, 2])],
  ['conv2d', (o) => conv2d({filters: 2, kernelSize: 2, activation: 'sigmoid', ...o}), [4, 4, 1], () => input([BATCH, 4, 4, 1])],
  ['conv2dTranspose', (o) => conv2dTranspose({filters: 2, kernelSize: 2, strides: 2, ...o}), [3, 3, 2], () => input([BATCH, 3, 3, 2])],
  [
    'depthwiseConv2d',
    (o) => depthwiseConv2d({kernelSize: 2, depthMultiplier: 2, activation: 'relu', ...o}),
    [4, 4, 2],
    () => input([BATCH, 4, 4, 2]),
  ],
  [
    'separableConv2d',
    (o) => separableConv2d({filters: 3, kernelSize: 2, activation: 'tanh', ...o}),
    [4, 4, 2],
    () => input([BATCH, 4, 4, 2]),
  ],
  [
    'embedding',
    (o) => embedding({inputDim: 7, outputDim: 3, ...o}),
    [4],
    () => tf.tensor2d([0, 6, 2, 3, 1, 1, 5, 4, 0, 2, 6, 3], [BATCH, 4], 'int32'),
  ],
];

function input(shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(uniform(randomGenerator(n), n, -1.5, 1.5), shape);
}

function built(factory: (options: {activityRegularizer?: Regularizer}) => Layer, inputShape: number[], rate?: number): Layer {
  const layer = factory(rate === undefined ? {} : {activityRegularizer: l2(rate)});
  layer.build(inputShape, context(layer.name || 'layer'));
  return layer;
}

describe('activityRegularizer', () => {
  for (const [name, factory, inputShape, makeInput] of LAYERS) {
    describe(name, () => {
      it('adds regularizer(output) / batch through addLoss, in training and inference calls alike', async () => {
        const layer = built(factory, inputShape, 0.01);
        const x = makeInput();
        for (const training of [true, false]) {
          const {context, penalties} = collecting(training);
          const y = layer.call(x, context);
          expect(penalties).toHaveLength(1);
          expect(penalties[0]!.shape).toEqual([]);
          const out = Array.from(await y.data(), Number);
          const expected = (0.01 * out.reduce((s, v) => s + v * v, 0)) / BATCH;
          expect(expected).toBeGreaterThan(0);
          expect(Math.abs((await penalties[0]!.data())[0]! - expected)).toBeLessThanOrEqual(1e-6 * expected);
          tf.dispose([y, ...penalties]);
        }
        x.dispose();
      });

      it('adds nothing without addLoss (predict), and the output does not change', async () => {
        const layer = built(factory, inputShape, 0.01);
        const x = makeInput();
        const {context, penalties} = collecting(true);
        const withPenalty = layer.call(x, context);
        await expectNoTensorLeaks(() => tf.dispose(layer.call(x, callContext(false))));
        const without = layer.call(x, callContext(true));
        expect(Array.from(await without.data())).toEqual(Array.from(await withPenalty.data()));
        tf.dispose([x, withPenalty, without, ...penalties]);
      });

      it('calls no addLoss without the option', () => {
        const layer = built(factory, inputShape);
        const x = makeInput();
        const {context, penalties} = collecting(true);
        tf.dispose(layer.call(x, context));
        expect(penalties).toHaveLength(0);
        x.dispose();
      });

      it('has the option in its spec, which round-trips through the registry', () => {
        const layer = factory({activityRegularizer: l2(0.02)});
        const spec = layer.spec;
        expect((spec.config as Record<string, unknown>).activityRegularizer).toEqual({id: 'test/l2', config: {l2: 0.02}});
        expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
        const registry = createRegistry(layersPlugin);
        registry.register('regularizer', 'test/l2', (config) => l2((config as {l2: number}).l2));
        const resolved = registry.resolve('layer', spec) as Layer;
        expect(resolved.spec).toEqual(spec);
        expect(factory({}).spec.config).toMatchObject({activityRegularizer: null});
      });

      it('rejects an activityRegularizer that is not a Trellis object with a spec', () => {
        const error = catchError(() => factory({activityRegularizer: ((x: tf.Tensor) => tf.sum(x)) as unknown as Regularizer}));
        expect(ConfigError.is(error)).toBe(true);
        expect(error.message).toContain('activityRegularizer');
      });
    });
  }
});

describe('activityRegularizer in fit and evaluate', () => {
  const N = 4;
  const IN = 3;
  const UNITS = 2;
  const RATE = 0.05;
  const LR = 0.1;
  const xs = uniform(randomGenerator(11), N * IN, -1, 1);
  const ts = uniform(randomGenerator(12), N * UNITS, -1, 1);
  const k0 = uniform(randomGenerator(13), IN * UNITS, -1, 1);
  const b0 = uniform(randomGenerator(14), UNITS, -0.5, 0.5);

  /** Loss and one SGD step of tanh(x·K + b) with mse and the activity penalty, in float64. */
  function reference(rate: number) {
    const out: number[] = [];
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < UNITS; j++) {
        let z = b0[j]!;
        for (let k = 0; k < IN; k++) z += xs[i * IN + k]! * k0[k * UNITS + j]!;
        out.push(Math.tanh(z));
      }
    }
    let mse = 0;
    let sumSq = 0;
    const dz = out.map((o, idx) => {
      const r = o - ts[idx]!;
      mse += (r * r) / (N * UNITS);
      sumSq += o * o;
      const dOut = (2 * r) / (N * UNITS) + (2 * rate * o) / N;
      return dOut * (1 - o * o);
    });
    const kernel = k0.map((w, idx) => {
      const k = Math.floor(idx / UNITS);
      const j = idx % UNITS;
      let g = 0;
      for (let i = 0; i < N; i++) g += xs[i * IN + k]! * dz[i * UNITS + j]!;
      return w - LR * g;
    });
    const bias = b0.map((w, j) => {
      let g = 0;
      for (let i = 0; i < N; i++) g += dz[i * UNITS + j]!;
      return w - LR * g;
    });
    return {loss: mse + (rate * sumSq) / N, kernel, bias};
  }

  function model(rate: number) {
    setSeed(1);
    const m = new Sequential([dense({units: UNITS, activation: 'tanh', activityRegularizer: l2(rate), inputShape: [IN]})]);
    m.compile({optimizer: plainSgd(LR), loss: meanSquaredError()});
    const initial = {'dense/kernel': tf.tensor2d(k0, [IN, UNITS]), 'dense/bias': tf.tensor1d(b0)};
    m.setWeights(initial);
    tf.dispose(Object.values(initial));
    return m;
  }

  function relativeError(actual: ArrayLike<number>, expected: readonly number[]): number {
    const scale = Math.max(...expected.map(Math.abs));
    return Math.max(...expected.map((e, i) => Math.abs(actual[i]! - e))) / scale;
  }

  it('adds the penalty to the loss and its gradient: one SGD step matches float64', async () => {
    const m = model(RATE);
    const x = tf.tensor2d(xs, [N, IN]);
    const y = tf.tensor2d(ts, [N, UNITS]);
    const history = await m.fit(x, y, {epochs: 1, batchSize: N, shuffle: false});
    const expected = reference(RATE);
    const plain = reference(0);
    // The penalty changes the numbers by far more than the tolerance: the comparison can fail.
    expect(Math.abs(expected.loss - plain.loss)).toBeGreaterThan(1e-2);
    expect(relativeError(plain.kernel, expected.kernel)).toBeGreaterThan(1e-3);
    expect(Math.abs(history.history.loss![0]! - expected.loss)).toBeLessThanOrEqual(1e-5 * expected.loss);
    const weights = m.getWeights();
    expect(relativeError(await weights['dense/kernel']!.data(), expected.kernel)).toBeLessThanOrEqual(1e-5);
    expect(relativeError(await weights['dense/bias']!.data(), expected.bias)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, y, ...Object.values(weights)]);
    m.dispose();
  });

  it('is in evaluate’s loss (as in Keras) and leaves predict unchanged; leaks nothing', async () => {
    const m = model(RATE);
    const reference0 = model(0);
    const x = tf.tensor2d(xs, [N, IN]);
    const y = tf.tensor2d(ts, [N, UNITS]);
    const logs = await m.evaluate(x, y, {batchSize: N});
    expect(Math.abs(logs.loss! - reference(RATE).loss)).toBeLessThanOrEqual(1e-5 * logs.loss!);
    const a = m.predict(x);
    const b = reference0.predict(x);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([a, b]);
    await expectNoTensorLeaks(async () => {
      await m.fit(x, y, {epochs: 2, batchSize: 3, validationData: [x, y]});
      await m.evaluate(x, y, {batchSize: 3});
      tf.dispose(m.predict(x));
    });
    tf.dispose([x, y]);
    m.dispose();
    reference0.dispose();
  });
});
