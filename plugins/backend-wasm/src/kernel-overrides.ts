/**
 * Swapping Trellis' kernels in and out of tfjs' global kernel registry.
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
import {makeConv2DBackpropFilter, makeConv2DBackpropInput} from './conv-backprop';
import {makeDepthwiseBackpropFilter, makeDepthwiseBackpropInput} from './depthwise-backprop';
import {makeTransform} from './image-transform';
import {makeBatchMatMul, makeFusedMatMul} from './matmul-kernels';
import {makeOneHot} from './one-hot';
import {makeMaxPoolGrad} from './pool-grad';
import {makeGather, makeSlice} from './row-kernels';
import {makeSamePaddingConv} from './same-padding';
import {makeUnsortedSegmentSum} from './segment-sum';

const stockKey = Symbol.for('@trellis/backend-wasm/stock-kernel');

/** A Trellis kernel config: the stock config it replaced, or `null` when it adds a kernel the backend lacks. */
type TrellisKernelConfig = tf.KernelConfig & {readonly [stockKey]: tf.KernelConfig | null};

/** The stock kernels Trellis replaces on the wasm backend. */
const replacedKernels = [
  tf.BatchMatMul,
  tf._FusedMatMul,
  tf.Slice,
  tf.GatherV2,
  tf.Conv2DBackpropInput,
  tf.MaxPoolGrad,
  tf.Transform,
  tf.Conv2D,
  tf.FusedConv2D,
  tf.DepthwiseConv2dNative,
  tf.FusedDepthwiseConv2D,
  tf.OneHot,
] as const;

/**
 * The training kernels tfjs-backend-wasm 4.22 lacks, which Trellis adds. Should
 * a later tfjs-backend-wasm provide one, Trellis' still takes its place (and
 * `restoreStockKernels()` puts the stock one back).
 */
const addedKernels = [
  tf.Conv2DBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.UnsortedSegmentSum,
] as const;

/** Every kernel name Trellis registers on the wasm backend. */
export const trellisKernelNames: readonly string[] = [...replacedKernels, ...addedKernels];

function isTrellisKernel(config: tf.KernelConfig | undefined): config is TrellisKernelConfig {
  return config != null && stockKey in config;
}

/** The stock config of `kernelName` on wasm, whether or not Trellis' replacement is installed. */
function stockConfig(kernelName: string): tf.KernelConfig {
  const current = tf.getKernel(kernelName, 'wasm');
  const stock = isTrellisKernel(current) ? current[stockKey] : current;
  if (stock == null) {
    throw new BackendError(
      `The wasm backend has no '${kernelName}' kernel to replace: @tensorflow/tfjs-backend-wasm is not loaded. ` +
        `Call wasm().register() (or useBackend(wasm())) instead of installing kernels directly.`,
    );
  }
  return stock;
}

function replace(kernelName: string, config: tf.KernelConfig): void {
  if (tf.getKernel(kernelName, 'wasm') != null) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(config);
}

/** The stock config of an added kernel, or `null` when the backend has none. */
function optionalStockConfig(kernelName: string): tf.KernelConfig | null {
  const current = tf.getKernel(kernelName, 'wasm');
  if (current == null) return null;
  return isTrellisKernel(current) ? current[stockKey] : current;
}

/**
 * Registers Trellis' kernels on the tfjs `wasm` backend: `BatchMatMul`,
 * `_FusedMatMul`, `Slice`, `GatherV2`, `Conv2DBackpropInput`, `MaxPoolGrad`,
 * `Transform`, the four forward convolutions (`'same'` padding fix) and
 * `OneHot` (which wrote int32 bits into float32 outputs) in
 * place of the stock ones (kept for {@link restoreStockKernels}), and the
 * missing `Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropInput` and `UnsortedSegmentSum`. Idempotent.
 * Called by `wasm().register()`.
 *
 * The replacements keep the stock `setupFunc`/`disposeFunc`, so they work
 * whether the wasm backend is initialized before or after the swap.
 *
 * @throws {BackendError} when `@tensorflow/tfjs-backend-wasm` has not been loaded.
 */
