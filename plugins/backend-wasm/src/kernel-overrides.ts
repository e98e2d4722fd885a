/**
 * Swapping Trellis' kernels in and out of tfjs' global kernel registry.
 *
 * Each replacement config carries the stock config it replaced under a
 * `Symbol.for` key, so the state lives in the registry itself: installing
 * twice is a no-op, restoring works from any copy of this package (ESM and
 * CJS side by side), and nothing is registered over an existing key (no
 * "already registered" warnings).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {BackendError} from '@trellis/core';
import {makeBatchMatMul, makeFusedMatMul} from './matmul-kernels';
import {makeGather, makeSlice} from './row-kernels';

const stockKey = Symbol.for('@trellis/backend-wasm/stock-kernel');

type TrellisKernelConfig = tf.KernelConfig & {readonly [stockKey]: tf.KernelConfig};

/** The kernels Trellis replaces on the wasm backend. */
const replacedKernels = [tf.BatchMatMul, tf._FusedMatMul, tf.Slice, tf.GatherV2] as const;

function isTrellisKernel(config: tf.KernelConfig | undefined): config is TrellisKernelConfig {
  return config != null && (config as Partial<TrellisKernelConfig>)[stockKey] != null;
}

/** The stock config of `kernelName` on wasm, whether or not Trellis' replacement is installed. */
function stockConfig(kernelName: string): tf.KernelConfig {
  const current = tf.getKernel(kernelName, 'wasm');
  if (current == null) {
    throw new BackendError(
      `The wasm backend has no '${kernelName}' kernel to replace: @tensorflow/tfjs-backend-wasm is not loaded. ` +
        `Call wasm().register() (or useBackend(wasm())) instead of installing kernels directly.`,
    );
  }
  return isTrellisKernel(current) ? current[stockKey] : current;
}

function replace(kernelName: string, config: tf.KernelConfig): void {
  if (tf.getKernel(kernelName, 'wasm') != null) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(config);
}

/**
 * Registers Trellis' `BatchMatMul`, `_FusedMatMul`, `Slice` and `GatherV2`
 * kernels on the tfjs `wasm` backend in place of the stock ones (kept for
 * {@link restoreStockKernels}). Idempotent. Called by `wasm().register()`.
 *
 * The replacements keep the stock `setupFunc`/`disposeFunc`, so they work
 * whether the wasm backend is initialized before or after the swap.
 *
 * @throws {BackendError} when `@tensorflow/tfjs-backend-wasm` has not been loaded.
 */
export function installTrellisKernels(): void {
  const stockMatMul = stockConfig(tf.BatchMatMul);
  const stocks = Object.fromEntries(replacedKernels.map((k) => [k, stockConfig(k)])) as Record<(typeof replacedKernels)[number], tf.KernelConfig>;
  const kernelFuncs: Record<(typeof replacedKernels)[number], tf.KernelFunc> = {
    [tf.BatchMatMul]: makeBatchMatMul(stockMatMul.kernelFunc),
    [tf._FusedMatMul]: makeFusedMatMul(stocks[tf._FusedMatMul].kernelFunc, stockMatMul.kernelFunc),
    [tf.Slice]: makeSlice(stocks[tf.Slice].kernelFunc),
    [tf.GatherV2]: makeGather(stocks[tf.GatherV2].kernelFunc),
  };
  for (const kernelName of replacedKernels) {
    if (isTrellisKernel(tf.getKernel(kernelName, 'wasm'))) continue;
    const stock = stocks[kernelName];
    const config: TrellisKernelConfig = {
      kernelName,
      backendName: 'wasm',
      kernelFunc: kernelFuncs[kernelName],
      ...(stock.setupFunc ? {setupFunc: stock.setupFunc} : {}),
      ...(stock.disposeFunc ? {disposeFunc: stock.disposeFunc} : {}),
      [stockKey]: stock,
    };
    replace(kernelName, config);
  }
}

/**
 * Puts the stock tfjs-backend-wasm kernels (`BatchMatMul`, `_FusedMatMul`,
 * `Slice`, `GatherV2`) back, undoing `wasm().register()`'s replacement (for comparisons and
 * benchmarks). Idempotent; a no-op when the replacement is not installed.
 * `wasm().register()` installs it again.
 *
 * @returns whether any kernel was restored.
 */
export function restoreStockKernels(): boolean {
  let restored = false;
  for (const kernelName of replacedKernels) {
    const current = tf.getKernel(kernelName, 'wasm');
    if (!isTrellisKernel(current)) continue;
    replace(kernelName, current[stockKey]);
    restored = true;
  }
  return restored;
}

/** Whether Trellis' kernels are the ones registered on the wasm backend. */
export function hasTrellisKernels(): boolean {
  return replacedKernels.every((kernelName) => isTrellisKernel(tf.getKernel(kernelName, 'wasm')));
}
