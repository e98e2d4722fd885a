import {BackendError, ConfigError, describe, peerPackageLoader, type BackendCapabilities, type BackendPlugin} from '@trellis/core';
import {installTrellisKernels} from './kernel-overrides';

/** The three binaries tfjs-backend-wasm picks from (plain, SIMD, threaded SIMD). */
export type WasmBinaryName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

/** Options of {@link wasm}. */
export type WasmOptions = {
  /**
   * Where the `.wasm` binaries are served from, passed to tfjs'
   * `setWasmPaths`: a URL prefix ending in `/` (`'/static/tfjs/'`, a CDN
   * folder) or one URL per binary (all three). Needed in browsers and bundles,
   * where the binaries are not next to the JavaScript. Not needed in Node when
   * the package is not bundled: it finds its binaries in its own folder.
   */
  wasmPaths?: string | {[name in WasmBinaryName]: string};
  /** Let tfjs fetch the binaries with the platform's `fetch` (`setWasmPaths`' second argument). Default false. */
  usePlatformFetch?: boolean;
  /**
   * Install Trellis' kernels (see the package README): the fast and correct
   * `BatchMatMul`/`_FusedMatMul`, the row-copy `Slice`/`GatherV2`, the
   * convolution and pooling gradients (`Conv2DBackpropFilter`,
   * `Conv2DBackpropInput`, the depthwise gradients, `MaxPoolGrad`),
   * `UnsortedSegmentSum`, a correct image `Transform` and forward
   * convolutions with correct `'same'` padding. Default true.
   * `false` leaves whatever is registered untouched (the stock backend then
   * cannot train convolutional layers or embeddings).
   */
  fastMatMul?: boolean;
};

/** What the tfjs `wasm` backend can do with Trellis' kernels. */
const capabilities: BackendCapabilities = Object.freeze({training: true, threads: 1, syncReadback: true});

type WasmModule = {setWasmPaths(prefixOrFileMap: WasmOptions['wasmPaths'], usePlatformFetch?: boolean): void};

/** The `setWasmPaths` arguments last applied, so registering the same plugin again does not re-apply them. */
let appliedWasmPaths: string | undefined;

/** Imports the peer package once per process; a failed import is retried next time. */
const loadBackendPackage = peerPackageLoader<WasmModule>('@tensorflow/tfjs-backend-wasm', () => import('@tensorflow/tfjs-backend-wasm'), [
  'setWasmPaths',
]);

function checkOptions(options: unknown): WasmOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`wasm(options) expects an options object or nothing; got ${describe(options)}.`);
  }
  const {wasmPaths, usePlatformFetch, fastMatMul} = options as Record<string, unknown>;
  if (wasmPaths !== undefined && typeof wasmPaths !== 'string' && (typeof wasmPaths !== 'object' || wasmPaths === null)) {
    throw new ConfigError(
      `wasm({wasmPaths}) expects a URL prefix string or a map of the three binary names to URLs; got ${describe(wasmPaths)}.`,
    );
  }
  for (const [name, value] of [
    ['usePlatformFetch', usePlatformFetch],
    ['fastMatMul', fastMatMul],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean') {
      throw new ConfigError(`wasm({${name}}) expects true or false; got ${describe(value)}.`);
    }
  }
  return options as WasmOptions;
}

/**
 * The tfjs `wasm` backend (`@tensorflow/tfjs-backend-wasm`: XNNPACK, SIMD,
 * single-threaded in Node), with Trellis' training kernels.
 *
 * `register()` imports the peer package lazily (importing it registers the
 * tfjs backend named `'wasm'`), applies `wasmPaths` if given, and replaces the
 * stock `BatchMatMul` and `_FusedMatMul` kernels with Trellis' wrappers, which
 * keep transposed and batched products on XNNPACK (every dense layer's
 * backward pass: 6–26× faster per product, ≈ 9× per MLP training step) and
 * fix the stock fused kernel's wrong results with a bias or relu off the fast
 * path. It also adds the training kernels the stock backend lacks
 * (`Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`/`Input`,
 * `UnsortedSegmentSum`) and replaces its wrong `MaxPoolGrad` and `Transform`,
 * its forward convolutions (wrong `'same'` padding for kernels smaller than
 * their stride) and its slow `Conv2DBackpropInput`, all built from the backend's own kernels, so
 * convolutional nets and embeddings train. It never calls `tf.setBackend`;
 * activate the backend with `await useBackend(wasm())` from `@trellis/core`.
 * Undo the kernel changes with `restoreStockKernels()`.
 *
 * @param options - see {@link WasmOptions}.
 * @returns a backend plugin; `register()` is safe to call more than once.
 * @throws {ConfigError} for malformed options.
 * @throws {BackendError} from `register()` when the package cannot be imported
 *   or `setWasmPaths` rejects the paths (after a failed initialization).
 */
export function wasm(options?: WasmOptions): BackendPlugin {
  const {wasmPaths, usePlatformFetch = false, fastMatMul = true} = checkOptions(options);
  return {
    specVersion: 1,
    name: 'wasm',
    capabilities,
    async register() {
      const module = await loadBackendPackage();
      const pathsKey = wasmPaths === undefined ? undefined : JSON.stringify([wasmPaths, usePlatformFetch]);
      if (pathsKey !== undefined && pathsKey !== appliedWasmPaths) {
        try {
          module.setWasmPaths(wasmPaths, usePlatformFetch);
          appliedWasmPaths = pathsKey;
        } catch (error) {
          throw new BackendError(
            `setWasmPaths rejected wasmPaths ${describe(wasmPaths)}: ${(error as Error)?.message ?? String(error)} ` +
              `A wasm backend that failed to initialize cannot be retried with other paths in this process: ` +
              `fix wasmPaths (the folder holding tfjs-backend-wasm*.wasm) and restart.`,
            {cause: error},
          );
        }
      }
      if (fastMatMul) installTrellisKernels();
    },
  };
}
