import * as tf from '@tensorflow/tfjs-core';
import {afterEach, describe, expect, it} from 'vitest';
import {kernelOverrides} from './kernel-overrides';

const backendName = 'kernel-overrides-test';
const stockFunc: tf.KernelFunc = () => ({dataId: {}, shape: [], dtype: 'float32'});
const setupFunc = () => {};
const fixed: tf.KernelFunc = () => ({dataId: {}, shape: [1], dtype: 'float32'});
const added: tf.KernelFunc = () => ({dataId: {}, shape: [2], dtype: 'float32'});

afterEach(() => {
  for (const name of ['Replaced', 'Added', 'Skipped']) if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
});

describe('kernelOverrides', () => {
  it('replaces and adds kernels, keeps the stock setup, installs once and restores the stock registry', () => {
    tf.registerKernel({kernelName: 'Replaced', backendName, kernelFunc: stockFunc, setupFunc});
    const seen: (tf.KernelConfig | null)[] = [];
    const kernels = kernelOverrides('@test/plugin', backendName, {
      Replaced: (stock) => (seen.push(stock), fixed),
      Added: (stock) => (seen.push(stock), added),
    });
    expect(kernels.kernelNames).toEqual(['Replaced', 'Added']);
    expect(kernels.installed()).toBe(false);

    kernels.install();
    expect(tf.getKernel('Replaced', backendName)?.kernelFunc).toBe(fixed);
    expect(tf.getKernel('Replaced', backendName)?.setupFunc).toBe(setupFunc);
    expect(tf.getKernel('Added', backendName)?.kernelFunc).toBe(added);
    expect(kernels.installed()).toBe(true);
    expect(kernels.stockOf('Replaced')?.kernelFunc).toBe(stockFunc);
    expect(kernels.stockOf('Added')).toBeNull();
    expect(seen.map((s) => s?.kernelFunc ?? null)).toEqual([stockFunc, null]);

    kernels.install();
    expect(seen).toHaveLength(2);

    // A second copy of the plugin (same owner) sees the installed state in the registry.
    const copy = kernelOverrides('@test/plugin', backendName, {Replaced: () => fixed, Added: () => added});
    expect(copy.installed()).toBe(true);
    expect(copy.restore()).toBe(true);
    expect(tf.getKernel('Replaced', backendName)?.kernelFunc).toBe(stockFunc);
    expect(tf.getKernel('Added', backendName)).toBeUndefined();
    expect(kernels.restore()).toBe(false);
  });

  it('leaves a kernel alone when its factory returns null', () => {
    const kernels = kernelOverrides('@test/plugin', backendName, {Skipped: (stock) => (stock ? fixed : null)});
    kernels.install();
    expect(tf.getKernel('Skipped', backendName)).toBeUndefined();
    expect(kernels.installed()).toBe(false);
    expect(kernels.restore()).toBe(false);
  });
});
