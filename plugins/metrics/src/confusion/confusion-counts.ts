/**
 * The shared core of the confusion-count metrics: threshold grids, input
 * checks, Keras' `top_k` and `class_id` filtering, and one batch folded into
 * weighted true/false positive/negative counts per threshold (Keras'
 * `update_confusion_matrix_variables`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, ShapeError, StateError, checkNumber, describeValue} from '@trellis/core';
import {checkTensor} from '../metric-checks';

/** One of the four confusion counts: true/false positives/negatives. */
export type ConfusionKey = 'tp' | 'fp' | 'tn' | 'fn';

/**
 * A state of confusion counts: for each key, a float32 tensor of shape `[T]`
 * (one weighted count per threshold) or `[T, L]` (multi-label AUC: one column
 * per label). Owned by whoever received it from `init`, `update` or `merge`.
 */
export type ConfusionState<K extends ConfusionKey> = {readonly [key in K]: tf.Tensor};

/** Keras' `backend.epsilon()`, which AUC adds around its grid. */
const EPSILON = 1e-7;

/** Keras' `NEG_INF`: the threshold of precision and recall with `topK` and no thresholds (every kept prediction is positive). */
export const NEG_INF = -1e10;

/**
 * The thresholds of a metric. A prediction counts as positive at threshold
 * `t` when it is strictly greater than `t`. With `evenly`, Keras' bucket
 * shortcut decides instead: the prediction is clipped to [0, 1] and counts
 * at threshold index `i` when `ceil(p · (T − 1)) − 1 ≥ i` (with `withEpsilon`,
 * the lowest bucket is 0, so index 0 counts every prediction).
 */
export type ThresholdGrid = {
  readonly values: readonly number[];
  readonly evenly: boolean;
  readonly withEpsilon: boolean;
};

/** What one update counts besides the thresholds. */
export type ConfusionOptions = {
  readonly grid: ThresholdGrid;
  /** Keep only the `topK` largest predictions of each row (the others become `NEG_INF`). */
  readonly topK?: number;
  /** Count only this column of `[batch, classes]` inputs. */
  readonly classId?: number;
  /** Keep one count column per label (`[T, L]` counts) instead of flattening. */
  readonly multiLabel?: boolean;
  /** Per-column weights multiplied into the sample weights (flattened counts only). */
  readonly labelWeights?: readonly number[];
  /** Apply a sigmoid to `yPred` first. */
  readonly fromLogits?: boolean;
};

/**
 * Whether `values` is Keras' evenly spaced grid `i / (n − 1)` (at least 3
 * values, `np.allclose` with `atol` 1e-7 and `rtol` 1e-5 against the float32 grid).
 */
function isEvenlyDistributed(values: readonly number[]): boolean {
  const n = values.length;
  if (n < 3) return false;
  return values.every((v, i) => {
    const even = Math.fround(i / (n - 1));
    return Math.abs(v - even) <= EPSILON + 1e-5 * Math.abs(even);
  });
}

/**
 * A threshold option (`thresholds` of the counts, precision and recall):
 * `undefined`/`null` → `[fallback]`; a number or a non-empty array of numbers
 * in [0, 1] → that list, in the given order.
 * @throws ConfigError for anything else, naming `who` and the bad value.
 */
export function checkThresholds(who: string, value: unknown, fallback: number): number[] {
  if (value === undefined || value === null) return [fallback];
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigError(
      `${who}: thresholds must be a number in [0, 1] or a non-empty array of them; got ${describeValue(value)}. ` +
        `For example thresholds: 0.5 or thresholds: [0.3, 0.5, 0.7].`,
    );
  }
  return list.map((t, i) => checkNumber(who, Array.isArray(value) ? `thresholds[${i}]` : 'thresholds', t, {min: 0, max: 1, example: 0.5}));
}

/** The grid of a user's threshold list (Keras' `parse_init_thresholds` and evenness check). */
export function userGrid(values: readonly number[]): ThresholdGrid {
  return {values: [...values], evenly: isEvenlyDistributed(values), withEpsilon: values[0]! < 0 || values.at(-1)! > 1};
}

/** Checks `numThresholds`: an integer ≥ 2. */
export function checkNumThresholds(who: string, value: unknown): number {
  return checkNumber(who, 'numThresholds', value ?? 200, {min: 2, integer: true, example: 200});
}

