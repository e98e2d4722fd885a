/**
 * `Model`: weights, compile, fit, evaluate, predict.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, ShapeError, StateError, describe} from '../errors';
import {checkOptions} from '../options-check';
import type {CallContext, Layer, MultiInputLayer, Shape} from '../spec/layer';
import type {NamedTensors} from '../spec/state';
import type {TrainingModel} from '../spec/training-model';
import type {NamedVariables, StatefulOptimizer} from '../stateful-optimizer';
import {nextSeed} from '../seed';
import {AddedLosses} from '../training/added-losses';
import {inferenceContext} from '../training/inference-context';
import {ambientContext, withAmbientContext} from './ambient-context';
import {readScalars} from '../training/epoch-state';
import {evaluateOnDevice} from '../training/evaluate';
import {runFit} from '../training/fit-loop';
import {runFitDataset} from '../training/fit-dataset';
import type {TrainingRun} from '../training/training-run';
import type {Dataset, FitDatasetOptions} from '../training/dataset';
import {runTestOnBatch, runTrainOnBatch, type TestOnBatchOptions, type TrainOnBatchOptions} from '../training/on-batch';
import {History} from '../training/history';
import {positiveInteger, release, type OwnedTensor, type TensorInput} from '../training/inputs';
import {modelInputs, prepareData} from '../training/fit-data';
import {listOf, type Tensors} from '../training/tensors';
import {predictInBatches} from '../training/predict';
import {resolveCompileOptions} from './compile';
import type {BatchOptions, CompileOptions, Compiled, EvaluateOptions, FitOptions, ModelData} from './options';
import {layerTypeName, summarize, type LayerFacts, type ModelSummary} from './summary';
import {TrackedLayers} from './tracked-layers';
import {WeightStore, type Weight} from './weight-store';
import {modelSaver} from './model-saver';
import {weightsOfLayer} from './layer-weights';

/** A model with any number of outputs: what functions that take any model accept. */
export type AnyModel = Model<tf.Tensor | tf.Tensor[]>;

/**
 * The base of every model. A model owns its variables (created by its layers
 * through {@link WeightStore}) and the optimizer state; `dispose()` frees both.
 *
 * Subclasses implement {@link Model.call}, and either track their layers
 * with {@link Model.track} (a subclassed model, as in Keras) or implement
 * {@link Model.buildLayers} (as `Sequential` does).
 *
 * @example
 * class Mlp extends Model {
 *   readonly hidden = this.track(dense({units: 64, activation: 'relu'}));
 *   readonly output = this.track(dense({units: 10, activation: 'softmax'}));
 *   call(x: tf.Tensor, context: CallContext) {
 *     return this.output.call(this.hidden.call(x, context), context);
 *   }
 * }
 */
export abstract class Model<O extends tf.Tensor | tf.Tensor[] = tf.Tensor> implements TrainingModel {
  /** @internal */
  protected readonly store = new WeightStore();
  readonly #tracked = new TrackedLayers(this.store);
  /** The penalties layers added in the last `apply` (see `losses`). */
  readonly #callLosses = new AddedLosses();
  #compiled: Compiled | undefined;
  #inputShape: Shape | undefined;
  #outputShape: Shape | undefined;
  #training = false;
  #disposed = false;
  #history: History | null = null;

  constructor(readonly name = 'model') {
    // The subclass' forward pass, run with its context as the ambient one, so the
    // layers it calls without a context (`this.dense.apply(x)`) get the model's.
    const forward = this.call;
    Object.defineProperty(this, 'call', {
      configurable: true,
      writable: true,
      value: function (this: Model<O>, x: tf.Tensor | readonly tf.Tensor[], context?: CallContext): O {
        const given = context ?? ambientContext() ?? inferenceContext();
        return withAmbientContext(given, () => forward.call(this, x, given));
      },
    });
  }

  /**
   * Keras' `model.history`: the {@link History} of the last `fit` or
   * `fitDataset`, filled epoch by epoch while it runs and kept when it
   * fails (then it holds the epochs that finished). Null before the first fit.
   */
  get history(): History | null {
    return this.#history;
  }

  /** Whether `dispose()` was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Throws the one error of a disposed model. @internal */
  protected assertUsable(what: string): void {
    if (this.#disposed) {
      throw new StateError(
        `Model '${this.name}' was disposed, so ${what} cannot run: its weights are freed. Build a new model (or keep this one until you are done with it).`,
      );
    }
  }

