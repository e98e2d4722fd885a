// tfjs-core first: its flags must exist before @trellis/core registers the gradients.
import '@tensorflow/tfjs-core';
import {BackendError, useBackend} from '@trellis/core';
import {describe, expect, it, vi} from 'vitest';
import {cpu} from './index';

// Simulates an install without the peer package.
vi.mock('@tensorflow/tfjs-backend-cpu', () => {
  throw new Error("Cannot find package '@tensorflow/tfjs-backend-cpu'");
});

describe('cpu() without @tensorflow/tfjs-backend-cpu', () => {
  it('register() rejects with a BackendError that says what to install', async () => {
    const error = await cpu()
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/npm install @tensorflow\/tfjs-backend-cpu/);
  });

  it('useBackend(cpu()) rejects with a BackendError', async () => {
    const error = await useBackend(cpu()).catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
  });
});
