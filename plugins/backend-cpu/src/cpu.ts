import {ConfigError, checkOptions, peerPackageLoader, type BackendCapabilities, type BackendPlugin} from '@trellis/core';

/** Options of {@link cpu}: none, the cpu backend has nothing to configure. */
export type CpuOptions = Record<string, never>;

/** What the tfjs `cpu` backend can do: every gradient, one thread, synchronous readback. */
const capabilities: BackendCapabilities = Object.freeze({training: true, threads: 1, syncReadback: true});

/** One import for every cpu() plugin in the process; a failed import is retried next time. */
const loadBackendPackage = peerPackageLoader('@tensorflow/tfjs-backend-cpu', () => import('@tensorflow/tfjs-backend-cpu'));

/**
 * The tfjs `cpu` backend (`@tensorflow/tfjs-backend-cpu`, plain JavaScript).
 *
 * Slow (≈ 0.8 GFLOP/s matmul) but the reference: every kernel and gradient
 * exists and results are deterministic for a given seed. `register()` imports
 * the peer package lazily (importing it registers the tfjs backend named
 * `'cpu'`); it registers no kernels of its own and never calls
 * `tf.setBackend`. Activate it with `await useBackend(cpu())` from
 * `@trellis/core`.
 *
 * @param options - none; any option (a typo, or an option of `wasm()`) throws.
 * @returns a backend plugin; calling `register()` more than once is harmless.
 * @throws {ConfigError} for any option, or an argument that is not an options object.
 * @throws {BackendError} from `register()` when `@tensorflow/tfjs-backend-cpu`
 *   cannot be imported (not installed).
 */
export function cpu(options?: CpuOptions): BackendPlugin {
  checkNoOptions(options);
  return {
    specVersion: 1,
    name: 'cpu',
    capabilities,
    async register() {
      await loadBackendPackage();
    },
  };
}

/** Refuses every option: none would be read, so a typo or a `wasm()` option must not pass silently. */
function checkNoOptions(options: unknown): void {
  const keys = options !== null && typeof options === 'object' && !Array.isArray(options) ? Object.keys(options) : [];
  if (keys.length > 0) {
    throw new ConfigError(
      `cpu takes no options (the cpu backend has nothing to configure); got ${keys.map((k) => `'${k}'`).join(', ')}. ` +
        'Remove them; wasmPaths, usePlatformFetch and fastMatMul are options of wasm() from @trellis/backend-wasm.',
    );
  }
  checkOptions('cpu', options, []);
}
