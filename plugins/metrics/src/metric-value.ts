import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, describe} from '@trellis/core';

/** A metric's value read back to the host: a scalar, one value per class (rank 1), or a matrix (rank 2). */
export type MetricValue = number | number[] | number[][];

function check(name: string, t: tf.Tensor): void {
  if (t.rank > 2) {
    throw new ShapeError(
      `${name}: the result has rank ${t.rank} (${describe(t)}); only scalars, vectors and matrices are read back as numbers. ` +
        `Use StreamingMetric.resultTensor() and read the tensor yourself.`,
    );
  }
}

function shape(t: tf.Tensor, data: ArrayLike<number>): MetricValue {
  if (t.rank === 0) return data[0]!;
  const flat = Array.from(data);
  if (t.rank === 1) return flat;
  const cols = t.shape[1]!;
  return Array.from({length: t.shape[0]!}, (_, i) => flat.slice(i * cols, (i + 1) * cols));
}

/** Reads `t` back synchronously as a {@link MetricValue}; does not dispose it. @internal */
export function readValue(name: string, t: tf.Tensor): MetricValue {
  check(name, t);
  return shape(t, t.dataSync() as ArrayLike<number>);
}

/** Reads `t` back without blocking as a {@link MetricValue}; does not dispose it. @internal */
export async function readValueAsync(name: string, t: tf.Tensor): Promise<MetricValue> {
  check(name, t);
  return shape(t, (await t.data()) as ArrayLike<number>);
}
