/**
 * Registering a backend plugin and making it the active tfjs backend.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {BackendError, describe, isTrellisError} from './errors';
import type {BackendPlugin} from './spec/backend';

/**
 * Registers `backend` (a plugin) or looks it up (a registered tfjs backend's
 * name) and makes it the active tfjs backend: the body of `useBackend` for
 * anything but `'auto'`. Resolves to the active backend's name.
 * @throws {BackendError} when registration fails, no such backend is
 *   registered, or it does not initialize.
 */
export async function activateBackend(backend: BackendPlugin | string): Promise<string> {
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
    throw new BackendError(`useBackend expects a backend plugin, a backend name or 'auto'; got ${describe(backend)}.`);
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
