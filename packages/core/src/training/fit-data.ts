/**
 * The data of a fit: converted, checked once, split.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, describe} from '../errors';
import type {Model} from '../model/model';
import type {FitOptions} from '../model/options';
import type {Loss} from '../spec/loss';
import {asFloat, checkFeatures, checkFinite, checkPairs, release, toTensor, type OwnedTensor} from './inputs';

/** Rows `[start, start + count)` of `x` and `y`: a view, not a copy. */
export interface Rows {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  readonly start: number;
  readonly count: number;
}

/**
 * The validated data of a fit. `validationSplit` is a view of the end of the
 * training tensors (no copy of the data set); `owned` lists what was
 * converted and must be disposed.
 */
export interface FitData {
  readonly train: Rows;
  readonly validation: Rows | null;
  readonly owned: OwnedTensor[];
}

/**
 * Converts and checks `x`, `y` and the validation data (one readback for NaN
 * and target checks), builds the model from `x` if needed and splits off
 * `validationSplit` as a row range. On a throw, everything it made is disposed.
 */
export function prepareData(
  model: Model,
  loss: Loss,
  xIn: unknown,
  yIn: unknown,
  split: number,
  validationData: FitOptions['validationData'],
): FitData {
  const owned: OwnedTensor[] = [];
  const own = (t: OwnedTensor) => (owned.push(t), t.tensor);
  try {
    let x = own(toTensor(xIn as tf.Tensor, 'x'));
    const y = own(toTensor(yIn as tf.Tensor, 'y'));
    checkFeatures(x, undefined);
    checkPairs(x, y);
    model.ensureBuilt(x);
    checkFeatures(x, model.inputShape);
    checkFinite(x, 'x');
    x = own(asFloat(x));
    const predictionShape = (n: number) => [n, ...model.outputShape!];
    loss.validateTargets?.(y, predictionShape(y.shape[0]!));

    const n = x.shape[0]!;
    if (split > 0) {
      const at = Math.floor(n * (1 - split));
      if (at === 0 || at === n) {
        throw new DataError(
          `validationSplit ${split} of ${n} samples leaves ${at} for training and ${n - at} for validation; both need at least one. ` +
            'Use more data or another fraction.',
        );
      }
      return {train: {x, y, start: 0, count: at}, validation: {x, y, start: at, count: n - at}, owned};
    }
    let validation: Rows | null = null;
    if (validationData !== undefined) {
      if (!Array.isArray(validationData) || validationData.length !== 2) {
        throw new ConfigError(`validationData must be [x, y]; got ${describe(validationData)}.`);
      }
      let xVal = own(toTensor(validationData[0], 'validationData x'));
      const yVal = own(toTensor(validationData[1], 'validationData y'));
      checkPairs(xVal, yVal, ' (validation)');
      checkFeatures(xVal, model.inputShape, 'validationData x');
      checkFinite(xVal, 'validationData x');
      xVal = own(asFloat(xVal));
      loss.validateTargets?.(yVal, predictionShape(yVal.shape[0]!));
      validation = {x: xVal, y: yVal, start: 0, count: xVal.shape[0]!};
    }
    return {train: {x, y, start: 0, count: n}, validation, owned};
  } catch (error) {
    for (const t of owned) release(t);
    throw error;
  }
}