/**
 * The grid of the sensitivity/specificity family (Keras'
 * `SensitivitySpecificityBase`): `[0, 1/(n−1), …, (n−2)/(n−1), 1]`, evenly spaced.
 */
export function pointGrid(numThresholds: number): ThresholdGrid {
  const inner = Array.from({length: numThresholds - 2}, (_, i) => (i + 1) / (numThresholds - 1));
  return {values: [0, ...inner, 1], evenly: true, withEpsilon: false};
}

/**
 * The grid of AUC: `[−ε, t₁, …, tₙ, 1 + ε]` with the sorted user thresholds,
 * or `n − 2` evenly spaced inner thresholds. Evenness is judged on
 * `[0, t₁, …, tₙ, 1]`, as Keras does.
 */
export function aucGrid(numThresholds: number, thresholds?: readonly number[]): ThresholdGrid {
  if (thresholds) {
    const sorted = [...thresholds].sort((a, b) => a - b);
    return {values: [-EPSILON, ...sorted, 1 + EPSILON], evenly: isEvenlyDistributed([0, ...sorted, 1]), withEpsilon: true};
  }
  const inner = Array.from({length: numThresholds - 2}, (_, i) => (i + 1) / (numThresholds - 1));
  return {values: [-EPSILON, ...inner, 1 + EPSILON], evenly: true, withEpsilon: true};
}

/** An optional non-negative (`min` 0) or positive (`min` 1) integer option; `null`/`undefined` → `undefined`. */
export function checkOptionalInt(who: string, key: string, value: unknown, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  return checkNumber(who, key, value, {min, integer: true, example: Math.max(min, 1)});
}

/** The aligned geometry of one batch (after Keras' `squeeze_or_expand_to_same_rank`). */
type Geometry = {
  /** The common shape of yTrue and yPred: `[batch]` or `[batch, k]`. */
  readonly shape: readonly number[];
  readonly batch: number;
};

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Checks one batch before anything is allocated and returns the aligned
 * shape: `yPred` `[batch]` or `[batch, k]`; `yTrue` the same shape or one
 * differing by a trailing 1; `sampleWeight` `[batch]` or `[batch, 1]`.
 */
function checkBatch(name: string, options: ConfusionOptions, yTrue: unknown, yPred: unknown, sampleWeight: unknown): Geometry {
  checkTensor(name, 'yTrue', yTrue);
  checkTensor(name, 'yPred', yPred);
  const a = yTrue.shape;
  const b = yPred.shape;
  let shape: readonly number[] | undefined;
  if (sameShape(a, b)) shape = b;
  else if (b.length === a.length + 1 && b.at(-1) === 1 && sameShape(b.slice(0, -1), a)) shape = b;
  else if (a.length === b.length + 1 && a.at(-1) === 1 && sameShape(a.slice(0, -1), b)) shape = a;
  if (shape === undefined) {
    throw new ShapeError(
      `${name}: yTrue must have the shape of yPred (or differ by a trailing 1, as [batch] vs [batch, 1]); ` +
        `got yTrue ${describeValue(yTrue)} and yPred ${describeValue(yPred)}. Pass one-hot or multi-hot targets of 0 and 1.`,
    );
  }
  if (shape.length < 1 || shape.length > 2) {
    throw new ShapeError(
      `${name}: yPred must have shape [batch] or [batch, classes]; got ${describeValue(yPred)}. ` +
        `Reshape other layouts to [batch, classes] first.`,
    );
  }
  const batch = shape[0]!;
  if (sampleWeight !== undefined) {
    checkTensor(name, 'sampleWeight', sampleWeight);
    const s = sampleWeight.shape;
    if (!((s.length === 1 && s[0] === batch) || (s.length === 2 && s[0] === batch && s[1] === 1))) {
      throw new ShapeError(`${name}: sampleWeight must have shape [${batch}] (one weight per sample); got ${describeValue(sampleWeight)}.`);
    }
  }
  const last = shape.at(-1)!;
  if (options.topK !== undefined && options.topK > last) {
    throw new ShapeError(
      `${name}: topK is ${options.topK} but yPred has only ${last} value${last === 1 ? '' : 's'} along its last axis ` +
        `(shape [${shape.join(', ')}]). Use topK ≤ ${last}, or pass [batch, classes] predictions.`,
    );
  }
  if (options.classId !== undefined) {
    if (shape.length !== 2) {
      throw new ShapeError(
        `${name}: classId needs predictions of shape [batch, classes]; got yPred ${describeValue(yPred)}. ` +
          `Drop classId for binary predictions.`,
      );
    }
    if (options.classId >= last) {
      throw new DataError(
        `${name}: classId is ${options.classId} but yPred has ${last} classes (ids 0 to ${last - 1}). ` + `Use a classId below ${last}.`,
      );
    }
  }
  if (options.multiLabel && shape.length !== 2) {
    throw new ShapeError(`${name}: multiLabel needs yPred of shape [batch, labels]; got ${describeValue(yPred)}.`);
  }
  if (options.labelWeights && !options.multiLabel && (shape.length !== 2 || last !== options.labelWeights.length)) {
    throw new ShapeError(
      `${name}: labelWeights has ${options.labelWeights.length} weights, so yPred must have shape [batch, ${options.labelWeights.length}]; ` +
        `got ${describeValue(yPred)}.`,
    );
  }
  return {shape, batch};
}

