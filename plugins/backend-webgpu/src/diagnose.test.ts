// diagnose() with stand-in adapters (runs everywhere): what it reports for a
// GPU, for software adapters (lavapipe, SwiftShader, a fallback adapter) and
// for no adapter, and that it imports no tfjs backend.
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError} from '@trellis/core';
import {afterEach, describe, expect, it} from 'vitest';
import {restoreNavigator, standInGpu} from '../test/stand-in-navigator';
import {diagnose} from './index';

/** A stand-in `navigator.gpu` whose adapter is `adapter`; records the options asked with. */
function fakeGpu(adapter: unknown): {asked: unknown[]} {
  const asked: unknown[] = [];
  standInGpu({
    requestAdapter: async (options: unknown) => {
      asked.push(options);
      return adapter;
    },
  });
  return {asked};
}

afterEach(restoreNavigator);

const nvidia = {info: {vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA GeForce RTX 3060'}};

describe('diagnose()', () => {
  it('a GPU adapter: usable, not software, the peer packages with their versions, no problems', async () => {
    const {asked} = fakeGpu(nvidia);
    const d = await diagnose({powerPreference: 'low-power'});
    expect(asked).toEqual([{powerPreference: 'low-power'}]);
    expect(d.source).toBe('host');
    expect(d.adapter).toEqual({
      name: 'nvidia ampere NVIDIA GeForce RTX 3060',
      vendor: 'nvidia',
      architecture: 'ampere',
      device: '',
      description: 'NVIDIA GeForce RTX 3060',
      software: false,
    });
    expect(d.packages).toEqual([
      {name: 'webgpu', installed: true, version: '0.6.2'},
      {name: '@tensorflow/tfjs-backend-webgpu', installed: true, version: tf.version_core},
    ]);
    expect(d.usable).toBe(true);
    expect(d.problems).toEqual([]);
    expect(d.text).toContain("navigator.gpu: the host's own");
    expect(d.text).toContain('adapter: nvidia ampere NVIDIA GeForce RTX 3060\n');
    expect(d.text).toContain('webgpu() would register: yes');
  });

  it('tells software adapters (lavapipe, SwiftShader, a fallback adapter) from GPUs', async () => {
    const software = [
      {
        info: {
          vendor: 'mesa',
          architecture: 'software',
          device: 'llvmpipe-llvm-15',
          description: 'llvmpipe: Mesa 25.0.7',
          isFallbackAdapter: true,
        },
      },
      {info: {vendor: 'google', architecture: '', device: '', description: 'SwiftShader Device (Subzero)'}},
      {info: {vendor: 'x', architecture: 'y', device: 'z', description: 'w'}, isFallbackAdapter: true},
    ];
    for (const adapter of software) {
      fakeGpu(adapter);
      const d = await diagnose();
      expect(d.adapter?.software, JSON.stringify(adapter)).toBe(true);
      expect(d.usable).toBe(true);
      expect(d.text).toContain('(software: computes on the CPU, slower than wasm)');
    }
    fakeGpu(nvidia);
    expect((await diagnose()).adapter?.software).toBe(false);
  });

  it('no adapter: not usable, the problem says which driver to install; nothing is thrown', async () => {
    fakeGpu(null);
    const d = await diagnose();
    expect(d.adapter).toBeNull();
    expect(d.usable).toBe(false);
    expect(d.problems).toEqual([expect.stringMatching(/no adapter.*mesa-vulkan-drivers/s)]);
    expect(d.text).toContain('adapter: none');
    expect(d.text).toContain('Problems:\n  - WebGPU has no adapter');
  });

  it('registers no tfjs backend (it does not import @tensorflow/tfjs-backend-webgpu)', async () => {
    fakeGpu(nvidia);
    await diagnose();
    expect(tf.findBackendFactory('webgpu')).toBeNull();
  });

  it('refuses malformed and unknown options', async () => {
    await expect(diagnose({powerPreference: 'fast' as never})).rejects.toThrow(ConfigError);
    await expect(diagnose({dawnFlags: 'backend=vulkan' as never})).rejects.toThrow(/array of strings/);
    await expect(diagnose({timeout: 1} as never)).rejects.toThrow(/does not know the option 'timeout'/);
  });
});
