/**
 * A copy of everything training changes in a model, to put back exactly.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {tensorsIn, type AnyModel, type OptimizerState} from '@trellis/core';

/** What {@link takeTrainingSnapshot} returns. */
export interface TrainingSnapshot {
  /** Puts the copied weights and optimizer state (slots, step counter, learning-rate scale) back into the model. */
  restore(): void;
  /** Frees the copies. */
  dispose(): void;
}

/**
 * Copies every weight of `model` (trainable or not: moving statistics
 * too) and its optimizer's state, which holds the slots, the step counter
 * and the factor `setLearningRate` put on the rate. The copies are new
 * tensors owned by the snapshot until `dispose()`.
 * @throws StateError when the optimizer has no state yet (the model is not built).
 */
export function takeTrainingSnapshot(model: AnyModel): TrainingSnapshot {
  const weights = model.getWeights();
  let optimizer: OptimizerState;
  try {
    optimizer = model.optimizer.getState();
  } catch (error) {
    tf.dispose(Object.values(weights));
    throw error;
  }
  return {
    restore() {
      model.setWeights(weights);
      model.optimizer.setState(optimizer);
    },
    dispose() {
      tf.dispose(Object.values(weights));
      tf.dispose(tensorsIn(optimizer.state));
    },
  };
}
