// tensorBoard() in real fits of a small Sequential model on the cpu backend.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, Sequential, setSeed, type Callback} from '@trellis/core';
import {dense, sparseCategoricalCrossentropy} from '@trellis/layers';
import {accuracy} from '@trellis/metrics';
import {adam} from '@trellis/optimizers';
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tensorBoard} from './callback';
import {decodeEvents, decodeValue, readEvents, type DecodedValue} from './reader';
import type {EventFileInfo} from './writer';
import {threeClasses} from '../test/three-classes';

let x: tf.Tensor2D;
let y: tf.Tensor1D;
let dir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  ({x, y} = threeClasses(40));
  dir = mkdtempSync(join(tmpdir(), 'trellis-tb-fit-'));
});
afterAll(() => {
  tf.dispose([x, y]);
  rmSync(dir, {recursive: true, force: true});
});

function model(withAccuracy = true) {
  setSeed(3);
  const m = new Sequential([dense({units: 6, activation: 'relu', inputShape: [3]}), dense({units: 3, activation: 'softmax'})]);
  m.compile({optimizer: adam({learningRate: 0.01}), loss: sparseCategoricalCrossentropy(), metrics: withAccuracy ? [accuracy()] : []});
  return m;
}

type Point = DecodedValue & {step: number};

/** Every summary value of a run, from a sink. */
function memorySink() {
  const files: {info: EventFileInfo; bytes: number[]}[] = [];
  const sink = (bytes: Uint8Array, info: EventFileInfo) => {
    let f = files.find((e) => e.info.fileName === info.fileName && e.info.run === info.run);
    if (!f) files.push((f = {info, bytes: []}));
    f.bytes.push(...bytes);
  };
  const points = (run: string): Point[] =>
    files
      .filter((f) => f.info.run === run)
      .flatMap((f) => decodeEvents(new Uint8Array(f.bytes)).events)
      .flatMap((e) => (e.what.case === 'summary' ? e.what.value.value.map((v) => ({step: Number(e.step), ...decodeValue(v)})) : []));
  return {sink, files, points};
}

const scalars = (points: Point[], tag: string) =>
  points.filter((p) => p.kind === 'scalar' && p.tag === tag).map((p) => [p.step, (p as {value: number}).value]);