  /**
   * Creates the layers' weights for inputs of shape `[batch, ...inputShape]`
   * and returns the output shape (without batch). The default, for models
   * that track their layers, runs `call` once on a batch of zeros in inference
   * mode: each tracked layer builds itself on its first call.
   */
  protected buildLayers(inputShape: Shape): Shape {
    this.#discoverLayers();
    if (this.#tracked.size === 0) {
      throw new ConfigError(
        `Model '${this.name}' has no layers to build: assign each layer to a property of the subclass ` +
          '(readonly hidden = dense({units: 64}), or this.track(dense({units: 64}))), or implement buildLayers(inputShape).',
      );
    }
    this.#tracked.assignNames();
    try {
      return tf.tidy(() => listOf(this.call(tf.zeros([1, ...inputShape]), inferenceContext()))[0]!.shape.slice(1));
    } catch (error) {
      this.#tracked.reset();
      throw error;
    }
  }

  /**
   * Tracks, as Keras does, the layers assigned to properties of a subclassed
   * model that {@link Model.track} did not: layers, arrays of them (nested
   * arrays too) and nested subclassed models (their layers become this
   * model's), in property order. Runs before the first build.
   */
  #discoverLayers(): void {
    const seen = new Set<unknown>([this]);
    const visit = (value: unknown): void => {
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
      seen.add(value);
      if (Array.isArray(value)) {
        for (const item of value) visit(item);
      } else if (value instanceof Model) {
        // A nested subclassed model: its layers (tracked or assigned) are built and owned by this one.
        if (value.built || value.buildLayers !== Model.prototype.buildLayers) {
          throw new ConfigError(
            `Model '${this.name}' holds the model '${value.name}' in a property; only a nested subclassed model that is not built yet ` +
              'can have its layers tracked by the outer model. Assign its layers (or an unbuilt subclassed model) instead.',
          );
        }
        for (const layer of value.#tracked.release()) this.#tracked.track(layer);
        for (const key of Object.keys(value)) visit((value as unknown as Record<string, unknown>)[key]);
      } else if (isLayerLike(value)) {
        this.#tracked.track(value);
      }
    };
    for (const key of Object.keys(this)) visit((this as unknown as Record<string, unknown>)[key]);
  }

  /**
   * Tracks a layer of a subclassed model (Keras tracks layers assigned to
   * attributes): it is built on its first call with weights the model
   * creates and owns (`<layer name>/<weight>`, names given as in Keras), and
   * appears in `weights`, `getWeights()`, `summary()` and freezing. Call it in
   * field initializers or the constructor, in the order the layers run.
   * Returns `layer`. A layer shared by several calls is built once. Layers
   * merely assigned to properties are tracked too, at the first build, in
   * property order (after the ones tracked here).
   */
  protected track<L extends Layer | MultiInputLayer>(layer: L): L {
    if (this.built) throw new ConfigError(`Model '${this.name}' is already built; track layers before its first use.`);
    return this.#tracked.track(layer);
  }

  /**
   * The forward pass: `x` has shape `[batch, ...inputShape]` (one tensor per
   * input, in order, for a model with several inputs). Returns a new tensor
   * (an array for a model with several outputs); runs inside the caller's
   * `tf.tidy`, so intermediates are freed.
   */
  abstract call(x: tf.Tensor | readonly tf.Tensor[], context: CallContext): O;

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

  /** The output shape without batch, once built (the first output's, for a model with several). */
  get outputShape(): Shape | undefined {
    return this.#outputShape;
  }

  /** The input shapes without batch, one per input, once built. */
  get inputShapes(): readonly Shape[] | undefined {
    return this.#inputShape && [this.#inputShape];
  }

  /** The output shapes without batch, one per output, once built. */
  get outputShapes(): readonly Shape[] | undefined {
    return this.#outputShape && [this.#outputShape];
  }

  /** The inputs' names, in order (a model with one input: `['input_layer']`). */
  get inputNames(): readonly string[] {
    return ['input_layer'];
  }

  /** The outputs' names, in order: the names of the layers that make them. */
  get outputNames(): readonly string[] {
    return ['output'];
  }

