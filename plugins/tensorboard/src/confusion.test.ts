// The confusion matrix: counts with tfjs ops, the heat map image, and the callback option.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, Sequential, ShapeError, setSeed} from '@trellis/core';
import {dense, sparseCategoricalCrossentropy} from '@trellis/layers';
import {adam} from '@trellis/optimizers';
import {decode} from 'fast-png';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tensorBoard} from './callback';
import {checkConfusionMatrix, confusionCounts, confusionMatrixImage, confusionMatrixMarkdown} from './confusion';
import {decodeEvents, decodeValue, type DecodedValue} from './reader';
import type {EventFileInfo} from './writer';
import {threeClasses} from '../test/three-classes';

let x: tf.Tensor2D;
let y: tf.Tensor1D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  ({x, y} = threeClasses(30));
});
afterAll(() => tf.dispose([x, y]));

/** A model that "predicts" fixed outputs. */
const fixed = (out: tf.Tensor) => ({predict: () => out.clone()});

describe('confusionCounts', () => {
  it('counts [true, predicted] pairs from softmax outputs and class ids or one-hot truths', async () => {
    const probs = tf.tensor2d([
      [0.9, 0.1, 0],
      [0.2, 0.7, 0.1],
      [0.1, 0.1, 0.8],
      [0.6, 0.3, 0.1],
    ]);
    const ids = tf.tensor1d([0, 1, 2, 1]);
    const onehot = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const before = tf.memory().numTensors;
    const want = [
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 1],
    ];
    expect(await confusionCounts(fixed(probs), checkConfusionMatrix({x: probs, y: ids}))).toEqual(want);
    expect(await confusionCounts(fixed(probs), checkConfusionMatrix({x: probs, y: onehot}))).toEqual(want);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([probs, ids, onehot]);
  });

  it('thresholds a single sigmoid output at 0.5 (two classes)', async () => {
    const p = tf.tensor2d([[0.2], [0.8], [0.6], [0.4]]);
    const t = tf.tensor2d([[0], [1], [0], [0]]);
    expect(await confusionCounts(fixed(p), checkConfusionMatrix({x: p, y: t}))).toEqual([
      [2, 1],
      [0, 1],
    ]);
    tf.dispose([p, t]);
  });

  it('refuses classes beyond numClasses with a DataError, and a model without predict', async () => {
    const probs = tf.tensor2d([
      [0.9, 0.1],
      [0.2, 0.8],
    ]);
    const ids = tf.tensor1d([0, 5]);
    await expect(confusionCounts(fixed(probs), checkConfusionMatrix({x: probs, y: ids}))).rejects.toThrow(DataError);
    await expect(confusionCounts({}, checkConfusionMatrix({x: probs, y: ids}))).rejects.toThrow(ConfigError);
    tf.dispose([probs, ids]);
  });
});

describe('confusionMatrixImage', () => {
  it('draws each cell as a cellSize square, white (0 of the row) to blue (all of it), rows normalized', () => {
    const img = confusionMatrixImage(
      [
        [3, 1],
        [0, 0],
      ],
      {cellSize: 4},
    );
    expect(img.shape).toEqual([8, 8, 3]);
    expect(img.dtype).toBe('int32');
    const px = (r: number, c: number) => Array.from(img.dataSync().slice((r * 8 + c) * 3, (r * 8 + c) * 3 + 3));
    expect(px(0, 0)).toEqual([Math.round(255 - 247 * 0.75), Math.round(255 - 207 * 0.75), Math.round(255 - 148 * 0.75)]);
    expect(px(3, 3)).toEqual(px(0, 0));
    expect(px(0, 4)).toEqual([Math.round(255 - 247 * 0.25), Math.round(255 - 207 * 0.25), Math.round(255 - 148 * 0.25)]);
    expect(px(5, 1)).toEqual([255, 255, 255]); // a row without samples
    img.dispose();
    const full = confusionMatrixImage([
      [1, 0],
      [0, 1],
    ]);
    expect(full.shape).toEqual([32, 32, 3]);
    expect(Array.from(full.dataSync().slice(0, 3))).toEqual([8, 48, 107]);
    full.dispose();
  });

  it('refuses what is not a square matrix of counts', () => {
    expect(() => confusionMatrixImage([[1, 2]])).toThrow(ConfigError);
    expect(() => confusionMatrixImage([])).toThrow(ConfigError);
    expect(() =>
      confusionMatrixImage([
        [1, -1],
        [0, 0],
      ]),
    ).toThrow(ConfigError);
    expect(() => confusionMatrixImage([[1]], {cellSize: 0})).toThrow(ConfigError);
  });

  it('writes the counts as a Markdown table with the labels', () => {
    expect(
      confusionMatrixMarkdown(
        [
          [2, 0],
          [1, 3],
        ],
        ['cat', 'a|b'],
      ),
    ).toBe('| true \\ predicted | cat | a\\|b |\n|---|---:|---:|\n| **cat** | 2 | 0 |\n| **a\\|b** | 1 | 3 |');
  });
});

