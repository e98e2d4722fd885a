import {describe, expect, it} from 'vitest';
import {greyFromRgba, toMnist, type GreyImage} from './preprocess';

/** A black `size × size` image with the rectangle [x0, x1) × [y0, y1) white. */
function rectangle(size: number, x0: number, x1: number, y0: number, y1: number): GreyImage {
  const data = new Float32Array(size * size);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * size + x] = 1;
  return {width: size, height: size, data};
}

/** Bounding box and centre of mass of a 28 × 28 image. */
function measure(pixels: Float32Array) {
  let [left, right, top, bottom, mass, sx, sy] = [28, -1, 28, -1, 0, 0, 0];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = pixels[y * 28 + x]!;
      if (v > 0) [left, right, top, bottom] = [Math.min(left, x), Math.max(right, x), Math.min(top, y), Math.max(bottom, y)];
      mass += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return {width: right - left + 1, height: bottom - top + 1, cx: sx / mass, cy: sy / mass};
}

describe('toMnist', () => {
  it('is null for an empty drawing', () => {
    expect(toMnist(rectangle(280, 0, 0, 0, 0))).toBeNull();
  });

  it('scales the longer side to 20 pixels, keeps the aspect ratio and centres the mass', () => {
    // A bar 40 wide and 200 tall in the top left corner of a 280 × 280 pad.
    const out = toMnist(rectangle(280, 10, 50, 5, 205))!;
    expect(out).toHaveLength(784);
    const box = measure(out);
    expect(box.height).toBe(20);
    expect(box.width).toBe(4);
    expect(box.cx).toBeCloseTo(14, 0);
    expect(box.cy).toBeCloseTo(14, 0);
    expect(Math.max(...out)).toBe(1);
  });

  it('averages the covered area into grey levels', () => {
    // A 100 × 100 square whose left half is white at 0.5: its 20 × 20 image is 0.5 on the left, 1 on the right.
    const image = rectangle(100, 0, 100, 0, 100);
    for (let y = 0; y < 100; y++) for (let x = 0; x < 50; x++) image.data[y * 100 + x] = 0.5;
    const out = toMnist(image)!;
    const row = Array.from(out.subarray(14 * 28, 15 * 28)).filter((v) => v > 0);
    expect(row).toEqual([...new Array(10).fill(0.5), ...new Array(10).fill(1)]);
  });

  it('reads the red channel of canvas pixels', () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 51, 51, 51, 255]);
    expect(Array.from(greyFromRgba(rgba, 2, 1).data)).toEqual([1, Math.fround(0.2)]);
  });
});
