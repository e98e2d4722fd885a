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
import {classWeightsToSampleWeights, prepareSampleWeight} from './sample-weights';

/** Rows `[start, start + count)` of `x`, `y` and the per-sample loss weights `w` (`[samples]`, or null): a view, not a copy. */
export interface Rows {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  readonly w: tf.Tensor | null;
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

/** The parts of {@link FitOptions} that describe data. */
export type DataOptions = Pick<FitOptions, 'validationData' | 'sampleWeight' | 'classWeight'> & {readonly split: number};

/**
 * Converts and checks `x`, `y`, the sample weights and the validation data
 * (one readback for NaN and target checks), builds the model from `x` if
 * needed and splits off `validationSplit` as a row range (sample weights
 * split with it, as Keras does; class weights apply to the training rows
 * only). On a throw, everything it made is disposed.
 */
export function prepareData(model: Model, loss: Loss, xIn: unknown, yIn: unknown, options: DataOptions): FitData {
  const {split, validationData, sampleWeight, classWeight} = options;
  if (sampleWeight !== undefined && classWeight !== undefined) {
    throw new ConfigError('Pass sampleWeight or classWeight, not both (Keras does not combine them).');
  }
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
    let w: tf.Tensor | null = null;
    if (sampleWeight !== undefined) w = own(prepareSampleWeight(sampleWeight, n));
    else if (classWeight !== undefined) w = own({tensor: classWeightsToSampleWeights(classWeight, y, loss, model.outputShape!), owned: true});
    if (split > 0) {
      const at = Math.floor(n * (1 - split));
      if (at === 0 || at === n) {
        throw new DataError(
          `validationSplit ${split} of ${n} samples leaves ${at} for training and ${n - at} for validation; both need at least one. ` +
            'Use more data or another fraction.',
        );
      }
      const validationWeights = sampleWeight !== undefined ? w : null;
      return {train: {x, y, w, start: 0, count: at}, validation: {x, y, w: validationWeights, start: at, count: n - at}, owned};
    }
    let validation: Rows | null = null;
    if (validationData !== undefined) {
      if (!Array.isArray(validationData) || (validationData.length !== 2 && validationData.length !== 3)) {
        throw new ConfigError(`validationData must be [x, y] or [x, y, sampleWeight]; got ${describe(validationData)}.`);
      }
      let xVal = own(toTensor(validationData[0], 'validationData x'));
      const yVal = own(toTensor(validationData[1], 'validationData y'));
      checkPairs(xVal, yVal, ' (validation)');
      checkFeatures(xVal, model.inputShape, 'validationData x');
      checkFinite(xVal, 'validationData x');
      xVal = own(asFloat(xVal));
      loss.validateTargets?.(yVal, predictionShape(yVal.shape[0]!));
      const weightsIn = validationData[2];
      const wVal = weightsIn === undefined ? null : own(prepareSampleWeight(weightsIn, xVal.shape[0]!, 'validationData sampleWeight'));
      validation = {x: xVal, y: yVal, w: wVal, start: 0, count: xVal.shape[0]!};
    }
    return {train: {x, y, w, start: 0, count: n}, validation, owned};
  } catch (error) {
    for (const t of owned) release(t);
    throw error;
  }
}

