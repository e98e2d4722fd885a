/**
 * Trellis' `OneHot` kernel for the tfjs `wasm` backend. The stock kernel
 * writes its values as int32 whatever the dtype asked for, so
 * `tf.oneHot(ids, depth, 1, 0, 'float32')` read back 1.4e-45 (the bits of
 * int32 1 seen as float32) and fractional on/off values were truncated.
 *
 * This one writes the output in its own dtype: `offValue` everywhere, then
 * `onValue` at each index in `[0, depth)` (an index outside stays all
 * `offValue`, as on the cpu backend). It reads the indices where they are, in
 * the wasm heap, and loops on the host: O(indices × depth) writes.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The parts of the wasm backend the kernel uses. */
type WasmBackend = {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
};

/** Makes the `OneHot` kernel function (input `indices`, int32; attrs `depth`, `onValue`, `offValue`, `dtype`). */
export function makeOneHot(): tf.KernelFunc {
  return (args: KernelArgs) => {
    const {indices} = args.inputs as {indices: tf.TensorInfo};
    const {depth, onValue, offValue, dtype} = args.attrs as unknown as tf.OneHotAttrs;
    const backend = args.backend as unknown as WasmBackend;
    const out = backend.makeOutput([...indices.shape, depth], dtype);
    // The heap may have grown with the allocation: take views after it.
    const ids = backend.typedArrayFromHeap(indices);
    const values = backend.typedArrayFromHeap(out);
    values.fill(offValue);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id >= 0 && id < depth) values[i * depth + id] = onValue;
    }
    return out;
  };
}
