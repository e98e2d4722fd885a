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
 *   rejects the op: `Invalid TF_Status: 3`); same fix. TensorFlow's CPU
 *   kernels for these take only equal row and column strides; for unequal
 *   ones (`strides: [1, 2]`) the gradient is that of the equivalent ordinary
 *   convolution, whose filter is block-diagonal over the channels
 *   (`Conv2DBackpropInput`/`Conv2DBackpropFilter`, which take any strides;
 *   the filter's gradient is the diagonal of the block one).
 * - `DepthwiseConv2dNative`: TensorFlow's CPU kernel refuses unequal strides
 *   too, unless oneDNN runs it (by default only on CPUs with AVX-512); for
 *   them it is the block-diagonal `Conv2D`.
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
  disposeData(dataId: tf.DataId): boolean;
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

/** Runs TensorFlow's convolution op `op` (NHWC) on `inputs` with the strides and dilations of the kernel's attributes and `paddings`. */
function convOp(
  args: KernelArgs,
  op: string,
  inputs: tf.TensorInfo[],
  extra: (backend: NodeKernelBackend) => OpAttr[],
  paddings: number[] | 'SAME' | 'VALID',
): tf.TensorInfo {
  const backend = args.backend as unknown as NodeKernelBackend;
  const attrs = args.attrs as unknown as ConvAttrs;
  const b = backend.binding;
  const [sh, sw] = pair(attrs.strides);
  const [dh, dw] = pair(attrs.dilations);
  const padding: OpAttr[] = Array.isArray(paddings)
    ? [
        {name: 'padding', type: b.TF_ATTR_STRING, value: 'EXPLICIT'},
        {name: 'explicit_paddings', type: b.TF_ATTR_INT, value: paddings},
      ]
    : [{name: 'padding', type: b.TF_ATTR_STRING, value: paddings}];
  return backend.executeSingleOutput(
    op,
    [
      {name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT},
      {name: 'strides', type: b.TF_ATTR_INT, value: [1, sh, sw, 1]},
      ...padding,
      {name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC'},
      {name: 'dilations', type: b.TF_ATTR_INT, value: [1, dh, dw, 1]},
      ...extra(backend),
    ],
    inputs,
  );
}

/** Runs the convolution gradient `op` (see {@link convOp}); `sizes` (int32) is created and released around it. */
function convGradient(
  args: KernelArgs,
  op: string,
  sizes: number[],
  inputs: (sizes: tf.TensorInfo) => tf.TensorInfo[],
  extra: (backend: NodeKernelBackend) => OpAttr[],
  paddings: number[] | 'SAME' | 'VALID',
): tf.TensorInfo {
  return withInt32(sizes, (sizeTensor) => convOp(args, op, inputs(sizeTensor), extra, paddings));
}

/** Runs `run` with an int32 tensor of `values` (a size or axis operand), released after it. */
function withInt32<T>(values: number[], run: (tensor: tf.TensorInfo) => T): T {
  const tensor = tf.tensor1d(values, 'int32');
  try {
    return run(tensor);
  } finally {
    tensor.dispose();
  }
}

/** TensorFlow's `Reshape` of a float32 tensor. */
function reshape(backend: NodeKernelBackend, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  const b = backend.binding;
  return withInt32(shape, (s) =>
    backend.executeSingleOutput(
      'Reshape',
      [
        {name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT},
        {name: 'Tshape', type: b.TF_ATTR_TYPE, value: b.TF_INT32},
      ],
      [x, s],
    ),
  );
}

/**
 * Runs `run` with `[1, 1, C, C, 1]`, the identity over `channels` placed to
 * multiply a `[kh, kw, C, C, M]` block filter, released after it.
 */
function withChannelIdentity<T>(channels: number, run: (eye: tf.TensorInfo) => T): T {
  const values = new Float32Array(channels * channels);
  for (let c = 0; c < channels; c++) values[c * channels + c] = 1;
  const eye = tf.tensor(values, [1, 1, channels, channels, 1], 'float32');
  try {
    return run(eye);
  } finally {
    eye.dispose();
  }
}

/** TensorFlow's element-wise `Mul` of two float32 tensors (broadcasting). */
function multiply(backend: NodeKernelBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  return backend.executeSingleOutput('Mul', [{name: 'T', type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT}], [a, b]);
}

/** Disposes TensorFlow results the kernel no longer needs. */
function release(backend: NodeKernelBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * The block-diagonal filter `[kh, kw, C, C·M]` of the ordinary convolution
 * equal to the depthwise one with `filter` `[kh, kw, C, M]`.
 */
function blockFilter(backend: NodeKernelBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, channels, multiplier] = filter.shape as [number, number, number, number];
  const column = reshape(backend, filter, [kh, kw, channels, 1, multiplier]);
  try {
    const blocks = withChannelIdentity(channels, (eye) => multiply(backend, column, eye));
    try {
      return reshape(backend, blocks, [kh, kw, channels, channels * multiplier]);
    } finally {
      release(backend, blocks);
    }
  } finally {
    release(backend, column);
  }
}

/** The padding of `attrs` as {@link convGradient} takes it. */
function tfPadding(attrs: ConvAttrs): number[] | 'SAME' | 'VALID' {
  if (Array.isArray(attrs.pad)) return attrs.pad.flat();
  if (attrs.pad === 'same' || attrs.pad === 'valid') return attrs.pad === 'same' ? 'SAME' : 'VALID';
  const p = attrs.pad as number;
  return [0, 0, p, p, p, p, 0, 0];
}

/** Row and column strides differ: TensorFlow's depthwise kernels refuse them (its forward one unless oneDNN runs it). */
function unequalStrides(attrs: ConvAttrs): boolean {
  const [sh, sw] = pair(attrs.strides);
  return sh !== sw;
}

/**
 * `DepthwiseConv2dNative` as the block-diagonal ordinary convolution
 * (`Conv2D`), for unequal strides: TensorFlow's own CPU kernel refuses them
 * unless oneDNN runs it (on CPUs without AVX-512 it does not by default).
 */
function depthwiseForward(args: KernelArgs, attrs: ConvAttrs): tf.TensorInfo {
  const backend = args.backend as unknown as NodeKernelBackend;
  const {x, filter} = args.inputs as {x: tf.TensorInfo; filter: tf.TensorInfo};
  const block = blockFilter(backend, filter);
  try {
    return convOp(args, tf.Conv2D, [x, block], cudnn, tfPadding(attrs));
  } finally {
    release(backend, block);
  }
}

/** `DepthwiseConv2dNativeBackpropInput` as the block-diagonal convolution's input gradient. */
function depthwiseInputGradient(args: KernelArgs, attrs: ConvAttrs): tf.TensorInfo {
  const backend = args.backend as unknown as NodeKernelBackend;
  const {dy, filter} = args.inputs as {dy: tf.TensorInfo; filter: tf.TensorInfo};
  const block = blockFilter(backend, filter);
  try {
    return convGradient(args, tf.Conv2DBackpropInput, attrs.inputShape ?? [], (s) => [s, block, dy], cudnn, tfPadding(attrs));
  } finally {
    release(backend, block);
  }
}

/** `DepthwiseConv2dNativeBackpropFilter` as the diagonal of the block-diagonal convolution's filter gradient. */
function depthwiseFilterGradient(args: KernelArgs, attrs: ConvAttrs): tf.TensorInfo {
  const backend = args.backend as unknown as NodeKernelBackend;
  const b = backend.binding;
  const {x, dy} = args.inputs as {x: tf.TensorInfo; dy: tf.TensorInfo};
  const [kh, kw, channels, multiplier] = attrs.filterShape as [number, number, number, number];
  const full = convGradient(
    args,
    tf.Conv2DBackpropFilter,
    [kh, kw, channels, channels * multiplier],
    (s) => [x, s, dy],
    cudnn,
    tfPadding(attrs),
  );
  const blocks = reshape(backend, full, [kh, kw, channels, channels, multiplier]);
  release(backend, full);
  try {
    const diagonal = withChannelIdentity(channels, (eye) => multiply(backend, blocks, eye));
    try {
      return withInt32([3], (axis) =>
        backend.executeSingleOutput(
          'Sum',
          [
            {name: 'keep_dims', type: b.TF_ATTR_BOOL, value: false},
            {name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT},
            {name: 'Tidx', type: b.TF_ATTR_TYPE, value: b.TF_INT32},
          ],
          [diagonal, axis],
        ),
      );
    } finally {
      release(backend, diagonal);
    }
  } finally {
    release(backend, blocks);
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

/** A kernel that runs `unequal` for unequal row and column strides (NHWC) and `otherwise` for the rest. */
function withUnequalStrides(unequal: (args: KernelArgs, attrs: ConvAttrs) => tf.TensorInfo, otherwise: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as ConvAttrs;
    return unequalStrides(attrs) && (attrs.dataFormat ?? 'NHWC') === 'NHWC' ? unequal(args, attrs) : otherwise(args);
  };
}

type Replacement = (stock: tf.KernelConfig) => tf.KernelFunc;
type OpAttrs = (backend: NodeKernelBackend) => OpAttr[];

/** The filter gradient `op` (inputs `x`, `dy`; `attrs.filterShape`) with explicit padding handled here. */
const filterGradient =
  (op: string, extra: OpAttrs): Replacement =>
  (stock) =>
    withExplicitPadding(stock, (args, attrs, paddings) => {
      const {x, dy} = args.inputs as {x: tf.TensorInfo; dy: tf.TensorInfo};
      return convGradient(args, op, attrs.filterShape ?? [], (s) => [x, s, dy], extra, paddings);
    });

/** The input gradient `op` (inputs `dy`, `filter`; `attrs.inputShape`) with explicit padding handled here. */
const inputGradient =
  (op: string, extra: OpAttrs): Replacement =>
  (stock) =>
    withExplicitPadding(stock, (args, attrs, paddings) => {
      const {dy, filter} = args.inputs as {dy: tf.TensorInfo; filter: tf.TensorInfo};
      return convGradient(args, op, attrs.inputShape ?? [], (s) => [s, filter, dy], extra, paddings);
    });

const replacements: Record<string, Replacement> = {
  [tf.Conv2DBackpropFilter]: filterGradient(tf.Conv2DBackpropFilter, cudnn),
  [tf.Conv2DBackpropInput]: inputGradient(tf.Conv2DBackpropInput, cudnn),
  [tf.DepthwiseConv2dNative]: (stock) => withUnequalStrides(depthwiseForward, stock.kernelFunc),
  [tf.DepthwiseConv2dNativeBackpropFilter]: (stock) =>
    withUnequalStrides(depthwiseFilterGradient, filterGradient(tf.DepthwiseConv2dNativeBackpropFilter, none)(stock)),
  [tf.DepthwiseConv2dNativeBackpropInput]: (stock) =>
    withUnequalStrides(depthwiseInputGradient, inputGradient(tf.DepthwiseConv2dNativeBackpropInput, none)(stock)),
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