  /**
   * Whether the model has an array of outputs (a functional model made with
   * `outputs: [...]`): then targets, losses and predictions are arrays.
   */
  get multiOutput(): boolean {
    return false;
  }

  /** All weights, in creation order. */
  get weights(): readonly Weight[] {
    this.assertUsable('weights');
    this.#autoBuild();
    return this.store.all();
  }

  /**
   * The weights the optimizer updates now: trainable weights of layers that
   * are not frozen (`layer.trainable = false`). Read at every training step.
   */
  get trainableWeights(): readonly Weight[] {
    return this.weights.filter((w) => w.trainable && !this.isFrozen(w.name));
  }

  /** Whether the weight named `weightName` belongs to a frozen layer (none, unless a subclass has layers). */
  protected isFrozen(weightName: string): boolean {
    return this.#tracked.isFrozen(weightName);
  }

  /** The number of scalars in all weights. */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.variable.size, 0);
  }

  /**
   * Keras' `model.save(url)`: the architecture, the weights, the compile
   * config and the optimizer state, in the format the path names (`.keras`,
   * `.h5`, else a TensorFlow.js `model.json` folder; `indexeddb://`,
   * `downloads://` in browsers). Sugar for `saveModel(this, url, options)` of
   * `@trellis/serializers`, which takes the same options (`format`,
   * `includeOptimizer`, ...). Writes are atomic in Node.
   * @throws StateError when no saver is set up (see `setModelSaver`); whatever `saveModel` throws
   */
  async save(url: string, options: Readonly<Record<string, unknown>> = {}): Promise<void> {
    this.assertUsable('save()');
    await modelSaver()(this as AnyModel, url, options);
  }

  /**
   * Keras' `model.summary()`: every layer's name and type, output shape and
   * parameter count, and the totals (trainable and non-trainable, with their
   * size in bytes). Prints the table as Keras 3 does (to `console.log`, to
   * `print`, or not at all with `print: false`) and returns it as data.
   * @throws ConfigError when the model is not built yet (give the first layer
   *   an `inputShape`, or call `build`, `fit` or `predict` first).
   */
  summary(options: {readonly print?: ((line: string) => void) | false} = {}): ModelSummary {
    this.assertUsable('summary()');
    checkOptions('summary', options, ['print']);
    this.#autoBuild();
    if (!this.built) {
      throw new ConfigError(
        `Model '${this.name}' is not built, so its shapes are unknown: give the first layer an inputShape, ` +
          'or call model.build(inputShape) (or fit / predict) before summary().',
      );
    }
    const summary = summarize(this.name, this.summaryLayers());
    const print = options.print ?? ((line: string) => console.log(line));
    if (print) for (const line of summary.lines) print(line);
    return summary;
  }

  /**
   * The rows of {@link summary}; a model without layers of its own reports
   * itself as one row. Called only once built.
   */
  protected summaryLayers(): LayerFacts[] {
    if (this.#tracked.size === 0) {
      return [{name: this.name, type: 'Model', outputShape: this.outputShape!, weights: weightFacts(this.weights)}];
    }
    const weights = this.weights;
    return this.#tracked.entries.map(({layer, outputShape}) => ({
      name: layer.name,
      type: layerTypeName(layer.spec.id),
      outputShape: outputShape ?? [],
      weights: weightFacts(weightsOfLayer(weights, layer.name)),
    }));
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
    this.assertUsable('build()');
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
    this.assertUsable('compile()');
    if (this.#training) {
      throw new StateError(
        `Model '${this.name}' is training: compile() cannot replace its optimizer, loss or metrics while fit runs. ` +
          'Call compile() before fit, or after it has finished (await it).',
      );
    }
    const compiled = resolveCompileOptions(options, this.multiOutput ? this.outputNames : null);
    this.#compiled?.optimizer.dispose();
    this.#compiled = compiled;
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
  async fit(x: TensorInput | ModelData, y: TensorInput | ModelData, options: FitOptions = {}): Promise<History> {
    return await this.#trainWith('fit', (run) => runFit(run, x, y, options));
  }

  /**
   * Keras' `fit` on a generator or dataset: trains on the batches `dataset`
   * yields (`{x, y, sampleWeight?}` or `[x, y(, sampleWeight)]` tensors),
   * with the same step, logs, History and callbacks as `fit`. By default
   * each batch's tensors are disposed after its step (`keepBatches: true`
   * leaves them to the dataset). An error thrown by the dataset stops
   * training and propagates unchanged; the weights stay as after the last
   * finished step. See {@link FitDatasetOptions} for epochs and
   * `batchesPerEpoch`.
   * @throws ConfigError when an epoch has no end (no `batchesPerEpoch` and no finite size);
   *   ShapeError / DTypeError / DataError for a bad batch.
   */
  async fitDataset(dataset: Dataset, options: FitDatasetOptions = {}): Promise<History> {
    return await this.#trainWith('fitDataset', (run) => runFitDataset(run, dataset, options));
  }

  /**
   * Runs one fit loop (`method` names it in errors), one training call at a
   * time: its History becomes `model.history` once training begins, and is
   * attached to an error the loop throws.
   */
  async #trainWith(method: string, loop: (run: TrainingRun) => Promise<History>): Promise<History> {
    return await this.#exclusively(method, async () => {
      const history = new History();
      const run: TrainingRun = {model: this as Model, compiled: this.compiled, history, began: () => (this.#history = history)};
      return await withHistory(history, () => loop(run));
    });
  }

  /** Runs `train` unless the model is disposed or already training (`method` names the call in errors). */
  async #exclusively<T>(method: string, train: () => Promise<T>): Promise<T> {
    this.assertUsable(`${method}()`);
    if (this.#training) throw new ConfigError(`Model '${this.name}' is already training; await the running fit first.`);
    this.#training = true;
    try {
      return await train();
    } finally {
      this.#training = false;
    }
  }

  /**
   * The loss and metrics over `(x, y)`, computed in batches on the device and
   * read back once (Keras' `evaluate`, returning named values). With
   * `sampleWeight` the loss is weighted as in `fit`. Inputs are not disposed.
   */
  async evaluate(x: TensorInput | ModelData, y: TensorInput | ModelData, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    this.assertUsable('evaluate()');
    checkOptions('evaluate', options, ['batchSize', 'sampleWeight']);
    const compiled = this.compiled;
    const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize');
    const data = await prepareData(this as Model, compiled.losses, x, y, {split: 0, sampleWeight: options.sampleWeight});
    try {
      return await readScalars(await evaluateOnDevice(this as Model, data.train, batchSize, compiled));
    } finally {
      for (const t of data.owned) release(t);
    }
  }

  /**
   * Keras' `train_on_batch`: one optimizer step on the whole batch `(x, y)`,
   * exactly as one step of `fit` (per-sample weights, penalties, constraints
   * and state updates included). Returns the step's `loss` (at the weights
   * before the update) and the metrics of this batch alone, read back once.
   * `x`, `y` and `sampleWeight` are not disposed.
   * @throws as `fit` does for bad data or options.
   */
  async trainOnBatch(
    x: TensorInput | ModelData,
    y: TensorInput | ModelData,
    options: TrainOnBatchOptions = {},
  ): Promise<Record<string, number>> {
    return await this.#exclusively('trainOnBatch', () => runTrainOnBatch(this as Model, this.compiled, x, y, options));
  }

  /**
   * Keras' `test_on_batch`: the loss (weighted by `sampleWeight` when given,
   * penalties included) and metrics of the batch `(x, y)` in inference mode,
   * as one forward pass, read back once. Inputs are not disposed.
   */
  async testOnBatch(
    x: TensorInput | ModelData,
    y: TensorInput | ModelData,
    options: TestOnBatchOptions = {},
  ): Promise<Record<string, number>> {
    this.assertUsable('testOnBatch()');
    return await runTestOnBatch(this as Model, this.compiled, x, y, options);
  }

  /**
   * Keras' `predict_on_batch`: the model in inference mode on the batch `x`
   * (`[batch, ...inputShape]`; one per input for several inputs) as one forward pass.
   * @returns a new tensor `[batch, ...outputShape]` (an array for several outputs) owned by the caller; `x` is not disposed.
   */
  predictOnBatch(x: TensorInput | ModelData): O {
    this.assertUsable('predictOnBatch()');
    return this.#withFeatures(x, (input) => tf.tidy(() => this.call(input, inferenceContext()) as tf.TensorContainer) as O);
  }

  /**
   * Runs the model in inference mode (dropout off) in batches.
   *
   * @returns a new tensor `[samples, ...outputShape]` (an array for several outputs) owned by the caller; `x` is not disposed.
   */
  predict(x: TensorInput | ModelData, options: BatchOptions = {}): O {
    this.assertUsable('predict()');
    checkOptions('predict', options, ['batchSize']);
    const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize');
    return this.#withFeatures(x, (input) => predictInBatches(this as Model, input, batchSize) as O);
  }

  /**
   * Runs the model on one batch outside `fit`, like Keras' `model(x,
   * training=True)`: for hand-written training loops (with
   * {@link valueAndGrads}) and for inspecting activations. With
   * `training: true`, dropout and other training-only behaviour are on, seeded
   * from the global seed stream (`setSeed`); non-trainable state such as
   * batch normalization's moving statistics is never updated here (only
   * `fit` does that). Penalties that layers add in this pass (activity
   * regularizers) are kept for {@link Model.losses} until the next `apply`.
   * Builds the model on first use.
   *
   * @param x - a batch `[batch, ...inputShape]` (float32; int32 is cast); one per input for several inputs.
   * @returns a new tensor (an array for several outputs) owned by the caller; `x` is not disposed.
   */
  apply(x: TensorInput | ModelData, options: {readonly training?: boolean} = {}): O {
    this.assertUsable('apply()');
    checkOptions('apply', options, ['training']);
    this.#callLosses.begin();
    const base = options.training ? {training: true, nextSeed} : inferenceContext();
    const context: CallContext = {...base, addLoss: this.#callLosses.record};
    return this.#withFeatures(x, (input) => tf.tidy(() => this.call(input, context) as tf.TensorContainer) as O);
  }

  /**
   * Keras' `model.losses`: the penalties of the last {@link Model.apply}
   * (what layers added with `CallContext.addLoss`, e.g. activity
   * regularizers) followed by the regularization penalties of the trainable
   * weights, as float32 scalars. Add them to the loss in a custom loop to
   * train as `fit` does:
   *
   * ```ts
   * valueAndGrads(() => {
   *   const y = model.apply(x, {training: true});
   *   return tf.addN([tf.mean(loss(yTrue, y)), ...model.losses]);
   * }, model);
   * ```
   *
   * Computed inside a gradient function (after `apply` there), gradients
   * flow through them. Returns new tensors owned by the caller (an empty
   * array when there is no penalty).
   */
  get losses(): tf.Scalar[] {
    const fromCall = this.#callLosses.pending.map((p) => tf.clone(p));
    const fromWeights = this.trainableWeights.filter((w) => w.regularizer).map((w) => tf.tidy(() => w.regularizer!(w.variable)));
    return [...fromCall, ...fromWeights];
  }

  /**
   * Runs `run` on `x` as float32 features (one tensor per input), after
   * building the model for them and checking their shapes; frees any
   * conversion it made.
   */
  #withFeatures<T>(x: unknown, run: (input: Tensors) => T): T {
    const owned: OwnedTensor[] = [];
    try {
      const input = modelInputs(this as Model, x, 'x', (t) => (owned.push(t), t.tensor));
      return run(input);
    } finally {
      for (const t of owned) release(t);
    }
  }

  /**
   * The trainable variables by weight name (`dense_1/kernel`): what
   * `valueAndGrads(fn, model)` differentiates and `model.optimizer.applyGradients`
   * updates. The model owns them.
   */
  get trainableVariables(): NamedVariables {
    return Object.fromEntries(this.trainableWeights.map((w) => [w.name, w.variable]));
  }

  /** Copies of every weight by name (`dense/kernel`); the caller owns them. */
  getWeights(): Record<string, tf.Tensor> {
    this.assertUsable('getWeights()');
    return Object.fromEntries(this.weights.map((w) => [w.name, tf.clone(w.variable)]));
  }

  /**
   * Assigns weights by name after checking every name and every value: a
   * value must be a live tensor (`ConfigError` for `null`, a number or a
   * nested array; `StateError` for a disposed tensor) of the weight's dtype
   * (`DTypeError`) and shape (`ShapeError`). Any failure throws before a
   * single weight is assigned, so the model is never left half-set.
   * `values` stays owned by the caller. Names not given keep their values
   * unless `strict` (default true) asks for all of them.
   */
  setWeights(values: NamedTensors, options: {strict?: boolean} = {}): void {
    this.assertUsable('setWeights()');
    checkOptions('setWeights', options, ['strict']);
    if (values === null || typeof values !== 'object' || Array.isArray(values) || values instanceof tf.Tensor) {
      throw new ConfigError(
        `setWeights expects a record of tensors by weight name ({'dense/kernel': tensor, ...}); got ${describe(values)}.`,
      );
    }
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
      if (w.name in values) checkWeightValue(w, (values as Record<string, unknown>)[w.name]);
    }
    for (const w of weights) {
      const v = values[w.name];
      if (v !== undefined) w.variable.assign(v);
    }
  }

  /** Frees the variables and the optimizer state. The model cannot be used afterwards. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#compiled?.optimizer.dispose();
    this.#callLosses.clear();
    this.store.dispose();
  }

  /** Builds from the shape of `x` if not built yet. @internal */
  ensureBuilt(x: tf.Tensor): void {
    this.assertUsable('a training step');
    this.#autoBuild();
    if (!this.built) this.build(x.shape.slice(1));
  }

  /** The sum of the trainable weights' regularization penalties (as Keras counts them), or null. Caller owns it. @internal */
  regularizationPenalty(): tf.Scalar | null {
    const regularized = this.trainableWeights.filter((w) => w.regularizer);
    if (regularized.length === 0) return null;
    return tf.tidy(() => tf.addN(regularized.map((w) => w.regularizer!(w.variable))) as tf.Scalar);
  }

  /**
   * State for every weight that trains when its layer is not frozen, so
   * that freezing before `compile` and unfreezing later keeps working (as
   * the fit step does).
   */
  #initOptimizer(): void {
    const trainable = Object.fromEntries(this.weights.filter((w) => w.trainable).map((w) => [w.name, w.variable]));
    this.#compiled!.optimizer.init(trainable);
  }
}

