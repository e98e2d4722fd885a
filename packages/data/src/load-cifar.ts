/**
 * `loadCifar10()` and `loadCifar100()`: the CIFAR binary batches from a local
 * folder or a URL, as Keras' `cifar10.load_data()` / `cifar100.load_data()`
 * with the usual preprocessing (pixels in [0, 1], channels last).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, checkOptions, describe, optionKeys} from '@trellis/core';
import {localFiles} from '#local-files';
import {fetchReader, type FetchLike} from './fetch-files';
import {checkSplitOptions, type ImageSplit} from './image-dataset';
import {tensorsOfParts} from './part-tensors';
import type {XY} from './train-validation-split';

/** Side length of a CIFAR image, and the bytes of one (3 channels of 32×32, channel-major). */
const SIDE = 32;
const CHANNELS = 3;
const IMAGE_BYTES = SIDE * SIDE * CHANNELS;

/** Options shared by {@link loadCifar10} and {@link loadCifar100}. Give exactly one of `path` and `url`. */
export type CifarOptions<S extends ImageSplit = ImageSplit> = {
  /**
   * A local folder holding the binary files (Node only: in a browser it is a
   * `ConfigError`; the CIFAR-10 archive's `cifar-10-batches-bin`, the CIFAR-100
   * archive's `cifar-100-binary`).
   */
  readonly path?: string;
  /** A base URL the files are fetched from (`<url>/<file name>`), with `fetch`. Nothing is downloaded without it. */
  readonly url?: string;
  /** Which parts to read: `train`, `test` or `both` (the default). */
  readonly split?: S;
  /** Keep only the first N samples of each part read (of the training part before the validation split). */
  readonly samples?: number;
  /** Fraction in [0, 1) of the training samples held out as validation data, from the END (Keras' `validation_split`). */
  readonly validationSplit?: number;
  /** The `fetch` to use with `url` (default: the global one), e.g. one that adds credentials. */
  readonly fetch?: FetchLike;
};

/** Options of {@link loadCifar10}. */
export type LoadCifar10Options<S extends ImageSplit = ImageSplit> = CifarOptions<S>;

/** Options of {@link loadCifar100}. */
export type LoadCifar100Options<S extends ImageSplit = ImageSplit> = CifarOptions<S> & {
  /** Which labels `y` holds: `'fine'` (100 classes, the default) or `'coarse'` (20 superclasses), as Keras' `label_mode`. */
  readonly labelMode?: 'fine' | 'coarse';
};

/** Images and labels of one CIFAR part: `x` float32 `[N, 32, 32, 3]` in [0, 1], `y` int32 class ids `[N]`. */
export type CifarXY = XY<tf.Tensor4D, tf.Tensor1D>;

/** What the CIFAR loaders resolve to for a given split (`train` and `validation` unless `test`, `test` unless `train`). */
export type CifarData<S extends ImageSplit = 'both'> = (S extends 'test'
  ? unknown
  : {readonly train: CifarXY; readonly validation?: CifarXY}) &
  (S extends 'train' ? unknown : {readonly test: CifarXY});

/** How one CIFAR variant lays out its files and records. */
type Layout = {
  readonly who: string;
  readonly files: {readonly train: readonly string[]; readonly test: readonly string[]};
  /** Label bytes before each image, and which of them is `y` (index), with its class count. */
  readonly labelBytes: number;
  readonly labels: readonly {readonly name: string; readonly classes: number}[];
  readonly use: number;
};

const CIFAR10_FILES = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};
const CIFAR100_FILES = {train: ['train.bin'], test: ['test.bin']};

const KEYS = optionKeys<LoadCifar100Options>({
  path: true,
  url: true,
  split: true,
  samples: true,
  validationSplit: true,
  fetch: true,
  labelMode: true,
});

/**
 * Loads CIFAR-10 (60 000 32×32 colour images in 10 classes) from its binary
 * batches, as Keras' `cifar10.load_data()`: `data_batch_1.bin` … `data_batch_5.bin`
 * (training, in that order) and `test_batch.bin`, each a run of records of 1
 * label byte and 3072 pixel bytes (the red, green and blue 32×32 planes).
 * From a local folder (`path`, Node only: the files are read with `node:fs`,
 * imported when this runs) or a URL (`url`, with `fetch`); nothing is downloaded
 * unless you say where from.
 *
 * Every file is checked before any tensor is made: its length must be a
 * positive multiple of the record size and every label below 10.
 *
 * Shapes and dtypes: `x` float32 `[N, 32, 32, 3]` (channels last) scaled to
 * [0, 1], `y` int32 `[N]`. Validation is the last `validationSplit` fraction
 * of the training part.
 *
 * @returns new tensors owned by the caller: dispose them with `tf.dispose(data)`.
 * @throws ConfigError for invalid options (neither or both of `path` and `url`, …).
 * @throws DataError for a missing, unreadable, truncated or corrupt file (naming it and saying what to do).
 *
 * @example
 * const {train, test} = await loadCifar10({path: 'data/cifar-10-batches-bin'});
 * // train.x: [50000, 32, 32, 3] float32, train.y: [50000] int32
 * tf.dispose([train, test]);
 */
