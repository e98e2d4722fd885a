import * as tf from '@tensorflow/tfjs-core';
import {BackendError, useBackend, type BackendPlugin} from '@trellis/core';
import {expectNoTensorLeaks} from '@trellis/testing';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {cpu} from './index';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cpu()', () => {
  it('describes itself with contract version 1 and its capabilities', () => {
    const plugin = cpu();
    expect(plugin.specVersion).toBe(1);
    expect(plugin.name).toBe('cpu');
    expect(plugin.capabilities).toEqual({training: true, threads: 1, syncReadback: true});
  });

  it('register() loads the tfjs cpu backend without choosing it', async () => {
    const engine = tf.engine() as unknown as {backendName: string | null | undefined};
    expect(engine.backendName ?? null).toBeNull();
    expect(tf.findBackendFactory('cpu')).toBeNull();
    await cpu().register();
    expect(tf.findBackendFactory('cpu')).not.toBeNull();
    // Registering must not activate a backend: that is useBackend's job.
    expect(engine.backendName ?? null).toBeNull();
  });

  it('register() is idempotent: no error and no "already registered" warnings', async () => {
    const warn = vi.spyOn(console, 'warn');
    const plugin = cpu();
    await plugin.register();
    const kernels = tf.getKernelsForBackend('cpu').length;
    await plugin.register();
    await cpu().register();
    expect(tf.getKernelsForBackend('cpu').length).toBe(kernels);
    expect(warn).not.toHaveBeenCalled();
  });

  it('useBackend(cpu()) makes cpu the active backend and computes correctly', async () => {
    await expect(useBackend(cpu())).resolves.toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const a = [
      [1.5, -2, 0.25],
      [3, 0.5, -1],
    ];
    const b = [
      [2, -1],
      [0.5, 4],
      [-3, 1.25],
    ];
    const expected = a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
    const product = tf.tidy(() => tf.matMul(tf.tensor2d(a), tf.tensor2d(b)).arraySync() as number[][]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) expect(product[i]![j]).toBeCloseTo(expected[i]![j]!, 5);
    }
  });

  it('leaks no tensors across repeated use', async () => {
    await useBackend(cpu());
    await expectNoTensorLeaks(async () => {
      await cpu().register();
      tf.tidy(() => tf.matMul(tf.ones([4, 3]), tf.ones([3, 2])).dataSync());
    });
  });

  it('useBackend turns a failing register() into a BackendError', async () => {
    const broken: BackendPlugin = {
      specVersion: 1,
      name: 'cpu',
      capabilities: {training: true, threads: 1, syncReadback: true},
      register: () => Promise.reject(new Error("Cannot find package '@tensorflow/tfjs-backend-cpu'")),
    };
    const error = await useBackend(broken).catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/could not be registered.*Cannot find package/s);
  });
});
