import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe, type Metric, type StateTree} from '@trellis/core';
import {readValue, readValueAsync, type MetricValue} from './metric-value';

/** An input of {@link computeMetric}: a tensor (left to the caller) or nested arrays of numbers (converted, then disposed). */
export type MetricInput = tf.Tensor | number[] | number[][] | number[][][];

function checkMetric(metric: unknown): asserts metric is Metric {
  const m = metric as Partial<Metric> | null;
  if (!m || typeof m.init !== 'function' || typeof m.update !== 'function' || typeof m.result !== 'function') {
    throw new ConfigError(`computeMetric expects a metric with init, update and result (e.g. f1Score()); got ${describe(metric)}.`);
  }
}

function collect(tree: StateTree, out: tf.Tensor[]): tf.Tensor[] {
  if (tree instanceof tf.Tensor) out.push(tree);
  else if (Array.isArray(tree)) for (const t of tree as readonly StateTree[]) collect(t, out);
  else if (tree !== null && typeof tree === 'object') for (const t of Object.values(tree)) collect(t, out);
  return out;
}

/** Runs init → update → result, disposing every tensor it made except the result, which it returns. */
function resultTensor(metric: Metric, inputs: readonly (MetricInput | undefined)[]): tf.Tensor {
  const owned: tf.Tensor[] = [];
  const states: StateTree[] = [];
  try {
    const [yTrue, yPred, sampleWeight] = inputs.map((x, i) => {
      if (x === undefined || x instanceof tf.Tensor) return x;
      if (!Array.isArray(x)) {
        const what = ['yTrue', 'yPred', 'sampleWeight'][i];
        throw new ConfigError(`computeMetric: ${what} must be a tensor or an array of numbers; got ${describe(x)}.`);
      }
      const t = tf.tensor(x as number[]);
      owned.push(t);
      return t;
    });
    const state = metric.init();
    states.push(state);
    const next = metric.update(state, yTrue!, yPred!, sampleWeight);
    states.push(next);
    return metric.result(next);
  } finally {
    // A pure update may pass state tensors through: dispose each tensor once.
    tf.dispose([...new Set([...owned, ...states.flatMap((s) => collect(s, []))])]);
  }
}

/**
 * Computes a metric on one batch and returns it as numbers, like scikit-learn's
 * `precision_score(y_true, y_pred)`: `init`, one `update`, `result`, one
 * synchronous readback, then every tensor it created is disposed. Returns a
 * `number` for a scalar result, `number[]` for a rank-1 result (one value per
 * class: `f1Score()`), `number[][]` for a rank-2 result (`confusionMatrix`).
 *
 * Inputs: tensors (never disposed: they stay the caller's) or nested arrays
 * of numbers (converted to float32 tensors and disposed). Shapes are the
 * metric's: see each factory.
 *
 * @example
 * computeMetric(f1Score({average: 'macro'}), yTrueOneHot, probabilities); // 0.8123
 * computeMetric(confusionMatrix({numClasses: 3}), [0, 1, 2, 2], [0, 2, 2, 1]); // [[1,0,0],[0,0,1],[0,1,1]]
 *
 * @throws ConfigError for something that is not a metric or an input that is neither a tensor nor an array;
 * whatever the metric's `update` throws (ShapeError, DataError), with no tensor left behind;
 * ShapeError for a result of rank 3 or more.
 */
export function computeMetric(metric: Metric, yTrue: MetricInput, yPred: MetricInput, sampleWeight?: MetricInput): MetricValue {
  checkMetric(metric);
  const r = resultTensor(metric, [yTrue, yPred, sampleWeight]);
  try {
    return readValue(metric.name, r);
  } finally {
    r.dispose();
  }
}

/**
 * {@link computeMetric} with a non-blocking readback (`await tensor.data()`),
 * for browsers where a synchronous readback stalls the page. Same inputs,
 * result, ownership and errors (an error of `update` rejects the promise).
 */
export async function computeMetricAsync(
  metric: Metric,
  yTrue: MetricInput,
  yPred: MetricInput,
  sampleWeight?: MetricInput,
): Promise<MetricValue> {
  checkMetric(metric);
  const r = resultTensor(metric, [yTrue, yPred, sampleWeight]);
  try {
    const value = await readValueAsync(metric.name, r);
    await metric.settled?.();
    return value;
  } finally {
    r.dispose();
  }
}
