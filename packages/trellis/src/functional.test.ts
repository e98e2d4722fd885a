// The functional API: input(), layer.apply(symbolic), model({inputs, outputs})
// with several inputs and outputs, per-output losses, lossWeights, metrics,
// sample and class weights, shared layers, and its errors.
import * as tf from '@tensorflow/tfjs-core';
import {expectNoTensorLeaks} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {
  ConfigError,
  DataError,
  Sequential,
  ShapeError,
  accuracy,
  dense,
  input,
  layers,
  meanSquaredError,
  model,
  setSeed,
  sgd,
  sparseCategoricalCrossentropy,
} from './index';
import {createTrainStep} from '@trellis/core';
import {onCpuWith} from '../test/cpu';

const data = onCpuWith(() => ({
  xa: tf.randomUniform([40, 6], -1, 1, 'float32', 1),
  xb: tf.randomUniform([40, 3], -1, 1, 'float32', 2),
  yScore: tf.randomUniform([40, 1], -1, 1, 'float32', 3),
  yLabel: tf.tensor1d(
    Array.from({length: 40}, (_, i) => (i * 7) % 3),
    'int32',
  ),
}));

/** Two inputs, a shared layer, two outputs. */
function twoByTwo() {
  setSeed(11);
  const a = input({shape: [6], name: 'a'});
  const b = input({shape: [3], name: 'b'});
  const shared = dense({units: 5, activation: 'tanh', name: 'shared'});
  const merged = layers.concatenate().apply([shared.apply(a), dense({units: 4, activation: 'relu'}).apply(b)]);
  const score = dense({units: 1, name: 'score'}).apply(merged);
  const label = dense({units: 3, name: 'label'}).apply(merged);
  return model({inputs: [a, b], outputs: [score, label], name: 'two_by_two'});
}

function compileTwo(net: ReturnType<typeof twoByTwo>, lossWeights?: readonly number[]) {
  net.compile({
    optimizer: sgd({learningRate: 0.05, momentum: 0.9}),
    loss: [meanSquaredError(), sparseCategoricalCrossentropy({fromLogits: true})],
    ...(lossWeights ? {lossWeights} : {}),
  });
}

