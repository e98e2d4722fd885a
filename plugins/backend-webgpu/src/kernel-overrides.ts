/**
 * Swapping Trellis' kernels in and out of tfjs' global kernel registry for
 * the `webgpu` backend.
 *
 * Each Trellis config carries the stock config it replaced (or `null` for a
 * kernel the stock backend lacks) under a `Symbol.for` key, so the state lives
 * in the registry itself: installing twice is a no-op, restoring works from
 * any copy of this package (ESM and CJS side by side), and nothing is
 * registered over an existing key (no "already registered" warnings).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {BackendError} from '@trellis/core';
import {patchShader, patchTransformRounding, patchTransformSharedMatrix} from './shader-patch';

const stockKey = Symbol.for('@trellis/backend-webgpu/stock-kernel');

/** A Trellis kernel config: the stock config it replaced, or `null` when it adds a kernel the backend lacks. */
type TrellisKernelConfig = tf.KernelConfig & {readonly [stockKey]: tf.KernelConfig | null};

/** Makes Trellis' kernel function from the stock config (`null` when the backend has none). */
type KernelFactory = (stock: tf.KernelConfig | null) => tf.KernelFunc;

/** Trellis' kernels for the webgpu backend, by kernel name. */
const factories: Record<string, KernelFactory> = {
  [tf.Transform]: (stock) => patchShader(stock, 'transform', (code) => patchTransformSharedMatrix(patchTransformRounding(code))),
};

/** Every kernel name Trellis registers on the webgpu backend. */
export const trellisKernelNames: readonly string[] = Object.keys(factories);

function isTrellisKernel(config: tf.KernelConfig | undefined): config is TrellisKernelConfig {
  return config != null && stockKey in config;
}

function replace(kernelName: string, config: tf.KernelConfig): void {
  if (tf.getKernel(kernelName, 'webgpu') != null) tf.unregisterKernel(kernelName, 'webgpu');
  tf.registerKernel(config);
}

/**
 * Registers Trellis' kernels on the tfjs `webgpu` backend in place of the
 * stock ones (kept for {@link restoreStockKernels}). Idempotent. Called by
 * `webgpu().register()`. The replacements keep the stock
 * `setupFunc`/`disposeFunc`.
 *
 * @throws {BackendError} when `@tensorflow/tfjs-backend-webgpu` has not been loaded.
 */
export function installTrellisKernels(): void {
  if (tf.getKernel(tf.Add, 'webgpu') == null) {
    throw new BackendError(
      'The webgpu backend has no kernels registered: @tensorflow/tfjs-backend-webgpu is not loaded. ' +
        'Call webgpu().register() (or useBackend(webgpu())) instead of installing kernels directly.',
    );
  }
  for (const kernelName of trellisKernelNames) {
    const current = tf.getKernel(kernelName, 'webgpu');
    if (isTrellisKernel(current)) continue;
    const stock = current ?? null;
    const config: TrellisKernelConfig = {
      kernelName,
      backendName: 'webgpu',
      kernelFunc: factories[kernelName]!(stock),
      ...(stock?.setupFunc ? {setupFunc: stock.setupFunc} : {}),
      ...(stock?.disposeFunc ? {disposeFunc: stock.disposeFunc} : {}),
      [stockKey]: stock,
    };
    replace(kernelName, config);
  }
}

/**
 * Puts the stock tfjs-backend-webgpu kernels back and removes the ones
 * Trellis added, undoing `webgpu().register()` (for comparisons and
 * debugging). Idempotent; `webgpu().register()` installs them again.
 *
 * @returns whether any kernel was restored or removed.
 */
export function restoreStockKernels(): boolean {
  let restored = false;
  for (const kernelName of trellisKernelNames) {
    const current = tf.getKernel(kernelName, 'webgpu');
    if (!isTrellisKernel(current)) continue;
    const stock = current[stockKey];
    if (stock == null) tf.unregisterKernel(kernelName, 'webgpu');
    else replace(kernelName, stock);
    restored = true;
  }
  return restored;
}

/** Whether Trellis' kernels are the ones registered on the webgpu backend (all of them). */
export function hasTrellisKernels(): boolean {
  return trellisKernelNames.every((kernelName) => isTrellisKernel(tf.getKernel(kernelName, 'webgpu')));
}
