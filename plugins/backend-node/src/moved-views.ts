/**
 * Tensors that reach the `tensorflow` backend from another backend keep their
 * shape in every view.
 *
 * tfjs shares one data id between a tensor and its reshaped views on the cpu
 * and wasm backends. When such data moves to `tensorflow`, tfjs-node 4.22
 * makes one TensorFlow tensor of the shape the data was created with, and
 * every view of it then runs with that shape: `tf.reshape(x, [2, 3])` made on
 * cpu and used on tensorflow fails with "Incompatible shapes: [6] vs. [2,3]"
 * (or, worse, broadcasts). This patch gives an op the view it was called
 * with: when an input's shape differs from its TensorFlow tensor's, it
 * reshapes that tensor for the op (a TensorFlow `Reshape`, no copy) and
 * deletes the temporary handle once the op has run.
 * @module
 */

const patched = Symbol.for('@trellis/backend-node/moved-views');

type TensorInfoLike = {dataId?: object; shape?: number[]};
type HandleInfo = {shape: number[]; dtype: number; id: number};
type Binding = {
  TF_ATTR_TYPE: number;
  TF_INT32: number;
  createTensor(shape: number[], dtype: number, values: Int32Array): number;
  deleteTensor(id: number): void;
  executeOp(name: string, attrs: {name: string; type: number; value: unknown}[], inputs: number[], outputs: number): {id: number}[];
};
type NodeBackendPrototype = {
  [patched]?: true;
  getInputTensorIds(this: NodeBackendThis, tensors: TensorInfoLike[]): number[];
  executeSingleOutput(this: NodeBackendThis, ...args: unknown[]): unknown;
  executeMultipleOutputs(this: NodeBackendThis, ...args: unknown[]): unknown;
};
type NodeBackendThis = {binding: Binding; tensorMap: {get(dataId: object): HandleInfo | undefined}; [temporaries]?: number[]};

const temporaries = Symbol('temporaries');

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** A handle of `info`'s TensorFlow tensor seen with `shape` (same size); the caller deletes it. */
function reshaped(binding: Binding, info: HandleInfo, id: number, shape: number[]): number {
  const shapeId = binding.createTensor([shape.length], binding.TF_INT32, Int32Array.from(shape));
  try {
    const [out] = binding.executeOp(
      'Reshape',
      [
        {name: 'T', type: binding.TF_ATTR_TYPE, value: info.dtype},
        {name: 'Tshape', type: binding.TF_ATTR_TYPE, value: binding.TF_INT32},
      ],
      [id, shapeId],
      1,
    );
    return out!.id;
  } finally {
    binding.deleteTensor(shapeId);
  }
}

/**
 * Patches the prototype of tfjs-node's `NodeJSKernelBackend` (the class of
 * `backend`) once. Does nothing for an object that does not look like it.
 */
export function keepMovedViews(backend: unknown): void {
  const proto = (backend == null ? null : Object.getPrototypeOf(backend)) as NodeBackendPrototype | null;
  if (
    proto == null ||
    proto[patched] ||
    typeof proto.getInputTensorIds !== 'function' ||
    typeof proto.executeSingleOutput !== 'function' ||
    typeof proto.executeMultipleOutputs !== 'function'
  ) {
    return;
  }
  const getInputTensorIds = proto.getInputTensorIds;
  proto.getInputTensorIds = function (tensors) {
    const ids = getInputTensorIds.call(this, tensors);
    for (const [i, tensor] of tensors.entries()) {
      if (tensor?.dataId == null || !Array.isArray(tensor.shape)) continue;
      const info = this.tensorMap.get(tensor.dataId);
      if (info == null || !Array.isArray(info.shape) || sameShape(info.shape, tensor.shape)) continue;
      const id = reshaped(this.binding, info, ids[i]!, tensor.shape);
      (this[temporaries] ??= []).push(id);
      ids[i] = id;
    }
    return ids;
  };
  for (const name of ['executeSingleOutput', 'executeMultipleOutputs'] as const) {
    const execute = proto[name];
    proto[name] = function (...args) {
      try {
        return execute.apply(this, args);
      } finally {
        const made = this[temporaries];
        if (made?.length) {
          this[temporaries] = [];
          for (const id of made) this.binding.deleteTensor(id);
        }
      }
    };
  }
  proto[patched] = true;
}
