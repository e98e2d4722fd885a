/**
 * One training step of `fit`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError} from '../errors';
import type {LoopModel} from './loop-model';
import type {Weight} from '../model/weight-store';
import type {Compiled} from '../model/options';
import type {StepInspection} from '../spec/callback';
import type {CallContext, Layer} from '../spec/layer';
import type {Rng} from '../seed';
import {AddedLosses} from './added-losses';
import {computeLoss} from './compute-loss';
import {mapTensors, sliceRows, type Tensors} from './tensors';
import {StateUpdates} from './state-updates';
import {closedTape} from './closed-tape';
import {checkMetricsFit} from './metric-fit';

/**
 * One training step: forward, loss, gradients, update, then the layers'
 * non-trainable state updates (`CallContext.updateState`). The loss is the
 * mean per-sample loss (`sum(w · loss) / batch` with per-sample weights `w`,
 * `[samples]`, or null) plus the penalties the layers add in the forward pass
 * (`CallContext.addLoss`) plus the weights' regularization penalties, all at
 * the weights before the update, as Keras computes and reports it. Returns
 * kept tensors the caller disposes (`wb`: the batch's sample weights, or null;
 * `outputLosses`: each output's loss before `lossWeights`, for several outputs).
 */
export type Step = (batch: Batch, inspect?: Inspect | null) => StepResult;

/**
 * Receives the look inside a step that callbacks asked for
 * (`Callback.onStepInspect`); called synchronously after the update. The
 * inspection's tensors are disposed when it returns.
 */
export type Inspect = (inspection: StepInspection) => void;

/**
 * One batch to train on: rows `indices` (or, when null, `[start, start +
 * size)`) of `x`, `y` and the per-sample weights `w` (null: unweighted). The
 * tensors are not disposed by the step.
 */
export type Batch = {
  readonly x: Tensors;
  readonly y: Tensors;
  readonly w: Tensors | null;
  readonly indices: Int32Array | null;
  readonly start: number;
  readonly size: number;
};

/**
 * What one step (or one evaluated batch) gives the epoch's accumulators: the
 * batch's loss, the predictions, targets and sample weights of its rows,
 * each output's loss (several outputs), the regularization part of the loss,
 * and the row count. `EpochState.add` takes over `loss`, `outputLosses` and
 * `penalty`; the caller disposes `pred`, `yb` and `wb` after it.
 */
export type StepResult = {
  readonly loss: tf.Scalar;
  readonly pred: Tensors;
  readonly yb: Tensors;
  readonly wb: Tensors | null;
  readonly outputLosses: tf.Scalar[] | null;
  readonly penalty: tf.Scalar | null;
  readonly size: number;
};

/**
 * With `trackPenalty`, each step also returns the batch's regularization
 * penalty (layers' added losses plus weight penalties; null when there is
 * none), kept for the caller, who logs it as `regularization_loss`.
 */
