/**
 * Options of `compile`, `fit`, `evaluate` and `predict`.
 * @module
 */
import type {LossFn} from '../define-loss';
import type {Callback} from '../spec/callback';
import type {Spec} from '../spec/json';
import type {Loss} from '../spec/loss';
import type {Metric} from '../spec/metric';
import type {GradientTransform} from '../spec/optimizer';
import type {Registry} from '../spec/plugin';
import type {StatefulOptimizer} from '../stateful-optimizer';
import type {Shuffle} from '../training/row-order';
import type {TensorInput} from '../training/inputs';
import type {Verbosity} from '../training/progress-logger';
import type {ClassWeight} from '../training/sample-weights';
import type {YieldEvery} from '../training/yield-every';

/** An optimizer, loss or metric given by object, id (`'adam'`, `'trellis/adam'`) or spec. */
export type Resolvable<T> = T | string | Spec;

/** Options of {@link Model.compile}. */
export type CompileOptions = {
  /** `adam({learningRate: 1e-3})`, any gradient transform, or an id/spec resolved through `registry`. */
  readonly optimizer: Resolvable<GradientTransform>;
  /**
   * `sparseCategoricalCrossentropy()`, an id/spec resolved through
   * `registry`, or a plain function `(yTrue, yPred) => losses` (per-sample
   * `[batch]` or a scalar; see `defineLoss`). A model with several outputs
   * takes one loss per output: an array in output order, or a record keyed by
   * output name.
   */
  readonly loss: Resolvable<Loss> | LossFn | readonly (Resolvable<Loss> | LossFn)[] | Readonly<Record<string, Resolvable<Loss> | LossFn>>;
  /**
   * Keras' `loss_weights`: the total loss is `sum(lossWeights[i] · loss_i)`
   * over the outputs (default 1 each). An array in output order or a record
   * keyed by output name (missing names weigh 1); a number for a one-output model.
   */
  readonly lossWeights?: number | readonly number[] | Readonly<Record<string, number>>;
  /**
   * Streaming metrics, logged under their names (and `val_<name>`). With
   * several outputs: a list applies to every output, or give one list per
   * output (an array of lists, or a record keyed by output name); they are
   * logged as `<output>_<metric>`.
   */
  readonly metrics?:
    | readonly Resolvable<Metric>[]
    | readonly (readonly Resolvable<Metric>[])[]
    | Readonly<Record<string, readonly Resolvable<Metric>[]>>;
  /**
   * Keras' `weighted_metrics`: metrics given each batch's sample weights
   * (`sampleWeight`, `classWeight`, and the validation data's weights), in the
   * same forms as `metrics`. Logged under their names, or as `weighted_<name>`
   * when an unweighted metric has the name already.
   */
  readonly weightedMetrics?:
    | readonly Resolvable<Metric>[]
    | readonly (readonly Resolvable<Metric>[])[]
    | Readonly<Record<string, readonly Resolvable<Metric>[]>>;
  /** Where ids are resolved; defaults to `defaultRegistry()`. */
  readonly registry?: Registry;
};

