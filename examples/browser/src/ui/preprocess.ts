/**
 * A drawing made MNIST-like, as MNIST's own preprocessing did: the digit's
 * bounding box scaled (aspect ratio kept) so that its longer side is 20
 * pixels, then placed in a 28 × 28 image with its centre of mass at the
 * centre.
 */

/** Grey levels in [0, 1], row by row (white ink on black, as MNIST). */
export type GreyImage = {readonly width: number; readonly height: number; readonly data: Float32Array};

/** Pixels at or below this level count as background when finding the bounding box. */
const INK = 0.1;

/** The red channel of RGBA pixels (a canvas' `ImageData`) as grey levels in [0, 1]. */
export function greyFromRgba(rgba: Uint8ClampedArray, width: number, height: number): GreyImage {
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4]! / 255;
  return {width, height, data};
}

/**
 * 784 values in [0, 1] (28 × 28, row by row) for the model, or `null` when
 * nothing was drawn.
 */
export function toMnist(image: GreyImage): Float32Array | null {
  const {width, height, data} = image;
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x]! > INK) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  if (right < 0) return null;
  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  const scale = 20 / Math.max(boxWidth, boxHeight);
  const targetWidth = Math.max(1, Math.round(boxWidth * scale));
  const targetHeight = Math.max(1, Math.round(boxHeight * scale));

  // Area average: each target pixel is the mean of the source pixels whose centres fall in it.
  const small = new Float32Array(targetWidth * targetHeight);
  const counts = new Float32Array(targetWidth * targetHeight);
  for (let y = top; y <= bottom; y++) {
    const ty = Math.min(targetHeight - 1, Math.floor(((y - top + 0.5) * targetHeight) / boxHeight));
    for (let x = left; x <= right; x++) {
      const tx = Math.min(targetWidth - 1, Math.floor(((x - left + 0.5) * targetWidth) / boxWidth));
      small[ty * targetWidth + tx]! += data[y * width + x]!;
      counts[ty * targetWidth + tx]!++;
    }
  }
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let ty = 0; ty < targetHeight; ty++) {
    for (let tx = 0; tx < targetWidth; tx++) {
      const i = ty * targetWidth + tx;
      const value = counts[i]! > 0 ? small[i]! / counts[i]! : 0;
      small[i] = value;
      mass += value;
      sumX += value * (tx + 0.5);
      sumY += value * (ty + 0.5);
    }
  }
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  const offsetX = clamp(Math.round(14 - sumX / mass), 28 - targetWidth);
  const offsetY = clamp(Math.round(14 - sumY / mass), 28 - targetHeight);
  const out = new Float32Array(784);
  for (let ty = 0; ty < targetHeight; ty++) {
    for (let tx = 0; tx < targetWidth; tx++) {
      out[(ty + offsetY) * 28 + tx + offsetX] = small[ty * targetWidth + tx]!;
    }
  }
  return out;
}