/**
 * Runs a fit, attaching the epochs that finished to an error it throws
 * (`error.history`, as the model keeps them in `model.history`).
 */
async function withHistory(history: History, run: () => Promise<History>): Promise<History> {
  try {
    return await run();
  } catch (error) {
    if (error !== null && typeof error === 'object' && !Object.isFrozen(error) && !('history' in error)) {
      Object.defineProperty(error, 'history', {value: history, enumerable: false, configurable: true});
    }
    throw error;
  }
}

/** Throws unless `value` can be assigned to `weight` (see `setWeights`). */
function checkWeightValue(weight: Weight, value: unknown): void {
  const expected = `[${weight.variable.shape.join(', ')}] ${weight.variable.dtype}`;
  if (!(value instanceof tf.Tensor)) {
    throw new ConfigError(
      `Weight '${weight.name}' must be given as a tensor of ${expected}; got ${describe(value)}. Wrap arrays with tf.tensor(values, shape).`,
    );
  }
  if (value.isDisposed) {
    throw new StateError(`The tensor given for weight '${weight.name}' is disposed; pass a live tensor of ${expected}.`);
  }
  if (value.dtype !== weight.variable.dtype) {
    throw new DTypeError(
      `Weight '${weight.name}' is ${weight.variable.dtype}; got a ${value.dtype} tensor. Cast it first (tf.cast(t, '${weight.variable.dtype}')).`,
    );
  }
  if (!tf.util.arraysEqual(value.shape, weight.variable.shape)) {
    throw new ShapeError(`Weight '${weight.name}' is ${expected}; got [${value.shape.join(', ')}] ${value.dtype}.`);
  }
}

/** What a summary needs of each weight. */
export function weightFacts(weights: readonly Weight[]): LayerFacts['weights'] {
  return weights.map((w) => ({
    size: w.variable.size,
    trainable: w.trainable,
    bytesPerElement: w.variable.dtype === 'float32' || w.variable.dtype === 'int32' ? 4 : 1,
  }));
}

/** Whether `value` looks like a layer (a `Layer` or `MultiInputLayer`: `build`, `call` and a spec). */
function isLayerLike(value: unknown): value is Layer | MultiInputLayer {
  const v = value as Partial<Layer> | null;
  return typeof v?.call === 'function' && typeof v.build === 'function' && typeof v.spec?.id === 'string';
}
