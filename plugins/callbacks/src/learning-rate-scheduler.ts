import {ConfigError, checkOptions, describe, optionKeys, type Callback, type FitContext, type Json} from '@trellis/core';
import {checkFunction, checkVerbose, stateObject} from './monitor';
import {printers, pythonFloat, type Print} from './output';

/** The schedule of {@link learningRateScheduler}: the epoch (from 0) and the current rate to the epoch's rate. */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

/** Options of {@link learningRateScheduler}. */
export type LearningRateSchedulerOptions = {
  /** 1 prints the rate set at each epoch start; default 0. */
  readonly verbose?: 0 | 1;
  /** Receives the messages; default `console.log`. */
  readonly print?: (message: string) => void;
};

const KEYS = optionKeys<LearningRateSchedulerOptions>({verbose: true, print: true});
const WHO = 'learningRateScheduler';

/**
 * Sets the learning rate at the start of each epoch to
 * `schedule(epoch, currentRate)`: Keras 3's `LearningRateScheduler`. The
 * current rate is read as float32 (as the optimizer applies it and Keras
 * stores it); the rate is set with `optimizer.setLearningRate`, and at each
 * epoch end the rate is added to the logs as `learning_rate`.
 *
 * Holds no state of its own (`saveState()` is `{}`): the rate lives in the
 * optimizer's state.
 *
 * @example
 * learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 *
 * @throws ConfigError when `schedule` is not a function or an option is
 *   unknown; during the fit, when `schedule` returns something other than a
 *   finite number >= 0 or the optimizer has no learning rate.
 */
export function learningRateScheduler(schedule: EpochSchedule, options: LearningRateSchedulerOptions = {}): Callback {
  if (typeof schedule !== 'function') {
    throw new ConfigError(`${WHO}: schedule must be a function (epoch, learningRate) => number; got ${describe(schedule)}.`);
  }
  checkOptions(WHO, options, KEYS);
  const verbose = checkVerbose(WHO, options.verbose ?? 0);
  const {info} = printers(checkFunction<Print>(WHO, 'print', options.print, '(message: string) => void'));

  const rateOf = (context: FitContext): number => {
    const rate = context.model.optimizer.learningRate;
    if (rate === undefined) {
      throw new ConfigError(`${WHO}: the optimizer has no learning rate to set (a bare gradient transform); compile with one that has.`);
    }
    return Math.fround(rate);
  };

  return {
    name: WHO,
    onEpochStart(context) {
      const rate = schedule(context.epoch, rateOf(context));
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
        throw new ConfigError(
          `${WHO}: the schedule must return a finite number >= 0 (the learning rate); got ${describe(rate)} at epoch ${context.epoch}.`,
        );
      }
      context.model.optimizer.setLearningRate(rate);
      if (verbose > 0) info(`\nEpoch ${context.epoch + 1}: LearningRateScheduler setting learning rate to ${pythonFloat(rate)}.`);
    },
    onEpochEnd(context) {
      context.setLog('learning_rate', rateOf(context));
    },
    saveState(): Json {
      return {};
    },
    loadState(state: Json) {
      stateObject(WHO, state, []);
    },
  };
}
