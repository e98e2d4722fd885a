import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, Sequential, ShapeError, StateError, createRegistry, setSeed, type CallContext} from '@trellis/core';
import {initializersPlugin} from '@trellis/initializers';
import {catchError, expectNoTensorLeaks, plainSgd, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {batchNormalization, dense, layersPlugin, meanSquaredError} from './index';
import {callContext, closeness, uniform} from '../test/testing';
import {contextsDisposedAfterEach} from '../test/build-contexts';
import {expectCallRefusesShape} from '../test/layer-errors';
import {expectNormalizationMatches} from '../test/normalization-runs';

const context = contextsDisposedAfterEach('batch_normalization');

/** A training call context that records `updateState` calls (values are owned by the test). */
function recordingContext(): CallContext & {updates: Array<[tf.Variable, tf.Tensor]>} {
  const updates: Array<[tf.Variable, tf.Tensor]> = [];
  return {training: true, nextSeed: () => 1, updateState: (v, value) => updates.push([v, tf.keep(value)]), updates};
}

type Reference = {y: number[]; dx: number[]; dgamma: number[]; dbeta: number[]; mean: number[]; variance: number[]};

/**
 * Batch normalization in float64 over `x` of `shape` normalized along `axis`,
 * with the vector-Jacobian products for the cotangent `dy`.
 */
function reference(
  x: number[],
  dy: number[],
  shape: number[],
  axis: number,
  p: {gamma: number[]; beta: number[]; movingMean: number[]; movingVariance: number[]; epsilon: number; training: boolean},
): Reference {
  const features = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const featureOf = (i: number) => Math.floor(i / inner) % features;
  const n = x.length / features;
  const mean = new Array<number>(features).fill(0);
  const variance = new Array<number>(features).fill(0);
  x.forEach((v, i) => (mean[featureOf(i)]! += v / n));
  x.forEach((v, i) => (variance[featureOf(i)]! += (v - mean[featureOf(i)]!) ** 2 / n));
  const m = p.training ? mean : p.movingMean;
  const s2 = p.training ? variance : p.movingVariance;
  const inv = s2.map((s) => 1 / Math.sqrt(s + p.epsilon));
  const xhat = x.map((v, i) => (v - m[featureOf(i)]!) * inv[featureOf(i)]!);
  const y = xhat.map((h, i) => h * p.gamma[featureOf(i)]! + p.beta[featureOf(i)]!);
  const dgamma = new Array<number>(features).fill(0);
  const dbeta = new Array<number>(features).fill(0);
  dy.forEach((d, i) => {
    dgamma[featureOf(i)]! += d * xhat[i]!;
    dbeta[featureOf(i)]! += d;
  });
  const dx = dy.map((d, i) => {
    const f = featureOf(i);
    const scale = p.gamma[f]! * inv[f]!;
    return p.training ? (scale / n) * (n * d - dbeta[f]! - xhat[i]! * dgamma[f]!) : scale * d;
  });
  return {y, dx, dgamma, dbeta, mean, variance};
}

const EPSILON = 1e-3;

/** The float64 reference of a training call on `x` (`shape`, features on axis 1) with unit gamma and zero beta: its batch moments. */
function batchMoments(x: number[], shape: number[]): Reference {
  return reference(x, x, shape, 1, {
    gamma: [1, 1, 1],
    beta: [0, 0, 0],
    movingMean: [],
    movingVariance: [],
    epsilon: EPSILON,
    training: true,
  });
}

describe('batchNormalization', () => {
  for (const {shape, axis, training} of [
    {shape: [8, 5], axis: -1, training: true},
    {shape: [8, 5], axis: -1, training: false},
    {shape: [3, 4, 2, 3], axis: 1, training: true},
    {shape: [3, 4, 2, 3], axis: 1, training: false},
    {shape: [2, 3, 6], axis: -1, training: true},
  ]) {
    it(`matches a float64 reference, forward and backward (input ${JSON.stringify(shape)}, axis ${axis}, training ${training})`, () => {
      const rank = shape.length;
      const a = axis < 0 ? axis + rank : axis;
      const features = shape[a]!;
      const random = randomGenerator(shape.length * 10 + a + (training ? 1 : 0));
      const n = shape.reduce((p, q) => p * q, 1);
      const xs = uniform(random, n, -3, 5);
      const dys = uniform(random, n, -1, 1);
      const p = {
        gamma: uniform(random, features, 0.5, 1.5),
        beta: uniform(random, features, -0.5, 0.5),
        movingMean: uniform(random, features, -1, 1),
        movingVariance: uniform(random, features, 0.5, 2),
        epsilon: EPSILON,
        training,
      };
      const layer = batchNormalization({axis});
      const c = context();
      expect(layer.build(shape.slice(1), c)).toEqual(shape.slice(1));
      layer.gamma!.assign(tf.tensor1d(p.gamma));
      layer.beta!.assign(tf.tensor1d(p.beta));
      layer.movingMean!.assign(tf.tensor1d(p.movingMean));
      layer.movingVariance!.assign(tf.tensor1d(p.movingVariance));
      const ref = reference(xs, dys, shape, a, p);

      expectNormalizationMatches(layer, {xs, dys, shape}, ref, {forwardTraining: training, backwardTraining: training});
    });
  }

  it("matches tfjs-layers' batchNormalization in inference and training", () => {
    const random = randomGenerator(5);
    const xs = uniform(random, 6 * 4, -2, 3);
    const gamma = uniform(random, 4, 0.5, 1.5);
    const beta = uniform(random, 4, -0.5, 0.5);
    const mm = uniform(random, 4, -1, 1);
    const mv = uniform(random, 4, 0.5, 2);
    const layer = batchNormalization();
    layer.build([4], context());
    layer.gamma!.assign(tf.tensor1d(gamma));
    layer.beta!.assign(tf.tensor1d(beta));
    layer.movingMean!.assign(tf.tensor1d(mm));
    layer.movingVariance!.assign(tf.tensor1d(mv));
    const oracle = tfl.layers.batchNormalization({
      weights: [tf.tensor1d(gamma), tf.tensor1d(beta), tf.tensor1d(mm), tf.tensor1d(mv)],
    });
    const x = tf.tensor2d(xs, [6, 4]);
    for (const training of [false, true]) {
      const ours = layer.call(x, callContext(training));
      const theirs = oracle.apply(x, {training}) as tf.Tensor;
      expect(closeness(ours.dataSync(), theirs.dataSync(), 1e-5, 1e-5)).toBeLessThanOrEqual(1);
      tf.dispose([ours, theirs]);
    }
    x.dispose();
    oracle.dispose();
  });

  it('asks for moving = moving·momentum + batch·(1 − momentum) with the biased batch variance, only in training', () => {
    const layer = batchNormalization({momentum: 0.8});
    layer.build([3], context());
    const xs = [1, 2, 3, 3, 0, -1, 5, 4, 2, -1, 6, 0];
    const x = tf.tensor2d(xs, [4, 3]);
    layer.movingMean!.assign(tf.tensor1d([0.5, -0.5, 1]));
    layer.movingVariance!.assign(tf.tensor1d([2, 1, 0.5]));
    const ctx = recordingContext();
    tf.dispose(layer.call(x, ctx));
    const ref = batchMoments(xs, [4, 3]);
    expect(ctx.updates.map(([v]) => v)).toEqual([layer.movingMean, layer.movingVariance]);
    const [mean, variance] = ctx.updates.map(([, v]) => Array.from(v.dataSync()));
    expect(
      closeness(
        mean!,
        [0.5, -0.5, 1].map((m, i) => m * 0.8 + ref.mean[i]! * 0.2),
        1e-6,
        1e-7,
      ),
    ).toBeLessThanOrEqual(1);
    expect(
      closeness(
        variance!,
        [2, 1, 0.5].map((m, i) => m * 0.8 + ref.variance[i]! * 0.2),
        1e-6,
        1e-7,
      ),
    ).toBeLessThanOrEqual(1);
    // The layer never assigns by itself, and inference asks for nothing.
    expect(Array.from(layer.movingMean!.dataSync())).toEqual([0.5, -0.5, 1]);
    const inference = {...recordingContext(), training: false};
    tf.dispose(layer.call(x, inference));
    expect(inference.updates).toEqual([]);
    tf.dispose([x, ...ctx.updates.map(([, v]) => v)]);
  });

  it('with trainable: false runs in inference mode in training too (the model then freezes gamma and beta)', () => {
    const layer = batchNormalization({trainable: false});
    expect(layer.trainable).toBe(false);
    const c = context();
    layer.build([2], c);
    // gamma and beta are trainable weights of a frozen layer: the model leaves them out while it is frozen.
    expect(c.requests.map((r) => [r.name, r.trainable ?? true])).toEqual([
      ['gamma', true],
      ['beta', true],
      ['moving_mean', false],
      ['moving_variance', false],
    ]);
    layer.movingMean!.assign(tf.tensor1d([1, 2]));
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const ctx = recordingContext();
    const y = layer.call(x, ctx);
    const expected = [0, 0, 2, 2].map((v) => v / Math.sqrt(1 + EPSILON));
    expect(closeness(y.dataSync(), expected, 1e-6, 1e-7)).toBeLessThanOrEqual(1);
    expect(ctx.updates).toEqual([]);
    tf.dispose([x, y]);
  });

  it('names its weights as Keras does and omits gamma/beta without scale/center', () => {
    const c = context();
    batchNormalization().build([4, 3], c);
    expect(c.requests.map((r) => [r.name, r.shape, r.trainable ?? true])).toEqual([
      ['gamma', [3], true],
      ['beta', [3], true],
      ['moving_mean', [3], false],
      ['moving_variance', [3], false],
    ]);
    const bare = context();
    const layer = batchNormalization({center: false, scale: false, axis: 1});
    layer.build([4, 3], bare);
    expect(bare.requests.map((r) => [r.name, r.shape])).toEqual([
      ['moving_mean', [4]],
      ['moving_variance', [4]],
    ]);
    const x = tf.tensor3d(uniform(randomGenerator(3), 2 * 4 * 3, -1, 1), [2, 4, 3]);
    const y = layer.call(x, callContext(false));
    // moving mean 0, variance 1: y = x / sqrt(1 + ε).
    expect(
      closeness(
        y.dataSync(),
        Array.from(x.dataSync()).map((v) => v / Math.sqrt(1 + EPSILON)),
        1e-6,
        1e-7,
      ),
    ).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    const layer = batchNormalization({
      axis: 1,
      momentum: 0.9,
      epsilon: 1e-5,
      center: false,
      trainable: false,
      name: 'bn',
      inputShape: [3, 2],
    });
    const again = registry.resolve('layer', layer.spec);
    expect(again.spec).toEqual(layer.spec);
    expect(layer.spec.config).toMatchObject({gammaInitializer: {id: 'trellis/ones'}, movingVarianceInitializer: {id: 'trellis/ones'}});
    const defaults = batchNormalization();
    expect(createRegistry(layersPlugin, initializersPlugin).resolve('layer', defaults.spec).spec).toEqual(defaults.spec);
    expect(defaults.spec.config).toMatchObject({axis: -1, momentum: 0.99, epsilon: 1e-3, center: true, scale: true});
  });

  it('rejects bad options with a ConfigError naming the option', () => {
    for (const [options, text] of [
      [{momentum: 1.5}, 'momentum'],
      [{epsilon: 0}, 'epsilon'],
      [{axis: 0}, 'batch axis'],
      [{axis: 1.5}, 'axis'],
      [{center: 'yes'}, 'center'],
      [{gammaInitializer: () => 1}, 'gammaInitializer'],
    ] as const) {
      const error = catchError(() => batchNormalization(options as never));
      expect(ConfigError.is(error)).toBe(true);
      expect((error as Error).message).toContain(text);
    }
  });

  it('rejects a bad axis at build and a wrong input at call with a ShapeError naming the layer and shapes', () => {
    const error = catchError(() => batchNormalization({axis: 3, name: 'bn'}).build([4, 3], context()));
    expect(ShapeError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/batchNormalization layer 'bn'.*axis 3.*\[4, 3\]/);
    const layer = batchNormalization({name: 'bn'});
    expect(StateError.is(catchError(() => layer.call(tf.zeros([2, 3]), callContext(false))))).toBe(true);
    layer.build([3], context());
    expectCallRefusesShape(layer, [2, 4], true, /batchNormalization layer 'bn'.*\[batch, 3\].*\[2, 4\]/);
  });
});

describe('batchNormalization in a Sequential model', () => {
  const SAMPLES = 32;
  const FEATURES = 3;
  const xs = uniform(randomGenerator(11), SAMPLES * FEATURES, -2, 4);
  const ys = uniform(randomGenerator(12), SAMPLES, -1, 1);

  function model() {
    const m = new Sequential([batchNormalization({momentum: 0.9, inputShape: [FEATURES]}), dense({units: 1})]);
    m.compile({optimizer: plainSgd(0.05), loss: meanSquaredError()});
    return m;
  }
  /** The model seeded with `seed`, and the training data as tensors (owned by the caller). */
  function seededRun(seed: number) {
    setSeed(seed);
    const m = model();
    return {m, x: tf.tensor2d(xs, [SAMPLES, FEATURES]), y: tf.tensor2d(ys, [SAMPLES, 1])};
  }
  const movingStats = (m: Sequential) => {
    const w = m.getWeights();
    const values = [w['batch_normalization/moving_mean']!, w['batch_normalization/moving_variance']!].map((t) => Array.from(t.dataSync()));
    tf.dispose(Object.values(w));
    return values;
  };

  it('keeps the moving statistics out of the optimizer', () => {
    setSeed(1);
    const m = model();
    expect(m.weights.map((w) => [w.name, w.trainable])).toEqual([
      ['batch_normalization/gamma', true],
      ['batch_normalization/beta', true],
      ['batch_normalization/moving_mean', false],
      ['batch_normalization/moving_variance', false],
      ['dense/kernel', true],
      ['dense/bias', true],
    ]);
    expect(m.trainableWeights.map((w) => w.name)).toEqual([
      'batch_normalization/gamma',
      'batch_normalization/beta',
      'dense/kernel',
      'dense/bias',
    ]);
    m.dispose();
  });

  it('updates the moving statistics in fit (once per step, from the batch moments) and never in evaluate or predict', async () => {
    const {m, x, y} = seededRun(2);
    await m.fit(x, y, {epochs: 2, batchSize: 8, shuffle: false});
    // The layer sees the raw inputs, so the expected statistics follow from the batches alone.
    let mean = [0, 0, 0];
    let variance = [1, 1, 1];
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let start = 0; start < SAMPLES; start += 8) {
        const batch = xs.slice(start * FEATURES, (start + 8) * FEATURES);
        const r = batchMoments(batch, [8, FEATURES]);
        mean = mean.map((v, i) => v * 0.9 + r.mean[i]! * 0.1);
        variance = variance.map((v, i) => v * 0.9 + r.variance[i]! * 0.1);
      }
    }
    const [fitMean, fitVariance] = movingStats(m);
    expect(closeness(fitMean!, mean, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    expect(closeness(fitVariance!, variance, 1e-5, 1e-6)).toBeLessThanOrEqual(1);

    await m.evaluate(x, y, {batchSize: 8});
    tf.dispose(m.predict(x, {batchSize: 8}));
    expect(movingStats(m)).toEqual([fitMean, fitVariance]);
    // Inference normalizes with the moving statistics.
    const w = m.getWeights();
    const expected = tf.tidy(() => {
      const bn = tf.add(
        tf.mul(
          tf.div(tf.sub(x, w['batch_normalization/moving_mean']!), tf.sqrt(tf.add(w['batch_normalization/moving_variance']!, EPSILON))),
          w['batch_normalization/gamma']!,
        ),
        w['batch_normalization/beta']!,
      );
      return tf.add(tf.matMul(bn, w['dense/kernel']!), w['dense/bias']!);
    });
    const predicted = m.predict(x);
    expect(closeness(predicted.dataSync(), expected.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    tf.dispose([x, y, expected, predicted, ...Object.values(w)]);
    m.dispose();
  });

  it('leaks no tensor across epochs and fits', async () => {
    const {m, x, y} = seededRun(3);
    await expectNoTensorLeaks(async () => {
      await m.fit(x, y, {epochs: 2, batchSize: 8});
      await m.evaluate(x, y);
    });
    tf.dispose([x, y]);
    m.dispose();
  });

  it('is deterministic: the same seed gives bit-identical weights, moving statistics included', async () => {
    const run = async () => {
      const {m, x, y} = seededRun(4);
      await m.fit(x, y, {epochs: 2, batchSize: 8});
      const w = m.getWeights();
      const values = Object.fromEntries(Object.entries(w).map(([k, t]) => [k, Array.from(t.dataSync())]));
      tf.dispose([x, y, ...Object.values(w)]);
      m.dispose();
      return values;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a['batch_normalization/moving_mean']).not.toEqual([0, 0, 0]);
  });
});
