import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, useBackend} from '@trellis/core';
import {describeBackendPlugin} from '@trellis/testing';
import {expect, it, vi} from 'vitest';
import {hasTrellisKernels, restoreStockKernels, wasm} from './index';

describeBackendPlugin(
  'wasm',
  wasm,
  {
    capabilities: {training: true, threads: 1, syncReadback: true},
    afterFirstRegister: () => expect(hasTrellisKernels()).toBe(true),
  },
  () => {
    it('useBackend(wasm()) makes wasm the active backend, kernels installed before it initialized', async () => {
      await expect(useBackend(wasm())).resolves.toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      // The replacement carries the stock setupFunc, so the first products work.
      const y = tf.tidy(() =>
        tf.matMul(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor2d([1, 0, -1, 2, 1, 0], [3, 2]), true, false).arraySync(),
      );
      expect(y).toEqual([
        [1 - 3 + 5, 3 * 2],
        [2 - 4 + 6, 4 * 2],
      ]);
    });

    it('switches between backends with useBackend', async () => {
      await expect(useBackend('cpu')).resolves.toBe('cpu');
      expect(tf.getBackend()).toBe('cpu');
      await expect(useBackend(wasm())).resolves.toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
    });

    it('restoreStockKernels() undoes the replacement; register() puts it back', async () => {
      const warn = vi.spyOn(console, 'warn');
      await wasm().register();
      const trellis = tf.getKernel('BatchMatMul', 'wasm');
      expect(restoreStockKernels()).toBe(true);
      expect(hasTrellisKernels()).toBe(false);
      const stock = tf.getKernel('BatchMatMul', 'wasm');
      expect(stock).not.toBe(trellis);
      expect(restoreStockKernels()).toBe(false);
      expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(stock);
      const y = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true).arraySync());
      expect(y).toEqual([
        [3, 3],
        [3, 3],
      ]);
      await wasm().register();
      expect(hasTrellisKernels()).toBe(true);
      expect(warn).not.toHaveBeenCalled();
    });

    it('fastMatMul: false leaves the registered kernels alone', async () => {
      restoreStockKernels();
      await wasm({fastMatMul: false}).register();
      expect(hasTrellisKernels()).toBe(false);
      await wasm().register();
      expect(hasTrellisKernels()).toBe(true);
    });

    it('rejects malformed options with a ConfigError', () => {
      expect(() => wasm('wasm' as never)).toThrow(ConfigError);
      expect(() => wasm({wasmPaths: 5 as never})).toThrow(/URL prefix string or a map/);
      expect(() => wasm({fastMatMul: 'yes' as never})).toThrow(/fastMatMul.*true or false/);
    });
  },
);