describe('model({inputs, outputs})', () => {
  it('builds every layer at once, with Keras names, and reports them in summary()', () => {
    const net = twoByTwo();
    expect(net.built).toBe(true);
    expect(net.inputNames).toEqual(['a', 'b']);
    expect(net.outputNames).toEqual(['score', 'label']);
    expect(net.outputShapes).toEqual([[1], [3]]);
    expect(net.weights.map((w) => w.name)).toEqual([
      'shared/kernel',
      'shared/bias',
      'dense/kernel',
      'dense/bias',
      'score/kernel',
      'score/bias',
      'label/kernel',
      'label/bias',
    ]);
    const summary = net.summary({print: false});
    expect(summary.layers.map((l) => [l.name, l.type, l.params])).toEqual([
      ['a', 'InputLayer', 0],
      ['b', 'InputLayer', 0],
      ['shared', 'Dense', 35],
      ['dense', 'Dense', 16],
      ['concatenate', 'Concatenate', 0],
      ['score', 'Dense', 10],
      ['label', 'Dense', 30],
    ]);
    expect(summary.totalParams).toBe(91);
    net.dispose();
  });

  it('predicts one tensor per output, from an array or a record of inputs, equal to the layers run by hand', () => {
    const net = twoByTwo();
    const [score, label] = net.predict([data.xa, data.xb], {batchSize: 16});
    const [score2] = net.predict({b: data.xb, a: data.xa});
    const w = net.getWeights();
    const expected = tf.tidy(() => {
      const h1 = tf.tanh(tf.add(tf.matMul(data.xa, w['shared/kernel']!), w['shared/bias']!));
      const h2 = tf.relu(tf.add(tf.matMul(data.xb, w['dense/kernel']!), w['dense/bias']!));
      const h = tf.concat([h1, h2], -1);
      return [tf.add(tf.matMul(h, w['score/kernel']!), w['score/bias']!), tf.add(tf.matMul(h, w['label/kernel']!), w['label/bias']!)];
    });
    expect(score!.shape).toEqual([40, 1]);
    expect(label!.shape).toEqual([40, 3]);
    expect(Array.from(score!.dataSync())).toEqual(Array.from(score2!.dataSync()));
    expect(tf.max(tf.abs(tf.sub(score!, expected[0]!))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(label!, expected[1]!))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([score!, label!, score2!, net.predict([data.xa, data.xb])[1]!, ...expected, ...Object.values(w)]);
    net.dispose();
  });

  it('a one-input one-output functional model trains exactly like the same Sequential model', async () => {
    setSeed(5);
    const x = input({shape: [6]});
    const functional = model({inputs: x, outputs: dense({units: 1}).apply(dense({units: 4, activation: 'relu'}).apply(x))});
    setSeed(5);
    const sequential = new Sequential([dense({units: 4, activation: 'relu', inputShape: [6]}), dense({units: 1})]);
    for (const m of [functional, sequential]) m.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError()});
    setSeed(9);
    const a = await functional.fit(data.xa, data.yScore, {epochs: 3, batchSize: 8});
    setSeed(9);
    const b = await sequential.fit(data.xa, data.yScore, {epochs: 3, batchSize: 8});
    expect(a.history.loss).toEqual(b.history.loss);
    expect(Array.from(functional.getWeights()['dense_1/kernel']!.dataSync())).toEqual(
      Array.from(sequential.getWeights()['dense_1/kernel']!.dataSync()),
    );
    functional.dispose();
    sequential.dispose();
  });

  it('fit minimizes sum(lossWeights[i] · loss_i): the logged loss is that sum at the step weights', async () => {
    const net = twoByTwo();
    compileTwo(net, [0.3, 2]);
    const before = await net.evaluate([data.xa, data.xb], [data.yScore, data.yLabel], {batchSize: 40});
    const parts = tf.tidy(() => {
      const [s, l] = net.predict([data.xa, data.xb]);
      const mse = tf.mean(tf.square(tf.sub(s!, data.yScore)));
      const ce = tf.mean(tf.losses.softmaxCrossEntropy(tf.oneHot(data.yLabel, 3), l!, undefined, tf.Reduction.NONE));
      return [mse.dataSync()[0]!, ce.dataSync()[0]!];
    });
    expect(before.loss).toBeCloseTo(0.3 * parts[0]! + 2 * parts[1]!, 5);
    const history = await net.fit([data.xa, data.xb], [data.yScore, data.yLabel], {epochs: 4, batchSize: 10});
    expect(history.history.loss![3]!).toBeLessThan(history.history.loss![0]!);
    net.dispose();
  });

  it('a layer applied twice shares one set of weights, trained by both uses', async () => {
    setSeed(3);
    const p = input({shape: [4], name: 'p'});
    const q = input({shape: [4], name: 'q'});
    const tower = dense({units: 2, name: 'tower'});
    const out = dense({units: 1, name: 'out'}).apply(layers.concatenate().apply([tower.apply(p), tower.apply(q)]));
    const siamese = model({inputs: [p, q], outputs: out});
    expect(siamese.weights.map((w) => w.name)).toEqual(['tower/kernel', 'tower/bias', 'out/kernel', 'out/bias']);
    siamese.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError()});
    const x1 = tf.randomUniform([12, 4], -1, 1, 'float32', 4);
    const before = siamese.getWeights();
    await siamese.fit([x1, tf.zeros([12, 4])], tf.ones([12, 1]), {epochs: 1, batchSize: 12});
    const after = siamese.getWeights();
    expect(Array.from(after['tower/kernel']!.dataSync())).not.toEqual(Array.from(before['tower/kernel']!.dataSync()));
    tf.dispose([x1, ...Object.values(before), ...Object.values(after)]);
    siamese.dispose();
  });

  it('logs per-output metrics as <output>_<metric> and takes lossWeights and losses as records', async () => {
    const net = twoByTwo();
    net.compile({
      optimizer: sgd({learningRate: 0.05}),
      loss: {label: sparseCategoricalCrossentropy({fromLogits: true}), score: meanSquaredError()},
      lossWeights: {score: 0.5},
      metrics: {label: [accuracy()]},
    });
    const history = await net.fit(
      {a: data.xa, b: data.xb},
      {score: data.yScore, label: data.yLabel},
      {epochs: 1, batchSize: 20, validationSplit: 0.25},
    );
    expect(Object.keys(history.history).sort()).toEqual([
      'label_accuracy',
      'label_loss',
      'loss',
      'score_loss',
      'val_label_accuracy',
      'val_label_loss',
      'val_loss',
      'val_score_loss',
    ]);
    // Keras' per-output trackers hold each output's loss before lossWeights.
    const h = history.history as Record<string, number[]>;
    expect(h.loss![0]!).toBeCloseTo(0.5 * h.score_loss![0]! + h.label_loss![0]!, 5);
    expect(h.val_loss![0]!).toBeCloseTo(0.5 * h.val_score_loss![0]! + h.val_label_loss![0]!, 5);
    const evaluated = await net.evaluate([data.xa, data.xb], [data.yScore, data.yLabel], {batchSize: 40});
    const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(net.predict([data.xa, data.xb])[0]!, data.yScore))).dataSync()[0]!);
    expect(evaluated.score_loss).toBeCloseTo(mse, 6);
    net.dispose();
  });

  it('per-output sampleWeight and a classWeight keyed by output name multiply, as the equivalent sample weights', async () => {
    const sw = Array.from({length: 40}, (_, i) => 0.5 + (i % 4) / 4);
    const cw = {0: 2, 2: 0.5};
    const a = twoByTwo();
    const b = twoByTwo();
    compileTwo(a, [1, 0.7]);
    compileTwo(b, [1, 0.7]);
    const ha = await a.fit([data.xa, data.xb], [data.yScore, data.yLabel], {
      epochs: 2,
      batchSize: 8,
      shuffle: false,
      sampleWeight: [sw, sw],
      classWeight: {label: cw},
    });
    const ids = data.yLabel.dataSync();
    const labelWeights = sw.map((w, i) => w * ((cw as Record<number, number>)[ids[i]!] ?? 1));
    const hb = await b.fit([data.xa, data.xb], [data.yScore, data.yLabel], {
      epochs: 2,
      batchSize: 8,
      shuffle: false,
      sampleWeight: {score: sw, label: labelWeights},
    });
    expect(ha.history.loss).toEqual(hb.history.loss);
    const weighted = await a.evaluate([data.xa, data.xb], [data.yScore, data.yLabel], {sampleWeight: sw});
    const plain = await a.evaluate([data.xa, data.xb], [data.yScore, data.yLabel]);
    expect(weighted.loss).not.toBeCloseTo(plain.loss!, 4);
    a.dispose();
    b.dispose();
  });

  it('createTrainStep: run() takes one tensor per input and output, the direct call says to use it', async () => {
    const net = twoByTwo();
    compileTwo(net, [1, 0.5]);
    const step = createTrainStep({model: net});
    const first = await step.run([data.xa, data.xb], [data.yScore, data.yLabel]);
    const second = await step.run([data.xa, data.xb], [data.yScore, data.yLabel]);
    expect(second.loss).toBeLessThan(first.loss);
    expect(() => step(data.xa, data.yScore)).toThrow(/step\.run\(x, y\)/);
    expect(() => step(data.xa, data.yScore)).toThrow(ConfigError);
    step.dispose();
    net.dispose();
  });

  it('fitDataset over batches of arrays and records trains exactly like fit over the same tensors', async () => {
    const sw = tf.tensor1d(Array.from({length: 40}, (_, i) => 0.5 + (i % 3)));
    const viaFit = twoByTwo();
    const viaDataset = twoByTwo();
    compileTwo(viaFit, [0.7, 1.3]);
    compileTwo(viaDataset, [0.7, 1.3]);
    const options = {classWeight: {label: {1: 2}}};
    const a = await viaFit.fit([data.xa, data.xb], [data.yScore, data.yLabel], {
      epochs: 2,
      batchSize: 10,
      shuffle: false,
      sampleWeight: [sw, sw],
      validationData: [
        [data.xa, data.xb],
        [data.yScore, data.yLabel],
      ],
      ...options,
    });
    const rows = (t: tf.Tensor, start: number) => tf.slice(t, start, 10);
    function* batches() {
      for (let start = 0; start < 40; start += 10) {
        const weights = rows(sw, start);
        yield start % 20 === 0
          ? [
              [rows(data.xa, start), rows(data.xb, start)],
              [rows(data.yScore, start), rows(data.yLabel, start)],
              [weights, tf.clone(weights)],
            ]
          : {
              x: {b: rows(data.xb, start), a: rows(data.xa, start)},
              y: {score: rows(data.yScore, start), label: rows(data.yLabel, start)},
              sampleWeight: {score: weights, label: tf.clone(weights)},
            };
      }
    }
    function* validation() {
      yield [
        [tf.clone(data.xa), tf.clone(data.xb)],
        [tf.clone(data.yScore), tf.clone(data.yLabel)],
      ];
    }
    const before = tf.memory().numTensors;
    const b = await viaDataset.fitDataset(Object.assign(batches, {cardinality: 4}) as never, {
      epochs: 2,
      validationData: Object.assign(validation, {cardinality: 1}) as never,
      validationBatches: 1,
      keepBatches: false,
      ...options,
    });
    // Every batch was disposed after its step; nothing else is left.
    expect(tf.memory().numTensors).toBe(before);
    expect(b.history.loss).toEqual(a.history.loss);
    expect(b.history.label_loss).toEqual(a.history.label_loss);
    expect(b.history.val_loss![1]).toBeCloseTo(a.history.val_loss![1]!, 6);
    const [wa, wb] = [viaFit.getWeights(), viaDataset.getWeights()];
    expect(Array.from(wb['shared/kernel']!.dataSync())).toEqual(Array.from(wa['shared/kernel']!.dataSync()));
    tf.dispose([...Object.values(wa), ...Object.values(wb)]);
    sw.dispose();
    viaFit.dispose();
    viaDataset.dispose();
  });

  it('leaks no tensor across epochs of fit, evaluate and predict', async () => {
    const net = twoByTwo();
    compileTwo(net, [1, 1]);
    await net.fit([data.xa, data.xb], [data.yScore, data.yLabel], {epochs: 1, batchSize: 10});
    await expectNoTensorLeaks(async () => {
      await net.fit([data.xa, data.xb], [data.yScore, data.yLabel], {
        epochs: 2,
        batchSize: 10,
        validationData: [
          [data.xa, data.xb],
          [data.yScore, data.yLabel],
        ],
      });
      await net.evaluate([data.xa, data.xb], [data.yScore, data.yLabel]);
      tf.dispose(net.predict([data.xa, data.xb]));
    });
    net.dispose();
  });
});

