import * as tf from '@tensorflow/tfjs-core';
import {createRequire} from 'node:module';
import {dirname} from 'node:path';
import {useBackend} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {wasm} from './index';

describe('wasm({wasmPaths})', () => {
  it('loads the binaries from the given folder', async () => {
    const folder = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + '/';
    await expect(useBackend(wasm({wasmPaths: folder}))).resolves.toBe('wasm');
    expect(tf.tidy(() => tf.matMul(tf.ones([2, 4]), tf.ones([2, 4]), false, true).arraySync())).toEqual([
      [4, 4],
      [4, 4],
    ]);
    // Registering the same plugin again does not re-apply the paths.
    await expect(wasm({wasmPaths: folder}).register()).resolves.toBeUndefined();
  });
});
