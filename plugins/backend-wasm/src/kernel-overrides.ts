/**
 * Swapping Trellis' kernels in and out of tfjs' global kernel registry.
 *
 * The swapping is `kernelOverrides` of `@trellis/core`: installing twice is a
 * no-op and restoring works from any copy of this package.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {BackendError, kernelOverrides} from '@trellis/core';
import {makeConv2DBackpropFilter, makeConv2DBackpropInput} from './conv-backprop';
import {makeDepthwiseBackpropFilter, makeDepthwiseBackpropInput} from './depthwise-backprop';
import {makeTransform} from './image-transform';
import {makeLeadingReduce} from './leading-reduce';
import {makeBatchMatMul, makeFusedMatMul} from './matmul-kernels';
import {makeOneHot} from './one-hot';
import {makeMaxPoolGrad} from './pool-grad';
import {makeGather, makeSlice} from './row-kernels';
import {makeSamePaddingConv} from './same-padding';
import {makeUnsortedSegmentSum} from './segment-sum';

/** The stock kernels Trellis replaces on the wasm backend. */
export const replacedKernels = [
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
  tf.Sum,
  tf.Mean,
] as const;

/**
 * The training kernels tfjs-backend-wasm 4.22 lacks, which Trellis adds. Should
 * a later tfjs-backend-wasm provide one, Trellis' still takes its place (and
 * `restoreStockKernels()` puts the stock one back).
 */
export const addedKernels = [
  tf.Conv2DBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.UnsortedSegmentSum,
] as const;

/** Every kernel name Trellis registers on the wasm backend. */
export const trellisKernelNames: readonly string[] = [...replacedKernels, ...addedKernels];

/** The stock config of a replaced kernel; a BackendError when the wasm backend is not loaded. */
function stockConfig(kernelName: string): tf.KernelConfig {
  const stock = kernels.stockOf(kernelName);
  if (stock == null) {
    throw new BackendError(
      `The wasm backend has no '${kernelName}' kernel to replace: @tensorflow/tfjs-backend-wasm is not loaded. ` +
        `Call wasm().register() (or useBackend(wasm())) instead of installing kernels directly.`,
    );
  }
  return stock;
}

/** The stock kernel function of a replaced kernel (present: `installTrellisKernels` checks every one first). */
const stockFunc = (kernelName: string) => stockConfig(kernelName).kernelFunc;

/** Trellis' kernels, replaced ones first, in the order of `trellisKernelNames`. */
const kernels = kernelOverrides('@trellis/backend-wasm', 'wasm', {
  [tf.BatchMatMul]: () => makeBatchMatMul(stockFunc(tf.BatchMatMul)),
  [tf._FusedMatMul]: () => makeFusedMatMul(stockFunc(tf._FusedMatMul), stockFunc(tf.BatchMatMul)),
  [tf.Slice]: () => makeSlice(stockFunc(tf.Slice)),
  [tf.GatherV2]: () => makeGather(stockFunc(tf.GatherV2)),
  [tf.Conv2DBackpropInput]: () => makeConv2DBackpropInput(stockFunc(tf.Conv2DBackpropInput)),
  [tf.MaxPoolGrad]: () => makeMaxPoolGrad(),
  [tf.Transform]: () => makeTransform(stockFunc(tf.Transform)),
  [tf.Conv2D]: () => makeSamePaddingConv(stockFunc(tf.Conv2D), false),
  [tf.FusedConv2D]: () => makeSamePaddingConv(stockFunc(tf.FusedConv2D), false),
  [tf.DepthwiseConv2dNative]: () => makeSamePaddingConv(stockFunc(tf.DepthwiseConv2dNative), true),
  [tf.FusedDepthwiseConv2D]: () => makeSamePaddingConv(stockFunc(tf.FusedDepthwiseConv2D), true),
  [tf.OneHot]: () => makeOneHot(),
  [tf.Sum]: () => makeLeadingReduce(stockFunc(tf.Sum), false),
  [tf.Mean]: () => makeLeadingReduce(stockFunc(tf.Mean), true),
  [tf.Conv2DBackpropFilter]: () => makeConv2DBackpropFilter(),
  [tf.DepthwiseConv2dNativeBackpropFilter]: () => makeDepthwiseBackpropFilter(),
  [tf.DepthwiseConv2dNativeBackpropInput]: () => makeDepthwiseBackpropInput(),
  [tf.UnsortedSegmentSum]: () => makeUnsortedSegmentSum(),
});

/**
 * Registers Trellis' kernels on the tfjs `wasm` backend: `BatchMatMul`,
 * `_FusedMatMul`, `Slice`, `GatherV2`, `Conv2DBackpropInput`, `MaxPoolGrad`,
 * `Transform`, the four forward convolutions (`'same'` padding fix),
 * `OneHot` (which wrote int32 bits into float32 outputs) and `Sum` and
 * `Mean` (leading-axis reductions without a transpose) in
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
  for (const kernelName of replacedKernels) stockConfig(kernelName);
  kernels.install();
}

/**
 * Puts the stock tfjs-backend-wasm kernels (`BatchMatMul`, `_FusedMatMul`,
 * `Slice`, `GatherV2`, `Conv2DBackpropInput`, `MaxPoolGrad`, `Transform`,
 * `Conv2D`, `FusedConv2D`, `DepthwiseConv2dNative`, `FusedDepthwiseConv2D`, `OneHot`, `Sum`, `Mean`) back and removes
 * the kernels Trellis added (`Conv2DBackpropFilter`, the depthwise gradients,
 * `UnsortedSegmentSum`), undoing `wasm().register()` (for comparisons and
 * benchmarks). Idempotent; a no-op when Trellis' kernels are not installed.
 * `wasm().register()` installs them again.
 *
 * @returns whether any kernel was restored or removed.
 */
export function restoreStockKernels(): boolean {
  return kernels.restore();
}

/** Whether Trellis' kernels are the ones registered on the wasm backend (all of them). */
export function hasTrellisKernels(): boolean {
  return kernels.installed();
}
