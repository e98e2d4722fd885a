/**
 * Streamed training data for `fitDataset`: what a dataset is, and reading
 * its batches one at a time.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, ShapeError, describe} from '../errors';
import type {FitOptions} from '../model/options';
import type {Callback} from '../spec/callback';
import type {TensorInput} from './inputs';

/**
 * One batch of a dataset: `{x, y, sampleWeight?}`, `[x, y]` or
 * `[x, y, sampleWeight]`. `x` is `[batch, ...inputShape]` (float32, or
 * int32/bool, cast), `y` `[batch, ...]` as the loss expects, `sampleWeight`
 * `[batch]` or `[batch, 1]`. All are `tf.Tensor`s.
 */
export type DatasetBatch =
  | {readonly x: BatchTensors; readonly y: BatchTensors; readonly sampleWeight?: BatchTensors}
  | readonly [BatchTensors, BatchTensors]
  | readonly [BatchTensors, BatchTensors, BatchTensors];

/**
 * The `x`, `y` or `sampleWeight` of a batch: a tensor, or for a model with
 * several inputs / outputs one tensor per input / output (an array in order,
 * or a record keyed by name).
 */
export type BatchTensors = tf.Tensor | readonly tf.Tensor[] | Readonly<Record<string, tf.Tensor>>;

/** A sync or async iterable of batches. */
export type BatchIterable = Iterable<DatasetBatch> | AsyncIterable<DatasetBatch>;

/**
 * Training data for `fitDataset`: an iterable of batches (sync or async, e.g.
 * a generator), or a function returning one, called at the start of every
 * epoch (for data that can be read again). An optional `cardinality` property
 * (on the iterable or the function) gives the batches in one pass, or
 * `Infinity` for an endless stream, as tf.data's `cardinality`.
 */
export type Dataset = (BatchIterable | (() => BatchIterable)) & {readonly cardinality?: number};

/**
 * A batch after normalization: its three parts (the weights may be absent),
 * each a tensor or, for several inputs / outputs, an array or record of them.
 */
export interface RawBatch {
  readonly x: BatchTensors;
  readonly y: BatchTensors;
  readonly w: BatchTensors | null;
}

/** The batches in one pass of `dataset`: a finite count, `Infinity`, or null when unknown. */
export function cardinalityOf(dataset: Dataset): number | null {
  if (Array.isArray(dataset)) return dataset.length;
  const declared = (dataset as {cardinality?: unknown}).cardinality;
  if (declared === undefined) return null;
  if (typeof declared !== 'number' || !(declared === Infinity || (Number.isInteger(declared) && declared >= 0))) {
    throw new ConfigError(`fitDataset: the dataset's cardinality must be a non-negative integer or Infinity; got ${describe(declared)}.`);
  }
  return declared;
}

/** An open pass over a dataset, read with `next()`; `close()` ends it early. */
export class BatchReader {
  /** Batches read from this pass so far. */
  read = 0;
  readonly #next: () => Promise<IteratorResult<unknown>>;
  readonly #close: () => Promise<unknown>;

  constructor(dataset: Dataset) {
    let source: unknown = dataset;
    if (typeof dataset === 'function') {
      source = (dataset as () => BatchIterable)();
    }
    const asyncIterable = source as AsyncIterable<unknown> | null;
    const syncIterable = source as Iterable<unknown> | null;
    if (source !== null && typeof source === 'object' && typeof asyncIterable![Symbol.asyncIterator] === 'function') {
      const it = asyncIterable![Symbol.asyncIterator]();
      this.#next = () => it.next();
      this.#close = async () => it.return?.();
    } else if (source !== null && typeof source === 'object' && typeof syncIterable![Symbol.iterator] === 'function') {
      const it = syncIterable![Symbol.iterator]();
      this.#next = async () => it.next();
      this.#close = async () => it.return?.();
    } else {
      const what = typeof dataset === 'function' ? 'the dataset function returned' : 'got';
      throw new ConfigError(
        `fitDataset: the dataset must be an iterable or async iterable of batches (e.g. a generator), or a function returning one; ${what} ${describe(source)}.`,
      );
    }
  }

  /** The next raw batch, or null when the pass has run out. Errors of the dataset propagate unchanged. */
  async next(): Promise<unknown | null> {
    const result = await this.#next();
    if (result.done) return null;
    this.read++;
    return result.value;
  }

  /** Ends the pass (calls the iterator's `return`, so generators run their `finally`). */
  async close(): Promise<void> {
    await this.#close();
  }
}

/**
 * Splits a yielded batch into its tensors, checking that each is a live tensor.
 * @throws DTypeError when the batch is not `{x, y, sampleWeight?}` / `[x, y(, w)]` of tensors.
 */
