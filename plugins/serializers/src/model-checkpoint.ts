/**
 * `modelCheckpoint({filepath})`: Keras' `ModelCheckpoint` — save the model
 * (or its weights) during training, every epoch or only when it improves.
 * @module
 */
import {
  checkBoolean,
  checkMonitor,
  checkNumber,
  checkOptions,
  ConfigError,
  describeValue,
  isImprovement,
  optionKeys,
  resolveMode,
  StateError,
  type AnyModel,
  type Callback,
  type FitContext,
  type Json,
  type MonitorMode,
} from '@trellis/core';
import {checkTemplate, fillTemplate} from './filepath-template';
import {removeFileLocation} from './node-files';
import {saveModel, saveWeights} from './save-load';

/** Options of {@link modelCheckpoint} (Keras' `ModelCheckpoint` arguments, camelCase, plus `keepLast`). */
export type ModelCheckpointOptions = {
  /** Where to save: a folder path or URL, with fields such as `{epoch:02d}` and `{val_loss:.4f}` (Keras' templates). */
  readonly filepath: string;
  /** The log key `saveBestOnly` and `initialValueThreshold` watch (default `'val_loss'`). */
  readonly monitor?: string;
  /** 0 silent (default), 1 a line per save. */
  readonly verbose?: 0 | 1;
  /** Save only when `monitor` improves on the best so far (default false: every time). */
  readonly saveBestOnly?: boolean;
  /** Save the weights only (`saveWeights`), not the architecture and optimizer (default false). */
  readonly saveWeightsOnly?: boolean;
  /** `'auto'` (default), `'min'` or `'max'`: which direction of `monitor` is better. */
  readonly mode?: MonitorMode;
  /** `'epoch'` (default) or a number of optimizer steps between saves. */
  readonly saveFreq?: 'epoch' | number;
  /** With `saveBestOnly`: the value a first save must beat (Keras' `initial_value_threshold`); null: none. */
  readonly initialValueThreshold?: number | null;
  /** Keep only the newest K saved folders whose paths differ (a templated path); default (or null): keep all. */
  readonly keepLast?: number | null;
  /** Where lines go with `verbose: 1` (default `console.log`). */
  readonly print?: (line: string) => void;
};

/** The JSON config of a {@link modelCheckpoint} spec. */
export type ModelCheckpointConfig = {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: MonitorMode;
  readonly saveFreq: 'epoch' | number;
  readonly initialValueThreshold: number | null;
  readonly keepLast: number | null;
};

const KEYS = optionKeys<ModelCheckpointOptions>({
  filepath: true,
  monitor: true,
  verbose: true,
  saveBestOnly: true,
  saveWeightsOnly: true,
  mode: true,
  saveFreq: true,
  initialValueThreshold: true,
  keepLast: true,
  print: true,
});
const WHO = 'modelCheckpoint';

/** The callback {@link modelCheckpoint} returns. */
export type ModelCheckpointCallback = Callback & {
  readonly spec: {readonly id: 'trellis/modelCheckpoint'; readonly config: ModelCheckpointConfig};
  /** The best value of `monitor` saved so far (`saveBestOnly`), or null. */
  readonly best: number | null;
  /** The paths saved and still kept (`keepLast`), oldest first. */
  readonly saved: readonly string[];
};

/**
 * Saves the model during `fit`, as Keras' `ModelCheckpoint`: at every epoch
 * end (or every `saveFreq` steps) to `filepath` filled from the epoch and
 * the logs (`'ckpt/{epoch:02d}-{val_loss:.4f}'`, the epoch counted from 1);
 * with `saveBestOnly`, only when `monitor` improves on the best so far (and,
 * at first, on `initialValueThreshold`); a missing `monitor` key is a
 * warning and no save, as Keras. `saveWeightsOnly` uses `saveWeights`, else
 * `saveModel` (architecture, weights, compile config, optimizer state by
 * name; atomic in Node). `keepLast: K` deletes older saved folders (Node
 * paths) so that only the newest K remain. `saveState()` keeps the best
 * value and the saved paths, so a resumed run decides as an unbroken one.
 *
 * @example
 * callbacks: [modelCheckpoint({filepath: 'checkpoints/best', monitor: 'val_accuracy', saveBestOnly: true})]
 * @throws ConfigError for an unknown option, a bad template, `saveFreq` or `keepLast`, or an unknown mode.
 */