/** Options of {@link Model.fit}. */
export type FitOptions = {
  /** The epoch to stop before (default 1): trains epochs `initialEpoch .. epochs - 1`, as Keras. */
  readonly epochs?: number;
  /** Samples per step (default 32). */
  readonly batchSize?: number;
  /**
   * `true` (default): a new permutation of the training samples for every
   * pass, from the seeded stream. `'batch'`: as Keras 3, the samples of each
   * batch-sized chunk are permuted and the chunks keep their order (each
   * batch holds the same samples as with `false`). `false`: in order.
   */
  readonly shuffle?: Shuffle;
  /**
   * Batches per epoch (default: one pass over the data). Smaller than a pass:
   * the next epoch continues the pass where this one stopped (a new pass,
   * reshuffled, starts once it runs out), as Keras' epoch iterator. Larger:
   * an epoch ends when the pass runs out (Keras warns "Your input ran out of
   * data"), so it never repeats samples within an epoch.
   */
  readonly stepsPerEpoch?: number;
  /**
   * `[x, y]` or `[x, y, sampleWeight]` evaluated at the end of every epoch
   * (`val_` logs; the validation loss is weighted by `sampleWeight`). Not disposed.
   */
  readonly validationData?:
    | readonly [TensorInput | ModelData, TensorInput | ModelData]
    | readonly [TensorInput | ModelData, TensorInput | ModelData, TensorInput | ModelData];
  /** Fraction in [0, 1) of the samples, taken from the end before shuffling, used as validation data. */
  readonly validationSplit?: number;
  /** Validate after every `validationFreq`-th epoch (epochs counted from 1, as Keras; default 1). */
  readonly validationFreq?: number;
  /** Samples per validation batch (default: `batchSize`). */
  readonly validationBatchSize?: number;
  /**
   * Keras' `sample_weight`: one finite non-negative weight per training
   * sample (`[samples]` or `[samples, 1]`, tensor or array; not disposed).
   * Each batch's loss becomes `sum(w · loss) / batchSize` (Keras'
   * `sum_over_batch_size`); metrics are not weighted. With `validationSplit`,
   * the weights are split with the samples.
   */
  readonly sampleWeight?: TensorInput | ModelData;
  /**
   * Keras' `class_weight`: `{classId: weight}` turned into per-sample weights
   * from the targets (class ids, or the argmax of one-hot targets; 0/1 for a
   * binary loss); unlisted classes weigh 1. Training rows only. With
   * `sampleWeight` too, the two multiply (tf.keras' rule; Keras 3 refuses
   * the combination). A model with several outputs takes a record keyed by
   * output name (`{label: {0: 1, 2: 5}}`; Keras 3 allows class weights only
   * for one output).
   */
  readonly classWeight?: ClassWeight | Readonly<Record<string, ClassWeight>>;
  readonly callbacks?: readonly Callback[];
  /** The first epoch to train (for resumed runs; default 0): epochs `initialEpoch .. epochs - 1` run, as Keras. */
  readonly initialEpoch?: number;
  /**
   * Keras' `verbose`: `'auto'` (default) a progress bar on an interactive
   * terminal in Node and nothing when the output is piped, under a test
   * runner or in a browser (`autoVerbosity`); 0 prints nothing, 1 a progress
   * bar per batch updated in place (reading the logs back at most every 100
   * ms) ending in a full line per epoch, 2 one line per epoch (`Epoch 1/5`,
   * then `422/422 - 6s - 14ms/step - loss: 0.2526 - val_loss: 0.1084`).
   */
  readonly verbose?: Verbosity;
  /** Where `verbose` output goes, as raw text (lines end with `\n`, in-place updates start with `\r`); default: stdout, else `console.log`. */
  readonly print?: (text: string) => void;
  /**
   * tfjs' `yieldEvery`: when `fit` awaits a macrotask so that timers, I/O and
   * a page's rendering run during training. `'auto'` (default, as tfjs): once
   * 125 ms of wall time have passed since the last yield; `'batch'`,
   * `'epoch'`, `'never'`, or a number of milliseconds. Yielding reads nothing
   * back from the device.
   */
  readonly yieldEvery?: YieldEvery;
};

/** Options of {@link Model.predict}. */
export type BatchOptions = {
  /** Samples per forward pass (default 32). */
  readonly batchSize?: number;
};

/** Options of {@link Model.evaluate}. */
export type EvaluateOptions = BatchOptions & {
  /**
   * Keras' `sample_weight` for `evaluate`: one finite non-negative weight per
   * sample; the loss is `sum(w · loss) / samples` per batch, as in `fit`
   * (one array per output, or one shared by all, for several outputs).
   */
  readonly sampleWeight?: TensorInput | ModelData;
};

/**
 * Data for a model with several inputs or outputs: one tensor (or array
 * data) per input / output, in order, or a record keyed by input / output name.
 */
export type ModelData = readonly TensorInput[] | Readonly<Record<string, TensorInput>>;

/** What compile resolved. */
export type Compiled = {
  readonly optimizer: StatefulOptimizer;
  /** The loss (of the first output, for a model with several). */
  readonly loss: Loss;
  /** One loss per output. */
  readonly losses: readonly Loss[];
  /** One weight per output, or null (all 1). */
  readonly lossWeights: readonly number[] | null;
  readonly metrics: readonly Metric[];
  /** The output names of a model with several outputs, or null. */
  readonly outputNames: readonly string[] | null;
};
