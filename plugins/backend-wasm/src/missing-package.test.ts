// tfjs-core first: its flags must exist before @trellis/core registers the gradients.
import '@tensorflow/tfjs-core';
import {BackendError, useBackend} from '@trellis/core';
import {describe, expect, it, vi} from 'vitest';
import {wasm} from './index';

// Simulates an install without the peer package.
vi.mock('@tensorflow/tfjs-backend-wasm', () => {
  throw new Error("Cannot find package '@tensorflow/tfjs-backend-wasm'");
});

describe('wasm() without @tensorflow/tfjs-backend-wasm', () => {
  it('register() rejects with a BackendError that says what to install', async () => {
    const error = await wasm()
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/npm install @tensorflow\/tfjs-backend-wasm/);
  });

  it('useBackend(wasm()) rejects with a BackendError', async () => {
    const error = await useBackend(wasm()).catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
  });
});
