import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {expect, it} from 'vitest';
import {BackendError, ConfigError, useBackend, type BackendPlugin} from './index';

const plugin = (register: () => Promise<void>, name = 'cpu'): BackendPlugin => ({
  specVersion: 1,
  name,
  capabilities: {training: true, threads: 1, syncReadback: true},
  register,
});

it('registers a plugin and makes its backend active', async () => {
  let calls = 0;
  expect(await useBackend(plugin(async () => void calls++))).toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  expect(calls).toBe(1);
});

it('wraps failures in a BackendError without doubled punctuation', async () => {
  const error = await useBackend(plugin(() => Promise.reject(new Error('boom.')))).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BackendError);
  expect((error as Error).message).toBe('The cpu backend could not be registered: boom.');
  const missing = Object.assign(new Error("Cannot find module 'x'"), {code: 'ERR_MODULE_NOT_FOUND'});
  await expect(useBackend(plugin(() => Promise.reject(missing)))).rejects.toThrow(/Install its tfjs backend package/);
});

it('passes a plugin own Trellis errors through', async () => {
  const own = new ConfigError('bad wasmPaths');
  await expect(useBackend(plugin(() => Promise.reject(own)))).rejects.toBe(own);
});

it('names the registered backends for an unknown name', async () => {
  await expect(useBackend('webgpu')).rejects.toThrow(/No tfjs backend named 'webgpu' is registered \(registered: .*cpu/);
  await expect(useBackend(plugin(async () => undefined, 'nope'))).rejects.toThrow(BackendError);
  await expect(useBackend(42 as never)).rejects.toThrow(/expects a backend plugin, a backend name or 'auto'; got 42/);
});
