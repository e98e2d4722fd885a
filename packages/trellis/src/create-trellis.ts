/**
 * `createTrellis()`: the default assembly.
 * @module
 */
import {cpu} from '@trellis/backend-cpu';
import {wasm} from '@trellis/backend-wasm';
import {
  ConfigError,
  checkOptions,
  chooseBackend,
  defaultRegistry,
  describe,
  useBackend,
  type BackendChoice,
  type BackendPlugin,
  type ChooseBackendOptions,
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
import {backendCandidates} from './backend-candidates';

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
   * The backend to make active: `'wasm'` (default: the fastest on CPU of the
   * backends every install has, with Trellis' faster matmul kernels), `'cpu'`
   * (the determinism reference), `'auto'` (the fastest that works here:
   * node-gpu, webgpu on a hardware adapter, node, wasm, cpu, see
   * `backends.candidates`; the choice and the reason each faster one was
   * skipped are printed and returned as `choice`), a backend plugin, or
   * `false` to leave the host's backend alone.
   */
  readonly backend?: 'auto' | 'wasm' | 'cpu' | BackendPlugin | false;
  /** For `backend: 'auto'`: where the choice is printed (default `console.info`; `false`: nowhere). */
  readonly print?: ChooseBackendOptions['print'];
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
  /** With `backend: 'auto'`: what was chosen and why each faster backend was skipped; otherwise null. */
  readonly choice: BackendChoice | null;
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
 *
 * @example
 * const {choice} = await createTrellis({backend: 'auto'});
 * console.log(choice.chosen, choice.skipped); // 'node', [{name: 'node-gpu', reason: '…'}, {name: 'webgpu', reason: 'software adapter (…)'}]
 *
 * @throws {ConfigError} for an unknown option or backend.
 * @throws {BackendError} when the backend cannot be registered (for `'auto'`: when none works).
 */
export async function createTrellis(options: TrellisOptions = {}): Promise<Trellis> {
  checkOptions('createTrellis', options, ['backend', 'registry', 'plugins', 'print']);
  const registry = (options.registry ?? defaultRegistry()).use(...defaultPlugins, ...(options.plugins ?? []));
  const wanted = options.backend ?? 'wasm';
  if (options.print !== undefined && wanted !== 'auto') {
    throw new ConfigError(`createTrellis({print}) applies to backend: 'auto' only; the backend is ${describe(wanted)}.`);
  }
  if (wanted === false) return {registry, backend: null, choice: null};
  if (wanted === 'auto') {
    const choice = await chooseBackend(backendCandidates(), options.print === undefined ? {} : {print: options.print});
    return {registry, backend: choice.backend, choice};
  }
  const plugin = wanted === 'wasm' ? wasm() : wanted === 'cpu' ? cpu() : wanted;
  if (plugin === null || typeof plugin !== 'object' || typeof plugin.register !== 'function') {
    throw new ConfigError(`backend must be 'auto', 'wasm', 'cpu', a backend plugin or false; got ${describe(wanted)}.`);
  }
  return {registry, backend: await useBackend(plugin), choice: null};
}
