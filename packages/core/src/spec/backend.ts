/**
 * Backend plugins wrap a tfjs backend package.
 *
 * Contract version 1. `register()` is idempotent, imports its tfjs backend
 * package lazily (so a Node-only backend never enters a browser bundle),
 * registers any kernels of its own, and never calls `tf.setBackend`:
 * `useBackend()` does that, and only when the user asks.
 * @module
 */

/** What a backend can do, so callers can choose or warn. */
export interface BackendCapabilities {
  /** Gradients of every layer in `@trellis/layers` are available. */
  readonly training: boolean;
  /** Threads the backend computes with (1 for single-threaded wasm). */
  readonly threads: number;
  /** `dataSync()` works (false for backends that only read back asynchronously). */
  readonly syncReadback: boolean;
}

/** A tfjs backend made available to Trellis. */
export interface BackendPlugin {
  readonly specVersion: 1;
  /** The tfjs backend name it registers (`'cpu'`, `'wasm'`, `'tensorflow'`). */
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  /** Loads the backend package and registers its kernels. Safe to call twice. */
  register(): Promise<void>;
}
