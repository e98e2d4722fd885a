import type {Tensor} from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkNumber,
  checkOptions,
  optionKeys,
  type Callback,
  type FitContext,
  type Json,
  checkMonitor,
  isImprovement,
  type MonitorMode,
} from '@trellis/core';
import {checkCount, checkFunction, checkWatch, numberToJson, readState} from './monitor';
import {printers, type Print} from './output';
import {Plateau} from './plateau';

/** Options of {@link earlyStopping} (Keras' `EarlyStopping` arguments, camelCase). */
export type EarlyStoppingOptions = {
  /** The log key to watch; default `'val_loss'`. */
  readonly monitor?: string;
  /** The least change that counts as an improvement (its absolute value is used); default 0. */
  readonly minDelta?: number;
  /** Epochs without improvement before stopping; default 0. */
  readonly patience?: number;
  /** 1 prints a line when training stops and when weights are restored; default 0. */
  readonly verbose?: 0 | 1;
  /** `'min'`, `'max'`, or `'auto'` (from the monitored name, as Keras 3); default `'auto'`. */
  readonly mode?: MonitorMode;
  /** Improvements that do not also beat this value do not reset the patience count; default none. */
  readonly baseline?: number;
  /** Whether to put back the weights of the best epoch when the fit ends; default false. */
  readonly restoreBestWeights?: boolean;
  /** Epochs to let pass (counted from epoch 0) before watching; default 0. */
  readonly startFromEpoch?: number;
  /** Receives the messages and the missing-key warning; default `console.log` and `console.warn`. */
  readonly print?: Print;
};

/** The JSON config of `trellis/earlyStopping`: the options without `print`. */
export type EarlyStoppingConfig = Omit<EarlyStoppingOptions, 'print'>;

/** What {@link earlyStopping} returns: a callback whose progress can be read. */
export interface EarlyStoppingCallback extends Callback {
  readonly spec: {readonly id: 'trellis/earlyStopping'; readonly config: EarlyStoppingConfig};
  /** The epoch (from 0) at which training was stopped, or 0 when it was not (Keras' `stopped_epoch`). */
  readonly stoppedEpoch: number;
  /** The epoch (from 0) of the best monitored value so far (Keras' `best_epoch`). */
  readonly bestEpoch: number;
  /** The best monitored value so far, or null before the first watched epoch. */
  readonly best: number | null;
  /** Epochs counted toward `patience` (Keras' `wait`). */
  readonly wait: number;
  saveState(): Json;
  loadState(state: Json): void;
}

const KEYS = optionKeys<EarlyStoppingOptions>({
  monitor: true,
  minDelta: true,
  patience: true,
  verbose: true,
  mode: true,
  baseline: true,
  restoreBestWeights: true,
  startFromEpoch: true,
  print: true,
});

const WHO = 'earlyStopping';

