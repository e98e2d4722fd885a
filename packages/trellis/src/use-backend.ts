/**
 * The umbrella's `useBackend`: `@trellis/core`'s, with the candidates for `'auto'`.
 * @module
 */
import {useBackend as coreUseBackend, type BackendPlugin, type UseBackendOptions} from '@trellis/core';
import {backendCandidates} from './backend-candidates';

/**
 * Registers a backend plugin and makes it the active tfjs backend, as
 * `useBackend` of `@trellis/core`; `'auto'` chooses the fastest backend that
 * works here from {@link backendCandidates} (node-gpu, webgpu on a hardware
 * adapter, node, wasm, cpu) unless `options.candidates` says otherwise, and
 * prints the choice with the reason each faster backend was skipped.
 *
 * @example
 * await useBackend('auto');
 * // Backend: node (tfjs 'tensorflow', @tensorflow/tfjs-node 4.22.0, libtensorflow 2.9.1)
 * //   skipped node-gpu: @tensorflow/tfjs-node-gpu is not installed (…)
 * //   skipped webgpu: software adapter (mesa software llvmpipe…; computes on the CPU, slower than wasm)
 *
 * @param backend - a plugin (`backends.wasm()`), a registered tfjs backend's name, or `'auto'`.
 * @param options - for `'auto'`: `candidates` and `print` (default `console.info`; `false` for silence).
 * @returns the name of the active tfjs backend (`'tensorflow'`, `'webgpu'`, `'wasm'`, `'cpu'`).
 * @throws {BackendError} when the backend cannot be registered or initialized (for `'auto'`: when none works).
 */
export function useBackend(backend: BackendPlugin | string, options: UseBackendOptions = {}): Promise<string> {
  if (backend === 'auto' && options?.candidates === undefined) {
    return coreUseBackend('auto', {...options, candidates: backendCandidates()});
  }
  return coreUseBackend(backend, options);
}
