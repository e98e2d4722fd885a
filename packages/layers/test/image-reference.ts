/**
 * Float64 references for the image augmentation tests (not exported): an
 * affine resampler with the semantics of JAX's `map_coordinates`, which
 * Keras' `affine_transform` uses (each neighbour pixel is read through the
 * fill mode), and small image helpers.
 * @module
 */

/** A host image batch: values in `[batch, height, width, channels]` order. */
export type HostImages = {readonly values: number[]; readonly shape: readonly [number, number, number, number]};

/** The values of image `b`. */
export function imageOf(images: HostImages, b: number): number[] {
  const [, h, w, c] = images.shape;
  return images.values.slice(b * h * w * c, (b + 1) * h * w * c);
}

/** scipy/JAX `map_coordinates` index fixing: where index `i` of an axis of `n` reads, or null for the fill value. */
function fixIndex(i: number, n: number, fillMode: string): number | null {
  if (fillMode === 'constant') return i >= 0 && i < n ? i : null;
  if (fillMode === 'nearest') return Math.min(Math.max(i, 0), n - 1);
  if (fillMode === 'wrap') return i - n * Math.floor(i / n);
  // reflect: a b c d mirrored about the pixel edges, period 2n.
  let j = i;
  while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - 1 - j;
  return j;
}

/**
 * Image (`[h, w, c]`) resampled through `m` = `[a0, a1, a2, b0, b1, b2, 0, 0]`
 * (output (x, y) reads input (a0 x + a1 y + a2, b0 x + b1 y + b2)), in
 * float64, as JAX's `map_coordinates` (order 1 or 0) with `fillMode`.
 */
export function resample(
  image: readonly number[],
  [h, w, c]: readonly [number, number, number],
  m: readonly number[],
  interpolation: 'bilinear' | 'nearest',
  fillMode: string,
  fillValue: number,
): number[] {
  const read = (y: number, x: number, ch: number) => {
    const [r, q] = [fixIndex(y, h, fillMode), fixIndex(x, w, fillMode)];
    return r === null || q === null ? fillValue : image[(r * w + q) * c + ch]!;
  };
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inX = m[0]! * x + m[1]! * y + m[2]!;
      const inY = m[3]! * x + m[4]! * y + m[5]!;
      for (let ch = 0; ch < c; ch++) {
        if (interpolation === 'nearest') {
          const round = (v: number) => Math.sign(v) * Math.round(Math.abs(v));
          out.push(read(round(inY), round(inX), ch));
          continue;
        }
        const x0 = Math.floor(inX);
        const y0 = Math.floor(inY);
        const fx = inX - x0;
        const fy = inY - y0;
        const top = (1 - fx) * read(y0, x0, ch) + fx * read(y0, x0 + 1, ch);
        const bottom = (1 - fx) * read(y0 + 1, x0, ch) + fx * read(y0 + 1, x0 + 1, ch);
        out.push((1 - fy) * top + fy * bottom);
      }
    }
  }
  return out;
}

/** Image `image` (`[h, w, c]`) with output pixel (y, x) taken from input pixel `source(y, x)`, or `fill` when that is null. */
export function remap(
  image: readonly number[],
  [h, w, c]: readonly [number, number, number],
  source: (y: number, x: number) => [number, number] | null,
  fill = 0,
): number[] {
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const from = source(y, x);
      for (let ch = 0; ch < c; ch++) out.push(from ? image[(from[0] * w + from[1]) * c + ch]! : fill);
    }
  }
  return out;
}