export function installTrellisKernels(): void {
  const stockMatMul = stockConfig(tf.BatchMatMul);
  const stocks: Record<string, tf.KernelConfig | null> = {
    ...Object.fromEntries(replacedKernels.map((k) => [k, stockConfig(k)])),
    ...Object.fromEntries(addedKernels.map((k) => [k, optionalStockConfig(k)])),
  };
  const stockFunc = (kernelName: string) => (stocks[kernelName] as tf.KernelConfig).kernelFunc;
  const kernelFuncs: Record<string, tf.KernelFunc> = {
    [tf.BatchMatMul]: makeBatchMatMul(stockMatMul.kernelFunc),
    [tf._FusedMatMul]: makeFusedMatMul(stockFunc(tf._FusedMatMul), stockMatMul.kernelFunc),
    [tf.Slice]: makeSlice(stockFunc(tf.Slice)),
    [tf.GatherV2]: makeGather(stockFunc(tf.GatherV2)),
    [tf.Conv2DBackpropInput]: makeConv2DBackpropInput(stockFunc(tf.Conv2DBackpropInput)),
    [tf.MaxPoolGrad]: makeMaxPoolGrad(),
    [tf.Transform]: makeTransform(stockFunc(tf.Transform)),
    [tf.Conv2D]: makeSamePaddingConv(stockFunc(tf.Conv2D), false),
    [tf.FusedConv2D]: makeSamePaddingConv(stockFunc(tf.FusedConv2D), false),
    [tf.DepthwiseConv2dNative]: makeSamePaddingConv(stockFunc(tf.DepthwiseConv2dNative), true),
    [tf.FusedDepthwiseConv2D]: makeSamePaddingConv(stockFunc(tf.FusedDepthwiseConv2D), true),
    [tf.OneHot]: makeOneHot(),
    [tf.Conv2DBackpropFilter]: makeConv2DBackpropFilter(),
    [tf.DepthwiseConv2dNativeBackpropFilter]: makeDepthwiseBackpropFilter(),
    [tf.DepthwiseConv2dNativeBackpropInput]: makeDepthwiseBackpropInput(),
    [tf.UnsortedSegmentSum]: makeUnsortedSegmentSum(),
  };
  for (const kernelName of trellisKernelNames) {
    if (isTrellisKernel(tf.getKernel(kernelName, 'wasm'))) continue;
    const stock = stocks[kernelName] ?? null;
    const config: TrellisKernelConfig = {
      kernelName,
      backendName: 'wasm',
      kernelFunc: kernelFuncs[kernelName]!,
      ...(stock?.setupFunc ? {setupFunc: stock.setupFunc} : {}),
      ...(stock?.disposeFunc ? {disposeFunc: stock.disposeFunc} : {}),
      [stockKey]: stock,
    };
    replace(kernelName, config);
  }
}

/**
 * Puts the stock tfjs-backend-wasm kernels (`BatchMatMul`, `_FusedMatMul`,
 * `Slice`, `GatherV2`, `Conv2DBackpropInput`, `MaxPoolGrad`, `Transform`,
 * `Conv2D`, `FusedConv2D`, `DepthwiseConv2dNative`, `FusedDepthwiseConv2D`, `OneHot`) back and removes
 * the kernels Trellis added (`Conv2DBackpropFilter`, the depthwise gradients,
 * `UnsortedSegmentSum`), undoing `wasm().register()` (for comparisons and
 * benchmarks). Idempotent; a no-op when Trellis' kernels are not installed.
 * `wasm().register()` installs them again.
 *
 * @returns whether any kernel was restored or removed.
 */
export function restoreStockKernels(): boolean {
  let restored = false;
  for (const kernelName of trellisKernelNames) {
    const current = tf.getKernel(kernelName, 'wasm');
    if (!isTrellisKernel(current)) continue;
    const stock = current[stockKey];
    if (stock == null) tf.unregisterKernel(kernelName, 'wasm');
    else replace(kernelName, stock);
    restored = true;
  }
  return restored;
}

/** Whether Trellis' kernels are the ones registered on the wasm backend (all of them). */
export function hasTrellisKernels(): boolean {
  return trellisKernelNames.every((kernelName) => isTrellisKernel(tf.getKernel(kernelName, 'wasm')));
}