describe('tensorBoard({confusionMatrix})', () => {
  function sinkOf() {
    const files: {info: EventFileInfo; bytes: number[]}[] = [];
    const sink = (bytes: Uint8Array, info: EventFileInfo) => {
      let f = files.find((e) => e.info.fileName === info.fileName);
      if (!f) files.push((f = {info, bytes: []}));
      f.bytes.push(...bytes);
    };
    const points = (run: string): (DecodedValue & {step: number})[] =>
      files
        .filter((f) => f.info.run === run)
        .flatMap((f) => decodeEvents(new Uint8Array(f.bytes)).events)
        .flatMap((e) => (e.what.case === 'summary' ? e.what.value.value.map((v) => ({step: Number(e.step), ...decodeValue(v)})) : []));
    return {sink, points};
  }

  function fitModel() {
    setSeed(5);
    const m = new Sequential([dense({units: 6, activation: 'relu', inputShape: [3]}), dense({units: 3, activation: 'softmax'})]);
    m.compile({optimizer: adam({learningRate: 0.01}), loss: sparseCategoricalCrossentropy()});
    return m;
  }

  it('writes a heat map and the counts at each validation epoch in the validation run, leaking no tensor', async () => {
    const {sink, points} = sinkOf();
    const m = fitModel();
    const before = tf.memory().numTensors;
    await m.fit(x, y, {
      epochs: 3,
      batchSize: 10,
      validationData: [x, y],
      callbacks: [tensorBoard({sink, confusionMatrix: {x, y, labels: ['a', 'b', 'c'], cellSize: 8, every: 2}})],
    });
    expect(tf.memory().numTensors).toBe(before);
    const images = points('validation').filter((p) => p.tag === 'confusion_matrix');
    expect(images.map((p) => [p.step, p.kind])).toEqual([
      [0, 'image'],
      [2, 'image'],
    ]);
    const img = images[0] as Extract<DecodedValue, {kind: 'image'}>;
    expect([img.width, img.height]).toEqual([24, 24]);
    const png = decode(img.images[0]!);
    expect([png.width, png.height, png.channels]).toEqual([24, 24, 3]);
    const table = points('validation').find((p) => p.tag === 'confusion_matrix/counts') as Extract<DecodedValue, {kind: 'text'}>;
    expect(table.text).toMatch(/^\| true \\ predicted \| a \| b \| c \|/);
    const total = table.text
      .split('\n')
      .slice(2)
      .flatMap((l) => l.split('|').slice(2, -1).map(Number))
      .reduce((a, b) => a + b, 0);
    expect(total).toBe(30);
    expect(points('train').some((p) => p.tag === 'confusion_matrix')).toBe(false);
    m.dispose();
  });

  it('refuses a bad confusionMatrix option at once', () => {
    expect(() => tensorBoard({logDir: 'x', confusionMatrix: {x, y, colour: 'red'} as never})).toThrow(ConfigError);
    expect(() => tensorBoard({logDir: 'x', confusionMatrix: {x, y: [0, 1]} as never})).toThrow(ConfigError);
    const short = tf.tensor1d([0, 1]);
    expect(() => tensorBoard({logDir: 'x', confusionMatrix: {x, y: short}})).toThrow(ShapeError);
    short.dispose();
    expect(() => tensorBoard({logDir: 'x', confusionMatrix: {x, y, labels: ['a', 'b'], numClasses: 3}})).toThrow(ConfigError);
    expect(() => tensorBoard({logDir: 'x', confusionMatrix: {x, y, every: 0}})).toThrow(ConfigError);
    expect(tensorBoard({logDir: 'x', confusionMatrix: {x, y}}).spec).toBeUndefined();
  });
});
