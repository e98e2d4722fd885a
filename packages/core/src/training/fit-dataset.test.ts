import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {constantInit, sgd, sparseCe, testDense} from '../../test/fixtures';
import {linearModel, linearRows} from '../../test/linear';
import {ConfigError, DTypeError, RAN_OUT_OF_DATA, Sequential, ShapeError, type Callback, type DatasetBatch} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function weightsOf(model: Sequential): number[] {
  const weights = model.getWeights();
  const values = Object.keys(weights)
    .sort()
    .flatMap((k) => Array.from(weights[k]!.dataSync()));
  tf.dispose(Object.values(weights));
  return values;
}

/** Batches of `batchSize` rows, in order, as new tensors (the loop disposes them). */
function* batchesOf(rows: {x: number[][]; y: number[][]; w?: number[]}, batchSize: number, passes = 1): Generator<DatasetBatch> {
  for (let pass = 0; pass < passes; pass++) {
    for (let start = 0; start < rows.x.length; start += batchSize) {
      const x = tf.tensor2d(rows.x.slice(start, start + batchSize));
      const y = tf.tensor2d(rows.y.slice(start, start + batchSize));
      if (rows.w) yield {x, y, sampleWeight: tf.tensor1d(rows.w.slice(start, start + batchSize))};
      else yield [x, y];
    }
  }
}

