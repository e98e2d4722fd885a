/**
 * Confusion matrices for the Images dashboard: counted with tfjs ops, drawn
 * as a white-to-blue heat map.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, ShapeError, describeValue} from '@trellis/core';
import {isTensor} from './is-tensor';

/**
 * The `confusionMatrix` option of `tensorBoard`: data to predict on at
 * validation epochs (as the TensorFlow tutorial's custom callback does).
 */
export interface ConfusionMatrixOptions {
  /** The samples `[n, ...inputShape]` (an array, one per input, for several inputs). Not disposed. */
  readonly x: tf.Tensor | readonly tf.Tensor[];
  /**
   * Their true classes: ids `[n]` or `[n, 1]`, or one-hot `[n, k]` (the
   * class is the arg max). Not disposed.
   */
  readonly y: tf.Tensor;
  /** Class names, in class order (the text table's headers; their count sets `numClasses`). */
  readonly labels?: readonly string[];
  /**
   * The number of classes; default: `labels.length`, else the model's
   * output size (2 for a single sigmoid output).
   */
  readonly numClasses?: number;
  /** Every N validation epochs (default 1: each one). */
  readonly every?: number;
  /** Pixels per matrix cell (default 16): the image is `k * cellSize` square. */
  readonly cellSize?: number;
  /** Batch size of the prediction (default 32). */
  readonly batchSize?: number;
}

const WHO = 'tensorBoard: confusionMatrix';
const KEYS = ['x', 'y', 'labels', 'numClasses', 'every', 'cellSize', 'batchSize'];

function positiveInteger(key: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new ConfigError(`${WHO}.${key} must be an integer >= 1; got ${describeValue(v)}.`);
  return v;
}

/** The checked option, with defaults. */
export interface ConfusionMatrixSetup {
  readonly x: tf.Tensor | readonly tf.Tensor[];
  readonly y: tf.Tensor;
  readonly labels: readonly string[] | undefined;
  readonly numClasses: number | undefined;
  readonly every: number;
  readonly cellSize: number;
  readonly batchSize: number;
}

/**
 * Checks the `confusionMatrix` option.
 * @throws ConfigError for unknown keys, missing tensors or bad numbers;
 *   ShapeError when `x` and `y` hold different numbers of samples or `y`
 *   has a rank other than 1 or 2.
 */
export function checkConfusionMatrix(options: ConfusionMatrixOptions): ConfusionMatrixSetup {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`${WHO} must be {x, y, labels?, numClasses?, every?, cellSize?, batchSize?}; got ${describeValue(options)}.`);
  }
  const unknown = Object.keys(options).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0)
    throw new ConfigError(`${WHO}: unknown option ${unknown.map((k) => `'${k}'`).join(', ')}; known: ${KEYS.join(', ')}.`);
  const {x, y} = options;
  const xs = Array.isArray(x) ? (x as readonly unknown[]) : [x];
  if (xs.length === 0 || !xs.every(isTensor))
    throw new ConfigError(`${WHO}.x must be a tensor [n, ...] (or an array of them); got ${describeValue(x)}.`);
  if (!isTensor(y)) throw new ConfigError(`${WHO}.y must be a tensor of class ids [n] or one-hot rows [n, k]; got ${describeValue(y)}.`);
  if (y.rank !== 1 && y.rank !== 2) throw new ShapeError(`${WHO}.y must be class ids [n] or one-hot rows [n, k]; got ${describeValue(y)}.`);
  const n = (xs[0] as tf.Tensor).shape[0];
  if (xs.some((t) => (t as tf.Tensor).shape[0] !== y.shape[0]) || n === 0) {
    throw new ShapeError(
      `${WHO}: x and y must hold the same number (> 0) of samples; got x ${describeValue(x)} and y ${describeValue(y)}.`,
    );
  }
  const labels = options.labels;
  if (labels !== undefined && (!Array.isArray(labels) || labels.length < 2 || labels.some((l) => typeof l !== 'string'))) {
    throw new ConfigError(`${WHO}.labels must be at least two class names (strings); got ${describeValue(labels)}.`);
  }
  const numClasses = options.numClasses === undefined ? labels?.length : positiveInteger('numClasses', options.numClasses, 2);
  if (labels && numClasses !== labels.length)
    throw new ConfigError(`${WHO}: numClasses (${numClasses}) and labels (${labels.length}) disagree.`);
  return {
    x,
    y,
    labels,
    numClasses,
    every: positiveInteger('every', options.every, 1),
    cellSize: positiveInteger('cellSize', options.cellSize, 16),
    batchSize: positiveInteger('batchSize', options.batchSize, 32),
  };
}

type Predictor = {predict(x: unknown, options: {batchSize: number}): tf.Tensor | tf.Tensor[]};

/**
 * Predicts on `setup.x` with `model` and counts `[true, predicted]` pairs
 * with `tf.math.confusionMatrix`: rows are the true classes, columns the
 * predicted ones. The predicted class is the arg max of the (first) output,
 * or `p > 0.5` for a single sigmoid output. Returns the `k × k` counts,
 * read back; no tensor is left behind.
 * @throws ConfigError when the model cannot predict; DataError when a true
 *   or predicted class is outside `0..k-1`.
 */
