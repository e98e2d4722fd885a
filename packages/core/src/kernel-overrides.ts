/**
 * `kernelOverrides()`: a backend plugin's kernels swapped in and out of tfjs'
 * global kernel registry.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Makes a kernel function from the stock config it replaces (`null` when the
 * backend has none); `stockOf(name)` gives the stock config of any kernel of
 * the backend (to build on another stock kernel). Returns `null` to leave the
 * kernel alone (e.g. a fix for a kernel this backend version lacks).
 */
export type KernelFactory = (
  stock: tf.KernelConfig | null,
  stockOf: (kernelName: string) => tf.KernelConfig | null,
) => tf.KernelFunc | null;

/** The kernels of one backend plugin on one tfjs backend. See {@link kernelOverrides}. */
export interface KernelOverrides {
  /** Every kernel name the plugin may register. */
  readonly kernelNames: readonly string[];
  /** The stock config of `kernelName` on the backend, seen through an installed override; `null` when it has none. */
  stockOf(kernelName: string): tf.KernelConfig | null;
  /** Registers every kernel in place of the stock one (keeping its `setupFunc`/`disposeFunc`). Idempotent. */
  install(): void;
  /** Puts the stock kernels back and removes the added ones. Idempotent; returns whether anything changed. */
  restore(): boolean;
  /** Whether every kernel the plugin registers is installed. */
  installed(): boolean;
}

/**
 * The kernels `factories` makes for the tfjs backend `backendName`, as one
 * object that installs and restores them. Each installed config keeps the
 * stock config it replaced (or `null`) under `Symbol.for(owner +
 * '/stock-kernel')`, so the state lives in tfjs' registry itself: installing
 * twice is a no-op, restoring works from any copy of the plugin (ESM and CJS
 * side by side), and nothing is registered over an existing key (no "already
 * registered" warnings). Registers nothing until `install()`.
 *
 * @param owner the plugin's package name (`'@trellis/backend-wasm'`).
 * @example
 * const kernels = kernelOverrides('@acme/backend-x', 'x', {
 *   [tf.Transform]: (stock) => (stock ? fixedTransform(stock.kernelFunc) : null),
 * });
 * kernels.install();
 */
export function kernelOverrides(owner: string, backendName: string, factories: Readonly<Record<string, KernelFactory>>): KernelOverrides {
  const stockKey = Symbol.for(`${owner}/stock-kernel`);
  type OwnConfig = tf.KernelConfig & {readonly [stockKey]: tf.KernelConfig | null};
  const isOwn = (config: tf.KernelConfig | undefined): config is OwnConfig => config != null && stockKey in config;
  const kernelNames = Object.keys(factories);

  const replace = (kernelName: string, config: tf.KernelConfig) => {
    if (tf.getKernel(kernelName, backendName) != null) tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(config);
  };
  const stockOf = (kernelName: string): tf.KernelConfig | null => {
    const current = tf.getKernel(kernelName, backendName);
    if (current == null) return null;
    return isOwn(current) ? current[stockKey] : current;
  };

  return {
    kernelNames,
    stockOf,
    install() {
      for (const kernelName of kernelNames) {
        if (isOwn(tf.getKernel(kernelName, backendName))) continue;
        const stock = stockOf(kernelName);
        const kernelFunc = factories[kernelName]!(stock, stockOf);
        if (kernelFunc == null) continue;
        const config: OwnConfig = {
          kernelName,
          backendName,
          kernelFunc,
          ...(stock?.setupFunc ? {setupFunc: stock.setupFunc} : {}),
          ...(stock?.disposeFunc ? {disposeFunc: stock.disposeFunc} : {}),
          [stockKey]: stock,
        };
        replace(kernelName, config);
      }
    },
    restore() {
      let restored = false;
      for (const kernelName of kernelNames) {
        const current = tf.getKernel(kernelName, backendName);
        if (!isOwn(current)) continue;
        const stock = current[stockKey];
        if (stock == null) tf.unregisterKernel(kernelName, backendName);
        else replace(kernelName, stock);
        restored = true;
      }
      return restored;
    },
    installed() {
      return kernelNames.every((kernelName) => isOwn(tf.getKernel(kernelName, backendName)));
    },
  };
}