export function createStep(model: LoopModel, compiled: Compiled, rng: Rng, options: {readonly trackPenalty?: boolean} = {}): Step {
  // The optimizer's state covers every trainable weight, frozen layers' too,
  // so that freezing and unfreezing between steps keeps their slots.
  const candidates = model.weights.filter((w) => w.trainable);
  const allVariables = Object.fromEntries(candidates.map((w) => [w.name, w.variable]));
  const constrained = model.weights.filter((w) => w.constraint);
  const updates = new StateUpdates(model.weights);
  const added = new AddedLosses();
  const context: CallContext = {
    training: true,
    nextSeed: () => rng.nextSeed(),
    updateState: updates.record,
    addLoss: added.record,
  };
  if (!compiled.optimizer.initialized) compiled.optimizer.init(allVariables);
  let selection = selectTrainable(model);
  let metricsChecked = false;

  return ({x, y, w, indices, start, size}, inspect) => {
    // `layer.trainable` may change between steps (freezing without recompiling).
    selection = selectTrainable(model, selection);
    const {variables, varList, ourName, regularized} = selection;
    let pred: Tensors | undefined;
    let penalty: tf.Scalar | null = null;
    let yb: Tensors | undefined;
    let wb: Tensors | null = null;
    let outputLosses: tf.Scalar[] | null = null;
    let computed: {value: tf.Scalar; grads: tf.NamedTensorMap};
    // An inspected step records every layer's output (kept until the inspection is over).
    const outputs: {layer: Layer; output: tf.Tensor}[] = [];
    const callContext: CallContext = inspect
      ? {...context, recordOutput: (layer, output) => void outputs.push({layer, output: tf.keep(output)})}
      : context;
    let weightsBefore: Record<string, tf.Tensor> | null = null;
    try {
      computed = tf.tidy(() => {
        const idx = indices ? tf.tensor1d(indices, 'int32') : null;
        const rows = (t: tf.Tensor) => (idx ? tf.gather(t, idx) : sliceRows(t, start, size));
        const xb = mapTensors(x, rows);
        yb = mapTensors(y, (t) => tf.keep(rows(t)));
        wb = w ? mapTensors(w, (t) => tf.keep(rows(t))) : null;
        return closedTape(() => {
          added.begin();
          const out = model.call(xb, callContext);
          pred = mapTensors(out, (t) => tf.keep(t));
          const compiledLoss = computeLoss(compiled, yb!, out, wb);
          outputLosses = compiledLoss.outputs && compiledLoss.outputs.map((t) => tf.keep(t));
          let total = added.sumInto(compiledLoss.total);
          const weightPenalties = regularized.map((w) => w.regularizer!(w.variable));
          for (const p of weightPenalties) total = tf.add(total, p) as tf.Scalar;
          const penalties = [...added.pending, ...weightPenalties];
          if (options.trackPenalty && penalties.length > 0) penalty = tf.keep(tf.addN(penalties) as tf.Scalar);
          return total;
        }, varList);
      });
    } catch (error) {
      updates.discard();
      tf.dispose([pred!, yb!, wb, outputLosses, penalty!, ...outputs.map((o) => o.output)].filter(Boolean) as tf.TensorContainer);
      throw error;
    } finally {
      added.clear();
    }
    const {value, grads} = computed;
    try {
      // Before the first update: a metric that does not fit the targets fails with the weights untouched.
      if (!metricsChecked) {
        checkMetricsFit(compiled.metrics, yb!, pred!, wb);
        metricsChecked = true;
      }
      const named: Record<string, tf.Tensor> = {};
      for (const v of varList) named[ourName.get(v.name)!] = grads[v.name] ?? tf.zerosLike(v);
      if (inspect) weightsBefore = Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, tf.clone(v)]));
      compiled.optimizer.applyGradients(named, variables);
      for (const w of constrained) {
        const projected = tf.tidy(() => w.constraint!(w.variable));
        w.variable.assign(projected);
        projected.dispose();
      }
      updates.apply();
      if (inspect) inspect({gradients: named, weightsBefore: weightsBefore!, weightsAfter: variables, outputs});
      for (const v of varList) if (!grads[v.name]) named[ourName.get(v.name)!]!.dispose();
    } catch (error) {
      updates.discard();
      tf.dispose([value, pred!, yb!, wb, outputLosses, ...(penalty ? [penalty] : [])] as tf.TensorContainer);
      throw error;
    } finally {
      tf.dispose(Object.values(grads));
      if (inspect) {
        // A recorded output may be a prediction itself (the last layer's), which the caller still reads.
        const predictions = new Set(pred === undefined ? [] : Array.isArray(pred) ? pred : [pred]);
        tf.dispose([...Object.values(weightsBefore ?? {}), ...outputs.map((o) => o.output).filter((t) => !predictions.has(t))]);
      }
    }
    return {loss: value, pred: pred!, yb: yb!, wb, outputLosses, penalty, size};
  };
}

/** What one step trains: the model's trainable weights as variables, and those with a penalty. */
type Selection = {
  readonly key: string;
  readonly variables: Record<string, tf.Variable>;
  readonly varList: tf.Variable[];
  readonly ourName: Map<string, string>;
  readonly regularized: readonly Weight[];
};

/** The current trainable selection (reusing `previous` when nothing changed). */
function selectTrainable(model: LoopModel, previous?: Selection): Selection {
  const trainable = model.trainableWeights;
  const key = trainable.map((w) => w.name).join('\n');
  if (previous && previous.key === key) return previous;
  if (trainable.length === 0) {
    throw new ConfigError(
      `Model '${model.name}' has no trainable weights; nothing to fit. Unfreeze a layer (layer.trainable = true) first.`,
    );
  }
  return {
    key,
    variables: Object.fromEntries(trainable.map((w) => [w.name, w.variable])),
    varList: trainable.map((w) => w.variable),
    ourName: new Map(trainable.map((w) => [w.variable.name, w.name])),
    regularized: trainable.filter((w) => w.regularizer),
  };
}