describe('fitDataset', () => {
  it('matches fit (shuffle false) bit for bit: weights, history and validation logs', async () => {
    const {x, y} = linearRows(30);
    const validationData = [x.slice(0, 7), y.slice(0, 7)] as const;
    const viaFit = linearModel();
    const viaDataset = linearModel();
    const viaCardinality = linearModel();
    const a = await viaFit.fit(x, y, {epochs: 3, batchSize: 8, shuffle: false, validationData});
    const b = await viaDataset.fitDataset(batchesOf({x, y}, 8, 3), {epochs: 3, batchesPerEpoch: 4, validationData});
    // A function called at each epoch start, with a declared size instead of batchesPerEpoch.
    const perEpoch = Object.assign(() => batchesOf({x, y}, 8), {cardinality: 4});
    const c = await viaCardinality.fitDataset(perEpoch, {epochs: 3, validationData});
    expect(weightsOf(viaDataset)).toEqual(weightsOf(viaFit));
    expect(weightsOf(viaCardinality)).toEqual(weightsOf(viaFit));
    expect(b.history).toEqual(a.history);
    expect(c.history).toEqual(a.history);
    expect(b.epoch).toEqual([0, 1, 2]);
    expect(b.history.val_loss).toHaveLength(3);
    expect(b.stopReason).toBeNull();
    for (const m of [viaFit, viaDataset, viaCardinality]) m.dispose();
  });

  it('matches fit with per-sample weights, and with initialEpoch', async () => {
    const {x, y, w} = linearRows(20);
    const viaFit = linearModel();
    const viaDataset = linearModel();
    const a = await viaFit.fit(x, y, {epochs: 4, initialEpoch: 1, batchSize: 6, shuffle: false, sampleWeight: w});
    const b = await viaDataset.fitDataset(() => batchesOf({x, y, w}, 6), {epochs: 4, initialEpoch: 1, batchesPerEpoch: 4});
    expect(weightsOf(viaDataset)).toEqual(weightsOf(viaFit));
    expect(b.history).toEqual(a.history);
    expect(b.epoch).toEqual([1, 2, 3]);
    viaFit.dispose();
    viaDataset.dispose();
  });

  it('reports batches and epochs to callbacks as fit does, and stop() ends training', async () => {
    const {x, y} = linearRows(24);
    const model = linearModel();
    const seen: string[] = [];
    const record: Callback = {
      name: 'record',
      onBatchEnd: async (c) => {
        const logs = await c.readLogs(['batch_loss']);
        seen.push(`${c.epoch}:${c.batch}:${c.step}:${logs.batch_loss! > 0}`);
        if (c.step === 4) c.stop('enough');
      },
    };
    const history = await model.fitDataset(batchesOf({x, y}, 8, 5), {epochs: 5, batchesPerEpoch: 3, callbacks: [record]});
    // As in fit, `step` counts the finished steps.
    expect(seen).toEqual(['0:0:1:true', '0:1:2:true', '0:2:3:true', '1:0:4:true']);
    expect(history.epoch).toEqual([0, 1]);
    expect(history.stopReason).toBe('enough');
    model.dispose();
  });

  it('stops with the error a generator throws mid-epoch; weights are those after the last finished step; no leak', async () => {
    const {x, y} = linearRows(32);
    const boom = new Error('disk gone');
    function* failing() {
      const batches = batchesOf({x, y}, 8, 2);
      for (let i = 0; ; i++) {
        if (i === 6) throw boom;
        const next = batches.next();
        if (next.done) return;
        yield next.value;
      }
    }
    const model = linearModel();
    const epochsEnded: number[] = [];
    const onEpochEnd: Callback = {name: 'epochs', onEpochEnd: async (c) => void epochsEnded.push(c.epoch)};
    await model.fitDataset(batchesOf({x, y}, 8), {epochs: 0, batchesPerEpoch: 1});
    const before = tf.memory().numTensors;
    await expect(model.fitDataset(failing(), {epochs: 3, batchesPerEpoch: 4, callbacks: [onEpochEnd]})).rejects.toBe(boom);
    expect(tf.memory().numTensors).toBe(before);
    expect(epochsEnded).toEqual([0]);
    // Six finished steps: a full pass, then the first two batches again.
    const reference = linearModel();
    await reference.fit(x, y, {epochs: 1, batchSize: 8, shuffle: false});
    await reference.fit(x.slice(0, 16), y.slice(0, 16), {epochs: 1, batchSize: 8, shuffle: false});
    expect(weightsOf(model)).toEqual(weightsOf(reference));
    model.dispose();
    reference.dispose();
  });

  it('ends the epoch and stops with Keras\' "ran out of data" when a finite dataset runs dry before batchesPerEpoch', async () => {
    const {x, y} = linearRows(32);
    const model = linearModel();
    const sixBatches = () => batchesOf({x: [...x, ...x.slice(0, 16)], y: [...y, ...y.slice(0, 16)]}, 8);
    const history = await model.fitDataset(sixBatches(), {epochs: 3, batchesPerEpoch: 4});
    expect(history.epoch).toEqual([0, 1]);
    expect(history.stopReason).toBe(RAN_OUT_OF_DATA);
    const reference = linearModel();
    const first = await reference.fit(x, y, {epochs: 1, batchSize: 8, shuffle: false});
    const second = await reference.fit(x.slice(0, 16), y.slice(0, 16), {epochs: 1, batchSize: 8, shuffle: false});
    expect(weightsOf(model)).toEqual(weightsOf(reference));
    // The short epoch's logs cover its two batches.
    expect(history.history.loss).toEqual([first.history.loss![0], second.history.loss![0]]);
    // A function dataset is called again each epoch: three batches for four per epoch runs dry in the first.
    const fresh = linearModel();
    let calls = 0;
    const threeBatches = () => (calls++, batchesOf({x: x.slice(0, 24), y: y.slice(0, 24)}, 8));
    const short = await fresh.fitDataset(threeBatches, {epochs: 3, batchesPerEpoch: 4});
    expect(short.epoch).toEqual([0]);
    expect(short.stopReason).toBe(RAN_OUT_OF_DATA);
    expect(calls).toBe(1);
    for (const m of [model, reference, fresh]) m.dispose();
  });

  it('rejects an endless epoch with a ConfigError before reading any batch', async () => {
    const model = linearModel();
    let pulled = 0;
    function* endless() {
      for (;;) {
        pulled++;
        yield [tf.ones([2, 3]), tf.ones([2, 1])] as const;
      }
    }
    await expect(model.fitDataset(endless(), {epochs: 1})).rejects.toThrow(ConfigError);
    await expect(model.fitDataset(endless(), {epochs: 1})).rejects.toThrow(/batchesPerEpoch/);
    await expect(model.fitDataset(Object.assign(endless, {cardinality: Infinity}), {epochs: 1})).rejects.toThrow(/infinite/);
    expect(pulled).toBe(0);
    await expect(model.fitDataset(42 as never, {epochs: 1, batchesPerEpoch: 1})).rejects.toThrow(ConfigError);
    await expect(model.fitDataset(() => 7 as never, {epochs: 1, batchesPerEpoch: 1})).rejects.toThrow(ConfigError);
    await expect(model.fitDataset(endless(), {epochs: 1, batchesPerEpoch: 0})).rejects.toThrow(ConfigError);
    const history = await model.fitDataset(endless(), {epochs: 2, batchesPerEpoch: 3});
    expect(history.epoch).toEqual([0, 1]);
    expect(pulled).toBe(6);
    model.dispose();
  });

  it('rejects bad batches with typed errors, naming the batch, and disposes them', async () => {
    const model = linearModel();
    const cases: [() => unknown, new (...args: never[]) => Error, RegExp][] = [
      [() => [tf.ones([4, 2]), tf.ones([4, 1])], ShapeError, /batch 0 x has shape \[4, 2\].*\[batch, 3\]/],
      [() => [tf.ones([4, 3]), tf.ones([3, 1])], ShapeError, /4 samples.*3/],
      [() => [tf.ones([4, 3]), tf.ones([4, 1]), tf.ones([4, 2])], ShapeError, /sampleWeight must have shape \[4\]/],
      [() => [tf.ones([4, 3]), tf.ones([4, 1]), tf.ones([4]), tf.ones([4])], ShapeError, /array of 4 items/],
      [() => [[[1, 2, 3]], tf.ones([1, 1])], DTypeError, /x must be a tf.Tensor/],
      [
        () => ({x: tf.ones([1, 3]), y: tf.tensor2d([['a']] as never, [1, 1], 'string')}),
        DTypeError,
        /y must be float32, int32 or bool; got string/,
      ],
      [() => ({features: tf.ones([1, 3])}), DTypeError, /\{x, y, sampleWeight\?\}/],
      [() => tf.ones([1, 3]), DTypeError, /\{x, y, sampleWeight\?\}/],
    ];
    await model.fitDataset([[tf.ones([2, 3]), tf.ones([2, 1])]], {epochs: 1});
    for (const [make, type, message] of cases) {
      const before = tf.memory().numTensors;
      const run = model.fitDataset(
        function* () {
          yield make() as DatasetBatch;
        },
        {epochs: 1, batchesPerEpoch: 1},
      );
      await expect(run).rejects.toThrow(type);
      await expect(
        model.fitDataset(
          function* () {
            yield make() as DatasetBatch;
          },
          {epochs: 1, batchesPerEpoch: 1},
        ),
      ).rejects.toThrow(message);
      expect([String(message), tf.memory().numTensors]).toEqual([String(message), before]);
    }
    // The generator left open by the bad batch is closed (its `finally` runs).
    let closed = false;
    function* bad() {
      try {
        yield [tf.ones([2, 5]), tf.ones([2, 1])] as const;
        yield [tf.ones([2, 3]), tf.ones([2, 1])] as const;
      } finally {
        closed = true;
      }
    }
    await expect(model.fitDataset(bad(), {epochs: 1, batchesPerEpoch: 2})).rejects.toThrow(ShapeError);
    expect(closed).toBe(true);
    model.dispose();
  });

  it('disposes yielded batches by default and keeps them with keepBatches; tensor count is flat across epochs', async () => {
    const {x, y} = linearRows(16);
    const model = linearModel();
    const xs = tf.tensor2d(x);
    const ys = tf.tensor2d(y);
    const kept = await model.fitDataset([[xs, ys]], {epochs: 3, keepBatches: true});
    expect(kept.epoch).toEqual([0, 1, 2]);
    expect(xs.isDisposed || ys.isDisposed).toBe(false);
    const yielded: tf.Tensor[] = [];
    function* tracked() {
      for (const batch of batchesOf({x, y}, 4, 10)) {
        yielded.push(...(batch as [tf.Tensor, tf.Tensor]));
        yield batch;
      }
    }
    const counts: number[] = [];
    const count: Callback = {name: 'count', onEpochEnd: async () => void counts.push(tf.memory().numTensors)};
    const before = tf.memory().numTensors;
    await model.fitDataset(tracked(), {epochs: 10, batchesPerEpoch: 4, callbacks: [count], validationData: [xs, ys]});
    expect(yielded).toHaveLength(80);
    expect(yielded.every((t) => t.isDisposed)).toBe(true);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('applies classWeight to each batch as fit does, multiplied with batches that carry sampleWeight', async () => {
    const x = Array.from({length: 21}, (_, i) => [Math.sin(i), Math.cos(3 * i), (i % 5) / 5]);
    const ids = x.map((_, i) => (i * 7) % 3);
    const classifier = () => {
      const model = new Sequential([testDense(3, {inputShape: [3], init: constantInit(0.2)})]);
      model.compile({optimizer: sgd(0.2), loss: sparseCe});
      return model;
    };
    const classWeight = {0: 0.5, 2: 3};
    const viaFit = classifier();
    const viaDataset = classifier();
    const a = await viaFit.fit(x, ids, {epochs: 2, batchSize: 5, shuffle: false, classWeight});
    function* batches() {
      for (let start = 0; start < 21; start += 5)
        yield [tf.tensor2d(x.slice(start, start + 5)), tf.tensor1d(ids.slice(start, start + 5), 'int32')] as const;
    }
    const b = await viaDataset.fitDataset(Object.assign(batches, {cardinality: 5}), {epochs: 2, classWeight});
    expect(b.history).toEqual(a.history);
    expect(weightsOf(viaDataset)).toEqual(weightsOf(viaFit));
    const sw = x.map((_, i) => 0.5 + (i % 3));
    const c = await viaFit.fit(x, ids, {epochs: 1, batchSize: 5, shuffle: false, classWeight, sampleWeight: sw});
    function* weighted() {
      for (let start = 0; start < 21; start += 5) {
        yield [
          tf.tensor2d(x.slice(start, start + 5)),
          tf.tensor1d(ids.slice(start, start + 5), 'int32'),
          tf.tensor1d(sw.slice(start, start + 5)),
        ] as const;
      }
    }
    const d = await viaDataset.fitDataset(Object.assign(weighted, {cardinality: 5}), {classWeight});
    expect(d.history.loss).toEqual(c.history.loss);
    expect(weightsOf(viaDataset)).toEqual(weightsOf(viaFit));
    viaFit.dispose();
    viaDataset.dispose();
  });

  it('names a batch that reuses tensors the loop already disposed', async () => {
    const model = linearModel();
    const xs = tf.ones([2, 3]);
    const ys = tf.ones([2, 1]);
    const run = model.fitDataset([[xs, ys]], {epochs: 2});
    await expect(run).rejects.toThrow(DTypeError);
    await expect(model.fitDataset([[xs, ys]], {epochs: 1})).rejects.toThrow(/batch 0: x is a disposed tensor/);
    model.dispose();
  });

  it('validates on a dataset as on the same tensors, read anew each epoch, or for validationBatches batches', async () => {
    const {x, y, w} = linearRows(30);
    const val = {x: x.slice(0, 11), y: y.slice(0, 11), w: w.slice(0, 11)};
    const viaTensors = linearModel();
    const viaDataset = linearModel();
    const a = await viaTensors.fitDataset(() => batchesOf({x, y}, 8), {
      epochs: 3,
      batchesPerEpoch: 4,
      validationData: [val.x, val.y, val.w],
      validationBatchSize: 4,
    });
    let reads = 0;
    const validation = Object.assign(() => (reads++, batchesOf(val, 4)), {cardinality: 3});
    const b = await viaDataset.fitDataset(() => batchesOf({x, y}, 8), {epochs: 3, batchesPerEpoch: 4, validationData: validation});
    expect(reads).toBe(3);
    expect(b.history).toEqual(a.history);
    expect(b.history.val_loss).toHaveLength(3);
    // Two validation batches (8 samples) equal evaluating those samples.
    const before = tf.memory().numTensors;
    const c = await viaDataset.fitDataset(() => batchesOf({x, y}, 8), {
      epochs: 1,
      batchesPerEpoch: 1,
      validationData: () => batchesOf({x: val.x, y: val.y}, 4),
      validationBatches: 2,
    });
    expect(tf.memory().numTensors).toBe(before);
    const expected = await viaDataset.evaluate(val.x.slice(0, 8), val.y.slice(0, 8), {batchSize: 4});
    expect(c.history.val_loss![0]).toBeCloseTo(expected.loss!, 6);
    expect(c.history.val_mae![0]).toBeCloseTo(expected.mae!, 6);
    // An array of batches is a dataset too, not [x, y].
    const xs = tf.tensor2d(val.x);
    const ys = tf.tensor2d(val.y);
    const d = await viaDataset.fitDataset(() => batchesOf({x, y}, 8), {
      epochs: 1,
      batchesPerEpoch: 1,
      validationData: [[xs, ys]],
      keepBatches: true,
    });
    expect(d.history.val_loss![0]).toBeCloseTo((await viaDataset.evaluate(xs, ys)).loss!, 6);
    tf.dispose([xs, ys]);
    const once = batchesOf(val, 4);
    await expect(
      viaDataset.fitDataset(() => batchesOf({x, y}, 8), {epochs: 2, batchesPerEpoch: 1, validationData: once, validationBatches: 3}),
    ).rejects.toThrow(/validation dataset yielded no batches/);
    const endless = Object.assign(() => batchesOf(val, 4, Infinity), {cardinality: Infinity});
    await expect(viaDataset.fitDataset(() => batchesOf({x, y}, 8), {batchesPerEpoch: 1, validationData: endless})).rejects.toThrow(
      /validationBatches/,
    );
    // A generator has no size: it could be endless, so it needs validationBatches (sync and async alike).
    const before2 = tf.memory().numTensors;
    for (const generator of [
      () => batchesOf(val, 4, Infinity),
      async function* () {
        yield* batchesOf(val, 4, Infinity);
      },
    ]) {
      await expect(viaDataset.fitDataset(() => batchesOf({x, y}, 8), {batchesPerEpoch: 1, validationData: generator()})).rejects.toThrow(
        /validation dataset's size is unknown.*Pass validationBatches/,
      );
    }
    expect(tf.memory().numTensors).toBe(before2);
    viaTensors.dispose();
    viaDataset.dispose();
  });

  it('reads async iterables', async () => {
    const {x, y} = linearRows(16);
    const viaFit = linearModel();
    const viaAsync = linearModel();
    async function* slow() {
      for (const batch of batchesOf({x, y}, 4, 2)) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield batch;
      }
    }
    const a = await viaFit.fit(x, y, {epochs: 2, batchSize: 4, shuffle: false});
    const b = await viaAsync.fitDataset(slow(), {epochs: 2, batchesPerEpoch: 4});
    expect(weightsOf(viaAsync)).toEqual(weightsOf(viaFit));
    expect(b.history).toEqual(a.history);
    viaFit.dispose();
    viaAsync.dispose();
  });

  it('prints Keras-style progress with verbose, as fit does', async () => {
    const {x, y} = linearRows(16);
    const printed: string[] = [];
    const model = linearModel();
    const history = await model.fitDataset(() => batchesOf({x, y}, 4), {
      epochs: 2,
      batchesPerEpoch: 4,
      verbose: 2,
      print: (text) => printed.push(text),
    });
    const lines = printed.join('').split('\n').filter(Boolean);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(/^4\/4 - \d+s - \d+(ms|us)\/step - loss: .* - mae: /);
    expect(lines[1]).toContain(`loss: ${history.history.loss![0]!.toFixed(4)}`);
    expect(lines[2]).toBe('Epoch 2/2');
    model.dispose();
  });

  it('rejects a dataset that yields no batch in an epoch, naming the epoch', async () => {
    const model = linearModel();
    const empty = Object.assign(() => [][Symbol.iterator](), {cardinality: 2});
    await expect(model.fitDataset(empty, {epochs: 1})).rejects.toThrow(
      /the dataset yielded no batches in epoch 0; it must yield at least one per epoch\./,
    );
    model.dispose();
  });
});
