/**
 * Options of `compile`, `fit`, `evaluate` and `predict`.
 * @module
 */
import type {Callback} from '../spec/callback';
import type {Spec} from '../spec/json';
import type {Loss} from '../spec/loss';
import type {Metric} from '../spec/metric';
import type {GradientTransform} from '../spec/optimizer';
import type {Registry} from '../spec/plugin';
import type {StatefulOptimizer} from '../stateful-optimizer';
import type {TensorInput} from '../training/inputs';

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
