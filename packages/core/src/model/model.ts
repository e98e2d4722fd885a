/**
 * `Model`: weights, compile, fit, evaluate, predict.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError, describe} from '../errors';
import {defaultRegistry} from '../registry';
import {createRng} from '../seed';
import type {Callback} from '../spec/callback';
import type {Spec} from '../spec/json';
import type {CallContext, Shape} from '../spec/layer';
import type {Loss} from '../spec/loss';
import type {Metric} from '../spec/metric';
import type {GradientTransform} from '../spec/optimizer';
import type {Registry} from '../spec/plugin';
import type {NamedTensors} from '../spec/state';
import {StatefulOptimizer} from '../stateful-optimizer';
import {EpochState, readScalars} from '../training/epoch-state';
import {runFit} from '../training/fit-loop';
import type {History} from '../training/history';
import {
  asFloat,
  checkFeatures,
  checkPairs,
  positiveInteger,
  release,
  toTensor,
  type TensorInput,
} from '../training/inputs';
import {WeightStore, type Weight} from './weight-store';

/** An optimizer, loss or metric given by object, id (`'adam'`, `'trellis/adam'`) or spec. */
export type Resolvable<T> = T | string | Spec;

/** Options of {@link Model.compile}. */
export type CompileOptions = {
  /** `adam({learningRate: 1e-3})`, any gradient transform, or an id/spec resolved through `registry`. */
  readonly optimizer: Resolvable<GradientTransform>;
  /** `sparseCategoricalCrossentropy()` or an id/spec resolved through `registry`. */
  readonly loss: Resolvable<Loss>;
  /** Streaming metrics, logged under their names (and `val_<name>`). */
  readonly metrics?: readonly Resolvable<Metric>[];
  /** Where ids are resolved; defaults to `defaultRegistry()`. */
  readonly registry?: Registry;
};

/** Options of {@link Model.fit}. */
export type FitOptions = {
  /** Epochs to train (default 1). */
  readonly epochs?: number;
  /** Samples per step (default 32). */
  readonly batchSize?: number;
  /** Reshuffle the training samples every epoch with the seeded stream (default true). */
  readonly shuffle?: boolean;
  /** `[x, y]` evaluated at the end of every epoch (`val_` logs). Not disposed. */
  readonly validationData?: readonly [TensorInput, TensorInput];
  /** Fraction in [0, 1) of the samples, taken from the end before shuffling, used as validation data. */
  readonly validationSplit?: number;
  readonly callbacks?: readonly Callback[];
  /** Epoch to start counting from (for resumed runs; default 0). */
  readonly initialEpoch?: number;
};

/** Options of {@link Model.evaluate} and {@link Model.predict}. */
export type BatchOptions = {
  /** Samples per forward pass (default 32). */
  readonly batchSize?: number;
};

/** What compile resolved. */
export type Compiled = {
  readonly optimizer: StatefulOptimizer;
  readonly loss: Loss;
  readonly metrics: readonly Metric[];
};

/**
 * The base of every model. A model owns its variables (created by its layers
 * through {@link WeightStore}) and the optimizer state; `dispose()` frees both.
 *
 * Subclasses implement {@link Model.buildLayers} and {@link Model.call}.
 */
export abstract class Model {
  /** @internal */
  protected readonly store = new WeightStore();
  #compiled: Compiled | undefined;
  #inputShape: Shape | undefined;
  #outputShape: Shape | undefined;
  #training = false;

  constructor(readonly name = 'model') {}

  /**
   * Creates the layers' weights for inputs of shape `[batch, ...inputShape]`
   * and returns the output shape (without batch).
   */
  protected abstract buildLayers(inputShape: Shape): Shape;

  /**
   * The forward pass: `x` has shape `[batch, ...inputShape]`. Returns a new
   * tensor; runs inside the caller's `tf.tidy`, so intermediates are freed.
   */
  abstract call(x: tf.Tensor, context: CallContext): tf.Tensor;

