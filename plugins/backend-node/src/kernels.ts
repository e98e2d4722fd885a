/**
 * Trellis' kernels for the `tensorflow` backend: what tfjs-node 4.22 lacks or
 * refuses, run as TensorFlow ops through the backend's own binding.
 *
 * - `Conv2DBackpropFilter`, `Conv2DBackpropInput`: tfjs-node throws "TF
 *   Backend supports only 'valid' and 'same' padding while padding was
 *   EXPLICIT" for explicit padding, which Trellis' convolution layers use for
 *   `'same'` (TensorFlow's amounts, given explicitly: they are right on every
 *   backend). TensorFlow's ops take `padding: 'EXPLICIT'` with
 *   `explicit_paddings`; the wrappers pass them and leave everything else to
 *   the stock kernel.
 * - `DepthwiseConv2dNativeBackpropFilter`, `DepthwiseConv2dNativeBackpropInput`:
 *   tfjs-node passes `'EXPLICIT'` without `explicit_paddings` (TensorFlow
 *   rejects the op: `Invalid TF_Status: 3`); same fix.
 * - `Transform` (`tf.image.transform`, the random rotation, zoom and
 *   translation layers): not registered by tfjs-node; TensorFlow's
 *   `ImageProjectiveTransformV3` computes the same.
 *
 * The swapping is `kernelOverrides` of `@trellis/core`: installing twice
 * changes nothing and nothing is registered over an existing key.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {kernelOverrides, type KernelFactory} from '@trellis/core';

const BACKEND = 'tensorflow';

/** An attribute of a TensorFlow op as the binding takes it. */
type OpAttr = {name: string; type: number; value: unknown};

/** The parts of tfjs-node's `NodeJSKernelBackend` the kernels use. */
type NodeKernelBackend = {
  binding: {
    TF_ATTR_INT: number;
    TF_ATTR_STRING: number;
    TF_ATTR_BOOL: number;
    TF_ATTR_TYPE: number;
    TF_FLOAT: number;
    TF_INT32: number;
  };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.TensorInfo;
};

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type ConvAttrs = {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  filterShape?: number[];
  inputShape?: number[];
};

const pair = (v: number | [number, number] | undefined): [number, number] =>
  v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v;

