// Trellis' convolution, pooling and segment-sum kernels on wasm against the
// cpu backend: kernel by kernel over shapes, strides, paddings and dilations,
// then gradients through tf.grad, leaks, and restoreStockKernels().
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {BackendError, useBackend} from '@trellis/core';
import {expectNoTensorLeaks, randomValues} from '@trellis/testing';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {hasTrellisKernels, restoreStockKernels, wasm} from './index';
import {addedKernels, replacedKernels, trellisKernelNames} from './kernel-overrides';

beforeAll(async () => {
  await useBackend(wasm());
});

afterAll(async () => {
  await wasm().register();
});

type Values = {shape: number[]; values: Float32Array | Int32Array | Uint8Array};
type Input = {shape: number[]; values: number[] | Float32Array | Int32Array; dtype?: 'float32' | 'int32'};

let seed = 1;
function random(shape: number[], low = -1, high = 1): Input {
  return {shape, values: randomValues(tf.util.sizeFromShape(shape), seed++, low, high)};
}

/** Runs `f` on `backend` with fresh tensors made from `inputs`; returns every output's values. */
async function runOn(backend: 'cpu' | 'wasm', inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<Values[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype ?? 'float32'));
    const out = f(...xs);
    return (Array.isArray(out) ? out : [out]).map((t) => ({shape: t.shape, values: t.dataSync() as Values['values']}));
  });
}

/** max|a − b| / max|b| (0 when both are all zeros). */
function relativeError(a: Values['values'], b: Values['values']): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/**
 * Expects `f` on wasm to equal `reference` (default `f`) on cpu (same shapes,
 * relative error ≤ 1e-5, reference not all zeros), returning the worst error.
 */
async function expectWasmMatchesCpu(
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  reference: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[] = f,
): Promise<number> {
  const cpu = await runOn('cpu', inputs, reference);
  const wasmOut = await runOn('wasm', inputs, f);
  expect(wasmOut.map((o) => o.shape)).toEqual(cpu.map((o) => o.shape));
  let worst = 0;
  cpu.forEach((expected, i) => {
    const actual = wasmOut[i]!;
    expect(Number.isFinite(relativeError(actual.values, expected.values))).toBe(true);
    expect(tf.util.sizeFromShape(expected.shape) === 0 || Math.max(...Array.from(expected.values, Math.abs)) > 0).toBe(true);
    worst = Math.max(worst, relativeError(actual.values, expected.values));
  });
  expect(worst).toBeLessThanOrEqual(1e-5);
  return worst;
}

const kernel =
  (name: string, attrs: object) =>
  (...xs: tf.Tensor[]): tf.Tensor => {
    const [first, second, third] = xs;
    const inputs: Record<string, tf.Tensor> = {};
    if (name === tf.Conv2DBackpropFilter || name === tf.DepthwiseConv2dNativeBackpropFilter) Object.assign(inputs, {x: first, dy: second});
    else if (name === tf.Conv2DBackpropInput || name === tf.DepthwiseConv2dNativeBackpropInput)
      Object.assign(inputs, {dy: first, filter: second});
    else if (name === tf.MaxPoolGrad) Object.assign(inputs, {dy: first, input: second, output: third});
    else if (name === tf.UnsortedSegmentSum) Object.assign(inputs, {x: first, segmentIds: second});
    return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
  };

type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];
type ConvCase = {x: number[]; filter: number[]; strides: number | [number, number]; pad: Pad; dilations?: number | [number, number]};

/** The forward output shape of a conv (or depthwise conv) case. */
function outShape(c: ConvCase, depthwise: boolean): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x as never, c.filter as never, c.strides, c.dilations ?? 1, c.pad, undefined, depthwise);
  return info.outShape;
}

