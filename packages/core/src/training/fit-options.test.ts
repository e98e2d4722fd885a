import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {constantInit, mae, mse, sgd, testDense} from '../../test/fixtures';
import {linearRows} from '../../test/linear';
import {ConfigError, Sequential, setSeed, type Callback, type Layer} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Subtracts the batch mean: its output depends on which samples share a batch. */
const centerBatch: Layer = {
  name: 'center',
  inputShape: [3],
  spec: {id: 'test/center', config: {}},
  build: (inputShape) => [...inputShape],
  call: (x) => tf.sub(x, tf.mean(x, 0, true)),
};

function linearModel(layers: Layer[] = []) {
  const model = new Sequential([
    ...layers,
    testDense(1, layers.length ? {init: constantInit(0.1)} : {inputShape: [3], init: constantInit(0.1)}),
  ]);
  model.compile({optimizer: sgd(0.1), loss: mse, metrics: [mae]});
  return model;
}

function kernel(model: Sequential): number[] {
  const weights = model.getWeights();
  const values = Array.from(weights['dense/kernel']!.dataSync());
  tf.dispose(Object.values(weights));
  return values;
}

describe('fit options', () => {
  it('validationFreq validates every N-th epoch (counted from 1) and leaves training unchanged', async () => {
    const {x, y} = linearRows(30);
    const every = linearModel();
    const second = linearModel();
    const a = await every.fit(x, y, {epochs: 5, batchSize: 8, shuffle: false, validationSplit: 0.2});
    const b = await second.fit(x, y, {epochs: 5, batchSize: 8, shuffle: false, validationSplit: 0.2, validationFreq: 2});
    expect(b.history.loss).toEqual(a.history.loss);
    expect(b.history.val_loss).toEqual([a.history.val_loss![1], a.history.val_loss![3]]);
    expect(b.history.val_mae).toEqual([a.history.val_mae![1], a.history.val_mae![3]]);
    // Epoch numbers are absolute: resuming at epoch 2 of 5 with validationFreq 3 validates after epoch 2 (the third).
    const validated: number[] = [];
    const record: Callback = {
      name: 'validated',
      onEpochEnd: async (c) => void ('val_loss' in (await c.readLogs()) && validated.push(c.epoch)),
    };
    const resumed = await second.fit(x, y, {
      epochs: 5,
      initialEpoch: 2,
      batchSize: 8,
      validationSplit: 0.2,
      validationFreq: 3,
      callbacks: [record],
    });
    expect(resumed.epoch).toEqual([2, 3, 4]);
    expect(validated).toEqual([2]);
    every.dispose();
    second.dispose();
  });

  it('validationBatchSize sets the validation batches (a batch-dependent model shows it)', async () => {
    const {x, y} = linearRows(30);
    const model = linearModel([centerBatch]);
    const validationData = [x.slice(20), y.slice(20)] as const;
    const history = await model.fit(x.slice(0, 20), y.slice(0, 20), {
      epochs: 1,
      batchSize: 8,
      shuffle: false,
      validationData,
      validationBatchSize: 3,
    });
    const by3 = await model.evaluate(...validationData, {batchSize: 3});
    const by8 = await model.evaluate(...validationData, {batchSize: 8});
    expect(history.history.val_loss![0]).toBeCloseTo(by3.loss!, 6);
    expect(Math.abs(by3.loss! - by8.loss!)).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('initialEpoch trains epochs initialEpoch .. epochs - 1, as Keras', async () => {
    const {x, y} = linearRows(20);
    const resumed = linearModel();
    const plain = linearModel();
    const seen: number[] = [];
    const epochs: Callback = {name: 'epochs', onEpochStart: (c) => void seen.push(c.epoch)};
    const a = await resumed.fit(x, y, {epochs: 5, initialEpoch: 2, batchSize: 6, shuffle: false, callbacks: [epochs]});
    const b = await plain.fit(x, y, {epochs: 3, batchSize: 6, shuffle: false});
    expect(a.epoch).toEqual([2, 3, 4]);
    expect(seen).toEqual([2, 3, 4]);
    expect(a.history.loss).toEqual(b.history.loss);
    expect(kernel(resumed)).toEqual(kernel(plain));
    const none = await resumed.fit(x, y, {epochs: 2, initialEpoch: 2});
    expect(none.epoch).toEqual([]);
    expect(kernel(resumed)).toEqual(kernel(plain));
    resumed.dispose();
    plain.dispose();
  });

  it("shuffle: 'batch' keeps each batch's samples, so a mean loss trains as without shuffling", async () => {
    setSeed(5);
    const {x, y} = linearRows(26);
    const shuffled = linearModel();
    const plain = linearModel();
    const a = await shuffled.fit(x, y, {epochs: 3, batchSize: 8, shuffle: 'batch'});
    const b = await plain.fit(x, y, {epochs: 3, batchSize: 8, shuffle: false});
    a.history.loss!.forEach((l, i) => expect(l).toBeCloseTo(b.history.loss![i]!, 6));
    kernel(shuffled).forEach((k, i) => expect(k).toBeCloseTo(kernel(plain)[i]!, 6));
    const reordered = linearModel();
    await reordered.fit(x, y, {epochs: 3, batchSize: 8, shuffle: true});
    expect(Math.abs(kernel(reordered)[0]! - kernel(plain)[0]!)).toBeGreaterThan(1e-4);
    shuffled.dispose();
    plain.dispose();
    reordered.dispose();
  });

  it('stepsPerEpoch limits the batches per epoch and continues the pass in the next epoch (as trainOnBatch on those rows)', async () => {
    const {x, y} = linearRows(10);
    const limited = linearModel();
    const stepwise = linearModel();
    const params: number[] = [];
    const record: Callback = {name: 'params', onFitStart: (c) => void params.push(c.params.stepsPerEpoch)};
    const history = await limited.fit(x, y, {epochs: 3, batchSize: 3, stepsPerEpoch: 3, shuffle: false, callbacks: [record]});
    // Epoch 0: rows 0-8; epoch 1: row 9, where the pass runs out; epoch 2: rows 0-8 again.
    const batches = [
      [0, 3],
      [3, 6],
      [6, 9],
      [9, 10],
      [0, 3],
      [3, 6],
      [6, 9],
    ];
    const losses: number[] = [];
    for (const [s, e] of batches) losses.push((await stepwise.trainOnBatch(x.slice(s, e), y.slice(s, e))).loss!);
    expect(params).toEqual([3]);
    expect(kernel(limited)).toEqual(kernel(stepwise));
    expect(history.history.loss![0]).toBeCloseTo((losses[0]! + losses[1]! + losses[2]!) / 3, 6);
    expect(history.history.loss![1]).toBeCloseTo(losses[3]!, 6);
    limited.dispose();
    stepwise.dispose();
  });

  it('stepsPerEpoch beyond the data gives one pass per epoch', async () => {
    const {x, y} = linearRows(10);
    const a = linearModel();
    const b = linearModel();
    const ha = await a.fit(x, y, {epochs: 2, batchSize: 4, stepsPerEpoch: 50, shuffle: false});
    const hb = await b.fit(x, y, {epochs: 2, batchSize: 4, shuffle: false});
    expect(ha.history.loss).toEqual(hb.history.loss);
    expect(kernel(a)).toEqual(kernel(b));
    a.dispose();
    b.dispose();
  });

  it.each([
    ['validationFreq 0', {validationFreq: 0}, /validationFreq must be a positive integer; got 0/],
    ['validationBatchSize 1.5', {validationBatchSize: 1.5}, /validationBatchSize must be a positive integer; got 1.5/],
    ['stepsPerEpoch -1', {stepsPerEpoch: -1}, /stepsPerEpoch must be a positive integer; got -1/],
    ["shuffle 'rows'", {shuffle: 'rows'}, /shuffle must be true, false or 'batch'; got 'rows'/],
  ])('%s throws a ConfigError and leaks nothing', async (_, options, message) => {
    const {x, y} = linearRows(8);
    const model = linearModel();
    const before = tf.memory().numTensors;
    const error = await model.fit(x, y, options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('bad data on a model not built yet', () => {
  it('x and y with different sample counts throw before the model is built from x', async () => {
    const model = new Sequential([testDense(2)]);
    model.compile({optimizer: sgd(0.1), loss: mse});
    const [x, y] = [tf.ones([4, 3]), tf.ones([3, 2])];
    await expect(model.fit(x, y)).rejects.toThrow(/x has 4 samples but y has 3/);
    expect(model.built).toBe(false);
    const [x5, y2] = [tf.ones([4, 5]), tf.ones([4, 2])];
    await model.fit(x5, y2, {epochs: 1});
    expect(model.inputShape).toEqual([5]);
    tf.dispose([x, y, x5, y2]);
    model.dispose();
  });
});
