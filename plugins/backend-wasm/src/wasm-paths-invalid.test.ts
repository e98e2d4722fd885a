// tfjs-core first: its flags must exist before @trellis/core registers the gradients.
import '@tensorflow/tfjs-core';
import {BackendError, useBackend} from '@trellis/core';
import {describe, expect, it, vi} from 'vitest';
import {wasm} from './index';

describe('wasm({wasmPaths}) pointing nowhere', () => {
  it('makes useBackend reject with a BackendError, and so does a later change of paths', async () => {
    // tfjs and emscripten log the failed load; keep the test output clean.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const missing = await useBackend(wasm({wasmPaths: '/nonexistent/trellis-wasm/'})).catch((e: unknown) => e);
    expect(BackendError.is(missing)).toBe(true);
    expect((missing as Error).message).toMatch(/'wasm' failed to initialize/);
    const late = await wasm({wasmPaths: '/elsewhere/'})
      .register()
      .catch((e: unknown) => e);
    expect(BackendError.is(late)).toBe(true);
    expect((late as Error).message).toMatch(/setWasmPaths rejected wasmPaths '\/elsewhere\/'/);
    vi.restoreAllMocks();
  });
});