const convCases: ConvCase[] = [
  {x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid'},
  {x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same'},
  {x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same'},
  {x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same'},
  {x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid'},
  {x: [2, 10, 10, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'valid'},
  {x: [3, 11, 13, 2], filter: [5, 4, 2, 3], strides: [2, 3], pad: 'valid'},
  {x: [2, 11, 13, 2], filter: [4, 5, 2, 3], strides: [3, 2], pad: 'same'},
  {x: [2, 7, 7, 2], filter: [2, 2, 2, 3], strides: 2, pad: 'same'},
  {x: [2, 5, 5, 3], filter: [1, 1, 3, 6], strides: 1, pad: 'valid'},
  {x: [4, 1, 12, 3], filter: [1, 3, 3, 5], strides: [1, 2], pad: 'same'},
  {
    x: [2, 6, 6, 2],
    filter: [3, 3, 2, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {x: [1, 5, 5, 1], filter: [5, 5, 1, 1], strides: 1, pad: 'valid'},
  // More than 4 input channels: the filter gradient is a transposed convolution, not an im2col product.
  {x: [2, 7, 7, 6], filter: [3, 3, 6, 4], strides: 1, pad: 'same'},
  {x: [3, 9, 8, 5], filter: [3, 2, 5, 2], strides: [2, 3], pad: 'valid'},
  {x: [2, 5, 6, 1], filter: [2, 2, 1, 3], strides: 3, pad: 'same'},
  // Wider than the filter: the input gradient goes to the stock kernel.
  {
    x: [2, 6, 6, 2],
    filter: [3, 3, 2, 2],
    strides: 2,
    pad: [
      [0, 0],
      [3, 3],
      [4, 3],
      [0, 0],
    ],
  },
];

const label = (c: ConvCase) =>
  `x [${c.x}], filter [${c.filter}], strides ${JSON.stringify(c.strides)}, pad ${JSON.stringify(c.pad)}` +
  (c.dilations != null ? `, dilations ${JSON.stringify(c.dilations)}` : '');

describe('Conv2DBackpropFilter (added)', () => {
  for (const c of convCases) {
    it(`equals the cpu kernel: ${label(c)}`, async () => {
      const dy = outShape(c, false);
      await expectWasmMatchesCpu(
        [random(c.x), random(dy)],
        kernel(tf.Conv2DBackpropFilter, {strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter}),
      );
    });
  }

  it('equals the cpu kernel for NCHW data', async () => {
    const c = convCases[3]!;
    const [b, h, w, ch] = c.x as [number, number, number, number];
    const [, oh, ow, oc] = outShape(c, false) as [number, number, number, number];
    await expectWasmMatchesCpu(
      [random([b, ch, h, w]), random([b, oc, oh, ow])],
      kernel(tf.Conv2DBackpropFilter, {strides: c.strides, pad: c.pad, dataFormat: 'NCHW', filterShape: c.filter}),
    );
  });
});

describe('Conv2DBackpropInput (replaced: the stock kernel is a scalar loop)', () => {
  for (const c of convCases) {
    it(`equals the cpu kernel: ${label(c)}`, async () => {
      await expectWasmMatchesCpu(
        [random(outShape(c, false)), random(c.filter)],
        kernel(tf.Conv2DBackpropInput, {strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x}),
      );
    });
  }
});

const depthwiseCases: ConvCase[] = [
  {x: [2, 7, 7, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same'},
  {x: [2, 7, 7, 3], filter: [3, 3, 3, 2], strides: 1, pad: 'valid'},
  {x: [2, 8, 8, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'same'},
  {x: [2, 9, 8, 2], filter: [3, 2, 2, 3], strides: [2, 1], pad: 'valid'},
  {x: [2, 9, 9, 2], filter: [3, 3, 2, 1], strides: 1, pad: 'same', dilations: 2},
  {x: [2, 11, 10, 2], filter: [3, 2, 2, 2], strides: 1, pad: 'valid', dilations: [2, 3]},
  {x: [1, 1, 12, 4], filter: [1, 5, 4, 1], strides: 1, pad: 'same'},
];

/** `filter` with `d − 1` zeros between taps: a dilated filter as an undilated one. */
function spreadFilter(filter: tf.Tensor, [dh, dw]: [number, number]): tf.Tensor {
  const [fh, fw, c, m] = filter.shape as [number, number, number, number];
  const spread = tf.pad(tf.reshape(filter, [fh, 1, fw, 1, c, m]), [
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  return tf.slice(tf.reshape(spread, [fh * dh, fw * dw, c, m]), 0, [(fh - 1) * dh + 1, (fw - 1) * dw + 1, c, m]);
}

describe('DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput (added)', () => {
  for (const c of depthwiseCases) {
    it(`equal the cpu kernels: ${label(c)}`, async () => {
      const dy = outShape(c, true);
      const [dh, dw] = typeof c.dilations === 'number' ? [c.dilations, c.dilations] : (c.dilations ?? [1, 1]);
      const attrs = {strides: c.strides, pad: c.pad, dilations: [dh, dw]};
      if (dh === 1 && dw === 1) {
        await expectWasmMatchesCpu(
          [random(c.x), random(dy)],
          kernel(tf.DepthwiseConv2dNativeBackpropFilter, {...attrs, filterShape: c.filter}),
        );
        await expectWasmMatchesCpu(
          [random(dy), random(c.filter)],
          kernel(tf.DepthwiseConv2dNativeBackpropInput, {...attrs, inputShape: c.x}),
        );
        return;
      }
      // The cpu kernels ignore dilations (tfjs-core never asks for them), so the
      // reference is the undilated cpu kernel with the filter spread out.
      const [fh, fw, ch, m] = c.filter as [number, number, number, number];
      const spreadShape = [(fh - 1) * dh + 1, (fw - 1) * dw + 1, ch, m];
      const undilated = {strides: c.strides, pad: c.pad, dilations: [1, 1]};
      await expectWasmMatchesCpu(
        [random(c.x), random(dy)],
        kernel(tf.DepthwiseConv2dNativeBackpropFilter, {...attrs, filterShape: c.filter}),
        (x, g) =>
          tf.stridedSlice(
            kernel(tf.DepthwiseConv2dNativeBackpropFilter, {...undilated, filterShape: spreadShape})(x!, g!),
            [0, 0, 0, 0],
            spreadShape,
            [dh, dw, 1, 1],
          ),
      );
      await expectWasmMatchesCpu(
        [random(dy), random(c.filter)],
        kernel(tf.DepthwiseConv2dNativeBackpropInput, {...attrs, inputShape: c.x}),
        (g, f) => kernel(tf.DepthwiseConv2dNativeBackpropInput, {...undilated, inputShape: c.x})(g!, spreadFilter(f!, [dh, dw])),
      );
    });
  }
});

it('DepthwiseConv2dNativeBackpropInput rejects explicit padding wider than the filter with a BackendError', async () => {
  await tf.setBackend('wasm');
  const run = () =>
    tf.tidy(() =>
      kernel(tf.DepthwiseConv2dNativeBackpropInput, {
        strides: 1,
        dilations: 1,
        pad: [
          [0, 0],
          [3, 3],
          [3, 3],
          [0, 0],
        ],
        inputShape: [1, 4, 4, 2],
      })(tf.ones([1, 8, 8, 2]), tf.ones([3, 3, 2, 1])),
    );
  const before = tf.memory().numTensors;
  expect(run).toThrow(BackendError);
  expect(run).toThrow(/DepthwiseConv2dNativeBackpropInput \(wasm\): explicit padding \(top 3, left 3\) wider than the dilated filter/);
  expect(tf.memory().numTensors).toBe(before);
});

type PoolCase = {x: number[]; filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same'};
const poolCases: PoolCase[] = [
  {x: [2, 8, 8, 3], filterSize: 2, strides: 2, pad: 'valid'},
  {x: [2, 7, 9, 3], filterSize: 2, strides: 2, pad: 'valid'},
  {x: [2, 7, 9, 3], filterSize: 2, strides: 2, pad: 'same'},
  {x: [2, 7, 7, 3], filterSize: 3, strides: 1, pad: 'same'},
  {x: [3, 8, 8, 2], filterSize: 3, strides: 2, pad: 'same'},
  {x: [2, 9, 9, 3], filterSize: 3, strides: 2, pad: 'valid'},
  {x: [2, 1, 10, 3], filterSize: [1, 3], strides: [1, 2], pad: 'same'},
  {x: [2, 6, 5, 2], filterSize: [3, 2], strides: [1, 2], pad: 'valid'},
  // Strides larger than the window: pixels between windows get no gradient.
  {x: [2, 9, 10, 3], filterSize: 2, strides: 3, pad: 'valid'},
  {x: [2, 8, 7, 2], filterSize: [2, 1], strides: [3, 2], pad: 'same'},
  {x: [1, 5, 5, 1], filterSize: 3, strides: 1, pad: 'same'},
  {x: [3, 7, 6, 5], filterSize: 3, strides: 2, pad: 'same'},
];

describe('MaxPoolGrad (replaced: the stock kernel is wrong for batch or channels > 1)', () => {
  for (const c of poolCases) {
    it(`equals the cpu kernel: x [${c.x}], filter ${JSON.stringify(c.filterSize)}, strides ${JSON.stringify(c.strides)}, ${c.pad}`, async () => {
      const x = random(c.x);
      const y = await runOn('cpu', [x], (t) => tf.maxPool(t as tf.Tensor4D, c.filterSize, c.strides, c.pad));
      await expectWasmMatchesCpu(
        [random(y[0]!.shape), x, {shape: y[0]!.shape, values: y[0]!.values as Float32Array}],
        kernel(tf.MaxPoolGrad, {filterSize: c.filterSize, strides: c.strides, pad: c.pad}),
      );
    });
  }

  it('routes a tie to the first maximum of its window, like the cpu backend (windows of relu zeros)', async () => {
    // Values from {0, 0, 0, 1, 2}: most windows hold several maxima.
    const x = {shape: [2, 6, 6, 3], values: Array.from({length: 216}, (_, i) => Math.max(0, ((i * 7) % 5) - 2))};
    for (const [filterSize, strides, pad] of [
      [2, 2, 'valid'],
      [3, 1, 'same'],
      [3, 2, 'same'],
    ] as const) {
      const out = tf.backend_util.computePool2DInfo([2, 6, 6, 3], filterSize, strides, 1, pad).outShape;
      await expectWasmMatchesCpu([x, random(out)], (a, w) =>
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, filterSize, strides, pad), w!)))(a!),
      );
    }
  });

  it('sums the gradients of overlapping windows that share a maximum exactly like the cpu backend', async () => {
    // One large value per 4×4 block: every overlapping 3×3 window at stride 1 that covers it routes to it.
    const values = Array.from({length: 2 * 8 * 8 * 3}, (_, i) => (i % 37 === 0 ? 5 : ((i * 13) % 7) / 10));
    const x = {shape: [2, 8, 8, 3], values};
    const out = tf.backend_util.computePool2DInfo([2, 8, 8, 3], 3, 1, 1, 'same').outShape;
    const weights = random(out);
    const f = (a: tf.Tensor, w: tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 3, 1, 'same'), w)))(a);
    const cpu = await runOn('cpu', [x, weights], (a, w) => f(a!, w!));
    const wasmOut = await runOn('wasm', [x, weights], (a, w) => f(a!, w!));
    expect(Array.from(wasmOut[0]!.values)).toEqual(Array.from(cpu[0]!.values));
  });

  it('passes no gradient from a window of −∞ only, like the cpu backend', async () => {
    const values = Array.from({length: 2 * 4 * 4 * 2}, (_, i) => (i % 8 < 4 ? Number.NEGATIVE_INFINITY : (i % 5) - 2));
    const x = {shape: [2, 4, 4, 2], values};
    const output = await runOn('cpu', [x], (t) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'));
    const args: Input[] = [random(output[0]!.shape), x, {shape: output[0]!.shape, values: output[0]!.values as Float32Array}];
    await expectWasmMatchesCpu(args, kernel(tf.MaxPoolGrad, {filterSize: 2, strides: 2, pad: 'valid'}));
  });
});

describe('UnsortedSegmentSum (added)', () => {
  it('equals the cpu kernel with repeated ids, for rows of any rank', async () => {
    const ids = {shape: [7], values: [3, 0, 3, 5, 1, 3, 0], dtype: 'int32' as const};
    await expectWasmMatchesCpu([random([7, 4]), ids], kernel(tf.UnsortedSegmentSum, {numSegments: 6}));
    await expectWasmMatchesCpu([random([7, 2, 3]), ids], kernel(tf.UnsortedSegmentSum, {numSegments: 9}));
    await expectWasmMatchesCpu([random([7]), ids], kernel(tf.UnsortedSegmentSum, {numSegments: 6}));
  });

  it('equals the cpu kernel for int32 data', async () => {
    const ids = {shape: [6], values: [1, 1, 0, 2, 0, 1], dtype: 'int32' as const};
    await expectWasmMatchesCpu(
      [{shape: [6, 2], values: Array.from({length: 12}, (_, i) => i - 4), dtype: 'int32'}, ids],
      kernel(tf.UnsortedSegmentSum, {numSegments: 4}),
    );
  });

  it('drops ids outside [0, numSegments) like the cpu kernel', async () => {
    const ids = {shape: [5], values: [2, -1, 0, 7, 2], dtype: 'int32' as const};
    await expectWasmMatchesCpu([random([5, 3]), ids], kernel(tf.UnsortedSegmentSum, {numSegments: 4}));
  });
});

describe('Transform (replaced: the stock kernel maps reflect and wrap coordinates wrongly)', () => {
  const angle = 0.3;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const matrices: [string, number[]][] = [
    ['rotation', [cos, -sin, 3, sin, cos, -2, 0, 0]],
    ['zoom out', [1.6, 0, -3, 0, 1.4, -2.5, 0, 0]],
    ['translation', [1, 0, 2.5, 0, 1, -3.25, 0, 0]],
    ['far translation', [1, 0, -23.5, 0, 1, 31, 0, 0]],
    ['projective', [1, 0.1, 1.5, 0.05, 1, -2, 0.01, 0.02]],
    ['point at infinity', [1, 0, 0, 0, 1, 0, -0.25, 0]],
  ];
  const modes = ['constant', 'reflect', 'wrap', 'nearest'] as const;
  // The cpu kernel is right for one image (it returns after the first), so the
  // batch is compared image by image.
  for (const [name, matrix] of matrices) {
    for (const interpolation of ['bilinear', 'nearest'] as const) {
      it(`equals the cpu kernel image by image: ${name}, ${interpolation}, every fill mode`, async () => {
        const images = random([2, 9, 11, 3]);
        const one = (x: tf.Tensor, b: number) => tf.slice(x, [b, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
        for (const fillMode of modes) {
          for (const outputShape of [undefined, [7, 13] as [number, number]]) {
            const warp = (x: tf.Tensor4D, m: number[][]) =>
              tf.image.transform(x, tf.tensor2d(m), interpolation, fillMode, 0.5, outputShape);
            await expectWasmMatchesCpu(
              [images],
              (x) => warp(x as tf.Tensor4D, [matrix, matrix.map((v, i) => (i === 2 ? v + 1 : v))]),
              (x) => tf.concat([warp(one(x, 0), [matrix]), warp(one(x, 1), [matrix.map((v, i) => (i === 2 ? v + 1 : v))])]),
            );
            await expectWasmMatchesCpu(
              [images],
              (x) => warp(x as tf.Tensor4D, [matrix]),
              (x) => tf.concat([warp(one(x, 0), [matrix]), warp(one(x, 1), [matrix])]),
            );
          }
        }
      });
    }
  }

  it('maps coordinates like TensorFlow in the reflect and wrap modes (1-D cases)', async () => {
    const row = {shape: [1, 1, 4, 1], values: [1, 2, 3, 4]};
    const shift = (mode: 'reflect' | 'wrap', t: number) => (x: tf.Tensor) =>
      tf.image.transform(x as tf.Tensor4D, tf.tensor2d([[1, 0, t, 0, 1, 0, 0, 0]]), 'nearest', mode);
    const read = async (f: (x: tf.Tensor) => tf.Tensor) => Array.from((await runOn('wasm', [row], f))[0]!.values);
    expect(await read(shift('reflect', -2))).toEqual([2, 1, 1, 2]);
    expect(await read(shift('reflect', -5))).toEqual([4, 4, 3, 2]);
    expect(await read(shift('reflect', 2))).toEqual([3, 4, 4, 3]);
    expect(await read(shift('wrap', -2))).toEqual([3, 4, 1, 2]);
  });
});

describe("Conv2D, FusedConv2D, DepthwiseConv2dNative, FusedDepthwiseConv2D with 'same' padding (replaced)", () => {
  // The stock kernels return zeros for these kernel-smaller-than-stride cases.
  const cases: [number[], number, number][] = [
    [[2, 3, 3, 2], 2, 3],
    [[2, 3, 4, 2], 3, 4],
    [[2, 6, 7, 2], 2, 4],
    [[2, 9, 10, 2], 2, 3],
    [[2, 8, 8, 2], 3, 4],
    [[2, 7, 7, 2], 3, 2],
    [[2, 7, 7, 2], 1, 2],
  ];
  for (const [shape, k, s] of cases) {
    it(`equal the cpu kernels: x [${shape}], kernel ${k}, stride ${s}`, async () => {
      await expectWasmMatchesCpu(
        [random(shape), random([k, k, 2, 3]), random([k, k, 2, 2]), random([3]), random([4])],
        (x, f, d, b3, b4) => [
          tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, s, 'same'),
          tf.fused.conv2d({x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: s, pad: 'same', bias: b3, activation: 'relu'}),
          tf.depthwiseConv2d(x as tf.Tensor4D, d as tf.Tensor4D, s, 'same'),
          tf.fused.depthwiseConv2d({x: x as tf.Tensor4D, filter: d as tf.Tensor4D, strides: s, pad: 'same', bias: b4, activation: 'relu'}),
          ...tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, s, 'same'))))([
            x!,
            f!,
          ]),
        ],
      );
    });
  }

  it("equal the cpu kernels for 'same' with dilation 2", async () => {
    await expectWasmMatchesCpu([random([2, 9, 9, 2]), random([3, 3, 2, 3]), random([3, 3, 2, 1])], (x, f, d) => [
      tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same', 'NHWC', 2),
      tf.depthwiseConv2d(x as tf.Tensor4D, d as tf.Tensor4D, 1, 'same', 'NHWC', 2),
    ]);
  });
});

describe('gradients through tf.grad on wasm equal those on cpu', () => {
  const cases: [string, Input[], (...xs: tf.Tensor[]) => tf.Tensor[]][] = [
    [
      'conv2d, strided same, both gradients',
      [random([2, 9, 9, 3]), random([3, 3, 3, 4])],
      (x, f) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([x!, f!]),
    ],
    [
      'conv1d, valid, both gradients',
      [random([3, 12, 2]), random([3, 2, 4])],
      (x, f) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 1, 'valid'))))([x!, f!]),
    ],
    [
      'conv2dTranspose, strided same, both gradients',
      [random([2, 4, 4, 3]), random([3, 3, 5, 3])],
      (x, f) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 8, 8, 5], 2, 'same'))),
        )([x!, f!]),
    ],
    [
      'separableConv2d, all three gradients',
      [random([2, 8, 8, 3]), random([3, 3, 3, 2]), random([1, 1, 6, 4])],
      (x, d, p) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
          tf.sum(tf.square(tf.separableConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, 1, 'same'))),
        )([x!, d!, p!]),
    ],
    [
      'conv → relu → maxPool → conv → maxPool (a small CNN)',
      [random([4, 12, 12, 1]), random([3, 3, 1, 4]), random([3, 3, 4, 6])],
      (x, f1, f2) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
          const h = tf.maxPool(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid')), 2, 2, 'valid');
          return tf.sum(tf.square(tf.maxPool(tf.relu(tf.conv2d(h, c as tf.Tensor4D, 1, 'same')), 2, 2, 'same')));
        })([x!, f1!, f2!]),
    ],
    [
      'gather (embedding) gradient',
      [random([10, 4]), {shape: [2, 3], values: [1, 4, 4, 9, 0, 1], dtype: 'int32'}],
      (table, ids) => [tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, ids!))))(table!)],
    ],
  ];
  for (const [name, inputs, f] of cases) {
    it(name, async () => {
      await expectWasmMatchesCpu(inputs, f);
    });
  }
});

