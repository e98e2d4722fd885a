// The CIFAR loaders on small binary batches written here: NHWC pixels in
// [0, 1] computed independently from the bytes, int32 labels, both sources
// (folder and URL), and typed errors for missing, truncated and corrupt files.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, DataError} from '@trellis/core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadCifar10, loadCifar100} from './index';

const PIXELS = 3072;

/** `count` records: `labels(i)` label bytes, then pixel byte `(i * 7 + j * 13) % 256` at position j (CHW). */
function records(count: number, labels: (i: number) => number[]): Uint8Array {
  const width = labels(0).length + PIXELS;
  const bytes = new Uint8Array(count * width);
  for (let i = 0; i < count; i++) {
    bytes.set(labels(i), i * width);
    for (let j = 0; j < PIXELS; j++) bytes[i * width + labels(0).length + j] = (i * 7 + j * 13) % 256;
  }
  return bytes;
}

/** The pixel of record `i` at row h, column w, channel c, read the naive way (CHW index), scaled. */
const expected = (i: number, h: number, w: number, c: number) => ((i * 7 + (c * 1024 + h * 32 + w) * 13) % 256) / 255;

let dir: string;
const files = new Map<string, Uint8Array>();
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'trellis-cifar-'));
  // CIFAR-10: five training batches of 2, 3, 1, 2, 2 records (10 in all) and a test batch of 3.
  const sizes = [2, 3, 1, 2, 2];
  let n = 0;
  for (const [b, size] of sizes.entries()) {
    const start = n;
    files.set(
      `data_batch_${b + 1}.bin`,
      records(size, (i) => [(start + i) % 10]),
    );
    n += size;
  }
  files.set(
    'test_batch.bin',
    records(3, (i) => [9 - i]),
  );
  for (const [name, bytes] of files) await writeFile(join(dir, name), bytes);
  // CIFAR-100 in a sub-folder: coarse i % 20, fine (i * 11) % 100.
  await writeFile(
    join(dir, 'train.bin'),
    records(6, (i) => [i % 20, (i * 11) % 100]),
  );
  await writeFile(
    join(dir, 'test.bin'),
    records(2, (i) => [19 - i, 99 - i]),
  );
});
afterAll(() => rm(dir, {recursive: true, force: true}));