/**
 * Stops training when a monitored log stops improving: Keras 3's
 * `EarlyStopping`, decision for decision.
 *
 * At each epoch end (from `startFromEpoch` on) the callback counts one
 * epoch of waiting; a value better than the best so far by more than
 * `minDelta` becomes the best and, when there is no `baseline` or it also
 * beats the baseline, resets the count. Once the count reaches `patience`
 * (after epoch 0) it calls `context.stop()`. Improvements compare in
 * float32, as Keras.
 *
 * With `restoreBestWeights` it keeps a copy of the weights of the best
 * epoch (the first watched epoch's weights until something improves) and,
 * as Keras 3, sets them back when the fit ends, whether it stopped early
 * or ran to the end. The copies are tensors owned by the callback, freed
 * when replaced and when the fit ends or fails.
 *
 * A missing monitored key prints one warning per fit listing the keys there
 * are, and never stops training. `onFitStart` resets the callback (Keras'
 * `on_train_begin`), except right after `loadState`.
 *
 * `saveState()` keeps the wait count, the best value and epoch and the
 * stopped epoch, so a resumed run decides exactly as an unbroken one. The
 * best weights are not part of the state: after a resume they are copied
 * again at the next improvement; if none comes, the fit ends with its last
 * weights (and a warning).
 *
 * @example
 * await model.fit(x, y, {epochs: 100, validationSplit: 0.2,
 *   callbacks: [earlyStopping({patience: 5, restoreBestWeights: true})]});
 *
 * @throws ConfigError for an unknown option, a negative or fractional
 *   `patience`/`startFromEpoch`, a non-finite `minDelta` or `baseline`, an
 *   unknown `mode`, or a monitored name `'auto'` cannot place.
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStoppingCallback {
  checkOptions(WHO, options, KEYS);
  const monitor = checkMonitor(WHO, options.monitor ?? 'val_loss');
  const minDelta = Math.abs(checkNumber(WHO, 'minDelta', options.minDelta ?? 0, {example: 0.001}));
  const {patience, verbose, mode, maximize} = checkWatch(WHO, monitor, options, 0);
  const baseline = options.baseline === undefined ? null : checkNumber(WHO, 'baseline', options.baseline, {example: 0.5});
  const restoreBestWeights = checkBoolean(WHO, 'restoreBestWeights', options.restoreBestWeights ?? false);
  const startFromEpoch = checkCount(WHO, 'startFromEpoch', options.startFromEpoch ?? 0, 3);
  const {info, warn} = printers(checkFunction<Print>(WHO, 'print', options.print, '(message: string) => void'));

  const config: EarlyStoppingConfig = {
    monitor,
    minDelta,
    patience,
    verbose,
    mode,
    ...(baseline === null ? {} : {baseline}),
    restoreBestWeights,
    startFromEpoch,
  };

  const plateau = new Plateau(
    monitor,
    maximize,
    minDelta,
    (available) => `Early stopping conditioned on metric \`${monitor}\` which is not available. Available metrics are: ${available}`,
    warn,
  );
  let stoppedEpoch = 0;
  let bestEpoch = 0;
  let bestWeights: Record<string, Tensor> | null = null;

  const dropWeights = () => {
    if (bestWeights) for (const t of Object.values(bestWeights)) t.dispose();
    bestWeights = null;
  };
  const keepWeights = (context: FitContext) => {
    const copy = context.model.getWeights();
    dropWeights();
    bestWeights = copy;
  };

  return {
    name: WHO,
    spec: {id: 'trellis/earlyStopping', config},
    get stoppedEpoch() {
      return stoppedEpoch;
    },
    get bestEpoch() {
      return bestEpoch;
    },
    get best() {
      return plateau.best;
    },
    get wait() {
      return plateau.wait;
    },
    onFitStart() {
      if (!plateau.startFit()) return;
      stoppedEpoch = 0;
      bestEpoch = 0;
      dropWeights();
    },
    async onEpochEnd(context) {
      const current = await plateau.read(context);
      const epoch = context.epoch;
      if (current === undefined || epoch < startFromEpoch) return;
      // Until something improves, the first watched epoch's weights are the best (Keras).
      if (restoreBestWeights && bestWeights === null && plateau.best === null) {
        keepWeights(context);
        bestEpoch = epoch;
      }
      plateau.wait += 1;
      if (plateau.improves(current)) {
        bestEpoch = epoch;
        if (restoreBestWeights) keepWeights(context);
        if (baseline === null || isImprovement(current, baseline, maximize, minDelta)) plateau.wait = 0;
        return;
      }
      if (plateau.wait >= patience && epoch > 0) {
        stoppedEpoch = epoch;
        context.stop(
          `earlyStopping: ${monitor} did not improve for ${plateau.wait} epochs (best ${plateau.best} at epoch ${bestEpoch + 1})`,
        );
      }
    },
    onFitEnd(context) {
      if (stoppedEpoch > 0 && verbose > 0) info(`Epoch ${stoppedEpoch + 1}: early stopping`);
      if (!restoreBestWeights) return;
      if (bestWeights) {
        if (verbose > 0) info(`Restoring model weights from the end of the best epoch: ${bestEpoch + 1}.`);
        try {
          context.model.setWeights(bestWeights);
        } finally {
          dropWeights();
        }
      } else if (plateau.best !== null) {
        warn(
          `earlyStopping: the weights of the best epoch (${bestEpoch + 1}) were not kept across the resume ` +
            '(saveState holds no tensors) and no epoch improved since; the model keeps its last weights.',
        );
      }
    },
    onError() {
      dropWeights();
    },
    saveState(): Json {
      return {wait: plateau.wait, stoppedEpoch, best: numberToJson(plateau.best), bestEpoch};
    },
    loadState(state: Json) {
      const next = readState(WHO, state, {wait: 'count', stoppedEpoch: 'count', best: 'number', bestEpoch: 'count'});
      ({wait: plateau.wait, stoppedEpoch, best: plateau.best, bestEpoch} = next);
      dropWeights();
      plateau.resumed();
    },
  };
}
