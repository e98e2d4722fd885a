/**
 * The data of a fit: converted, checked once, split. Models with several
 * inputs or outputs take one tensor per input / output.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, UnknownIdError, describe, isTrellisError} from '../errors';
import type {LoopModel} from './loop-model';
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
 * Converts and checks `x`, `y`, the sample weights and the validation data,
 * builds the model from `x` if needed and splits off `validationSplit` as a
 * row range (sample weights split with it, as Keras does; class weights apply
 * to the training rows only). `losses` has one loss per model output.
 *
 * The value checks (NaN in the features, the targets, the weights) read back
 * asynchronously, a few small reads per call and none per batch, so this works
 * on backends that cannot read synchronously (webgpu). On a rejection,
 * everything it made is disposed.
 */
export async function prepareData(
  model: LoopModel,
  losses: readonly Loss[],
  xIn: unknown,
  yIn: unknown,
  options: DataOptions,
): Promise<FitData> {
  const {split, validationData, sampleWeight, classWeight} = options;
  const owned: OwnedTensor[] = [];
  const own = (t: OwnedTensor) => (owned.push(t), t.tensor);
  try {
    const train = await convertRows(model, losses, {x: xIn, y: yIn, w: sampleWeight}, FIT_LABELS, {classWeight, finite: true}, own);
    const {x, y, w} = train;
    const n = train.count;
    if (split > 0) {
      const at = Math.floor(n * (1 - split));
      if (at === 0 || at === n) {
        throw new DataError(
          `validationSplit ${split} of ${n} samples leaves ${at} for training and ${n - at} for validation; both need at least one. ` +
            'Use more data or another fraction.',
        );
      }
      return {train: {x, y, w, start: 0, count: at}, validation: {x, y, w: train.sampleWeight, start: at, count: n - at}, owned};
    }
    let validation: Rows | null = null;
    if (validationData !== undefined) {
      if (!Array.isArray(validationData) || (validationData.length !== 2 && validationData.length !== 3)) {
        throw new ConfigError(`validationData must be [x, y] or [x, y, sampleWeight]; got ${describe(validationData)}.`);
      }
      const [xVal, yVal, wVal] = validationData;
      const converted = await convertRows(model, losses, {x: xVal, y: yVal, w: wVal}, VALIDATION_LABELS, {finite: true}, own);
      validation = {x: converted.x, y: converted.y, w: converted.w, start: 0, count: converted.count};
    }
    return {train: {x, y, w, start: 0, count: n}, validation, owned};
  } catch (error) {
    for (const t of owned) release(t);
    throw error;
  }
}

type Own = (t: OwnedTensor) => tf.Tensor;

/** How a kind of data is named in error messages: `x`, the suffix after `y`, the sample weights. */
type Labels = {readonly x: string; readonly suffix: string; readonly w: string};

const FIT_LABELS: Labels = {x: 'x', suffix: '', w: 'sampleWeight'};
const VALIDATION_LABELS: Labels = {x: 'validationData x', suffix: ' (validation)', w: 'validationData sampleWeight'};

/**
 * One streamed batch (`fitDataset`), converted and checked as `fit` checks
 * its data except for NaN in the features (the targets and weights are read
 * back asynchronously): one tensor per input and output for a model with
 * several, the batch's sample weights and `classWeight` multiplied in. The
 * caller releases `owned` (also when this rejects: nothing is left).
 */
export async function prepareBatch(
  model: LoopModel,
  losses: readonly Loss[],
  batch: {readonly x: unknown; readonly y: unknown; readonly w: unknown},
  where: string,
  classWeight: unknown,
): Promise<{rows: Rows; owned: OwnedTensor[]}> {
  const owned: OwnedTensor[] = [];
  const own = (t: OwnedTensor) => (owned.push(t), t.tensor);
  try {
    const labels = {x: `${where} x`, suffix: ` (${where})`, w: `${where} sampleWeight`};
    const {x, y, w, count} = await convertRows(model, losses, batch, labels, {classWeight, finite: false}, own);
    return {rows: {x, y, w, start: 0, count}, owned};
  } catch (error) {
    for (const t of owned) release(t);
    throw error;
  }
}

/**
 * The one conversion behind `prepareData` and `prepareBatch`, in the order
 * `fit` has always checked: features have a batch dimension, targets pair
 * with them, then the model is built from `x`, feature shapes and (when
 * `finite`) NaN are checked, features are cast to float32 and targets are
 * checked by their losses; then the sample weights (per output), times the
 * class weights when given. `sampleWeight` is the weights before the class
 * weights (what validation rows split off the same data use). Each value
 * check is awaited before the next starts, so the first problem is the one
 * reported.
 */
