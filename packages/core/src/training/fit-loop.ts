/**
 * The fit loop. One `tf.tidy` per step; losses and metric states stay on the
 * device and are read back once per epoch, or when a callback asks.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, describe} from '../errors';
import {ensureGradients} from '../gradients';
import type {Compiled, FitOptions, Model} from '../model/model';
import {sliceRows} from '../model/model';
import {createRng, nextSeed, type Rng} from '../seed';
import type {FitContext, FitParams} from '../spec/callback';
import type {Loss} from '../spec/loss';
import {CallbackList} from './callback-list';
import {EpochState, readScalars} from './epoch-state';
import {History} from './history';
import {
  asFloat,
  checkFeatures,
  checkFinite,
  checkPairs,
  nonNegativeInteger,
  positiveInteger,
  release,
  toTensor,
  type OwnedTensor,
} from './inputs';

/** The validated data of a fit; owns what it converted or split. */
interface FitData {
  x: tf.Tensor;
  y: tf.Tensor;
  xVal: tf.Tensor | null;
  yVal: tf.Tensor | null;
  owned: OwnedTensor[];
}

/** Runs `model.fit`. @internal */
export async function runFit(
  model: Model,
  compiled: Compiled,
  xIn: unknown,
  yIn: unknown,
  options: FitOptions,
): Promise<History> {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`fit options must be an object; got ${describe(options)}.`);
  }
  const epochs = nonNegativeInteger(options.epochs ?? 1, 'epochs');
  const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize');
  const initialEpoch = nonNegativeInteger(options.initialEpoch ?? 0, 'initialEpoch');
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new ConfigError(`shuffle must be true or false; got ${describe(shuffle)}.`);
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new ConfigError(`validationSplit must be a number in [0, 1); got ${describe(split)}.`);
  }
  if (options.validationData !== undefined && split > 0) {
    throw new ConfigError('Pass validationData or validationSplit, not both.');
  }
  const callbacks = new CallbackList(options.callbacks ?? []);
  ensureGradients();

  const data = prepareData(model, compiled.loss, xIn, yIn, split, options.validationData);
  try {
    return await trainEpochs(model, compiled, data, {epochs, batchSize, initialEpoch, shuffle}, callbacks);
  } finally {
    for (const t of data.owned) release(t);
  }
}

