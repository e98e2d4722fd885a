/**
 * `createTrainStep`: one step of `fit` as a function, for host frameworks
 * that run their own loop.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe} from '../errors';
import {ensureGradients} from '../gradients';
import {checkOptions} from '../options-check';
import {isLoss, isTransform, resolveWith} from '../model/compile';
import type {AnyModel, Model} from '../model/model';
import type {Compiled, ModelData, Resolvable} from '../model/options';
import {defaultRegistry} from '../registry';
import {createRng, nextSeed} from '../seed';
import type {Loss} from '../spec/loss';
import type {GradientTransform} from '../spec/optimizer';
import type {Registry} from '../spec/plugin';
import {StatefulOptimizer} from '../stateful-optimizer';
import {isMultiIO, prepareData} from '../training/fit-data';
import {asFloat, checkFeatures, checkPairs, release, toTensor, type OwnedTensor, type TensorInput} from '../training/inputs';
import {createStep, type Step} from '../training/train-step';

/** Options of {@link createTrainStep}. */
export type CreateTrainStepOptions = {
  /** The model to train (built from the first batch when not built yet). */
  readonly model: AnyModel;
  /** Default: the compiled loss. Required when the model is not compiled. */
  readonly loss?: Resolvable<Loss>;
  /**
   * Default: the compiled optimizer (its state is shared with `fit`).
   * Required when the model is not compiled. A given optimizer gets its own
   * state, keyed by weight name, which {@link TrainStep.dispose} frees.
   */
  readonly optimizer?: Resolvable<GradientTransform>;
  /** Where ids and specs of `loss` and `optimizer` are resolved; default `defaultRegistry()`. */
  readonly registry?: Registry;
};

/** Per-call options of a {@link TrainStep}. */
export type TrainStepOptions = {
  /** Keras' `sample_weight`: one weight per sample, `[batch]` or `[batch, 1]`. Not disposed. */
  readonly sampleWeight?: TensorInput;
};

/**
 * One training step of `fit` on the batch `(x, y)`: forward in training
 * mode, loss (`sum(w · loss) / batch`, plus the layers' added losses and the
 * weights' regularization penalties, at the weights before the update),
 * gradients of the trainable weights (frozen layers excluded), optimizer
 * update, constraints, then the layers' state updates.
 *
 * Calling it returns the step's loss as a float32 scalar the caller owns
 * (and disposes); nothing is read back, so a loop of steps never waits for
 * the device. Only shapes and dtypes are checked (`x` `[batch, ...inputShape]`,
 * `y` with `batch` rows, `sampleWeight` `[batch]`): values are not, since
 * that would read them back. `x`, `y` and `sampleWeight` are not disposed.
 */
/** Options of {@link TrainStep.run}: as {@link TrainStepOptions}, with per-output sample weights for several outputs. */
export type RunOptions = {
  readonly sampleWeight?: TensorInput | ModelData;
};

export type TrainStep = {
  (x: TensorInput, y: TensorInput, options?: TrainStepOptions): tf.Scalar;
  /**
   * The same step, with the loss read back, and the data checked as `fit`
   * and `trainOnBatch` check it (finite features, valid targets, finite
   * non-negative sample weights). Leaves no tensor behind. For a model with
   * several inputs or outputs, `x` and `y` (and `sampleWeight`) hold one
   * tensor per input / output, as in `fit`.
   */
  run(x: TensorInput | ModelData, y: TensorInput | ModelData, options?: RunOptions): Promise<{loss: number}>;
  /** The optimizer the step updates (the compiled one unless one was given). */
  readonly optimizer: StatefulOptimizer;
  /** Frees the state of an optimizer given to {@link createTrainStep}; a compiled one stays with the model. */
  dispose(): void;
};

/**
 * Keras' `train_step` for loops run by a host framework: returns a function
 * performing exactly one training step of `fit` per call (the same
 * gradients, penalties, constraints, state updates and optimizer state),
 * so that N calls on N batches leave the weights `fit` would with the same
 * batches in the same order (`shuffle: false`). Dropout seeds come from one
 * stream drawn from the global seed when the step is created, as `fit` draws
 * one when it starts.
 *
 * Loss and optimizer default to the compiled ones (read at each call, so a
 * recompile is followed); without compile both are required.
 *
 * @throws ConfigError when the model is not compiled and `loss` or
 *   `optimizer` is missing (the message names which), or when an option is
 *   not what it should be; `UnknownIdError` for an unknown id. Each step
 *   throws ConfigError while a `fit` of the model runs, and ShapeError /
 *   DTypeError / DataError for bad batches, leaving no tensor behind.
 *
 * @example
 * const step = createTrainStep({model});
 * for (const [xb, yb] of batches) {
 *   const loss = step(xb, yb);
 *   losses.push(loss); // read back whenever the host wants
 * }
 * const {loss} = await step.run(xb, yb); // one step, loss read back
 */