describe('loadCifar10', () => {
  it('reads the batches in order as NHWC float32 in [0, 1] with int32 labels', async () => {
    const {train, test} = await loadCifar10({path: dir});
    expect(train.x.shape).toEqual([10, 32, 32, 3]);
    expect(train.x.dtype).toBe('float32');
    expect(train.y.dtype).toBe('int32');
    expect(Array.from(train.y.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(test.y.dataSync())).toEqual([9, 8, 7]);
    const x = train.x.arraySync();
    // Each batch file numbers its records from 0 (pixel bytes depend on that local index): batches start at 0, 2, 5, 6, 8.
    const starts = [0, 2, 5, 6, 8];
    for (let i = 0; i < 10; i++) {
      const local = i - Math.max(...starts.filter((s) => s <= i));
      for (const [h, w, c] of [
        [0, 0, 0],
        [0, 1, 0],
        [1, 0, 2],
        [17, 5, 2],
        [31, 31, 1],
      ] as const) {
        expect(x[i]![h]![w]![c], `record ${i} at ${h},${w},${c}`).toBeCloseTo(expected(local, h, w, c), 6);
      }
    }
    const t = test.x.arraySync();
    expect(t[2]![4]![9]![1]).toBeCloseTo(expected(2, 4, 9, 1), 6);
    tf.dispose([train, test]);
  });

  it('splits off validation from the end, keeps the first samples, reads one part', async () => {
    const before = tf.memory().numTensors;
    const {train, validation, test} = await loadCifar10({path: dir, validationSplit: 0.2});
    expect(Array.from(train.y.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(validation!.y.dataSync())).toEqual([8, 9]);
    const few = await loadCifar10({path: dir, split: 'test', samples: 2});
    expect(Object.keys(few)).toEqual(['test']);
    expect(few.test.x.shape).toEqual([2, 32, 32, 3]);
    tf.dispose([train, validation!, test, few.test]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fetches from a URL (no implicit download) with the same result', async () => {
    const asked: string[] = [];
    const fetch = async (url: string) => {
      asked.push(url);
      const bytes = files.get(url.slice(url.lastIndexOf('/') + 1));
      return {ok: bytes !== undefined, status: bytes ? 200 : 404, arrayBuffer: async () => (bytes ?? new Uint8Array()).slice().buffer};
    };
    const fromUrl = await loadCifar10({url: 'https://data.example/cifar-10-batches-bin/', fetch, split: 'train'});
    const fromDir = await loadCifar10({path: dir, split: 'train'});
    expect(asked[0]).toBe('https://data.example/cifar-10-batches-bin/data_batch_1.bin');
    expect(Array.from(fromUrl.train.x.dataSync())).toEqual(Array.from(fromDir.train.x.dataSync()));
    tf.dispose([fromUrl.train, fromDir.train]);
    const missing = async () => ({ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0)});
    await expect(loadCifar10({url: 'https://data.example/x', fetch: missing})).rejects.toThrow(/HTTP 404/);
  });

  it('refuses bad options, and missing, truncated or corrupt files with typed errors, leaking nothing', async () => {
    await expect(loadCifar10({} as never)).rejects.toThrow(ConfigError);
    await expect(loadCifar10({} as never)).rejects.toThrow(/exactly one of path .* and url/);
    await expect(loadCifar10({path: dir, url: 'https://x'})).rejects.toThrow(/got both/);
    await expect(loadCifar10({path: dir, labelMode: 'fine'} as never)).rejects.toThrow(/labelMode is an option of loadCifar100/);
    await expect(loadCifar10({path: dir, sample: 3} as never)).rejects.toThrow(ConfigError);
    await expect(loadCifar10({path: join(dir, 'nowhere')})).rejects.toThrow(DataError);

    const bad = await mkdtemp(join(tmpdir(), 'trellis-cifar-bad-'));
    try {
      for (const [name, bytes] of files) await writeFile(join(bad, name), bytes);
      const before = tf.memory().numTensors;
      await writeFile(join(bad, 'data_batch_3.bin'), files.get('data_batch_3.bin')!.slice(0, 3000));
      await expect(loadCifar10({path: bad})).rejects.toThrow(DataError);
      await expect(loadCifar10({path: bad})).rejects.toThrow(/data_batch_3\.bin is 3000 bytes, not a whole number of 3073-byte records/);
      const corrupt = files.get('data_batch_3.bin')!.slice();
      corrupt[0] = 10;
      await writeFile(join(bad, 'data_batch_3.bin'), corrupt);
      await expect(loadCifar10({path: bad})).rejects.toThrow(/data_batch_3\.bin record 0 has label 10; expected 0\.\.9/);
      await writeFile(join(bad, 'data_batch_3.bin'), new Uint8Array());
      await expect(loadCifar10({path: bad})).rejects.toThrow(/it is empty/);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await rm(bad, {recursive: true, force: true});
    }
  });
});

describe('loadCifar100', () => {
  it("reads fine labels by default and coarse ones with labelMode: 'coarse'", async () => {
    const fine = await loadCifar100({path: dir});
    expect(Array.from(fine.train.y.dataSync())).toEqual([0, 11, 22, 33, 44, 55]);
    expect(Array.from(fine.test.y.dataSync())).toEqual([99, 98]);
    const coarse = await loadCifar100({path: dir, labelMode: 'coarse'});
    expect(Array.from(coarse.train.y.dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
    const x = fine.train.x.arraySync();
    expect(fine.train.x.shape).toEqual([6, 32, 32, 3]);
    for (const [i, h, w, c] of [
      [0, 0, 0, 0],
      [3, 10, 20, 2],
      [5, 31, 0, 1],
    ] as const) {
      expect(x[i]![h]![w]![c]).toBeCloseTo(expected(i, h, w, c), 6);
    }
    tf.dispose([fine, coarse]);
  });

  it('refuses an unknown labelMode and a fine label out of range', async () => {
    await expect(loadCifar100({path: dir, labelMode: 'medium' as never})).rejects.toThrow(/labelMode must be 'fine'/);
    const bad = await mkdtemp(join(tmpdir(), 'trellis-cifar100-bad-'));
    try {
      await writeFile(
        join(bad, 'train.bin'),
        records(2, (i) => [i, 100]),
      );
      await expect(loadCifar100({path: bad, split: 'train'})).rejects.toThrow(/record 0 has fine label 100; expected 0\.\.99/);
    } finally {
      await rm(bad, {recursive: true, force: true});
    }
  });
});
