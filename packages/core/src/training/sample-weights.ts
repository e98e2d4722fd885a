/**
 * Per-sample loss weights: `sampleWeight` checked, `classWeight` turned into
 * per-sample weights (as Keras' array data adapter does), and the weighted
 * reduction of per-sample losses (Keras' `sum_over_batch_size`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, DTypeError, ShapeError, describe} from '../errors';
import type {Loss} from '../spec/loss';
import {toTensor, type OwnedTensor, type TensorInput} from './inputs';

/** `{classId: weight}`: Keras' `class_weight`. Classes not listed weigh 1. */
export type ClassWeight = Readonly<Record<number, number>>;

/**
 * Converts and checks `sampleWeight` for `samples` rows: shape `[samples]` or
 * `[samples, 1]`, finite and non-negative (one asynchronous readback, so it
 * works on backends without synchronous readback). Resolves to a float32
 * `[samples]` tensor; the caller disposes it when `owned`. `input` is not
 * disposed; on a rejection nothing is left allocated.
 * @throws ShapeError on a wrong shape, DataError on NaN, infinite or negative weights.
 */
export async function prepareSampleWeight(input: TensorInput, samples: number, what = 'sampleWeight'): Promise<OwnedTensor> {
  const converted = toTensor(input, what);
  const t = converted.tensor;
  const flat = t.rank === 1 || (t.rank === 2 && t.shape[1] === 1);
  if (!flat || t.shape[0] !== samples) {
    if (converted.owned) t.dispose();
    throw new ShapeError(
      `${what} must have shape [${samples}] (one weight per sample); got [${t.shape.join(', ')}]. ` +
        'Pass one non-negative number per sample.',
    );
  }
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    if (converted.owned) t.dispose();
    throw new DTypeError(
      `${what} must hold numbers (float32, int32 or bool); got a ${t.dtype} tensor. Pass one non-negative number per sample.`,
    );
  }
  const weights = tf.tidy(() => tf.reshape(tf.cast(t, 'float32'), [samples]));
  if (converted.owned) t.dispose();
  let values: Float32Array;
  try {
    values = (await weights.data()) as Float32Array;
  } catch (error) {
    weights.dispose();
    throw error;
  }
  const at = values.findIndex((v) => !(Number.isFinite(v) && v >= 0));
  if (at !== -1) {
    weights.dispose();
    throw new DataError(`${what} holds ${values[at]} at sample ${at}; expected finite non-negative weights. Fix or drop that sample.`);
  }
  return {tensor: weights, owned: true};
}

/**
 * The number of classes `loss` targets name for a model output of shape
 * `outputShape` (without batch), or throws a ConfigError when the loss's
 * targets are not class ids (regression) or the output is not one score per class.
 */
function classCount(loss: Loss, outputShape: readonly number[]): number {
  const last = outputShape[outputShape.length - 1] ?? 1;
  if (loss.targetKind === 'regression') {
    throw new ConfigError(
      `classWeight needs targets that are class ids (sparse, one-hot or binary); the loss '${loss.name}' takes real-valued targets. ` +
        'Use sampleWeight instead.',
    );
  }
  if (loss.targetKind === 'binary') {
    if (last !== 1) {
      throw new ConfigError(
        `classWeight with the binary loss '${loss.name}' needs one output per sample ([batch, 1]); got [batch, ${outputShape.join(', ')}]. ` +
          'Use sampleWeight for multi-label targets.',
      );
    }
    return 2;
  }
  return last;
}

/**
 * Keras' `class_weight_to_sample_weights`: the class of each sample (argmax of
 * one-hot targets, the squeezed and rounded id otherwise) mapped to its weight;
 * unlisted classes weigh 1. One asynchronous readback of the class ids.
 * Resolves to a new float32 `[samples]` tensor owned by the caller; `y` is not disposed.
 * @throws ConfigError when a key is not a class id of the model, a weight is not
 *   a finite non-negative number, or the loss's targets are not class ids.
 */
export async function classWeightsToSampleWeights(
  classWeight: ClassWeight,
  y: tf.Tensor,
  loss: Loss,
  outputShape: readonly number[],
): Promise<tf.Tensor1D> {
  if (classWeight === null || typeof classWeight !== 'object' || Array.isArray(classWeight)) {
    throw new ConfigError(`classWeight must be an object {classId: weight}; got ${describe(classWeight)}.`);
  }
  const classes = classCount(loss, outputShape);
  const table = new Map<number, number>();
  for (const [key, weight] of Object.entries(classWeight)) {
    const id = Number(key);
    if (!Number.isInteger(id) || id < 0 || id >= classes) {
      throw new ConfigError(
        `classWeight names class '${key}', but the model's classes are 0..${classes - 1} ` +
          `(loss '${loss.name}', output [batch, ${outputShape.join(', ')}]). Use class ids of the model's output.`,
      );
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new ConfigError(`classWeight[${key}] must be a finite non-negative number; got ${describe(weight)}.`);
    }
    table.set(id, weight);
  }
  const samples = y.shape[0]!;
  const oneHot = y.rank > 1 && y.shape[y.rank - 1] !== 1;
  const perSample = oneHot ? y.size / y.shape[y.rank - 1]! : y.size;
  if (perSample !== samples) {
    throw new ShapeError(
      `classWeight needs one class per sample: targets [${samples}], [${samples}, 1] or one-hot [${samples}, classes]; ` +
        `got y of shape [${y.shape.join(', ')}]. Use sampleWeight instead.`,
    );
  }
  const ids = tf.tidy(() => {
    const labels = oneHot ? tf.argMax(y, -1) : y;
    return tf.round(tf.reshape(tf.cast(labels, 'float32'), [samples]));
  });
  let values: Float32Array;
  try {
    values = (await ids.data()) as Float32Array;
  } finally {
    ids.dispose();
  }
  const weights = new Float32Array(samples);
  for (let i = 0; i < samples; i++) weights[i] = table.get(values[i]!) ?? 1;
  return tf.tensor1d(weights, 'float32');
}

/**
 * Keras' `sum_over_batch_size` reduction: `sum(w · l) / batch` of the
 * per-sample losses `[batch]`, or their mean without weights. Returns a new
 * scalar; inputs are not disposed.
 */
export function reduceLoss(perSample: tf.Tensor, weights: tf.Tensor | null): tf.Scalar {
  if (!weights) return tf.mean(perSample) as tf.Scalar;
  return tf.tidy(() => tf.div(tf.sum(tf.mul(perSample, weights)), perSample.size) as tf.Scalar);
}
