/**
 * The optimizers the main job can train with (`--optimizer`).
 * @module
 */
import {ConfigError, adam, optimizers, schedules, sgd, type GradientTransform} from 'trellis';

/** The names `--optimizer` accepts; `adam` is the default. */
export const mnistOptimizerNames = ['adam', 'adam-decay', 'adamw', 'sgd'] as const;

/** One of {@link mnistOptimizerNames}. */
export type MnistOptimizerName = (typeof mnistOptimizerNames)[number];

/** A ready optimizer and the label the header prints. */
export type MnistOptimizer = {
  readonly optimizer: GradientTransform;
  readonly label: string;
};

/**
 * Builds the optimizer called `name` for a run of `stepsPerEpoch` steps an epoch:
 *
 * - `adam`: Adam, learning rate 1e-3 (the default job);
 * - `adam-decay`: Adam with `exponentialDecay({initialLearningRate: 1e-3,
 *   decaySteps: stepsPerEpoch, decayRate: 0.5})`: the rate halves every
 *   epoch, smoothly (no staircase), 1e-3 → 3.1e-5 after 5 epochs;
 * - `adamw`: AdamW, learning rate 1e-3, decoupled weight decay 0.004 (Keras' default);
 * - `sgd`: SGD, learning rate 0.05, momentum 0.9.
 *
 * @throws ConfigError for another name, or stepsPerEpoch not a positive integer.
 */
export function mnistOptimizer(name: string, stepsPerEpoch: number): MnistOptimizer {
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) {
    throw new ConfigError(`mnistOptimizer: stepsPerEpoch must be a positive integer; got ${stepsPerEpoch}.`);
  }
  switch (name) {
    case 'adam':
      return {optimizer: adam({learningRate: 1e-3}), label: 'Adam 1e-3'};
    case 'adam-decay':
      return {
        optimizer: adam({learningRate: schedules.exponentialDecay({initialLearningRate: 1e-3, decaySteps: stepsPerEpoch, decayRate: 0.5})}),
        label: `Adam, exponentialDecay 1e-3 × 0.5 per epoch (${stepsPerEpoch} steps)`,
      };
    case 'adamw':
      return {optimizer: optimizers.adamw({learningRate: 1e-3, weightDecay: 0.004}), label: 'AdamW 1e-3, weight decay 0.004'};
    case 'sgd':
      return {optimizer: sgd({learningRate: 0.05, momentum: 0.9}), label: 'SGD 0.05, momentum 0.9'};
    default:
      throw new ConfigError(`mnistOptimizer: unknown optimizer '${name}'; expected one of ${mnistOptimizerNames.join(', ')}.`);
  }
}
