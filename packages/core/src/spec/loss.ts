/**
 * Losses.
 *
 * Contract version 1.
 * @module
 */
import type {Tensor, Tensor1D} from '@tensorflow/tfjs-core';
import type {Json, Serializable} from './json';

/**
 * The kind of targets a loss expects; metrics such as `accuracy()` pick their
 * variant from it (Keras resolves `'accuracy'` the same way).
 * - `binary`: `y` in {0,1} (or [0,1]) with the shape of the prediction.
 * - `categorical`: one-hot `y` with the shape of the prediction.
 * - `sparse`: integer class ids, shape `[batch]` or `[batch, 1]`.
 * - `regression`: real-valued `y` with the shape of the prediction.
 */
export type TargetKind = 'binary' | 'categorical' | 'sparse' | 'regression';

/**
 * `loss(yTrue, yPred)` → the per-sample loss, shape `[batch]`, float32, a new
 * tensor owned by the caller (inputs are not disposed). The model reduces it
 * to a (weighted) mean.
 */
export interface Loss<C extends Json = Json> extends Serializable<C> {
  (yTrue: Tensor, yPred: Tensor): Tensor1D;
  /** Short name used in logs (`loss` is always the key of the total loss). */
  readonly name: string;
  readonly targetKind: TargetKind;
  /** Whether `yPred` holds logits rather than probabilities. */
  readonly fromLogits: boolean;
  /**
   * Checks targets once before training, throwing (or rejecting with) a
   * `ShapeError` or `DataError` that says what was expected and what came.
   * `predictionShape` is the shape of the model's output for these targets,
   * batch dimension included (`[samples, ...outputShape]`). `yTrue` is not
   * disposed. The fit loop awaits the result: read values back with
   * `await yTrue.data()`, not `dataSync()`, which backends such as webgpu
   * cannot do. A synchronous implementation (returning `void`) still conforms.
   */
  validateTargets?(yTrue: Tensor, predictionShape: readonly number[]): void | Promise<void>;
}
