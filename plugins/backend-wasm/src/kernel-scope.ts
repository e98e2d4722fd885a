/**
 * A small scope for kernels built from other wasm kernels: runs registered
 * wasm kernels on raw `TensorInfo`s, remembers every data id they create, and
 * releases all of them except the result.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {BackendError} from '@trellis/core';

/** The parts of the wasm backend the composite kernels use. */
export type WasmBackendLike = {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
};

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Tracks the intermediates of one composite kernel call. Every tensor made by
 * {@link KernelScope.run} belongs to the scope; {@link runInScope} disposes
 * them all but the returned one, also when the kernel throws.
 */
export class KernelScope {
  private readonly created = new Set<tf.DataId>();

  constructor(readonly backend: WasmBackendLike) {}

  /** Runs the wasm kernel `name` now registered (stock or Trellis'); the output belongs to the scope. */
  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: object = {}): tf.TensorInfo {
    const outs = this.runMany(name, inputs, attrs);
    if (outs.length !== 1) throw new BackendError(`The wasm '${name}' kernel returned ${outs.length} outputs; expected 1.`);
    return outs[0]!;
  }

  /** Like {@link run}, for kernels with several outputs. */
  runMany(name: string, inputs: tf.NamedTensorInfoMap, attrs: object = {}): tf.TensorInfo[] {
    const kernel = tf.getKernel(name, 'wasm');
    if (kernel == null)
      throw new BackendError(`The wasm backend has no '${name}' kernel: load it with wasm().register() (or useBackend(wasm())).`);
    const result = kernel.kernelFunc({inputs, backend: this.backend as unknown as tf.KernelBackend, attrs: attrs as tf.NamedAttrMap});
    const outs = Array.isArray(result) ? result : [result];
    for (const out of outs) this.created.add(out.dataId);
    return outs;
  }

  /**
   * Takes ownership of a tensor made directly with the backend (e.g.
   * `makeOutput`), so the scope releases it like the others.
   */
  adopt(x: tf.TensorInfo): tf.TensorInfo {
    this.created.add(x.dataId);
    return x;
  }

  /** Releases intermediates early (ones the scope owns; anything else is left alone). */
  release(...xs: tf.TensorInfo[]): void {
    for (const x of xs) {
      if (!this.created.delete(x.dataId)) continue;
      this.backend.disposeData(x.dataId);
    }
  }

  /** The same data seen with another shape (no copy; never disposed by itself). */
  view(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    if (tf.util.sizeFromShape(shape) !== tf.util.sizeFromShape(x.shape)) {
      throw new BackendError(`Cannot view a tensor of shape [${x.shape}] as [${shape}].`);
    }
    return {dataId: x.dataId, dtype: x.dtype, shape};
  }

  /**
   * Hands `out` to the caller: its data id is no longer disposed by the scope.
   * A result that is an input (or a view of one) is copied first, since the
   * engine takes ownership of what a kernel returns.
   */
  keep(out: tf.TensorInfo): tf.TensorInfo {
    if (!this.created.has(out.dataId)) {
      const copy = this.run(tf.Identity, {x: out});
      this.created.delete(copy.dataId);
      return copy;
    }
    this.created.delete(out.dataId);
    return out;
  }

  /** Releases every intermediate still owned by the scope. */
  dispose(): void {
    for (const dataId of this.created) this.backend.disposeData(dataId);
    this.created.clear();
  }
}

/**
 * Runs `body` with a fresh scope and returns its result, owned by the caller;
 * every other tensor the body made is released, also when it throws.
 */
export function runInScope(args: KernelArgs, body: (scope: KernelScope) => tf.TensorInfo): tf.TensorInfo {
  const scope = new KernelScope(args.backend as unknown as WasmBackendLike);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}

/**
 * Crops `x` (`[B, H, W, C]`) to rows `[top, top + height)` and columns
 * `[left, left + width)`; no-op when the window is all of `x`.
 */
export function crop2d(scope: KernelScope, x: tf.TensorInfo, top: number, left: number, height: number, width: number): tf.TensorInfo {
  const [, h, w] = x.shape as [number, number, number, number];
  if (top === 0 && left === 0 && height === h && width === w) return x;
  return stridedWindow(scope, x, top, left, height, width, 1, 1);
}

/**
 * Rows `top, top + sH, …` (`height` of them) and columns `left, left + sW, …`
 * (`width` of them) of `x` (`[B, H, W, C]`, float32 or int32), as a new
 * `[B, height, width, C]` tensor.
 *
 * A copy of whole channel rows (`C` values each) between views of the wasm
 * heap, like Trellis' `Slice`: the stock `StridedSlice` kernel takes about
 * 150 ns per element, which made it the bulk of a convolutional training step.
 */
export function stridedWindow(
  scope: KernelScope,
  x: tf.TensorInfo,
  top: number,
  left: number,
  height: number,
  width: number,
  strideH: number,
  strideW: number,
): tf.TensorInfo {
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  if (top < 0 || left < 0 || top + (height - 1) * strideH >= h || left + (width - 1) * strideW >= w) {
    throw new BackendError(
      `Window of ${height}×${width} at (${top}, ${left}) with strides (${strideH}, ${strideW}) is outside [${x.shape}].`,
    );
  }
  const backend = scope.backend;
  const out = scope.adopt(backend.makeOutput([batch, height, width, c], x.dtype));
  if (batch * height * width * c === 0) return out;
  // Views are taken after the allocation, which may grow (and detach) the heap.
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  let at = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < height; i++) {
      const row = (b * h + top + i * strideH) * w;
      if (strideW === 1) {
        const from = (row + left) * c;
        target.set(source.subarray(from, from + width * c), at);
        at += width * c;
        continue;
      }
      for (let j = 0; j < width; j++) {
        const from = (row + left + j * strideW) * c;
        if (c === 1) target[at] = source[from]!;
        else target.set(source.subarray(from, from + c), at);
        at += c;
      }
    }
  }
  return out;
}

/**
 * Inserts `strideH - 1` zero rows after every row and `strideW - 1` zero
 * columns after every column of `x` (`[B, H, W, C]` → `[B, H·sH, W·sW, C]`):
 * the "dilated" gradient of a strided window. Wasm `PadV2` on a rank-6 view.
 */
export function insertZeros(scope: KernelScope, x: tf.TensorInfo, strideH: number, strideW: number): tf.TensorInfo {
  if (strideH === 1 && strideW === 1) return x;
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const padded = scope.run(
    tf.PadV2,
    {x: scope.view(x, [b, h, 1, w, 1, c])},
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, strideH - 1],
        [0, 0],
        [0, strideW - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  return scope.view(padded, [b, h * strideH, w * strideW, c]);
}

/** Pads rows and columns of `x` (`[B, H, W, C]`) with `value` (wasm `PadV2`); no-op when all pads are 0. */
export function pad2d(
  scope: KernelScope,
  x: tf.TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
  value = 0,
): tf.TensorInfo {
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return x;
  return scope.run(
    tf.PadV2,
    {x},
    {
      paddings: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      constantValue: value,
    },
  );
}
