import * as tf from '@tensorflow/tfjs-core';
import {
  BackendError,
  ConfigError,
  checkOptions,
  describe,
  peerPackageLoader,
  type BackendCapabilities,
  type BackendPlugin,
} from '@trellis/core';
import {installTrellisKernels} from './kernel-overrides';
import {wrapMethod} from './prototype-wrap';
import {adapterName, ensureNavigatorGpu, requireAdapter, type AdapterLike, type GpuLike} from './navigator-gpu';

/** Options of {@link webgpu}. */
export type WebGpuOptions = {
  /**
   * Which adapter to ask for when a machine has two GPUs. Default
   * `'high-performance'`, as tfjs does (tfjs' `WEBGPU_USE_LOW_POWER_GPU`
   * flag is set to match).
   */
  powerPreference?: 'high-performance' | 'low-power';
  /**
   * Node only: flags for Dawn's `create()` when this plugin provides
   * `navigator.gpu` (e.g. `['backend=vulkan']`, `['adapter=NAME']`).
   * Default `[]`: Dawn picks its backend. Ignored where `navigator.gpu`
   * already exists (browsers, or an app that installed its own).
   */
  dawnFlags?: readonly string[];
  /**
   * Install Trellis' kernels in place of the stock ones tfjs-backend-webgpu
   * gets wrong for training (see the package README). Default true.
   */
  trellisKernels?: boolean;
};

const OPTION_KEYS = ['powerPreference', 'dawnFlags', 'trellisKernels'] as const;

/**
 * What the tfjs `webgpu` backend can do with Trellis' kernels. No synchronous
 * readback: tfjs reads GPU data synchronously only through an
 * `OffscreenCanvas`, which Node lacks and which is slow in browsers; Trellis
 * reads back asynchronously.
 */
const capabilities: BackendCapabilities = Object.freeze({training: true, threads: 1, syncReadback: false});

type WebGpuModule = {WebGPUBackend: (new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend) & {prototype: {readSync: ReadSync}}};
type ReadSync = (this: unknown, dataId: object) => unknown;

const explained = Symbol.for('@trellis/backend-webgpu/read-sync-explained');

/**
 * tfjs reads GPU data synchronously (`dataSync`, `arraySync`) only through
 * an `OffscreenCanvas`, which Node lacks: the stock error is
 * `ReferenceError: OffscreenCanvas is not defined`. Where there is none, a
 * failed synchronous read becomes a `BackendError` that says to read
 * asynchronously. Data still on the CPU (not yet uploaded) reads as before.
 */
function explainSyncReadback(module: WebGpuModule): void {
  if (typeof OffscreenCanvas === 'undefined') wrapMethod(module.WebGPUBackend.prototype, 'readSync', explained, explainingReadFailures);
}

/** `readSync` with a failure for want of an `OffscreenCanvas` turned into a `BackendError` that says what to do. */
function explainingReadFailures(readSync: ReadSync): ReadSync {
  return function (this: unknown, dataId) {
    try {
      return readSync.call(this, dataId);
    } catch (error) {
      if (!(error instanceof ReferenceError) || !/OffscreenCanvas/.test(error.message)) throw error;
      throw new BackendError(
        'The webgpu backend cannot read GPU data synchronously here (dataSync/arraySync need an OffscreenCanvas, ' +
          'which Node lacks). Read asynchronously instead: await tensor.data() / await tensor.array().',
        {cause: error},
      );
    }
  };
}

let adapterLine: string | undefined;

/** Imports the peer package once per process; a failed import is retried next time. */
const loadBackendPackage = peerPackageLoader<WebGpuModule>(
  '@tensorflow/tfjs-backend-webgpu',
  () => import('@tensorflow/tfjs-backend-webgpu'),
  ['WebGPUBackend'],
);

/**
 * tfjs-backend-webgpu registers its backend on import only if `navigator.gpu`
 * existed then. When it was imported earlier (before Dawn was installed), the
 * same factory is registered here: an adapter, a device with the adapter's
 * limits, and the package's `WebGPUBackend`.
 */
