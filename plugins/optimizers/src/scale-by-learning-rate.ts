/**
 * `scaleByLearningRate(lr)`: the `-learningRate` step of every optimizer.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors, Schedule} from '@trellis/core';
import {checkNamedTensors, stateCount, stateRecord, tidyObject} from './checks';
import {checkLearningRate, learningRateAt, learningRateScale} from './learning-rate';

/** State of {@link scaleByLearningRate}: the host step counter. */
export type ScaleByLearningRateState = {
  /** Updates made so far; the schedule is called with this value (0 first). */
  readonly count: number;
};

/**
 * Multiplies updates by `-learningRate`, turning a descent direction into
 * the amount added to the parameters (optax `scale_by_learning_rate`).
 *
 * A {@link Schedule} is called with the host step counter kept in the state
 * (`schedule(0)` for the first update, then 1, 2, ...), like Keras evaluates
 * a `LearningRateSchedule` at `optimizer.iterations`: no device readback.
 * `extras.learningRateScale` (set by `optimizer.setLearningRate`) multiplies
 * the rate. The counter is kept for a constant rate too, so state saved with a
 * constant loads into an optimizer with a schedule and vice versa.
 *
 * Shapes and dtypes follow the gradients (float32). Ownership: `update`
 * returns new tensors owned by the caller and disposes nothing.
 *
 * @param learningRate - a finite number > 0, or a function of the step.
 * @throws ConfigError for a bad learning rate; in `update`, when a schedule
 *   returns anything but a finite number >= 0 (before any tensor is made).
 */
export function scaleByLearningRate(learningRate: number | Schedule): GradientTransform<ScaleByLearningRateState> {
  const lr = checkLearningRate('scaleByLearningRate', learningRate, false);
  return {
    init: () => ({count: 0}),
    update(grads, state, _params, extras) {
      checkNamedTensors('scaleByLearningRate', 'gradient', grads);
      const count = stateCount('scaleByLearningRate', stateRecord('scaleByLearningRate', state));
      const rate = learningRateAt('scaleByLearningRate', lr, count) * learningRateScale(extras);
      return tidyObject(() => {
        const updates: Record<string, tf.Tensor> = {};
        for (const [name, g] of Object.entries(grads)) updates[name] = tf.mul(g, -rate);
        return {updates: updates as NamedTensors, state: {count: count + 1}};
      });
    },
  };
}