export async function loadCifar10<S extends ImageSplit = 'both'>(options: LoadCifar10Options<S>): Promise<CifarData<S>> {
  if (options !== null && typeof options === 'object' && 'labelMode' in options) {
    throw new ConfigError('loadCifar10: labelMode is an option of loadCifar100 (CIFAR-10 has one label per image); remove it.');
  }
  const layout: Layout = {who: 'loadCifar10', files: CIFAR10_FILES, labelBytes: 1, labels: [{name: 'label', classes: 10}], use: 0};
  return (await loadCifar(layout, options)) as CifarData<S>;
}

/**
 * Loads CIFAR-100 (60 000 32×32 colour images in 100 classes, grouped in 20
 * superclasses) from its binary files, as Keras' `cifar100.load_data(label_mode)`:
 * `train.bin` and `test.bin`, each a run of records of a coarse label byte, a
 * fine label byte and 3072 pixel bytes (red, green, blue planes). `labelMode`
 * picks the labels `y` holds: `'fine'` (default, 0..99) or `'coarse'` (0..19).
 * Sources, checks, shapes, ownership and errors as {@link loadCifar10}.
 *
 * @example
 * const {train, test} = await loadCifar100({url: 'https://example.org/cifar-100-binary', labelMode: 'coarse'});
 */
export async function loadCifar100<S extends ImageSplit = 'both'>(options: LoadCifar100Options<S>): Promise<CifarData<S>> {
  const mode = (options as {labelMode?: unknown} | null)?.labelMode ?? 'fine';
  if (mode !== 'fine' && mode !== 'coarse') {
    throw new ConfigError(`loadCifar100: labelMode must be 'fine' (100 classes) or 'coarse' (20 superclasses); got ${describe(mode)}.`);
  }
  const labels = [
    {name: 'coarse label', classes: 20},
    {name: 'fine label', classes: 100},
  ];
  const layout: Layout = {who: 'loadCifar100', files: CIFAR100_FILES, labelBytes: 2, labels, use: mode === 'coarse' ? 0 : 1};
  return (await loadCifar(layout, options)) as CifarData<S>;
}

type Checked = Required<Pick<CifarOptions, 'split' | 'validationSplit'>> & Pick<CifarOptions, 'path' | 'url' | 'samples' | 'fetch'>;

function checkCifarOptions(who: string, options: CifarOptions): Checked {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`${who} needs {path} (a local folder) or {url} (a base URL) of the binary files; got ${describe(options)}.`);
  }
  checkOptions(who, options, KEYS);
  const {path, url, split = 'both', samples, validationSplit = 0, fetch} = options;
  if ((path === undefined) === (url === undefined)) {
    throw new ConfigError(
      `${who} needs exactly one of path (a local folder holding the binary files) and url (a base URL to fetch them from); ` +
        `got ${path === undefined ? 'neither' : 'both'}. Nothing is downloaded implicitly: download the binary version of the data set and pass its folder.`,
    );
  }
  for (const [name, value] of [
    ['path', path],
    ['url', url],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new ConfigError(`${who}: ${name} must be a non-empty string; got ${describe(value)}.`);
    }
  }
  checkSplitOptions(who, {split, samples, validationSplit}, 'the fraction held out from the end');
  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new ConfigError(`${who}: fetch must be a function (url) => Promise<Response>; got ${describe(fetch)}.`);
  }
  return {path, url, split, samples, validationSplit, fetch};
}

/** One part's checked records: `count` records of `recordBytes` each, concatenated in file order. */
type Part = {readonly part: 'train' | 'test'; readonly chunks: readonly Uint8Array[]; readonly count: number};

