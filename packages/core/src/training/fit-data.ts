/**
 * The data of a fit: converted, checked once, split. Models with several
 * inputs or outputs take one tensor per input / output.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, describe} from '../errors';
import type {Model} from '../model/model';
import type {FitOptions} from '../model/options';
import type {Shape} from '../spec/layer';
import type {Loss} from '../spec/loss';
import {asFloat, checkFeatures, checkFinite, checkPairs, release, toTensor, type OwnedTensor} from './inputs';
import {classWeightsToSampleWeights, prepareSampleWeight, type ClassWeight} from './sample-weights';
import {listOf, type Tensors} from './tensors';

/**
 * Rows `[start, start + count)` of `x`, `y` and the per-sample loss weights
 * `w` (`[samples]` per output, or null): a view, not a copy. `x`, `y` and `w`
 * are tensors for a model with one input / output, arrays with several.
 */
export interface Rows {
  readonly x: Tensors;
  readonly y: Tensors;
  readonly w: Tensors | null;
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
 * only). `losses` has one loss per model output. On a throw, everything it
 * made is disposed.
 */
export function prepareData(model: Model, losses: readonly Loss[], xIn: unknown, yIn: unknown, options: DataOptions): FitData {
  const {split, validationData, sampleWeight, classWeight} = options;
  const owned: OwnedTensor[] = [];
  const own = (t: OwnedTensor) => (owned.push(t), t.tensor);
  try {
    const x = modelInputs(model, xIn, 'x', own);
    const y = modelTargets(model, losses, yIn, x, '', own);
    const n = rowsOf(x);
    let w = sampleWeight === undefined ? null : perOutputWeights(model, sampleWeight, n, 'sampleWeight', own);
    if (classWeight !== undefined) {
      const fromClasses = classWeights(model, losses, classWeight, y, own);
      w = w === null ? fromClasses : combine(w, fromClasses, own);
    }
    if (split > 0) {
      const at = Math.floor(n * (1 - split));
      if (at === 0 || at === n) {
        throw new DataError(
          `validationSplit ${split} of ${n} samples leaves ${at} for training and ${n - at} for validation; both need at least one. ` +
            'Use more data or another fraction.',
        );
      }
      const validationWeights = sampleWeight !== undefined ? perOutputWeights(model, sampleWeight, n, 'sampleWeight', own) : null;
      return {train: {x, y, w, start: 0, count: at}, validation: {x, y, w: validationWeights, start: at, count: n - at}, owned};
    }
    let validation: Rows | null = null;
    if (validationData !== undefined) {
      if (!Array.isArray(validationData) || (validationData.length !== 2 && validationData.length !== 3)) {
        throw new ConfigError(`validationData must be [x, y] or [x, y, sampleWeight]; got ${describe(validationData)}.`);
      }
      const xVal = modelInputs(model, validationData[0], 'validationData x', own);
      const yVal = modelTargets(model, losses, validationData[1], xVal, ' (validation)', own);
      const weightsIn = validationData[2];
      const wVal = weightsIn === undefined ? null : perOutputWeights(model, weightsIn, rowsOf(xVal), 'validationData sampleWeight', own);
      validation = {x: xVal, y: yVal, w: wVal, start: 0, count: rowsOf(xVal)};
    }
    return {train: {x, y, w, start: 0, count: n}, validation, owned};
  } catch (error) {
    for (const t of owned) release(t);
    throw error;
  }
}

type Own = (t: OwnedTensor) => tf.Tensor;

/**
 * One streamed batch (`fitDataset`) of a model with several inputs or
 * outputs, converted and checked as `fit` checks its data except for NaN in
 * the features (no readback): one tensor per input and output, per-output
 * sample weights, and `classWeight` (keyed by output name) multiplied in.
 * The caller releases `owned` (also when this throws: nothing is left).
 */