export function unpackBatch(value: unknown, index: number): RawBatch {
  const where = `fitDataset batch ${index}`;
  let x: unknown;
  let y: unknown;
  let w: unknown;
  if (Array.isArray(value)) {
    if (value.length !== 2 && value.length !== 3) {
      throw new ShapeError(`${where} must be [x, y] or [x, y, sampleWeight]; got an array of ${value.length} items.`);
    }
    [x, y, w] = value;
  } else if (value !== null && typeof value === 'object' && 'x' in value && 'y' in value) {
    ({x, y, sampleWeight: w} = value as {x: unknown; y: unknown; sampleWeight?: unknown});
  } else {
    throw new DTypeError(`${where} must be {x, y, sampleWeight?} or [x, y, sampleWeight?] of tensors; got ${describe(value)}.`);
  }
  const tensor = (t: unknown, name: string) => {
    if (!(t instanceof tf.Tensor)) {
      throw new DTypeError(`${where}: ${name} must be a tf.Tensor; got ${describe(t)}. Yield tensors (tf.tensor(...)).`);
    }
    if (t.isDisposed) throw new DTypeError(`${where}: ${name} is a disposed tensor; yield live tensors.`);
    return t;
  };
  // Several inputs / outputs: an array or a record of tensors.
  const group = (t: unknown, name: string): BatchTensors => {
    if (t instanceof tf.Tensor) return tensor(t, name);
    const items = Array.isArray(t) ? t : t !== null && typeof t === 'object' ? Object.values(t) : null;
    if (items === null || items.length === 0 || !items.every((item) => item instanceof tf.Tensor)) {
      throw new DTypeError(
        `${where}: ${name} must be a tf.Tensor (or, for a model with several inputs or outputs, an array or record of tensors); ` +
          `got ${describe(t)}. Yield tensors (tf.tensor(...)).`,
      );
    }
    if (Array.isArray(t)) return t.map((item, i) => tensor(item, `${name}[${i}]`));
    return Object.fromEntries(Object.entries(t as object).map(([key, item]) => [key, tensor(item, `${name}.${key}`)]));
  };
  return {x: group(x, 'x'), y: group(y, 'y'), w: w === undefined || w === null ? null : group(w, 'sampleWeight')};
}

/** Unpacks a yielded batch; on a malformed batch, disposes the tensors it holds (unless kept) before throwing. */
export function takeBatch(value: unknown, index: number, keep: boolean): RawBatch {
  try {
    return unpackBatch(value, index);
  } catch (error) {
    if (!keep) tf.dispose(tensorsOf(value));
    throw error;
  }
}

function tensorsOf(value: unknown, depth = 0): tf.Tensor[] {
  if (value instanceof tf.Tensor) return value.isDisposed ? [] : [value];
  if (depth > 1) return [];
  const items = Array.isArray(value) ? value : value !== null && typeof value === 'object' ? Object.values(value) : [];
  return items.flatMap((t) => tensorsOf(t, depth + 1));
}

/**
 * Whether `value` is `[x, y]` / `[x, y, sampleWeight]` data (tensors, typed
 * arrays or nested numbers) rather than an array of batches.
 */
export function isTensorTuple(value: unknown): value is readonly TensorInput[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first: unknown = value[0];
  if (first instanceof tf.Tensor || ArrayBuffer.isView(first) || typeof first === 'number') return true;
  if (!Array.isArray(first)) return false;
  let leaf: unknown = first;
  while (Array.isArray(leaf) && leaf.length > 0) leaf = leaf[0];
  return typeof leaf === 'number' || ArrayBuffer.isView(leaf);
}

/** Options of {@link Model.fitDataset}. */
export type FitDatasetOptions = {
  /** The epoch to stop before (default 1): trains epochs `initialEpoch .. epochs - 1`, as Keras. */
  readonly epochs?: number;
  /** The first epoch to train (default 0). */
  readonly initialEpoch?: number;
  /**
   * Keras' `steps_per_epoch`: batches per epoch. Required unless the dataset
   * has a known finite size (an array, or a finite `cardinality`); without it
   * an epoch is one full pass. With it, an iterable dataset is read on across
   * epochs (a new pass starts once a pass of known `cardinality` is used up),
   * and a function dataset is called again at each epoch. When the data runs
   * out before an epoch has its batches, the epoch ends there and training
   * stops, with Keras' "Your input ran out of data" in `history.stopReason`.
   */
  readonly batchesPerEpoch?: number;
  /**
   * Evaluated at the end of every epoch (`val_` logs): `[x, y]` or
   * `[x, y, sampleWeight]` (not disposed; one tensor per input / output for
   * several, as in `fit`), or a dataset of batches (read anew each epoch, to
   * its end or for `validationBatches` batches; its batches are disposed as
   * the training batches are).
   */
  readonly validationData?: FitOptions['validationData'] | Dataset;
  /** Samples per validation batch for tensor `validationData` (default 32). */
  readonly validationBatchSize?: number;
  /** Keras' `validation_steps`: batches read from a validation dataset (default: to its end; required when it is infinite). */
  readonly validationBatches?: number;
  /**
   * Keras' `class_weight`, applied to each batch's targets; with batches that
   * carry `sampleWeight`, the two multiply. Several outputs: keyed by output name.
   */
  readonly classWeight?: FitOptions['classWeight'];
  readonly callbacks?: readonly Callback[];
  /** As in `fit`: 0 (default) silent, 1 a progress bar, 2 one line per epoch. */
  readonly verbose?: FitOptions['verbose'];
  /** As in `fit`: where `verbose` output goes. */
  readonly print?: FitOptions['print'];
  /** As in `fit`: when to yield to the event loop (default `'auto'`). */
  readonly yieldEvery?: FitOptions['yieldEvery'];
  /**
   * Who disposes the yielded tensors. `false` (default): the loop disposes
   * each batch's `x`, `y` and `sampleWeight` once its step is done (also when
   * it throws). `true`: the loop never disposes them (the dataset owns them,
   * e.g. when it yields the same tensors again).
   */
  readonly keepBatches?: boolean;
};
