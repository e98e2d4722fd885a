import {BackendError, ConfigError, describe, type BackendCapabilities, type BackendPlugin} from '@trellis/core';
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
   * Replace the stock `BatchMatMul`/`_FusedMatMul` kernels with Trellis' fast
   * and correct ones, and `Slice`/`GatherV2` with row-copy kernels (see the
   * package README). Default true. `false` leaves whatever is registered
   * untouched.
   */
  fastMatMul?: boolean;
};

/** What the tfjs `wasm` backend can do with Trellis' kernels. */
const capabilities: BackendCapabilities = Object.freeze({training: true, threads: 1, syncReadback: true});

type WasmModule = {setWasmPaths(prefixOrFileMap: WasmOptions['wasmPaths'], usePlatformFetch?: boolean): void};

let loading: Promise<WasmModule> | undefined;
/** The `setWasmPaths` arguments last applied, so registering the same plugin again does not re-apply them. */
let appliedWasmPaths: string | undefined;

/** Imports the peer package once per process; a failed import is retried next time. */
function loadBackendPackage(): Promise<WasmModule> {
  loading ??= import('@tensorflow/tfjs-backend-wasm').then(
    (module) => {
      // A CommonJS build seen from ESM may only expose its exports on `default`.
      const candidate = module as Partial<WasmModule> & {default?: Partial<WasmModule>};
      const setWasmPaths = candidate.setWasmPaths ?? candidate.default?.setWasmPaths;
      if (typeof setWasmPaths !== 'function') {
        throw new BackendError('@tensorflow/tfjs-backend-wasm loaded but exports no setWasmPaths: expected version ^4.22.0.');
      }
      return {setWasmPaths};
    },
    (error: unknown) => {
      loading = undefined;
      throw new BackendError(
        `@tensorflow/tfjs-backend-wasm could not be imported (${(error as Error)?.message ?? String(error)}). ` +
          `Install it next to @tensorflow/tfjs-core: npm install @tensorflow/tfjs-backend-wasm@^4.22.0.`,
        {cause: error},
      );
    },
  );
  return loading;
}

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
 * single-threaded in Node), with Trellis' matmul kernels.
 *
 * `register()` imports the peer package lazily (importing it registers the
 * tfjs backend named `'wasm'`), applies `wasmPaths` if given, and replaces the
 * stock `BatchMatMul` and `_FusedMatMul` kernels with Trellis' wrappers, which
 * keep transposed and batched products on XNNPACK (every dense layer's
 * backward pass: 6–26× faster per product, ≈ 9× per MLP training step) and
 * fix the stock fused kernel's wrong results with a bias or relu off the fast
 * path. It never calls `tf.setBackend`; activate the backend with
 * `await useBackend(wasm())` from `@trellis/core`. Undo the kernel
 * replacement with `restoreStockKernels()`.
 *
 * Not yet provided: `Conv2DBackpropFilter` and the depthwise gradient
 * kernels, which the stock backend lacks (and a fast `Conv2DBackpropInput`),
 * so CNN training fails on wasm for now (`capabilities.training` refers to
 * dense models).
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
