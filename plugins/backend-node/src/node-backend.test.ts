// The real @tensorflow/tfjs-node (built by scripts/install-native.sh).
import * as tf from '@tensorflow/tfjs-core';
import {BackendError, Sequential, setSeed, useBackend} from '@trellis/core';
import {dense, meanSquaredError} from '@trellis/layers';
import {adam} from '@trellis/optimizers';
import {catchError, expectNoTensorLeaks} from '@trellis/testing';
import {afterEach, expect, it, vi} from 'vitest';
import {describeNative} from '../test/native';
import {nodeBackend} from './index';
import {trellisKernelNames} from './kernels';

afterEach(() => {
  vi.restoreAllMocks();
});

it('describes itself: the tensorflow backend, every gradient, all cores, synchronous readback', () => {
  const plugin = nodeBackend();
  expect(plugin.specVersion).toBe(1);
  expect(plugin.name).toBe('tensorflow');
  expect(plugin.gpu).toBe('auto');
  expect(plugin.selection).toBeUndefined();
  expect(plugin.capabilities.training).toBe(true);
  expect(plugin.capabilities.syncReadback).toBe(true);
  expect(plugin.capabilities.threads).toBeGreaterThanOrEqual(1);
  expect(nodeBackend({gpu: false}).gpu).toBe(false);
});

describeNative('nodeBackend() with @tensorflow/tfjs-node', () => {
  it('register() loads tfjs-node without choosing a backend, and says what it loaded', async () => {
    const engine = tf.engine() as unknown as {backendName: string | null | undefined};
    expect(engine.backendName ?? null).toBeNull();
    expect(tf.findBackendFactory('tensorflow')).toBeNull();
    const plugin = nodeBackend();
    await plugin.register();
    expect(tf.findBackendFactory('tensorflow')).not.toBeNull();
    // tfjs-node's import activates 'tensorflow'; register() puts the "none chosen" state back.
    expect(engine.backendName ?? null).toBeNull();
    expect(plugin.selection).toEqual({
      package: '@tensorflow/tfjs-node',
      version: tf.version_core,
      tensorflowVersion: expect.stringMatching(/^2\.\d+\.\d+/),
      gpuDevice: false,
      skipped: ['@tensorflow/tfjs-node-gpu: not installed'],
    });
  });

  it('register() is idempotent and puts back the backend that was active', async () => {
    await tf.setBackend('cpu');
    const warn = vi.spyOn(console, 'warn');
    const kernels = tf.getKernelsForBackend('tensorflow').length;
    await nodeBackend().register();
    await nodeBackend({gpu: false}).register();
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.getKernelsForBackend('tensorflow').length).toBe(kernels);
    expect(warn).not.toHaveBeenCalled();
  });

  it("installs Trellis' kernels on tensorflow (explicit padding in convolution gradients, Transform) once", async () => {
    await nodeBackend().register();
    const installed = trellisKernelNames.map((name) => tf.getKernel(name, 'tensorflow'));
    expect(installed.every((k) => k != null)).toBe(true);
    await nodeBackend().register();
    expect(trellisKernelNames.map((name) => tf.getKernel(name, 'tensorflow'))).toEqual(installed);
  });

  it('useBackend(nodeBackend()) makes tensorflow active and computes correctly', async () => {
    await expect(useBackend(nodeBackend())).resolves.toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    const product = tf.tidy(() =>
      tf.matMul(tf.tensor2d([1.5, -2, 0.25, 3, 0.5, -1], [2, 3]), tf.tensor2d([2, -1, 0.5, 4, -3, 1.25], [3, 2])).arraySync(),
    );
    expect(product).toEqual([
      [1.5 * 2 - 2 * 0.5 + 0.25 * -3, -1.5 - 8 + 0.3125],
      [6 + 0.25 + 3, -3 + 2 - 1.25],
    ]);
  });

  it('tensors reshaped on another backend keep their shape on tensorflow, every view of them', async () => {
    await tf.setBackend('cpu');
    const flat = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    const matrix = tf.reshape(flat, [2, 3]);
    const column = tf.reshape(flat, [6, 1]);
    await useBackend(nodeBackend());
    const before = tf.memory().numTensors;
    expect(tf.tidy(() => tf.add(matrix, tf.ones([2, 3])).arraySync())).toEqual([
      [2, 3, 4],
      [5, 6, 7],
    ]);
    expect(tf.tidy(() => tf.matMul(matrix, column.slice([0, 0], [3, 1])).arraySync())).toEqual([[14], [32]]);
    expect(tf.tidy(() => tf.sum(flat).arraySync())).toBe(21);
    expect(tf.tidy(() => tf.sum(column, 0).arraySync())).toEqual([21]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([flat, matrix, column]);
  });

  it('a process loads one package: gpu: true after tfjs-node is a BackendError', async () => {
    await nodeBackend({gpu: false}).register();
    const error = await nodeBackend({gpu: true})
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect(
      catchError(() => {
        throw error;
      }).message,
    ).toMatch(/already loaded @tensorflow\/tfjs-node, and only one of the two can be loaded per process/);
  });

  it('fit() trains a model on tensorflow to the numbers of the cpu backend, leaking nothing', async () => {
    const x = tf.randomUniform([64, 8], -1, 1, 'float32', 1);
    const y = tf.tidy(() => tf.sum(tf.mul(x, tf.linspace(-1, 1, 8)), -1, true));
    const train = async (backend: string) => {
      await useBackend(backend === 'cpu' ? 'cpu' : nodeBackend());
      setSeed(42);
      const model = new Sequential([dense({units: 16, activation: 'tanh', inputShape: [8]}), dense({units: 1})]);
      model.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()});
      const {history} = await model.fit(x, y, {epochs: 5, batchSize: 16, shuffle: false});
      const copies = model.getWeights();
      const weights = Object.values(copies).map((w) => [...w.dataSync()]);
      tf.dispose(Object.values(copies));
      model.dispose();
      return {loss: history.loss ?? [], weights};
    };
    const cpu = await train('cpu');
    const native = await train('tensorflow');
    expect(native.loss[4]).toBeLessThan(native.loss[0]! / 2);
    for (const [i, l] of native.loss.entries()) expect(l).toBeCloseTo(cpu.loss[i]!, 4);
    for (const [i, w] of native.weights.entries()) {
      for (const [j, v] of w.entries()) expect(Math.abs(v - cpu.weights[i]![j]!)).toBeLessThan(1e-4);
    }
    await useBackend(nodeBackend());
    await expectNoTensorLeaks(() =>
      tf.tidy(
        () =>
          void tf
            .grad((t: tf.Tensor) => tf.sum(tf.square(t)))(tf.ones([3]))
            .dataSync(),
      ),
    );
    x.dispose();
    y.dispose();
  });
});
