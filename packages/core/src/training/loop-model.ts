/**
 * What the training code needs of a model (internal): the public
 * {@link TrainingModel} contract plus the members the loops call. `Model`
 * implements it, so the training code never imports the model classes.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import type {Weight} from '../model/weight-store';
import type {CallContext, Shape} from '../spec/layer';
import type {TrainingModel} from '../spec/training-model';

/** A model as the fit, evaluate and predict loops see it. @internal */
export interface LoopModel extends TrainingModel {
  /** Whether the weights exist. */
  readonly built: boolean;
  /** The input shape without batch (the first input's), once built. */
  readonly inputShape: Shape | undefined;
  /** One shape without batch per input, once built. */
  readonly inputShapes: readonly Shape[] | undefined;
  /** One shape without batch per output, once built. */
  readonly outputShapes: readonly Shape[] | undefined;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Whether targets, losses and predictions are arrays (one per output). */
  readonly multiOutput: boolean;
  /** All weights, in creation order. */
  readonly weights: readonly Weight[];
  readonly trainableWeights: readonly Weight[];
  /** The forward pass, inside the caller's `tf.tidy`. */
  call(x: tf.Tensor | readonly tf.Tensor[], context: CallContext): tf.Tensor | tf.Tensor[];
  /** Builds from the shape of `x` if not built yet. */
  ensureBuilt(x: tf.Tensor): void;
  /** The trainable weights' regularization penalty, or null; the caller owns it. */
  regularizationPenalty(): tf.Scalar | null;
}
