/**
 * `createTrellis()`: the default assembly.
 * @module
 */
import {cpu} from '@trellis/backend-cpu';
import {wasm} from '@trellis/backend-wasm';
import {
  ConfigError,
  checkOptions,
  defaultRegistry,
  describe,
  useBackend,
  type BackendPlugin,
  type Plugin,
  type Registry,
} from '@trellis/core';
import {callbacksPlugin} from '@trellis/callbacks';
import {initializersPlugin} from '@trellis/initializers';
import {layersPlugin} from '@trellis/layers';
import {metricsPlugin} from '@trellis/metrics';
import {optimizersPlugin} from '@trellis/optimizers';
import {regularizersPlugin} from '@trellis/regularizers';
import {schedulesPlugin} from '@trellis/schedules';
import {serializersPlugin} from '@trellis/serializers';
import {tensorboardPlugin} from '@trellis/tensorboard';

/** The plugins of the default assembly, in setup order. */
export const defaultPlugins: readonly Plugin[] = [
  initializersPlugin,
  regularizersPlugin,
  layersPlugin,
  schedulesPlugin,
  optimizersPlugin,
  metricsPlugin,
  callbacksPlugin,
  tensorboardPlugin,
  serializersPlugin,
];

/** Options of {@link createTrellis}. */
export type TrellisOptions = {
  /**
   * The backend to make active: `'wasm'` (default: the fastest on CPU, with
   * Trellis' faster matmul kernels), `'cpu'` (the determinism reference), a
   * backend plugin, or `false` to leave the host's backend alone.
   */
  readonly backend?: 'wasm' | 'cpu' | BackendPlugin | false;
  /**
   * The registry to set the plugins up in (default: `defaultRegistry()`, the
   * one `compile`, layer options, `cloneModel` and `loadModel` use when given
   * none, so string ids such as `'adam'` or `'he_normal'` work without
   * passing a registry).
   */
  readonly registry?: Registry;
  /** More plugins, set up after the default ones. */
  readonly plugins?: readonly Plugin[];
};

/** What {@link createTrellis} set up. */
export type Trellis = {
  /** Holds every default layer, loss, optimizer, initializer, regularizer, constraint, metric and callback id (`trellis/adam`...). */
  readonly registry: Registry;
  /** The active tfjs backend's name, or null when `backend: false`. */
  readonly backend: string | null;
};

/**
 * Sets up the default assembly: the default plugins in the default registry
 * (or in `options.registry`) and the chosen backend made active. Afterwards
 * ids work wherever an object is expected, in Trellis' spelling
 * (`'sparseCategoricalCrossentropy'`) or Keras' (`'sparse_categorical_crossentropy'`,
 * `'mse'`, `'acc'`, `'SGD'`, `'he_normal'`, `'l2'`), without passing a
 * registry. Calling it again sets nothing up twice.
 *
 * @example
 * await createTrellis({backend: 'wasm'});
 * model.compile({optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['acc']});
 */
export async function createTrellis(options: TrellisOptions = {}): Promise<Trellis> {
  checkOptions('createTrellis', options, ['backend', 'registry', 'plugins']);
  const registry = (options.registry ?? defaultRegistry()).use(...defaultPlugins, ...(options.plugins ?? []));
  const choice = options.backend ?? 'wasm';
  let backend: string | null = null;
  if (choice !== false) {
    const plugin = choice === 'wasm' ? wasm() : choice === 'cpu' ? cpu() : choice;
    if (plugin === null || typeof plugin !== 'object' || typeof plugin.register !== 'function') {
      throw new ConfigError(`backend must be 'wasm', 'cpu', a backend plugin or false; got ${describe(choice)}.`);
    }
    backend = await useBackend(plugin);
  }
  return {registry, backend};
}