export function createTrainStep(options: CreateTrainStepOptions): TrainStep {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`createTrainStep expects {model, loss?, optimizer?}; got ${describe(options)}.`);
  }
  checkOptions('createTrainStep', options, ['model', 'loss', 'optimizer', 'registry']);
  const model = options.model as Model;
  if (model === null || typeof model !== 'object' || typeof (model as Model).fit !== 'function') {
    throw new ConfigError(`createTrainStep needs a Trellis model as 'model'; got ${describe(model)}.`);
  }
  if (!isCompiled(model)) {
    const missing = (['loss', 'optimizer'] as const).filter((k) => options[k] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(
        `createTrainStep: model '${model.name}' is not compiled, so ${missing.map((k) => `'${k}'`).join(' and ')} ` +
          `must be given (createTrainStep({model, loss, optimizer})), or call model.compile first.`,
      );
    }
  }
  const registry = options.registry ?? defaultRegistry();
  const ownLoss = options.loss === undefined ? null : resolveWith<Loss>(registry, 'loss', options.loss, isLoss);
  const ownOptimizer =
    options.optimizer === undefined
      ? null
      : new StatefulOptimizer(resolveWith<GradientTransform>(registry, 'optimizer', options.optimizer, isTransform));
  // Reading the weights builds a model whose first layer declares its input
  // shape (as compile does), so initializers draw their seeds before the
  // step's stream, in the order of compile-then-fit.
  void model.weights;
  const rng = createRng(nextSeed());

  let disposed = false;
  // The compiled loss/optimizer are read at each call; a recompile gets a new step.
  let current: {source: Compiled | null; compiled: Compiled; step: Step | null} | null = null;
  const resolved = (): NonNullable<typeof current> => {
    const source = ownLoss && ownOptimizer ? null : model.compiled;
    if (!current || current.source !== source) {
      const compiled: Compiled = {
        loss: ownLoss ?? source!.loss,
        losses: ownLoss ? [ownLoss] : source!.losses,
        lossWeights: ownLoss ? null : source!.lossWeights,
        outputNames: ownLoss ? null : source!.outputNames,
        optimizer: ownOptimizer ?? source!.optimizer,
        metrics: [],
      };
      current = {source, compiled, step: null};
    }
    return current;
  };
  /** The step, made on first use (once the model is built). */
  const stepFor = (entry: NonNullable<typeof current>): Step => (entry.step ??= createStep(model, entry.compiled, rng));
  const checkIdle = (): void => {
    if (disposed) throw new ConfigError('createTrainStep: this step was disposed; create a new one.');
    if (model.training) {
      throw new ConfigError(`createTrainStep: model '${model.name}' is running fit; await it before stepping.`);
    }
  };

  const step = ((x: TensorInput, y: TensorInput, stepOptions: TrainStepOptions = {}): tf.Scalar => {
    checkIdle();
    checkStepOptions(stepOptions);
    ensureGradients();
    const entry = resolved();
    if (isMultiIO(model)) {
      throw new ConfigError(
        `createTrainStep: the step function takes one x and one y, and model '${model.name}' has several inputs or outputs. ` +
          'Use step.run(x, y), which takes one tensor per input and output, or valueAndGrads.',
      );
    }
    const owned: OwnedTensor[] = [];
    const own = (t: OwnedTensor) => (owned.push(t), t.tensor);
    try {
      let xs = own(toTensor(x, 'x'));
      const ys = own(toTensor(y, 'y'));
      checkFeatures(xs, undefined);
      checkPairs(xs, ys);
      model.ensureBuilt(xs);
      checkFeatures(xs, model.inputShape);
      xs = own(asFloat(xs));
      const n = xs.shape[0]!;
      const w = stepOptions.sampleWeight === undefined ? null : own(sampleWeightShaped(stepOptions.sampleWeight, n));
      const {loss, pred, yb, wb, outputLosses} = stepFor(entry)({x: xs, y: ys, w, indices: null, start: 0, size: n});
      tf.dispose([pred, yb, wb, outputLosses] as tf.TensorContainer);
      return loss;
    } finally {
      for (const t of owned) release(t);
    }
  }) as TrainStep;

  const run = async (x: TensorInput | ModelData, y: TensorInput | ModelData, stepOptions: RunOptions = {}): Promise<{loss: number}> => {
    checkIdle();
    checkStepOptions(stepOptions);
    ensureGradients();
    const entry = resolved();
    const data = await prepareData(model, entry.compiled.losses, x, y, {split: 0, sampleWeight: stepOptions.sampleWeight});
    try {
      const {x: xs, y: ys, w, count} = data.train;
      const {loss, pred, yb, wb, outputLosses} = stepFor(entry)({x: xs, y: ys, w, indices: null, start: 0, size: count});
      tf.dispose([pred, yb, wb, outputLosses] as tf.TensorContainer);
      try {
        return {loss: (await loss.data())[0]!};
      } finally {
        loss.dispose();
      }
    } finally {
      for (const t of data.owned) release(t);
    }
  };

  Object.defineProperties(step, {
    run: {value: run},
    optimizer: {get: () => ownOptimizer ?? model.compiled.optimizer},
    dispose: {
      value: () => {
        disposed = true;
        ownOptimizer?.dispose();
      },
    },
  });
  return step;
}

function isCompiled(model: Model): boolean {
  try {
    return model.compiled !== undefined;
  } catch {
    return false;
  }
}

function checkStepOptions(options: unknown): void {
  checkOptions('A train step', options, ['sampleWeight']);
}

/** `sampleWeight` as float32 `[samples]`, shape checked only (no readback). */
function sampleWeightShaped(input: TensorInput, samples: number): OwnedTensor {
  const converted = toTensor(input, 'sampleWeight');
  const t = converted.tensor;
  const flat = t.rank === 1 || (t.rank === 2 && t.shape[1] === 1);
  if (!flat || t.shape[0] !== samples) {
    release(converted);
    throw new ShapeError(
      `sampleWeight must have shape [${samples}] (one weight per sample); got [${t.shape.join(', ')}]. Pass one non-negative number per sample.`,
    );
  }
  if (t.dtype === 'float32' && t.rank === 1) return converted;
  const shaped = tf.tidy(() => tf.reshape(tf.cast(t, 'float32'), [samples]));
  release(converted);
  return {tensor: shaped, owned: true};
}