/** Keras' `_filter_top_k`: keeps the `k` largest values of each row (last axis); the others become `NEG_INF`. */
function filterTopK(x: tf.Tensor, k: number): tf.Tensor {
  const depth = x.shape.at(-1)!;
  const {indices} = tf.topk(x, k);
  const mask = tf.sum(tf.oneHot(indices, depth), indices.rank - 1);
  return tf.where(tf.greater(mask, 0), x, tf.fill(x.shape, NEG_INF));
}

/** A fresh state: float32 zeros of `shape` for each key, owned by the caller. */
export function zeroState<K extends ConfusionKey>(keys: readonly K[], shape: readonly number[]): ConfusionState<K> {
  return Object.fromEntries(keys.map((k) => [k, tf.zeros(shape as number[], 'float32')])) as ConfusionState<K>;
}

/**
 * Throws a `StateError` unless `state` holds a live float32 tensor for each
 * key, all of one shape, equal to `shape` when given (`undefined` entries
 * accept any size there).
 */
export function checkState<K extends ConfusionKey>(
  name: string,
  state: unknown,
  keys: readonly K[],
  shape?: readonly (number | undefined)[],
): asserts state is ConfusionState<K> {
  const s = state as Record<string, unknown> | null;
  const first = s !== null && typeof s === 'object' ? s[keys[0]!] : undefined;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    first instanceof tf.Tensor &&
    keys.every((k) => {
      const t = s[k];
      return t instanceof tf.Tensor && !t.isDisposed && t.dtype === 'float32' && sameShape(t.shape, first.shape);
    }) &&
    (shape === undefined || (shape.length === first.shape.length && shape.every((d, i) => d === undefined || d === first.shape[i])));
  if (!ok) {
    const want = shape ? ` of shape [${shape.map((d) => d ?? 'labels').join(', ')}]` : '';
    throw new StateError(
      `${name}: expected a state {${keys.join(', ')}} of live float32 tensors${want} from init() or update(); ` +
        `got ${describeValue(state)}. States are not reusable after being disposed: start again from init().`,
    );
  }
}

/** Adds two states key by key; new tensors owned by the caller. */
export function addStates<K extends ConfusionKey>(keys: readonly K[], a: ConfusionState<K>, b: ConfusionState<K>): ConfusionState<K> {
  return tf.tidy(() => Object.fromEntries(keys.map((k) => [k, tf.add(a[k], b[k])]))) as unknown as ConfusionState<K>;
}

/**
 * The label count of a multi-label batch, after the same checks as
 * {@link accumulate} (for lazily sized states). Allocates nothing.
 */
export function batchLabels(name: string, options: ConfusionOptions, yTrue: unknown, yPred: unknown, sampleWeight: unknown): number {
  return checkBatch(name, options, yTrue, yPred, sampleWeight).shape.at(-1)!;
}

/**
 * Folds one batch into `state`: returns a new state (`state + counts of the
 * batch` for each key) and disposes nothing. Every check runs before any
 * tensor is made, so a throw leaves no tensor behind.
 *
 * Counting follows Keras: `yTrue` is cast to bool (non-zero → positive);
 * with `topK`, each row keeps its `k` largest predictions; with `classId`,
 * only that column counts; sample weights `[batch]` broadcast over every
 * element of a row; unless `multiLabel`, every element is one prediction.
 */