async function convertRows(
  model: LoopModel,
  losses: readonly Loss[],
  data: {readonly x: unknown; readonly y: unknown; readonly w?: unknown},
  labels: Labels,
  options: {readonly classWeight?: unknown; readonly finite: boolean},
  own: Own,
): Promise<{x: Tensors; y: Tensors; w: Tensors | null; sampleWeight: Tensors | null; count: number}> {
  const raw = rawInputs(model, data.x, labels.x, own);
  const y = rawTargets(model, data.y, raw[0]!, labels.suffix, own);
  const x = await checkedInputs(model, raw, labels.x, own, options.finite);
  const count = rowsOf(x);
  const shapes = model.outputShapes!;
  const targets = listOf(y);
  for (let i = 0; i < targets.length; i++) {
    const label = `y${model.multiOutput ? ` '${model.outputNames[i]}'` : ''}${labels.suffix}`;
    await withTargetsLabel(label === 'y' ? null : label, () => losses[i]!.validateTargets?.(targets[i]!, [count, ...shapes[i]!]));
  }
  const sampleWeight = data.w === undefined || data.w === null ? null : await perOutputWeights(model, data.w, count, labels.w, own);
  let w = sampleWeight;
  if (options.classWeight !== undefined) {
    const fromClasses = await classWeights(model, losses, options.classWeight, y, own);
    w = w === null ? fromClasses : combine(w, fromClasses, own);
  }
  return {x, y, w, sampleWeight, count};
}

function rowsOf(t: Tensors): number {
  return listOf(t)[0]!.shape[0]!;
}

/** Whether the model has several inputs or several outputs (then data comes as one tensor per input / output). */
export function isMultiIO(model: LoopModel): boolean {
  return model.inputNames.length > 1 || model.multiOutput;
}

/** Whether the model takes one tensor (else one per input). */
function singleInput(model: LoopModel): boolean {
  return model.inputNames.length === 1;
}

/**
 * The model's inputs as float32 tensors, for inference (`predict`,
 * `predictOnBatch`, `apply`): `xIn` is a tensor (or array data) for a
 * one-input model; an array with one entry per input (or a record keyed by
 * input name) otherwise. Checks dtypes, shapes and equal sample counts and
 * builds a model that is not built yet from `x`. It reads nothing back (so it
 * stays synchronous on every backend): as in Keras, NaN in the features gives
 * NaN predictions; `fit` and `evaluate` refuse them.
 */
export function modelInputs(model: LoopModel, xIn: unknown, what: string, own: Own): Tensors {
  const xs = rawInputs(model, xIn, what, own);
  buildFrom(model, xs);
  const checked = xs.map((x, i) => {
    checkFeatures(x, model.inputShapes![i], inputLabel(model, what, i));
    return own(asFloat(x));
  });
  return singleInput(model) ? checked[0]! : checked;
}

/** Builds a one-input model that is not built yet from its features (a multi-input model is built by its inputs). */
function buildFrom(model: LoopModel, xs: readonly tf.Tensor[]): void {
  if (singleInput(model)) model.ensureBuilt(xs[0]!);
}

/** The label of input `i` in messages: `x`, or `x 'image'` for a model with several inputs. */
function inputLabel(model: LoopModel, what: string, i: number): string {
  return singleInput(model) ? what : `${what} '${model.inputNames[i]}'`;
}

/**
 * `xIn` as one tensor per input, each numeric with a batch dimension, all
 * with the same number of samples. Builds nothing and checks no shape yet.
 */
function rawInputs(model: LoopModel, xIn: unknown, what: string, own: Own): tf.Tensor[] {
  const parts = singleInput(model) ? [xIn] : entriesFor(model.inputNames, xIn, what, 'input');
  const xs = parts.map((part, i) => {
    const x = own(toTensor(part as tf.Tensor, inputLabel(model, what, i)));
    checkFeatures(x, undefined, inputLabel(model, what, i));
    return x;
  });
  const n = xs[0]!.shape[0]!;
  xs.forEach((x, i) => {
    if (x.shape[0] !== n) {
      throw new DataError(
        `${inputLabel(model, what, i)} has ${x.shape[0]} samples but '${model.inputNames[0]}' has ${n}; every input needs the same number of samples.`,
      );
    }
  });
  return xs;
}

/**
 * Builds the model from `xs` if it is not built, checks each input's shape
 * (and NaN when `finite`, one asynchronous readback per input) and casts the
 * features to float32 (a tensor for a one-input model, an array otherwise).
 */
async function checkedInputs(model: LoopModel, xs: readonly tf.Tensor[], what: string, own: Own, finite: boolean): Promise<Tensors> {
  buildFrom(model, xs);
  const shapes = model.inputShapes!;
  const checked: tf.Tensor[] = [];
  for (const [i, x] of xs.entries()) {
    checkFeatures(x, shapes[i], inputLabel(model, what, i));
    if (finite) await checkFinite(x, inputLabel(model, what, i));
    checked.push(own(asFloat(x)));
  }
  return singleInput(model) ? checked[0]! : checked;
}

