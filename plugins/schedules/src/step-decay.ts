/**
 * `stepDecay({...})`: multiply by a factor every few epochs.
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Schedule} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkInitialLearningRate, checkNumber, checkOptions} from './validate';

/** Options of {@link stepDecay} (all required). */
export type StepDecayOptions = {
  /** The value during the first `epochsPerDrop` epochs, >= 0. */
  readonly initialLearningRate: number;
  /** The factor applied at every drop, in (0, 1]. */
  readonly dropRate: number;
  /** Epochs between drops, an integer >= 1. */
  readonly epochsPerDrop: number;
  /** Optimizer steps (batches) per epoch, an integer >= 1: the schedule counts steps. */
  readonly stepsPerEpoch: number;
};

const KEYS = optionKeys<StepDecayOptions>({initialLearningRate: true, dropRate: true, epochsPerDrop: true, stepsPerEpoch: true});

/** The JSON config in a {@link stepDecay} spec. */
export type StepDecayConfig = Required<StepDecayOptions>;

/**
 * Step decay: the value is multiplied by `dropRate` every `epochsPerDrop`
 * epochs,
 *
 * ```
 * epoch = floor(step / stepsPerEpoch)
 * lr(step) = initialLearningRate · dropRate ^ floor(epoch / epochsPerDrop)
 * ```
 *
 * so the first drop happens at the first step of epoch `epochsPerDrop`. It is
 * Keras' `ExponentialDecay` with `staircase: true` and
 * `decaySteps = epochsPerDrop · stepsPerEpoch`, stated in epochs.
 *
 * Spec: `{id: 'trellis/stepDecay', config: {initialLearningRate, dropRate, epochsPerDrop, stepsPerEpoch}}`.
 *
 * @example
 * // halve every 10 epochs of 469 batches (MNIST, batch 128):
 * stepDecay({initialLearningRate: 0.1, dropRate: 0.5, epochsPerDrop: 10, stepsPerEpoch: 469});
 * @throws ConfigError for unknown or missing options, a negative learning
 *   rate, dropRate outside (0, 1], or epochsPerDrop / stepsPerEpoch that are not integers >= 1.
 */
export function stepDecay(options: StepDecayOptions): Schedule<StepDecayConfig> {
  const who = 'stepDecay';
  const o = checkOptions(who, options, KEYS);
  const initialLearningRate = checkInitialLearningRate(who, o.initialLearningRate);
  const dropRate = checkNumber(who, 'dropRate', o.dropRate, {min: 0, minExclusive: true, max: 1, example: 0.5});
  const epochsPerDrop = checkNumber(who, 'epochsPerDrop', o.epochsPerDrop, {min: 1, integer: true, example: 10});
  const stepsPerEpoch = checkNumber(who, 'stepsPerEpoch', o.stepsPerEpoch, {min: 1, integer: true, example: 469});
  return defineSchedule(
    'trellis/stepDecay',
    who,
    {initialLearningRate, dropRate, epochsPerDrop, stepsPerEpoch},
    (step) => initialLearningRate * dropRate ** Math.floor(Math.floor(step / stepsPerEpoch) / epochsPerDrop),
  );
}