/** Explicit padding of an NHWC convolution, flattened as TensorFlow's `explicit_paddings`; undefined for anything else. */
function explicitPaddings(attrs: ConvAttrs): number[] | undefined {
  if (!Array.isArray(attrs.pad) || (attrs.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
  return attrs.pad.flat();
}

/** Runs TensorFlow op `op` with explicit padding; `sizes` (int32) is created and released around it. */
function convGradient(
  args: KernelArgs,
  op: string,
  sizes: number[],
  inputs: (sizes: tf.TensorInfo) => tf.TensorInfo[],
  extra: (backend: NodeKernelBackend) => OpAttr[],
  paddings: number[],
): tf.TensorInfo {
  const backend = args.backend as unknown as NodeKernelBackend;
  const attrs = args.attrs as unknown as ConvAttrs;
  const b = backend.binding;
  const [sh, sw] = pair(attrs.strides);
  const [dh, dw] = pair(attrs.dilations);
  const sizeTensor = tf.tensor1d(sizes, 'int32');
  try {
    return backend.executeSingleOutput(
      op,
      [
        {name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT},
        {name: 'strides', type: b.TF_ATTR_INT, value: [1, sh, sw, 1]},
        {name: 'padding', type: b.TF_ATTR_STRING, value: 'EXPLICIT'},
        {name: 'explicit_paddings', type: b.TF_ATTR_INT, value: paddings},
        {name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC'},
        {name: 'dilations', type: b.TF_ATTR_INT, value: [1, dh, dw, 1]},
        ...extra(backend),
      ],
      inputs(sizeTensor),
    );
  } finally {
    sizeTensor.dispose();
  }
}

const cudnn = (backend: NodeKernelBackend): OpAttr[] => [{name: 'use_cudnn_on_gpu', type: backend.binding.TF_ATTR_BOOL, value: true}];
const none = (): OpAttr[] => [];

/** A kernel that handles explicit NHWC padding itself and hands everything else to `stock`. */
function withExplicitPadding(
  stock: tf.KernelConfig,
  run: (args: KernelArgs, attrs: ConvAttrs, paddings: number[]) => tf.TensorInfo,
): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as ConvAttrs;
    const paddings = explicitPaddings(attrs);
    return paddings === undefined ? stock.kernelFunc(args) : run(args, attrs, paddings);
  };
}

type Replacement = (stock: tf.KernelConfig) => tf.KernelFunc;

const replacements: Record<string, Replacement> = {
  [tf.Conv2DBackpropFilter]: (stock) =>
    withExplicitPadding(stock, (args, attrs, paddings) => {
      const {x, dy} = args.inputs as {x: tf.TensorInfo; dy: tf.TensorInfo};
      return convGradient(args, tf.Conv2DBackpropFilter, attrs.filterShape ?? [], (s) => [x, s, dy], cudnn, paddings);
    }),
  [tf.Conv2DBackpropInput]: (stock) =>
    withExplicitPadding(stock, (args, attrs, paddings) => {
      const {dy, filter} = args.inputs as {dy: tf.TensorInfo; filter: tf.TensorInfo};
      return convGradient(args, tf.Conv2DBackpropInput, attrs.inputShape ?? [], (s) => [s, filter, dy], cudnn, paddings);
    }),
  [tf.DepthwiseConv2dNativeBackpropFilter]: (stock) =>
    withExplicitPadding(stock, (args, attrs, paddings) => {
      const {x, dy} = args.inputs as {x: tf.TensorInfo; dy: tf.TensorInfo};
      return convGradient(args, tf.DepthwiseConv2dNativeBackpropFilter, attrs.filterShape ?? [], (s) => [x, s, dy], none, paddings);
    }),
  [tf.DepthwiseConv2dNativeBackpropInput]: (stock) =>
    withExplicitPadding(stock, (args, attrs, paddings) => {
      const {dy, filter} = args.inputs as {dy: tf.TensorInfo; filter: tf.TensorInfo};
      return convGradient(args, tf.DepthwiseConv2dNativeBackpropInput, attrs.inputShape ?? [], (s) => [s, filter, dy], none, paddings);
    }),
};

/** `Transform` as TensorFlow's `ImageProjectiveTransformV3` (inputs: images, transforms, output_shape, fill_value). */
function transform(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as unknown as NodeKernelBackend;
  const b = backend.binding;
  const {image, transforms} = args.inputs as {image: tf.TensorInfo; transforms: tf.TensorInfo};
  const {interpolation, fillMode, fillValue, outputShape} = args.attrs as unknown as tf.TransformAttrs;
  const [, height, width] = image.shape as [number, number, number, number];
  const shape = tf.tensor1d(outputShape ?? [height, width], 'int32');
  const fill = tf.scalar(fillValue, 'float32');
  try {
    return backend.executeSingleOutput(
      'ImageProjectiveTransformV3',
      [
        {name: 'dtype', type: b.TF_ATTR_TYPE, value: image.dtype === 'int32' ? b.TF_INT32 : b.TF_FLOAT},
        {name: 'interpolation', type: b.TF_ATTR_STRING, value: interpolation.toUpperCase()},
        {name: 'fill_mode', type: b.TF_ATTR_STRING, value: fillMode.toUpperCase()},
      ],
      [image, transforms, shape, fill],
    );
  } finally {
    shape.dispose();
    fill.dispose();
  }
}

/** Trellis' kernels: the replacements (where tfjs-node has the kernel), then the additions. */
const kernels = kernelOverrides('@trellis/backend-node', BACKEND, {
  ...Object.fromEntries(
    Object.entries(replacements).map(([name, make]): [string, KernelFactory] => [name, (stock) => (stock ? make(stock) : null)]),
  ),
  [tf.Transform]: () => transform,
});

/** The kernel names Trellis registers on the tensorflow backend. */
export const trellisKernelNames: readonly string[] = kernels.kernelNames;

/**
 * Installs Trellis' kernels on the `tensorflow` backend (after tfjs-node
 * registered its own). Idempotent; a kernel tfjs-node does not have is skipped
 * for the replacements, added for the additions.
 */
export function installNodeKernels(): void {
  kernels.install();
}
