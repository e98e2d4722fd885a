/**
 * Trellis' `Transform` kernel (`tf.image.transform`: the projective warp
 * behind rotation, zoom, translation and shear augmentation) for the tfjs
 * `wasm` backend.
 *
 * The stock tfjs-backend-wasm 4.22 `Transform` maps coordinates wrongly in the
 * `reflect` fill mode (every pixel that samples left of or above the image)
 * and in some `wrap` cases. This kernel follows TensorFlow's
 * `ImageProjectiveTransformV3` (which Keras' augmentation layers call), as the
 * cpu backend does for one image:
 *
 * 1. for each output pixel, the projected input coordinate is mapped into the
 *    image by the fill mode and turned into the row index of the input pixel
 *    to read (1 for `nearest`, the 4 neighbours with their weights for
 *    `bilinear`), or of an extra row holding `fillValue` when it falls
 *    outside; these indices depend on the pixel only, not on its channels;
 * 2. the pixels are gathered with the backend's `GatherV2` from the image seen
 *    as `[B·H·W, C]` plus the fill row (`Fill`, `Concat`), weighted with
 *    `Multiply` and summed with `Add`.
 *
 * Non-float32 images go to the stock kernel.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {runInScope, type KernelScope} from './kernel-scope';

type KernelArgs = Parameters<tf.KernelFunc>[0];

type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

const clamp = (value: number, len: number) => Math.min(Math.max(value, 0), len - 1);

/** TensorFlow's `map_coord`: a projected coordinate moved into `[0, len)` by the fill mode. */
function mapCoordinate(coordinate: number, len: number, mode: FillMode): number {
  let c = coordinate;
  if (mode === 'reflect') {
    // [abcd] → [dcba|abcd|dcba]
    if (c < 0) {
      if (len <= 1) c = 0;
      else {
        const period = 2 * len;
        if (c < -period) c += period * Math.trunc(-c / period);
        c = c < -len ? c + period : -c - 1;
      }
    } else if (c > len - 1) {
      if (len <= 1) c = 0;
      else {
        const period = 2 * len;
        c -= period * Math.trunc(c / period);
        if (c >= len) c = period - c - 1;
      }
    }
    return clamp(c, len);
  }
  if (mode === 'wrap') {
    // [abcd] → [abcd|abcd|abcd], with TensorFlow's steps of len per len − 1.
    if (c < 0) {
      c = len <= 1 ? 0 : c + len * (Math.trunc(-c / (len - 1)) + 1);
    } else if (c > len - 1) {
      c = len <= 1 ? 0 : c - len * Math.trunc(c / (len - 1));
    }
    return clamp(c, len);
  }
  if (mode === 'nearest') return clamp(c, len);
  return c;
}

/** An int32 tensor of `values` made on the wasm heap, owned by the scope. */
function heapTensor(scope: KernelScope, values: Int32Array | Float32Array, shape: number[]): tf.TensorInfo {
  const out = scope.adopt(scope.backend.makeOutput(shape, values instanceof Int32Array ? 'int32' : 'float32'));
  scope.backend.typedArrayFromHeap(out).set(values);
  return out;
}

/**
 * Makes the `Transform` kernel function (inputs `image` `[B, H, W, C]`,
 * `transforms` `[1 or B, 8]`; attrs `interpolation`, `fillMode`,
 * `fillValue`, `outputShape`). Returns a new `[B, outHeight, outWidth, C]`
 * tensor owned by the engine.
 *
 * @param stock - the stock wasm `Transform` kernel, used for non-float32 images.
 */
export function makeTransform(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const {image, transforms} = args.inputs as {image: tf.TensorInfo; transforms: tf.TensorInfo};
    const {interpolation, fillMode, fillValue, outputShape} = args.attrs as unknown as tf.TransformAttrs;
    if (image.dtype !== 'float32' || transforms.dtype !== 'float32') return stock(args);
    return runInScope(args, (scope) => {
      const [batch, height, width, channels] = image.shape as [number, number, number, number];
      const [outHeight, outWidth] = outputShape ?? [height, width];
      const outShape = [batch, outHeight, outWidth, channels];
      const pixels = batch * outHeight * outWidth;
      if (pixels * channels === 0 || height * width === 0) {
        return scope.run(tf.Fill, {}, {shape: outShape, value: fillValue ?? 0, dtype: 'float32'});
      }
      const mode = (fillMode ?? 'constant') as FillMode;
      const bilinear = interpolation === 'bilinear';
      const taps = bilinear ? 4 : 1;
      const fillRow = batch * height * width;
      const indices = Array.from({length: taps}, () => new Int32Array(pixels).fill(fillRow));
      const weights = Array.from({length: taps}, () => new Float32Array(pixels));
      const matrices = scope.backend.typedArrayFromHeap(transforms);
      const shared = transforms.shape[0] === 1;
      const row = (b: number, y: number, x: number) =>
        0 <= y && y < height && 0 <= x && x < width ? (b * height + y) * width + x : fillRow;
      let at = 0;
      for (let b = 0; b < batch; b++) {
        const m = shared ? 0 : b * 8;
        const [a0, a1, a2, b0, b1, b2, c0, c1] = Array.from(matrices.subarray(m, m + 8)) as number[] as [
          number,
          number,
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        for (let outY = 0; outY < outHeight; outY++) {
          for (let outX = 0; outX < outWidth; outX++, at++) {
            weights[0]![at] = 1;
            const projection = c0 * outX + c1 * outY + 1;
            // A point at infinity is outside the image: the fill row.
            if (projection === 0) continue;
            const x = mapCoordinate((a0 * outX + a1 * outY + a2) / projection, width, mode);
            const y = mapCoordinate((b0 * outX + b1 * outY + b2) / projection, height, mode);
            if (!bilinear) {
              indices[0]![at] = row(b, Math.round(y), Math.round(x));
              continue;
            }
            const x0 = Math.floor(x);
            const y0 = Math.floor(y);
            const [dx, dy] = [x - x0, y - y0];
            indices[0]![at] = row(b, y0, x0);
            indices[1]![at] = row(b, y0, x0 + 1);
            indices[2]![at] = row(b, y0 + 1, x0);
            indices[3]![at] = row(b, y0 + 1, x0 + 1);
            weights[0]![at] = (1 - dy) * (1 - dx);
            weights[1]![at] = (1 - dy) * dx;
            weights[2]![at] = dy * (1 - dx);
            weights[3]![at] = dy * dx;
          }
        }
      }
      const fill = scope.run(tf.Fill, {}, {shape: [1, channels], value: fillValue ?? 0, dtype: 'float32'});
      const table = scope.run(tf.Concat, [scope.view(image, [fillRow, channels]), fill] as unknown as tf.NamedTensorInfoMap, {axis: 0});
      let sum: tf.TensorInfo | undefined;
      for (let tap = 0; tap < taps; tap++) {
        const index = heapTensor(scope, indices[tap]!, [pixels]);
        let values = scope.run(tf.GatherV2, {x: table, indices: index}, {axis: 0, batchDims: 0});
        scope.release(index);
        if (bilinear) {
          const weight = heapTensor(scope, weights[tap]!, [pixels, 1]);
          const weighted = scope.run(tf.Multiply, {a: values, b: weight});
          scope.release(values, weight);
          values = weighted;
        }
        if (sum == null) sum = values;
        else {
          const next = scope.run(tf.Add, {a: sum, b: values});
          scope.release(sum, values);
          sum = next;
        }
      }
      return scope.view(sum!, outShape);
    });
  };
}