export function accumulate<K extends ConfusionKey>(
  name: string,
  options: ConfusionOptions,
  keys: readonly K[],
  state: ConfusionState<K>,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  sampleWeight?: tf.Tensor,
): ConfusionState<K> {
  const {shape, batch} = checkBatch(name, options, yTrue, yPred, sampleWeight);
  return tf.tidy(() => {
    const counts = batchCounts(options, keys, shape, batch, yTrue, yPred, sampleWeight);
    return Object.fromEntries(keys.map((k) => [k, tf.add(state[k], counts[k])]));
  }) as unknown as ConfusionState<K>;
}

/** The counts of one checked batch (runs inside `tf.tidy`). */
function batchCounts<K extends ConfusionKey>(
  options: ConfusionOptions,
  keys: readonly K[],
  shape: readonly number[],
  batch: number,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  sampleWeight: tf.Tensor | undefined,
): Record<ConfusionKey, tf.Tensor> {
  const {grid} = options;
  const T = grid.values.length;
  let p = asFloat32(yPred, shape);
  let t = asFloat32(yTrue, shape);
  if (options.fromLogits) p = tf.sigmoid(p);
  if (options.topK !== undefined) p = filterTopK(p, options.topK);
  if (options.classId !== undefined) {
    p = tf.slice(p, [0, options.classId], [-1, 1]);
    t = tf.slice(t, [0, options.classId], [-1, 1]);
  }
  let w: tf.Tensor | undefined;
  if (sampleWeight !== undefined) {
    const column = tf.reshape(tf.cast(sampleWeight, 'float32'), p.rank === 2 ? [batch, 1] : [batch]);
    w = tf.broadcastTo(column, p.shape);
  }
  if (options.labelWeights && !options.multiLabel) {
    const lw = tf.broadcastTo(tf.tensor2d([options.labelWeights as number[]], [1, options.labelWeights.length], 'float32'), p.shape);
    w = w ? tf.mul(w, lw) : lw;
  }
  const label = tf.cast(tf.notEqual(t, 0), 'float32');
  if (!options.multiLabel) {
    const flat = (x: tf.Tensor) => (x.rank === 1 ? x : tf.reshape(x, [-1]));
    p = flat(p);
    t = flat(label);
    if (w) w = flat(w);
  } else {
    t = label;
  }
  const trueLabels = w ? tf.mul(t, w) : t;
  // Made on first use, once (precision and recall at one threshold need no negatives).
  let negatives: tf.Tensor | undefined;
  const falseLabels = () => (negatives ??= w ? tf.mul(tf.sub(1, t), w) : tf.sub(1, t));
  const out: Partial<Record<ConfusionKey, tf.Tensor>> = {};
  const need = (k: ConfusionKey) => (keys as readonly ConfusionKey[]).includes(k);
  if (grid.evenly) {
    // Keras' shortcut for evenly spaced thresholds: sum the weights per bucket
    // (bucket −1, below every threshold, is slot 0 and dropped), then the count
    // at threshold i is the sum of buckets ≥ i: a reversed cumulative sum.
    let bucket = tf.sub(tf.ceil(tf.mul(tf.clipByValue(p, 0, 1), T - 1)), 1);
    if (grid.withEpsilon) bucket = tf.relu(bucket);
    const slot = tf.cast(tf.add(bucket, 1), 'int32');
    const bucketSums = hasSegmentSum() ? segmentSums(slot, T + 1) : oneHotSums(slot, T + 1);
    const countAbove = (labels: tf.Tensor) => {
      const buckets = bucketSums(labels);
      const kept = tf.slice(buckets, [...buckets.shape.map(() => 0).slice(0, -1), 1], [...buckets.shape.slice(0, -1), T]);
      const counts = tf.cumsum(kept, kept.rank - 1, false, true);
      return counts.rank === 1 ? counts : tf.transpose(counts);
    };
    out.tp = countAbove(trueLabels);
    out.fp = countAbove(falseLabels());
    if (need('fn') || need('tn')) {
      // The negatives are the totals minus the positives, as Keras computes them.
      out.fn = tf.sub(tf.sum(trueLabels, 0), out.tp);
      out.tn = tf.sub(tf.sum(falseLabels(), 0), out.fp);
    }
    return out as Record<ConfusionKey, tf.Tensor>;
  }
  if (T === 1 && p.rank === 1) {
    // One threshold (precision and recall by default): no threshold axis, the fewest kernels.
    const pos = tf.cast(tf.greater(p, grid.values[0]!), 'float32');
    const count = (mask: tf.Tensor, labels: tf.Tensor) => tf.reshape(tf.sum(tf.mul(mask, labels)), [1]);
    const neg = need('fn') || need('tn') ? tf.sub(1, pos) : null;
    if (need('tp')) out.tp = count(pos, trueLabels);
    if (need('fp')) out.fp = count(pos, falseLabels());
    if (need('fn')) out.fn = count(neg!, trueLabels);
    if (need('tn')) out.tn = count(neg!, falseLabels());
    return out as Record<ConfusionKey, tf.Tensor>;
  }
  // The threshold axis comes first: [T, N] or [T, batch, labels].
  const thresholdShape = [T, ...p.shape.map(() => 1)];
  const positive = tf.greater(tf.expandDims(p, 0), tf.reshape(tf.tensor1d(grid.values as number[], 'float32'), thresholdShape));
  const pos = tf.cast(positive, 'float32');
  out.tp = tf.sum(tf.mul(pos, tf.expandDims(trueLabels, 0)), 1);
  out.fp = tf.sum(tf.mul(pos, tf.expandDims(falseLabels(), 0)), 1);
  if (need('fn') || need('tn')) {
    const neg = tf.sub(1, pos);
    out.fn = tf.sum(tf.mul(neg, tf.expandDims(trueLabels, 0)), 1);
    out.tn = tf.sum(tf.mul(neg, tf.expandDims(falseLabels(), 0)), 1);
  }
  return out as Record<ConfusionKey, tf.Tensor>;
}