async function loadCifar(layout: Layout, options: CifarOptions): Promise<Record<string, CifarXY>> {
  const opts = checkCifarOptions(layout.who, options);
  const read = await reader(layout.who, opts);
  const recordBytes = layout.labelBytes + IMAGE_BYTES;
  const parts = opts.split === 'both' ? (['train', 'test'] as const) : ([opts.split] as const);
  const loaded: Part[] = await Promise.all(
    parts.map(async (part) => {
      const chunks = await Promise.all(layout.files[part].map(async (name) => check(layout, name, await read(name), recordBytes)));
      return {part, chunks, count: chunks.reduce((n, c) => n + c.length / recordBytes, 0)};
    }),
  );
  // Tensors are made only after every file passed its checks, so a throw above leaks nothing.
  return tensorsOfParts(loaded, opts, (part, begin, end, made) => toTensors(layout, part, begin, end, made));
}

/** Reads a file by name from the folder (Node's `fs`, imported now) or the URL (`fetch`). */
async function reader(who: string, opts: Checked): Promise<(name: string) => Promise<Uint8Array>> {
  if (opts.path !== undefined) {
    const dir = opts.path;
    const {fs, path} = await localFiles(
      who,
      `Pass url, a base URL the binary files are served from (e.g. ${who}({url: 'cifar/'}) for files shipped with the page).`,
    );
    return async (name) => {
      const file = path.join(dir, name);
      try {
        return new Uint8Array(await fs.readFile(file));
      } catch (cause) {
        const code = (cause as {code?: string}).code;
        throw new DataError(
          `${who}: cannot read ${file} (${code ?? String(cause)}). Check that path is the folder holding the binary files ` +
            `(for CIFAR-10 the extracted cifar-10-batches-bin, for CIFAR-100 cifar-100-binary).`,
          {cause},
        );
      }
    };
  }
  return fetchReader({who, url: opts.url!, fetch: opts.fetch, expected: 'the binary file', instead: 'path to a local folder'});
}

/** Checks a file's length and labels; returns its bytes. */
function check(layout: Layout, name: string, bytes: Uint8Array, recordBytes: number): Uint8Array {
  if (bytes.length === 0 || bytes.length % recordBytes !== 0) {
    const records = Math.floor(bytes.length / recordBytes);
    throw new DataError(
      `${layout.who}: ${name} is ${bytes.length} bytes, not a whole number of ${recordBytes}-byte records ` +
        `(${layout.labelBytes === 1 ? '1 label byte' : `${layout.labelBytes} label bytes`} + ${IMAGE_BYTES} pixel bytes); ` +
        `${bytes.length === 0 ? 'it is empty' : `${records} whole records and ${bytes.length - records * recordBytes} bytes more`}. ` +
        'The file is truncated or not a CIFAR binary batch: download it again (the binary version, not the Python or MATLAB one).',
    );
  }
  for (let r = 0; r < bytes.length / recordBytes; r++) {
    for (let k = 0; k < layout.labelBytes; k++) {
      const label = bytes[r * recordBytes + k]!;
      const {name: what, classes} = layout.labels[k]!;
      if (label >= classes) {
        throw new DataError(
          `${layout.who}: ${name} record ${r} has ${what} ${label}; expected 0..${classes - 1}. The file is corrupt or not a CIFAR binary batch: download it again.`,
        );
      }
    }
  }
  return bytes;
}

/** Records `begin..end` of a part as NHWC float32 pixels in [0, 1] and int32 labels. */
function toTensors(layout: Layout, part: Part, begin: number, end: number, made: tf.Tensor[]): CifarXY {
  const n = end - begin;
  const recordBytes = layout.labelBytes + IMAGE_BYTES;
  const pixels = new Float32Array(n * IMAGE_BYTES);
  const labels = new Int32Array(n);
  const plane = SIDE * SIDE;
  let chunk = 0;
  let first = 0; // index of the chunk's first record in the part
  for (let i = 0; i < n; i++) {
    const index = begin + i;
    while (index >= first + part.chunks[chunk]!.length / recordBytes) first += part.chunks[chunk++]!.length / recordBytes;
    const bytes = part.chunks[chunk]!;
    const at = (index - first) * recordBytes;
    labels[i] = bytes[at + layout.use]!;
    const from = at + layout.labelBytes;
    const to = i * IMAGE_BYTES;
    // Channel-major (CHW) in the file, channels last (HWC) in the tensor.
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < CHANNELS; c++) pixels[to + p * CHANNELS + c] = bytes[from + c * plane + p]! / 255;
    }
  }
  const x = tf.tensor4d(pixels, [n, SIDE, SIDE, CHANNELS], 'float32');
  made.push(x);
  const y = tf.tensor1d(labels, 'int32');
  made.push(y);
  return {x, y};
}
