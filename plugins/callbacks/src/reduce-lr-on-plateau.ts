import {
  ConfigError,
  checkNumber,
  checkOptions,
  describe,
  optionKeys,
  type Callback,
  type FitContext,
  type Json,
  checkMonitor,
  type MonitorMode,
} from '@trellis/core';
import {checkCount, checkFunction, checkWatch, numberToJson, readState} from './monitor';
import {printers, pythonFloat, type Print} from './output';
import {Plateau} from './plateau';

/** Options of {@link reduceLROnPlateau} (Keras' `ReduceLROnPlateau` arguments, camelCase). */
export type ReduceLROnPlateauOptions = {
  /** The log key to watch; default `'val_loss'`. */
  readonly monitor?: string;
  /** The new rate is `rate * factor`; in (0, 1), default 0.1. */
  readonly factor?: number;
  /** Epochs without improvement before reducing; default 10. */
  readonly patience?: number;
  /** 1 prints a line at each reduction; default 0. */
  readonly verbose?: 0 | 1;
  /** `'min'`, `'max'`, or `'auto'` (from the monitored name, as Keras 3); default `'auto'`. */
  readonly mode?: MonitorMode;
  /** The least change that counts as an improvement (its absolute value is used); default 1e-4. */
  readonly minDelta?: number;
  /** Epochs after a reduction during which nothing counts toward `patience`; default 0. */
  readonly cooldown?: number;
  /** The rate never goes below this; default 0. */
  readonly minLr?: number;
  /** Receives the messages and the missing-key warning; default `console.log` and `console.warn`. */
  readonly print?: Print;
};

/** The JSON config of `trellis/reduceLROnPlateau`: the options without `print`. */
export type ReduceLROnPlateauConfig = Omit<ReduceLROnPlateauOptions, 'print'>;

/** What {@link reduceLROnPlateau} returns: a callback whose progress can be read. */
export interface ReduceLROnPlateauCallback extends Callback {
  readonly spec: {readonly id: 'trellis/reduceLROnPlateau'; readonly config: ReduceLROnPlateauConfig};
  /** The best monitored value so far, or null. */
  readonly best: number | null;
  /** Epochs counted toward `patience` (Keras' `wait`). */
  readonly wait: number;
  /** Epochs of cooldown left (Keras' `cooldown_counter`). */
  readonly cooldownCounter: number;
  saveState(): Json;
  loadState(state: Json): void;
}

const KEYS = optionKeys<ReduceLROnPlateauOptions>({
  monitor: true,
  factor: true,
  patience: true,
  verbose: true,
  mode: true,
  minDelta: true,
  cooldown: true,
  minLr: true,
  print: true,
});

const WHO = 'reduceLROnPlateau';

/**
 * Multiplies the learning rate by `factor` when a monitored log has not
 * improved for `patience` epochs: Keras 3's `ReduceLROnPlateau`, decision
 * for decision.
 *
 * At each epoch end it first adds the rate used in that epoch to the logs
 * as `learning_rate` (`context.setLog`, so the History has it). Then, when
 * the monitored value is there: during a cooldown the cooldown counter
 * drops by one and the wait count is reset; an improvement by more than
 * `minDelta` becomes the best and resets the count; otherwise, outside a
 * cooldown, the count grows and at `patience` the rate becomes
 * `max(rate * factor, minLr)` (`optimizer.setLearningRate`; nothing happens
 * once the rate is at `minLr`), which starts `cooldown` epochs of cooldown.
 *
 * Rates are read as float32, as the optimizer applies them and Keras
 * stores them; improvements compare in float32, as Keras. With a schedule
 * the optimizer scales it (see `setLearningRate`; Keras refuses to set the
 * rate of an optimizer built on a schedule).
 *
 * A missing monitored key prints one warning per fit listing the keys there
 * are. `onFitStart` resets the callback (Keras' `on_train_begin`), except
 * right after `loadState`; `saveState()` keeps the best value, the wait
 * count and the cooldown counter (the rate itself is in the optimizer's
 * state).
 *
 * @example
 * callbacks: [reduceLROnPlateau({factor: 0.2, patience: 5, minLr: 1e-3})]
 *
 * @throws ConfigError for an unknown option, `factor` outside (0, 1), a
 *   negative or fractional `patience`/`cooldown`, a non-finite `minDelta`,
 *   a negative `minLr`, an unknown `mode` or a name `'auto'` cannot place;
 *   at fit start, for an optimizer without a learning rate.
 */