describe('functional API errors', () => {
  it('mismatched output count for losses is a ConfigError naming the outputs', () => {
    const net = twoByTwo();
    const error = (() => {
      try {
        net.compile({optimizer: sgd(), loss: [meanSquaredError()]});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/has 2 outputs \(score, label\); got 1 losses/);
    expect(() => net.compile({optimizer: sgd(), loss: meanSquaredError()})).toThrow(/one loss per output/);
    expect(() => net.compile({optimizer: sgd(), loss: {score: meanSquaredError(), labels: meanSquaredError()}})).toThrow(
      /'labels', which is not an output/,
    );
    expect(() => net.compile({optimizer: sgd(), loss: [meanSquaredError(), meanSquaredError()], lossWeights: [1, 2, 3]})).toThrow(
      ConfigError,
    );
    net.dispose();
  });

  it('bad data: wrong number of inputs, mismatched samples, unknown class-weight output, NaN', async () => {
    const net = twoByTwo();
    compileTwo(net);
    await expect(net.fit([data.xa], [data.yScore, data.yLabel])).rejects.toThrow(/2 inputs \(a, b\); x has 1 entries/);
    await expect(net.fit([data.xa, data.xb], data.yScore)).rejects.toThrow(ConfigError);
    await expect(net.fit([data.xa, tf.zeros([39, 3])], [data.yScore, data.yLabel])).rejects.toThrow(DataError);
    await expect(net.fit([data.xa, data.xb], [data.yScore, data.yLabel], {classWeight: {labels: {0: 2}}})).rejects.toThrow(
      /'labels', but the model's outputs are score, label/,
    );
    const nan = tf.mul(data.xb, NaN);
    const wide = tf.zeros([40, 4]);
    const before = tf.memory().numTensors;
    await expect(net.fit([data.xa, nan], [data.yScore, data.yLabel])).rejects.toThrow(/x 'b' holds NaN/);
    await expect(net.fit([data.xa, wide], [data.yScore, data.yLabel])).rejects.toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    await expect(net.fitDataset([[data.xa, data.yScore]], {keepBatches: true})).rejects.toThrow(/2 inputs \(a, b\)/);
    tf.dispose([nan, wide]);
    net.dispose();
  });

  it('a disconnected graph and a wrong apply are ConfigErrors; a bad shape is a ShapeError', () => {
    const a = input({shape: [3], name: 'a'});
    const b = input({shape: [3], name: 'b'});
    const out = dense({units: 1}).apply(b);
    expect(() => model({inputs: a, outputs: out})).toThrow(/disconnected.*needs the input 'b'/);
    // A concrete tensor runs the layer eagerly (Keras' layer(x)): an unbuilt loose layer says to build it.
    expect(() => dense({units: 1}).apply(tf.zeros([1, 3]))).toThrow(/before it was built/);
    expect(() => dense({units: 1}).apply([input({shape: [3]}), tf.zeros([1, 3])] as never)).toThrow(ConfigError);
    expect(() => layers.concatenate().apply([input({shape: [3, 2]}), input({shape: [4, 5]})])).toThrow(ShapeError);
    expect(() => input({shape: [0]})).toThrow(ConfigError);
  });
});