it('leaks no tensor and no backend data', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor4d(randomValues(2 * 9 * 9 * 3, 91), [2, 9, 9, 3]);
  const f = tf.tensor4d(randomValues(27 * 4, 92), [3, 3, 3, 4]);
  const d = tf.tensor4d(randomValues(27 * 2, 93), [3, 3, 3, 2]);
  const table = tf.tensor2d(randomValues(40, 94), [10, 4]);
  const ids = tf.tensor1d([1, 4, 4, 12, -1], 'int32');
  const dataIds = () => tf.engine().backend.numDataIds();
  const step = () =>
    tf.tidy(() => {
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), 3, 2, 'same')))([
        x,
        f,
      ]);
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, d]);
      tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([1, 4, 4], 'int32'))))(table);
      tf.unsortedSegmentSum(tf.ones([5, 3]), ids, 10);
      tf.image.transform(x as tf.Tensor4D, tf.tensor2d([[1, 0.1, -2, 0, 1.2, 1, 0, 0]]), 'bilinear', 'reflect');
      tf.image.transform(x as tf.Tensor4D, tf.tensor2d([[1, 0, 1, 0, 1, 1, 0, 0]]), 'nearest', 'constant', 0.5, [4, 5]);
    });
  step();
  const before = dataIds();
  await expectNoTensorLeaks(step, {times: 3});
  expect(dataIds()).toBe(before);
  tf.dispose([x, f, d, table, ids]);
});