/** `x` as float32 of `shape`, with no kernel for what is already so (inside `tf.tidy`). */
function asFloat32(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const cast = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  return sameShape(cast.shape, shape) ? cast : tf.reshape(cast, shape as number[]);
}

/** Whether the active backend has `UnsortedSegmentSum` (cpu does; Trellis' wasm plugin adds it to wasm). */
function hasSegmentSum(): boolean {
  return tf.getKernel('UnsortedSegmentSum', tf.getBackend()) !== undefined;
}

/**
 * Per-bucket sums of `labels` by `slot` (int32 bucket ids in `[0, slots)`,
 * `[N]` or `[batch, labels]`): `[slots]`, or `[labels, slots]` for a rank-2
 * `slot`. A segment sum (as Keras' `segment_sum`): O(N) work. Runs inside `tf.tidy`.
 */
function segmentSums(slot: tf.Tensor, slots: number): (labels: tf.Tensor) => tf.Tensor {
  if (slot.rank === 1) return (labels) => tf.unsortedSegmentSum(labels, slot as tf.Tensor1D, slots);
  // Several labels: one run of `slots` segments per label (label-major), so a column lands in its own run.
  const labelCount = slot.shape[1]!;
  const offsets = tf.mul(tf.range(0, labelCount, 1, 'int32'), tf.scalar(slots, 'int32'));
  const ids = tf.reshape(tf.add(slot, offsets), [-1]) as tf.Tensor1D;
  return (labels) => tf.reshape(tf.unsortedSegmentSum(tf.reshape(labels, [-1]), ids, slots * labelCount), [labelCount, slots]);
}

/** The same sums through a one-hot product, for backends without `UnsortedSegmentSum`: O(N × slots). */
function oneHotSums(slot: tf.Tensor, slots: number): (labels: tf.Tensor) => tf.Tensor {
  const hot = tf.cast(tf.oneHot(slot, slots), 'float32');
  return (labels) => tf.sum(tf.mul(hot, tf.expandDims(labels, -1)), 0);
}

/** A rank-1 result as Keras returns it: the scalar for a single threshold, else the vector. A new tensor; runs inside `tf.tidy`. */
export function perThreshold(values: tf.Tensor): tf.Tensor {
  return values.shape[0] === 1 ? tf.reshape(values, []) : tf.clone(values);
}
