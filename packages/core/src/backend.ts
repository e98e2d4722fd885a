/**
 * Choosing a backend.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {BackendError, describe, isTrellisError} from './errors';
import type {BackendPlugin} from './spec/backend';

/**
 * Registers a backend plugin and makes it the active tfjs backend. This is
 * the only place Trellis calls `tf.setBackend`, and only because the user asks.
 *
 * @param backend - a plugin (`wasm()`, `cpu()`), or the name of a tfjs backend
 *   that is already registered (`'cpu'`).
 * @returns the name of the active backend.
 */
export async function useBackend(backend: BackendPlugin | string): Promise<string> {
  let name: string;
  if (typeof backend === 'string') {
    name = backend;
  } else if (backend && typeof backend.register === 'function' && typeof backend.name === 'string') {
    try {
      await backend.register();
    } catch (error) {
      // A plugin's own Trellis errors already say what to do.
      if (isTrellisError(error)) throw error;
      const message = String((error as Error)?.message ?? error).replace(/[.\s]+$/, '');
      const missing = /MODULE_NOT_FOUND/.test(String((error as {code?: string})?.code));
      throw new BackendError(
        `The ${backend.name} backend could not be registered: ${message}.` +
          (missing ? ` Install its tfjs backend package (a peer dependency of the plugin).` : ''),
        {cause: error},
      );
    }
    name = backend.name;
  } else {
    throw new BackendError(`useBackend expects a backend plugin or a backend name; got ${describe(backend)}.`);
  }
  if (tf.findBackendFactory(name) == null) {
    throw new BackendError(
      `No tfjs backend named '${name}' is registered (registered: ${Object.keys(tf.engine().registryFactory).join(', ') || 'none'}). ` +
        `Pass a backend plugin, e.g. useBackend(cpu()) from @trellis/backend-cpu.`,
    );
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendError(`The tfjs backend '${name}' failed to initialize.`);
  await tf.ready();
  return tf.getBackend();
}