it('restoreStockKernels() removes the added kernels and puts the stock ones back', async () => {
  await wasm().register();
  expect(hasTrellisKernels()).toBe(true);
  const installed = trellisKernelNames.map((name) => tf.getKernel(name, 'wasm'));
  expect(restoreStockKernels()).toBe(true);
  expect(hasTrellisKernels()).toBe(false);
  for (const name of addedKernels) expect(tf.getKernel(name, 'wasm')).toBeUndefined();
  for (const name of replacedKernels) {
    const stock = tf.getKernel(name, 'wasm');
    expect(stock).toBeDefined();
    expect(installed).not.toContain(stock);
  }
  await tf.setBackend('wasm');
  expect(() =>
    tf.tidy(() =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same')))(
        tf.ones([1, 4, 4, 1]),
      ),
    ),
  ).not.toThrow();
  expect(() =>
    tf.tidy(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([
        tf.ones([1, 4, 4, 1]),
        tf.ones([3, 3, 1, 1]),
      ]),
    ),
  ).toThrow(/Conv2DBackpropFilter/);
  await wasm().register();
  expect(hasTrellisKernels()).toBe(true);
  expect(trellisKernelNames.map((name) => tf.getKernel(name, 'wasm')?.kernelName)).toEqual(trellisKernelNames);
});