/**
 * Runs a loss's target check; a Trellis error it throws is rethrown as the
 * same kind of error with `label` (e.g. `y (validation)`) in front, so the
 * message says which data holds the bad target.
 */
async function withTargetsLabel(label: string | null, check: () => void | Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (label === null || !isTrellisError(error) || error instanceof UnknownIdError) throw error;
    const Kind = error.constructor as new (message: string, options: {cause: unknown}) => Error;
    throw new Kind(`In ${label}: ${error.message}`, {cause: error});
  }
}

/**
 * The targets: one tensor per output (a tensor for a one-output model),
 * each with as many samples as `first` (`suffix` names the data in
 * messages, e.g. ' (validation)'). The losses check them once the model is built.
 */
function rawTargets(model: LoopModel, yIn: unknown, first: tf.Tensor, suffix: string, own: Own): Tensors {
  if (!model.multiOutput) {
    const y = own(toTensor(yIn as tf.Tensor, `y${suffix}`));
    checkPairs(first, y, suffix);
    return y;
  }
  const names = model.outputNames;
  return entriesFor(names, yIn, `y${suffix}`, 'output').map((part, i) => {
    const label = ` '${names[i]}'${suffix}`;
    const y = own(toTensor(part as tf.Tensor, `y${label}`));
    checkPairs(first, y, label);
    return y;
  });
}

/** One entry per name from an array (in order) or a record keyed by name. */
function entriesFor(names: readonly string[], value: unknown, what: string, kind: 'input' | 'output'): unknown[] {
  const n = names.length;
  if (Array.isArray(value) && !(value.length > 0 && typeof value[0] === 'number')) {
    if (value.length !== n) {
      throw new ConfigError(
        `The model has ${n} ${kind}s (${names.join(', ')}); ${what} has ${value.length} entries. Pass one per ${kind}, in order.`,
      );
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
  throw new ConfigError(
    `The model has ${n} ${kind}s (${names.join(', ')}); ${what} must be an array with one tensor per ${kind} or a record keyed by ${kind} name; got ${describe(value)}.`,
  );
}

/**
 * Sample weights for every output: a single `[samples]` array applies to
 * all outputs (as Keras replicates it), or one per output (array or record
 * keyed by output name).
 */
async function perOutputWeights(model: LoopModel, value: unknown, samples: number, what: string, own: Own): Promise<Tensors> {
  if (!model.multiOutput) return own(await prepareSampleWeight(value as tf.Tensor, samples, what));
  const names = model.outputNames;
  const isPerOutput =
    (Array.isArray(value) &&
      value.length === names.length &&
      value.every((v) => v instanceof tf.Tensor || Array.isArray(v) || ArrayBuffer.isView(v)) &&
      samples !== names.length) ||
    (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof tf.Tensor) && !ArrayBuffer.isView(value));
  if (!isPerOutput) {
    const shared = own(await prepareSampleWeight(value as tf.Tensor, samples, what));
    return names.map(() => shared);
  }
  const parts = entriesFor(names, value, what, 'output');
  const weights: tf.Tensor[] = [];
  for (const [i, part] of parts.entries()) {
    weights.push(own(await prepareSampleWeight(part as tf.Tensor, samples, `${what} '${names[i]}'`)));
  }
  return weights;
}

/**
 * Keras' `class_weight` as per-sample weights. A model with several outputs
 * takes a record keyed by output name of `{classId: weight}` maps (outputs
 * not named get none).
 */
async function classWeights(model: LoopModel, losses: readonly Loss[], classWeight: unknown, y: Tensors, own: Own): Promise<Tensors> {
  const shapes = model.outputShapes!;
  if (!model.multiOutput) {
    const weights = await classWeightsToSampleWeights(classWeight as ClassWeight, y as tf.Tensor, losses[0]!, shapes[0]!);
    return own({tensor: weights, owned: true});
  }
  const names = model.outputNames;
  if (classWeight === null || typeof classWeight !== 'object' || Array.isArray(classWeight)) {
    throw new ConfigError(
      `classWeight for a model with several outputs must be a record keyed by output name ({${names[0]}: {0: 1, 1: 3}}); got ${describe(classWeight)}.`,
    );
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
  const weights: tf.Tensor[] = [];
  for (const [i, name] of names.entries()) {
    const table = record[name];
    const samples = ys[i]!.shape[0]!;
    const tensor =
      table === undefined
        ? tf.ones([samples])
        : await classWeightsToSampleWeights(table as ClassWeight, ys[i]!, losses[i]!, shapes[i] as Shape);
    weights.push(own({tensor, owned: true}));
  }
  return weights;
}

/** `sampleWeight · classWeight` per output (tf.keras' rule: they multiply). */
function combine(a: Tensors, b: Tensors, own: Own): Tensors {
  const bs = listOf(b);
  const product = listOf(a).map((t, i) => own({tensor: tf.mul(t, bs[i]!), owned: true}));
  return a instanceof tf.Tensor ? product[0]! : product;
}
