// A layer in two models is one layer with one set of weights (Keras' transfer-learning recipe);
// cloneModel makes an independent copy.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Sequential, ShapeError, adam, createTrellis, dense, input, meanSquaredError, model, setSeed, type Registry} from '../index';
import {cloneModel} from '@trellis/core';
import {twoLayerRegressor} from '../../test/two-layer-regressor';

let registry: Registry;
let x: tf.Tensor;
let y: tf.Tensor;
beforeAll(async () => {
  ({registry} = await createTrellis({backend: 'cpu'}));
  x = tf.randomUniform([32, 3], -1, 1, 'float32', 1);
  y = tf.randomUniform([32, 2], -1, 1, 'float32', 2);
});
afterAll(() => tf.dispose([x, y]));

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

const modelA = () => twoLayerRegressor({seed: 7, inputs: 3, activation: 'relu'});

describe('a layer shared by two models', () => {
  it('keeps model A intact while model B is built, trained and disposed, and trains the shared weights for both', async () => {
    const a = modelA();
    await a.fit(x, y, {epochs: 3, batchSize: 8});
    const lossA = (await a.evaluate(x, y)).loss!;
    const predA = read(a.predict(x));
    const sharedKernel = read(a.getWeights()['dense/kernel']!);

    const b = new Sequential([...a.layers.slice(0, -1), dense({units: 1})]);
    b.build([3]);
    // B uses A's first layer and its variables, not fresh ones.
    expect(b.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    expect(b.weights[0]!.variable).toBe(a.weights[0]!.variable);
    expect(read(b.getWeights()['dense/kernel']!)).toEqual(sharedKernel);
    // Building B changed nothing of A.
    expect(read(a.predict(x))).toEqual(predA);
    expect((await a.evaluate(x, y)).loss).toBeCloseTo(lossA, 6);

    // Training B moves the shared kernel, and A sees it (one variable, as in Keras).
    b.compile({optimizer: adam({learningRate: 0.05}), loss: meanSquaredError()});
    await b.fit(
      x,
      tf.tidy(() => tf.slice(y, [0, 0], [32, 1])),
      {epochs: 2, batchSize: 8},
    );
    const moved = read(a.getWeights()['dense/kernel']!);
    expect(moved).not.toEqual(sharedKernel);
    expect(read(b.getWeights()['dense/kernel']!)).toEqual(moved);

    // Disposing B leaves A whole: it still predicts, trains and evaluates.
    const predBefore = read(a.predict(x));
    b.dispose();
    expect(read(a.predict(x))).toEqual(predBefore);
    const before = tf.memory().numTensors;
    await a.fit(x, y, {epochs: 1, batchSize: 8});
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite((await a.evaluate(x, y)).loss!)).toBe(true);
    // The shared variables are freed with the last model that uses them.
    const variable = a.weights[0]!.variable;
    a.dispose();
    expect(variable.isDisposed).toBe(true);
  });

  it('frees every variable once both models are disposed, whichever goes first', () => {
    const start = tf.memory().numTensors;
    const a = modelA();
    void a.weights; // built from the first layer's inputShape
    const b = new Sequential([a.layers[0]!, dense({units: 1})]);
    b.build([3]);
    a.dispose();
    expect(read(b.predict(x)).length).toBe(32);
    b.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('refuses a shared layer with weights on inputs of another shape, in Sequential and functional models', () => {
    const a = modelA();
    void a.weights; // built from the first layer's inputShape
    const start = tf.memory().numTensors;
    const b = new Sequential([dense({units: 4, inputShape: [5], name: 'head'}), a.layers[1]!]);
    expect(() => b.weights).not.toThrow();
    const c = new Sequential([dense({units: 5, inputShape: [5], name: 'head'}), a.layers[1]!]);
    expect(() => c.weights).toThrow(ShapeError);
    expect(() => new Sequential([dense({units: 5, inputShape: [5], name: 'head'}), a.layers[1]!]).weights).toThrow(
      /Layer 'dense_1' was built for inputs \[batch, 4\].*cannot take \[batch, 5\]/,
    );
    b.dispose();
    expect(tf.memory().numTensors).toBe(start);

    const shared = dense({units: 4});
    const p = input({shape: [3]});
    const q = input({shape: [5]});
    const outP = shared.apply(p);
    const outQ = shared.apply(q);
    expect(() => model({inputs: [p, q], outputs: [outP, outQ]})).toThrow(/cannot take \[batch, 5\]/);
    expect(tf.memory().numTensors).toBe(start);
    a.dispose();
  });
});

describe('cloneModel', () => {
  it('copies a Sequential architecture with fresh weights of its own, or copies the weights too', async () => {
    const a = modelA();
    await a.fit(x, y, {epochs: 1, batchSize: 8});
    const fresh = cloneModel(a, {registry});
    fresh.build([3]);
    expect(fresh.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
    expect(fresh.weights[0]!.variable).not.toBe(a.weights[0]!.variable);
    expect(read(fresh.getWeights()['dense/kernel']!)).not.toEqual(read(a.getWeights()['dense/kernel']!));

    const copy = cloneModel(a, {registry, copyWeights: true});
    expect(read(copy.predict(x))).toEqual(read(a.predict(x)));
    // Independent: training the copy leaves the original as it was.
    const before = read(a.predict(x));
    copy.compile({optimizer: adam({learningRate: 0.05}), loss: meanSquaredError()});
    await copy.fit(x, y, {epochs: 2, batchSize: 8});
    expect(read(a.predict(x))).toEqual(before);
    copy.dispose();
    expect(read(a.predict(x))).toEqual(before);
    fresh.dispose();
    a.dispose();
  });

  it('copies a functional graph, keeping a layer shared within it', () => {
    setSeed(4);
    const left = input({shape: [3], name: 'left'});
    const right = input({shape: [3], name: 'right'});
    const tower = dense({units: 4, activation: 'tanh', name: 'tower'});
    const out = dense({units: 1, name: 'score'}).apply(tower.apply(left));
    const other = dense({units: 2, name: 'label'}).apply(tower.apply(right));
    const net = model({inputs: [left, right], outputs: [out, other]});
    const copy = cloneModel(net, {registry, copyWeights: true});
    expect(copy.layers.map((l) => l.name)).toEqual(net.layers.map((l) => l.name));
    expect(copy.weights.map((w) => w.name)).toEqual(net.weights.map((w) => w.name));
    const [p1, p2] = net.predict([x, x]) as tf.Tensor[];
    const [c1, c2] = copy.predict([x, x]) as tf.Tensor[];
    expect(read(c1!)).toEqual(read(p1!));
    expect(read(c2!)).toEqual(read(p2!));
    expect(copy.weights.filter((w) => w.name.startsWith('tower/'))).toHaveLength(2);
    copy.dispose();
    net.dispose();
  });
});
