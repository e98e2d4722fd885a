/**
 * Choosing a backend.
 * @module
 */
import {activateBackend} from './backend-activate';
import {chooseBackend, type BackendCandidate, type ChooseBackendOptions} from './backend-choice';
import {BackendError} from './errors';
import {checkOptions} from './options-check';
import type {BackendPlugin} from './spec/backend';

/** Options of {@link useBackend}, read only for `'auto'`. */
export type UseBackendOptions = ChooseBackendOptions & {
  /**
   * The backends `'auto'` tries, in order of preference. `@trellis/core`
   * imports no backend package, so it has no list of its own: the `trellis`
   * package's `useBackend` passes `backendCandidates()` (node-gpu, webgpu,
   * node, wasm, cpu).
   */
  readonly candidates?: readonly BackendCandidate[];
};

/**
 * Registers a backend plugin and makes it the active tfjs backend. This is
 * the only place Trellis calls `tf.setBackend`, and only because the user asks.
 *
 * `'auto'` tries `options.candidates` in order and activates the first that
 * works here, printing the choice and why each one before it was skipped
 * (see `chooseBackend`).
 *
 * @param backend - a plugin (`wasm()`, `cpu()`), the name of a tfjs backend
 *   that is already registered (`'cpu'`), or `'auto'`.
 * @param options - for `'auto'`: `candidates` and `print`.
 * @returns the name of the active backend.
 * @throws {BackendError} when the backend cannot be registered or
 *   initialized, or, for `'auto'`, when no candidates are given or none works.
 */
export async function useBackend(backend: BackendPlugin | string, options: UseBackendOptions = {}): Promise<string> {
  checkOptions('useBackend', options, ['candidates', 'print']);
  if (backend !== 'auto') return activateBackend(backend);
  const {candidates, ...choose} = options;
  if (candidates === undefined) {
    throw new BackendError(
      "useBackend('auto') needs the backends to try: @trellis/core imports no backend package. Use useBackend from the " +
        "'trellis' package (it tries node-gpu, webgpu, node, wasm and cpu), or pass them: useBackend('auto', {candidates}).",
    );
  }
  return (await chooseBackend(candidates, choose)).backend;
}