describe('tensorBoard callback', () => {
  it("writes Keras' layout: train and validation runs, epoch_* tags, learning rate, histograms, model summary", async () => {
    const m = model();
    const {sink, points} = memorySink();
    const history = await m.fit(x, y, {
      epochs: 3,
      batchSize: 10,
      validationSplit: 0.25,
      callbacks: [tensorBoard({sink, histogramFreq: 2, updateFreq: 2})],
    });
    const f = Math.fround;
    expect(scalars(points('train'), 'epoch_accuracy')).toEqual(history.history.accuracy!.map((v, i) => [i, f(v)]));
    expect(scalars(points('validation'), 'epoch_accuracy')).toEqual(history.history.val_accuracy!.map((v, i) => [i, f(v)]));
    m.dispose();
  });

  it("writes weight histograms and, with writeGradients, gradient histograms of the epoch's last step", async () => {
    // No metric here: an inspected step disposes the predictions before metrics read them (a core issue).
    const m = model(false);
    const {sink, points} = memorySink();
    const history = await m.fit(x, y, {
      epochs: 3,
      batchSize: 10,
      validationSplit: 0.25,
      callbacks: [tensorBoard({sink, histogramFreq: 2, updateFreq: 2, writeGradients: true})],
    });
    const train = points('train');
    const validation = points('validation');
    const f = Math.fround;
    expect(scalars(train, 'epoch_loss')).toEqual(history.history.loss!.map((v, i) => [i, f(v)]));
    expect(scalars(train, 'epoch_learning_rate')).toEqual([
      [0, f(0.01)],
      [1, f(0.01)],
      [2, f(0.01)],
    ]);
    expect(scalars(validation, 'epoch_loss')).toEqual(history.history.val_loss!.map((v, i) => [i, f(v)]));
    // 30 training samples in batches of 10: 3 steps an epoch.
    expect(scalars(validation, 'evaluation_loss_vs_iterations').map(([s]) => s)).toEqual([3, 6, 9]);
    expect(scalars(train, 'batch_loss').map(([s]) => s)).toEqual([2, 4, 6, 8]);
    expect(train.some((p) => p.tag === 'batch_batch_loss' || p.tag.startsWith('epoch_val_'))).toBe(false);
    // Histograms at epochs 0 and 2: every weight, and every trainable weight's gradient.
    const hist = train.filter((p) => p.kind === 'histogram').map((p) => `${p.step}:${p.tag}`);
    const names = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'];
    expect(hist.sort()).toEqual([0, 2].flatMap((e) => names.flatMap((n) => [`${e}:${n}/histogram`, `${e}:${n}/gradient`])).sort());
    const kernel = train.find((p) => p.kind === 'histogram' && p.tag === 'dense/kernel/histogram' && p.step === 2) as {buckets: number[][]};
    expect(kernel.buckets.reduce((n, b) => n + b[2]!, 0)).toBe(18);
    const summary = train.find((p) => p.kind === 'text' && p.tag === 'model_summary') as {text: string} | undefined;
    expect(summary?.text).toMatch(/dense_1 \(Dense\)/);
    m.dispose();
  });

  it('writes event files under logDir/train and logDir/validation, readable back', async () => {
    const m = model();
    const logDir = join(dir, 'fit');
    await m.fit(x, y, {epochs: 2, batchSize: 20, validationData: [x, y], callbacks: [tensorBoard({logDir})]});
    expect(readdirSync(logDir).sort()).toEqual(['train', 'validation']);
    for (const run of ['train', 'validation']) {
      const [file] = readdirSync(join(logDir, run));
      expect(file).toMatch(/^events\.out\.tfevents\./);
      const tags = new Set<string>();
      for await (const e of readEvents(join(logDir, run, file!)))
        if (e.what.case === 'summary') for (const v of e.what.value.value) tags.add(v.tag);
      expect(tags.has('epoch_loss')).toBe(true);
    }
    m.dispose();
  });

  it('leaks no tensor: the count after the last epoch equals the count after the first', async () => {
    const m = model(false);
    const counts: number[] = [];
    const counter: Callback = {name: 'count', order: 100, onEpochEnd: () => void counts.push(tf.memory().numTensors)};
    const before = tf.memory().numTensors;
    await m.fit(x, y, {
      epochs: 4,
      batchSize: 10,
      validationSplit: 0.25,
      callbacks: [tensorBoard({sink: () => {}, histogramFreq: 1, updateFreq: 'batch', writeGradients: true}), counter],
    });
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
    m.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('fails the fit at its start with a ConfigError when logDir cannot be created', async () => {
    const m = model();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    const error = await m.fit(x, y, {epochs: 1, callbacks: [tensorBoard({logDir: join(file, 'logs')})]}).catch((e: unknown) => e);
    expect(ConfigError.is(error)).toBe(true);
    m.dispose();
  });

  it('refuses bad options', () => {
    expect(() => tensorBoard({} as never)).toThrow(/exactly one of logDir/);
    expect(() => tensorBoard({logDir: 'x', updateFreq: 0})).toThrow(/updateFreq/);
    expect(() => tensorBoard({logDir: 'x', histogramFreq: -1})).toThrow(/histogramFreq/);
    expect(() => tensorBoard({logDir: 'x', histogram_freq: 1} as never)).toThrow(ConfigError);
    expect(tensorBoard({logDir: 'runs/x', histogramFreq: 1}).spec).toEqual({
      id: 'trellis/tensorBoard',
      config: {
        logDir: 'runs/x',
        updateFreq: 'epoch',
        histogramFreq: 1,
        writeGradients: true,
        writeGraph: true,
        writeStepsPerSecond: false,
        flushSeconds: 5,
      },
    });
  });
});
