/**
 * The data of a fit: converted, checked once, split.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, describe} from '../errors';
import type {Model} from '../model/model';
import type {FitOptions} from '../model/options';
import type {Loss} from '../spec/loss';
import {sliceRows} from './batches';
import {asFloat, checkFeatures, checkFinite, checkPairs, release, toTensor, type OwnedTensor} from './inputs';

/** The validated data of a fit; owns what it converted or split. */
export interface FitData {
  x: tf.Tensor;
  y: tf.Tensor;
  xVal: tf.Tensor | null;
  yVal: tf.Tensor | null;
  owned: OwnedTensor[];
}

/**
 * Converts and checks `x`, `y` and the validation data (one readback for NaN
 * and target checks), builds the model from `x` if needed and splits off
 * `validationSplit`. On a throw, everything it made is disposed.
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
    let y = own(toTensor(yIn as tf.Tensor, 'y'));
    checkFeatures(x, undefined);
    checkPairs(x, y);
    model.ensureBuilt(x);
    checkFeatures(x, model.inputShape);
    checkFinite(x, 'x');
    x = own(asFloat(x));
    const predictionShape = (n: number) => [n, ...model.outputShape!];
    loss.validateTargets?.(y, predictionShape(y.shape[0]!));

    let xVal: tf.Tensor | null = null;
    let yVal: tf.Tensor | null = null;
    if (split > 0) {
      const n = x.shape[0]!;
      const at = Math.floor(n * (1 - split));
      if (at === 0 || at === n) {
        throw new DataError(
          `validationSplit ${split} of ${n} samples leaves ${at} for training and ${n - at} for validation; both need at least one. ` +
            'Use more data or another fraction.',
        );
      }
      xVal = own({tensor: sliceRows(x, at, n - at), owned: true});
      yVal = own({tensor: sliceRows(y, at, n - at), owned: true});
      x = own({tensor: sliceRows(x, 0, at), owned: true});
      y = own({tensor: sliceRows(y, 0, at), owned: true});
    } else if (validationData !== undefined) {
      if (!Array.isArray(validationData) || validationData.length !== 2) {
        throw new ConfigError(`validationData must be [x, y]; got ${describe(validationData)}.`);
      }
      xVal = own(toTensor(validationData[0], 'validationData x'));
      yVal = own(toTensor(validationData[1], 'validationData y'));
      checkPairs(xVal, yVal, ' (validation)');
      checkFeatures(xVal, model.inputShape, 'validationData x');
      checkFinite(xVal, 'validationData x');
      xVal = own(asFloat(xVal));
      loss.validateTargets?.(yVal, predictionShape(yVal.shape[0]!));
    }
    return {x, y, xVal, yVal, owned};
  } catch (error) {
    for (const t of owned) release(t);
    throw error;
  }
}

