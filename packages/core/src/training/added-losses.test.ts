import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {constantInit, mse, sgd} from '../../test/fixtures';
import {DTypeError, Sequential, ShapeError, setSeed, withSpec, type Layer, type Regularizer} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const PENALTY_RATE = 0.1;

/**
 * `y = x · scale` (`scale` starts at 1) that adds `PENALTY_RATE · sum(y²)` to
 * the loss through `addLoss`, and counts the calls that offered `addLoss`.
 * `bad` makes it add a non-scalar or an int32 penalty.
 */
function penalized(options: {kernelPenalty?: number; bad?: 'shape' | 'dtype'} = {}) {
  let scale: tf.Variable;
  const offered: boolean[] = [];
  const regularizer = options.kernelPenalty
    ? (withSpec({id: 'test/l1', config: {}}, (w: tf.Tensor) => tf.mul(options.kernelPenalty!, tf.sum(tf.abs(w)))) as Regularizer)
    : undefined;
  const layer: Layer = {
    name: 'penalized',
    inputShape: [1],
    spec: {id: 'test/penalized', config: {}},
    build(inputShape, context) {
      scale = context.addWeight({
        name: 'scale',
        shape: [1],
        initializer: constantInit(1),
        ...(regularizer ? {regularizer} : {}),
      });
      return inputShape;
    },
    call(input, context) {
      offered.push(context.addLoss !== undefined);
      // Runs inside its own tidy, as the layers of @trellis/layers do: the context must keep the penalty.
      // The bad cases use only ops that save no tensor for the backward pass: tfjs keeps
      // those when a forward pass throws, which would hide what the step itself leaks.
      return tf.tidy(() => {
        if (options.bad === 'shape') context.addLoss?.(tf.ones([2]) as tf.Scalar);
        if (options.bad === 'dtype') context.addLoss?.(tf.scalar(1, 'int32'));
        if (options.bad) return tf.clone(input);
        const y = tf.mul(input, scale);
        context.addLoss?.(tf.mul(PENALTY_RATE, tf.sum(tf.square(y))));
        return y;
      });
    },
  };
  return {layer, offered, scale: () => scale.dataSync()[0]!};
}

const xs = [1, 2, 3, 4];
const ts = [2, 4, 6, 8];

/** A model of one {@link penalized} layer, made after `setSeed(1)` and compiled with SGD at `learningRate` on {@link mse}. */
function penalizedModel(learningRate: number, options: Parameters<typeof penalized>[0] = {}) {
  setSeed(1);
  const p = penalized(options);
  const model = new Sequential([p.layer]);
  model.compile({optimizer: sgd(learningRate), loss: mse});
  return {p, model};
}

function data() {
  return {x: tf.tensor2d(xs, [4, 1]), y: tf.tensor2d(ts, [4, 1])};
}

/** Loss and d(loss)/d(scale) of one batch in float64: mse + PENALTY_RATE·sum((s·x)²) + kernelPenalty·|s|. */
function reference(s: number, rows: number[], kernelPenalty = 0) {
  const x = rows.map((i) => xs[i]!);
  const t = rows.map((i) => ts[i]!);
  const n = x.length;
  let mseValue = 0;
  let grad = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const r = s * x[i]! - t[i]!;
    mseValue += (r * r) / n;
    grad += (2 * r * x[i]!) / n;
    sumSq += x[i]! * x[i]!;
  }
  const loss = mseValue + PENALTY_RATE * s * s * sumSq + kernelPenalty * Math.abs(s);
  grad += 2 * PENALTY_RATE * s * sumSq + kernelPenalty * Math.sign(s);
  return {loss, grad};
}

describe('CallContext.addLoss', () => {
  it('adds the penalty to the training loss and its gradient (one SGD step against float64)', async () => {
    const {p, model} = penalizedModel(0.01);
    const {x, y} = data();
    const history = await model.fit(x, y, {epochs: 1, batchSize: 4, shuffle: false});
    const expected = reference(1, [0, 1, 2, 3]);
    expect(history.history.loss![0]).toBeCloseTo(expected.loss, 5);
    expect(p.scale()).toBeCloseTo(1 - 0.01 * expected.grad, 6);
    // The penalty matters: without it the loss would be 7.5 and the scale 1.15.
    expect(expected.loss).toBeCloseTo(10.5, 10);
    expect(1 - 0.01 * expected.grad).toBeCloseTo(1.09, 10);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('reports the sample-weighted mean of the batch totals, weight penalties counted once', async () => {
    const {p, model} = penalizedModel(0.01, {kernelPenalty: 0.05});
    const {x, y} = data();
    const history = await model.fit(x, y, {epochs: 1, batchSize: 3, shuffle: false});
    // Batch 1: rows 0–2 at s = 1; batch 2: row 3 at the updated s.
    const first = reference(1, [0, 1, 2], 0.05);
    const s1 = 1 - 0.01 * first.grad;
    const second = reference(s1, [3], 0.05);
    expect(history.history.loss![0]).toBeCloseTo((3 * first.loss + second.loss) / 4, 5);
    expect(p.scale()).toBeCloseTo(s1 - 0.01 * second.grad, 6);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('is offered by evaluate (loss without gradients, as Keras) and validation, not by predict', async () => {
    const {p, model} = penalizedModel(0);
    const {x, y} = data();
    const logs = await model.evaluate(x, y, {batchSize: 3});
    const expected = (3 * reference(1, [0, 1, 2]).loss + reference(1, [3]).loss) / 4;
    expect(logs.loss).toBeCloseTo(expected, 5);
    expect(p.offered).toEqual([true, true]);
    p.offered.length = 0;
    tf.dispose(model.predict(x));
    expect(p.offered).toEqual([false]);
    p.offered.length = 0;
    const history = await model.fit(x, y, {epochs: 1, batchSize: 4, shuffle: false, validationData: [x, y]});
    expect(history.history.val_loss![0]).toBeCloseTo(reference(1, [0, 1, 2, 3]).loss, 5);
    expect(p.offered).toEqual([true, true]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('leaks nothing in fit, evaluate and predict', async () => {
    const {x, y} = data();
    const before = tf.memory().numTensors;
    const {model} = penalizedModel(0.01, {kernelPenalty: 0.05});
    await model.fit(x, y, {epochs: 2, batchSize: 3, validationData: [x, y]});
    await model.evaluate(x, y, {batchSize: 3});
    tf.dispose(model.predict(x));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  for (const [bad, ErrorClass, text] of [
    ['shape', ShapeError, 'addLoss needs a scalar tensor'],
    ['dtype', DTypeError, 'addLoss needs a float32 scalar; got int32'],
  ] as const) {
    it(`throws a ${ErrorClass.name} for a bad penalty (${bad}) in fit and evaluate, leaking nothing`, async () => {
      const {x, y} = data();
      const before = tf.memory().numTensors;
      const {p, model} = penalizedModel(0.01, {bad});
      const fitError = await model.fit(x, y, {epochs: 1, batchSize: 2}).catch((e: unknown) => e);
      expect(ErrorClass.is(fitError)).toBe(true);
      expect((fitError as Error).message).toContain(text);
      expect(p.scale()).toBe(1);
      const evalError = await model.evaluate(x, y).catch((e: unknown) => e);
      expect(ErrorClass.is(evalError)).toBe(true);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y]);
    });
  }
});
