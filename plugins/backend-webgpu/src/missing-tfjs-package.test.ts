// tfjs-core first: its flags must exist before @trellis/core registers the gradients.
import '@tensorflow/tfjs-core';
import {BackendError} from '@trellis/core';
import {afterAll, describe, expect, it, vi} from 'vitest';
import {webgpu} from './index';

// Simulates an install without the peer package.
vi.mock('@tensorflow/tfjs-backend-webgpu', () => {
  throw new Error("Cannot find package '@tensorflow/tfjs-backend-webgpu'");
});

const scope = globalThis as {navigator?: unknown};
const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
afterAll(() => {
  if (original) Object.defineProperty(globalThis, 'navigator', original);
  else delete scope.navigator;
});

describe('webgpu() without @tensorflow/tfjs-backend-webgpu', () => {
  it('register() rejects with a BackendError that says what to install', async () => {
    // An adapter is there (a stand-in): only the tfjs package is missing.
    Object.defineProperty(globalThis, 'navigator', {
      value: {gpu: {requestAdapter: async () => ({info: {vendor: 'test', device: 'gpu'}})}},
      configurable: true,
      writable: true,
    });
    const error = await webgpu()
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/npm install @tensorflow\/tfjs-backend-webgpu@\^4\.22\.0/);
  });
});