function prepareData(
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

type LoopOptions = {epochs: number; batchSize: number; initialEpoch: number; shuffle: boolean};

async function trainEpochs(
  model: Model,
  compiled: Compiled,
  data: FitData,
  options: LoopOptions,
  callbacks: CallbackList,
): Promise<History> {
  const {x, y, xVal, yVal} = data;
  const n = x.shape[0]!;
  const {batchSize} = options;
  const stepsPerEpoch = Math.ceil(n / batchSize);
  const params: FitParams = {
    epochs: options.epochs,
    initialEpoch: options.initialEpoch,
    batchSize,
    samples: n,
    stepsPerEpoch,
    validationSamples: xVal?.shape[0] ?? 0,
  };
  const rng = createRng(nextSeed());
  const history = new History();
  const step = createStep(model, compiled, rng);
  const order = new Int32Array(n).map((_, i) => i);

  let epochState: EpochState | null = null;
  let epochLogs: Record<string, number> | null = null;
  let stopRequested: {reason: string} | null = null;
  let epoch = options.initialEpoch;
  let batch = 0;
  let steps = 0;
  const context: FitContext = {
    get epoch() {
      return epoch;
    },
    get batch() {
      return batch;
    },
    get step() {
      return steps;
    },
    params,
    model,
    get stopRequested() {
      return stopRequested;
    },
    stop(reason = 'stop() was called') {
      stopRequested ??= {reason};
    },
    async readLogs(keys) {
      let logs: Record<string, number>;
      if (epochLogs) logs = epochLogs;
      else if (epochState) logs = await readScalars(epochState.tensors('', {batchLoss: true}));
      else logs = {};
      if (!keys) return {...logs};
      return Object.fromEntries(keys.filter((k) => k in logs).map((k) => [k, logs[k]!]));
    },
  };

  try {
    await callbacks.call('onFitStart', context);
    for (epoch = options.initialEpoch; epoch < options.initialEpoch + options.epochs && !stopRequested; epoch++) {
      const started = performance.now();
      epochLogs = null;
      batch = 0;
      await callbacks.call('onEpochStart', context);
      epochState = new EpochState(compiled.metrics);
      if (options.shuffle) rng.shuffle(order);
      const hasBatchStart = callbacks.has('onBatchStart');
      const hasBatchEnd = callbacks.has('onBatchEnd');
      for (batch = 0; batch < stepsPerEpoch; batch++) {
        if (hasBatchStart) await callbacks.call('onBatchStart', context);
        const start = batch * batchSize;
        const size = Math.min(batchSize, n - start);
        const {loss, pred, yb} = step(x, y, options.shuffle ? order.subarray(start, start + size) : null, start, size);
        epochState.add(loss, size, yb, pred);
        tf.dispose([pred, yb]);
        steps++;
        if (hasBatchEnd) await callbacks.call('onBatchEnd', context);
        if (stopRequested) break;
      }
      batch = Math.max(0, batch - (batch === stepsPerEpoch ? 1 : 0));
      const penalty = model.regularizationPenalty();
      const scalars = epochState.tensors('', penalty ? {penalty} : {});
      penalty?.dispose();
      epochState.dispose();
      epochState = null;
      if (xVal && yVal) Object.assign(scalars, model.evaluateOnDevice(xVal, yVal, batchSize, compiled, 'val_'));
      epochLogs = await readScalars(scalars);
      history.record(epoch, epochLogs, (performance.now() - started) / 1000);
      await callbacks.call('onEpochEnd', context);
    }
    history.stopReason = (stopRequested as {reason: string} | null)?.reason ?? null;
    await callbacks.call('onFitEnd', context);
    return history;
  } catch (error) {
    await callbacks.error(context, error);
    throw error;
  } finally {
    (epochState as EpochState | null)?.dispose();
  }
}

/** One training step: forward, loss, gradients, update. Returns kept tensors the caller disposes. */
type Step = (
  x: tf.Tensor,
  y: tf.Tensor,
  indices: Int32Array | null,
  start: number,
  size: number,
) => {loss: tf.Scalar; pred: tf.Tensor; yb: tf.Tensor};

function createStep(model: Model, compiled: Compiled, rng: Rng): Step {
  const trainable = model.trainableWeights;
  if (trainable.length === 0) {
    throw new ConfigError(`Model '${model.name}' has no trainable weights; nothing to fit.`);
  }
  const variables = Object.fromEntries(trainable.map((w) => [w.name, w.variable]));
  const varList = trainable.map((w) => w.variable);
  const ourName = new Map(trainable.map((w) => [w.variable.name, w.name]));
  const regularized = model.weights.filter((w) => w.regularizer);
  const constrained = model.weights.filter((w) => w.constraint);
  const context = {training: true, nextSeed: () => rng.nextSeed()};
  if (!compiled.optimizer.initialized) compiled.optimizer.init(variables);

  return (x, y, indices, start, size) => {
    let pred: tf.Tensor | undefined;
    let yb: tf.Tensor | undefined;
    const {value, grads} = tf.tidy(() => {
      let xb: tf.Tensor;
      if (indices) {
        const idx = tf.tensor1d(indices, 'int32');
        xb = tf.gather(x, idx);
        yb = tf.keep(tf.gather(y, idx));
      } else {
        xb = sliceRows(x, start, size);
        yb = tf.keep(sliceRows(y, start, size));
      }
      return tf.variableGrads(() => {
        const out = model.call(xb, context);
        pred = tf.keep(out);
        let total = tf.mean(compiled.loss(yb!, out)) as tf.Scalar;
        for (const w of regularized) total = tf.add(total, w.regularizer!(w.variable)) as tf.Scalar;
        return total;
      }, varList);
    });
    try {
      const named: Record<string, tf.Tensor> = {};
      for (const v of varList) named[ourName.get(v.name)!] = grads[v.name] ?? tf.zerosLike(v);
      compiled.optimizer.applyGradients(named, variables);
      for (const w of constrained) {
        const projected = tf.tidy(() => w.constraint!(w.variable));
        w.variable.assign(projected);
        projected.dispose();
      }
      for (const v of varList) if (!grads[v.name]) named[ourName.get(v.name)!]!.dispose();
    } catch (error) {
      tf.dispose([value, pred!, yb!]);
      throw error;
    } finally {
      tf.dispose(Object.values(grads));
    }
    return {loss: value, pred: pred!, yb: yb!};
  };
}