function registerFactory(module: WebGpuModule, gpu: GpuLike): void {
  if (tf.findBackendFactory('webgpu') != null) return;
  tf.registerBackend(
    'webgpu',
    async () => {
      const adapter = (await gpu.requestAdapter({
        powerPreference: tf.env().get('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance',
      })) as (AdapterLike & {limits: Record<string, number>; requestDevice(d: unknown): Promise<unknown>}) | null;
      if (adapter == null) throw new BackendError('WebGPU has no adapter any more (the GPU was lost).');
      const requiredFeatures = ['timestamp-query'].filter((f) => adapter.features?.has(f));
      const limits = adapter.limits;
      const device = await adapter.requestDevice({
        requiredFeatures,
        requiredLimits: Object.fromEntries(
          [
            'maxComputeWorkgroupStorageSize',
            'maxComputeWorkgroupsPerDimension',
            'maxStorageBufferBindingSize',
            'maxBufferSize',
            'maxComputeWorkgroupSizeX',
            'maxComputeInvocationsPerWorkgroup',
          ].map((k) => [k, limits[k]]),
        ),
      });
      return new module.WebGPUBackend(device, adapter.info);
    },
    3,
  );
}

function checkWebGpuOptions(options: unknown): WebGpuOptions {
  const checked = checkOptions('webgpu', options, OPTION_KEYS);
  const {powerPreference, dawnFlags, trellisKernels} = checked;
  if (powerPreference !== undefined && powerPreference !== 'high-performance' && powerPreference !== 'low-power') {
    throw new ConfigError(`webgpu({powerPreference}) expects 'high-performance' or 'low-power'; got ${describe(powerPreference)}.`);
  }
  if (dawnFlags !== undefined && !(Array.isArray(dawnFlags) && dawnFlags.every((f) => typeof f === 'string'))) {
    throw new ConfigError(`webgpu({dawnFlags}) expects an array of strings such as ['backend=vulkan']; got ${describe(dawnFlags)}.`);
  }
  if (trellisKernels !== undefined && typeof trellisKernels !== 'boolean') {
    throw new ConfigError(`webgpu({trellisKernels}) expects true or false; got ${describe(trellisKernels)}.`);
  }
  return checked as WebGpuOptions;
}

/**
 * The tfjs `webgpu` backend (`@tensorflow/tfjs-backend-webgpu`, WGSL compute
 * shaders): in browsers on their own WebGPU, in Node on Dawn's (the `webgpu`
 * npm package, installed as `navigator.gpu` when there is none).
 *
 * `register()` makes sure `navigator.gpu` exists, asks it for an adapter
 * (so a missing driver is a clear error, not a failed `setBackend`), imports
 * the peer package lazily (importing it registers the tfjs backend named
 * `'webgpu'`), and installs Trellis' kernels where the stock ones are wrong
 * for training. It never calls `tf.setBackend`; activate the backend with
 * `await useBackend(webgpu())` from `@trellis/core`.
 *
 * @param options - see {@link WebGpuOptions}.
 * @returns a backend plugin; `register()` is safe to call more than once.
 * @throws {ConfigError} for malformed or unknown options.
 * @throws {BackendError} from `register()` when there is no WebGPU (a browser
 *   without it, Node without the `webgpu` package), no adapter (no GPU
 *   driver: the message says which to install), or no
 *   `@tensorflow/tfjs-backend-webgpu`.
 */
export function webgpu(options?: WebGpuOptions): BackendPlugin {
  const {powerPreference = 'high-performance', dawnFlags = [], trellisKernels = true} = checkWebGpuOptions(options);
  return {
    specVersion: 1,
    name: 'webgpu',
    capabilities,
    async register() {
      const gpu = await ensureNavigatorGpu(dawnFlags);
      const adapter = await requireAdapter(gpu, powerPreference);
      adapterLine = adapterName(adapter);
      const module = await loadBackendPackage();
      // Registered by the package on import; tfjs' factory reads it for its own adapter request.
      if (tf.env().get('WEBGPU_USE_LOW_POWER_GPU') !== (powerPreference === 'low-power')) {
        tf.env().set('WEBGPU_USE_LOW_POWER_GPU', powerPreference === 'low-power');
      }
      registerFactory(module, gpu);
      explainSyncReadback(module);
      if (trellisKernels) installTrellisKernels(module.WebGPUBackend.prototype);
    },
  };
}

/**
 * The adapter the last successful `register()` found (`'mesa software
 * llvmpipe: Mesa 25.0.7 …'` on lavapipe), or `undefined` before that. A
 * software adapter (`architecture` `software`) computes correctly but slowly.
 */
export function describeAdapter(): string | undefined {
  return adapterLine;
}
