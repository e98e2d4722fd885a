/**
 * The MNIST subset shipped with the page: four IDX files under `mnist/`,
 * fetched from the page's own origin and checked by `parseIdx` of
 * `@trellis/data`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {parseIdx, type IdxImages, type IdxLabels} from '@trellis/data';

/** One part of the data set, as bytes (the worker makes tensors when it trains). */
export type MnistPart = {
  readonly count: number;
  /** `count × 784` grey levels 0..255. */
  readonly pixels: Uint8Array;
  /** `count` class ids 0..9. */
  readonly labels: Uint8Array;
};

/** The shipped subset: `train` and `test` parts. */
export type Mnist = {readonly train: MnistPart; readonly test: MnistPart};

async function fetchBytes(base: string, file: string): Promise<Uint8Array> {
  const url = new URL(file, base);
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`Cannot fetch ${url.href}: HTTP ${response.status}. Build the page (vite build) so that it ships mnist/.`);
  return new Uint8Array(await response.arrayBuffer());
}

async function readPart(base: string, images: string, labels: string): Promise<MnistPart> {
  const [imageBytes, labelBytes] = await Promise.all([fetchBytes(base, images), fetchBytes(base, labels)]);
  const x = parseIdx(imageBytes, {kind: 'images', file: images, rows: 28, cols: 28}) as IdxImages;
  const y = parseIdx(labelBytes, {kind: 'labels', file: labels, count: x.count}) as IdxLabels;
  return {count: x.count, pixels: x.data, labels: y.data};
}

/** Fetches and checks the four files under `base` (a URL ending in `/`). */
export async function fetchMnist(base: string): Promise<Mnist> {
  const [train, test] = await Promise.all([
    readPart(base, 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    readPart(base, 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
  ]);
  return {train, test};
}

/**
 * The first `count` images of a part as tensors: `x` float32 `[count, 784]`
 * scaled to [0, 1], `y` int32 `[count]`. The caller disposes both.
 */
export function toTensors(part: MnistPart, count = part.count): {x: tf.Tensor2D; y: tf.Tensor1D} {
  const n = Math.min(count, part.count);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = part.pixels[i]! / 255;
  return {x: tf.tensor2d(x, [n, 784]), y: tf.tensor1d(Int32Array.from(part.labels.subarray(0, n)), 'int32')};
}