export async function confusionCounts(model: unknown, setup: ConfusionMatrixSetup): Promise<number[][]> {
  if (model === null || typeof model !== 'object' || typeof (model as Partial<Predictor>).predict !== 'function') {
    throw new ConfigError(`${WHO} needs a model with predict() (a Trellis Sequential or functional model); got ${describeValue(model)}.`);
  }
  const raw = (model as Predictor).predict(setup.x, {batchSize: setup.batchSize});
  let k = 0;
  let truth: tf.Tensor1D;
  let predicted: tf.Tensor1D;
  try {
    [truth, predicted, k] = tf.tidy(() => {
      const out = Array.isArray(raw) ? raw[0]! : raw;
      const width = out.rank >= 2 ? out.shape[out.rank - 1]! : 1;
      const classes = setup.numClasses ?? (width > 1 ? width : 2);
      const p = tf.cast(tf.reshape(width > 1 ? tf.argMax(out, -1) : tf.greater(tf.reshape(out, [-1]), 0.5), [-1]), 'int32') as tf.Tensor1D;
      const y = setup.y;
      const t = tf.cast(tf.reshape(y.rank === 2 && y.shape[1]! > 1 ? tf.argMax(y, -1) : y, [-1]), 'int32') as tf.Tensor1D;
      return [t, p, classes] as [tf.Tensor1D, tf.Tensor1D, number];
    });
  } finally {
    tf.dispose(raw);
  }
  try {
    const [t, p] = await Promise.all([truth.data(), predicted.data()]);
    const bad = [...t, ...p].find((c) => !(c >= 0 && c < k));
    if (bad !== undefined) {
      throw new DataError(
        `${WHO}: a class ${bad} is outside 0..${k - 1}; pass numClasses (or labels) covering every class of y and of the predictions.`,
      );
    }
    const matrix = tf.math.confusionMatrix(truth, predicted, k);
    try {
      const counts = await matrix.data();
      return Array.from({length: k}, (_, i) => Array.from(counts.subarray(i * k, (i + 1) * k)));
    } finally {
      matrix.dispose();
    }
  } finally {
    tf.dispose([truth, predicted]);
  }
}

/** The darkest blue of the heat map (matplotlib's `Blues` at 1). */
const BLUE = [8, 48, 107] as const;

/**
 * A confusion matrix as a heat map image: an int32 tensor
 * `[k * cellSize, k * cellSize, 3]` (RGB, 0..255) for `SummaryWriter.image`.
 * Each cell's colour goes from white (none of its row's samples) to dark
 * blue (all of them): the counts are normalized per row (per true class),
 * as the TensorFlow tutorial plots them, so rare classes stay readable. A
 * row without samples is white. The caller disposes the tensor.
 * @throws ConfigError when `counts` is not a square matrix of numbers >= 0,
 *   or `cellSize` is not an integer >= 1.
 */
export function confusionMatrixImage(counts: readonly (readonly number[])[], options: {readonly cellSize?: number} = {}): tf.Tensor3D {
  const cell = positiveInteger('cellSize', options.cellSize, 16);
  const k = Array.isArray(counts) ? counts.length : 0;
  if (k === 0 || counts.some((row) => !Array.isArray(row) || row.length !== k || row.some((v) => typeof v !== 'number' || !(v >= 0)))) {
    throw new ConfigError(
      `confusionMatrixImage: expected a square matrix of counts >= 0 (rows: true classes); got ${describeValue(counts)}.`,
    );
  }
  const size = k * cell;
  const pixels = new Int32Array(size * size * 3);
  for (let i = 0; i < k; i++) {
    const row = counts[i]!;
    const total = row.reduce((a, b) => a + b, 0);
    for (let j = 0; j < k; j++) {
      const f = total > 0 ? row[j]! / total : 0;
      const rgb = BLUE.map((b) => Math.round(255 + (b - 255) * f));
      for (let y = i * cell; y < (i + 1) * cell; y++) {
        for (let x = j * cell; x < (j + 1) * cell; x++) {
          const o = (y * size + x) * 3;
          pixels[o] = rgb[0]!;
          pixels[o + 1] = rgb[1]!;
          pixels[o + 2] = rgb[2]!;
        }
      }
    }
  }
  return tf.tensor3d(pixels, [size, size, 3], 'int32');
}

/** The counts as a Markdown table (rows: true classes, columns: predicted). */
export function confusionMatrixMarkdown(counts: readonly (readonly number[])[], labels?: readonly string[]): string {
  const names = counts.map((_, i) => (labels?.[i] ?? String(i)).replace(/\|/g, '\\|'));
  const lines = [`| true \\ predicted | ${names.join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`];
  counts.forEach((row, i) => lines.push(`| **${names[i]}** | ${row.join(' | ')} |`));
  return lines.join('\n');
}
