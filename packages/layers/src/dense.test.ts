import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, UnknownIdError, withSpec} from '@trellis/core';
import {glorotUniform, zeros} from '@trellis/initializers';
import {catchError, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {dense, relu} from './index';
import {callContext, closeness, kernelBiasSpecConfig, uniform} from '../test/testing';
import {contextsDisposedAfterEach} from '../test/build-contexts';

const context = contextsDisposedAfterEach('dense');

const BATCH = 5;
const IN = 4;
const UNITS = 3;
const random = randomGenerator(99);
const xs = uniform(random, BATCH * IN, -2, 2);
const ks = uniform(random, IN * UNITS, -1, 1);
const bs = uniform(random, UNITS, -0.5, 0.5);
const ws = uniform(random, BATCH * UNITS, -1, 1);

/** A dense layer built with the given kernel and bias values. */
function builtDense(activation: 'relu' | 'linear' | 'softmax' = 'relu') {
  const layer = dense({units: UNITS, activation, name: 'd'});
  const c = context();
  expect(layer.build([IN], c)).toEqual([UNITS]);
  layer.kernel!.assign(tf.tensor2d(ks, [IN, UNITS]));
  layer.bias!.assign(tf.tensor1d(bs));
  return {layer, c};
}

describe('dense', () => {
  it('matches a float64 manual computation, forward and backward (relu)', () => {
    const {layer} = builtDense('relu');
    const x = tf.tensor2d(xs, [BATCH, IN]);
    const w = tf.tensor2d(ws, [BATCH, UNITS]);
    const y = layer.call(x, callContext(false));
    const objective = (input: tf.Tensor) => tf.sum(tf.mul(w, layer.call(input, callContext(true)))) as tf.Scalar;
    const {grads} = tf.variableGrads(() => objective(x), [layer.kernel!, layer.bias!]);
    const dx = tf.grad(objective)(x);

    // Reference in float64.
    const z: number[] = [];
    for (let b = 0; b < BATCH; b++) {
      for (let u = 0; u < UNITS; u++) {
        let s = bs[u]!;
        for (let i = 0; i < IN; i++) s += xs[b * IN + i]! * ks[i * UNITS + u]!;
        z.push(s);
      }
    }
    const dy = z.map((v, i) => (v > 0 ? ws[i]! : 0));
    const dk = Array.from({length: IN * UNITS}, (_, j) => {
      const [i, u] = [Math.floor(j / UNITS), j % UNITS];
      let s = 0;
      for (let b = 0; b < BATCH; b++) s += xs[b * IN + i]! * dy[b * UNITS + u]!;
      return s;
    });
    const db = Array.from({length: UNITS}, (_, u) => {
      let s = 0;
      for (let b = 0; b < BATCH; b++) s += dy[b * UNITS + u]!;
      return s;
    });
    const dxRef = Array.from({length: BATCH * IN}, (_, j) => {
      const [b, i] = [Math.floor(j / IN), j % IN];
      let s = 0;
      for (let u = 0; u < UNITS; u++) s += dy[b * UNITS + u]! * ks[i * UNITS + u]!;
      return s;
    });

    expect(y.shape).toEqual([BATCH, UNITS]);
    expect(
      closeness(
        y.dataSync(),
        z.map((v) => Math.max(v, 0)),
        1e-5,
        1e-6,
      ),
    ).toBeLessThanOrEqual(1);
    expect(closeness(grads[layer.kernel!.name]!.dataSync(), dk, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    expect(closeness(grads[layer.bias!.name]!.dataSync(), db, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    expect(closeness(dx.dataSync(), dxRef, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    tf.dispose([x, w, y, dx, ...Object.values(grads)]);
  });

  for (const [activation, inputShape] of [
    ['relu', [BATCH, IN]],
    ['softmax', [BATCH, IN]],
    ['linear', [2, 3, IN]],
    ['relu', [2, 2, 2, IN]],
  ] as const) {
    it(`matches tfjs-layers' dense with the same weights (${activation}, input ${JSON.stringify(inputShape)})`, () => {
      const {layer} = builtDense(activation);
      const n = inputShape.reduce((a, b) => a * b, 1);
      const rnd = randomGenerator(n);
      const x = tf.tensor(uniform(rnd, n, -2, 2), [...inputShape]);
      const w = tf.tensor(uniform(rnd, (n / IN) * UNITS, -1, 1), [...inputShape.slice(0, -1), UNITS]);
      const oracle = tfl.layers.dense({
        units: UNITS,
        activation,
        weights: [tf.tensor2d(ks, [IN, UNITS]), tf.tensor1d(bs)],
      });

      const ours = (input: tf.Tensor) => tf.sum(tf.mul(w, layer.call(input, callContext(true)))) as tf.Scalar;
      const theirs = (input: tf.Tensor) => tf.sum(tf.mul(w, oracle.apply(input) as tf.Tensor)) as tf.Scalar;
      const y = layer.call(x, callContext(false));
      const yo = oracle.apply(x) as tf.Tensor;
      expect(y.shape).toEqual([...inputShape.slice(0, -1), UNITS]);
      expect(closeness(y.dataSync(), yo.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);

      const g = tf.variableGrads(() => ours(x), [layer.kernel!, layer.bias!]).grads;
      const oracleVars = oracle.trainableWeights.map((v) => v.read() as tf.Variable);
      const go = tf.variableGrads(() => theirs(x), oracleVars).grads;
      expect(closeness(g[layer.kernel!.name]!.dataSync(), go[oracleVars[0]!.name]!.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      expect(closeness(g[layer.bias!.name]!.dataSync(), go[oracleVars[1]!.name]!.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      const dx = tf.grad(ours)(x);
      const dxo = tf.grad(theirs)(x);
      expect(closeness(dx.dataSync(), dxo.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      tf.dispose([x, w, y, yo, dx, dxo, ...Object.values(g), ...Object.values(go)]);
      oracle.dispose();
    });
  }

  it('runs a plain matmul: no fused kernel, and no input gradient when only weights need one', async () => {
    const {layer} = builtDense('relu');
    const x = tf.tensor2d(xs, [BATCH, IN]);
    const info = await tf.profile(() => {
      const {value, grads} = tf.variableGrads(() => tf.sum(layer.call(x, callContext(true))) as tf.Scalar, [layer.kernel!, layer.bias!]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    const names = info.kernels.map((k) => k.name);
    expect(names).not.toContain('_FusedMatMul');
    // One product forward, one for the kernel gradient; none for the input gradient.
    expect(names.filter((n) => n === 'BatchMatMul')).toHaveLength(2);
    x.dispose();
  });

  it('creates its weights through the context with Keras defaults', () => {
    const layer = dense({units: 6});
    const c = context();
    expect(layer.build([3, 5], c)).toEqual([3, 6]);
    expect(c.requests.map((r) => [r.name, r.shape, r.trainable, r.initializer.spec.id])).toEqual([
      ['kernel', [5, 6], true, 'trellis/glorotUniform'],
      ['bias', [6], true, 'trellis/zeros'],
    ]);
    const limit = Math.sqrt(6 / (5 + 6));
    const k = Array.from(layer.kernel!.dataSync());
    expect(k.every((v) => Math.abs(v) <= limit)).toBe(true);
    expect(new Set(k).size).toBeGreaterThan(20);
    expect(Array.from(layer.bias!.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(layer.activation.spec.id).toBe('trellis/linear');
  });

  it('passes regularizers and constraints through, and skips the bias with useBias: false', () => {
    const reg = withSpec({id: 'acme/l2', config: {factor: 0.1}}, (w: tf.Tensor) => tf.mul(0.1, tf.sum(tf.square(w))) as tf.Scalar);
    const cons = withSpec({id: 'acme/nonNeg', config: {}}, (w: tf.Tensor) => tf.relu(w));
    const layer = dense({units: 2, useBias: false, kernelRegularizer: reg, kernelConstraint: cons, activation: relu});
    const c = context();
    layer.build([3], c);
    expect(c.requests).toHaveLength(1);
    expect(c.requests[0]!.regularizer).toBe(reg);
    expect(c.requests[0]!.constraint).toBe(cons);
    expect(layer.bias).toBeNull();
    expect(layer.spec.config.kernelRegularizer).toEqual({id: 'acme/l2', config: {factor: 0.1}});
    expect(layer.spec.config.biasRegularizer).toBeNull();
    const x = tf.ones([2, 3]);
    const y = layer.call(x, callContext(false));
    const k = layer.kernel!.arraySync() as number[][];
    const expected = [0, 1].map((u) => Math.max(0, k[0]![u]! + k[1]![u]! + k[2]![u]!));
    expect(closeness(y.dataSync(), [...expected, ...expected], 1e-6, 1e-7)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('casts int32 inputs to float32', () => {
    const {layer} = builtDense('linear');
    const xi = tf.tensor2d([1, 2, 3, 4], [1, IN], 'int32');
    const xf = tf.tensor2d([1, 2, 3, 4], [1, IN]);
    const yi = layer.call(xi, callContext(false));
    const yf = layer.call(xf, callContext(false));
    expect(yi.dtype).toBe('float32');
    expect(Array.from(yi.dataSync())).toEqual(Array.from(yf.dataSync()));
    tf.dispose([xi, xf, yi, yf]);
  });

  it('has a JSON spec with every option', () => {
    const layer = dense({units: 10, activation: 'softmax', inputShape: [784], name: 'out', kernelInitializer: glorotUniform({seed: 3})});
    expect(layer.spec).toEqual({
      id: 'trellis/dense',
      config: {
        name: 'out',
        units: 10,
        ...kernelBiasSpecConfig('softmax', 3),
        inputShape: [784],
      },
    });
    expect(JSON.parse(JSON.stringify(layer.spec))).toEqual(layer.spec);
    layer.name = 'renamed';
    expect(layer.spec.config.name).toBe('renamed');
    expect(dense({units: 1}).spec.config).not.toHaveProperty('inputShape');
  });

  it('rejects invalid options with ConfigError', () => {
    for (const units of [0, -1, 1.5, Number.NaN, '3', undefined]) {
      expect(() => dense({units: units as number})).toThrow(ConfigError);
    }
    expect(() => dense({units: 1, name: 'a/b'})).toThrow(ConfigError);
    expect(() => dense({units: 1, inputShape: [0]})).toThrow(ConfigError);
    expect(() => dense({units: 1, inputShape: [2.5]})).toThrow(ConfigError);
    expect(() => dense({units: 1, useBias: 'yes' as never})).toThrow(ConfigError);
    expect(() => dense({units: 1, kernelInitializer: ((s: number[]) => tf.zeros(s)) as never})).toThrow(ConfigError);
    expect(() => dense({units: 1, activation: 'sparsemax' as never})).toThrow(UnknownIdError);
    expect(() => dense(null as never)).toThrow(ConfigError);
    expect(catchError(() => dense({units: 0})).message).toBe('dense: units must be a positive integer (output features); got 0 (number).');
  });

  it('throws ShapeError naming the layer and both shapes on an incompatible input shape', () => {
    const scalarInput = dense({units: 2, name: 'head'});
    expect(() => scalarInput.build([], context())).toThrow(/dense layer 'head'.*\[\]/);
    expect(() => scalarInput.build([], context())).toThrow(ShapeError);

    const declared = dense({units: 2, name: 'first', inputShape: [4]});
    expect(() => declared.build([5], context())).toThrow(ShapeError);
    expect(() => declared.build([5], context())).toThrow("dense layer 'first' declares inputShape [4] but was built with [5]");

    const {layer} = builtDense();
    const wrong = tf.zeros([2, IN + 1]);
    expect(() => layer.call(wrong, callContext(false))).toThrow(ShapeError);
    expect(() => layer.call(wrong, callContext(false))).toThrow('[batch, ..., 4]; got [2, 5]');
    wrong.dispose();

    const unbuilt = dense({units: 2});
    const x = tf.zeros([1, 2]);
    expect(() => unbuilt.call(x, callContext(false))).toThrow(StateError);
    x.dispose();
  });

  it('uses explicit initializers', () => {
    const layer = dense({
      units: 2,
      kernelInitializer: zeros(),
      biasInitializer: withSpec({id: 'acme/ones', config: {}}, (s: readonly number[]) => tf.ones([...s])),
    });
    layer.build([2], context());
    expect(Array.from(layer.kernel!.dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(layer.bias!.dataSync())).toEqual([1, 1]);
  });

  it('leaks no tensors in forward and backward passes, nor when it throws', async () => {
    const {layer} = builtDense('softmax');
    const x = tf.tensor2d(xs, [BATCH, IN]);
    const bad = tf.zeros([BATCH, IN + 2]);
    await expectNoTensorLeaks(() => {
      tf.dispose(tf.tidy(() => layer.call(x, callContext(false))));
      const {value, grads} = tf.variableGrads(() => tf.sum(layer.call(x, callContext(true))) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
      expect(() => layer.call(bad, callContext(false))).toThrow(ShapeError);
    });
    expect(x.isDisposed).toBe(false);
    tf.dispose([x, bad]);
  });
});