export function prepareBatch(
  model: Model,
  losses: readonly Loss[],
  batch: {readonly x: unknown; readonly y: unknown; readonly w: unknown},
  where: string,
  classWeight: unknown,
): {rows: Rows; owned: OwnedTensor[]} {
  const owned: OwnedTensor[] = [];
  const own = (t: OwnedTensor) => (owned.push(t), t.tensor);
  try {
    const x = modelInputs(model, batch.x, `${where} x`, own, false);
    const y = modelTargets(model, losses, batch.y, x, ` (${where})`, own);
    const n = rowsOf(x);
    let w = batch.w === null || batch.w === undefined ? null : perOutputWeights(model, batch.w, n, `${where} sampleWeight`, own);
    if (classWeight !== undefined) {
      const fromClasses = classWeights(model, losses, classWeight, y, own);
      w = w === null ? fromClasses : combine(w, fromClasses, own);
    }
    return {rows: {x, y, w, start: 0, count: n}, owned};
  } catch (error) {
    for (const t of owned) release(t);
    throw error;
  }
}

function rowsOf(t: Tensors): number {
  return listOf(t)[0]!.shape[0]!;
}

/** Whether the model has several inputs or several outputs (then data comes as one tensor per input / output). */
export function isMultiIO(model: Model): boolean {
  return model.inputNames.length > 1 || model.multiOutput;
}

/** Whether the model takes one tensor (else one per input). */
function singleInput(model: Model): boolean {
  return model.inputNames.length === 1;
}

/**
 * The model's inputs as float32 tensors: `xIn` is a tensor (or array data)
 * for a one-input model; an array with one entry per input (or a record
 * keyed by input name) otherwise. Checks dtypes, shapes, equal sample counts
 * and finiteness; builds a model that is not built yet from `x`.
 */
export function modelInputs(model: Model, xIn: unknown, what: string, own: Own, finite = true): Tensors {
  if (singleInput(model)) {
    let x = own(toTensor(xIn as tf.Tensor, what));
    checkFeatures(x, undefined, what);
    model.ensureBuilt(x);
    checkFeatures(x, model.inputShapes![0], what);
    if (finite) checkFinite(x, what);
    return own(asFloat(x));
  }
  const names = model.inputNames;
  const parts = entriesFor(names, xIn, what, 'input');
  const shapes = model.inputShapes!;
  const xs = parts.map((part, i) => {
    const label = `${what} '${names[i]}'`;
    let x = own(toTensor(part as tf.Tensor, label));
    checkFeatures(x, shapes[i], label);
    if (finite) checkFinite(x, label);
    x = own(asFloat(x));
    return x;
  });
  const n = xs[0]!.shape[0]!;
  xs.forEach((x, i) => {
    if (x.shape[0] !== n) {
      throw new DataError(`${what} '${names[i]}' has ${x.shape[0]} samples but '${names[0]}' has ${n}; every input needs the same number of samples.`);
    }
  });
  return xs;
}

/**
 * The targets: one tensor per output, each checked against `x`'s sample
 * count (`suffix` names the data in messages, e.g. ' (validation)') and its loss.
 */
function modelTargets(model: Model, losses: readonly Loss[], yIn: unknown, x: Tensors, suffix: string, own: Own): Tensors {
  const shapes = model.outputShapes!;
  const first = listOf(x)[0]!;
  const samples = first.shape[0]!;
  if (!model.multiOutput) {
    const y = own(toTensor(yIn as tf.Tensor, `y${suffix}`));
    checkPairs(first, y, suffix);
    losses[0]!.validateTargets?.(y, [samples, ...shapes[0]!]);
    return y;
  }
  const names = model.outputNames;
  return entriesFor(names, yIn, `y${suffix}`, 'output').map((part, i) => {
    const label = ` '${names[i]}'${suffix}`;
    const y = own(toTensor(part as tf.Tensor, `y${label}`));
    checkPairs(first, y, label);
    losses[i]!.validateTargets?.(y, [samples, ...shapes[i]!]);
    return y;
  });
}

