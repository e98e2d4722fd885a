import {BackendError, ConfigError, checkOptions, type BackendCapabilities, type BackendPlugin} from '@trellis/core';

/** Options of {@link cpu}: none, the cpu backend has nothing to configure. */
export type CpuOptions = Record<string, never>;

/** What the tfjs `cpu` backend can do: every gradient, one thread, synchronous readback. */
const capabilities: BackendCapabilities = Object.freeze({training: true, threads: 1, syncReadback: true});

let loading: Promise<void> | undefined;

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
    register() {
      // One import for every cpu() plugin in the process; a failed import is retried next time.
      loading ??= import('@tensorflow/tfjs-backend-cpu').then(
        () => undefined,
        (error: unknown) => {
          loading = undefined;
          throw new BackendError(
            `@tensorflow/tfjs-backend-cpu could not be imported (${(error as Error)?.message ?? String(error)}). ` +
              `Install it next to @tensorflow/tfjs-core: npm install @tensorflow/tfjs-backend-cpu@^4.22.0.`,
            {cause: error},
          );
        },
      );
      return loading;
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
