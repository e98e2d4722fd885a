import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError} from '@trellis/core';
import {catchErrorAsync, expectNoNewTensors} from '@trellis/testing';
import {copyFile, readFile, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {fashionMnistClasses, loadFashionMnist} from './index';
import {temporaryDirs} from '../test/temporary-dirs';

const CLOTHES = join(dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json')), 'src', 'clothes');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const makeDir = temporaryDirs();

/** A copy of the class files with `file` replaced by `edit(original text)`. */
async function editedDir(file: string, edit: (text: string) => string): Promise<string> {
  const dir = await makeDir('trellis-fashion-');
  for (let k = 0; k < 10; k++) {
    const name = `${k}.json`;
    if (name === file) await writeFile(join(dir, name), edit(await readFile(join(CLOTHES, name), 'utf8')));
    else await copyFile(join(CLOTHES, name), join(dir, name));
  }
  return dir;
}

describe('loadFashionMnist', () => {
  it('loads 60000 + 10000 images: shapes, dtypes, [0,1] pixels, balanced classes in a mixed order', async () => {
    const {train, test} = await loadFashionMnist();
    try {
      expect(train.x.shape).toEqual([60000, 784]);
      expect(test.x.shape).toEqual([10000, 784]);
      expect([train.x.dtype, train.y.dtype]).toEqual(['float32', 'int32']);
      const [min, max] = tf.tidy(() => [tf.min(train.x).dataSync()[0], tf.max(train.x).dataSync()[0]]);
      expect(min).toBe(0);
      expect(max).toBe(1);
      const counts = (y: tf.Tensor1D) => tf.tidy(() => Array.from(tf.bincount(y, [], 10).dataSync()));
      expect(counts(train.y)).toEqual(Array(10).fill(6000));
      expect(counts(test.y)).toEqual(Array(10).fill(1000));
      // Mixed order: the first 100 training labels cover every class.
      expect(new Set(train.y.dataSync().subarray(0, 100)).size).toBe(10);
    } finally {
      tf.dispose([train.x, train.y, test.x, test.y]);
    }
  });

  it('serves each image with its own label: a test image equals the class file row it came from', async () => {
    const {test} = await loadFashionMnist({split: 'test', samples: 5, flatten: false});
    try {
      expect(test.x.shape).toEqual([5, 28, 28, 1]);
      const labels = test.y.dataSync();
      const pixels = test.x.dataSync();
      for (let i = 0; i < 5; i++) {
        const rows = (JSON.parse(await readFile(join(CLOTHES, `${labels[i]}.json`), 'utf8')) as {data: number[][]}).data
          .filter((r) => r.length > 0)
          .slice(0, 1000);
        const image = Array.from(pixels.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
        expect(rows.some((r) => r.every((v, p) => v === image[p]))).toBe(true);
      }
    } finally {
      tf.dispose([test.x, test.y]);
    }
  });

  it('is deterministic, and splits validation from the end of the training part (Keras sizes)', async () => {
    const a = await loadFashionMnist({split: 'train', samples: 1000, validationSplit: 0.2});
    const b = await loadFashionMnist({split: 'train', samples: 1000});
    try {
      expect(a.train.x.shape).toEqual([800, 784]);
      expect(a.validation!.x.shape).toEqual([200, 784]);
      expect(Array.from(a.validation!.y.dataSync())).toEqual(Array.from(b.train.y.dataSync().subarray(800)));
      expect(Array.from(a.train.y.dataSync())).toEqual(Array.from(b.train.y.dataSync().subarray(0, 800)));
    } finally {
      tf.dispose([a.train.x, a.train.y, a.validation!.x, a.validation!.y, b.train.x, b.train.y]);
    }
  });

  it('names the classes', () => {
    expect(fashionMnistClasses).toHaveLength(10);
    expect(fashionMnistClasses[9]).toBe('Ankle boot');
  });

  it('rejects bad options with a ConfigError', async () => {
    const e = await catchErrorAsync(() => loadFashionMnist({samples: 0}));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toMatch(/loadFashionMnist: samples must be a positive integer/);
  });

  it('reports corrupt, truncated and missing files with a DataError naming the file, leaking nothing', async () => {
    const cases: [string, (t: string) => string, RegExp][] = [
      ['3.json', (t) => t.slice(0, t.length / 2), /3\.json: .* not valid JSON/],
      ['4.json', (t) => t.replace(/^\{"data":\[\[\d+,/, '{"data":[[300,'), /4\.json: .*row 0, value 0 is 300/],
      ['5.json', (t) => t.replace(/^\{"data":\[\[\d+,/, '{"data":[['), /5\.json: .*row 0 holds 783 values/],
      ['6.json', () => '{"images": []}', /6\.json: .*no "data" array/],
    ];
    for (const [file, edit, message] of cases) {
      const dir = await editedDir(file, edit);
      let e: Error | undefined;
      await expectNoNewTensors(async () => {
        e = await catchErrorAsync(() => loadFashionMnist({split: 'test', dir}));
      });
      expect(e).toBeInstanceOf(DataError);
      expect(e!.message).toMatch(message);
      expect(e!.message).toContain(join(dir, file));
    }
    const dir = await makeDir('trellis-fashion-empty-');
    const missing = await catchErrorAsync(() => loadFashionMnist({dir}));
    expect(missing).toBeInstanceOf(DataError);
    expect(missing.message).toMatch(/Cannot read the Fashion-MNIST file .*0\.json \(ENOENT\)/);
  });
});
