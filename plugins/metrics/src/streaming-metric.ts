import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, describe, type Metric, type StateTree} from '@trellis/core';
import {readValue, readValueAsync, type MetricValue} from './metric-value';

/**
 * A stateful metric, Keras' `Metric` API (`update_state`, `result`,
 * `reset_state`) over a pure {@link Metric}: it holds the state, swaps it on
 * every update and disposes the old one.
 *
 * Tensors: the state belongs to this object (dispose it with `dispose()`);
 * inputs to `update` are never disposed; `result()` and `resultValue()` read
 * back numbers and leave no tensor; `resultTensor()` returns a new tensor
 * owned by the caller.
 *
 * Values: `result()` is a number, for the scalar metrics (most of them); a
 * metric with one value per class (`f1Score()`) or a matrix
 * (`confusionMatrix`) is read with `resultValue()`, which returns a number,
 * `number[]` or `number[][]` after the result's rank.
 *
 * @example
 * const acc = new StreamingMetric(sparseCategoricalAccuracy());
 * for (const [x, y] of batches) acc.update(y, model.predict(x));
 * console.log(acc.name, acc.result());
 * acc.dispose();
 */
export class StreamingMetric<S extends StateTree = StateTree> {
  /** The pure metric this object drives. */
  readonly metric: Metric<S>;
  #state: S | undefined;

  constructor(metric: Metric<S>) {
    if (!metric || typeof metric.init !== 'function' || typeof metric.update !== 'function' || typeof metric.result !== 'function') {
      throw new ConfigError(`StreamingMetric expects a metric with init, update and result; got ${describe(metric)}.`);
    }
    this.metric = metric;
    this.#state = metric.init();
  }

  /** The metric's log key. */
  get name(): string {
    return this.metric.name;
  }

  /** Whether `dispose()` was called. */
  get isDisposed(): boolean {
    return this.#state === undefined;
  }

  /** The current state, owned by this object: read it, do not dispose it. */
  get state(): S {
    return this.#live();
  }

  /**
   * Folds a batch into the state (Keras' `update_state`). The old state is
   * disposed once the new one exists; if the metric throws, the state is
   * unchanged. Inputs are not disposed.
   */
  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    const old = this.#live();
    const next = this.metric.update(old, yTrue, yPred, sampleWeight);
    this.#state = next;
    disposeReplaced(old, next);
  }

  /**
   * The value so far as a number: one synchronous device readback.
   * @throws StateError when the metric's result is not a scalar (a vector per
   * class, a matrix): read those with `resultValue()`.
   */
  result(): number {
    const r = this.metric.result(this.#live());
    try {
      this.#scalar(r);
      return r.dataSync()[0]!;
    } finally {
      r.dispose();
    }
  }

  /**
   * The value so far as a number, read back without blocking (browsers).
   * @throws StateError (rejects) when the result is not a scalar: use `resultValueAsync()`.
   */
  async resultAsync(): Promise<number> {
    const r = this.metric.result(this.#live());
    try {
      this.#scalar(r);
      return (await r.data())[0]!;
    } finally {
      r.dispose();
    }
  }

  /**
   * The value so far, whatever its rank: a `number` for a scalar, `number[]`
   * for one value per class (rank 1), `number[][]` for a matrix (rank 2).
   * One synchronous readback; no tensor left behind.
   * @throws ShapeError for a result of rank 3 or more (use `resultTensor()`).
   */
  resultValue(): MetricValue {
    const r = this.metric.result(this.#live());
    try {
      return readValue(this.name, r);
    } finally {
      r.dispose();
    }
  }

  /** {@link resultValue}, read back without blocking (browsers). */
  async resultValueAsync(): Promise<MetricValue> {
    const r = this.metric.result(this.#live());
    try {
      return await readValueAsync(this.name, r);
    } finally {
      r.dispose();
    }
  }

  /** The value so far as a new tensor on the device (a scalar, or the metric's rank-1 or rank-2 result), owned by the caller. */
  resultTensor(): tf.Tensor {
    return this.metric.result(this.#live());
  }

  /**
   * Folds another streaming metric's state into this one (shards, workers).
   * `other` is left unchanged.
   * @throws ConfigError when the metric has no `merge`.
   */
  merge(other: StreamingMetric<S>): void {
    if (typeof this.metric.merge !== 'function') {
      throw new ConfigError(`The metric '${this.name}' cannot merge states (it has no merge()).`);
    }
    const old = this.#live();
    const next = this.metric.merge(old, other.#live());
    this.#state = next;
    disposeReplaced(old, next);
  }

  /** Starts over from `metric.init()` (Keras' `reset_state`), disposing the old state. */
  reset(): void {
    const old = this.#live();
    this.#state = this.metric.init();
    disposeReplaced(old, this.#state);
  }

  /** Disposes the state. Calling it again does nothing; any other call afterwards throws a `StateError`. */
  dispose(): void {
    if (this.#state === undefined) return;
    tf.dispose([...collect(this.#state, new Set())]);
    this.#state = undefined;
  }

  #scalar(r: tf.Tensor): void {
    if (r.rank !== 0) {
      throw new StateError(
        `The metric '${this.name}' has a result of shape [${r.shape.join(', ')}], not a single number: ` +
          `read it with resultValue() (number[] for one value per class, number[][] for a matrix) or resultTensor().`,
      );
    }
  }

  #live(): S {
    if (this.#state === undefined) {
      throw new StateError(`The streaming metric '${this.name}' was disposed. Create a new StreamingMetric.`);
    }
    return this.#state;
  }
}

function collect(tree: StateTree, out: Set<tf.Tensor>): Set<tf.Tensor> {
  if (tree instanceof tf.Tensor) out.add(tree);
  else if (Array.isArray(tree)) for (const t of tree as readonly StateTree[]) collect(t, out);
  else if (tree !== null && typeof tree === 'object') for (const t of Object.values(tree)) collect(t, out);
  return out;
}

/** Disposes the tensors of `old` that `next` does not reuse (a pure update may pass a slot through). */
function disposeReplaced(old: StateTree, next: StateTree): void {
  const keep = collect(next, new Set());
  for (const t of collect(old, new Set())) if (!keep.has(t)) t.dispose();
}
