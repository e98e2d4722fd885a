// tfjs-core first: its flags must exist before @trellis/core registers the gradients.
import '@tensorflow/tfjs-core';
import {BackendError} from '@trellis/core';
import {afterAll, describe, expect, it, vi} from 'vitest';
import {restoreNavigator, standInGpu} from '../test/stand-in-navigator';
import {webgpu} from './index';

// Simulates an install without the peer package.
vi.mock('@tensorflow/tfjs-backend-webgpu', () => {
  throw new Error("Cannot find package '@tensorflow/tfjs-backend-webgpu'");
});

afterAll(restoreNavigator);

describe('webgpu() without @tensorflow/tfjs-backend-webgpu', () => {
  it('register() rejects with a BackendError that says what to install', async () => {
    // An adapter is there (a stand-in): only the tfjs package is missing.
    standInGpu({requestAdapter: async () => ({info: {vendor: 'test', device: 'gpu'}})});
    const error = await webgpu()
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/npm install @tensorflow\/tfjs-backend-webgpu@\^4\.22\.0/);
  });
});