  /**
   * The input shape the model declares before any data is seen (a
   * `Sequential` whose first layer has `inputShape`), so it can build itself
   * on first use.
   */
  protected declaredInputShape(): Shape | undefined {
    return undefined;
  }

  /** Builds from the declared input shape, when there is one and the model is not built. */
  #autoBuild(): void {
    if (this.#inputShape) return;
    const shape = this.declaredInputShape();
    if (shape) this.build(shape);
  }

  /** Whether the weights exist. */
  get built(): boolean {
    return this.#inputShape !== undefined;
  }

  /** The input shape without batch, once built. */
  get inputShape(): Shape | undefined {
    return this.#inputShape;
  }

  /** The output shape without batch, once built. */
  get outputShape(): Shape | undefined {
    return this.#outputShape;
  }

  /** All weights, in creation order. */
  get weights(): readonly Weight[] {
    this.#autoBuild();
    return this.store.all();
  }

  /** The weights the optimizer updates. */
  get trainableWeights(): readonly Weight[] {
    return this.weights.filter((w) => w.trainable);
  }

  /** The number of scalars in all weights. */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.variable.size, 0);
  }

  /** What `compile` set up; throws a `ConfigError` before `compile`. */
  get compiled(): Compiled {
    if (!this.#compiled) {
      throw new ConfigError(`Model '${this.name}' is not compiled: call model.compile({optimizer, loss}) first.`);
    }
    return this.#compiled;
  }

  /** The stateful optimizer (for `getState()` / `setState()`), after `compile`. */
  get optimizer(): StatefulOptimizer {
    return this.compiled.optimizer;
  }

  /** Whether a fit is running on this model. */
  get training(): boolean {
    return this.#training;
  }

  /**
   * Creates the weights for inputs of shape `[batch, ...inputShape]`. Called
   * by the constructor when the first layer declares `inputShape`, else by the
   * first `fit`/`evaluate`/`predict`. Building twice is an error.
   */
  build(inputShape: Shape): void {
    if (this.#inputShape) {
      throw new ConfigError(`Model '${this.name}' is already built for inputs [batch, ${this.#inputShape.join(', ')}].`);
    }
    if (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new ShapeError(`inputShape must be an array of positive integers (without batch); got ${describe(inputShape)}.`);
    }
    try {
      this.#outputShape = this.buildLayers([...inputShape]);
    } catch (error) {
      this.store.dispose();
      throw error;
    }
    this.#inputShape = [...inputShape];
    if (this.#compiled) this.#initOptimizer();
  }

  /**
   * Sets the optimizer, loss and metrics. Ids (`'adam'`, `'trellis/adam'`)
   * and specs are resolved through `registry` (default: `defaultRegistry()`);
   * an unknown id throws `UnknownIdError` listing the known ones. Compiling
   * again replaces (and disposes) the optimizer state.
   */
  compile(options: CompileOptions): void {
    if (options === null || typeof options !== 'object') {
      throw new ConfigError(`compile expects {optimizer, loss, metrics?}; got ${describe(options)}.`);
    }
    const registry = options.registry ?? defaultRegistry();
    const transform = resolveWith(registry, 'optimizer', options.optimizer, isTransform);
    const loss = resolveWith(registry, 'loss', options.loss, isLoss);
    const metrics = (options.metrics ?? []).map((m) => {
      const metric = resolveWith(registry, 'metric', m, isMetric);
      return metric.forLoss ? metric.forLoss(loss) : metric;
    });
    const names = new Set(['loss', 'batch_loss']);
    for (const metric of metrics) {
      if (names.has(metric.name)) {
        throw new ConfigError(`Two metrics (or a metric and the loss) are both named '${metric.name}'; give one a distinct name.`);
      }
      names.add(metric.name);
    }
    this.#compiled?.optimizer.dispose();
    this.#compiled = {optimizer: new StatefulOptimizer(transform), loss, metrics};
    this.#autoBuild();
    if (this.built) this.#initOptimizer();
  }

  /**
   * Trains the model, Keras-style. Losses and metrics stay on the device and
   * are read back once per epoch (or when a callback calls `readLogs`).
   * `x` and `y` are not disposed.
   *
   * @param x - features `[samples, ...inputShape]` (float32; int32 is cast).
   * @param y - targets, as the loss expects (int32 class ids for sparse crossentropy).
   * @returns the per-epoch logs.
   */
  async fit(x: TensorInput, y: TensorInput, options: FitOptions = {}): Promise<History> {
    if (this.#training) throw new ConfigError(`Model '${this.name}' is already training; await the running fit first.`);
    this.#training = true;
    try {
      return await runFit(this, this.compiled, x, y, options);
    } finally {
      this.#training = false;
    }
  }

  /**
   * The loss and metrics over `(x, y)`, computed in batches on the device and
   * read back once. `x` and `y` are not disposed.
   */
  async evaluate(x: TensorInput, y: TensorInput, options: BatchOptions = {}): Promise<Record<string, number>> {
    const compiled = this.compiled;
    const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize');
    const xs = toTensor(x, 'x');
    let ys;
    try {
      ys = toTensor(y, 'y');
      checkPairs(xs.tensor, ys.tensor);
      this.ensureBuilt(xs.tensor);
      checkFeatures(xs.tensor, this.#inputShape);
      compiled.loss.validateTargets?.(ys.tensor, [xs.tensor.shape[0]!, ...this.#outputShape!]);
      return await readScalars(this.evaluateOnDevice(xs.tensor, ys.tensor, batchSize, compiled));
    } finally {
      release(xs, ys);
    }
  }

  /**
   * Runs the model in inference mode (dropout off) in batches.
   *
   * @returns a new tensor `[samples, ...outputShape]` owned by the caller; `x` is not disposed.
   */
  predict(x: TensorInput, options: BatchOptions = {}): tf.Tensor {
    const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize');
    const xs = toTensor(x, 'x');
    try {
      checkFeatures(xs.tensor, undefined);
      this.ensureBuilt(xs.tensor);
      checkFeatures(xs.tensor, this.#inputShape);
      const input = asFloat(xs.tensor);
      try {
        const n = input.tensor.shape[0]!;
        const context = inferenceContext();
        if (n <= batchSize) return tf.tidy(() => this.call(input.tensor, context));
        const parts: tf.Tensor[] = [];
        try {
          for (let start = 0; start < n; start += batchSize) {
            const size = Math.min(batchSize, n - start);
            parts.push(tf.tidy(() => this.call(sliceRows(input.tensor, start, size), context)));
          }
          return tf.concat(parts, 0);
        } finally {
          tf.dispose(parts);
        }
      } finally {
        release(input);
      }
    } finally {
      release(xs);
    }
  }

  /** Copies of every weight by name (`dense/kernel`); the caller owns them. */
  getWeights(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.weights.map((w) => [w.name, tf.clone(w.variable)]));
  }

  /**
   * Assigns weights by name after checking every name, shape and dtype; on a
   * mismatch throws (`StateError` / `ShapeError`) and changes nothing.
   * `values` stays owned by the caller. Names not given keep their values
   * unless `strict` (default true) asks for all of them.
   */
  setWeights(values: NamedTensors, options: {strict?: boolean} = {}): void {
    const weights = this.weights;
    const known = new Set(weights.map((w) => w.name));
    const unknown = Object.keys(values).filter((k) => !known.has(k));
    if (unknown.length) {
      throw new StateError(`Unknown weight names: ${unknown.join(', ')}. This model has: ${[...known].join(', ')}.`);
    }
    if (options.strict ?? true) {
      const missing = weights.filter((w) => !(w.name in values)).map((w) => w.name);
      if (missing.length) {
        throw new StateError(`Missing weights: ${missing.join(', ')}. Pass every weight, or {strict: false}.`);
      }
    }
    for (const w of weights) {
      const v = values[w.name];
      if (v === undefined) continue;
      if (!tf.util.arraysEqual(v.shape, w.variable.shape) || v.dtype !== w.variable.dtype) {
        throw new ShapeError(
          `Weight '${w.name}' is [${w.variable.shape.join(', ')}] ${w.variable.dtype}; got [${v.shape.join(', ')}] ${v.dtype}.`,
        );
      }
    }
    for (const w of weights) {
      const v = values[w.name];
      if (v !== undefined) w.variable.assign(v);
    }
  }

  /** Frees the variables and the optimizer state. The model cannot be used afterwards. */
  dispose(): void {
    this.#compiled?.optimizer.dispose();
    this.store.dispose();
  }

  /** Builds from the shape of `x` if not built yet. @internal */
  ensureBuilt(x: tf.Tensor): void {
    this.#autoBuild();
    if (!this.built) this.build(x.shape.slice(1));
  }

  /**
   * The loss (mean per-sample loss plus regularization) and metrics over
   * `(x, y)` as scalars owned by the caller; no readback. @internal
   */
  evaluateOnDevice(x: tf.Tensor, y: tf.Tensor, batchSize: number, compiled: Compiled, prefix = ''): Record<string, tf.Scalar> {
    const state = new EpochState(compiled.metrics);
    const penalty = this.regularizationPenalty();
    try {
      const n = x.shape[0]!;
      const context = inferenceContext();
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const {loss, pred, yb} = tf.tidy(() => {
          const xb = tf.cast(sliceRows(x, start, size), 'float32');
          const yb = sliceRows(y, start, size);
          const pred = this.call(xb, context);
          return {loss: tf.mean(compiled.loss(yb, pred)) as tf.Scalar, pred, yb};
        });
        state.add(loss, size, yb, pred);
        tf.dispose([pred, yb]);
      }
      return state.tensors(prefix, penalty ? {penalty} : {});
    } finally {
      state.dispose();
      penalty?.dispose();
    }
  }

  /** The sum of the weights' regularization penalties, or null. Caller owns it. @internal */
  regularizationPenalty(): tf.Scalar | null {
    const regularized = this.store.all().filter((w) => w.regularizer);
    if (regularized.length === 0) return null;
    return tf.tidy(() => tf.addN(regularized.map((w) => w.regularizer!(w.variable))) as tf.Scalar);
  }

  #initOptimizer(): void {
    const trainable = Object.fromEntries(this.trainableWeights.map((w) => [w.name, w.variable]));
    this.#compiled!.optimizer.init(trainable);
  }
}

/** Rows `[start, start + size)` of `t` (a new tensor). */
export function sliceRows(t: tf.Tensor, start: number, size: number): tf.Tensor {
  const begin = t.shape.map((_, i) => (i === 0 ? start : 0));
  const sizes = t.shape.map((d, i) => (i === 0 ? size : d));
  return tf.slice(t, begin, sizes);
}

function inferenceContext(): CallContext {
  const rng = createRng(0);
  return {training: false, nextSeed: () => rng.nextSeed()};
}

function resolveWith<T>(
  registry: Registry,
  kind: 'optimizer' | 'loss' | 'metric',
  value: Resolvable<T>,
  check: (v: unknown) => boolean,
): T {
  if (typeof value === 'string' || (value !== null && typeof value === 'object' && 'id' in value && 'config' in value && !check(value))) {
    return registry.resolve(kind, value as string | Spec) as T;
  }
  if (!check(value)) {
    const expected = {
      optimizer: 'an optimizer (e.g. adam() from @trellis/optimizers)',
      loss: 'a loss (e.g. sparseCategoricalCrossentropy() from @trellis/layers)',
      metric: 'a metric (e.g. accuracy() from @trellis/metrics)',
    }[kind];
    throw new ConfigError(`${kind} must be ${expected}, an id or a spec; got ${describe(value)}.`);
  }
  return value as T;
}

function isTransform(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as GradientTransform).init === 'function' && typeof (v as GradientTransform).update === 'function';
}

function isLoss(v: unknown): boolean {
  return typeof v === 'function' && typeof (v as Loss).targetKind === 'string';
}

function isMetric(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as Metric).update === 'function' && typeof (v as Metric).result === 'function';
}
