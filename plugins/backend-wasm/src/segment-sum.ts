/**
 * Trellis' `UnsortedSegmentSum` kernel for the tfjs `wasm` backend, which
 * tfjs-backend-wasm 4.22 lacks. It is the gradient of `tf.gather` (an
 * `embedding` layer's weight gradient, any gather along another axis too).
 *
 * `out[s] = Σ_{i : ids[i] = s} x[i]` is the wasm `ScatterNd` kernel (which sums
 * duplicate indices) with `ids` as one-element index rows. Ids outside
 * `[0, numSegments)` are dropped, as TensorFlow and the cpu backend do: they
 * are redirected to one extra segment, cut off afterwards with `Slice`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {runInScope} from './kernel-scope';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The parts of the wasm backend the kernel uses. */
type WasmBackend = {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
};

/**
 * Makes the `UnsortedSegmentSum` kernel function (inputs `x`, `segmentIds`
 * (int32, shaped like a prefix of `x`); attr `numSegments`). Returns a new
 * `[numSegments, ...x.shape.slice(segmentIds.rank)]` tensor of `x`'s dtype.
 */
export function makeUnsortedSegmentSum(): tf.KernelFunc {
  return (args: KernelArgs) =>
    runInScope(args, (scope) => {
      const {x, segmentIds} = args.inputs as {x: tf.TensorInfo; segmentIds: tf.TensorInfo};
      const numSegments = Number((args.attrs as unknown as tf.UnsortedSegmentSumAttrs).numSegments);
      const backend = args.backend as unknown as WasmBackend;
      const count = tf.util.sizeFromShape(segmentIds.shape);
      const rowShape = x.shape.slice(segmentIds.shape.length);
      const outShape = [numSegments, ...rowShape];
      if (count === 0 || numSegments === 0 || tf.util.sizeFromShape(rowShape) === 0) {
        return scope.run(tf.Fill, {}, {shape: outShape, value: 0, dtype: x.dtype});
      }
      const ids = backend.typedArrayFromHeap(segmentIds);
      let valid = true;
      for (let i = 0; i < count; i++) {
        const id = ids[i]!;
        if (!(id >= 0 && id < numSegments)) {
          valid = false;
          break;
        }
      }
      let indices: tf.TensorInfo;
      if (valid) {
        indices = scope.view(segmentIds, [count, 1]);
      } else {
        indices = scope.adopt(backend.makeOutput([count, 1], 'int32'));
        // The heap may have grown with the allocation: take views after it.
        const source = backend.typedArrayFromHeap(segmentIds);
        const target = backend.typedArrayFromHeap(indices);
        for (let i = 0; i < count; i++) {
          const id = source[i]!;
          target[i] = id >= 0 && id < numSegments ? id : numSegments;
        }
      }
      const updates = scope.view(x, [count, ...rowShape]);
      const segments = valid ? numSegments : numSegments + 1;
      const summed = scope.run(tf.ScatterNd, {indices, updates}, {shape: [segments, ...rowShape]});
      if (valid) return summed;
      return scope.run(tf.Slice, {x: summed}, {begin: outShape.map(() => 0), size: outShape});
    });
}