export function modelCheckpoint(options: ModelCheckpointOptions): ModelCheckpointCallback {
  checkOptions(WHO, options, KEYS);
  const filepath = checkTemplate(options?.filepath);
  const monitor = checkMonitor(WHO, options.monitor ?? 'val_loss');
  const verbose = options.verbose ?? 0;
  if (verbose !== 0 && verbose !== 1) throw new ConfigError(`${WHO}: verbose must be 0 or 1; got ${describeValue(verbose)}.`);
  const saveBestOnly = checkBoolean(WHO, 'saveBestOnly', options.saveBestOnly ?? false);
  const saveWeightsOnly = checkBoolean(WHO, 'saveWeightsOnly', options.saveWeightsOnly ?? false);
  const mode = options.mode ?? 'auto';
  // Keras resolves 'auto' only when it needs to compare; so do we (an unknown name with saveBestOnly off is fine).
  const threshold = options.initialValueThreshold ?? null;
  const maximize = saveBestOnly || threshold !== null ? resolveMode(WHO, monitor, mode) : mode === 'max';
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') resolveMode(WHO, monitor, mode);
  const saveFreq = options.saveFreq ?? 'epoch';
  if (saveFreq !== 'epoch') checkNumber(WHO, 'saveFreq', saveFreq, {min: 1, integer: true, example: 500});
  const initial = threshold === null ? null : checkNumber(WHO, 'initialValueThreshold', threshold);
  const keepLast = options.keepLast == null ? null : checkNumber(WHO, 'keepLast', options.keepLast, {min: 1, integer: true, example: 3});
  if (options.print !== undefined && typeof options.print !== 'function') {
    throw new ConfigError(`${WHO}: print must be a function (line: string) => void; got ${describeValue(options.print)}.`);
  }
  const print = options.print ?? ((line: string) => console.log(line));

  let best: number | null = initial;
  const saved: string[] = [];
  let warned = false;

  const save = async (context: FitContext, at: {epoch: number; batch?: number}) => {
    const logs = await context.readLogs();
    const path = fillTemplate(filepath, {...at, logs});
    if (saveBestOnly) {
      const current = logs[monitor];
      if (current === undefined) {
        if (!warned)
          print(`${WHO}: can save best model only with ${monitor} available; the logs have ${Object.keys(logs).join(', ')}. Skipping.`);
        warned = true;
        return;
      }
      if (!isImprovement(current, best, maximize, 0)) {
        if (verbose) print(`Epoch ${at.epoch}: ${monitor} did not improve from ${best}`);
        return;
      }
      if (verbose) print(`Epoch ${at.epoch}: ${monitor} improved from ${best} to ${current}, saving model to ${path}`);
      best = current;
    } else if (verbose) {
      print(`Epoch ${at.epoch}: saving model to ${path}`);
    }
    const model = context.model as unknown as AnyModel;
    if (saveWeightsOnly) await saveWeights(model, path);
    else await saveModel(model, path);
    if (saved[saved.length - 1] !== path) saved.push(path);
    await prune(saved, keepLast);
  };

  const callback: ModelCheckpointCallback = {
    name: WHO,
    spec: {
      id: 'trellis/modelCheckpoint',
      config: {filepath, monitor, verbose, saveBestOnly, saveWeightsOnly, mode, saveFreq, initialValueThreshold: initial, keepLast},
    },
    get best() {
      return best;
    },
    get saved() {
      return saved;
    },
    async onEpochEnd(context) {
      if (saveFreq === 'epoch') await save(context, {epoch: context.epoch + 1});
    },
    saveState(): Json {
      return {best: best === null || Number.isFinite(best) ? best : String(best), saved: [...saved]};
    },
    loadState(state: Json) {
      const s = state as {best?: unknown; saved?: unknown} | null;
      const bestValue = s?.best;
      const ok =
        s !== null &&
        typeof s === 'object' &&
        (bestValue === null ||
          typeof bestValue === 'number' ||
          bestValue === 'Infinity' ||
          bestValue === '-Infinity' ||
          bestValue === 'NaN') &&
        Array.isArray(s.saved) &&
        s.saved.every((p) => typeof p === 'string');
      if (!ok) throw new StateError(`${WHO}.loadState expects {best, saved} from saveState(); got ${describeValue(state)}.`);
      best = bestValue === null ? null : Number(bestValue);
      saved.splice(0, saved.length, ...(s!.saved as string[]));
    },
  };
  if (saveFreq !== 'epoch') {
    (callback as Callback).onBatchEnd = async (context) => {
      if (context.step % saveFreq === 0) await save(context, {epoch: context.epoch + 1, batch: context.batch + 1});
    };
  }
  return callback;
}

/** Deletes the oldest saved folders beyond `keepLast` (Node paths only; URLs of other schemes are left alone). */
async function prune(saved: string[], keepLast: number | null): Promise<void> {
  if (keepLast === null || saved.length <= keepLast) return;
  const kept = saved.slice(-keepLast);
  for (const path of saved.slice(0, saved.length - keepLast)) {
    if (!kept.includes(path)) await removeFileLocation(path);
  }
  saved.splice(0, saved.length - keepLast);
}
