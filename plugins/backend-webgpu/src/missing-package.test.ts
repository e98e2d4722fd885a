// tfjs-core first: its flags must exist before @trellis/core registers the gradients.
import '@tensorflow/tfjs-core';
import {BackendError} from '@trellis/core';
import {describe, expect, it, vi} from 'vitest';
import {diagnose, webgpu} from './index';

// Simulates Node without Dawn's binding.
vi.mock('webgpu', () => {
  throw new Error("Cannot find package 'webgpu' imported from /app/index.js");
});

describe("webgpu() in Node without the 'webgpu' package", () => {
  it('register() rejects with a BackendError that says what to install', async () => {
    expect((globalThis as {navigator?: {gpu?: unknown}}).navigator?.gpu).toBeUndefined();
    const error = await webgpu()
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/npm install webgpu@\^0\.6\.2/);
  });

  it('diagnose() reports it as the problem, without throwing', async () => {
    const d = await diagnose();
    expect(d.source).toBe('none');
    expect(d.adapter).toBeNull();
    expect(d.usable).toBe(false);
    expect(d.problems).toEqual([expect.stringMatching(/npm install webgpu@\^0\.6\.2/)]);
    expect(d.text).toContain('navigator.gpu: none');
  });
});
