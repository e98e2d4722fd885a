/**
 * Image tensors to PNG files (through `fast-png`, pure JavaScript).
 * @module
 */
import {ConfigError, DTypeError, ShapeError, describeValue} from '@trellis/core';
import {encode} from 'fast-png';
import {isTensor} from './is-tensor';

/** Encoded images of one summary: PNG bytes, and the common size. */
export interface EncodedImages {
  readonly width: number;
  readonly height: number;
  readonly pngs: Uint8Array[];
}

/**
 * Encodes up to `maxOutputs` images of `images` (`[h, w, c]` or
 * `[n, h, w, c]`, `c` 1 gray, 2 gray+alpha, 3 RGB or 4 RGBA) as PNG. float32
 * values are in [0, 1] and become `floor(x * 255.5)` (TensorFlow's
 * `convert_image_dtype` with saturation; NaN becomes 0); int32 values are
 * 0–255 (clamped). Reads the tensor back synchronously; does not dispose it.
 * @throws ConfigError when `images` is not a tensor; ShapeError for a wrong
 *   rank, channel count or an empty image; DTypeError for bool, string or
 *   complex tensors.
 */
export function encodeImages(who: string, images: unknown, maxOutputs: number): EncodedImages {
  if (!isTensor(images)) {
    throw new ConfigError(
      `${who}: expected a tensor of shape [h, w, c] or [n, h, w, c]; got ${describeValue(images)}. Pass a tf.Tensor (float32 in [0, 1] or int32 in 0..255).`,
    );
  }
  const {shape, dtype} = images;
  if (shape.length !== 3 && shape.length !== 4) {
    throw new ShapeError(
      `${who}: expected an image tensor of rank 3 [h, w, c] or 4 [n, h, w, c]; got ${describeValue(images)}. ` +
        'Add a channel axis for a gray image (x.expandDims(-1)).',
    );
  }
  const [n, h, w, c] = shape.length === 3 ? [1, ...shape] : shape;
  if (![1, 2, 3, 4].includes(c!)) {
    throw new ShapeError(
      `${who}: the last axis holds the channels and must be 1, 2, 3 or 4; got ${describeValue(images)}. Use channels last ([h, w, c]).`,
    );
  }
  if (h === 0 || w === 0) throw new ShapeError(`${who}: an image needs at least one pixel; got ${describeValue(images)}.`);
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new DTypeError(
      `${who}: expected float32 values in [0, 1] or int32 values in 0..255; got ${describeValue(images)}. Cast it first (x.toFloat().div(255)).`,
    );
  }
  const count = Math.min(n!, maxOutputs);
  const data = images.dataSync() as Float32Array | Int32Array;
  const size = h! * w! * c!;
  const pngs: Uint8Array[] = [];
  for (let k = 0; k < count; k++) {
    const pixels = new Uint8Array(size);
    const base = k * size;
    if (dtype === 'float32') {
      for (let i = 0; i < size; i++) {
        const v = Math.floor(data[base + i]! * 255.5);
        pixels[i] = v > 255 ? 255 : v > 0 ? v : 0;
      }
    } else {
      for (let i = 0; i < size; i++) {
        const v = data[base + i]!;
        pixels[i] = v > 255 ? 255 : v > 0 ? v : 0;
      }
    }
    pngs.push(encode({width: w!, height: h!, data: pixels, channels: c!, depth: 8}));
  }
  return {width: w!, height: h!, pngs};
}