/** One entry per name from an array (in order) or a record keyed by name. */
function entriesFor(names: readonly string[], value: unknown, what: string, kind: 'input' | 'output'): unknown[] {
  const n = names.length;
  if (Array.isArray(value) && !(value.length > 0 && typeof value[0] === 'number')) {
    if (value.length !== n) {
      throw new ConfigError(`The model has ${n} ${kind}s (${names.join(', ')}); ${what} has ${value.length} entries. Pass one per ${kind}, in order.`);
    }
    return value;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof tf.Tensor) && !ArrayBuffer.isView(value)) {
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).filter((k) => !names.includes(k));
    const missing = names.filter((k) => !(k in record));
    if (unknown.length > 0 || missing.length > 0) {
      throw new ConfigError(
        `${what} must have one entry per ${kind} (${names.join(', ')}); ` +
          `${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `unknown ${unknown.join(', ')}` : ''}.`,
      );
    }
    return names.map((k) => record[k]);
  }
  throw new ConfigError(`The model has ${n} ${kind}s (${names.join(', ')}); ${what} must be an array with one tensor per ${kind} or a record keyed by ${kind} name; got ${describe(value)}.`);
}

/**
 * Sample weights for every output: a single `[samples]` array applies to
 * all outputs (as Keras replicates it), or one per output (array or record
 * keyed by output name).
 */
function perOutputWeights(model: Model, value: unknown, samples: number, what: string, own: Own): Tensors {
  if (!model.multiOutput) return own(prepareSampleWeight(value as tf.Tensor, samples, what));
  const names = model.outputNames;
  const isPerOutput =
    (Array.isArray(value) && value.length === names.length && value.every((v) => v instanceof tf.Tensor || Array.isArray(v) || ArrayBuffer.isView(v)) && samples !== names.length) ||
    (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof tf.Tensor) && !ArrayBuffer.isView(value));
  if (!isPerOutput) {
    const shared = own(prepareSampleWeight(value as tf.Tensor, samples, what));
    return names.map(() => shared);
  }
  return entriesFor(names, value, what, 'output').map((part, i) => own(prepareSampleWeight(part as tf.Tensor, samples, `${what} '${names[i]}'`)));
}

/**
 * Keras' `class_weight` as per-sample weights. A model with several outputs
 * takes a record keyed by output name of `{classId: weight}` maps (outputs
 * not named get none).
 */
function classWeights(model: Model, losses: readonly Loss[], classWeight: unknown, y: Tensors, own: Own): Tensors {
  const shapes = model.outputShapes!;
  if (!model.multiOutput) {
    return own({tensor: classWeightsToSampleWeights(classWeight as ClassWeight, y as tf.Tensor, losses[0]!, shapes[0]!), owned: true});
  }
  const names = model.outputNames;
  if (classWeight === null || typeof classWeight !== 'object' || Array.isArray(classWeight)) {
    throw new ConfigError(`classWeight for a model with several outputs must be a record keyed by output name ({${names[0]}: {0: 1, 1: 3}}); got ${describe(classWeight)}.`);
  }
  const record = classWeight as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !names.includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(
      `classWeight names ${unknown.map((k) => `'${k}'`).join(', ')}, but the model's outputs are ${names.join(', ')}. ` +
        'For several outputs, key the class weights by output name.',
    );
  }
  const ys = listOf(y);
  return names.map((name, i) => {
    const table = record[name];
    const samples = ys[i]!.shape[0]!;
    if (table === undefined) return own({tensor: tf.ones([samples]), owned: true});
    return own({tensor: classWeightsToSampleWeights(table as ClassWeight, ys[i]!, losses[i]!, shapes[i] as Shape), owned: true});
  });
}

/** `sampleWeight · classWeight` per output (tf.keras' rule: they multiply). */
function combine(a: Tensors, b: Tensors, own: Own): Tensors {
  const bs = listOf(b);
  const product = listOf(a).map((t, i) => own({tensor: tf.mul(t, bs[i]!), owned: true}));
  return a instanceof tf.Tensor ? product[0]! : product;
}
