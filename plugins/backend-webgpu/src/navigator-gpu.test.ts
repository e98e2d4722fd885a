// In Node, register() provides navigator.gpu from Dawn (the `webgpu`
// package) and Dawn's globals, whether or not an adapter is found then.
import '@tensorflow/tfjs-core';
import {globals} from 'webgpu';
import {describe, expect, it} from 'vitest';
import {webgpu} from './index';

const scope = globalThis as {navigator?: {gpu?: {requestAdapter?: unknown}}; GPUBufferUsage?: unknown};

describe("navigator.gpu in Node (Dawn's)", () => {
  it('is installed by register(), with the WebGPU globals tfjs reads, keeping what was there', async () => {
    expect(scope.navigator?.gpu).toBeUndefined();
    const other = {userAgent: 'kept'};
    const hadNavigator = scope.navigator !== undefined;
    if (!hadNavigator) Object.defineProperty(globalThis, 'navigator', {value: other, configurable: true, writable: true});
    // Without a GPU driver this rejects (no adapter); navigator.gpu is in place either way.
    await webgpu()
      .register()
      .catch(() => undefined);
    expect(typeof scope.navigator?.gpu?.requestAdapter).toBe('function');
    if (!hadNavigator) expect((scope.navigator as {userAgent?: string}).userAgent).toBe('kept');
    expect(scope.GPUBufferUsage).toBe((globals as {GPUBufferUsage?: unknown}).GPUBufferUsage);
  });
});