export function reduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): ReduceLROnPlateauCallback {
  checkOptions(WHO, options, KEYS);
  const monitor = checkMonitor(WHO, options.monitor ?? 'val_loss');
  const factor = options.factor ?? 0.1;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0 || factor >= 1) {
    throw new ConfigError(
      `${WHO}: factor must be a finite number in (0, 1) (the new rate is rate * factor; Keras refuses a factor >= 1); ` +
        `got ${describe(factor)}. For example factor: 0.5.`,
    );
  }
  const {patience, verbose, mode, maximize} = checkWatch(WHO, monitor, options, 10);
  const minDelta = Math.abs(checkNumber(WHO, 'minDelta', options.minDelta ?? 1e-4, {example: 1e-4}));
  const cooldown = checkCount(WHO, 'cooldown', options.cooldown ?? 0, 2);
  const minLr = checkNumber(WHO, 'minLr', options.minLr ?? 0, {min: 0, example: 1e-6});
  const {info, warn} = printers(checkFunction<Print>(WHO, 'print', options.print, '(message: string) => void'));

  const config: ReduceLROnPlateauConfig = {monitor, factor, patience, verbose, mode, minDelta, cooldown, minLr};

  const plateau = new Plateau(
    monitor,
    maximize,
    minDelta,
    (available) =>
      `Learning rate reduction is conditioned on metric \`${monitor}\` which is not available. Available metrics are: ${available}.`,
    warn,
  );
  let cooldownCounter = 0;

  const rateOf = (context: FitContext): number => {
    const rate = context.model.optimizer.learningRate;
    if (rate === undefined) {
      throw new ConfigError(
        `${WHO}: the optimizer has no learning rate to reduce (a bare gradient transform); ` +
          'compile with an optimizer that has one (sgd, adam, ...).',
      );
    }
    return Math.fround(rate);
  };

  return {
    name: WHO,
    spec: {id: 'trellis/reduceLROnPlateau', config},
    get best() {
      return plateau.best;
    },
    get wait() {
      return plateau.wait;
    },
    get cooldownCounter() {
      return cooldownCounter;
    },
    onFitStart(context) {
      rateOf(context);
      if (plateau.startFit()) cooldownCounter = 0;
    },
    async onEpochEnd(context) {
      const rate = rateOf(context);
      context.setLog('learning_rate', rate);
      const current = await plateau.read(context);
      if (current === undefined) return;
      if (cooldownCounter > 0) {
        cooldownCounter -= 1;
        plateau.wait = 0;
      }
      if (plateau.improves(current)) {
        plateau.wait = 0;
      } else if (cooldownCounter <= 0) {
        plateau.wait += 1;
        if (plateau.wait >= patience && rate > Math.fround(minLr)) {
          const next = Math.max(rate * factor, minLr);
          context.model.optimizer.setLearningRate(next);
          if (verbose > 0) info(`\nEpoch ${context.epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pythonFloat(next)}.`);
          cooldownCounter = cooldown;
          plateau.wait = 0;
        }
      }
    },
    saveState(): Json {
      return {best: numberToJson(plateau.best), wait: plateau.wait, cooldownCounter};
    },
    loadState(state: Json) {
      const next = readState(WHO, state, {best: 'number', wait: 'count', cooldownCounter: 'count'});
      ({best: plateau.best, wait: plateau.wait, cooldownCounter} = next);
      plateau.resumed();
    },
  };
}
