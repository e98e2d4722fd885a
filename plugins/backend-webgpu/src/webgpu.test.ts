// webgpu() without a GPU: options, and the errors register() gives when
// WebGPU has no adapter (a stand-in navigator.gpu). Runs everywhere.
import '@tensorflow/tfjs-backend-cpu';
import {BackendError, ConfigError, useBackend} from '@trellis/core';
import {describeBackendPlugin, expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {afterEach, expect, it} from 'vitest';
import {restoreNavigator, standInGpu} from '../test/stand-in-navigator';
import {webgpu} from './index';

/** Puts a stand-in `navigator.gpu` whose `requestAdapter` resolves to `adapter`. */
function fakeGpu(adapter: unknown): void {
  standInGpu({requestAdapter: async () => adapter});
}

afterEach(restoreNavigator);

describeBackendPlugin('webgpu', webgpu, {capabilities: {training: true, threads: 1, syncReadback: false}, registers: false}, () => {
  it('refuses malformed and unknown options with a ConfigError', async () => {
    expect(() => webgpu({powerPreference: 'fast' as never})).toThrow(ConfigError);
    expect(() => webgpu({dawnFlags: 'backend=vulkan' as never})).toThrow(/array of strings/);
    expect(() => webgpu({trellisKernels: 'yes' as never})).toThrow(ConfigError);
    expect(() => webgpu(3 as never)).toThrow(ConfigError);
    for (const key of ['powerPreference', 'dawnFlags', 'trellisKernels']) {
      await expectUnknownOptionRefused(() => webgpu({[misspell(key)]: undefined} as never), 'webgpu', key);
    }
  });

  it('register() without an adapter rejects with a BackendError that says which driver to install', async () => {
    fakeGpu(null);
    const error = await webgpu()
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/no adapter/);
    expect((error as Error).message).toMatch(/mesa-vulkan-drivers/);
    expect((error as Error).message).toMatch(/bookworm-backports/);
  });

  it("treats Dawn's null backend (an adapter that computes nothing) as no adapter", async () => {
    fakeGpu({info: {vendor: '', architecture: '', device: 'null-backend', description: ''}});
    const error = await webgpu()
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/no adapter/);
  });

  it('register() turns a failing requestAdapter() into a BackendError', async () => {
    standInGpu({requestAdapter: () => Promise.reject(new Error('device lost'))});
    const error = await webgpu()
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/requestAdapter\(\) failed: device lost/);
  });

  it('useBackend(webgpu()) rejects with the same BackendError', async () => {
    fakeGpu(null);
    const error = await useBackend(webgpu()).catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/no adapter/);
  });
});
